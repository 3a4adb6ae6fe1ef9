package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/signintech/gopdf"

	"github.com/motcua/motcua"
)

// Liberation Serif is metric-compatible with Times New Roman, the typeface
// Decree 30/2020/NĐ-CP prescribes for administrative documents, and covers
// every Vietnamese letter (U+1EA0–U+1EF9); PDF viewers' base fonts do not.
// The files are unmodified from Debian's fonts-liberation2 2.1.5-1 (SIL
// OFL 1.1, fonts/OFL.txt). Embedded as strings so nothing can alter them;
// only the glyphs a document uses are written to it.
var (
	//go:embed fonts/LiberationSerif-Regular.ttf
	serifRegular string
	//go:embed fonts/LiberationSerif-Bold.ttf
	serifBold string
)

const pdfFont = "LiberationSerif"

// A4 portrait, in millimetres.
const (
	pageWidth    = 210.0
	pageHeight   = 297.0
	pageMargin   = 15.0
	pageBottom   = pageHeight - 18 // the footer sits below
	cellPadding  = 1.5
	lineSpacing  = 1.2 // line height ÷ font size
	bodySize     = 10.5
	headerSize   = 9.5
	titleSize    = 13
	subtitleSize = 11
	footerSize   = 9
)

// Column widths of Appendix I, summing to the printable width (180 mm).
var pdfColumns = [5]float64{12, 82, 26, 29, 31}

type pdfRowKind int

const (
	rowHeader pdfRowKind = iota
	rowSection
	rowAgency
	rowTotal
)

// pdfRow is one table line, wrapped to its columns.
type pdfRow struct {
	kind   pdfRowKind
	lines  [][]string // section rows use lines[0] across the whole table
	height float64
}

// WriteReusePDF writes the table as an A4 PDF in the Appendix I layout:
// the title, the root agency and the period, then a title row per
// section, its agencies, its "Σ Tổng số" row, and the grand total. Counts
// and rates are written the Vietnamese way (3.480; 14,32), rates rounded
// half up to the given decimals from the exact counts. The header row is
// repeated on every page and pages are numbered "Trang i/n".
func WriteReusePDF(w io.Writer, t *motcua.ReuseTable, decimals int) error {
	d, err := newPDFDoc(pdfColumns[:])
	if err != nil {
		return err
	}
	const title = "TỶ LỆ KHAI THÁC, SỬ DỤNG LẠI THÔNG TIN SỐ HÓA"
	from, to := motcua.DateOf(t.From).Display(), motcua.DateOf(t.To.AddDate(0, 0, -1)).Display()
	period := fmt.Sprintf("Từ %s đến %s", from, to)
	d.gp.SetInfo(gopdf.PdfInfo{Title: fmt.Sprintf("%s — %s, từ %s đến %s", title, t.Root.Name, from, to), Creator: "motcua"})

	header, err := d.row(rowHeader, reuseHeader)
	if err != nil {
		return err
	}
	var rows []pdfRow
	add := func(kind pdfRowKind, cells ...string) error {
		r, err := d.row(kind, cells)
		rows = append(rows, r)
		return err
	}
	line := func(kind pdfRowKind, no, name string, r motcua.ReuseRow) error {
		return add(kind, no, name, motcua.FormatCount(r.Received), motcua.FormatCount(r.Reused), r.Rate().Percent(decimals, ","))
	}
	for _, s := range t.Sections {
		if err := add(rowSection, s.Title); err != nil {
			return err
		}
		for _, r := range s.Rows {
			if err := line(rowAgency, strconv.Itoa(r.No), r.Agency.Name, r); err != nil {
				return err
			}
		}
		if err := line(rowTotal, "Σ", "Tổng số", s.Total); err != nil {
			return err
		}
	}
	if err := line(rowTotal, "", "Tổng cộng", t.Total); err != nil {
		return err
	}
	return d.writeTable(w, []pdfHeading{{title, "B", titleSize}, {t.Root.Name, "B", subtitleSize}, {period, "", subtitleSize}}, header, rows)
}

// pdfHeading is a line of a document's title block.
type pdfHeading struct {
	text  string
	style string
	size  float64
}

// writeTable lays out the title block and the table rows on numbered A4
// pages, the header row repeated on each, and writes the document to w.
func (d *pdfDoc) writeTable(w io.Writer, heading []pdfHeading, header pdfRow, rows []pdfRow) error {
	var headingLines [][]string
	headingHeight := 0.0
	for _, h := range heading {
		if err := d.font(h.style, h.size); err != nil {
			return err
		}
		ls, err := d.wrap(h.text, pageWidth-2*pageMargin)
		if err != nil {
			return err
		}
		headingLines = append(headingLines, ls)
		headingHeight += float64(len(ls)) * lineHeight(h.size)
	}
	headingHeight += 4

	pages := paginate(rows, pageBottom-pageMargin-header.height, headingHeight)
	for i, page := range pages {
		d.gp.AddPage()
		d.gp.SetLineWidth(0.2)
		y := pageMargin
		if i == 0 {
			for j, h := range heading {
				if err := d.font(h.style, h.size); err != nil {
					return err
				}
				for _, l := range headingLines[j] {
					if err := d.text(pageMargin, y, pageWidth-2*pageMargin, lineHeight(h.size), l, gopdf.Center); err != nil {
						return err
					}
					y += lineHeight(h.size)
				}
			}
			y += 4
		}
		if err := d.draw(header, y); err != nil {
			return err
		}
		y += header.height
		for _, r := range rows[page.from:page.to] {
			if err := d.draw(r, y); err != nil {
				return err
			}
			y += r.height
		}
		if err := d.font("", footerSize); err != nil {
			return err
		}
		footer := fmt.Sprintf("Trang %d/%d", i+1, len(pages))
		if err := d.text(pageMargin, pageHeight-12, pageWidth-2*pageMargin, lineHeight(footerSize), footer, gopdf.Center); err != nil {
			return err
		}
	}
	// gopdf drops its writer's errors: compile to memory, then write.
	var buf bytes.Buffer
	if _, err := d.gp.WriteTo(&buf); err != nil {
		return fmt.Errorf("compile pdf: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

type pdfPage struct{ from, to int }

// paginate splits rows into pages of the given height (the first page
// loses firstExtra to the title). A section title is never left alone at
// the bottom of a page. A row taller than a page gets a page of its own.
func paginate(rows []pdfRow, height, firstExtra float64) []pdfPage {
	var pages []pdfPage
	avail := height - firstExtra
	start, used := 0, 0.0
	for i := 0; i < len(rows); i++ {
		need := rows[i].height
		if rows[i].kind == rowSection && i+1 < len(rows) {
			need += rows[i+1].height
		}
		if used+need > avail && i > start {
			pages = append(pages, pdfPage{start, i})
			start, used, avail = i, 0, height
		}
		used += rows[i].height
	}
	return append(pages, pdfPage{start, len(rows)})
}

func lineHeight(size float64) float64 { return size * lineSpacing * 25.4 / 72 }

type pdfDoc struct {
	gp *gopdf.GoPdf
	// cols are the table's column widths, summing to the printable width.
	cols []float64
}

func newPDFDoc(cols []float64) (*pdfDoc, error) {
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{Unit: gopdf.UnitMM, PageSize: gopdf.Rect{W: pageWidth, H: pageHeight}})
	if err := gp.AddTTFFontData(pdfFont, []byte(serifRegular)); err != nil {
		return nil, fmt.Errorf("load pdf font: %w", err)
	}
	if err := gp.AddTTFFontDataWithOption(pdfFont, []byte(serifBold), gopdf.TtfOption{Style: gopdf.Bold}); err != nil {
		return nil, fmt.Errorf("load pdf bold font: %w", err)
	}
	return &pdfDoc{gp: gp, cols: cols}, nil
}

func (d *pdfDoc) font(style string, size float64) error {
	return d.gp.SetFont(pdfFont, style, size)
}

func (k pdfRowKind) style() (font string, size float64) {
	switch k {
	case rowHeader:
		return "B", headerSize
	case rowAgency:
		return "", bodySize
	}
	return "B", bodySize
}

// row wraps cells to their columns and measures the row.
func (d *pdfDoc) row(kind pdfRowKind, cells []string) (pdfRow, error) {
	style, size := kind.style()
	if err := d.font(style, size); err != nil {
		return pdfRow{}, err
	}
	r := pdfRow{kind: kind, lines: make([][]string, len(d.cols))}
	n := 1
	for i, c := range cells {
		width := d.cols[i]
		if kind == rowSection {
			width = pageWidth - 2*pageMargin
		}
		ls, err := d.wrap(c, width-2*cellPadding)
		if err != nil {
			return pdfRow{}, err
		}
		r.lines[i] = ls
		n = max(n, len(ls))
	}
	r.height = float64(n)*lineHeight(size) + 2*cellPadding
	return r, nil
}

// wrap breaks text at spaces into lines no wider than width, and a word
// wider than width wherever it must.
func (d *pdfDoc) wrap(text string, width float64) ([]string, error) {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(text) {
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		w, err := d.gp.MeasureTextWidth(try)
		if err != nil {
			return nil, err
		}
		if w <= width {
			cur = try
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		cur = word
		if w, err := d.gp.MeasureTextWidth(word); err != nil {
			return nil, err
		} else if w > width {
			parts, err := d.gp.SplitText(word, width)
			if err != nil {
				return nil, err
			}
			lines = append(lines, parts[:len(parts)-1]...)
			cur = parts[len(parts)-1]
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines, nil
}

// draw writes the row with its top at y: bordered cells, the header and
// the totals shaded, text centred vertically.
func (d *pdfDoc) draw(r pdfRow, y float64) error {
	style, size := r.kind.style()
	if err := d.font(style, size); err != nil {
		return err
	}
	lh := lineHeight(size)
	if r.kind == rowSection {
		d.gp.RectFromUpperLeftWithStyle(pageMargin, y, pageWidth-2*pageMargin, r.height, "D")
		for j, l := range r.lines[0] {
			if err := d.text(pageMargin+cellPadding, y+cellPadding+float64(j)*lh, pageWidth-2*pageMargin-2*cellPadding, lh, l, gopdf.Left); err != nil {
				return err
			}
		}
		return nil
	}
	// Text is painted with the fill colour too: shade all the cells
	// first, then go back to black for the text.
	shade := r.kind == rowHeader || r.kind == rowTotal
	if shade {
		d.gp.SetFillColor(230, 230, 230)
	}
	x := pageMargin
	for _, w := range d.cols {
		if shade {
			d.gp.RectFromUpperLeftWithStyle(x, y, w, r.height, "FD")
		} else {
			d.gp.RectFromUpperLeftWithStyle(x, y, w, r.height, "D")
		}
		x += w
	}
	if shade {
		d.gp.SetFillColor(0, 0, 0)
	}
	x = pageMargin
	for i, w := range d.cols {
		align := gopdf.Right
		switch {
		case r.kind == rowHeader || i == 0:
			align = gopdf.Center
		case i == 1:
			align = gopdf.Left
		}
		top := y + (r.height-float64(len(r.lines[i]))*lh)/2
		for j, l := range r.lines[i] {
			if err := d.text(x+cellPadding, top+float64(j)*lh, w-2*cellPadding, lh, l, align); err != nil {
				return err
			}
		}
		x += w
	}
	return nil
}

// text writes one line in the box (x, y, w, h), aligned horizontally as
// align says and centred vertically.
// paragraph writes text wrapped to width from the left margin at *y, in
// style and size, and moves *y below it.
func (d *pdfDoc) paragraph(y *float64, width float64, style string, size float64, text string, align int) error {
	if err := d.font(style, size); err != nil {
		return err
	}
	ls, err := d.wrap(text, width)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if err := d.text(pageMargin, *y, width, lineHeight(size), l, align); err != nil {
			return err
		}
		*y += lineHeight(size)
	}
	return nil
}

func (d *pdfDoc) text(x, y, w, h float64, s string, align int) error {
	d.gp.SetXY(x, y)
	return d.gp.CellWithOption(&gopdf.Rect{W: w, H: h}, s, gopdf.CellOption{Align: align | gopdf.Middle})
}

func gopdfInfo(title string) gopdf.PdfInfo { return gopdf.PdfInfo{Title: title, Creator: "motcua"} }
