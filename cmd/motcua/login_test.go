package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pgtest"
	"github.com/motcua/motcua/internal/popdb"
	"github.com/motcua/motcua/internal/popdb/popdbsim"
	"github.com/motcua/motcua/internal/service"
)

// backends runs fn once on the embedded SQLite database and once on
// PostgreSQL (a throwaway schema), each with a fresh demo server.
func backends(t *testing.T, fn func(t *testing.T, ts *testServer)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, startServer(t, "--demo", "--data-dir", t.TempDir()))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, startServer(t, "--demo", "--data-dir", t.TempDir(), "--database-url", pgtest.SchemaURL(t)))
	})
}

type browser struct {
	t *testing.T
	c *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (b *browser) get(u string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	return b.do(req)
}

func (b *browser) post(u string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var authRequestField = regexp.MustCompile(`name="authRequestID" value="([^"]+)"`)

// loginAt walks the redirect dance through the development IdP and
// returns the final response.
func (b *browser) loginAt(ts *testServer, provider, username, password string) (*http.Response, string) {
	b.t.Helper()
	resp, body := b.get(ts.url + "/auth/login/" + provider)
	if resp.StatusCode != 200 || !strings.Contains(body, "motcua-demo") {
		b.t.Fatalf("IdP login page: %d %s", resp.StatusCode, body)
	}
	m := authRequestField.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no auth request id on the IdP login page:\n%s", body)
	}
	return b.post(resp.Request.URL.String(), url.Values{"authRequestID": {m[1]}, "username": {username}, "password": {password}})
}

func TestCitizenLoginThroughDevIdP(t *testing.T) {
	t.Parallel()
	citizen := demo.Citizens()[0]
	backends(t, func(t *testing.T, ts *testServer) {
		for _, provider := range []string{"vneid", "dvcqg"} {
			b := newBrowser(t)
			resp, body := b.loginAt(ts, provider, citizen.Code, "motcua-demo")
			if resp.StatusCode != 200 || resp.Request.URL.Path != "/tai-khoan" ||
				!strings.Contains(body, citizen.Name) || !strings.Contains(body, citizen.Code) {
				t.Fatalf("%s: after login at %s: %d\n%s", provider, resp.Request.URL, resp.StatusCode, body)
			}
			resp, body = b.get(ts.url + "/api/v1/me")
			var me struct {
				SubjectID string `json:"subject_id"`
				Name      string `json:"name"`
				Kind      string `json:"kind"`
			}
			if err := json.Unmarshal([]byte(body), &me); err != nil || resp.StatusCode != 200 ||
				me.SubjectID != citizen.Code || me.Name != citizen.Name || me.Kind != "person" {
				t.Fatalf("%s: /api/v1/me = %d %s", provider, resp.StatusCode, body)
			}

			// Logout ends the motcua session and the provider's.
			resp, _ = b.post(ts.url+"/auth/logout", nil)
			if resp.StatusCode != 200 {
				t.Fatalf("logout: %d at %s", resp.StatusCode, resp.Request.URL)
			}
			resp, body = b.get(ts.url + "/api/v1/me")
			if resp.StatusCode != 401 || !strings.Contains(body, `"code":"login_required"`) {
				t.Fatalf("after logout /api/v1/me = %d %s", resp.StatusCode, body)
			}
		}
	})
}

func TestLoginRefusals(t *testing.T) {
	t.Parallel()
	citizen := demo.Citizens()[0]
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())

	// An organisation's account logs in as the organisation.
	org := demo.Organisations()[0]
	b0 := newBrowser(t)
	if resp, body := b0.loginAt(ts, "dvcqg", org.Code, "motcua-demo"); resp.Request.URL.Path != "/tai-khoan" ||
		!strings.Contains(body, org.Code) || !strings.Contains(body, "Mã số doanh nghiệp") {
		t.Fatalf("organisation login: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	if _, body := b0.get(ts.url + "/api/v1/me"); !strings.Contains(body, `"kind":"organisation"`) || !strings.Contains(body, org.Code) {
		t.Fatalf("organisation /api/v1/me = %s", body)
	}

	// Wrong password: the IdP shows its error and nobody is logged in.
	b := newBrowser(t)
	resp, body := b.loginAt(ts, "vneid", citizen.Code, "sai-mat-khau")
	if !strings.Contains(body, "Sai số định danh hoặc mật khẩu") {
		t.Fatalf("wrong password: %d %s", resp.StatusCode, body)
	}
	if resp, _ := b.get(ts.url + "/api/v1/me"); resp.StatusCode != 401 {
		t.Fatalf("logged in after a wrong password: %d", resp.StatusCode)
	}

	// Capture a real callback URL without following it.
	capture := func() (*browser, string) {
		b := newBrowser(t)
		var callback string
		b.c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if strings.Contains(req.URL.Path, "/auth/callback/") {
				callback = req.URL.String()
				return http.ErrUseLastResponse
			}
			return nil
		}
		b.loginAt(ts, "vneid", citizen.Code, "motcua-demo")
		if callback == "" {
			t.Fatal("no callback captured")
		}
		b.c.CheckRedirect = nil
		return b, callback
	}

	// Wrong state: the callback's state differs from the browser's cookie.
	b, cb := capture()
	u, _ := url.Parse(cb)
	q := u.Query()
	q.Set("state", "forged-state")
	u.RawQuery = q.Encode()
	resp, body = b.get(u.String())
	if resp.StatusCode != 401 || !strings.Contains(body, "Đăng nhập không thành công") {
		t.Fatalf("wrong state: %d %s", resp.StatusCode, body)
	}

	// Replayed code: the first use logs in, the second is refused.
	b, cb = capture()
	if resp, _ := b.get(cb); resp.StatusCode != 200 || resp.Request.URL.Path != "/tai-khoan" {
		t.Fatalf("first callback: %d %s", resp.StatusCode, resp.Request.URL)
	}
	other := newBrowser(t)
	resp, _ = other.get(cb)
	if resp.StatusCode != 401 {
		t.Fatalf("replayed callback in another browser: %d", resp.StatusCode)
	}
	resp, _ = b.get(cb)
	if resp.StatusCode != 401 {
		t.Fatalf("replayed callback in the same browser: %d", resp.StatusCode)
	}

	// Unknown provider.
	resp, _ = newBrowser(t).get(ts.url + "/auth/login/khong-co")
	if resp.StatusCode != 404 {
		t.Fatalf("unknown provider: %d", resp.StatusCode)
	}
	// Provider-reported error.
	resp, body = newBrowser(t).get(ts.url + "/auth/callback/vneid?error=access_denied&state=x")
	if resp.StatusCode != 401 || !strings.Contains(body, "Đăng nhập không thành công") {
		t.Fatalf("provider error: %d %s", resp.StatusCode, body)
	}
	// return_to cannot send the browser to another site after login.
	b = newBrowser(t)
	b.get(ts.url + "/auth/login/vneid?return_to=//evil.example/x")
	resp, body = b.get(ts.url + "/auth/login?return_to=https://evil.example/")
	if strings.Contains(body, "evil.example") {
		t.Fatalf("login page carries a foreign return_to: %s", body)
	}
}

func TestOfficerLogin(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		for _, o := range demo.Officers() {
			b := newBrowser(t)
			code, err := freshTOTP(ts, o.Username, o.TOTPSecret)
			if err != nil {
				t.Fatal(err)
			}
			resp, body := b.post(ts.url+"/can-bo/dang-nhap", url.Values{"username": {o.Username}, "password": {o.Password}, "otp": {code}})
			if resp.StatusCode != 200 || !strings.Contains(body, o.Name) || !strings.Contains(body, o.Roles[0].Label()) {
				t.Fatalf("officer %s: %d\n%s", o.Username, resp.StatusCode, body)
			}
			_, body = b.get(ts.url + "/api/v1/me")
			var me struct {
				Username, Kind, Agency string
				Roles                  []string
			}
			if err := json.Unmarshal([]byte(body), &me); err != nil || me.Kind != "officer" || me.Username != o.Username ||
				me.Agency != o.AgencyCode || len(me.Roles) != 1 || me.Roles[0] != string(o.Roles[0]) {
				t.Fatalf("officer %s /api/v1/me = %s", o.Username, body)
			}
		}
		o := demo.Officers()[0]
		resp, body := newBrowser(t).post(ts.url+"/can-bo/dang-nhap", url.Values{"username": {o.Username}, "password": {o.Password}, "otp": {"000000"}})
		if resp.StatusCode != 401 || !strings.Contains(body, "không đúng") {
			t.Fatalf("wrong TOTP: %d %s", resp.StatusCode, body)
		}
	})
}

// usedTOTPSteps remembers, per server and officer, the last TOTP time
// step the tests logged in with: the server accepts each code once.
var usedTOTPSteps = struct {
	sync.Mutex
	m map[string]int64
}{m: map[string]int64{}}

// freshTOTP returns a code of the officer's secret that the server has not
// seen yet: the earliest step it accepts (the previous one, for clock
// drift) or the one after the last used, waiting for the next step when
// the tests have used up the three it accepts.
func freshTOTP(ts *testServer, username, secret string) (string, error) {
	usedTOTPSteps.Lock()
	defer usedTOTPSteps.Unlock()
	key := ts.url + " " + username
	for {
		now := time.Now().Unix() / 30
		// The previous step stays valid only until the current one ends:
		// take it only when a slow server still has time to check it.
		step := now - 1
		if (now+1)*30-time.Now().Unix() < 15 {
			step = now
		}
		if last, ok := usedTOTPSteps.m[key]; ok && last+1 > step {
			step = last + 1
		}
		if step <= now+1 {
			usedTOTPSteps.m[key] = step
			return service.TOTPCode(secret, time.Unix(step*30, 0))
		}
		time.Sleep(time.Until(time.Unix((now+1)*30, 0)))
	}
}

func officerLogin(t *testing.T, ts *testServer, username, password, secret string) *browser {
	t.Helper()
	b := newBrowser(t)
	code, err := freshTOTP(ts, username, secret)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := b.post(ts.url+"/can-bo/dang-nhap", url.Values{"username": {username}, "password": {password}, "otp": {code}})
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/tai-khoan" {
		t.Fatalf("officer %s login: %d\n%s", username, resp.StatusCode, body)
	}
	return b
}

var secretField = regexp.MustCompile(`<code class="secret">([A-Z2-7]+)</code>`)

func TestAdminManagesOfficers(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	var admin, reception demo.DemoOfficer
	for _, o := range demo.Officers() {
		switch o.Roles[0] {
		case "admin":
			admin = o
		case "reception":
			reception = o
		}
	}
	b := officerLogin(t, ts, admin.Username, admin.Password, admin.TOTPSecret)
	resp, body := b.get(ts.url + "/quan-tri/can-bo")
	if resp.StatusCode != 200 || !strings.Contains(body, reception.Username) || !strings.Contains(body, "UBND xã An Vinh") {
		t.Fatalf("officer list: %d\n%s", resp.StatusCode, body)
	}
	resp, body = b.post(ts.url+"/quan-tri/can-bo", url.Values{"username": {"tiepnhan.anvinh"}, "name": {"Đinh Thị Thu"},
		"agency_code": {demo.CommuneCodes()[9]}, "roles": {"reception"}, "password": {"mat-khau-ban-dau"}})
	m := secretField.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("create officer: %d\n%s", resp.StatusCode, body)
	}
	newcomer := officerLogin(t, ts, "tiepnhan.anvinh", "mat-khau-ban-dau", m[1])
	_, body = newcomer.get(ts.url + "/api/v1/me")
	if !strings.Contains(body, `"agency":"`+demo.CommuneCodes()[9]+`"`) {
		t.Fatalf("new officer /api/v1/me = %s", body)
	}
	// The newcomer is not an admin.
	if resp, _ := newcomer.get(ts.url + "/quan-tri/can-bo"); resp.StatusCode != 403 {
		t.Fatalf("reception officer opened the admin page: %d", resp.StatusCode)
	}
	// Bad input keeps the form and explains.
	resp, body = b.post(ts.url+"/quan-tri/can-bo", url.Values{"username": {"Ten Co Dau"}, "name": {"X"},
		"agency_code": {demo.CommuneCodes()[0]}, "roles": {"reception"}, "password": {"mat-khau-ban-dau"}})
	if resp.StatusCode != 422 || !strings.Contains(body, "Tên đăng nhập gồm 3–64 ký tự") {
		t.Fatalf("bad username: %d\n%s", resp.StatusCode, body)
	}
	// Disabling the newcomer ends their session.
	resp, _ = b.post(ts.url+"/quan-tri/can-bo/tiepnhan.anvinh", url.Values{"name": {"Đinh Thị Thu"}, "roles": {"reception"}, "disabled": {"on"}})
	if resp.StatusCode != 200 {
		t.Fatalf("disable: %d", resp.StatusCode)
	}
	if resp, _ := newcomer.get(ts.url + "/api/v1/me"); resp.StatusCode != 401 {
		t.Fatalf("disabled officer still logged in: %d", resp.StatusCode)
	}
	// Visitors are sent to the officer login.
	resp, _ = newBrowser(t).get(ts.url + "/quan-tri/can-bo")
	if resp.Request.URL.Path != "/can-bo/dang-nhap" {
		t.Fatalf("visitor reached %s", resp.Request.URL)
	}
}

func TestRegisterAndCounterCheck(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		var person popdb.Citizen
		for _, c := range popdbsim.DemoCitizens() {
			if c.LegacyID != "" {
				person = c
				break
			}
		}
		// A failing registration: the population database knows another birth date.
		b := newBrowser(t)
		form := url.Values{"full_name": {person.FullName}, "personal_id": {person.PersonalID},
			"birth_date": {person.BirthDate.AddDays(1).Display()}, "password": {"mat-khau-cua-toi"}, "password_confirm": {"mat-khau-cua-toi"}}
		resp, body := b.post(ts.url+"/dang-ky", form)
		if resp.StatusCode != 422 || !strings.Contains(body, "Xác thực thất bại") || !strings.Contains(body, person.FullName) {
			t.Fatalf("mismatching registration: %d\n%s", resp.StatusCode, body)
		}
		form.Set("birth_date", "31/02/1990")
		resp, body = b.post(ts.url+"/dang-ky", form)
		if resp.StatusCode != 422 || !strings.Contains(body, "Ngày không hợp lệ") {
			t.Fatalf("impossible date: %d\n%s", resp.StatusCode, body)
		}
		// The right data, typed without diacritics, succeeds and logs in.
		form.Set("full_name", strings.ToUpper(motcua.FoldText(person.FullName)))
		form.Set("birth_date", person.BirthDate.Display())
		resp, body = b.post(ts.url+"/dang-ky", form)
		if resp.StatusCode != 200 || resp.Request.URL.Path != "/tai-khoan" || !strings.Contains(body, person.FullName) {
			t.Fatalf("registration: %d\n%s", resp.StatusCode, body)
		}
		// The local account works after logout.
		b.post(ts.url+"/auth/logout", nil)
		resp, _ = b.post(ts.url+"/auth/local", url.Values{"username": {person.PersonalID}, "password": {"mat-khau-cua-toi"}})
		if resp.Request.URL.Path != "/tai-khoan" {
			t.Fatalf("local login landed on %s", resp.Request.URL)
		}
		resp, body = newBrowser(t).post(ts.url+"/auth/local", url.Values{"username": {person.PersonalID}, "password": {"sai"}})
		if resp.StatusCode != 401 || !strings.Contains(body, "Số định danh cá nhân hoặc mật khẩu không đúng") {
			t.Fatalf("wrong local password: %d\n%s", resp.StatusCode, body)
		}

		// The counter: the reception officer checks by old CMND and gets the record.
		officer := townOfficer(t, "reception")
		ob := officerLogin(t, ts, officer.Username, officer.Password, officer.TOTPSecret)
		resp, body = ob.post(ts.url+"/can-bo/kiem-tra-danh-tinh", url.Values{"full_name": {person.FullName},
			"id_number": {person.LegacyID}, "birth_date": {person.BirthDate.Display()}})
		if resp.StatusCode != 200 || !strings.Contains(body, "Xác thực thành công") || !strings.Contains(body, person.PersonalID) {
			t.Fatalf("counter check: %d\n%s", resp.StatusCode, body)
		}
		resp, body = ob.post(ts.url+"/can-bo/kiem-tra-danh-tinh", url.Values{"full_name": {"Người Khác"},
			"id_number": {person.PersonalID}, "birth_date": {person.BirthDate.Display()}})
		if resp.StatusCode != 422 || !strings.Contains(body, "Xác thực thất bại") {
			t.Fatalf("counter mismatch: %d\n%s", resp.StatusCode, body)
		}
		// A citizen cannot use the counter.
		resp, _ = b.post(ts.url+"/can-bo/kiem-tra-danh-tinh", url.Values{"full_name": {person.FullName},
			"id_number": {person.PersonalID}, "birth_date": {person.BirthDate.Display()}})
		if resp.StatusCode != 403 {
			t.Fatalf("citizen at the counter: %d", resp.StatusCode)
		}
	})
}
