package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

func TestOfficerManagement(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	const district, commune2 = "000.00.23.H08", "000.23.04.H08"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.store.CreateAgency(ctx, &motcua.Agency{Code: district, Name: "UBND huyện An Lão", Level: motcua.LevelDistrict}))
	a, _ := f.store.GetAgency(ctx, agencyCode)
	a.ParentCode = district
	must(f.store.UpdateAgency(ctx, a))
	must(f.store.CreateAgency(ctx, &motcua.Agency{Code: commune2, Name: "UBND xã An Dũng", Level: motcua.LevelCommune, ParentCode: district}))

	svc := service.NewOfficers(f.store, fastPasswords)
	districtAdmin := &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "quantri.huyen", AgencyCode: district, Roles: []motcua.Role{motcua.RoleAdmin}}
	communeAdmin := &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "quantri.xa", AgencyCode: agencyCode, Roles: []motcua.Role{motcua.RoleAdmin}}
	reception := &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "tiepnhan.anhoa", AgencyCode: agencyCode, Roles: []motcua.Role{motcua.RoleReception}}

	agencies, err := svc.Manageable(ctx, districtAdmin)
	must(err)
	if len(agencies) != 3 || agencies[0].Code != district {
		t.Fatalf("district admin manages %d agencies", len(agencies))
	}
	if _, err := svc.Manageable(ctx, reception); motcua.ErrorCode(err) != "forbidden" {
		t.Fatalf("reception manages officers: %v", err)
	}

	o, secret, err := svc.Create(ctx, districtAdmin, service.NewOfficer{Username: "xuly.andung", Name: "Phan Văn Đức",
		AgencyCode: commune2, Roles: []motcua.Role{motcua.RoleProcessing}, Password: "mat-khau-ban-dau"})
	must(err)
	if secret == "" || o.TOTPSecret != secret || !service.CheckPassword("mat-khau-ban-dau", o.PasswordHash) {
		t.Fatalf("created officer = %+v", o)
	}
	_, _, err = svc.Create(ctx, communeAdmin, service.NewOfficer{Username: "x.huyen", Name: "X", AgencyCode: district,
		Roles: []motcua.Role{motcua.RoleMonitor}, Password: "mat-khau-ban-dau"})
	wantCode(t, err, "forbidden")
	_, _, err = svc.Create(ctx, communeAdmin, service.NewOfficer{Username: "y.andung", Name: "Y", AgencyCode: commune2,
		Roles: []motcua.Role{motcua.RoleMonitor}, Password: "mat-khau-ban-dau"})
	wantCode(t, err, "forbidden")
	_, _, err = svc.Create(ctx, districtAdmin, service.NewOfficer{Username: "Z Z", Name: "Z", AgencyCode: commune2,
		Roles: []motcua.Role{motcua.RoleMonitor}, Password: "mat-khau-ban-dau"})
	wantCode(t, err, "invalid_username")
	_, _, err = svc.Create(ctx, districtAdmin, service.NewOfficer{Username: "z.z", Name: "Z", AgencyCode: commune2,
		Roles: []motcua.Role{"boss"}, Password: "mat-khau-ban-dau"})
	wantCode(t, err, "invalid_role")
	_, _, err = svc.Create(ctx, districtAdmin, service.NewOfficer{Username: "z.z", Name: "Z", AgencyCode: commune2,
		Roles: []motcua.Role{motcua.RoleMonitor}, Password: "ngan"})
	wantCode(t, err, "weak_password")

	list, err := svc.List(ctx, districtAdmin)
	must(err)
	if len(list) != 2 {
		t.Fatalf("district admin sees %d officers, want 2", len(list))
	}
	list, err = svc.List(ctx, communeAdmin)
	must(err)
	if len(list) != 1 || list[0].Username != "tiepnhan.anhoa" {
		t.Fatalf("commune admin sees %+v", list)
	}

	// Disabling an officer ends their open sessions at once.
	code, _ := service.TOTPCode(f.secret, f.clock.Now())
	token, err := f.auth.LoginOfficer(ctx, "tiepnhan.anhoa", "motcua-demo", code, client)
	must(err)
	_, _, err = svc.Update(ctx, communeAdmin, "tiepnhan.anhoa", service.OfficerUpdate{Name: "Lê Thị Hoa",
		Roles: []motcua.Role{motcua.RoleReception}, Disabled: true})
	must(err)
	_, _, err = f.auth.Authenticate(ctx, token)
	wantCode(t, err, "session_expired")

	// A TOTP reset issues a new secret; the old one stops working.
	_, newSecret, err := svc.Update(ctx, districtAdmin, "xuly.andung", service.OfficerUpdate{Name: "Phan Văn Đức",
		Roles: []motcua.Role{motcua.RoleProcessing}, ResetTOTP: true, NewPassword: "mat-khau-moi-123"})
	must(err)
	stored, _ := f.store.GetOfficer(ctx, "xuly.andung")
	if newSecret == "" || newSecret == secret || stored.TOTPSecret != newSecret || !service.CheckPassword("mat-khau-moi-123", stored.PasswordHash) {
		t.Fatalf("reset did not take: %+v", stored)
	}
	// An admin cannot lock themselves out.
	must(f.store.CreateOfficer(ctx, &motcua.Officer{Username: "quantri.huyen", Name: "Lê Quang Vinh", AgencyCode: district,
		Roles: []motcua.Role{motcua.RoleAdmin}, PasswordHash: "h"}))
	_, _, err = svc.Update(ctx, districtAdmin, "quantri.huyen", service.OfficerUpdate{Name: "Lê Quang Vinh",
		Roles: []motcua.Role{motcua.RoleMonitor}})
	wantCode(t, err, "cannot_demote_self")

	events, err := f.store.ListAudit(ctx, motcua.AuditFilter{ObjectKind: "officer"})
	must(err)
	if len(events) != 3 {
		t.Fatalf("audit has %d officer events, want 3", len(events))
	}
	// Changes keep the account before and after, never its secrets.
	for _, e := range events {
		if !strings.Contains(e.Detail, `"before":`) || !strings.Contains(e.Detail, `"after":{`) || strings.Contains(e.Detail, "$argon2") {
			t.Fatalf("audit detail of %s = %s", e.Action, e.Detail)
		}
	}
	if e := events[0]; e.Action != "officer.update" || strings.Contains(e.Detail, `"before":null`) || !strings.Contains(e.Detail, `"roles":[`) {
		t.Fatalf("update audit = %+v", e)
	}
}

func TestKPITrend(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.store.CreateProcedure(ctx, &motcua.Procedure{Code: "1.000894.000.00.00.H08", Name: "Đăng ký kết hôn",
		Cases: []motcua.ProcedureCase{{Code: "TH1", Name: "1 ngày"}}}))
	file := motcua.File{Name: "a.pdf", Size: 1, SHA256: strings.Repeat("0", 64)}
	for i, c := range []struct {
		month  time.Month
		reused bool
	}{{1, true}, {1, false}, {3, true}, {3, true}, {3, false}, {3, false}} {
		at := time.Date(2024, c.month, 10+i, 2, 0, 0, 0, time.UTC)
		comp := motcua.DossierComponent{Code: "TP", Name: "TP", Digitization: motcua.Digitized,
			Attachments: []motcua.Attachment{{Source: motcua.Scanned, File: file}}}
		if c.reused {
			comp.Digitization, comp.Attachments[0].Source, comp.Attachments[0].DocumentID = motcua.ReusedFromWarehouse, motcua.FromWarehouse, "d"
		}
		p := motcua.Person{Code: "052090000495", Name: "An"}
		must(f.store.CreateDossier(ctx, &motcua.Dossier{ProcedureCode: "1.000894.000.00.00.H08", CaseCode: "TH1", AgencyCode: agencyCode,
			Submitter: p, Owner: p, Channel: motcua.ChannelOnline, ResultMethod: motcua.ResultOnline, Status: motcua.StatusReceived,
			Components: []motcua.DossierComponent{comp}, SubmittedAt: at, ReceivedAt: at}))
	}
	monitor := &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "m", AgencyCode: agencyCode, Roles: []motcua.Role{motcua.RoleMonitor}}
	pts, err := service.NewKPI(f.store).Trend(ctx, monitor, agencyCode, motcua.Date{Year: 2024, Month: 3, Day: 20}, 3)
	must(err)
	if len(pts) != 3 || pts[0].Received != 2 || pts[0].Reused != 1 || pts[1].Received != 0 || pts[2].Rate().Percent(0, ",") != "50" {
		t.Fatalf("trend = %+v", pts)
	}
	reception := &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "r", AgencyCode: agencyCode, Roles: []motcua.Role{motcua.RoleReception}}
	_, err = service.NewKPI(f.store).Trend(ctx, reception, agencyCode, motcua.Date{Year: 2024, Month: 3, Day: 1}, 3)
	wantCode(t, err, "forbidden")
}
