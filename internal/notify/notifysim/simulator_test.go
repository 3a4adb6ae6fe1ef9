package notifysim_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/notify/notifysim"
)

func setup(t *testing.T, opts notifysim.Options) (*notifysim.Simulator, string) {
	t.Helper()
	sim := notifysim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, srv.URL
}

func post(t *testing.T, u string, header http.Header, body any) (*http.Response, []byte) {
	t.Helper()
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, u, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

var (
	zaloAuth = http.Header{"Access_token": {notifysim.DefaultAccessToken}}
	smsAuth  = http.Header{"Authorization": {"Bearer " + notifysim.DefaultAPIKey}}
)

func zaloRequest(key string) notify.ZaloRequest {
	return notify.ZaloRequest{Phone: "84905123456", TemplateID: "dev-dossier-status", TrackingID: key,
		TemplateData: map[string]string{"code": "H08-240320-0001", "status": "Đã xử lý xong"}}
}

func smsRequest(key string) notify.SMSRequest {
	return notify.SMSRequest{Brandname: "MOTCUA", Phone: "84905123456", Message: "Ho so H08-240320-0001: da xu ly xong", RequestID: key}
}

func TestDedupe(t *testing.T) {
	t.Parallel()
	sim, base := setup(t, notifysim.Options{})
	var zaloIDs, smsIDs []string
	for range 3 {
		resp, body := post(t, base+notify.PathZalo, zaloAuth, zaloRequest("k1"))
		var z notify.ZaloResponse
		if err := json.Unmarshal(body, &z); err != nil || resp.StatusCode != 200 || z.Error != 0 || z.Data == nil {
			t.Fatalf("zalo: %d %s", resp.StatusCode, body)
		}
		zaloIDs = append(zaloIDs, z.Data.MsgID)
		resp, body = post(t, base+notify.PathSMS, smsAuth, smsRequest("k1"))
		var s notify.SMSResponse
		if err := json.Unmarshal(body, &s); err != nil || resp.StatusCode != 200 || s.MessageID == "" || s.RequestID != "k1" {
			t.Fatalf("sms: %d %s", resp.StatusCode, body)
		}
		smsIDs = append(smsIDs, s.MessageID)
	}
	// The same key on both channels is two messages; repeats are not.
	if zaloIDs[0] != zaloIDs[2] || smsIDs[0] != smsIDs[2] || zaloIDs[0] == smsIDs[0] {
		t.Fatalf("ids: zalo %v, sms %v", zaloIDs, smsIDs)
	}
	st := sim.State()
	msgs := sim.Messages()
	if st.Received != 2 || st.Duplicates != 4 || len(msgs) != 2 || msgs[0].Channel != "sms" {
		t.Fatalf("state %+v, messages %+v", st, msgs)
	}
	if msgs[1].Text != "Hồ sơ H08-240320-0001 đã chuyển sang trạng thái: Đã xử lý xong." {
		t.Errorf("zalo text = %q", msgs[1].Text)
	}
}

func TestConcurrentDuplicatesRecordedOnce(t *testing.T) {
	t.Parallel()
	sim, base := setup(t, notifysim.Options{})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() { post(t, base+notify.PathSMS, smsAuth, smsRequest("same")) })
	}
	wg.Wait()
	if st := sim.State(); st.Received != 1 || st.Duplicates != 19 {
		t.Fatalf("state = %+v", st)
	}
}

func TestFailureModes(t *testing.T) {
	t.Parallel()
	sim, base := setup(t, notifysim.Options{SlowDelay: 200 * time.Millisecond})
	for _, tc := range []struct {
		mode   notifysim.Mode
		status int
	}{{notifysim.Mode503, 503}, {notifysim.Mode400, 400}} {
		sim.SetFailure(tc.mode)
		if resp, body := post(t, base+notify.PathZalo, zaloAuth, zaloRequest("k")); resp.StatusCode != tc.status {
			t.Errorf("zalo in mode %s: %d %s", tc.mode, resp.StatusCode, body)
		}
		if resp, body := post(t, base+notify.PathSMS, smsAuth, smsRequest("k")); resp.StatusCode != tc.status {
			t.Errorf("sms in mode %s: %d %s", tc.mode, resp.StatusCode, body)
		}
	}
	if st := sim.State(); st.Received != 0 || st.Failed != 4 {
		t.Fatalf("after simulated failures: %+v", st)
	}
	sim.SetFailure(notifysim.ModeSlow)
	start := time.Now()
	if resp, _ := post(t, base+notify.PathSMS, smsAuth, smsRequest("k")); resp.StatusCode != 200 || time.Since(start) < 200*time.Millisecond {
		t.Errorf("slow mode: %d after %v", resp.StatusCode, time.Since(start))
	}
	if st := sim.State(); st.Received != 1 || st.Mode != notifysim.ModeSlow {
		t.Fatalf("after the slow answer: %+v", st)
	}
}

func TestValidation(t *testing.T) {
	t.Parallel()
	sim, base := setup(t, notifysim.Options{})
	zaloCases := map[string]func(*notify.ZaloRequest){
		"-108": func(r *notify.ZaloRequest) { r.Phone = "0905123456" },
		"-109": func(r *notify.ZaloRequest) { r.TemplateID = "nope" },
		"-112": func(r *notify.ZaloRequest) { delete(r.TemplateData, "status") },
	}
	for code, mutate := range zaloCases {
		req := zaloRequest("k")
		mutate(&req)
		_, body := post(t, base+notify.PathZalo, zaloAuth, req)
		if !strings.Contains(string(body), `"error":`+code) {
			t.Errorf("zalo %s: %s", code, body)
		}
	}
	if _, body := post(t, base+notify.PathZalo, nil, zaloRequest("k")); !strings.Contains(string(body), `"error":-124`) {
		t.Errorf("zalo without token: %s", body)
	}
	smsCases := map[string]func(*notify.SMSRequest){
		"brandname":  func(r *notify.SMSRequest) { r.Brandname = "" },
		"request_id": func(r *notify.SMSRequest) { r.RequestID = "" },
		"phone":      func(r *notify.SMSRequest) { r.Phone = "12" },
		"unicode":    func(r *notify.SMSRequest) { r.Message = "Hồ sơ" },
		"message":    func(r *notify.SMSRequest) { r.Message = " " },
	}
	for what, mutate := range smsCases {
		req := smsRequest("k")
		mutate(&req)
		if resp, body := post(t, base+notify.PathSMS, smsAuth, req); resp.StatusCode != 400 || !strings.Contains(string(body), what) {
			t.Errorf("sms %s: %d %s", what, resp.StatusCode, body)
		}
	}
	if resp, _ := post(t, base+notify.PathSMS, nil, smsRequest("k")); resp.StatusCode != 401 {
		t.Errorf("sms without key: %d", resp.StatusCode)
	}
	unicode := smsRequest("u")
	unicode.Message, unicode.Unicode = "Hồ sơ đã xử lý xong", true
	if resp, body := post(t, base+notify.PathSMS, smsAuth, unicode); resp.StatusCode != 200 {
		t.Errorf("unicode sms: %d %s", resp.StatusCode, body)
	}
	if st := sim.State(); st.Received != 1 || st.Rejected != 10 {
		t.Fatalf("state = %+v", st)
	}
}

func TestBounded(t *testing.T) {
	t.Parallel()
	sim, base := setup(t, notifysim.Options{MaxMessages: 3})
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		post(t, base+notify.PathSMS, smsAuth, smsRequest(k))
	}
	msgs := sim.Messages()
	if len(msgs) != 3 || msgs[0].DedupeKey != "e" || msgs[2].DedupeKey != "c" {
		t.Fatalf("messages = %+v", msgs)
	}
	if st := sim.State(); st.Received != 5 || st.Kept != 3 {
		t.Fatalf("state = %+v", st)
	}
	sim.Reset()
	if st := sim.State(); st.Received != 0 || len(sim.Messages()) != 0 {
		t.Fatalf("after reset: %+v", st)
	}
}

func TestAdminAndPage(t *testing.T) {
	t.Parallel()
	sim, base := setup(t, notifysim.Options{})
	resp, body := post(t, base+notifysim.PathFailure, nil, map[string]string{"mode": "503"})
	var st notifysim.State
	if err := json.Unmarshal(body, &st); err != nil || resp.StatusCode != 200 || st.Mode != notifysim.Mode503 {
		t.Fatalf("JSON switch: %d %s", resp.StatusCode, body)
	}
	if resp, body := post(t, base+notifysim.PathFailure, nil, map[string]string{"mode": "sometimes"}); resp.StatusCode != 400 {
		t.Fatalf("bad mode: %d %s", resp.StatusCode, body)
	}
	// The page's own form: a redirect back to the page.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	fresp, err := client.PostForm(base+notifysim.PathFailure, url.Values{"mode": {"none"}})
	if err != nil {
		t.Fatal(err)
	}
	fresp.Body.Close()
	if loc, _ := fresp.Location(); fresp.StatusCode != http.StatusSeeOther || loc.String() != base+"/" || sim.State().Mode != notifysim.ModeNone {
		t.Fatalf("form switch: %d to %v, mode %s", fresp.StatusCode, loc, sim.State().Mode)
	}

	req := zaloRequest("k")
	req.TemplateData["status"] = "<b>Đã trả kết quả</b>"
	post(t, base+notify.PathZalo, zaloAuth, req)
	post(t, base+notify.PathSMS, smsAuth, smsRequest("k"))
	page := get(t, base+notifysim.PathPage)
	for _, want := range []string{`lang="vi"`, "Tin nhắn đã nhận", "Zalo (ZNS)", "SMS (MOTCUA)", "0905123456",
		"&lt;b&gt;Đã trả kết quả&lt;/b&gt;", "Ho so H08-240320-0001: da xu ly xong", "Chế độ mô phỏng lỗi: Bình thường",
		"Đã nhận: <strong>2</strong>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	var list struct {
		State    notifysim.State     `json:"state"`
		Messages []notifysim.Message `json:"messages"`
	}
	if err := json.Unmarshal([]byte(get(t, base+notifysim.PathMessages)), &list); err != nil || len(list.Messages) != 2 || list.State.Received != 2 {
		t.Fatalf("messages API: %+v %v", list, err)
	}
	if !strings.Contains(get(t, base+notifysim.PathState), `"received":2`) || get(t, base+notifysim.PathHealth) != "ok\n" {
		t.Fatal("state or health endpoint")
	}
	if resp, _ := post(t, base+notifysim.PathReset, nil, struct{}{}); resp.StatusCode != 200 || len(sim.Messages()) != 0 {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	r, err := http.Get(base + "/nope")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 404 {
		t.Fatalf("unknown path: %d", r.StatusCode)
	}
}

func TestParseMode(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"none", "503", "400", "slow"} {
		if m, err := notifysim.ParseMode(s); err != nil || string(m) != s {
			t.Errorf("ParseMode(%q) = %q, %v", s, m, err)
		}
	}
	if _, err := notifysim.ParseMode("500"); err == nil {
		t.Error("ParseMode(500) accepted")
	}
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return string(b)
}

// TestMountedUnderPrefix: the page's forms and redirects are relative, so
// a server may mount the simulator under a path of its own.
func TestMountedUnderPrefix(t *testing.T) {
	t.Parallel()
	sim := notifysim.New(notifysim.Options{})
	mux := http.NewServeMux()
	mux.Handle("/demo/tin-nhan/", http.StripPrefix("/demo/tin-nhan", sim))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	page := get(t, srv.URL+"/demo/tin-nhan/")
	if !strings.Contains(page, `action="admin/failure"`) {
		t.Fatalf("page forms are not relative:\n%s", page)
	}
	// The browser follows the redirect back to the mounted page.
	resp, err := http.PostForm(srv.URL+"/demo/tin-nhan/admin/failure", url.Values{"mode": {"slow"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/demo/tin-nhan/" || sim.State().Mode != notifysim.ModeSlow {
		t.Fatalf("after the form: %d at %s, mode %s", resp.StatusCode, resp.Request.URL.Path, sim.State().Mode)
	}
}
