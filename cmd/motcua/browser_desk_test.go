package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/browsertest"
	"github.com/motcua/motcua/internal/demo"
)

// applyJudicialRecordOnline submits, for a demo citizen, an online
// application for a judicial record at Phòng Tư pháp (the identity paper
// from the warehouse, the form scanned) and returns the dossier's code.
func applyJudicialRecordOnline(t *testing.T, citizen *apiClient) string {
	t.Helper()
	status, draft, raw := citizen.do("POST", "/api/v1/dossiers/drafts",
		jsonBody(map[string]string{"procedure": demo.ProcedureJudicialRecord, "case": "TH01", "agency": demo.JusticeOfficeCode}), "application/json")
	if status != 201 {
		t.Fatalf("draft: %d %s", status, raw)
	}
	base := "/api/v1/dossiers/drafts/" + draft["id"].(string)
	_, matches, raw := citizen.do("GET", base+"/matches", nil, "")
	var id string
	for _, m := range matches["components"].([]any) {
		if mj := m.(map[string]any); mj["component_id"] == "TP02" {
			if auto, ok := mj["auto_attached"].(map[string]any); ok {
				id = auto["id"].(string)
			} else if s := mj["suggestions"].([]any); len(s) > 0 {
				id = s[0].(map[string]any)["id"].(string)
			}
		}
	}
	if id == "" {
		t.Fatalf("no identity paper in the warehouse: %s", raw)
	}
	if status, _, raw := citizen.do("PUT", base+"/components/TP02", jsonBody(map[string]string{"document_id": id}), "application/json"); status != 200 {
		t.Fatalf("take from warehouse: %d %s", status, raw)
	}
	body, ct := multipartBody(t, nil, demo.SampleUnsigned())
	if status, _, raw := citizen.do("PUT", base+"/components/TP01", body, ct); status != 200 {
		t.Fatalf("scan: %d %s", status, raw)
	}
	status, dossier, raw := citizen.do("POST", base+"/submit", nil, "")
	if status != 201 || dossier["agency"] != demo.JusticeOfficeCode || dossier["status"] != float64(1) {
		t.Fatalf("submit: %d %s", status, raw)
	}
	return dossier["code"].(string)
}

// TestBrowserDistrictDesk is issue 16 point 8 in Chromium: an online
// judicial-record dossier of Phòng Tư pháp (which has no reception
// officer) is received at the district's one-stop desk by tiepnhan.huyen
// and forwarded; Phòng Tư pháp's processing officer finds it in
// processing, and the town's desk does not see it.
func TestBrowserDistrictDesk(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ts := startServer(t, "--demo", "--demo-history=false", "--data-dir", t.TempDir())
	citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, demo.Citizens()[0].Code)}
	code := applyJudicialRecordOnline(t, citizen)
	link := `a[href="/can-bo/ho-so/` + code + `"]`

	browserOfficerLogin(b, ts, officerNamed(t, "tiepnhan.huyen"))
	b.Navigate(ts.url + "/can-bo/ho-so")
	b.Do("wait for the queue", chromedp.WaitVisible(chromedp.CSS("main")))
	b.Page("desk-queue")
	if b.Count(link) != 1 {
		b.Fatalf("the district desk's queue does not list %s:\n%s", code, b.Text("main"))
	}
	b.Follow(link)
	b.Do("wait for the dossier", chromedp.WaitVisible(chromedp.CSS(`form[action$="/trang-thai"]`)))
	b.Follow(`form[action$="/trang-thai"]:has(input[name=to][value="2"]) button`)
	b.Page("desk-received")
	if text := b.Text("main"); !strings.Contains(text, "Được tiếp nhận") || !strings.Contains(text, "Phòng Tư pháp") {
		b.Fatalf("received at the district desk:\n%s", text)
	}
	b.Follow(`form[action$="/trang-thai"]:has(input[name=to][value="4"]) button`)
	if text := b.Text("main"); !strings.Contains(text, "Đang xử lý") {
		b.Fatalf("not forwarded:\n%s", text)
	}

	// Phòng Tư pháp processes it.
	browserOfficerLogin(b, ts, officerNamed(t, "xuly.tuphap"))
	b.Navigate(ts.url + "/can-bo/ho-so?trang-thai=4")
	b.Do("wait for the queue", chromedp.WaitVisible(chromedp.CSS("main")))
	if b.Count(link) != 1 {
		b.Fatalf("Phòng Tư pháp's processing queue does not list %s:\n%s", code, b.Text("main"))
	}

	// The town's desk neither lists nor opens it.
	browserOfficerLogin(b, ts, officerNamed(t, "tiepnhan.thitran"))
	b.Navigate(ts.url + "/can-bo/ho-so?trang-thai=4")
	b.Do("wait for the queue", chromedp.WaitVisible(chromedp.CSS("main")))
	if b.Count(link) != 0 {
		b.Fatalf("the town's desk lists Phòng Tư pháp's dossier %s", code)
	}
	b.Navigate(ts.url + "/can-bo/ho-so/" + code)
	if text := b.Text("main"); strings.Contains(text, "Được tiếp nhận") || strings.Contains(text, "Đang xử lý") && strings.Contains(text, code) {
		b.Fatalf("the town's desk opens Phòng Tư pháp's dossier:\n%s", text)
	}
}
