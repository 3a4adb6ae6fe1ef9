package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/sqldb"
)

// expectCounts is the brute-force recount of the indicators over the
// dossiers themselves, from the domain's own definition of what each
// dossier counts (motcua.IndicatorsOf).
func expectCounts(ds []*motcua.Dossier, from, to, now time.Time) map[string]motcua.AgencyCount {
	want := map[string]motcua.AgencyCount{}
	for _, d := range ds {
		if d.ReceivedAt.IsZero() || d.ReceivedAt.Before(from) || !d.ReceivedAt.Before(to) {
			continue
		}
		f := d.IndicatorFacts()
		c := want[d.AgencyCode]
		c.AgencyCode = d.AgencyCode
		c.Add(motcua.IndicatorsOf(f).Count(f, now))
		want[d.AgencyCode] = c
	}
	return want
}

// checkCounts compares the store's counts for [from, to) with the
// brute-force recount over the stored dossiers.
func checkCounts(t *testing.T, s motcua.Store, ids []string, from, to time.Time, what string) {
	t.Helper()
	ctx := context.Background()
	ds := make([]*motcua.Dossier, 0, len(ids))
	for _, id := range ids {
		d, err := s.GetDossier(ctx, id)
		must(t, err)
		ds = append(ds, d)
	}
	got, err := s.ReuseCounts(ctx, from, to)
	must(t, err)
	want := expectCounts(ds, from, to, time.Now())
	if len(got) != len(want) {
		t.Fatalf("%s [%s, %s): counts for %d agencies, want %d: %+v", what, from, to, len(got), len(want), got)
	}
	for _, g := range got {
		if w, ok := want[g.AgencyCode]; !ok || w != g {
			t.Fatalf("%s [%s, %s): counts of %s = %+v, want %+v", what, from, to, g.AgencyCode, g, w)
		}
	}
}

// testReuseCounts is a property test: random dossiers (some never
// received, reused or not, online or at the counter, with or without an
// expected and an issued e-result, finished on time, late or still open),
// in early 2024 and around now (open ones due days ago, earlier today,
// later today, in days to come, or without a due date), then random
// corrections (receipt, re-marked components, receipt date moved across
// days and periods, finishing, status changes moving the due date) made
// concurrently; after each stage the store's counts equal a brute-force
// recount, for periods on Vietnam midnights (answered from the summaries)
// and off them (counted raw).
func testReuseCounts(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	vn := motcua.VietnamLocation()
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, vn)
	to := time.Date(2024, 3, 21, 0, 0, 0, 0, vn)
	agencies := []string{b.commune.Code, b.district.Code}
	reuse := func(d *motcua.Dossier, on bool) {
		c := &d.Components[0]
		if on {
			c.Digitization, c.Attachments[0].Source, c.Attachments[0].DocumentID = motcua.ReusedFromWarehouse, motcua.FromWarehouse, "doc"
		} else {
			c.Digitization, c.Attachments[0].Source, c.Attachments[0].DocumentID = motcua.Digitized, motcua.Uploaded, ""
		}
	}
	var ids []string
	must(t, s.InTx(ctx, func(tx motcua.Store) error {
		for i := range 300 {
			d := newDossier(b, from.Add(time.Duration(rng.IntN(100*24))*time.Hour-10*24*time.Hour))
			d.AgencyCode = agencies[rng.IntN(2)]
			reuse(d, rng.IntN(3) == 0)
			d.OwnerVerified = rng.IntN(2) == 0
			d.MissedReuse = rng.IntN(4) == 0
			d.ResultExpected = rng.IntN(3) != 0
			if rng.IntN(2) == 0 {
				d.Channel = motcua.ChannelCounter
			}
			if rng.IntN(5) == 0 {
				// A required component not scanned yet.
				d.Components = append(d.Components, motcua.DossierComponent{Code: "GT", Name: "Giấy tờ", Required: true})
			}
			if rng.IntN(5) != 0 {
				d.Status = motcua.StatusReceived
				d.ReceivedAt = d.SubmittedAt.Add(time.Duration(rng.IntN(48)) * time.Hour)
				switch i {
				case 0:
					d.ReceivedAt = from // the first instant counts
				case 1:
					d.ReceivedAt = to // the end is excluded
				case 2:
					d.ReceivedAt = to.Add(-time.Microsecond)
				}
				d.DueAt = d.ReceivedAt.Add(time.Duration(rng.IntN(10*24)) * time.Hour)
				if rng.IntN(3) != 0 {
					d.Status = motcua.StatusResultsReturned
					d.FinishedAt = d.ReceivedAt.Add(time.Duration(rng.IntN(12*24)) * time.Hour)
					if d.ResultExpected && rng.IntN(4) != 0 {
						d.ResultDocIDs = []string{"result"}
					}
				}
			}
			if err := tx.CreateDossier(ctx, d); err != nil {
				return err
			}
			ids = append(ids, d.ID)
		}
		return nil
	}))
	// Around now: due dates at least an hour away from the clock, so that
	// the test's and the store's "now" agree on which are late.
	now := time.Now().In(vn)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, vn)
	aroundNow := func(r *rand.Rand) time.Time {
		d := time.Hour + time.Duration(r.Int64N(int64(20*24*time.Hour)))
		if r.IntN(2) == 0 {
			d = -d
		}
		if r.IntN(3) == 0 { // today, before or after now
			d = d % (12 * time.Hour)
			if d > -time.Hour && d < time.Hour {
				d = 2 * time.Hour
			}
		}
		return now.Add(d)
	}
	must(t, s.InTx(ctx, func(tx motcua.Store) error {
		for range 200 {
			d := newDossier(b, now.Add(-time.Duration(rng.IntN(40*24))*time.Hour))
			d.AgencyCode = agencies[rng.IntN(2)]
			reuse(d, rng.IntN(3) == 0)
			d.ResultExpected = rng.IntN(2) == 0
			if rng.IntN(6) != 0 {
				d.Status = motcua.StatusProcessing
				d.ReceivedAt = d.SubmittedAt.Add(time.Duration(rng.IntN(60)) * time.Minute)
				if rng.IntN(8) != 0 {
					d.DueAt = aroundNow(rng)
				}
				if rng.IntN(4) == 0 {
					d.Status = motcua.StatusResultsReturned
					d.FinishedAt = d.ReceivedAt.Add(time.Duration(rng.IntN(5*24)) * time.Hour)
				}
			}
			if err := tx.CreateDossier(ctx, d); err != nil {
				return err
			}
			ids = append(ids, d.ID)
		}
		return nil
	}))
	periods := [][2]time.Time{
		{from, to},
		{from.AddDate(0, 1, 0), from.AddDate(0, 2, 0)},
		{from.Add(5 * time.Hour), to.Add(-3 * time.Hour)}, // not on midnights: counted raw
		{from.AddDate(-1, 0, 0), from.AddDate(1, 0, 0)},
		{today.AddDate(0, 0, -45), today.AddDate(0, 0, 1)},
		{today.AddDate(0, 0, -today.Day()+1), today.AddDate(0, 1, -today.Day()+1)}, // this month
		{today, today.AddDate(0, 0, 1)},
		{today.AddDate(0, 0, -30).Add(time.Hour), now.Add(time.Minute)}, // not on midnights: counted raw
		{from, today.AddDate(0, 0, 30)},
	}
	for _, p := range periods {
		checkCounts(t, s, ids, p[0], p[1], "created")
	}

	drillDown(t, s, b.commune.Code, from, to)
	drillDown(t, s, b.commune.Code, today.AddDate(0, 0, -45), today.AddDate(0, 0, 1))

	// Corrections, concurrently: receipts of registered dossiers (with or
	// without a due date), re-marked components, receipt dates moved by up
	// to ±40 days, open dossiers finished, due dates moved by a status
	// change.
	// A rebuild runs again and again meanwhile (an operator's `kpi
	// rebuild` on a live server): neither side may fail or deadlock.
	var wg sync.WaitGroup
	errs := make(chan error, len(ids)+1)
	writersDone := make(chan struct{})
	rebuildDone := make(chan struct{})
	rebuilds := 0
	go func() {
		defer close(rebuildDone)
		for {
			if _, err := s.RebuildIndicators(ctx); err != nil {
				errs <- fmt.Errorf("rebuild during writes: %w", err)
				return
			}
			rebuilds++
			select {
			case <-writersDone:
				return
			default:
			}
		}
	}()
	for w := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 99))
			for i := w; i < len(ids); i += 4 {
				d, err := s.GetDossier(ctx, ids[i])
				if err != nil {
					errs <- err
					return
				}
				open := !d.ReceivedAt.IsZero() && d.FinishedAt.IsZero()
				switch r.IntN(6) {
				case 0:
					if d.Status == motcua.StatusRegistered {
						u := motcua.StatusUpdate{DossierID: d.ID, From: d.Status, To: motcua.StatusReceived,
							At: from.Add(time.Duration(r.IntN(90*24)) * time.Hour), Actor: "tiepnhan.thitran"}
						if r.IntN(2) == 0 {
							u.At, u.DueAt = d.SubmittedAt, aroundNow(r)
						}
						u.ReceivedAt, u.ReceivedBy = u.At, u.Actor
						err = s.UpdateDossierStatus(ctx, u)
					}
				case 1:
					reuse(d, !d.Reused())
					err = s.UpdateDossierComponents(ctx, d.ID, 0, d.Components)
				case 2:
					if !d.ReceivedAt.IsZero() {
						err = s.CorrectDossierReceipt(ctx, d.ID, d.ReceivedAt.Add(time.Duration(r.IntN(80*24)-40*24)*time.Hour))
					}
				case 3:
					if open {
						at := d.ReceivedAt.Add(time.Duration(r.IntN(30*24)) * time.Hour)
						err = s.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: d.ID, From: d.Status,
							To: motcua.StatusResultsReturned, At: at, FinishedAt: at})
					}
				case 4:
					if open {
						// A supplement asked for, or an extension: a new due date.
						err = s.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: d.ID, From: d.Status,
							To: motcua.StatusSupplement, DueAt: aroundNow(r)})
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(writersDone)
	<-rebuildDone
	close(errs)
	for err := range errs {
		must(t, err)
	}
	if rebuilds == 0 {
		t.Fatal("no rebuild finished during the writes")
	}
	t.Logf("%d rebuilds ran during the concurrent corrections", rebuilds)
	for _, p := range periods {
		checkCounts(t, s, ids, p[0], p[1], "corrected")
	}
	checkRebuild(t, s, ids, periods)
	wantErr(t, s.CorrectDossierReceipt(ctx, "missing", from), motcua.ENOTFOUND, "dossier_not_found")
	unreceived := newDossier(b, from)
	must(t, s.CreateDossier(ctx, unreceived))
	wantErr(t, s.CorrectDossierReceipt(ctx, unreceived.ID, from), motcua.EINVALID, "not_received")
}

// checkRebuild checks RebuildIndicators: on summaries the triggers kept
// it corrects nothing and changes no count; after the stored
// contributions and the summaries are damaged behind the store's back (as
// a bug or a hand edit would), it corrects exactly the damaged rows and
// every period counts right again.
func checkRebuild(t *testing.T, s motcua.Store, ids []string, periods [][2]time.Time) {
	t.Helper()
	ctx := context.Background()
	r, err := s.RebuildIndicators(ctx)
	must(t, err)
	if r.Corrected != 0 || r.Dossiers < len(ids) || r.DailyRows == 0 || r.MonthlyRows == 0 || r.OpenDueRows == 0 {
		t.Fatalf("rebuild of consistent summaries = %+v, want nothing corrected", r)
	}
	for _, p := range periods {
		checkCounts(t, s, ids, p[0], p[1], "rebuilt")
	}
	db, ok := s.(*sqldb.Store)
	if !ok {
		t.Fatalf("store %T: cannot damage its rows", s)
	}
	q := func(query string, args ...any) sql.Result {
		res, err := db.DB().ExecContext(ctx, db.Dialect().Rebind(query), args...)
		must(t, err)
		return res
	}
	// Flip the reuse counter and the open flag of a third of the received
	// dossiers, move another third to another day, and garble the
	// summaries themselves.
	var damaged int64
	for i, id := range ids {
		var res sql.Result
		switch i % 3 {
		case 0:
			res = q("UPDATE dossiers SET kpi_reused = 1 - kpi_reused, kpi_open = 1 - kpi_open WHERE id = ? AND kpi_day IS NOT NULL", id)
		case 1:
			res = q("UPDATE dossiers SET kpi_day = kpi_day + 3 WHERE id = ? AND kpi_day IS NOT NULL", id)
		default:
			continue
		}
		n, err := res.RowsAffected()
		must(t, err)
		damaged += n
	}
	q("DELETE FROM kpi_monthly WHERE month % 2 = 0")
	q("UPDATE kpi_daily SET received = received + 7, late = late + 1")
	q("DELETE FROM kpi_open_due_total")
	r, err = s.RebuildIndicators(ctx)
	must(t, err)
	if int64(r.Corrected) != damaged || damaged == 0 {
		t.Fatalf("rebuild corrected %d dossiers, want the %d damaged", r.Corrected, damaged)
	}
	for _, p := range periods {
		checkCounts(t, s, ids, p[0], p[1], "repaired")
	}
}

// drillDown checks that each indicator's drill-down for agency and
// [from, to) lists exactly its numerator.
func drillDown(t *testing.T, s motcua.Store, agency string, from, to time.Time) {
	t.Helper()
	ctx := context.Background()
	yes := true
	_, total, err := s.ListDossiers(ctx, motcua.DossierFilter{AgencyCode: agency, ReceivedFrom: from, ReceivedTo: to, Reused: &yes})
	must(t, err)
	counts, err := s.ReuseCounts(ctx, from, to)
	must(t, err)
	for _, c := range counts {
		if c.AgencyCode == agency && int64(total) != c.Reused {
			t.Fatalf("drill-down of reused = %d, want %d", total, c.Reused)
		}
	}
	for _, c := range counts {
		for ind, want := range map[motcua.Indicator]int64{motcua.IndicatorLate: c.Late, motcua.IndicatorOnline: c.Online,
			motcua.IndicatorEResult: c.EResult, motcua.IndicatorDigitized: c.Digitized, motcua.IndicatorShared: c.Shared,
			motcua.IndicatorVerified: c.Verified} {
			_, n, err := s.ListDossiers(ctx, motcua.DossierFilter{AgencyCode: c.AgencyCode, ReceivedFrom: from, ReceivedTo: to, Indicator: ind})
			must(t, err)
			if int64(n) != want {
				t.Fatalf("drill-down of %s for %s [%s, %s) = %d, want %d", ind, c.AgencyCode, from, to, n, want)
			}
		}
	}
}
