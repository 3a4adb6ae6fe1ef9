package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func TestWriteSupplementPDF(t *testing.T) {
	requirePoppler(t)
	owner := motcua.Person{Code: "052090000495", Name: "Nguyễn Văn An"}
	at := time.Date(2024, 3, 20, 8, 5, 0, 0, time.UTC)
	d := &motcua.Dossier{Code: "000.23.01.H08-240320-0007", Submitter: owner, Owner: owner, SubmittedAt: at, ReceivedAt: at,
		Components: []motcua.DossierComponent{{Code: "TP01", Name: "Tờ khai đăng ký kết hôn"}, {Code: "TP02", Name: "Giấy khai sinh"}},
		Supplements: []motcua.SupplementRequest{{Seq: 1, Reason: "Tờ khai chưa có chữ ký của hai bên", Components: []string{"TP01"},
			RequestedAt: at.Add(26 * time.Hour), RequestedBy: "tiepnhan.thitran"}}}
	var buf bytes.Buffer
	if err := WriteSupplementPDF(&buf, SupplementNotice{Dossier: d, AgencyName: "UBND Thị trấn An Lão", ProcedureName: "Đăng ký kết hôn"}); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pages(t, buf.Bytes()), "\n")
	for _, want := range []string{"PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Mã hồ sơ: 000.23.01.H08-240320-0007", "Nguyễn Văn An",
		"Đăng ký kết hôn", "1. Tờ khai đăng ký kết hôn", "Lý do: Tờ khai chưa có chữ ký của hai bên", "Ngày 21 tháng 03 năm 2024",
		"tiepnhan.thitran"} {
		if !strings.Contains(text, want) {
			t.Errorf("notice lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Giấy khai sinh") {
		t.Errorf("the notice names a component not requested:\n%s", text)
	}
	d.Supplements = nil
	if err := WriteSupplementPDF(&buf, SupplementNotice{Dossier: d}); err == nil {
		t.Error("a notice without a request was written")
	}
}
