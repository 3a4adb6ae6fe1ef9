package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua"
)

// certificationBookHeader names the columns of the electronic
// certification book, as the paper book's columns read.
var certificationBookHeader = []string{"Số chứng thực", "Ngày, giờ chứng thực", "Họ tên người yêu cầu chứng thực",
	"Số định danh", "Tên bản chính giấy tờ, văn bản", "Mã giấy tờ bản chính", "Số trang", "Lệ phí (đồng)",
	"Người thực hiện chứng thực", "Mã bản sao điện tử"}

func certificationBookRow(e *motcua.CertificationEntry) []any {
	return []any{e.Number, e.CertifiedAt.In(motcua.VietnamLocation()).Format("15:04 02/01/2006"), e.RequesterName,
		e.RequesterCode, e.OriginalName, e.OriginalCode, e.Pages, e.FeeVND, e.OfficerName, e.DocumentCode}
}

// WriteCertificationBookCSV writes a year's book as CSV (UTF-8, the
// caller adds a BOM for Excel), one line per entry, by number.
func WriteCertificationBookCSV(w io.Writer, es []*motcua.CertificationEntry) error {
	cw := NewCSVWriter(w)
	if err := cw.Write(certificationBookHeader); err != nil {
		return err
	}
	for _, e := range es {
		row := certificationBookRow(e)
		rec := make([]string, len(row))
		for i, v := range row {
			switch v := v.(type) {
			case int:
				rec[i] = strconv.Itoa(v)
			case int64:
				rec[i] = strconv.FormatInt(v, 10)
			default:
				rec[i] = fmt.Sprint(v)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteCertificationBookXLSX writes a year's book as an Excel workbook:
// a title line, the header, then one row per entry with numbers as
// numbers.
func WriteCertificationBookXLSX(w io.Writer, agencyName string, year int, es []*motcua.CertificationEntry) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := fmt.Sprintf("Sổ chứng thực %d", year)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	title := fmt.Sprintf("SỔ CHỨNG THỰC BẢN SAO ĐIỆN TỬ TỪ BẢN CHÍNH — %s — năm %d", agencyName, year)
	if err := f.SetCellValue(sheet, "A1", title); err != nil {
		return err
	}
	header := make([]any, len(certificationBookHeader))
	for i, h := range certificationBookHeader {
		header[i] = h
	}
	if err := f.SetSheetRow(sheet, "A2", &header); err != nil {
		return err
	}
	if err := f.SetRowStyle(sheet, 1, 2, bold); err != nil {
		return err
	}
	for i, e := range es {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		row := certificationBookRow(e)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	_ = f.SetColWidth(sheet, "A", "A", 12)
	_ = f.SetColWidth(sheet, "B", "J", 24)
	return f.Write(w)
}
