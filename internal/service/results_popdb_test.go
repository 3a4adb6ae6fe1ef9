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

// TestPushResultConfirmsUnknownOwner: an agency's push for a person
// motcua has not met asks the population database (as the client, for
// result_push, logged), creates the owner from its record on a match and
// stores nothing when it does not match or cannot be reached.
func TestPushResultConfirmsUnknownOwner(t *testing.T) {
	t.Parallel()
	f := setupWarehouse(t)
	ctx := context.Background()
	client := &motcua.APIClient{ID: "hotich.anhoa", AgencyCode: agencyCode, Categories: []string{"KQ.G15.000031"}, OrganisationOwners: true}
	const id, registered = "052187005519", "Trương Thị Ngọc Lan"
	born := motcua.Date{Year: 1987, Month: time.June, Day: 14}
	n := 0
	result := func(name string, birth motcua.Date) service.AgencyResult {
		n++
		return service.AgencyResult{Code: id + ".KQ.G15.000031.KS-P" + string(rune('0'+n)), OwnerName: name, OwnerBirthDate: birth,
			IssuedOn: motcua.Date{Year: 2024, Month: 3, Day: 1}, File: service.Upload{Name: "ks.pdf", Data: f.sig.pdf(t, "Giay khai sinh "+string(rune('0'+n)))}}
	}
	// queries counts the population-database reads logged about her.
	queries := func() int {
		t.Helper()
		events, err := f.store.ListAudit(ctx, motcua.AuditFilter{SubjectCode: id, ObjectKind: "citizen"})
		if err != nil {
			t.Fatal(err)
		}
		return len(events)
	}
	nothingStored := func(r service.AgencyResult) {
		t.Helper()
		if _, err := f.store.GetSubject(ctx, id); !motcua.IsKind(err, motcua.ENOTFOUND) {
			t.Fatalf("a refused push created its owner: %v", err)
		}
		if _, err := f.store.GetDocumentByCode(ctx, r.Code); !motcua.IsKind(err, motcua.ENOTFOUND) {
			t.Fatalf("a refused push stored its result: %v", err)
		}
	}

	// No population database configured: unavailable, never a guess.
	r := result(registered, born)
	_, _, _, err := f.w.PushResult(ctx, client, r)
	wantCode(t, err, popdb.CodeUnavailable)
	if motcua.ErrorKind(err) != motcua.EUNAVAILABLE {
		t.Fatalf("kind = %v", motcua.ErrorKind(err))
	}
	nothingStored(r)

	sim := popdbsim.New(popdbsim.DemoCitizens(), popdbsim.Options{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	pop, err := popdb.NewClient(popdb.Config{BaseURL: srv.URL, ClientID: popdbsim.DefaultClientID,
		ClientSecret: popdbsim.DefaultClientSecret, Audit: groupcommit.NewAudit(f.store)})
	if err != nil {
		t.Fatal(err)
	}
	f.w.WithPopulation(pop)

	// The database is down: 503, nothing stored, the push may be repeated.
	sim.SetOutage(true)
	_, _, _, err = f.w.PushResult(ctx, client, r)
	wantCode(t, err, popdb.CodeUnavailable)
	nothingStored(r)
	sim.SetOutage(false)

	for _, tc := range []struct {
		name  string
		r     service.AgencyResult
		code  string
		asked bool
	}{
		{"no birth date", result(registered, motcua.Date{}), "owner_unknown", false},
		{"birth date off by a day", result(registered, born.AddDays(1)), "owner_identity_mismatch", true},
		{"another name", result("Trương Thị Ngọc Lành", born), "owner_identity_mismatch", true},
		{"born tomorrow", result(registered, motcua.DateOf(time.Now()).AddDays(1)), "invalid_birth_date", false},
	} {
		before := queries()
		_, _, _, err := f.w.PushResult(ctx, client, tc.r)
		if motcua.ErrorCode(err) != tc.code {
			t.Fatalf("%s: %v, want %s", tc.name, err, tc.code)
		}
		if asked := queries() > before; asked != tc.asked {
			t.Errorf("%s: population database asked = %v", tc.name, asked)
		}
		nothingStored(tc.r)
	}
	// An unsigned file is refused before the database is asked.
	bad := result(registered, born)
	bad.File.Data = []byte("%PDF-1.7 not signed")
	before := queries()
	if _, _, _, err := f.w.PushResult(ctx, client, bad); motcua.ErrorKind(err) != motcua.EINVALID || queries() != before {
		t.Fatalf("unsigned push: %v, database asked %d times", err, queries()-before)
	}

	// A match: the owner is created from the database's record.
	r = result("TRUONG THI  NGOC LAN", born)
	d, created, _, err := f.w.PushResult(ctx, client, r)
	if err != nil || !created || d.OwnerName != registered || d.OwnerCode != id {
		t.Fatalf("push = %+v, %v, %v", d, created, err)
	}
	s, err := f.store.GetSubject(ctx, id)
	if err != nil || s.Name != registered || s.BirthDate != born || s.Kind != motcua.SubjectPerson || s.VerifiedAt.IsZero() {
		t.Fatalf("new owner = %+v, %v", s, err)
	}
	// Every query is logged as the client's, for result_push.
	events, err := f.store.ListAudit(ctx, motcua.AuditFilter{SubjectCode: id, ObjectKind: "citizen"})
	if err != nil {
		t.Fatal(err)
	}
	results := map[string]int{}
	for _, e := range events {
		if e.Action != "popdb.lookup" || e.ActorKind != popdb.ActorIntegrator || e.ActorID != "client:hotich.anhoa" ||
			e.AgencyCode != agencyCode || !strings.HasPrefix(e.Detail, "purpose=result_push result=") {
			t.Errorf("audit event %+v", e)
		}
		results[strings.Fields(strings.TrimPrefix(e.Detail, "purpose=result_push result="))[0]]++
	}
	if results["unavailable"] != 1 || results["not_found"] != 2 || results["found"] != 1 || len(events) != 4 {
		t.Errorf("popdb queries logged: %v", results)
	}

	// Known now: no more queries; a given birth date must be hers.
	before = queries()
	_, _, _, err = f.w.PushResult(ctx, client, result(registered, born.AddDays(1)))
	wantCode(t, err, "owner_birth_date_mismatch")
	if _, created, _, err := f.w.PushResult(ctx, client, result(registered, born)); err != nil || !created {
		t.Fatalf("known owner with her birth date: %v", err)
	}
	if queries() != before {
		t.Errorf("the database was asked about a known owner")
	}

	// Organisations: a birth date makes no sense, an unknown one is refused.
	org := service.AgencyResult{Code: "0100109106.KQ.G15.000031.X1", OwnerName: "Công ty A", IssuedOn: r.IssuedOn, File: r.File}
	_, _, _, err = f.w.PushResult(ctx, client, org)
	wantCode(t, err, "owner_unknown")
	org.OwnerBirthDate = born
	_, _, _, err = f.w.PushResult(ctx, client, org)
	wantCode(t, err, "owner_birth_date_not_allowed")
}
