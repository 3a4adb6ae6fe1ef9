package main

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
)

var queueTab = regexp.MustCompile(`<a href="(/can-bo/ho-so\?[^"]+)"`)

// TestProcessingOfficerDeskTabs: every tab of the processing officer's
// and the leader's desk (/can-bo/ho-so) opens; none answers "Bạn không
// có quyền" (issue 16 point 7).
func TestProcessingOfficerDeskTabs(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	for _, username := range []string{"xuly.thitran", "lanhdao.thitran", "tiepnhan.thitran"} {
		var o demo.DemoOfficer
		for _, d := range demo.Officers() {
			if d.Username == username {
				o = d
			}
		}
		b := officerLogin(t, ts, o.Username, o.Password, o.TOTPSecret)
		start := "/can-bo/ho-so"
		if username != "tiepnhan.thitran" {
			start += "?trang-thai=4" // the header's link
		}
		resp, body := b.get(ts.url + start)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %s = %d", username, start, resp.StatusCode)
		}
		tabs := queueTab.FindAllStringSubmatch(body, -1)
		if len(tabs) < 2 {
			t.Fatalf("%s: %d tabs on %s", username, len(tabs), start)
		}
		for _, m := range tabs {
			u := html.UnescapeString(m[1])
			resp, body := b.get(ts.url + u)
			if resp.StatusCode != 200 || strings.Contains(body, "Bạn không có quyền") {
				t.Errorf("%s: tab %s = %d %s", username, u, resp.StatusCode, firstLine(body, "<p class=\"alert"))
			}
		}
	}
}
