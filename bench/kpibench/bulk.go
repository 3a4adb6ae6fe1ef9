package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/sqldb"
)

// A trigger on dossiers that keeps a KPI summary (every such trigger's
// name starts with dossiers_kpi), with the statement that creates it.
type trigger struct{ name, create string }

func summaryTriggers(ctx context.Context, c *sql.Conn, dialect string) ([]trigger, error) {
	q := `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'dossiers' AND name LIKE 'dossiers_kpi%' ORDER BY name`
	if dialect == "postgres" {
		q = `SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger
			WHERE tgrelid = 'dossiers'::regclass AND NOT tgisinternal AND tgname LIKE 'dossiers_kpi%' ORDER BY tgname`
	}
	rows, err := c.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []trigger
	for rows.Next() {
		var t trigger
		if err := rows.Scan(&t.name, &t.create); err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, fmt.Errorf("no dossiers_kpi triggers found")
	}
	return ts, nil
}

// bulkRow is one generated dossier's columns, in bulkColumns order.
// The contribution columns are what motcua.IndicatorsOf makes of the
// row's facts, as the store writes them.
const bulkColumns = `id, code, procedure_code, case_code, agency_code, district, ward, submitter, owner_code, owner, channel,
	result_method, status, components, result_doc_ids, reused, submitted_at, received_at, due_at, finished_at, owner_verified,
	created_at, updated_at, missed_reuse, idempotency_key, submitter_code, result_expected, digitized, e_result, received_by, ` +
	sqldb.IndicatorColumns

const bulkParams = 30 + sqldb.IndicatorCount

// bulkGenerate writes n dossiers straight into the table, in receipt
// order, with the same distribution as generate: the summary triggers are
// dropped during the load and created again from their stored definitions
// afterwards, and the summaries rebuilt by Store.RebuildIndicators (what
// `motcua kpi rebuild` runs).
func bulkGenerate(ctx context.Context, st *sqldb.Store, n int) error {
	if _, err := demo.Seed(ctx, st); err != nil {
		return err
	}
	agencies, err := province(ctx, st)
	if err != nil {
		return err
	}
	dialect := st.Dialect().Name()
	c, err := st.DB().Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	settings := []string{"PRAGMA synchronous = OFF", "PRAGMA cache_size = -1048576"}
	if dialect == "postgres" {
		settings = []string{"SET synchronous_commit = off"}
	}
	for _, q := range settings {
		if _, err := c.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	triggers, err := summaryTriggers(ctx, c, dialect)
	if err != nil {
		return err
	}
	for _, t := range triggers {
		q := "DROP TRIGGER " + t.name
		if dialect == "postgres" {
			q += " ON dossiers"
		}
		if _, err := c.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}

	proc := demo.Procedures()[0]
	file := motcua.File{Name: "tp.pdf", Size: 1024, SHA256: fmt.Sprintf("%064x", 1)}
	person := motcua.Person{Code: "052090000495", Name: "Nguyễn Văn An"}
	personJSON, err := json.Marshal(person)
	if err != nil {
		return err
	}
	// The two component lists generate uses, as the store marshals them.
	var comps [2]string
	var digitized [2]bool
	for i, reused := range []bool{false, true} {
		comp := motcua.DossierComponent{Code: "TP01", Name: "Thành phần", Required: true, Digitization: motcua.Digitized,
			Attachments: []motcua.Attachment{{Source: motcua.Scanned, File: file}}}
		if reused {
			comp.Digitization = motcua.ReusedFromWarehouse
			comp.Attachments[0] = motcua.Attachment{Source: motcua.FromWarehouse, DocumentID: "d", File: file}
		}
		d := motcua.Dossier{Components: []motcua.DossierComponent{comp}}
		b, err := json.Marshal(d.Components)
		if err != nil {
			return err
		}
		comps[i], digitized[i] = string(b), d.Digitized()
	}

	rng := rand.New(rand.NewPCG(1, 2))
	vn := motcua.VietnamLocation()
	yearStart := time.Date(2025, 1, 1, 0, 0, 0, 0, vn)
	// Receipt instants first, sorted: dossiers arrive in time order, and
	// every index then grows at its end (or at one of 201 places).
	received := make([]int64, n)
	for i := range received {
		received[i] = yearStart.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour)))).UnixMicro()
	}
	slices.Sort(received)

	rowsPer := 500
	if dialect == "postgres" {
		rowsPer = 1400 // 43 parameters a row, at most 65535 a statement
	}
	insert := func(k int) string {
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", bulkParams), ", ") + ")"
		return st.Dialect().Rebind("INSERT INTO dossiers (" + bulkColumns + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(row+", ", k), ", "))
	}
	full := insert(rowsPer)
	start := time.Now()
	const perTx = 200_000
	args := make([]any, 0, rowsPer*bulkParams)
	for done := 0; done < n; {
		tx, err := c.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for end := min(n, done+perTx); done < end; {
			k := min(rowsPer, end-done)
			args = args[:0]
			for i := done; i < done+k; i++ {
				at := received[i]
				reused := rng.IntN(10) < 3
				ri := 0
				if reused {
					ri = 1
				}
				channel := 1 + rng.IntN(2)
				status := motcua.StatusResultsReturned
				finished := sql.NullInt64{Int64: at + rng.Int64N(7*24)*int64(time.Hour/time.Microsecond), Valid: true}
				verified := rng.IntN(10) < 7
				missed := !reused && rng.IntN(5) == 0
				results := "[]"
				if rng.IntN(10) < 7 {
					results = `["r"]`
				}
				if rng.IntN(200) == 0 {
					status, finished = motcua.StatusProcessing, sql.NullInt64{}
				}
				agency, due := agencies[rng.IntN(len(agencies))], at+5*24*int64(time.Hour/time.Microsecond)
				facts := motcua.IndicatorFacts{AgencyCode: agency, ReceivedAt: time.UnixMicro(at), DueAt: time.UnixMicro(due),
					Online: motcua.Channel(channel) == motcua.ChannelOnline, Reused: reused, Verified: verified,
					Digitized: digitized[ri], ResultExpected: true, EResult: results != "[]", MissedReuse: missed}
				if finished.Valid {
					facts.FinishedAt = time.UnixMicro(finished.Int64)
				}
				args = append(args, fmt.Sprintf("bulk%010d", i), fmt.Sprintf("BULK-%010d", i), proc.Code, proc.Cases[0].Code,
					agency, "", "", string(personJSON), person.Code, string(personJSON), channel,
					string(motcua.ResultAtCounter), int(status), comps[ri], results, reused, at, at,
					due, finished, verified, at, at, missed, nil, person.Code,
					true, digitized[ri], results != "[]", "")
				args = append(args, sqldb.IndicatorArgs(motcua.IndicatorsOf(facts))...)
			}
			q := full
			if k != rowsPer {
				q = insert(k)
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				tx.Rollback()
				return fmt.Errorf("insert dossiers: %w", err)
			}
			done += k
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		fmt.Printf("\r%d/%d dossiers, %.0f/s", done, n, float64(done)/time.Since(start).Seconds())
	}
	fmt.Printf("\nloaded %d dossiers in %s\n", n, time.Since(start).Round(time.Second))

	t := time.Now()
	for _, tr := range triggers {
		if _, err := c.ExecContext(ctx, tr.create); err != nil {
			return fmt.Errorf("recreate trigger %s: %w", tr.name, err)
		}
	}
	// The store's own connection (SQLite has one writer) does the rebuild.
	if err := c.Close(); err != nil {
		return err
	}
	r, err := st.RebuildIndicators(ctx)
	if err != nil {
		return fmt.Errorf("rebuild summaries: %w", err)
	}
	if r.Corrected != 0 {
		return fmt.Errorf("rebuild corrected %d bulk rows: the load wrote wrong contributions", r.Corrected)
	}
	fmt.Printf("triggers recreated, summaries rebuilt in Go (%d dossiers read, %d daily, %d monthly, %d open rows) in %s\n",
		r.Dossiers, r.DailyRows, r.MonthlyRows, r.OpenDueRows, time.Since(t).Round(time.Second))
	if dialect == "postgres" {
		t := time.Now()
		for _, tbl := range []string{"dossiers", "kpi_daily", "kpi_monthly", "kpi_open_due", "kpi_open_due_total"} {
			if _, err := st.DB().ExecContext(ctx, "VACUUM ANALYZE "+tbl); err != nil {
				return err
			}
		}
		fmt.Printf("vacuumed in %s\n", time.Since(t).Round(time.Second))
	}
	return nil
}

// summaryTables are the KPI summaries and their keys.
var summaryTables = []struct{ name, key string }{
	{"kpi_daily", "day, agency_code"},
	{"kpi_monthly", "month, agency_code"},
	{"kpi_open_due", "due_day, received_day, agency_code"},
	{"kpi_open_due_total", "due_day, agency_code"},
}

// verifyTriggers checks that the summaries equal what the triggers make
// of the same dossiers: it snapshots them, deletes every dossier (the
// triggers take each away) and inserts them again (the triggers add each
// back), then compares row by row, leaving the database as it was. For
// small databases: it rewrites the whole table.
func verifyTriggers(ctx context.Context, st *sqldb.Store) error {
	c, err := st.DB().Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	snapshot := func() (map[string][]string, error) {
		m := map[string][]string{}
		for _, t := range summaryTables {
			rows, err := c.QueryContext(ctx, "SELECT * FROM "+t.name+" ORDER BY "+t.key)
			if err != nil {
				return nil, err
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return nil, err
				}
				// Rows the deletions emptied are no different from absent rows.
				if !strings.HasPrefix(t.name, "kpi_open_due") && fmt.Sprint(vals[2]) == "0" {
					continue
				}
				m[t.name] = append(m[t.name], fmt.Sprint(vals...))
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
		return m, nil
	}
	before, err := snapshot()
	if err != nil {
		return err
	}
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range []string{
		"CREATE TEMP TABLE dossiers_copy AS SELECT * FROM dossiers",
		"DELETE FROM dossiers",
		"check",
		"INSERT INTO dossiers SELECT * FROM dossiers_copy",
		"DROP TABLE dossiers_copy",
	} {
		if q == "check" {
			// The deletions went through the triggers: nothing is left.
			var left int64
			err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM kpi_daily WHERE received <> 0 OR unfinished <> 0)
				+ (SELECT COUNT(*) FROM kpi_monthly WHERE received <> 0 OR unfinished <> 0) + (SELECT COUNT(*) FROM kpi_open_due)
				+ (SELECT COUNT(*) FROM kpi_open_due_total)`).Scan(&left)
			if err != nil {
				return err
			}
			if left != 0 {
				return fmt.Errorf("%d summary rows left after deleting every dossier", left)
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	after, err := snapshot()
	if err != nil {
		return err
	}
	for _, t := range summaryTables {
		b, a := before[t.name], after[t.name]
		if !slices.Equal(a, b) {
			return fmt.Errorf("%s: %d rows after the bulk load, %d through the triggers; first difference at %v",
				t.name, len(b), len(a), firstDiff(b, a))
		}
		fmt.Printf("%s: %d rows, identical through the triggers\n", t.name, len(b))
	}
	return nil
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return a[i] + " / " + b[i]
		}
	}
	return fmt.Sprint(min(len(a), len(b)))
}
