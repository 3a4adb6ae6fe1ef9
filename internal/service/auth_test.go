package service_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
	"github.com/motcua/motcua/internal/sqldb"
	"github.com/motcua/motcua/internal/sqlite"
)

// fastPasswords keeps tests quick; production uses DefaultPasswordParams.
var fastPasswords = service.PasswordParams{MemoryKiB: 64, Time: 1, Threads: 1}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	store   motcua.Store
	auth    *service.Auth
	clock   *clock
	officer *motcua.Officer
	secret  string
}

const agencyCode = "000.23.03.H08"

// setup builds the fixture on a fresh SQLite store.
func setup(t testing.TB) *fixture {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	return setupOn(t, st)
}

// setupOn builds the fixture on st, which it migrates and closes.
func setupOn(t testing.TB, st *sqldb.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateAgency(ctx, &motcua.Agency{Code: agencyCode, Name: "UBND xã An Hòa", Level: motcua.LevelCommune}); err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2024, 3, 20, 8, 0, 0, 0, time.UTC)}
	auth, err := service.NewAuth(st, service.AuthConfig{Now: clk.Now, Password: fastPasswords, MaxFailures: 3})
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := service.HashPassword("motcua-demo", fastPasswords)
	secret := service.NewTOTPSecret()
	o := &motcua.Officer{Username: "tiepnhan.anhoa", Name: "Lê Thị Hoa", AgencyCode: agencyCode,
		Roles: []motcua.Role{motcua.RoleReception}, PasswordHash: hash, TOTPSecret: secret}
	if err := st.CreateOfficer(ctx, o); err != nil {
		t.Fatal(err)
	}
	return &fixture{store: st, auth: auth, clock: clk, officer: o, secret: secret}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if motcua.ErrorCode(err) != code {
		t.Fatalf("got error %v (code %s), want code %s", err, motcua.ErrorCode(err), code)
	}
}

var client = service.Client{RemoteAddr: "192.0.2.10", UserAgent: "test"}

func TestOfficerLogin(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	code, _ := service.TOTPCode(f.secret, f.clock.Now())
	token, err := f.auth.LoginOfficer(ctx, "tiepnhan.anhoa", "motcua-demo", code, client)
	if err != nil {
		t.Fatal(err)
	}
	p, s, err := f.auth.Authenticate(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != motcua.PrincipalOfficer || p.AgencyCode != agencyCode || !p.HasRole(motcua.RoleReception) || s.RemoteAddr != client.RemoteAddr {
		t.Fatalf("principal = %+v", p)
	}
	// The token itself is not what the store keeps.
	if _, err := f.store.GetSession(ctx, token); !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatal("session stored under the raw token")
	}

	// Wrong password, wrong code, unknown user: one message, no enumeration.
	var msgs []string
	for _, c := range []struct{ user, pw, code string }{
		{"tiepnhan.anhoa", "sai-mat-khau", code},
		{"tiepnhan.anhoa", "motcua-demo", "000000"},
		{"khong.ton.tai", "motcua-demo", code},
	} {
		_, err := f.auth.LoginOfficer(ctx, c.user, c.pw, c.code, service.Client{RemoteAddr: "198.51.100." + c.user[:1]})
		wantCode(t, err, "invalid_credentials")
		msgs = append(msgs, motcua.ErrorMessage(err))
	}
	if msgs[0] != msgs[1] || msgs[1] != msgs[2] {
		t.Fatalf("failure messages differ: %q", msgs)
	}
	events, _ := f.store.ListAudit(ctx, motcua.AuditFilter{ObjectID: "officer:tiepnhan.anhoa"})
	var failures, successes int
	for _, e := range events {
		switch e.Action {
		case "login.failure":
			failures++
		case "login.success":
			successes++
		}
	}
	if failures != 2 || successes != 1 {
		t.Fatalf("audit: %d failures, %d successes", failures, successes)
	}
}

func TestOfficerLoginThrottled(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	for range 3 {
		_, err := f.auth.LoginOfficer(ctx, "tiepnhan.anhoa", "sai", "123456", client)
		wantCode(t, err, "invalid_credentials")
	}
	code, _ := service.TOTPCode(f.secret, f.clock.Now())
	// Locked: even the right password is refused, with a distinct message.
	_, err := f.auth.LoginOfficer(ctx, "tiepnhan.anhoa", "motcua-demo", code, service.Client{RemoteAddr: "203.0.113.1"})
	wantCode(t, err, "too_many_attempts")
	if motcua.ErrorKind(err) != motcua.ETOOMANY || !strings.Contains(motcua.ErrorMessage(err), "15 phút") {
		t.Fatalf("throttle error = %v", err)
	}
	// The attacking address is locked for other accounts too.
	_, err = f.auth.LoginOfficer(ctx, "ai.do", "x", "1", client)
	wantCode(t, err, "too_many_attempts")
	f.clock.Add(16 * time.Minute)
	code, _ = service.TOTPCode(f.secret, f.clock.Now())
	if _, err := f.auth.LoginOfficer(ctx, "tiepnhan.anhoa", "motcua-demo", code, client); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestOfficerWithoutSecondFactorCannotLogIn(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	f.officer.TOTPSecret = ""
	if err := f.store.UpdateOfficer(ctx, f.officer); err != nil {
		t.Fatal(err)
	}
	_, err := f.auth.LoginOfficer(ctx, "tiepnhan.anhoa", "motcua-demo", "", client)
	wantCode(t, err, "invalid_credentials")
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	login := func() string {
		code, _ := service.TOTPCode(f.secret, f.clock.Now())
		token, err := f.auth.LoginOfficer(ctx, "tiepnhan.anhoa", "motcua-demo", code, client)
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	token := login()
	// Activity keeps an idle session alive…
	for range 5 {
		f.clock.Add(90 * time.Minute)
		if _, _, err := f.auth.Authenticate(ctx, token); err != nil {
			t.Fatalf("active session ended: %v", err)
		}
	}
	// …but not past the absolute limit (12 h).
	f.clock.Add(5 * time.Hour)
	_, _, err := f.auth.Authenticate(ctx, token)
	wantCode(t, err, "session_expired")

	token = login()
	f.clock.Add(2*time.Hour + time.Minute)
	_, _, err = f.auth.Authenticate(ctx, token)
	wantCode(t, err, "session_expired")

	token = login()
	f.officer.Disabled = true
	if err := f.store.UpdateOfficer(ctx, f.officer); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.auth.Authenticate(ctx, token)
	wantCode(t, err, "session_expired")

	_, _, err = f.auth.Authenticate(ctx, "forged-token")
	wantCode(t, err, "session_expired")
}

func TestExternalLoginAndLogout(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	id := motcua.ExternalIdentity{Provider: "vneid", Sub: "052090000495", PersonalID: "052090000495", Name: "Nguyễn Văn An",
		BirthDate: motcua.Date{Year: 1990, Month: 2, Day: 3}, Phone: "0905123456", ACR: "LoA2"}
	token, err := f.auth.CompleteExternalLogin(ctx, id, "id-token", client)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := f.store.GetSubject(ctx, "052090000495")
	if err != nil || sub.Name != "Nguyễn Văn An" || sub.VerifiedAt.IsZero() || sub.Phone != "0905123456" {
		t.Fatalf("subject = %+v, %v", sub, err)
	}
	p, _, err := f.auth.Authenticate(ctx, token)
	if err != nil || p.Kind != motcua.PrincipalPerson || p.SubjectCode != "052090000495" {
		t.Fatalf("principal = %+v, %v", p, err)
	}
	// A later login refreshes the identity data from the provider.
	id.Name = "Nguyễn Văn Ân"
	if _, err := f.auth.CompleteExternalLogin(ctx, id, "", client); err != nil {
		t.Fatal(err)
	}
	if sub, _ = f.store.GetSubject(ctx, "052090000495"); sub.Name != "Nguyễn Văn Ân" {
		t.Fatalf("name not refreshed: %q", sub.Name)
	}

	ended, err := f.auth.Logout(ctx, token, client)
	if err != nil || ended == nil || ended.IDToken != "id-token" {
		t.Fatalf("logout = %+v, %v", ended, err)
	}
	_, _, err = f.auth.Authenticate(ctx, token)
	wantCode(t, err, "session_expired")

	org := id
	org.Organisation, org.OrgCode, org.OrgName = true, "4100259564", "Công ty TNHH Xăng dầu An Lão"
	token, err = f.auth.CompleteExternalLogin(ctx, org, "", client)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err = f.auth.Authenticate(ctx, token)
	if err != nil || p.Kind != motcua.PrincipalOrganisation || p.SubjectCode != "4100259564" || p.Representative != "052090000495" {
		t.Fatalf("organisation principal = %+v, %v", p, err)
	}

	bad := id
	bad.PersonalID = "12345"
	_, err = f.auth.CompleteExternalLogin(ctx, bad, "", client)
	wantCode(t, err, "invalid_identity_claims")
}

func TestPasswords(t *testing.T) {
	t.Parallel()
	h, err := service.HashPassword("mật khẩu dài", fastPasswords)
	if err != nil {
		t.Fatal(err)
	}
	if !service.CheckPassword("mật khẩu dài", h) || service.CheckPassword("mat khau dai", h) {
		t.Fatal("CheckPassword wrong")
	}
	h2, _ := service.HashPassword("mật khẩu dài", fastPasswords)
	if h == h2 {
		t.Fatal("hashes are not salted")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=64,t=1,p=1$$", "plaintext", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$a2V5"} {
		if service.CheckPassword("x", bad) {
			t.Fatalf("malformed hash %q matched", bad)
		}
	}
	wantCode(t, service.ValidatePassword("ngắn"), "weak_password")
	if err := service.ValidatePassword("đủ-dài-rồi"); err != nil {
		t.Fatal(err)
	}
}

func TestTOTP(t *testing.T) {
	t.Parallel()
	// RFC 6238 appendix B, SHA-1 seed "12345678901234567890", last 6 digits.
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	for _, c := range []struct {
		unix int64
		code string
	}{{59, "287082"}, {1111111109, "081804"}, {1234567890, "005924"}, {2000000000, "279037"}} {
		got, err := service.TOTPCode(secret, time.Unix(c.unix, 0))
		if err != nil || got != c.code {
			t.Fatalf("TOTP at %d = %s, %v; want %s", c.unix, got, err, c.code)
		}
	}
	now := time.Unix(1234567890, 0)
	if !service.CheckTOTP(secret, "005924", now) || !service.CheckTOTP(secret, "005924", now.Add(30*time.Second)) {
		t.Fatal("current or previous step refused")
	}
	if service.CheckTOTP(secret, "005924", now.Add(2*time.Minute)) || service.CheckTOTP(secret, "5924", now) {
		t.Fatal("stale or short code accepted")
	}
}

func TestCleanUp(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	code, _ := service.TOTPCode(f.secret, f.clock.Now())
	token, err := f.auth.LoginOfficer(ctx, "tiepnhan.anhoa", "motcua-demo", code, client)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.auth.LoginOfficer(ctx, "tiepnhan.anhoa", "sai", code, service.Client{RemoteAddr: "203.0.113.9"})
	if err := f.store.SaveLoginState(ctx, &motcua.LoginState{State: "bo-do", Provider: "vneid", CreatedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if n, err := f.auth.CleanUp(ctx); err != nil || n != 0 {
		t.Fatalf("nothing is stale yet, cleaned %d, %v", n, err)
	}
	f.clock.Add(3 * time.Hour)
	n, err := f.auth.CleanUp(ctx)
	if err != nil || n != 4 { // the idle session, the abandoned login, two failure records
		t.Fatalf("cleaned %d, %v; want 4", n, err)
	}
	_, _, err = f.auth.Authenticate(ctx, token)
	wantCode(t, err, "session_expired")
}

// TestOfficerTOTPCodeUsedOnce: a code logs in once (RFC 6238 §5.2); the
// codes of the steps before the one used are refused too, the next
// step's code works.
func TestOfficerTOTPCodeUsedOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	code, _ := service.TOTPCode(f.secret, f.clock.Now())
	if _, err := f.auth.LoginOfficer(ctx, "tiepnhan.anhoa", "motcua-demo", code, client); err != nil {
		t.Fatal(err)
	}
	_, err := f.auth.LoginOfficer(ctx, "tiepnhan.anhoa", "motcua-demo", code, client)
	wantCode(t, err, "totp_code_reused")
	if motcua.ErrorKind(err) != motcua.EUNAUTH || !strings.Contains(motcua.ErrorMessage(err), "đã được dùng") {
		t.Fatalf("reused code: %v", err)
	}
	previous, _ := service.TOTPCode(f.secret, f.clock.Now().Add(-30*time.Second))
	_, err = f.auth.LoginOfficer(ctx, "tiepnhan.anhoa", "motcua-demo", previous, client)
	wantCode(t, err, "totp_code_reused")
	// A wrong password does not spend the code (later, past the window
	// of the failures counted above).
	f.clock.Add(16 * time.Minute)
	code, _ = service.TOTPCode(f.secret, f.clock.Now())
	_, err = f.auth.LoginOfficer(ctx, "tiepnhan.anhoa", "sai", code, client)
	wantCode(t, err, "invalid_credentials")
	if _, err := f.auth.LoginOfficer(ctx, "tiepnhan.anhoa", "motcua-demo", code, client); err != nil {
		t.Fatalf("next step's code: %v", err)
	}
}
