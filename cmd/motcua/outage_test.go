package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pgtest"
	"github.com/motcua/motcua/internal/popdb/popdbsim"
)

// setPopdbOutage switches the demo server's population database simulator
// (mounted at /dev-popdb) into or out of its outage (docs/popdb.md).
func setPopdbOutage(t *testing.T, ts *testServer, on bool) {
	t.Helper()
	body := `{"enabled":false}`
	if on {
		body = `{"enabled":true}`
	}
	req, _ := http.NewRequest("POST", ts.url+"/dev-popdb/admin/outage", strings.NewReader(body))
	req.SetBasicAuth(popdbsim.DefaultClientID, popdbsim.DefaultClientSecret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("set outage %t: %d", on, resp.StatusCode)
	}
}

// identityCheckOf returns the identity_check object of a dossier JSON.
func identityCheckOf(t *testing.T, dossier map[string]any, raw []byte) map[string]any {
	t.Helper()
	ic, ok := dossier["identity_check"].(map[string]any)
	if !ok {
		t.Fatalf("no identity_check in %s", raw)
	}
	return ic
}

// waitIdentityCheck polls the agency's view of a dossier until its
// identity check has the wanted recheck state. The re-check job runs in
// the background, so the test waits for its outcome rather than for a
// time; the deadline only bounds a hung test.
func waitIdentityCheck(t *testing.T, desk *apiClient, code, recheck string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		status, d, raw := desk.do("GET", "/api/v1/agency/dossiers/"+url.PathEscape(code), nil, "")
		if status != 200 {
			t.Fatalf("agency dossier: %d %s", status, raw)
		}
		if ic := identityCheckOf(t, d, raw); ic["recheck"] == recheck {
			return ic
		}
		if time.Now().After(deadline) {
			t.Fatalf("identity check of %s never reached recheck=%q: %s", code, recheck, raw)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var counterDraftID = regexp.MustCompile(`/can-bo/tiep-nhan/([0-9a-f]+)/tiep-nhan`)

// counterReceive opens a counter draft with form and receives it at once,
// returning the dossier code.
func counterReceive(t *testing.T, ts *testServer, b *browser, form url.Values) string {
	t.Helper()
	resp, body := b.post(ts.url+"/can-bo/tiep-nhan", form)
	m := counterDraftID.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("counter draft: %d\n%s", resp.StatusCode, body)
	}
	resp, body = b.post(ts.url+"/can-bo/tiep-nhan/"+m[1]+"/tiep-nhan", url.Values{})
	prefix := "/can-bo/ho-so/" + demo.TownCode + "-"
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Request.URL.Path, prefix) {
		t.Fatalf("receive: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	code, _ := url.PathUnescape(strings.TrimPrefix(resp.Request.URL.Path, "/can-bo/ho-so/"))
	return code
}

// TestPopulationOutage (issue 16): with the population database down,
// online submission keeps the draft and answers 503 popdb_unavailable
// until it is back; the counter officer receives after a manual
// verification with a reason, the dossier is flagged in both dossier
// endpoints, and the durable re-check job clears the flag once the
// database answers — also after a restart — or raises an alert when it
// finds a mismatch.
func TestPopulationOutage(t *testing.T) {
	t.Parallel()
	run := func(t *testing.T, args ...string) {
		args = append([]string{"--demo", "--identity-recheck-interval", "50ms"}, args...)
		ts := startServer(t, args...)
		citizen := demo.Citizens()[0]
		citizenBrowser := newBrowser(t)
		if resp, body := citizenBrowser.loginAt(ts, "vneid", citizen.Code, "motcua-demo"); resp.Request.URL.Path != "/tai-khoan" {
			t.Fatalf("login %s: %s", citizen.Code, body)
		}
		me := &apiClient{t: t, base: ts.url, token: sessionCookie(t, ts, citizenBrowser)}
		deskOfficer := townOfficer(t, "reception")
		deskBrowser := officerLogin(t, ts, deskOfficer.Username, deskOfficer.Password, deskOfficer.TOTPSecret)
		deskToken := sessionCookie(t, ts, deskBrowser)
		desk := &apiClient{t: t, base: ts.url, token: deskToken}

		// Online: a draft made while the database answers.
		draftBody := `{"procedure":"` + demo.ProcedureMarriage + `","case":"TH01","agency":"` + demo.TownCode + `"}`
		status, draft, raw := me.do("POST", "/api/v1/dossiers/drafts", strings.NewReader(draftBody), "application/json")
		if status != 201 {
			t.Fatalf("draft: %d %s", status, raw)
		}
		base := "/api/v1/dossiers/drafts/" + draft["id"].(string)
		body, ct := multipartBody(t, nil, demo.SampleUnsigned())
		if status, _, raw := me.do("PUT", base+"/components/TP01", body, ct); status != 200 {
			t.Fatalf("scanned form: %d %s", status, raw)
		}
		_, matches, _ := me.do("GET", base+"/matches", nil, "")
		sug := matches["components"].([]any)[2].(map[string]any)["suggestions"].([]any)
		pick := `{"document_id":"` + sug[0].(map[string]any)["id"].(string) + `"}`
		if status, _, raw := me.do("PUT", base+"/components/TP03", strings.NewReader(pick), "application/json"); status != 200 {
			t.Fatalf("take from warehouse: %d %s", status, raw)
		}

		setPopdbOutage(t, ts, true)
		status, prob, raw := me.do("POST", base+"/submit", strings.NewReader(`{"result_method":"online"}`), "application/json")
		detail, _ := prob["detail"].(string)
		if status != 503 || prob["code"] != "popdb_unavailable" || !strings.Contains(detail, "đã được lưu") ||
			!strings.Contains(detail, "thử") || strings.Contains(detail, "Chỉnh sửa") || strings.Contains(detail, "Bộ phận Tiếp nhận") {
			t.Fatalf("submit during the outage: %d %s", status, raw)
		}
		// The same on the portal's submit button.
		resp, page := citizenBrowser.post(ts.url+"/ho-so-nhap/"+draft["id"].(string)+"/nop", url.Values{"result_method": {"online"}})
		if resp.StatusCode != 503 || !strings.Contains(page, "Hồ sơ của bạn đã được lưu") || strings.Contains(page, "Chỉnh sửa”") {
			t.Fatalf("portal submit during the outage: %d\n%s", resp.StatusCode, page)
		}
		// The draft is kept as it was.
		status, kept, raw := me.do("GET", base, nil, "")
		if status != 200 || kept["dossier_id"] != nil || !strings.Contains(string(raw), `"TP01"`) || !strings.Contains(string(raw), `"TP03"`) {
			t.Fatalf("draft after the refused submission: %d %s", status, raw)
		}
		if status, prob, raw := me.do("POST", "/api/v1/dossiers/drafts", strings.NewReader(draftBody), "application/json"); status != 503 ||
			prob["code"] != "popdb_unavailable" || !strings.Contains(prob["detail"].(string), "thử lại sau") {
			t.Fatalf("new draft during the outage: %d %s", status, raw)
		}

		// Registration is deferred, with a message saying so.
		reg := newBrowser(t)
		resp, page = reg.post(ts.url+"/dang-ky", url.Values{"full_name": {"Trần Văn Hùng"}, "personal_id": {demo.GuideCitizenID},
			"birth_date": {"15/03/1990"}, "phone": {"0905123499"}, "password": {"Mat-khau-rat-dai-2026"}, "password_confirm": {"Mat-khau-rat-dai-2026"}})
		if resp.StatusCode != 503 || !strings.Contains(page, "Tài khoản chưa được tạo") || !strings.Contains(page, "đăng ký lại sau") {
			t.Fatalf("registration during the outage: %d\n%s", resp.StatusCode, page)
		}

		// Counter: the identity check and the reception form tell the
		// officer what to do instead of sending them to themselves.
		resp, page = deskBrowser.post(ts.url+"/can-bo/kiem-tra-danh-tinh", url.Values{"full_name": {"Trần Văn Hùng"},
			"id_number": {demo.GuideCitizenID}, "birth_date": {"15/03/1990"}})
		if resp.StatusCode != 503 || !strings.Contains(page, "Đối chiếu thủ công với giấy tờ bản gốc") || strings.Contains(page, "đến Bộ phận Tiếp nhận") ||
			!strings.Contains(page, "doi-chieu-thu-cong=1") {
			t.Fatalf("counter check during the outage: %d\n%s", resp.StatusCode, page)
		}
		if _, page := deskBrowser.get(ts.url + "/can-bo/tiep-nhan?full_name=Tr%E1%BA%A7n&id_number=" + demo.GuideCitizenID + "&doi-chieu-thu-cong=1"); !strings.Contains(page, `name="manual_reason"`) {
			t.Fatalf("the reception form reached from the check does not offer the manual verification:\n%s", page)
		}
		form := url.Values{"choice": {demo.ProcedureMarriage + "|TH01"}, "full_name": {"Trần Văn Hùng"}, "id_number": {demo.GuideCitizenID},
			"birth_date": {"15/03/1990"}}
		resp, page = deskBrowser.post(ts.url+"/can-bo/tiep-nhan", form)
		if resp.StatusCode != 503 || !strings.Contains(page, `name="manual"`) || !strings.Contains(page, `name="manual_reason"`) {
			t.Fatalf("counter reception during the outage: %d\n%s", resp.StatusCode, page)
		}
		form.Set("manual", "1")
		resp, page = deskBrowser.post(ts.url+"/can-bo/tiep-nhan", form)
		if resp.StatusCode != 422 || !strings.Contains(page, "Vui lòng ghi lý do đối chiếu thủ công") {
			t.Fatalf("manual verification without a reason: %d\n%s", resp.StatusCode, page)
		}
		reason := "CSDLQG về dân cư mất kết nối; đã đối chiếu CCCD bản gốc"
		form.Set("manual_reason", reason)
		code := counterReceive(t, ts, deskBrowser, form)
		_, page = deskBrowser.get(ts.url + "/can-bo/ho-so/" + url.PathEscape(code))
		if !strings.Contains(page, "Chưa đối chiếu CSDLQG về dân cư") || !strings.Contains(page, reason) {
			t.Fatalf("the dossier page does not show the flag:\n%s", page)
		}
		status, d, raw := desk.do("GET", "/api/v1/agency/dossiers/"+url.PathEscape(code), nil, "")
		ic := identityCheckOf(t, d, raw)
		manual, _ := ic["manual"].(map[string]any)
		if status != 200 || ic["method"] != "manual" || ic["by"] != deskOfficer.Username || ic["unconfirmed"] != true ||
			ic["recheck"] != "pending" || ic["checked_at"] == "" || manual == nil || manual["reason"] != reason {
			t.Fatalf("agency dossier during the outage: %d %s", status, raw)
		}
		// The owner sees the flag too (not the officer's reason).
		hung := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, demo.GuideCitizenID)}
		status, d, raw = hung.do("GET", "/api/v1/dossiers/"+url.PathEscape(code), nil, "")
		if ic := identityCheckOf(t, d, raw); status != 200 || ic["method"] != "manual" || ic["unconfirmed"] != true || ic["manual"] != nil {
			t.Fatalf("citizen's dossier during the outage: %d %s", status, raw)
		}
		// A claim the database will not confirm, let in by hand.
		lan := url.Values{"choice": {demo.ProcedureMarriage + "|TH01"}, "full_name": {"Trương Thị Ngọc Lan"}, "id_number": {"052187005519"},
			"birth_date": {"15/06/1987"}, "manual": {"1"}, "manual_reason": {reason}}
		wrong := counterReceive(t, ts, deskBrowser, lan)

		// Still down: the jobs stay pending across a restart.
		waitIdentityCheck(t, desk, code, "pending")
		if err := ts.stop(); err != nil {
			t.Fatalf("stop: %v", err)
		}
		ts = startServer(t, args...) // the new simulator answers
		desk = &apiClient{t: t, base: ts.url, token: deskToken}
		me = &apiClient{t: t, base: ts.url, token: me.token}
		ic = waitIdentityCheck(t, desk, code, "matched")
		if ic["method"] != "popdb" || ic["by"] != "system" || ic["unconfirmed"] != false || ic["manual"] == nil {
			t.Fatalf("identity check after the re-check: %v", ic)
		}
		ic = waitIdentityCheck(t, desk, wrong, "mismatch")
		if ic["method"] != "manual" || ic["unconfirmed"] != true {
			t.Fatalf("mismatching identity check: %v", ic)
		}
		status, alerts, raw := desk.do("GET", "/api/v1/agency/identity-alerts", nil, "")
		items, _ := alerts["items"].([]any)
		if status != 200 || len(items) != 1 || items[0].(map[string]any)["code"] != wrong {
			t.Fatalf("identity alerts: %d %s", status, raw)
		}
		if status, _, _ := me.do("GET", "/api/v1/agency/identity-alerts", nil, ""); status != 403 && status != 401 {
			t.Errorf("a citizen reads the identity alerts: %d", status)
		}
		// The agency's dossier list and the district monitor show the alert
		// (the desk's session survived the restart; cookies ignore the port).
		if _, page := deskBrowser.get(ts.url + "/can-bo/ho-so"); !strings.Contains(page, `id="identity-alerts"`) || !strings.Contains(page, wrong) {
			t.Fatalf("the desk's dossier list has no alert:\n%s", page)
		}
		monitor := demoOfficerWith(t, "monitor")
		monitorBrowser := officerLogin(t, ts, monitor.Username, monitor.Password, monitor.TOTPSecret)
		if _, page := monitorBrowser.get(ts.url + "/theo-doi"); !strings.Contains(page, `id="identity-alerts"`) || !strings.Contains(page, wrong) ||
			strings.Contains(page, code) {
			t.Fatalf("the monitor's page has no alert (or lists a confirmed dossier):\n%s", page)
		}
		watcher := &apiClient{t: t, base: ts.url, token: sessionCookie(t, ts, monitorBrowser)}
		if status, alerts, raw := watcher.do("GET", "/api/v1/agency/identity-alerts", nil, ""); status != 200 || len(alerts["items"].([]any)) != 1 {
			t.Fatalf("the monitor's identity alerts: %d %s", status, raw)
		}

		// Online again: the kept draft is submitted where it stopped.
		status, dos, raw := me.do("POST", base+"/submit", strings.NewReader(`{"result_method":"online"}`), "application/json")
		if status != 201 {
			t.Fatalf("submit after recovery: %d %s", status, raw)
		}
		if ic := identityCheckOf(t, dos, raw); ic["method"] != "popdb" || ic["by"] != "person:"+citizen.Code || ic["unconfirmed"] != false {
			t.Fatalf("online dossier identity check: %s", raw)
		}
		status, d, raw = me.do("GET", "/api/v1/dossiers/"+url.PathEscape(dos["code"].(string)), nil, "")
		if ic := identityCheckOf(t, d, raw); status != 200 || ic["method"] != "popdb" {
			t.Fatalf("online dossier: %d %s", status, raw)
		}
		var decoded struct {
			IdentityCheck struct {
				CheckedAt time.Time `json:"checked_at"`
			} `json:"identity_check"`
		}
		if err := json.Unmarshal(raw, &decoded); err != nil || decoded.IdentityCheck.CheckedAt.IsZero() {
			t.Fatalf("checked_at: %v %s", err, raw)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		run(t, "--data-dir", t.TempDir())
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		run(t, "--data-dir", t.TempDir(), "--database-url", pgtest.SchemaURL(t))
	})
}
