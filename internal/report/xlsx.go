package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua"
)

// WriteReuseXLSX writes the table as an Excel workbook in the Appendix I
// layout, with counts as numbers and rates as numbers formatted to the
// given decimals (computed from the exact counts, rounded half up).
func WriteReuseXLSX(w io.Writer, t *motcua.ReuseTable, decimals int) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Phụ lục I"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	numFmt := "0"
	if decimals > 0 {
		numFmt = "0." + fmt.Sprintf("%0*d", decimals, 0)
	}
	rateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt})
	if err != nil {
		return err
	}
	title := fmt.Sprintf("TỶ LỆ KHAI THÁC, SỬ DỤNG LẠI THÔNG TIN SỐ HÓA — %s, từ %s đến %s", t.Root.Name,
		motcua.DateOf(t.From).Display(), motcua.DateOf(t.To.AddDate(0, 0, -1)).Display())
	rows := [][]any{{title}, reuseHeaderAny()}
	rowStyles := map[int]int{1: bold, 2: bold}
	line := func(no, name string, r motcua.ReuseRow) []any {
		rate, _ := parseRate(r.Rate().Percent(decimals, "."))
		return []any{no, name, r.Received, r.Reused, rate}
	}
	for _, s := range t.Sections {
		rows = append(rows, []any{s.Title})
		rowStyles[len(rows)] = bold
		for _, r := range s.Rows {
			rows = append(rows, line(fmt.Sprint(r.No), r.Agency.Name, r))
		}
		rows = append(rows, line("Σ", "Tổng số", s.Total))
		rowStyles[len(rows)] = bold
	}
	rows = append(rows, line("", "Tổng cộng", t.Total))
	rowStyles[len(rows)] = bold
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
		if len(r) == 5 && i >= 2 {
			e, _ := excelize.CoordinatesToCellName(5, i+1)
			if err := f.SetCellStyle(sheet, e, e, rateStyle); err != nil {
				return err
			}
		}
	}
	for row, style := range rowStyles {
		a, _ := excelize.CoordinatesToCellName(1, row)
		e, _ := excelize.CoordinatesToCellName(4, row)
		if err := f.SetCellStyle(sheet, a, e, style); err != nil {
			return err
		}
	}
	for col, width := range map[string]float64{"A": 6, "B": 48, "C": 18, "D": 22, "E": 26} {
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return err
		}
	}
	return f.Write(w)
}

func reuseHeaderAny() []any {
	out := make([]any, len(reuseHeader))
	for i, h := range reuseHeader {
		out[i] = h
	}
	return out
}

func parseRate(s string) (float64, error) {
	var v float64
	_, err := fmt.Sscanf(s, "%g", &v)
	return v, err
}
