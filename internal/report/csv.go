// Package report renders the monitors' tables for download: CSV now, the
// Appendix I layout of seed 002.
package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/motcua/motcua"
)

// ReuseHeader is Appendix I's header row.
var reuseHeader = []string{"TT", "Cơ quan, đơn vị", "Tổng hồ sơ tiếp nhận", "Hồ sơ sử dụng lại dữ liệu số hóa",
	"Tỷ lệ khai thác, sử dụng lại thông tin số hóa (%)"}

// WriteReuseCSV writes the table in the Appendix I layout: a title row per
// section, its agencies, its "Σ Tổng số" row, and the grand total. Numbers
// are plain and the decimal separator is a dot, for spreadsheets.
func WriteReuseCSV(w io.Writer, t *motcua.ReuseTable, decimals int) error {
	cw := csv.NewWriter(w)
	row := func(no, name string, r motcua.ReuseRow) []string {
		return []string{no, name, strconv.FormatInt(r.Received, 10), strconv.FormatInt(r.Reused, 10), r.Rate().Percent(decimals, ".")}
	}
	if err := cw.Write(reuseHeader); err != nil {
		return err
	}
	for _, s := range t.Sections {
		if err := cw.Write([]string{s.Title, "", "", "", ""}); err != nil {
			return err
		}
		for _, r := range s.Rows {
			if err := cw.Write(row(strconv.Itoa(r.No), r.Agency.Name, r)); err != nil {
				return err
			}
		}
		if err := cw.Write(row("Σ", "Tổng số", s.Total)); err != nil {
			return err
		}
	}
	if err := cw.Write(row("", "Tổng cộng "+t.Root.Name, t.Total)); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
