package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
)

var docLine = regexp.MustCompile(`<span class="small doc-line">([^<]+)</span>`)

// TestSuggestionsCarryDistinction: the two e-certified copies the demo
// offers for the marriage's identity papers have the same name; each
// suggestion carries its distinguishing line (number, date, signer), and
// the lines differ (issue 16 point 7).
func TestSuggestionsCarryDistinction(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	b := newBrowser(t)
	b.loginAt(ts, "vneid", demo.Citizens()[0].Code, "motcua-demo")
	resp, _ := b.post(ts.url+"/nop-truc-tuyen/"+demo.ProcedureMarriage, url.Values{"agency": {demo.TownCode}, "case": {"TH01"}})
	m := draftPath.FindStringSubmatch(resp.Request.URL.Path)
	if m == nil {
		t.Fatalf("no draft: %d %s", resp.StatusCode, resp.Request.URL)
	}
	_, body := b.get(ts.url + m[0] + "?lay-tu-kho=TP03&tab=goi-y")
	lines := docLine.FindAllStringSubmatch(body, -1)
	if len(lines) != 2 {
		t.Fatalf("%d distinguishing lines on the suggestions, want 2:\n%s", len(lines), body)
	}
	if lines[0][1] == lines[1][1] {
		t.Errorf("the two suggestions read alike: %q", lines[0][1])
	}
	for _, l := range lines {
		if !strings.Contains(l[1], "Số ") || !strings.Contains(l[1], "cấp ngày ") || !strings.Contains(l[1], "ký bởi ") {
			t.Errorf("distinguishing line %q lacks the number, the date or the signer", l[1])
		}
	}
}
