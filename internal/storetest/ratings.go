package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// testRatings: a dossier is rated once; the rating reads back as stored;
// a second rating is ECONFLICT and an unrated dossier ENOTFOUND.
func testRatings(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	at := time.Date(2024, 3, 4, 2, 0, 0, 0, time.UTC)
	d := newDossier(b, at)
	must(t, s.CreateDossier(ctx, d))
	other := newDossier(b, at.Add(time.Hour))
	must(t, s.CreateDossier(ctx, other))

	_, err := s.GetRating(ctx, d.ID)
	wantErr(t, err, motcua.ENOTFOUND, "rating_not_found")
	r := &motcua.DossierRating{DossierID: d.ID, AgencyCode: d.AgencyCode, Level: motcua.Satisfied, Comment: "Cán bộ hướng dẫn tận tình",
		RatedBy: "person:" + b.citizen.Code, RatedAt: at.Add(48 * time.Hour)}
	must(t, s.RateDossier(ctx, r))
	got, err := s.GetRating(ctx, d.ID)
	must(t, err)
	if *got != *r {
		t.Fatalf("GetRating = %+v, want %+v", got, r)
	}
	again := *r
	again.Level = motcua.VeryDissatisfied
	wantErr(t, s.RateDossier(ctx, &again), motcua.ECONFLICT, "rating_exists")
	got, err = s.GetRating(ctx, d.ID)
	must(t, err)
	if got.Level != motcua.Satisfied {
		t.Fatalf("a second rating replaced the first: %+v", got)
	}
	_, err = s.GetRating(ctx, other.ID)
	wantErr(t, err, motcua.ENOTFOUND, "rating_not_found")
}
