package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func testDossiers(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	// 23:30 UTC on 26/10/2023 is already 27/10/2023 in Vietnam.
	at := time.Date(2023, 10, 26, 23, 30, 0, 0, time.UTC)

	d1 := newDossier(b, at)
	must(t, s.CreateDossier(ctx, d1))
	if d1.Code != b.commune.Code+"-231027-0001" || d1.ID == "" {
		t.Fatalf("first dossier code = %q", d1.Code)
	}
	d2 := newDossier(b, at.Add(time.Hour))
	d2.Components[0].Digitization = motcua.ReusedFromWarehouse
	d2.Components[0].Attachments[0] = motcua.Attachment{Source: motcua.FromWarehouse, DocumentID: "doc-1",
		File: d2.Components[0].Attachments[0].File}
	must(t, s.CreateDossier(ctx, d2))
	if d2.Code != b.commune.Code+"-231027-0002" {
		t.Fatalf("second dossier code = %q", d2.Code)
	}
	// The sequence resets each day and is kept per unit.
	next := newDossier(b, at.Add(24*time.Hour))
	must(t, s.CreateDossier(ctx, next))
	if next.Code != b.commune.Code+"-231028-0001" {
		t.Fatalf("next day code = %q", next.Code)
	}
	atDistrict := newDossier(b, at)
	atDistrict.AgencyCode = b.district.Code
	must(t, s.CreateDossier(ctx, atDistrict))
	if atDistrict.Code != b.district.Code+"-231027-0001" {
		t.Fatalf("district code = %q", atDistrict.Code)
	}
	// A refused dossier does not use up a number.
	bad := newDossier(b, at)
	bad.ProcedureCode = "1.999999.000.00.00.H08"
	wantErr(t, s.CreateDossier(ctx, bad), motcua.EINVALID, "unknown_procedure")
	bad = newDossier(b, at)
	bad.AgencyCode = "000.77.77.H08"
	wantErr(t, s.CreateDossier(ctx, bad), motcua.EINVALID, "unknown_agency")
	explicit := newDossier(b, at)
	explicit.Code = d1.Code
	wantErr(t, s.CreateDossier(ctx, explicit), motcua.ECONFLICT, "dossier_exists")
	d3 := newDossier(b, at)
	must(t, s.CreateDossier(ctx, d3))
	if d3.Code != b.commune.Code+"-231027-0003" {
		t.Fatalf("code after refusals = %q, want no gap", d3.Code)
	}
	// Several at once (group commit): consecutive codes per unit and day,
	// all or none.
	batch := []*motcua.Dossier{newDossier(b, at), newDossier(b, at.Add(24*time.Hour)), newDossier(b, at)}
	batch[1].AgencyCode = b.district.Code
	must(t, s.CreateDossier(ctx, batch...))
	for i, want := range []string{b.commune.Code + "-231027-0004", b.district.Code + "-231028-0001", b.commune.Code + "-231027-0005"} {
		if batch[i].Code != want {
			t.Fatalf("batch dossier %d code = %q, want %q", i, batch[i].Code, want)
		}
		if got, err := s.GetDossierByCode(ctx, want); err != nil || got.ID != batch[i].ID {
			t.Fatalf("batch dossier %s: %v", want, err)
		}
	}
	failing := []*motcua.Dossier{newDossier(b, at), newDossier(b, at)}
	failing[1].ProcedureCode = "1.999999.000.00.00.H08"
	wantErr(t, s.CreateDossier(ctx, failing...), motcua.EINVALID, "unknown_procedure")
	if _, err := s.GetDossier(ctx, failing[0].ID); !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatalf("half a refused batch was stored: %v", err)
	}
	d4 := newDossier(b, at)
	must(t, s.CreateDossier(ctx, d4))
	if d4.Code != b.commune.Code+"-231027-0006" {
		t.Fatalf("code after a refused batch = %q, want no gap", d4.Code)
	}

	got, err := s.GetDossier(ctx, d2.ID)
	must(t, err)
	if got.Code != d2.Code || got.Owner != d2.Owner || got.Submitter != d2.Submitter || got.Channel != motcua.ChannelOnline ||
		got.Status != motcua.StatusRegistered || !got.SubmittedAt.Equal(at.Add(time.Hour)) || !got.Reused() ||
		len(got.Components) != 1 || got.Components[0].Attachments[0].DocumentID != "doc-1" || !got.ReceivedAt.IsZero() {
		t.Fatalf("GetDossier = %+v", got)
	}
	byCode, err := s.GetDossierByCode(ctx, d2.Code)
	must(t, err)
	if byCode.ID != d2.ID {
		t.Fatalf("GetDossierByCode = %s", byCode.ID)
	}
	_, err = s.GetDossier(ctx, "missing")
	wantErr(t, err, motcua.ENOTFOUND, "dossier_not_found")
	_, err = s.GetDossierByCode(ctx, b.commune.Code+"-231027-0999")
	wantErr(t, err, motcua.ENOTFOUND, "dossier_not_found")

	comps := slices.Clone(got.Components)
	comps[0].Digitization = motcua.Digitized
	must(t, s.UpdateDossierComponents(ctx, d2.ID, 0, comps))
	got, err = s.GetDossier(ctx, d2.ID)
	must(t, err)
	if got.Reused() || got.Components[0].Digitization != motcua.Digitized {
		t.Fatalf("after component update = %+v", got.Components)
	}
	wantErr(t, s.UpdateDossierComponents(ctx, "missing", 0, comps), motcua.ENOTFOUND, "dossier_not_found")

	list, total, err := s.ListDossiers(ctx, motcua.DossierFilter{AgencyCode: b.commune.Code})
	must(t, err)
	if total != 7 || len(list) != 7 {
		t.Fatalf("commune dossiers = %d/%d", len(list), total)
	}
	_, total, err = s.ListDossiers(ctx, motcua.DossierFilter{OwnerCode: b.other.Code})
	must(t, err)
	if total != 0 {
		t.Fatalf("other's dossiers = %d", total)
	}
	page, total, err := s.ListDossiers(ctx, motcua.DossierFilter{ProcedureCode: b.marriage.Code, Limit: 2})
	must(t, err)
	if total != 9 || len(page) != 2 {
		t.Fatalf("page = %d of %d", len(page), total)
	}
}

// testDossierCodeConcurrency: 64 concurrent receipts at one unit on one
// day get 64 distinct, gap-free codes.
func testDossierCodeConcurrency(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	at := time.Date(2024, 8, 23, 3, 0, 0, 0, time.UTC)
	const n = 64
	codes := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := newDossier(b, at)
			errs[i] = s.CreateDossier(ctx, d)
			codes[i] = d.Code
		}()
	}
	wg.Wait()
	for _, err := range errs {
		must(t, err)
	}
	slices.Sort(codes)
	for i, c := range codes {
		if want := fmt.Sprintf("%s-240823-%04d", b.commune.Code, i+1); c != want {
			t.Fatalf("code %d = %q, want %q (codes must be distinct and gap-free)", i, c, want)
		}
	}
}

func testDossierStatus(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	d := newDossier(b, time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC))
	must(t, s.CreateDossier(ctx, d))
	received := time.Date(2024, 3, 1, 3, 0, 0, 0, time.UTC)
	must(t, s.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: d.ID, From: motcua.StatusRegistered,
		To: motcua.StatusReceived, At: received, Actor: "officer:1", Note: "Tiếp nhận", ReceivedAt: received, ReceivedBy: "officer:1"}))
	// A second officer acting on the same stale screen is refused.
	wantErr(t, s.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: d.ID, From: motcua.StatusRegistered,
		To: motcua.StatusRejected}), motcua.ECONFLICT, "stale_status")
	wantErr(t, s.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: "missing", From: 1, To: 2}),
		motcua.ENOTFOUND, "dossier_not_found")
	must(t, s.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: d.ID, From: motcua.StatusReceived,
		To: motcua.StatusProcessing, At: received.Add(time.Hour)}))
	done := received.Add(48 * time.Hour)
	must(t, s.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: d.ID, From: motcua.StatusProcessing,
		To: motcua.StatusDone, At: done, FinishedAt: done}))

	got, err := s.GetDossier(ctx, d.ID)
	must(t, err)
	if got.Status != motcua.StatusDone || !got.ReceivedAt.Equal(received) || got.ReceivedBy != "officer:1" || !got.FinishedAt.Equal(done) {
		t.Fatalf("dossier = status %d received %v by %q finished %v", got.Status, got.ReceivedAt, got.ReceivedBy, got.FinishedAt)
	}
	if len(got.StatusHistory) != 3 || got.StatusHistory[0].Note != "Tiếp nhận" || got.StatusHistory[0].Actor != "officer:1" ||
		got.StatusHistory[2].From != motcua.StatusProcessing || got.StatusHistory[2].To != motcua.StatusDone ||
		!got.StatusHistory[2].At.Equal(done) {
		t.Fatalf("history = %+v", got.StatusHistory)
	}

	// Receipt-date filter, [from, to).
	_, total, err := s.ListDossiers(ctx, motcua.DossierFilter{ReceivedFrom: received, ReceivedTo: received.Add(time.Second)})
	must(t, err)
	if total != 1 {
		t.Fatalf("received in window = %d", total)
	}
	_, total, err = s.ListDossiers(ctx, motcua.DossierFilter{ReceivedFrom: received.Add(time.Second)})
	must(t, err)
	if total != 0 {
		t.Fatalf("received after = %d", total)
	}
	_, total, err = s.ListDossiers(ctx, motcua.DossierFilter{Status: motcua.StatusDone})
	must(t, err)
	if total != 1 {
		t.Fatalf("done = %d", total)
	}
}
