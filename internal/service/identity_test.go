package service_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/groupcommit"
	"github.com/motcua/motcua/internal/popdb"
	"github.com/motcua/motcua/internal/popdb/popdbsim"
	"github.com/motcua/motcua/internal/service"
)

// withPopulation starts the real population-database simulator and
// returns the identity service talking to it over HTTP.
func withPopulation(t testing.TB, f *fixture) (*service.Identity, *popdbsim.Simulator) {
	t.Helper()
	sim := popdbsim.New(popdbsim.DemoCitizens(), popdbsim.Options{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	client, err := popdb.NewClient(popdb.Config{BaseURL: srv.URL, ClientID: popdbsim.DefaultClientID,
		ClientSecret: popdbsim.DefaultClientSecret, Audit: groupcommit.NewAudit(f.store)})
	if err != nil {
		t.Fatal(err)
	}
	return service.NewIdentity(f.store, client, f.auth), sim
}

func demoCitizen(t testing.TB) popdb.Citizen {
	t.Helper()
	for _, c := range popdbsim.DemoCitizens() {
		if c.PersonalID == "052090000495" {
			return c
		}
	}
	t.Fatal("demo citizen missing")
	return popdb.Citizen{}
}

func TestRegister(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id, sim := withPopulation(t, f)
	ctx := context.Background()
	c := demoCitizen(t)
	reg := service.Registration{FullName: strings.ToUpper(motcua.FoldText(c.FullName)), PersonalID: c.PersonalID,
		BirthDate: c.BirthDate, Phone: "0905000111", Password: "mat-khau-cua-toi", PasswordConfirm: "mat-khau-cua-toi"}

	// The database being down is not a "no match".
	sim.SetOutage(true)
	_, err := id.Register(ctx, reg, client)
	if motcua.ErrorKind(err) != motcua.EUNAVAILABLE {
		t.Fatalf("outage: %v", err)
	}
	sim.SetOutage(false)

	token, err := id.Register(ctx, reg, client)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := f.auth.Authenticate(ctx, token)
	if err != nil || p.SubjectCode != c.PersonalID {
		t.Fatalf("new account session: %+v %v", p, err)
	}
	sub, err := f.store.GetSubject(ctx, c.PersonalID)
	if err != nil || sub.Name != c.FullName || sub.BirthDate != c.BirthDate || sub.VerifiedAt.IsZero() || sub.Phone != "0905000111" {
		t.Fatalf("subject stored from the registry: %+v %v", sub, err)
	}
	if _, err := f.auth.LoginLocal(ctx, c.PersonalID, "mat-khau-cua-toi", client); err != nil {
		t.Fatalf("local login: %v", err)
	}
	_, err = id.Register(ctx, reg, client)
	wantCode(t, err, "account_exists")

	for i, ex := range popdbsim.MismatchExamples() {
		r := service.Registration{FullName: ex.Claim.FullName, PersonalID: ex.Claim.PersonalID, BirthDate: ex.Claim.BirthDate,
			Password: "mat-khau-cua-toi", PasswordConfirm: "mat-khau-cua-toi"}
		if ex.Claim.PersonalID == "" || ex.Claim.LegacyID != "" { // the sign-up form has no CMND field
			continue
		}
		_, err := id.Register(ctx, r, service.Client{RemoteAddr: fmt.Sprintf("198.51.100.%d", i)})
		if motcua.ErrorCode(err) != "identity_mismatch" && motcua.ErrorCode(err) != "invalid_personal_id" {
			t.Errorf("%s: %v", ex.Name, err)
		}
		if _, err := f.store.GetLocalAccount(ctx, ex.Claim.PersonalID); !motcua.IsKind(err, motcua.ENOTFOUND) {
			t.Errorf("%s: an account was created", ex.Name)
		}
	}

	bad := reg
	bad.PasswordConfirm = "khac"
	_, err = id.Register(ctx, bad, client)
	wantCode(t, err, "password_mismatch")
	bad = reg
	bad.BirthDate = motcua.Date{}
	_, err = id.Register(ctx, bad, client)
	wantCode(t, err, "required")
}

func TestCounterCheck(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id, sim := withPopulation(t, f)
	ctx := context.Background()
	c := demoCitizen(t)
	reception := &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "tiepnhan.anhoa", AgencyCode: agencyCode,
		Roles: []motcua.Role{motcua.RoleReception}}
	rec, err := id.CheckAtCounter(ctx, reception, service.CounterCheck{FullName: motcua.FoldText(c.FullName), IDNumber: c.PersonalID, BirthDate: c.BirthDate})
	if err != nil {
		t.Fatal(err)
	}
	if rec.FullName != c.FullName || rec.PermanentAddress != c.PermanentAddress.Detail {
		t.Fatalf("record = %+v", rec)
	}
	events, _ := f.store.ListAudit(ctx, motcua.AuditFilter{SubjectCode: c.PersonalID})
	if len(events) == 0 || events[0].ActorID != "tiepnhan.anhoa" || !strings.Contains(events[0].Detail, "counter") {
		t.Fatalf("the counter read was not audited: %+v", events)
	}

	wrong := c.BirthDate.AddDays(1)
	_, err = id.CheckAtCounter(ctx, reception, service.CounterCheck{FullName: c.FullName, IDNumber: c.PersonalID, BirthDate: wrong})
	wantCode(t, err, "identity_mismatch")
	_, err = id.CheckAtCounter(ctx, reception, service.CounterCheck{FullName: c.FullName, IDNumber: "12345", BirthDate: wrong})
	wantCode(t, err, "invalid_id_number")

	processing := *reception
	processing.Roles = []motcua.Role{motcua.RoleProcessing}
	_, err = id.CheckAtCounter(ctx, &processing, service.CounterCheck{FullName: c.FullName, IDNumber: c.PersonalID, BirthDate: c.BirthDate})
	wantCode(t, err, "forbidden")
	citizen := &motcua.Principal{Kind: motcua.PrincipalPerson, SubjectCode: c.PersonalID}
	_, err = id.CheckAtCounter(ctx, citizen, service.CounterCheck{FullName: c.FullName, IDNumber: c.PersonalID, BirthDate: c.BirthDate})
	wantCode(t, err, "forbidden")

	sim.SetOutage(true)
	_, err = id.CheckAtCounter(ctx, reception, service.CounterCheck{FullName: c.FullName, IDNumber: c.PersonalID, BirthDate: c.BirthDate})
	// The officer is the "Bộ phận Tiếp nhận": the message offers the
	// manual verification instead of sending them to themselves (issue 16).
	if motcua.ErrorKind(err) != motcua.EUNAVAILABLE || motcua.ErrorCode(err) != motcua.CodePopulationUnavailable ||
		!strings.Contains(motcua.ErrorMessage(err), "Đối chiếu thủ công với giấy tờ bản gốc") ||
		strings.Contains(motcua.ErrorMessage(err), "đến Bộ phận Tiếp nhận") {
		t.Fatalf("outage at the counter: %v", err)
	}
}

func TestCheckBeforeSubmission(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id, _ := withPopulation(t, f)
	ctx := context.Background()
	c := demoCitizen(t)
	sub := &motcua.Subject{Code: c.PersonalID, Kind: motcua.SubjectPerson, Name: c.FullName, BirthDate: c.BirthDate}
	if err := f.store.CreateSubject(ctx, sub); err != nil {
		t.Fatal(err)
	}
	p := &motcua.Principal{Kind: motcua.PrincipalPerson, SubjectCode: c.PersonalID}
	if err := id.CheckBeforeSubmission(ctx, p, "1.000894.000.00.00.H08"); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.store.GetSubject(ctx, c.PersonalID); got.VerifiedAt.IsZero() {
		t.Fatal("a passed check must mark the owner verified")
	}
	// A profile with a wrong birth date is sent to "Chỉnh sửa".
	sub.BirthDate = sub.BirthDate.AddDays(-1)
	if err := f.store.UpdateSubject(ctx, sub); err != nil {
		t.Fatal(err)
	}
	err := id.CheckBeforeSubmission(ctx, p, "1.000894.000.00.00.H08")
	wantCode(t, err, "identity_mismatch")
	if !strings.Contains(motcua.ErrorMessage(err), "Chỉnh sửa") {
		t.Fatalf("message %q does not send the citizen to Chỉnh sửa", motcua.ErrorMessage(err))
	}
	err = id.CheckBeforeSubmission(ctx, &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "x"}, "")
	wantCode(t, err, "forbidden")
}
