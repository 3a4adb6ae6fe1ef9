package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// testSupplements: a supplement request stored with the move to 5 is read
// back with its reason, components and interrupted status; its answer is
// stored with the move out of 5; a refused move stores nothing.
func testSupplements(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	d := newDossier(b, time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC))
	must(t, s.CreateDossier(ctx, d))
	got, err := s.GetDossier(ctx, d.ID)
	must(t, err)
	if got.Supplements != nil || got.Supplement() != nil {
		t.Fatalf("new dossier has supplements: %+v", got.Supplements)
	}
	asked := time.Date(2024, 3, 1, 3, 0, 0, 0, time.UTC)
	req := &motcua.SupplementRequest{Seq: 1, Reason: "Bổ sung tờ khai có chữ ký", Components: []string{"TP1", "TP2"},
		From: motcua.StatusRegistered, RequestedAt: asked, RequestedBy: "tiepnhan"}
	must(t, s.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: d.ID, From: motcua.StatusRegistered,
		To: motcua.StatusSupplement, At: asked, Actor: "tiepnhan", Note: req.Reason, Supplement: req}))
	// A stale move writes no request either.
	wantErr(t, s.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: d.ID, From: motcua.StatusRegistered,
		To: motcua.StatusSupplement, Supplement: &motcua.SupplementRequest{Seq: 2, Reason: "x", From: 1, RequestedAt: asked}}),
		motcua.ECONFLICT, "stale_status")
	got, err = s.GetDossier(ctx, d.ID)
	must(t, err)
	if len(got.Supplements) != 1 {
		t.Fatalf("supplements = %+v", got.Supplements)
	}
	r := got.Supplement()
	if r.Seq != 1 || r.Reason != req.Reason || !slices.Equal(r.Components, req.Components) || r.From != motcua.StatusRegistered ||
		!r.RequestedAt.Equal(asked) || r.RequestedBy != "tiepnhan" || !r.Open() {
		t.Fatalf("request = %+v", r)
	}
	answered := asked.Add(26 * time.Hour)
	ans := *r
	ans.AnsweredAt, ans.AnsweredBy, ans.AnswerKey = answered, "citizen:001", "citizen:001:k1"
	must(t, s.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: d.ID, From: motcua.StatusSupplement,
		To: motcua.StatusRegistered, At: answered, Actor: "citizen:001", Supplement: &ans}))
	got, err = s.GetDossier(ctx, d.ID)
	must(t, err)
	r = got.Supplement()
	if len(got.Supplements) != 1 || r.Open() || !r.AnsweredAt.Equal(answered) || r.AnsweredBy != "citizen:001" ||
		r.AnswerKey != "citizen:001:k1" || r.Reason != req.Reason || !slices.Equal(r.Components, req.Components) {
		t.Fatalf("answered request = %+v", got.Supplements)
	}
	// A second request, naming no component, comes after the first.
	must(t, s.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: d.ID, From: motcua.StatusRegistered,
		To: motcua.StatusSupplement, At: answered.Add(time.Hour), Note: "Bổ sung lần hai",
		Supplement: &motcua.SupplementRequest{Seq: 2, Reason: "Bổ sung lần hai", From: 1, RequestedAt: answered.Add(time.Hour)}}))
	got, err = s.GetDossierByCode(ctx, d.Code)
	must(t, err)
	if len(got.Supplements) != 2 || got.Supplement().Seq != 2 || len(got.Supplement().Components) != 0 || !got.Supplement().Open() ||
		got.Supplements[0].Open() {
		t.Fatalf("two requests = %+v", got.Supplements)
	}
}
