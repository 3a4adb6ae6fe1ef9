package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/motcua/motcua"
)

func TestWriteReceiptPDF(t *testing.T) {
	requirePoppler(t)
	owner := motcua.Person{Code: "052090000495", Name: "Nguyễn Văn An", Phone: "0905123456"}
	at := time.Date(2024, 3, 20, 8, 5, 0, 0, time.UTC)
	d := &motcua.Dossier{Code: "000.23.01.H08-240320-0007", Submitter: owner, Owner: owner, ResultMethod: motcua.ResultOnline,
		SubmittedAt: at, ReceivedAt: at, DueAt: at.Add(24 * time.Hour), Components: []motcua.DossierComponent{
			{Name: "Tờ khai đăng ký kết hôn", Required: true, Digitization: motcua.Digitized},
			{Name: "Giấy khai sinh", Required: true, Digitization: motcua.ReusedFromWarehouse},
			{Name: "Giấy xác nhận tình trạng hôn nhân", Required: true},
		}}
	qr, err := qrcode.Encode("http://motcua.test/ho-so/"+d.Code, qrcode.Medium, 256)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteReceiptPDF(&buf, Receipt{Dossier: d, AgencyName: "UBND Thị trấn An Lão", ProcedureName: "Đăng ký kết hôn",
		QRPNG: qr, Officer: "tiepnhan.thitran"}); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pages(t, buf.Bytes()), "\n")
	for _, want := range []string{"GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Mã hồ sơ: 000.23.01.H08-240320-0007", "Nguyễn Văn An",
		"Đăng ký kết hôn", "Giấy khai sinh (tái sử dụng từ Kho dữ liệu)", "Giấy xác nhận tình trạng hôn nhân (bản giấy)",
		"15 giờ 05 phút, ngày 20/03/2024", "15 giờ 05 phút, ngày 21/03/2024", "Trực tuyến, vào Kho dữ liệu", "tiepnhan.thitran"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	images := string(poppler(t, "pdfimages", "-list", pdfFile(t, buf.Bytes())))
	if strings.Count(images, "\n") < 3 { // header, rule, one image
		t.Errorf("the QR code is not in the receipt:\n%s", images)
	}
}
