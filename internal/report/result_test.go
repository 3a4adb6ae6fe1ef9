package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func TestWriteResultPDF(t *testing.T) {
	requirePoppler(t)
	var buf bytes.Buffer
	err := WriteResultPDF(&buf, motcua.ResultTemplate{AgencyName: "UBND Thị trấn An Lão", Title: "Giấy xác nhận tình trạng hôn nhân",
		Number: "XN-125", Place: "An Lão", Date: time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC),
		Owner: motcua.Person{Code: "052090000495", Name: "Trần Văn Hùng", BirthDate: motcua.Date{Year: 1990, Month: 3, Day: 15}},
		Body:  "Tình trạng hôn nhân: chưa đăng ký kết hôn với ai.\nGiấy này có giá trị 6 tháng kể từ ngày cấp.", Signer: "Chủ tịch"})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pages(t, buf.Bytes()), "\n")
	for _, want := range []string{"UBND THỊ TRẤN AN LÃO", "Số: XN-125", "An Lão, ngày 07 tháng 12 năm 2026",
		"GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "Trần Văn Hùng", "052090000495", "15/03/1990", "chưa đăng ký kết hôn",
		"Giấy này có giá trị 6 tháng", "CHỦ TỊCH"} {
		if !strings.Contains(text, want) {
			t.Errorf("result lacks %q:\n%s", want, text)
		}
	}
}
