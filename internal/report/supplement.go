package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/signintech/gopdf"

	"github.com/motcua/motcua"
)

// SupplementNotice is what the printed "Phiếu yêu cầu bổ sung, hoàn
// thiện hồ sơ" says besides the dossier and its latest supplement
// request.
type SupplementNotice struct {
	Dossier       *motcua.Dossier
	AgencyName    string
	ProcedureName string
	// Officer is the full name of the officer who asked, printed under
	// "NGƯỜI HƯỚNG DẪN"; the request's username when empty.
	Officer string
}

// WriteSupplementPDF writes the notice of d's latest supplement request
// as an A4 PDF, in the layout of the receipt (WriteReceiptPDF): the
// agency, the dossier code, whose dossier it is, the procedure, when it
// was received, each component to complete, the officer's reason, and
// how to answer. A dossier without a request is an error.
func WriteSupplementPDF(w io.Writer, n SupplementNotice) error {
	ds := n.Dossier
	req := ds.Supplement()
	if req == nil {
		return fmt.Errorf("supplement notice: dossier %s has no supplement request", ds.Code)
	}
	d, err := newPDFDoc(nil)
	if err != nil {
		return err
	}
	d.gp.SetInfo(gopdf.PdfInfo{Title: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ " + ds.Code, Creator: "motcua"})
	d.gp.AddPage()
	width := pageWidth - 2*pageMargin
	y := pageMargin
	loc := motcua.VietnamLocation()
	received := ds.ReceivedAt
	if received.IsZero() {
		received = ds.SubmittedAt
	}
	type step struct {
		style string
		size  float64
		text  string
		align int
	}
	steps := []step{
		{"B", bodySize, strings.ToUpper(n.AgencyName), gopdf.Left},
		{"B", bodySize, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", gopdf.Right},
		{"B", bodySize, "Độc lập - Tự do - Hạnh phúc", gopdf.Right},
		{"", bodySize, req.RequestedAt.In(loc).Format("Ngày 02 tháng 01 năm 2006"), gopdf.Right},
		{"", 4, "", gopdf.Left},
		{"B", titleSize, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", gopdf.Center},
		{"B", subtitleSize, "Mã hồ sơ: " + ds.Code, gopdf.Center},
		{"", 4, "", gopdf.Left},
		{"", bodySize, "Hồ sơ của: " + ds.Owner.Name + ", số định danh " + ds.Owner.Code, gopdf.Left},
		{"", bodySize, "Nội dung yêu cầu giải quyết: " + n.ProcedureName, gopdf.Left},
		{"", bodySize, received.In(loc).Format("Ngày 02/01/2006") + ", " + n.AgencyName + " đã tiếp nhận hồ sơ của Ông/Bà.", gopdf.Left},
		{"", bodySize, "Sau khi xem xét, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", gopdf.Left},
	}
	if len(req.Components) == 0 {
		steps = append(steps, step{"", bodySize, "    Các thành phần hồ sơ theo lý do nêu dưới đây.", gopdf.Left})
	}
	for i, code := range req.Components {
		name := code
		if c, ok := ds.Component(code); ok {
			name = c.Name
		}
		steps = append(steps, step{"", bodySize, fmt.Sprintf("    %d. %s", i+1, name), gopdf.Left})
	}
	steps = append(steps,
		step{"", bodySize, "Lý do: " + req.Reason, gopdf.Left},
		step{"", bodySize, "Ông/Bà bổ sung trực tuyến tại trang hồ sơ trên Cổng dịch vụ công (mục “Quản lý hồ sơ đã nộp”) " +
			"hoặc nộp trực tiếp tại Bộ phận Tiếp nhận và Trả kết quả. Thời gian chờ bổ sung không tính vào thời hạn giải quyết.", gopdf.Left},
		step{"", bodySize, "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với " + n.AgencyName + " để được hướng dẫn.", gopdf.Left},
	)
	for _, s := range steps {
		if err := d.paragraph(&y, width, s.style, s.size, s.text, s.align); err != nil {
			return err
		}
	}
	y += lineHeight(bodySize)
	half := width / 2
	if err := d.font("B", bodySize); err != nil {
		return err
	}
	if err := d.text(pageMargin+half, y, half, lineHeight(bodySize), "NGƯỜI HƯỚNG DẪN", gopdf.Center); err != nil {
		return err
	}
	officer := n.Officer
	if officer == "" {
		officer = req.RequestedBy
	}
	if officer != "" {
		if err := d.font("", bodySize); err != nil {
			return err
		}
		if err := d.text(pageMargin+half, y+4*lineHeight(bodySize), half, lineHeight(bodySize), officer, gopdf.Center); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if _, err := d.gp.WriteTo(&buf); err != nil {
		return fmt.Errorf("render supplement notice pdf: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
