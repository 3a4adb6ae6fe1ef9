package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua"
)

// indicatorTable is An Lão's Appendix I with every indicator's counts
// filled in for An Hòa (461 received); the totals keep the Appendix's.
func indicatorTable() *motcua.ReuseTable {
	t := anLaoTable()
	for i, r := range t.Sections[1].Rows {
		if r.Agency.Name == "UBND xã An Hòa" {
			c := &t.Sections[1].Rows[i].AgencyCount
			c.Online, c.Verified, c.Digitized, c.ResultExpected, c.EResult, c.Shared, c.Late = 300, 461, 400, 200, 150, 100, 7
		}
	}
	return t
}

func TestWriteIndicatorsCSV(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteIndicatorsCSV(&b, indicatorTable(), 2); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows[0]) != 2+4*7 {
		t.Fatalf("header = %v", rows[0])
	}
	for i, d := range motcua.Indicators {
		if rows[0][2+4*i] != "Chỉ số "+d.Code+" — tử số" || rows[0][5+4*i] != "Chỉ số "+d.Code+" — điểm" {
			t.Fatalf("header for %s = %v", d.Code, rows[0][2+4*i:6+4*i])
		}
	}
	var hoa []string
	for _, r := range rows {
		if r[1] == "UBND xã An Hòa" {
			hoa = r
		}
	}
	// 2.1: 454/461 = 98.48%; 3.3: 300/461 = 65.08%; 4.1: 150/200 = 75.00%;
	// 4.2: 400/461 = 86.77%, full score at 80%; 4.3: 66/461 = 14.32%,
	// 0.18 (14.32 ÷ 80); 4.4: 100/461 = 21.69%; 4.5: 461/461.
	want := "454|461|98.48|0.98|300|461|65.08|0.65|150|200|75.00|0.75|400|461|86.77|1.00|66|461|14.32|0.18|100|461|21.69|0.22|461|461|100.00|1.00"
	if got := strings.Join(hoa[2:], "|"); got != want {
		t.Fatalf("An Hòa = %s\nwant     %s", got, want)
	}
	last := rows[len(rows)-1]
	if last[1] != "Tổng cộng UBND huyện An Lão" || last[18] != "156" || last[19] != "3480" || last[20] != "4.48" || last[21] != "0.06" {
		t.Fatalf("grand total = %v", last)
	}
}

func TestWriteIndicatorsXLSX(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteIndicatorsXLSX(&b, indicatorTable(), 2); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Chỉ số 766")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rows[0][0], "766") || len(rows[1]) != 30 {
		t.Fatalf("title/header = %v / %v", rows[0], rows[1])
	}
	for _, r := range rows {
		if len(r) > 1 && r[1] == "UBND xã An Hòa" {
			if got := strings.Join(r[2:10], "|"); got != "454|461|98.48|0.98|300|461|65.08|0.65" {
				t.Fatalf("An Hòa = %v", r)
			}
			return
		}
	}
	t.Fatal("no An Hòa row")
}

func TestWriteIndicatorsPDF(t *testing.T) {
	t.Parallel()
	requirePoppler(t)
	var b bytes.Buffer
	if err := WriteIndicatorsPDF(&b, indicatorTable(), 2); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pages(t, b.Bytes()), "\n")
	for _, d := range motcua.Indicators {
		if !strings.Contains(text, d.Code) {
			t.Errorf("the PDF lacks indicator %s", d.Code)
		}
	}
	for _, want := range []string{"CÁC CHỈ SỐ ĐÁNH GIÁ THEO QUYẾT ĐỊNH 766/QĐ-TTg", "UBND xã An Hòa", "98,48", "0,98", "14,32", "0,18", "3.480", "Trang 1/"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
}
