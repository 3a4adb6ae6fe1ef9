package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func testKPISnapshots(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	march := motcua.KPIMonth{Year: 2024, Month: time.March}
	at := time.Date(2024, 4, 1, 1, 0, 0, 0, time.UTC)
	// Counts come back in agency code order: the district, then the commune.
	first := &motcua.KPISnapshot{Month: march, TakenAt: at, TakenBy: "system", Counts: []motcua.AgencyCount{
		{AgencyCode: b.commune.Code, Received: 10, Reused: 3, Online: 4, Verified: 5, Digitized: 6, ResultExpected: 7, EResult: 2,
			Shared: 1, Late: 2, Missed: 1, Finished: 8, FinishedLate: 1},
		{AgencyCode: b.district.Code, Received: 1},
	}}
	if _, err := s.GetKPISnapshot(ctx, march); !motcua.IsKind(err, motcua.ENOTFOUND) || motcua.ErrorCode(err) != "snapshot_not_found" {
		t.Fatalf("GetKPISnapshot before any: %v", err)
	}
	// Two nodes take the month at once: one stores it, the other gets
	// ECONFLICT and stores nothing.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			snap := *first
			if i == 1 {
				snap.Counts = []motcua.AgencyCount{{AgencyCode: b.commune.Code, Received: 99}}
			}
			errs[i] = s.CreateKPISnapshot(ctx, &snap)
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("two creates of one month: %v, %v", errs[0], errs[1])
	}
	for _, err := range errs {
		if err != nil {
			wantErr(t, err, motcua.ECONFLICT, "snapshot_exists")
		}
	}
	got, err := s.GetKPISnapshot(ctx, march)
	must(t, err)
	if len(got.Counts) == 1 {
		// The second writer won: take the month again from the start.
		must(t, s.ReplaceKPISnapshot(ctx, first))
		got, err = s.GetKPISnapshot(ctx, march)
		must(t, err)
	}
	if len(got.Counts) != 2 || got.Counts[0] != first.Counts[1] || got.Counts[1] != first.Counts[0] || !got.TakenAt.Equal(at) || got.TakenBy != "system" {
		t.Fatalf("GetKPISnapshot = %+v", got)
	}
	wantErr(t, s.CreateKPISnapshot(ctx, first), motcua.ECONFLICT, "snapshot_exists")

	repl := &motcua.KPISnapshot{Month: march, TakenAt: at.Add(time.Hour), TakenBy: "officer:giamsat", Reason: "Sửa số liệu",
		Counts: []motcua.AgencyCount{{AgencyCode: b.commune.Code, Received: 11}}}
	must(t, s.ReplaceKPISnapshot(ctx, repl))
	got, err = s.GetKPISnapshot(ctx, march)
	must(t, err)
	if len(got.Counts) != 1 || got.Counts[0].Received != 11 || got.Reason != "Sửa số liệu" || got.TakenBy != "officer:giamsat" {
		t.Fatalf("after replace = %+v", got)
	}
	wantErr(t, s.ReplaceKPISnapshot(ctx, &motcua.KPISnapshot{Month: motcua.KPIMonth{Year: 2024, Month: time.May}}), motcua.ENOTFOUND, "snapshot_not_found")

	must(t, s.CreateKPISnapshot(ctx, &motcua.KPISnapshot{Month: motcua.KPIMonth{Year: 2024, Month: time.April}, TakenAt: at, TakenBy: "cli"}))
	list, err := s.ListKPISnapshots(ctx)
	must(t, err)
	if len(list) != 2 || list[0].Month.String() != "2024-04" || list[1].Month.String() != "2024-03" || list[1].Reason != "Sửa số liệu" {
		t.Fatalf("ListKPISnapshots = %+v", list)
	}
}
