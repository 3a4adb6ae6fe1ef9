package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
)

// TestReceptionDesk: the demo reception officer opens the agency's
// received dossiers, is refused a supplement request without a reason
// (the message says why, nothing changes), asks with a reason, and the
// dossier's page shows the new status and the history.
func TestReceptionDesk(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--demo-history", "--data-dir", t.TempDir())
	desk := townOfficer(t, "reception")
	b := officerLogin(t, ts, desk.Username, desk.Password, desk.TOTPSecret)
	resp, body := b.get(ts.url + "/tai-khoan")
	if !strings.Contains(body, `href="/can-bo/ho-so"`) {
		t.Fatalf("account page has no link to the queue: %d", resp.StatusCode)
	}
	resp, body = b.get(ts.url + "/can-bo/ho-so?trang-thai=2")
	m := regexp.MustCompile(`href="/can-bo/ho-so/([^"]+)"`).FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("queue of received dossiers: %d\n%s", resp.StatusCode, body)
	}
	code := m[1]
	if !strings.HasPrefix(code, demo.TownCode+"-") {
		t.Fatalf("queue shows another agency's dossier %s", code)
	}
	resp, body = b.get(ts.url + "/can-bo/ho-so/" + code)
	if resp.StatusCode != 200 || !strings.Contains(body, "Yêu cầu bổ sung") || !strings.Contains(body, "Chuyển xử lý") {
		t.Fatalf("dossier page: %d\n%s", resp.StatusCode, body)
	}
	resp, body = b.post(ts.url+"/can-bo/ho-so/"+code+"/trang-thai", url.Values{"to": {"5"}, "note": {""}})
	if resp.StatusCode != 422 || !strings.Contains(body, "Vui lòng nhập lý do") {
		t.Fatalf("supplement without a reason: %d", resp.StatusCode)
	}
	resp, body = b.post(ts.url+"/can-bo/ho-so/"+code+"/trang-thai", url.Values{"to": {"5"}, "note": {"Bổ sung bản sao giấy khai sinh"}})
	if resp.StatusCode != 200 || !strings.Contains(body, "Đã chuyển hồ sơ sang trạng thái") ||
		!strings.Contains(body, "Bổ sung bản sao giấy khai sinh") {
		t.Fatalf("supplement: %d\n%s", resp.StatusCode, body)
	}
	// The printable receipt.
	if resp, body := b.get(ts.url + "/can-bo/ho-so/" + code + "/phieu.pdf"); resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") ||
		resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("receipt pdf: %d %.20q", resp.StatusCode, body)
	}
	// Another agency's officer does not see it.
	for _, o := range demo.Officers() {
		if o.Roles[0] == "processing" && o.AgencyCode != demo.TownCode {
			other := officerLogin(t, ts, o.Username, o.Password, o.TOTPSecret)
			if resp, _ := other.get(ts.url + "/can-bo/ho-so/" + code); resp.StatusCode != 404 {
				t.Fatalf("another agency's officer opens the dossier: %d", resp.StatusCode)
			}
		}
	}
}
