package report

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/testenv"
)

// anLaoTable is seed 002's Appendix I: An Lão's units and communes with
// the Appendix's counts, received 01/01–20/03/2024.
func anLaoTable() *motcua.ReuseTable {
	root := demo.District()
	under := []*motcua.Agency{&root}
	for _, a := range append(demo.DistrictUnits(), demo.Communes()...) {
		under = append(under, &a)
	}
	var counts []motcua.AgencyCount
	for _, r := range demo.AppendixI() {
		counts = append(counts, motcua.AgencyCount{AgencyCode: r.AgencyCode, Received: int64(r.Received), Reused: int64(r.Reused)})
	}
	return motcua.BuildReuseTable(&root, under, counts, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 3, 21, 0, 0, 0, 0, time.UTC))
}

// longTable is a province-sized table: 5 district units and n communes.
func longTable(n int) *motcua.ReuseTable {
	root := &motcua.Agency{Code: "000.00.00.H08", Name: "UBND tỉnh Bình Định", Level: motcua.LevelProvince}
	under := []*motcua.Agency{root}
	var counts []motcua.AgencyCount
	for i := 1; i <= 5+n; i++ {
		a := &motcua.Agency{Code: fmt.Sprintf("000.%02d.%02d.H08", i/100, i%100), Level: motcua.LevelCommune, ParentCode: root.Code,
			Name: fmt.Sprintf("UBND xã Hưng Lộc %03d", i-5)}
		if i <= 5 {
			a.Level, a.Name = motcua.LevelDistrict, fmt.Sprintf("Phòng Tài nguyên và Môi trường số %d", i)
		}
		under = append(under, a)
		counts = append(counts, motcua.AgencyCount{AgencyCode: a.Code, Received: int64(i * 37 % 1000), Reused: int64(i % 23)})
	}
	return motcua.BuildReuseTable(root, under, counts, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
}

func renderPDF(t *testing.T, tab *motcua.ReuseTable) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteReusePDF(&b, tab, 2); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) || !bytes.Contains(b.Bytes()[max(0, b.Len()-32):], []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q…", b.Bytes()[:min(b.Len(), 32)])
	}
	return b.Bytes()
}

// requirePoppler skips when poppler's tools are missing, unless
// MOTCUA_REQUIRE_POPPLER=1 (CI, set by scripts/test), where that is a
// failure.
func requirePoppler(t *testing.T) {
	t.Helper()
	testenv.Commands(t, "MOTCUA_REQUIRE_POPPLER", "install the Debian package poppler-utils to read the PDF back",
		"pdftotext", "pdftoppm", "pdffonts")
}

// pdfFile writes the PDF to a temporary file for poppler's tools.
func pdfFile(t *testing.T, pdf []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "table.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// poppler runs one of poppler's tools and returns its standard output;
// any complaint about the file on standard error is a failure.
func poppler(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, errb.String())
	}
	if errb.Len() > 0 {
		t.Fatalf("%s complains about the PDF:\n%s", name, errb.String())
	}
	return out.Bytes()
}

// pages is the PDF's text as pdftotext -layout reads it, page by page.
func pages(t *testing.T, pdf []byte) []string {
	t.Helper()
	text := string(poppler(t, "pdftotext", "-layout", "-enc", "UTF-8", pdfFile(t, pdf), "-"))
	return strings.Split(strings.TrimSuffix(text, "\f"), "\f")
}

// rowOf returns the fields of the single text line holding name, after it.
func rowOf(t *testing.T, text, name string) []string {
	t.Helper()
	var found []string
	n := 0
	for _, l := range strings.Split(text, "\n") {
		if i := strings.Index(l, name); i >= 0 && (i+len(name) == len(l) || l[i+len(name)] == ' ') {
			found = strings.Fields(l[i+len(name):])
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d lines hold %q:\n%s", n, name, text)
	}
	return found
}

func TestWriteReusePDF(t *testing.T) {
	t.Parallel()
	pdf := renderPDF(t, anLaoTable())
	requirePoppler(t)
	ps := pages(t, pdf)
	if len(ps) != 1 {
		t.Fatalf("%d pages, want 1", len(ps))
	}
	text := ps[0]
	for _, want := range []string{"TỶ LỆ KHAI THÁC, SỬ DỤNG LẠI THÔNG TIN SỐ HÓA", "UBND huyện An Lão", "Từ 01/01/2024 đến 20/03/2024",
		"Cơ quan, đơn vị", "I. CẤP HUYỆN", "II. CẤP XÃ", "Trang 1/1"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	// Every unit and commune, spelled with its diacritics, on its own line
	// with its counts; counts and rates the Vietnamese way.
	want := map[string]string{
		"Phòng Tư pháp": "306 1 0,33",
		"Chi nhánh Văn phòng đăng ký đất đai huyện An Lão": "818 20 2,44",
		"Phòng Tài chính – Kế hoạch":                       "22 0 0,00",
		"Hạt Kiểm lâm huyện An Lão":                        "0 0 0,00",
		"UBND Thị trấn An Lão":                             "399 50 12,53",
		"UBND xã An Hòa":                                   "461 66 14,32",
		"UBND xã An Hưng":                                  "168 0 0,00",
		"UBND xã An Nghĩa":                                 "91 0 0,00",
		"Tổng cộng":                                        "3.480 156 4,48",
	}
	for _, a := range append(demo.DistrictUnits(), demo.Communes()...) {
		rowOf(t, text, a.Name)
	}
	for name, w := range want {
		if got := strings.Join(rowOf(t, text, name), " "); got != w {
			t.Errorf("%s: %q, want %q", name, got, w)
		}
	}
	sums := regexp.MustCompile(`(?m)^\s*Σ\s+Tổng số\s+(.*)$`).FindAllStringSubmatch(text, -1)
	if len(sums) != 2 || strings.Join(strings.Fields(sums[0][1]), " ") != "1.246 21 1,69" ||
		strings.Join(strings.Fields(sums[1][1]), " ") != "2.234 135 6,04" {
		t.Errorf("section totals = %q", sums)
	}
	// The font travels with the file: every font is embedded.
	fonts := strings.Split(strings.TrimSpace(string(poppler(t, "pdffonts", pdfFile(t, pdf)))), "\n")[2:]
	if len(fonts) == 0 {
		t.Fatal("pdffonts lists no font")
	}
	for _, f := range fonts {
		if fs := strings.Fields(f); len(fs) < 7 || fs[len(fs)-5] != "yes" {
			t.Errorf("font not embedded: %s", f)
		}
	}
}

// TestWriteReusePDFLongTable: a province's table runs over several pages,
// each with the header row and its number, and no row is lost or doubled
// at a page break.
func TestWriteReusePDFLongTable(t *testing.T) {
	t.Parallel()
	tab := longTable(250)
	pdf := renderPDF(t, tab)
	requirePoppler(t)
	ps := pages(t, pdf)
	if len(ps) < 2 {
		t.Fatalf("%d page(s) for 255 rows", len(ps))
	}
	var all strings.Builder
	for i, p := range ps {
		for _, want := range []string{"Cơ quan, đơn vị", "Tổng hồ sơ tiếp", fmt.Sprintf("Trang %d/%d", i+1, len(ps))} {
			if !strings.Contains(p, want) {
				t.Errorf("page %d lacks %q:\n%s", i+1, want, p)
			}
		}
		if strings.Contains(p, "TỶ LỆ KHAI THÁC") != (i == 0) {
			t.Errorf("page %d: the title belongs on the first page only", i+1)
		}
		all.WriteString(p)
	}
	text := all.String()
	last := -1
	for _, s := range tab.Sections {
		for _, r := range s.Rows {
			got := rowOf(t, text, r.Agency.Name)
			if want := []string{motcua.FormatCount(r.Received), motcua.FormatCount(r.Reused), r.Rate().Percent(2, ",")}; strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s: %v, want %v", r.Agency.Name, got, want)
			}
			at := strings.Index(text, r.Agency.Name+" ")
			if at < last {
				t.Errorf("%s out of order", r.Agency.Name)
			}
			last = at
		}
	}
	total := fmt.Sprintf("%s %s %s", motcua.FormatCount(tab.Total.Received), motcua.FormatCount(tab.Total.Reused), tab.Total.Rate().Percent(2, ","))
	if got := strings.Join(rowOf(t, ps[len(ps)-1], "Tổng cộng"), " "); got != total || tab.Total.Received < 1000 {
		t.Errorf("grand total %q, want %q", got, total)
	}
}

// pdfWord is a word pdftotext -bbox found, its box in points from the
// page's top left.
type pdfWord struct {
	xMin, yMin, xMax, yMax float64
	text                   string
}

// words returns the words of each page (1-based) up to last.
func words(t *testing.T, file string, last int) [][]pdfWord {
	t.Helper()
	bbox := strings.Split(string(poppler(t, "pdftotext", "-bbox", "-f", "1", "-l", strconv.Itoa(last), file, "-")), "<page ")
	if len(bbox) != last+1 {
		t.Fatalf("pdftotext -bbox read %d pages, want %d", len(bbox)-1, last)
	}
	re := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	out := make([][]pdfWord, last+1)
	for page := 1; page <= last; page++ {
		for _, m := range re.FindAllStringSubmatch(bbox[page], -1) {
			var v [4]float64
			for i := range v {
				v[i], _ = strconv.ParseFloat(m[i+1], 64)
			}
			out[page] = append(out[page], pdfWord{v[0], v[1], v[2], v[3], html.UnescapeString(m[5])})
		}
	}
	return out
}

// TestWriteReusePDFInk renders the pages and checks every word has dark
// ink in its box: text painted in a cell's shading would still be read
// back by pdftotext but be invisible on paper.
func TestWriteReusePDFInk(t *testing.T) {
	t.Parallel()
	pdf := renderPDF(t, longTable(60))
	requirePoppler(t)
	file := pdfFile(t, pdf)
	ws := words(t, file, 2)
	for page := 1; page <= 2; page++ {
		// At 72 dpi pdftoppm draws one pixel per point.
		out := poppler(t, "pdftoppm", "-r", "72", "-gray", "-png", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), file)
		img, err := png.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ws[page] {
			r := image.Rect(int(w.xMin+0.5), int(w.yMin+0.5), int(w.xMax+0.5), int(w.yMax+0.5))
			if darkest(img, r) > 100 {
				t.Errorf("page %d: %q is not legible (no dark ink in its box)", page, w.text)
			}
		}
		if len(ws[page]) < 100 {
			t.Errorf("page %d: only %d words", page, len(ws[page]))
		}
	}
}

// TestWriteReusePDFWrapsLongNames: a name longer than its column wraps
// inside it, even a word too long for a line.
func TestWriteReusePDFWrapsLongNames(t *testing.T) {
	t.Parallel()
	long := "Ban Quản lý dự án đầu tư xây dựng và phát triển quỹ đất huyện An Lão, tỉnh Bình Định (cơ sở Nghĩa Đức)"
	word := "Đ" + strings.Repeat("ư", 70)
	tab := anLaoTable()
	tab.Sections[0].Rows[0].Agency = &motcua.Agency{Name: long}
	tab.Sections[0].Rows[1].Agency = &motcua.Agency{Name: word}
	pdf := renderPDF(t, tab)
	requirePoppler(t)
	const mm = 72 / 25.4
	nameFrom, nameTo := (pageMargin+pdfColumns[0])*mm, (pageMargin+pdfColumns[0]+pdfColumns[1])*mm
	// The district section lies between its title "I. CẤP HUYỆN" and its
	// "Σ" row.
	ws := words(t, pdfFile(t, pdf), 1)[1]
	top, bottom := -1.0, -1.0
	for _, w := range ws {
		if w.text == "HUYỆN" && top < 0 {
			top = w.yMax
		}
		if w.text == "Σ" && bottom < 0 {
			bottom = w.yMin
		}
	}
	if top < 0 || bottom < top {
		t.Fatalf("no district section between %.1f and %.1f", top, bottom)
	}
	var name []string
	for _, w := range ws {
		if w.yMin < top || w.yMax > bottom || w.xMin < nameFrom || w.xMin > nameTo {
			continue
		}
		if w.xMax > nameTo {
			t.Errorf("%q runs over its column (%.1f > %.1f pt)", w.text, w.xMax, nameTo)
		}
		name = append(name, w.text)
	}
	got := strings.Join(name, " ")
	if !strings.Contains(got, long) {
		t.Errorf("names column reads %q", got)
	}
	if !strings.Contains(strings.ReplaceAll(got, " ", ""), word) {
		t.Errorf("the long word is lost: %q", got)
	}
	if text := pages(t, pdf)[0]; !strings.Contains(text, "306") || !strings.Contains(text, "0,33") {
		t.Errorf("the wrapped row lost its figures:\n%s", text)
	}
}

func darkest(img image.Image, r image.Rectangle) uint8 {
	d := uint8(255)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if g, _, _, _ := img.At(x, y).RGBA(); uint8(g>>8) < d {
				d = uint8(g >> 8)
			}
		}
	}
	return d
}

func TestPaginate(t *testing.T) {
	t.Parallel()
	row := func(kind pdfRowKind, h float64) pdfRow { return pdfRow{kind: kind, height: h} }
	// 10 + 30 on the first page (title 60 of 100); the section title would
	// be alone at the bottom of the second page, so it opens the third.
	rows := []pdfRow{row(rowAgency, 10), row(rowAgency, 30), row(rowAgency, 50), row(rowAgency, 40),
		row(rowSection, 8), row(rowAgency, 10), row(rowTotal, 10), row(rowAgency, 150), row(rowTotal, 10)}
	got := fmt.Sprint(paginate(rows, 100, 60))
	if want := "[{0 2} {2 4} {4 7} {7 8} {8 9}]"; got != want {
		t.Fatalf("pages = %s, want %s", got, want)
	}
	if got := fmt.Sprint(paginate(nil, 100, 60)); got != "[{0 0}]" {
		t.Fatalf("empty table: %s", got)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteReusePDFWriteError(t *testing.T) {
	t.Parallel()
	if err := WriteReusePDF(failingWriter{}, anLaoTable(), 2); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
}
