// Command kpibench measures the reuse-rate table (issue 7) on a province
// of about 200 agencies with millions of dossiers received over a year:
// the period's table from the kpi_daily summary (what the server does)
// against a plain GROUP BY over the dossiers, for a year and for a month.
//
//	go run ./bench/kpibench --sqlite /tmp/motcua-bench/kpi.db --dossiers 10000000
//	go run ./bench/kpibench --postgres postgres://postgres@127.0.0.1:5432/motcua_kpi --dossiers 10000000
//
// Dossiers are written through Store.CreateDossier (500 per statement), so
// the summary is kept by the same triggers as in production; --bulk writes
// them straight into the table instead, with the summary triggers dropped,
// then rebuilds the summaries with migration 0011's own SQL and creates
// the triggers again (--verify then checks, on a small database, that the
// summaries are what the triggers make of the same dossiers). A database
// that already holds dossiers is measured as it is (--dossiers is then
// ignored).
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/postgres"
	"github.com/motcua/motcua/internal/service"
	"github.com/motcua/motcua/internal/sqldb"
	"github.com/motcua/motcua/internal/sqlite"
)

const root = "000.00.00.H99"

func main() {
	sqlitePath := flag.String("sqlite", "", "SQLite database `file`")
	pgURL := flag.String("postgres", "", "PostgreSQL `url`")
	n := flag.Int("dossiers", 1_000_000, "dossiers to generate into an empty database")
	runs := flag.Int("runs", 50, "timed calls per summary query")
	rawRuns := flag.Int("raw-runs", 3, "timed calls per GROUP BY over the dossiers")
	bulk := flag.Bool("bulk", false, "load the dossiers straight into the table and rebuild the summaries")
	verify := flag.Bool("verify", false, "compare the summaries with what the triggers make of the dossiers (small databases)")
	inFlight := flag.Int("in-flight", 0, "add this many open dossiers received in the last 20 days, through the store")
	flag.Parse()
	if err := run(context.Background(), *sqlitePath, *pgURL, *n, *runs, *rawRuns, *bulk, *verify, *inFlight); err != nil {
		fmt.Fprintln(os.Stderr, "kpibench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, sqlitePath, pgURL string, n, runs, rawRuns int, bulk, verify bool, inFlight int) error {
	var st *sqldb.Store
	var err error
	switch {
	case sqlitePath != "":
		st, err = sqlite.Open(ctx, sqlitePath)
	case pgURL != "":
		st, err = postgres.Open(ctx, pgURL)
	default:
		return fmt.Errorf("--sqlite or --postgres is required")
	}
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	var have int
	if err := st.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM dossiers").Scan(&have); err != nil {
		return err
	}
	switch {
	case have == 0 && bulk:
		err = bulkGenerate(ctx, st, n)
	case have == 0:
		err = generate(ctx, st, n)
	default:
		fmt.Printf("database holds %d dossiers; measuring\n", have)
	}
	if err != nil {
		return err
	}
	if inFlight > 0 {
		if err := addInFlight(ctx, st, inFlight); err != nil {
			return err
		}
	}
	if verify {
		if err := verifyTriggers(ctx, st); err != nil {
			return err
		}
	}
	return measure(ctx, st, runs, rawRuns)
}

// province builds a province root with 10 districts, each with 9
// district-level units and 10 communes: 201 agencies.
func province(ctx context.Context, st motcua.Store) ([]string, error) {
	if err := st.CreateAgency(ctx, &motcua.Agency{Code: root, Name: "UBND tỉnh Thử Nghiệm", Level: motcua.LevelProvince}); err != nil {
		return nil, err
	}
	var receiving []string
	for d := 1; d <= 10; d++ {
		district := fmt.Sprintf("000.00.%02d.H99", d)
		if err := st.CreateAgency(ctx, &motcua.Agency{Code: district, Name: fmt.Sprintf("UBND huyện số %d", d),
			Level: motcua.LevelDistrict, ParentCode: root}); err != nil {
			return nil, err
		}
		for u := 1; u <= 9; u++ {
			code := fmt.Sprintf("000.%02d.%02d.H99", 20+u, d)
			receiving = append(receiving, code)
			if err := st.CreateAgency(ctx, &motcua.Agency{Code: code, Name: fmt.Sprintf("Phòng %d huyện %d", u, d),
				Level: motcua.LevelDistrict, ParentCode: district}); err != nil {
				return nil, err
			}
		}
		for c := 1; c <= 10; c++ {
			code := fmt.Sprintf("%03d.00.%02d.H99", c, d)
			receiving = append(receiving, code)
			if err := st.CreateAgency(ctx, &motcua.Agency{Code: code, Name: fmt.Sprintf("UBND xã %d huyện %d", c, d),
				Level: motcua.LevelCommune, ParentCode: district}); err != nil {
				return nil, err
			}
		}
	}
	return receiving, nil
}

func generate(ctx context.Context, st *sqldb.Store, n int) error {
	if _, err := demo.Seed(ctx, st); err != nil {
		return err
	}
	agencies, err := province(ctx, st)
	if err != nil {
		return err
	}
	proc := demo.Procedures()[0]
	rng := rand.New(rand.NewPCG(1, 2))
	yearStart := time.Date(2025, 1, 1, 0, 0, 0, 0, motcua.VietnamLocation())
	file := motcua.File{Name: "tp.pdf", Size: 1024, SHA256: fmt.Sprintf("%064x", 1)}
	person := motcua.Person{Code: "052090000495", Name: "Nguyễn Văn An"}
	start := time.Now()
	const batch, perTx = 500, 40
	for done := 0; done < n; {
		err := st.InTx(ctx, func(tx motcua.Store) error {
			for b := 0; b < perTx && done < n; b++ {
				ds := make([]*motcua.Dossier, 0, batch)
				for range min(batch, n-done) {
					received := yearStart.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
					reused := rng.IntN(10) < 3
					comp := motcua.DossierComponent{Code: "TP01", Name: "Thành phần", Required: true, Digitization: motcua.Digitized,
						Attachments: []motcua.Attachment{{Source: motcua.Scanned, File: file}}}
					if reused {
						comp.Digitization = motcua.ReusedFromWarehouse
						comp.Attachments[0] = motcua.Attachment{Source: motcua.FromWarehouse, DocumentID: "d", File: file}
					}
					d := &motcua.Dossier{ProcedureCode: proc.Code, CaseCode: proc.Cases[0].Code,
						AgencyCode: agencies[rng.IntN(len(agencies))], Submitter: person, Owner: person,
						Channel: motcua.Channel(1 + rng.IntN(2)), ResultMethod: motcua.ResultAtCounter, Status: motcua.StatusResultsReturned,
						Components: []motcua.DossierComponent{comp}, SubmittedAt: received, ReceivedAt: received,
						DueAt: received.AddDate(0, 0, 5), FinishedAt: received.Add(time.Duration(rng.IntN(7*24)) * time.Hour),
						OwnerVerified: rng.IntN(10) < 7, ResultExpected: true, MissedReuse: !reused && rng.IntN(5) == 0}
					if rng.IntN(10) < 7 {
						d.ResultDocIDs = []string{"r"}
					}
					if rng.IntN(200) == 0 {
						d.Status, d.FinishedAt = motcua.StatusProcessing, time.Time{}
					}
					ds = append(ds, d)
					done++
				}
				if err := tx.CreateDossier(ctx, ds...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		el := time.Since(start)
		fmt.Printf("\r%d/%d dossiers, %.0f/s", done, n, float64(done)/el.Seconds())
	}
	fmt.Printf("\ngenerated %d dossiers in %s\n", n, time.Since(start).Round(time.Second))
	if st.Dialect().Name() == "postgres" {
		if _, err := st.DB().ExecContext(ctx, "VACUUM ANALYZE dossiers"); err != nil {
			return err
		}
		if _, err := st.DB().ExecContext(ctx, "VACUUM ANALYZE kpi_daily"); err != nil {
			return err
		}
	}
	return nil
}

// addInFlight adds n dossiers in progress, as a province has at any time:
// received in the last 20 days, due 1–15 days after their receipt (so
// mostly not yet), open. They are the rows a report reads from
// kpi_open_due (due after today) whatever its period.
func addInFlight(ctx context.Context, st *sqldb.Store, n int) error {
	var agencies []string
	rows, err := st.DB().QueryContext(ctx, st.Dialect().Rebind("SELECT code FROM agencies WHERE code LIKE ? ORDER BY code"), "%.H99")
	if err != nil {
		return err
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return err
		}
		if c != root && !strings.HasPrefix(c, "000.00.") {
			agencies = append(agencies, c)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	proc := demo.Procedures()[0]
	rng := rand.New(rand.NewPCG(3, 4))
	file := motcua.File{Name: "tp.pdf", Size: 1024, SHA256: fmt.Sprintf("%064x", 1)}
	person := motcua.Person{Code: "052090000495", Name: "Nguyễn Văn An"}
	now := time.Now()
	start := now
	for done := 0; done < n; {
		ds := make([]*motcua.Dossier, 0, 500)
		for range min(500, n-done) {
			received := now.Add(-time.Duration(rng.Int64N(int64(20 * 24 * time.Hour))))
			comp := motcua.DossierComponent{Code: "TP01", Name: "Thành phần", Required: true, Digitization: motcua.Digitized,
				Attachments: []motcua.Attachment{{Source: motcua.Scanned, File: file}}}
			ds = append(ds, &motcua.Dossier{ProcedureCode: proc.Code, CaseCode: proc.Cases[0].Code,
				AgencyCode: agencies[rng.IntN(len(agencies))], Submitter: person, Owner: person,
				Channel: motcua.Channel(1 + rng.IntN(2)), ResultMethod: motcua.ResultAtCounter, Status: motcua.StatusProcessing,
				Components: []motcua.DossierComponent{comp}, SubmittedAt: received, ReceivedAt: received,
				DueAt: received.AddDate(0, 0, 1+rng.IntN(15)), ResultExpected: true})
			done++
		}
		if err := st.CreateDossier(ctx, ds...); err != nil {
			return err
		}
		fmt.Printf("\r%d/%d dossiers in progress added", done, n)
	}
	fmt.Printf(" in %s\n", time.Since(start).Round(time.Second))
	return nil
}

func timeIt(runs int, f func() error) (p50, p99 time.Duration, err error) {
	var ds []time.Duration
	for range runs {
		t := time.Now()
		if err := f(); err != nil {
			return 0, 0, err
		}
		ds = append(ds, time.Since(t))
	}
	slices.Sort(ds)
	return ds[len(ds)/2], ds[min(len(ds)-1, len(ds)*99/100)], nil
}

func measure(ctx context.Context, st *sqldb.Store, runs, rawRuns int) error {
	kpi := service.NewKPI(st)
	year := service.Period{From: motcua.Date{Year: 2025, Month: 1, Day: 1}, To: motcua.Date{Year: 2025, Month: 12, Day: 31}}
	month := service.Period{From: motcua.Date{Year: 2025, Month: 6, Day: 1}, To: motcua.Date{Year: 2025, Month: 6, Day: 30}}
	today := motcua.DateOf(time.Now())
	recent := service.Period{From: today.AddDays(-29), To: today}
	fmt.Printf("%-7s %-34s %10s %10s\n", "period", "query", "p50", "p99")
	for _, p := range []struct {
		name string
		p    service.Period
	}{{"year", year}, {"month", month}, {"30 days", recent}} {
		from, to := p.p.From.Time(), p.p.To.AddDays(1).Time()
		var table *motcua.ReuseTable
		p50, p99, err := timeIt(runs, func() error {
			var err error
			table, err = kpi.ReuseTable(ctx, nil, root, p.p)
			return err
		})
		if err != nil {
			return err
		}
		fmt.Printf("%-7s %-34s %10s %10s   (%d agencies, %d received, rate %s%%)\n", p.name, "province table (service, summary)",
			p50.Round(10*time.Microsecond), p99.Round(10*time.Microsecond), len(table.Sections[0].Rows)+len(table.Sections[1].Rows),
			table.Total.Received, table.Total.Rate().Percent(2, ","))
		var sum []motcua.AgencyCount
		p50, p99, err = timeIt(runs, func() error {
			var err error
			sum, err = st.ReuseCounts(ctx, from, to)
			return err
		})
		if err != nil {
			return err
		}
		fmt.Printf("%-7s %-34s %10s %10s\n", p.name, "counts from the summary", p50.Round(10*time.Microsecond), p99.Round(10*time.Microsecond))
		var raw []motcua.AgencyCount
		p50, p99, err = timeIt(rawRuns, func() error {
			var err error
			raw, err = st.ReuseCountsRaw(ctx, from, to)
			return err
		})
		if err != nil {
			return err
		}
		fmt.Printf("%-7s %-34s %10s %10s\n", p.name, "GROUP BY over the dossiers", p50.Round(10*time.Microsecond), p99.Round(10*time.Microsecond))
		// The two must agree, open overdue dossiers included.
		if len(raw) != len(sum) {
			return fmt.Errorf("%s: summary has %d agencies, raw %d", p.name, len(sum), len(raw))
		}
		for i := range raw {
			if sum[i] != raw[i] {
				return fmt.Errorf("%s: summary %+v != raw %+v", p.name, sum[i], raw[i])
			}
		}
	}
	return nil
}
