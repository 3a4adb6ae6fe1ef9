package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/signintech/gopdf"

	"github.com/motcua/motcua"
)

// WriteResultPDF renders the template as an A4 PDF ready to be signed:
// the agency and national headings, number, place and date, the title,
// the owner, the content and the signer's title.
func WriteResultPDF(w io.Writer, r motcua.ResultTemplate) error {
	d, err := newPDFDoc(nil)
	if err != nil {
		return err
	}
	d.gp.SetInfo(gopdf.PdfInfo{Title: r.Title + " " + r.Number, Creator: "motcua"})
	d.gp.AddPage()
	width := pageWidth - 2*pageMargin
	y := pageMargin
	date := r.Date.In(motcua.VietnamLocation())
	steps := []struct {
		style string
		size  float64
		text  string
		align int
	}{
		{"B", bodySize, strings.ToUpper(r.AgencyName), gopdf.Left},
		{"", bodySize, "Số: " + r.Number, gopdf.Left},
		{"B", bodySize, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", gopdf.Right},
		{"B", bodySize, "Độc lập - Tự do - Hạnh phúc", gopdf.Right},
		{"", bodySize, fmt.Sprintf("%s, ngày %02d tháng %02d năm %d", r.Place, date.Day(), int(date.Month()), date.Year()), gopdf.Right},
		{"", 6, "", gopdf.Left},
		{"B", titleSize, strings.ToUpper(r.Title), gopdf.Center},
		{"", 4, "", gopdf.Left},
		{"", bodySize, "Họ và tên: " + r.Owner.Name, gopdf.Left},
		{"", bodySize, "Số định danh cá nhân: " + r.Owner.Code, gopdf.Left},
	}
	if !r.Owner.BirthDate.IsZero() {
		steps = append(steps, struct {
			style string
			size  float64
			text  string
			align int
		}{"", bodySize, "Ngày sinh: " + r.Owner.BirthDate.Display(), gopdf.Left})
	}
	for _, s := range steps {
		if err := d.paragraph(&y, width, s.style, s.size, s.text, s.align); err != nil {
			return err
		}
	}
	y += lineHeight(bodySize) / 2
	for _, para := range strings.Split(strings.ReplaceAll(r.Body, "\r\n", "\n"), "\n") {
		if err := d.paragraph(&y, width, "", bodySize, para, gopdf.Left); err != nil {
			return err
		}
		if y > pageHeight-pageMargin-4*lineHeight(bodySize) {
			d.gp.AddPage()
			y = pageMargin
		}
	}
	y += lineHeight(bodySize)
	half := width / 2
	if err := d.font("B", bodySize); err != nil {
		return err
	}
	if err := d.text(pageMargin+half, y, half, lineHeight(bodySize), strings.ToUpper(r.Signer), gopdf.Center); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := d.gp.WriteTo(&buf); err != nil {
		return fmt.Errorf("render result pdf: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
