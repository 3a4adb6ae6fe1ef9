package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// testIdentityChecks: a dossier's identity check is stored, replaced and
// listed; a pending manual check is a re-check job claimed once per
// lease, like the outbox.
func testIdentityChecks(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	at := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	manual, popdb := newDossier(b, at), newDossier(b, at)
	must(t, s.CreateDossier(ctx, manual, popdb))

	wantErr(t, s.PutIdentityCheck(ctx, &motcua.IdentityCheck{DossierID: "missing", Method: motcua.IdentityPopDB, CheckedAt: at, By: "x"}),
		motcua.EINVALID, "unknown_dossier")
	_, err := s.GetIdentityCheck(ctx, popdb.ID)
	wantErr(t, err, motcua.ENOTFOUND, "")

	must(t, s.PutIdentityCheck(ctx, &motcua.IdentityCheck{DossierID: popdb.ID, Method: motcua.IdentityPopDB, CheckedAt: at, By: "canbo01"}))
	m := &motcua.IdentityCheck{DossierID: manual.ID, Method: motcua.IdentityManual, CheckedAt: at, By: "canbo01",
		Manual:  &motcua.ManualVerification{At: at, By: "canbo01", Reason: "CSDLQG mất kết nối, đã đối chiếu CCCD bản gốc"},
		Recheck: motcua.RecheckPending, NextAttemptAt: at}
	must(t, s.PutIdentityCheck(ctx, m))
	if m.AgencyCode != b.commune.Code {
		t.Fatalf("agency = %q, want the dossier's %q", m.AgencyCode, b.commune.Code)
	}
	got, err := s.GetIdentityCheck(ctx, manual.ID)
	must(t, err)
	if got.Method != motcua.IdentityManual || !got.CheckedAt.Equal(at) || got.By != "canbo01" || got.Manual == nil ||
		got.Manual.Reason != m.Manual.Reason || !got.Manual.At.Equal(at) || got.Recheck != motcua.RecheckPending ||
		got.AgencyCode != b.commune.Code || !got.Unconfirmed() {
		t.Fatalf("manual check = %+v (manual %+v)", got, got.Manual)
	}

	// Not due yet: nothing to claim; then due: claimed once per lease.
	claimed, err := s.ClaimIdentityRechecks(ctx, at.Add(-time.Second), time.Minute, 10)
	must(t, err)
	if len(claimed) != 0 {
		t.Fatalf("claimed %d rechecks before they were due", len(claimed))
	}
	claimed, err = s.ClaimIdentityRechecks(ctx, at, time.Minute, 10)
	must(t, err)
	if len(claimed) != 1 || claimed[0].DossierID != manual.ID || !claimed[0].NextAttemptAt.Equal(at.Add(time.Minute)) {
		t.Fatalf("claimed = %+v, want the manual check leased for a minute", claimed)
	}
	if again, err := s.ClaimIdentityRechecks(ctx, at.Add(time.Second), time.Minute, 10); err != nil || len(again) != 0 {
		t.Fatalf("second claim within the lease = %d, %v", len(again), err)
	}

	// A failed attempt, then the mismatch the agency must see.
	c := *claimed[0]
	c.Attempts, c.LastError, c.NextAttemptAt = 1, "popdb_unavailable", at.Add(2*time.Minute)
	must(t, s.PutIdentityCheck(ctx, &c))
	c.Recheck, c.Attempts, c.NextAttemptAt = motcua.RecheckMismatch, 2, time.Time{}
	must(t, s.PutIdentityCheck(ctx, &c))
	if again, err := s.ClaimIdentityRechecks(ctx, at.Add(time.Hour), time.Minute, 10); err != nil || len(again) != 0 {
		t.Fatalf("a settled recheck was claimed: %d, %v", len(again), err)
	}
	alerts, err := s.ListIdentityChecks(ctx, motcua.IdentityCheckFilter{AgencyCode: b.commune.Code, Recheck: motcua.RecheckMismatch})
	must(t, err)
	if len(alerts) != 1 || alerts[0].DossierID != manual.ID || alerts[0].Attempts != 2 || alerts[0].Manual == nil {
		t.Fatalf("mismatch alerts = %+v", alerts)
	}
	if other, err := s.ListIdentityChecks(ctx, motcua.IdentityCheckFilter{AgencyCode: b.district.Code}); err != nil || len(other) != 0 {
		t.Fatalf("another agency's list = %d, %v", len(other), err)
	}
	all, err := s.ListIdentityChecks(ctx, motcua.IdentityCheckFilter{})
	must(t, err)
	if len(all) != 2 {
		t.Fatalf("all checks = %d, want 2", len(all))
	}

	// Confirmed: the flag is cleared, the manual record stays.
	ok := got.Confirmed(at.Add(time.Hour))
	must(t, s.PutIdentityCheck(ctx, &ok))
	got, err = s.GetIdentityCheck(ctx, manual.ID)
	must(t, err)
	if got.Unconfirmed() || got.Method != motcua.IdentityPopDB || got.By != motcua.ActorSystem || got.Recheck != motcua.RecheckMatched ||
		got.Manual == nil || got.Manual.By != "canbo01" || !got.NextAttemptAt.IsZero() {
		t.Fatalf("confirmed check = %+v", got)
	}
}

// testIdentityRecheckVerifies: a received dossier whose identities were
// compared by hand does not count as owner-verified (indicator 4.5)
// until the re-check matches; then both the dossier and the summaries
// say so. A mismatch changes nothing.
func testIdentityRecheckVerifies(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	at := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	manual, mismatch := newDossier(b, at), newDossier(b, at)
	for _, d := range []*motcua.Dossier{manual, mismatch} {
		d.Status, d.ReceivedAt, d.DueAt = motcua.StatusReceived, at, at.Add(48*time.Hour)
	}
	must(t, s.CreateDossier(ctx, manual, mismatch))
	verified := func() int64 {
		t.Helper()
		counts, err := s.ReuseCounts(ctx, at.Add(-24*time.Hour), at.Add(24*time.Hour))
		must(t, err)
		var n int64
		for _, c := range counts {
			if c.AgencyCode == b.commune.Code {
				n += c.Verified
			}
		}
		return n
	}
	checks := map[string]*motcua.IdentityCheck{}
	for _, d := range []*motcua.Dossier{manual, mismatch} {
		c := &motcua.IdentityCheck{DossierID: d.ID, Method: motcua.IdentityManual, CheckedAt: at, By: "canbo01",
			Manual:  &motcua.ManualVerification{At: at, By: "canbo01", Reason: "CSDLQG mất kết nối"},
			Recheck: motcua.RecheckPending, NextAttemptAt: at}
		must(t, s.PutIdentityCheck(ctx, c))
		checks[d.ID] = c
	}
	if n := verified(); n != 0 {
		t.Fatalf("verified before any re-check = %d", n)
	}
	bad := *checks[mismatch.ID]
	bad.Recheck, bad.NextAttemptAt = motcua.RecheckMismatch, time.Time{}
	must(t, s.PutIdentityCheck(ctx, &bad))
	ok := checks[manual.ID].Confirmed(at.Add(time.Hour))
	must(t, s.PutIdentityCheck(ctx, &ok))
	if n := verified(); n != 1 {
		t.Fatalf("verified after one match = %d, want 1", n)
	}
	for id, want := range map[string]bool{manual.ID: true, mismatch.ID: false} {
		d, err := s.GetDossier(ctx, id)
		must(t, err)
		if d.OwnerVerified != want {
			t.Errorf("dossier %s owner_verified = %t, want %t", id, d.OwnerVerified, want)
		}
	}
	// Writing the confirmed check again changes nothing.
	must(t, s.PutIdentityCheck(ctx, &ok))
	if n := verified(); n != 1 {
		t.Fatalf("verified after a repeated confirmation = %d", n)
	}
	// The summaries agree with a rebuild from the dossiers.
	rb, err := s.RebuildIndicators(ctx)
	must(t, err)
	if n := verified(); n != 1 || rb.Corrected != 0 {
		t.Fatalf("verified after rebuild = %d (%+v)", n, rb)
	}
}
