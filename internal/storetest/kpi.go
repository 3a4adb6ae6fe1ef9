package storetest

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// testReuseCounts compares the store's counts with a brute-force recount
// over random dossiers: some never received, some reused, receipt times
// around the period's edges.
func testReuseCounts(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, motcua.VietnamLocation())
	to := time.Date(2024, 3, 21, 0, 0, 0, 0, motcua.VietnamLocation())
	agencies := []string{b.commune.Code, b.district.Code}
	want := map[string]*motcua.AgencyCount{}
	must(t, s.InTx(ctx, func(tx motcua.Store) error {
		for i := range 300 {
			d := newDossier(b, from.Add(time.Duration(rng.IntN(100*24))*time.Hour-10*24*time.Hour))
			d.AgencyCode = agencies[rng.IntN(2)]
			reused := rng.IntN(3) == 0
			d.OwnerVerified = rng.IntN(2) == 0
			if rng.IntN(2) == 0 {
				d.Channel = motcua.ChannelCounter
			}
			if reused {
				d.Components[0].Digitization = motcua.ReusedFromWarehouse
				d.Components[0].Attachments[0].Source = motcua.FromWarehouse
				d.Components[0].Attachments[0].DocumentID = "doc"
			}
			received := rng.IntN(5) != 0
			if received {
				d.Status = motcua.StatusReceived
				d.ReceivedAt = d.SubmittedAt.Add(time.Duration(rng.IntN(48)) * time.Hour)
				if i == 0 {
					d.ReceivedAt = from // the first instant counts
				}
				if i == 1 {
					d.ReceivedAt = to // the end is excluded
				}
			}
			if err := tx.CreateDossier(ctx, d); err != nil {
				return err
			}
			if received && !d.ReceivedAt.Before(from) && d.ReceivedAt.Before(to) {
				c := want[d.AgencyCode]
				if c == nil {
					c = &motcua.AgencyCount{AgencyCode: d.AgencyCode}
					want[d.AgencyCode] = c
				}
				c.Received++
				if reused {
					c.Reused++
				}
				if d.Channel == motcua.ChannelOnline {
					c.Online++
				}
				if d.OwnerVerified {
					c.Verified++
				}
			}
		}
		return nil
	}))
	got, err := s.ReuseCounts(ctx, from, to)
	must(t, err)
	if len(got) != len(want) {
		t.Fatalf("counts for %d agencies, want %d", len(got), len(want))
	}
	for _, g := range got {
		w := want[g.AgencyCode]
		if w == nil || *w != g {
			t.Fatalf("counts of %s = %+v, want %+v", g.AgencyCode, g, w)
		}
	}
	// The drill-down lists exactly the dossiers behind a number.
	yes := true
	_, total, err := s.ListDossiers(ctx, motcua.DossierFilter{AgencyCode: b.commune.Code, ReceivedFrom: from, ReceivedTo: to, Reused: &yes})
	must(t, err)
	if int64(total) != want[b.commune.Code].Reused {
		t.Fatalf("drill-down of reused = %d, want %d", total, want[b.commune.Code].Reused)
	}

	// Late corrections are reflected: a reused component re-marked.
	list, _, err := s.ListDossiers(ctx, motcua.DossierFilter{AgencyCode: b.commune.Code, ReceivedFrom: from, ReceivedTo: to, Limit: 500})
	must(t, err)
	for _, d := range list {
		if d.Reused() {
			comps := d.Components
			comps[0].Digitization = motcua.Digitized
			comps[0].Attachments[0].Source = motcua.Uploaded
			must(t, s.UpdateDossierComponents(ctx, d.ID, comps))
			break
		}
	}
	again, err := s.ReuseCounts(ctx, from, to)
	must(t, err)
	for _, g := range again {
		if g.AgencyCode == b.commune.Code && g.Reused != want[b.commune.Code].Reused-1 {
			t.Fatalf("after re-marking, reused = %d, want %d", g.Reused, want[b.commune.Code].Reused-1)
		}
	}
}
