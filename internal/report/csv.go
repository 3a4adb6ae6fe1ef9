// Package report renders the monitors' tables for download: CSV now, the
// Appendix I layout of seed 002.
package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
)

// ReuseHeader is Appendix I's header row.
var reuseHeader = []string{"TT", "Cơ quan, đơn vị", "Tổng hồ sơ tiếp nhận", "Hồ sơ sử dụng lại dữ liệu số hóa",
	"Tỷ lệ khai thác, sử dụng lại thông tin số hóa (%)"}

// WriteReuseCSV writes the table in the Appendix I layout: a title row per
// section, its agencies, its "Σ Tổng số" row, and the grand total. Numbers
// are plain and the decimal separator is a dot, for spreadsheets.
func WriteReuseCSV(w io.Writer, t *motcua.ReuseTable, decimals int) error {
	cw := NewCSVWriter(w)
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

// CSVWriter writes CSV meant to be opened in a spreadsheet. It is the one
// CSV writer of every export (reports, the certification book, the import
// rejects): a test fails when another package writes CSV itself.
//
// Cells that a spreadsheet would read as a formula — starting with =, +,
// -, @, a tab or a carriage return (OWASP, "CSV injection") — get a single
// quote in front, so that Excel and LibreOffice show them as text. Plain
// decimal numbers ("-12", "+3", "-1.5", "12,5") are left as they are: a
// number is never a formula, and the numeric columns (counts, rates, fees)
// must stay numbers. Whatever else starts with one of those characters —
// names, free text, file names, messages — is quoted, whoever wrote it.
type CSVWriter struct {
	w *csv.Writer
}

// NewCSVWriter writes to w.
func NewCSVWriter(w io.Writer) *CSVWriter { return &CSVWriter{w: csv.NewWriter(w)} }

// Write writes one record, its cells neutralised.
func (c *CSVWriter) Write(rec []string) error {
	out := make([]string, len(rec))
	for i, cell := range rec {
		out[i] = SafeCSVCell(cell)
	}
	return c.w.Write(out)
}

// Flush writes buffered data to the underlying writer.
func (c *CSVWriter) Flush() { c.w.Flush() }

// Error reports an error of an earlier Write or Flush.
func (c *CSVWriter) Error() error { return c.w.Error() }

// SafeCSVCell returns cell as a spreadsheet shows it as text: with a
// leading single quote when it starts with a formula character and is not
// a plain decimal number.
func SafeCSVCell(cell string) string {
	if cell == "" || !strings.ContainsRune("=+-@\t\r", rune(cell[0])) || plainNumber(cell) {
		return cell
	}
	return "'" + cell
}

// plainNumber reports whether s is an optionally signed decimal number:
// digits with at most one decimal point or comma between digits.
func plainNumber(s string) bool {
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	digits, sep := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case (c == '.' || c == ',') && !sep && digits > 0 && i < len(s)-1:
			sep = true
		default:
			return false
		}
	}
	return digits > 0
}
