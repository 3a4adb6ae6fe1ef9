package storetest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func testOfficers(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	o := &motcua.Officer{Username: "tiepnhan.anhoa", Name: "Lê Thị Hoa", AgencyCode: b.commune.Code,
		Roles: []motcua.Role{motcua.RoleReception, motcua.RoleCertification}, PasswordHash: "$argon2id$x", TOTPSecret: "JBSWY3DPEHPK3PXP"}
	must(t, s.CreateOfficer(ctx, o))
	got, err := s.GetOfficer(ctx, o.Username)
	must(t, err)
	if got.Name != o.Name || got.AgencyCode != o.AgencyCode || !slices.Equal(got.Roles, o.Roles) ||
		got.PasswordHash != o.PasswordHash || got.TOTPSecret != o.TOTPSecret || got.Disabled || got.CreatedAt.IsZero() {
		t.Fatalf("GetOfficer = %+v", got)
	}
	wantErr(t, s.CreateOfficer(ctx, o), motcua.ECONFLICT, "officer_exists")
	bad := *o
	bad.Username = "khac"
	bad.AgencyCode = "000.99.99.H08"
	wantErr(t, s.CreateOfficer(ctx, &bad), motcua.EINVALID, "unknown_agency")
	_, err = s.GetOfficer(ctx, "khong.co")
	wantErr(t, err, motcua.ENOTFOUND, "officer_not_found")

	leader := &motcua.Officer{Username: "lanhdao.huyen", Name: "Đỗ Tùng Lâm", AgencyCode: b.district.Code,
		Roles: []motcua.Role{motcua.RoleLeader}, PasswordHash: "h"}
	must(t, s.CreateOfficer(ctx, leader))
	list, err := s.ListOfficers(ctx, b.commune.Code)
	must(t, err)
	if len(list) != 1 || list[0].Username != o.Username {
		t.Fatalf("officers of commune = %+v", list)
	}
	all, err := s.ListOfficers(ctx, "")
	must(t, err)
	if len(all) != 2 || all[0].Username != leader.Username {
		t.Fatalf("all officers = %+v", all)
	}

	got.Disabled = true
	got.Roles = []motcua.Role{motcua.RoleMonitor}
	must(t, s.UpdateOfficer(ctx, got))
	again, err := s.GetOfficer(ctx, o.Username)
	must(t, err)
	if !again.Disabled || !slices.Equal(again.Roles, []motcua.Role{motcua.RoleMonitor}) {
		t.Fatalf("after update = %+v", again)
	}
	got.Username = "khong.co"
	wantErr(t, s.UpdateOfficer(ctx, got), motcua.ENOTFOUND, "officer_not_found")

	// Local accounts.
	must(t, s.CreateLocalAccount(ctx, &motcua.LocalAccount{SubjectCode: b.citizen.Code, PasswordHash: "$argon2id$y"}))
	acct, err := s.GetLocalAccount(ctx, b.citizen.Code)
	must(t, err)
	if acct.PasswordHash != "$argon2id$y" || acct.CreatedAt.IsZero() {
		t.Fatalf("account = %+v", acct)
	}
	wantErr(t, s.CreateLocalAccount(ctx, &motcua.LocalAccount{SubjectCode: b.citizen.Code, PasswordHash: "z"}),
		motcua.ECONFLICT, "account_exists")
	wantErr(t, s.CreateLocalAccount(ctx, &motcua.LocalAccount{SubjectCode: "052090009999", PasswordHash: "z"}),
		motcua.EINVALID, "unknown_subject")
	_, err = s.GetLocalAccount(ctx, b.other.Code)
	wantErr(t, err, motcua.ENOTFOUND, "account_not_found")
}

// testTOTPSteps: a TOTP code is accepted once. The step moves only
// forwards, and of logins racing with the same code exactly one wins.
func testTOTPSteps(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	o := &motcua.Officer{Username: "tiepnhan.totp", Name: "Lê Văn Bình", AgencyCode: b.commune.Code,
		Roles: []motcua.Role{motcua.RoleReception}, PasswordHash: "h", TOTPSecret: "JBSWY3DPEHPK3PXP"}
	must(t, s.CreateOfficer(ctx, o))
	const step = int64(57_000_000)
	for _, c := range []struct {
		step int64
		want bool
	}{{step, true}, {step, false}, {step - 1, false}, {step + 1, true}, {step + 1, false}, {step + 3, true}, {step + 2, false}} {
		ok, err := s.UseTOTPStep(ctx, o.Username, c.step)
		must(t, err)
		if ok != c.want {
			t.Fatalf("UseTOTPStep(%d) = %v, want %v", c.step, ok, c.want)
		}
	}
	_, err := s.UseTOTPStep(ctx, "khong.co", step)
	wantErr(t, err, motcua.ENOTFOUND, "officer_not_found")
	// Updating the officer (a new secret, roles) keeps the used step.
	got, err := s.GetOfficer(ctx, o.Username)
	must(t, err)
	got.TOTPSecret = "KRSXG5CTMVRXEZLU"
	must(t, s.UpdateOfficer(ctx, got))
	if ok, err := s.UseTOTPStep(ctx, o.Username, step+3); err != nil || ok {
		t.Fatalf("after update, step reused: %v %v", ok, err)
	}

	// Eight nodes logging in with the same code: one wins.
	var wg sync.WaitGroup
	wins := make([]bool, 8)
	for i := range wins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.UseTOTPStep(ctx, o.Username, step+10)
			if err != nil {
				t.Errorf("UseTOTPStep: %v", err)
			}
			wins[i] = ok
		}()
	}
	wg.Wait()
	if n := len(slices.DeleteFunc(wins, func(w bool) bool { return !w })); n != 1 {
		t.Fatalf("%d concurrent logins used the same code, want 1", n)
	}
}

func testSessions(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	now := time.Date(2024, 3, 20, 8, 0, 0, 0, time.UTC)
	citizen := &motcua.Session{ID: "s1", Kind: motcua.PrincipalPerson, SubjectCode: b.citizen.Code, Name: b.citizen.Name,
		Provider: "vneid", IDToken: "eyJ.x.y", CreatedAt: now, ExpiresAt: now.Add(12 * time.Hour), RemoteAddr: "127.0.0.1", UserAgent: "test"}
	must(t, s.CreateSession(ctx, citizen))
	wantErr(t, s.CreateSession(ctx, citizen), motcua.ECONFLICT, "")
	got, err := s.GetSession(ctx, "s1")
	must(t, err)
	if got.SubjectCode != b.citizen.Code || got.Kind != motcua.PrincipalPerson || got.IDToken != "eyJ.x.y" ||
		!got.LastSeenAt.Equal(now) || !got.ExpiresAt.Equal(now.Add(12*time.Hour)) || got.Provider != "vneid" {
		t.Fatalf("GetSession = %+v", got)
	}
	must(t, s.TouchSession(ctx, "s1", now.Add(time.Hour)))
	got, err = s.GetSession(ctx, "s1")
	must(t, err)
	if !got.LastSeenAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("touched = %v", got.LastSeenAt)
	}
	wantErr(t, s.TouchSession(ctx, "missing", now), motcua.ENOTFOUND, "session_not_found")
	_, err = s.GetSession(ctx, "missing")
	wantErr(t, err, motcua.ENOTFOUND, "session_not_found")

	second := *citizen
	second.ID = "s2"
	must(t, s.CreateSession(ctx, &second))
	officer := &motcua.Session{ID: "s3", Kind: motcua.PrincipalOfficer, Username: "cb1", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	must(t, s.CreateSession(ctx, officer))
	stale := &motcua.Session{ID: "s4", Kind: motcua.PrincipalOfficer, Username: "cb2", CreatedAt: now.Add(-5 * time.Hour),
		ExpiresAt: now.Add(time.Hour)}
	must(t, s.CreateSession(ctx, stale))

	// Revoking every session of one citizen leaves the others.
	n, err := s.DeleteSessionsOf(ctx, motcua.PrincipalPerson, b.citizen.Code)
	must(t, err)
	if n != 2 {
		t.Fatalf("DeleteSessionsOf = %d, want 2", n)
	}
	if _, err := s.GetSession(ctx, "s3"); err != nil {
		t.Fatalf("officer session gone: %v", err)
	}
	// Expiry: s3 passes its absolute limit at now+1h; s4 has been idle since now-5h.
	n, err = s.DeleteExpiredSessions(ctx, now.Add(30*time.Minute), now.Add(-2*time.Hour))
	must(t, err)
	if n != 1 {
		t.Fatalf("idle cleanup removed %d, want 1", n)
	}
	n, err = s.DeleteExpiredSessions(ctx, now.Add(time.Hour), now.Add(-2*time.Hour))
	must(t, err)
	if n != 1 {
		t.Fatalf("absolute cleanup removed %d, want 1", n)
	}
	must(t, s.DeleteSession(ctx, "s3"))
	must(t, s.DeleteSession(ctx, "s3"))
}

func testLoginStates(t *testing.T, newStore NewStore) {
	s, _ := setup(t, newStore)
	ctx := context.Background()
	ls := &motcua.LoginState{State: "st-1", Provider: "vneid", Nonce: "n", CodeVerifier: "v", ReturnTo: "/kho"}
	must(t, s.SaveLoginState(ctx, ls))
	wantErr(t, s.SaveLoginState(ctx, ls), motcua.ECONFLICT, "")
	// Two callbacks racing with the same state: exactly one wins.
	var wg sync.WaitGroup
	results := make([]error, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := s.TakeLoginState(ctx, "st-1")
			if err == nil && (got.Nonce != "n" || got.CodeVerifier != "v" || got.ReturnTo != "/kho" || got.Provider != "vneid") {
				t.Errorf("TakeLoginState = %+v", got)
			}
			results[i] = err
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range results {
		if err == nil {
			wins++
		} else {
			wantErr(t, err, motcua.ENOTFOUND, "login_state_not_found")
		}
	}
	if wins != 1 {
		t.Fatalf("%d callbacks used the same state, want 1", wins)
	}
	// Abandoned logins are cleaned up.
	old := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	must(t, s.SaveLoginState(ctx, &motcua.LoginState{State: "old", Provider: "vneid", CreatedAt: old}))
	must(t, s.SaveLoginState(ctx, &motcua.LoginState{State: "new", Provider: "vneid", CreatedAt: old.Add(time.Hour)}))
	n, err := s.DeleteLoginStatesBefore(ctx, old.Add(time.Minute))
	must(t, err)
	if n != 1 {
		t.Fatalf("cleaned %d login states, want 1", n)
	}
	if _, err := s.TakeLoginState(ctx, "new"); err != nil {
		t.Fatalf("the recent login state was cleaned: %v", err)
	}
}

func testLoginFailures(t *testing.T, newStore NewStore) {
	s, _ := setup(t, newStore)
	ctx := context.Background()
	now := time.Date(2024, 3, 20, 8, 0, 0, 0, time.UTC)
	for i := range 5 {
		must(t, s.RecordLoginFailure(ctx, "ip:10.0.0.1", now.Add(time.Duration(i)*time.Minute)))
	}
	must(t, s.RecordLoginFailure(ctx, "account:cb1", now))
	n, err := s.CountLoginFailures(ctx, "ip:10.0.0.1", now.Add(2*time.Minute))
	must(t, err)
	if n != 3 {
		t.Fatalf("failures since +2m = %d, want 3", n)
	}
	must(t, s.ClearLoginFailures(ctx, "ip:10.0.0.1"))
	if n, _ = s.CountLoginFailures(ctx, "ip:10.0.0.1", now); n != 0 {
		t.Fatalf("after clear = %d", n)
	}
	if n, _ = s.CountLoginFailures(ctx, "account:cb1", now); n != 1 {
		t.Fatalf("other key = %d", n)
	}
	must(t, s.RecordLoginFailure(ctx, "account:cb1", now.Add(time.Hour)))
	if n, err = s.DeleteLoginFailuresBefore(ctx, now.Add(time.Minute)); err != nil || n != 1 {
		t.Fatalf("cleaned %d failures, %v; want 1", n, err)
	}
	if n, _ = s.CountLoginFailures(ctx, "account:cb1", now); n != 1 {
		t.Fatalf("after cleaning = %d, want the recent one", n)
	}
}
