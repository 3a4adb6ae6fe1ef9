package service_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/groupcommit"
	"github.com/motcua/motcua/internal/popdb"
	"github.com/motcua/motcua/internal/popdb/popdbsim"
	"github.com/motcua/motcua/internal/service"
)

// TestCounterManualVerification (issue 16): while the population database
// is down the counter officer receives after a manual verification with a
// reason; the dossier carries it, the audit log has it, and the re-check
// job confirms it once the database answers.
func TestCounterManualVerification(t *testing.T) {
	t.Parallel()
	f := setupSubmission(t)
	ctx := context.Background()
	sim := popdbsim.New(popdbsim.DemoCitizens(), popdbsim.Options{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	pop, err := popdb.NewClient(popdb.Config{BaseURL: srv.URL, ClientID: popdbsim.DefaultClientID,
		ClientSecret: popdbsim.DefaultClientSecret, Audit: groupcommit.NewAudit(f.store), Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	subs := service.NewSubmissions(f.store, f.w, service.NewIdentity(f.store, pop, f.auth), "http://motcua.test", f.clock.Now)
	counter := service.NewCounter(subs)
	desk := officerOf(agencyCode, "tiepnhan.anhoa", motcua.RoleReception)
	c := demoCitizen(t)
	start := service.CounterStart{ProcedureCode: f.proc.Code, CaseCode: "TH1",
		Submitter: service.CounterCheck{FullName: c.FullName, IDNumber: c.PersonalID, BirthDate: c.BirthDate}}

	// The database answers: a manual verification is not used.
	manualUp := start
	manualUp.Manual, manualUp.ManualReason = true, "thử"
	d, err := counter.Start(ctx, desk, manualUp)
	if err != nil || d.ManualIdentity != nil || !d.OwnerVerified {
		t.Fatalf("manual verification while the database answers: %v %+v", err, d)
	}

	sim.SetOutage(true)
	_, err = counter.Start(ctx, desk, start)
	wantCode(t, err, motcua.CodePopulationUnavailable)
	if msg := motcua.ErrorMessage(err); !strings.Contains(msg, "Đối chiếu thủ công với giấy tờ bản gốc") || strings.Contains(msg, "đến Bộ phận Tiếp nhận") {
		t.Fatalf("officer's outage message: %s", msg)
	}
	manual := start
	manual.Manual = true
	_, err = counter.Start(ctx, desk, manual)
	wantCode(t, err, "manual_reason_required")
	manual.ManualReason = "  CSDLQG mất kết nối,   đã đối chiếu CCCD bản gốc "
	cmnd := manual
	cmnd.Submitter.IDNumber = "210456789"
	_, err = counter.Start(ctx, desk, cmnd)
	wantCode(t, err, "manual_needs_personal_id")

	d, err = counter.Start(ctx, desk, manual)
	if err != nil {
		t.Fatal(err)
	}
	if d.OwnerVerified || d.ManualIdentity == nil || d.ManualIdentity.By != desk.Username ||
		d.ManualIdentity.Reason != "CSDLQG mất kết nối, đã đối chiếu CCCD bản gốc" || d.Owner.Code != c.PersonalID {
		t.Fatalf("manual draft: %+v %+v", d, d.ManualIdentity)
	}
	events, err := f.store.ListAudit(ctx, motcua.AuditFilter{ObjectKind: "draft", ObjectID: d.ID})
	if err != nil {
		t.Fatal(err)
	}
	var audited bool
	for _, e := range events {
		audited = audited || e.Action == "identity.manual_verification" && e.ActorID == desk.Username &&
			strings.Contains(e.Detail, "đã đối chiếu CCCD bản gốc") && !e.At.IsZero()
	}
	if !audited {
		t.Fatalf("the manual verification is not in the audit log: %+v", events)
	}
	dossier, err := counter.Receive(ctx, desk, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	rec := service.NewReception(f.store, nil, "http://motcua.test", f.clock.Now)
	got, err := rec.Dossier(ctx, desk, dossier.Code)
	if err != nil {
		t.Fatal(err)
	}
	ic := got.IdentityCheck
	if !ic.Unconfirmed() || ic.Recheck != motcua.RecheckPending || ic.By != desk.Username || ic.Manual == nil || got.OwnerVerified {
		t.Fatalf("received dossier's identity check: %+v", ic)
	}

	// Still down: the attempt is counted and rescheduled.
	rechecks := service.NewIdentityRechecks(f.store, pop, time.Nanosecond, nil)
	if n, err := rechecks.RunDue(ctx); err != nil || n != 0 {
		t.Fatalf("re-check during the outage: %d, %v", n, err)
	}
	ic, err = f.store.GetIdentityCheck(ctx, dossier.ID)
	if err != nil || ic.Recheck != motcua.RecheckPending || ic.Attempts != 1 || ic.LastError != motcua.CodePopulationUnavailable {
		t.Fatalf("after a failed re-check: %+v, %v", ic, err)
	}
	if alerts, err := rec.IdentityAlerts(ctx, desk); err != nil || len(alerts) != 0 {
		t.Fatalf("alerts while pending: %d, %v", len(alerts), err)
	}

	sim.SetOutage(false)
	if n, err := rechecks.RunDue(ctx); err != nil || n != 1 {
		t.Fatalf("re-check after recovery: %d, %v", n, err)
	}
	got, err = rec.Dossier(ctx, desk, dossier.Code)
	if err != nil {
		t.Fatal(err)
	}
	if ic := got.IdentityCheck; ic.Unconfirmed() || ic.Method != motcua.IdentityPopDB || ic.Recheck != motcua.RecheckMatched ||
		ic.By != motcua.ActorSystem || ic.Manual == nil || ic.Manual.By != desk.Username {
		t.Fatalf("confirmed identity check: %+v", ic)
	}
	// Indicator 4.5: the owner now counts as verified.
	if !got.OwnerVerified {
		t.Fatalf("owner_verified still false after the re-check matched")
	}
	events, err = f.store.ListAudit(ctx, motcua.AuditFilter{ObjectKind: "dossier", ObjectID: dossier.ID})
	if err != nil {
		t.Fatal(err)
	}
	var rechecked bool
	for _, e := range events {
		rechecked = rechecked || e.Action == "identity.recheck_match"
	}
	if !rechecked {
		t.Fatalf("the re-check is not audited: %+v", events)
	}
	if n, err := rechecks.RunDue(ctx); err != nil || n != 0 {
		t.Fatalf("a settled re-check ran again: %d, %v", n, err)
	}
}
