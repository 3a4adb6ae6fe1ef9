package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/signintech/gopdf"

	"github.com/motcua/motcua"
)

// Receipt is what the printed "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
// says besides the dossier itself.
type Receipt struct {
	Dossier       *motcua.Dossier
	AgencyName    string
	ProcedureName string
	// QRPNG is a QR code of the dossier's public page, printed top right.
	QRPNG []byte
	// Officer is who received the dossier (empty online).
	Officer string
}

var resultMethods = map[motcua.ResultMethod]string{
	motcua.ResultAtCounter: "Tại Bộ phận Tiếp nhận và Trả kết quả",
	motcua.ResultByPost:    "Qua dịch vụ bưu chính công ích",
	motcua.ResultOnline:    "Trực tuyến, vào Kho dữ liệu của chủ hồ sơ",
}

var digitizationText = map[motcua.Digitization]string{
	motcua.NotDigitized:           "bản giấy",
	motcua.Digitized:              "đã số hóa",
	motcua.ReusedFromWarehouse:    "tái sử dụng từ Kho dữ liệu",
	motcua.ReusedFromOtherDossier: "tái sử dụng từ kết quả hồ sơ khác",
}

// WriteReceiptPDF writes the receipt of a dossier (phiếu tiếp nhận và hẹn
// trả kết quả) as an A4 PDF: the agency, the dossier code with its QR
// code, owner and submitter, the procedure, each component and whether it
// was digitized or reused, the receipt time and the due date.
func WriteReceiptPDF(w io.Writer, r Receipt) error {
	d, err := newPDFDoc(nil)
	if err != nil {
		return err
	}
	ds := r.Dossier
	d.gp.SetInfo(gopdf.PdfInfo{Title: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả " + ds.Code, Creator: "motcua"})
	d.gp.AddPage()
	width := pageWidth - 2*pageMargin
	y := pageMargin
	line := func(style string, size float64, text string, align int) error {
		return d.paragraph(&y, width, style, size, text, align)
	}
	steps := []struct {
		style string
		size  float64
		text  string
		align int
	}{
		{"B", bodySize, strings.ToUpper(r.AgencyName), gopdf.Left},
		{"B", bodySize, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", gopdf.Right},
		{"B", bodySize, "Độc lập - Tự do - Hạnh phúc", gopdf.Right},
		{"", 4, "", gopdf.Left},
		{"B", titleSize, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", gopdf.Center},
		{"B", subtitleSize, "Mã hồ sơ: " + ds.Code, gopdf.Center},
		{"", 4, "", gopdf.Left},
	}
	for _, s := range steps {
		if err := line(s.style, s.size, s.text, s.align); err != nil {
			return err
		}
	}
	if len(r.QRPNG) > 0 {
		img, err := gopdf.ImageHolderByBytes(r.QRPNG)
		if err != nil {
			return fmt.Errorf("receipt qr code: %w", err)
		}
		if err := d.gp.ImageByHolder(img, pageWidth-pageMargin-28, y, &gopdf.Rect{W: 28, H: 28}); err != nil {
			return fmt.Errorf("receipt qr code: %w", err)
		}
	}
	who := func(p motcua.Person) string {
		s := p.Name + ", số định danh " + p.Code
		if p.Phone != "" {
			s += ", điện thoại " + p.Phone
		}
		return s
	}
	facts := []string{
		"Tiếp nhận hồ sơ của: " + who(ds.Submitter),
	}
	if ds.Owner.Code != ds.Submitter.Code {
		facts = append(facts, "Chủ hồ sơ: "+who(ds.Owner))
	}
	received := ds.ReceivedAt
	if received.IsZero() {
		received = ds.SubmittedAt
	}
	facts = append(facts, "Nội dung yêu cầu giải quyết: "+r.ProcedureName, "Thành phần hồ sơ:")
	for i, c := range ds.Components {
		if c.Digitization == motcua.NotDigitized && len(c.Attachments) == 0 && !c.Required {
			continue
		}
		facts = append(facts, fmt.Sprintf("    %d. %s (%s)", i+1, c.Name, digitizationText[c.Digitization]))
	}
	loc := motcua.VietnamLocation()
	facts = append(facts,
		"Thời gian nhận hồ sơ: "+received.In(loc).Format("15 giờ 04 phút, ngày 02/01/2006"),
		"Thời gian trả kết quả giải quyết hồ sơ: "+dueText(ds),
		"Nhận kết quả tại: "+resultMethods[ds.ResultMethod],
		"Tra cứu tình trạng hồ sơ bằng mã QR hoặc mã hồ sơ trên Cổng dịch vụ công.")
	width -= 32 // beside the QR code for the first lines
	for i, f := range facts {
		if i == 3 {
			width += 32
		}
		if err := line("", bodySize, f, gopdf.Left); err != nil {
			return err
		}
	}
	// Signatures: the submitter on the left, the receiving officer on the
	// right.
	y += lineHeight(bodySize)
	half := (pageWidth - 2*pageMargin) / 2
	if err := d.font("B", bodySize); err != nil {
		return err
	}
	if err := d.text(pageMargin, y, half, lineHeight(bodySize), "NGƯỜI NỘP HỒ SƠ", gopdf.Center); err != nil {
		return err
	}
	if err := d.text(pageMargin+half, y, half, lineHeight(bodySize), "NGƯỜI TIẾP NHẬN HỒ SƠ", gopdf.Center); err != nil {
		return err
	}
	if r.Officer != "" {
		if err := d.font("", bodySize); err != nil {
			return err
		}
		if err := d.text(pageMargin+half, y+4*lineHeight(bodySize), half, lineHeight(bodySize), r.Officer, gopdf.Center); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if _, err := d.gp.WriteTo(&buf); err != nil {
		return fmt.Errorf("render receipt pdf: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func dueText(d *motcua.Dossier) string {
	if d.DueAt.IsZero() {
		return "sẽ được hẹn khi hồ sơ được tiếp nhận"
	}
	return d.DueAt.In(motcua.VietnamLocation()).Format("15 giờ 04 phút, ngày 02/01/2006")
}
