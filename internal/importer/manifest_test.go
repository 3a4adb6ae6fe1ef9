package importer

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

const header = "file,owner_id,owner_name,category,result_code,decision_number,summary,issuing_agency,issue_date\n"

func TestManifestRead(t *testing.T) {
	t.Parallel()
	// BOM, columns in another order and upper case, optional columns left
	// out, a quoted field over two lines, a blank line.
	in := "\ufeffResult_Code, FILE ,owner_id,owner_name,category,issuing_agency,issue_date\n" +
		"052090000495.KQ.G15.000031.KS-1,a/1.pdf,052090000495,\"Trần Văn\nHùng\",KQ.G15.000031,000.23.01.H08,15/03/2023\n" +
		"\n" +
		"  052090000495.KQ.G15.000031.KS-2 ,b.pdf,052090000495,Trần Văn Hùng,KQ.G15.000031,000.23.01.H08,2023-03-16\n" +
		"052090000495.KQ.G15.000031.KS-1,c.pdf,052090000495,Trần Văn Hùng,KQ.G15.000031,000.23.01.H08,2023-03-16\n" +
		"only,three,fields\n"
	rows, err := ReadManifest(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows: %+v", len(rows), rows)
	}
	r := rows[0]
	if r.Line != 2 || r.File != "a/1.pdf" || r.OwnerName != "Trần Văn\nHùng" || r.ResultCode != "052090000495.KQ.G15.000031.KS-1" ||
		r.IssuingAgency != "000.23.01.H08" || r.IssueDate != "15/03/2023" || r.Summary != "" || r.problem != nil {
		t.Errorf("row 1: %+v", r)
	}
	if r := rows[1]; r.Line != 5 || r.ResultCode != "052090000495.KQ.G15.000031.KS-2" || r.problem != nil {
		t.Errorf("row 2 (after a two-line field and a blank line): %+v", r)
	}
	if r := rows[2]; r.Line != 6 || r.problem == nil || r.problem.Reason != "duplicate_result_code" ||
		!strings.Contains(r.problem.Message, "dòng 2") {
		t.Errorf("repeated code: %+v %+v", r, r.problem)
	}
	if r := rows[3]; r.Line != 7 || r.problem == nil || r.problem.Reason != "invalid_row" {
		t.Errorf("short row: %+v %+v", r, r.problem)
	}
}

func TestManifestErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		line     int
		want     string
	}{
		{"empty", "", 0, "empty"},
		{"unknown column", "file,owner_id,owner_name,category,result_code,issuing_agency,issue_date,notes\n", 1, `unknown column "notes"`},
		{"misspelt optional column", strings.Replace(header, "summary", "sumary", 1), 1, `unknown column "sumary"`},
		{"duplicate column", "file,File,owner_id\n", 1, `column "file" appears twice`},
		{"missing columns", "file,owner_id,category\n", 1, "missing column(s) owner_name,result_code,issuing_agency,issue_date"},
		{"bad quote", header + "a.pdf,1,\"x\"y,c,r,d,s,a,2024-01-01\n", 2, "quote"},
		{"not UTF-8", header + "a.pdf,1,Tr\xe2n,c,r,d,s,a,2024-01-01\n", 2, "UTF-8"},
		{"semicolons", "file;owner_id;owner_name\n", 1, "unknown column"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := ReadManifest(strings.NewReader(c.in))
			var me *ManifestError
			if !errors.As(err, &me) || me.Line != c.line || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want a manifest error at line %d with %q", err, c.line, c.want)
			}
		})
	}
	// A header alone is a valid, empty manifest.
	if rows, err := ReadManifest(strings.NewReader(header)); err != nil || len(rows) != 0 {
		t.Fatalf("header only: %v %v", rows, err)
	}
}

func TestImportProgressLine(t *testing.T) {
	t.Parallel()
	start := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	s := Stats{Total: 10000, Imported: 1200, Skipped: 31, Rejected: 3, Started: start, Now: start.Add(30 * time.Second)}
	if got, want := ProgressLine(s, 45), "Đang nhập: 1234/10000 (12,3%) · 45 tệp/giây · bị từ chối: 3 · còn lại ~3 phút"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := ProgressLine(Stats{Total: 7}, 0); got != "Đang nhập: 0/7 (0,0%) · bị từ chối: 0" {
		t.Errorf("before any rate: %q", got)
	}
	for d, want := range map[time.Duration]string{
		3 * time.Second: "5 giây", 42 * time.Second: "45 giây", 58 * time.Second: "1 phút", 3*time.Minute + 10*time.Second: "3 phút",
		2*time.Hour + 4*time.Minute + 50*time.Second: "2 giờ 5 phút", 2*time.Hour + 59*time.Minute + 50*time.Second: "3 giờ",
	} {
		if got := approxDuration(d); got != want {
			t.Errorf("approxDuration(%v) = %q, want %q", d, got, want)
		}
	}

	// The terminal line is redrawn at most five times a second.
	var out bytes.Buffer
	p := NewTerminalProgress(&out)
	for i := range 100 {
		s := Stats{Total: 100, Imported: i + 1, Started: start, Now: start.Add(time.Duration(i) * 10 * time.Millisecond)}
		p.Update(s)
	}
	p.Finish(Stats{})
	if n := strings.Count(out.String(), "Đang nhập"); n != 5 {
		t.Errorf("%d redraws in one second, want 5:\n%q", n, out.String())
	}
	if !strings.HasSuffix(out.String(), "\r\x1b[K") {
		t.Errorf("line not cleared at the end: %q", out.String())
	}
}

func TestImportSummary(t *testing.T) {
	t.Parallel()
	start := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	s := &Summary{Stats: Stats{Total: 20, Imported: 10, Skipped: 2, Rejected: 3, Started: start, Now: start.Add(4 * time.Second)},
		Interrupted: true, Reasons: []ReasonCount{{Rejection{"unsigned", "Tài liệu chưa được ký số."}, 3}}}
	var out bytes.Buffer
	if err := s.WriteSummary(&out, "/tmp/r.csv"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"đã xử lý 15/20 dòng trong 4,00 giây (3,8 dòng/giây)", "Đã nhập vào kho:            10",
		"Đã có trong kho, bỏ qua:    2", "Bị từ chối:                 3", "Chưa xử lý:                 5",
		"unsigned (3 dòng), ví dụ: Tài liệu chưa được ký số.", "/tmp/r.csv", "Chạy lại đúng lệnh này"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}
