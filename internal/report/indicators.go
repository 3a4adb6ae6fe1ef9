package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua"
)

// indicatorLine is one line of the every-indicator export: a section
// title (Count nil), an agency, a section's Σ or the grand total.
type indicatorLine struct {
	No, Name string
	Count    *motcua.AgencyCount
	Total    bool
}

// indicatorLines lays the table out as Appendix I does: per section its
// title, its agencies and its "Σ Tổng số", then the grand total.
func indicatorLines(t *motcua.ReuseTable) []indicatorLine {
	var out []indicatorLine
	for _, s := range t.Sections {
		out = append(out, indicatorLine{Name: s.Title})
		for _, r := range s.Rows {
			out = append(out, indicatorLine{No: strconv.Itoa(r.No), Name: r.Agency.Name, Count: &r.AgencyCount})
		}
		out = append(out, indicatorLine{No: "Σ", Name: "Tổng số", Count: &s.Total.AgencyCount, Total: true})
	}
	return append(out, indicatorLine{Name: "Tổng cộng " + t.Root.Name, Count: &t.Total.AgencyCount, Total: true})
}

// indicatorHeader is the header of the CSV and XLSX exports: for each
// indicator its numerator, denominator, rate and Decision 766 score.
func indicatorHeader() []string {
	h := []string{"TT", "Cơ quan, đơn vị"}
	for _, d := range motcua.Indicators {
		h = append(h, "Chỉ số "+d.Code+" — tử số", "Chỉ số "+d.Code+" — mẫu số",
			"Chỉ số "+d.Code+" — tỷ lệ (%)", "Chỉ số "+d.Code+" — điểm")
	}
	return h
}

func indicatorsTitle(t *motcua.ReuseTable) string {
	return fmt.Sprintf("CÁC CHỈ SỐ THEO QUYẾT ĐỊNH 766/QĐ-TTg — %s, từ %s đến %s", t.Root.Name,
		motcua.DateOf(t.From).Display(), motcua.DateOf(t.To.AddDate(0, 0, -1)).Display())
}

// WriteIndicatorsCSV writes every Decision 766 indicator of every agency
// of the table: a row per agency (and section totals and grand total)
// with, for each indicator, its numerator, denominator, rate (rounded
// half up to decimals) and score (motcua.Score's one rounding). Numbers
// are plain with a dot as decimal separator, for spreadsheets.
func WriteIndicatorsCSV(w io.Writer, t *motcua.ReuseTable, decimals int) error {
	cw := NewCSVWriter(w)
	header := indicatorHeader()
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, l := range indicatorLines(t) {
		rec := make([]string, len(header))
		rec[0], rec[1] = l.No, l.Name
		if l.Count != nil {
			for i, d := range motcua.Indicators {
				r := d.Rate(*l.Count)
				rec[2+4*i] = strconv.FormatInt(r.Num, 10)
				rec[3+4*i] = strconv.FormatInt(r.Den, 10)
				rec[4+4*i] = r.Percent(decimals, ".")
				rec[5+4*i] = d.Score(*l.Count).String(".")
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteIndicatorsXLSX writes the same table as WriteIndicatorsCSV as an
// Excel workbook: counts, rates and scores as numbers, rates formatted to
// decimals and scores to motcua.ScoreDecimals.
func WriteIndicatorsXLSX(w io.Writer, t *motcua.ReuseTable, decimals int) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Chỉ số 766"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	rateFmt, scoreFmt := "0", "0."+fmt.Sprintf("%0*d", motcua.ScoreDecimals, 0)
	if decimals > 0 {
		rateFmt = "0." + fmt.Sprintf("%0*d", decimals, 0)
	}
	rateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &rateFmt})
	if err != nil {
		return err
	}
	scoreStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &scoreFmt})
	if err != nil {
		return err
	}
	header := indicatorHeader()
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = h
	}
	rows := [][]any{{indicatorsTitle(t)}, hdr}
	boldRows := []int{1, 2}
	for _, l := range indicatorLines(t) {
		row := []any{l.No, l.Name}
		if l.Count != nil {
			for _, d := range motcua.Indicators {
				r := d.Rate(*l.Count)
				rate, _ := parseRate(r.Percent(decimals, "."))
				row = append(row, r.Num, r.Den, rate, d.Score(*l.Count).Rounded())
			}
		}
		rows = append(rows, row)
		if l.Count == nil || l.Total {
			boldRows = append(boldRows, len(rows))
		}
	}
	last, _ := excelize.ColumnNumberToName(len(header))
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
		if len(r) == len(header) && i >= 2 {
			for k := range motcua.Indicators {
				rc, _ := excelize.CoordinatesToCellName(5+4*k, i+1)
				sc, _ := excelize.CoordinatesToCellName(6+4*k, i+1)
				if err := f.SetCellStyle(sheet, rc, rc, rateStyle); err != nil {
					return err
				}
				if err := f.SetCellStyle(sheet, sc, sc, scoreStyle); err != nil {
					return err
				}
			}
		}
	}
	for _, row := range boldRows {
		a, _ := excelize.CoordinatesToCellName(1, row)
		e, _ := excelize.CoordinatesToCellName(2, row)
		if err := f.SetCellStyle(sheet, a, e, bold); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sheet, "A", "A", 6); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 44); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "C", last, 14); err != nil {
		return err
	}
	return f.Write(w)
}

// Columns of the every-indicator PDF: code, name, numerator, denominator,
// rate, score; 180 mm.
var indicatorPDFColumns = []float64{14, 76, 22, 22, 24, 22}

// WriteIndicatorsPDF writes every Decision 766 indicator of every agency
// as an A4 PDF: per agency (and section total and grand total) a title
// row and a line per indicator with its numerator, denominator, rate and
// score, written the Vietnamese way (3.480; 14,32; 0,56).
func WriteIndicatorsPDF(w io.Writer, t *motcua.ReuseTable, decimals int) error {
	d, err := newPDFDoc(indicatorPDFColumns)
	if err != nil {
		return err
	}
	const title = "CÁC CHỈ SỐ ĐÁNH GIÁ THEO QUYẾT ĐỊNH 766/QĐ-TTg"
	from, to := motcua.DateOf(t.From).Display(), motcua.DateOf(t.To.AddDate(0, 0, -1)).Display()
	d.gp.SetInfo(gopdfInfo(fmt.Sprintf("%s — %s, từ %s đến %s", title, t.Root.Name, from, to)))
	header, err := d.row(rowHeader, []string{"Chỉ số", "Tên chỉ số", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Điểm (thang 1)"})
	if err != nil {
		return err
	}
	var rows []pdfRow
	add := func(kind pdfRowKind, cells ...string) error {
		r, err := d.row(kind, cells)
		rows = append(rows, r)
		return err
	}
	for _, l := range indicatorLines(t) {
		name := l.Name
		if l.No != "" {
			name = l.No + ". " + l.Name
		}
		if err := add(rowSection, name); err != nil {
			return err
		}
		if l.Count == nil {
			continue
		}
		kind := rowAgency
		if l.Total {
			kind = rowTotal
		}
		for _, ind := range motcua.Indicators {
			r := ind.Rate(*l.Count)
			if err := add(kind, ind.Code, ind.Name, motcua.FormatCount(r.Num), motcua.FormatCount(r.Den), r.Percent(decimals, ","),
				ind.Score(*l.Count).String(",")); err != nil {
				return err
			}
		}
	}
	return d.writeTable(w, []pdfHeading{{title, "B", titleSize}, {t.Root.Name, "B", subtitleSize},
		{fmt.Sprintf("Hồ sơ tiếp nhận từ %s đến %s", from, to), "", subtitleSize}}, header, rows)
}
