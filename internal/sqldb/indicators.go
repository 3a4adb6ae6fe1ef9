package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/motcua/motcua"
)

// Each dossier row carries its indicator contribution (migration 0014):
// what motcua.IndicatorsOf says the dossier adds to the summaries,
// computed here from the row's facts whenever they are written. The
// triggers of migration 0015 add these columns up; nothing in SQL decides
// what a dossier counts in.

// IndicatorColumns are the contribution columns, in IndicatorArgs' order
// (bench/kpibench writes them too).
const IndicatorColumns = `kpi_day, kpi_month, kpi_due_day, kpi_reused, kpi_online, kpi_verified, kpi_digitized,
	kpi_result_expected, kpi_e_result, kpi_shared, kpi_late, kpi_missed, kpi_open`

// IndicatorCount is the number of IndicatorColumns.
const IndicatorCount = 13

// indicatorColumnList is IndicatorColumns one name an element, and
// updateIndicators the statement that stores one dossier's contribution.
var (
	indicatorColumnList = strings.Fields(strings.ReplaceAll(IndicatorColumns, ",", " "))
	updateIndicators    = "UPDATE dossiers SET " + strings.Join(indicatorColumnList, " = ?, ") + " = ? WHERE id = ?"
)

// IndicatorArgs returns the column values of a contribution; a dossier
// not received has NULL days and zeros.
func IndicatorArgs(c motcua.Contribution) []any {
	if !c.Counted {
		return []any{nil, nil, nil, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	}
	return []any{c.Day, c.Month, c.DueDay, c.Reused, c.Online, c.Verified, c.Digitized,
		c.ResultExpected, c.EResult, c.Shared, c.LateFinished, c.Missed, c.Open}
}

// factColumns are the facts a contribution is computed from, followed by
// the stored contribution, as scanFacts reads them.
const factColumns = `id, agency_code, received_at, due_at, finished_at, channel, reused, owner_verified, digitized,
	result_expected, e_result, missed_reuse, ` + IndicatorColumns

// storedFacts is a dossier's facts and its stored contribution.
type storedFacts struct {
	id     string
	facts  motcua.IndicatorFacts
	stored motcua.Contribution
}

func scanFacts(sc interface{ Scan(...any) error }) (storedFacts, error) {
	var r storedFacts
	var received, due, finished, day, month, dueDay sql.NullInt64
	var channel int
	c := &r.stored
	err := sc.Scan(&r.id, &r.facts.AgencyCode, &received, &due, &finished, &channel, &r.facts.Reused, &r.facts.Verified,
		&r.facts.Digitized, &r.facts.ResultExpected, &r.facts.EResult, &r.facts.MissedReuse,
		&day, &month, &dueDay, &c.Reused, &c.Online, &c.Verified, &c.Digitized, &c.ResultExpected, &c.EResult, &c.Shared,
		&c.LateFinished, &c.Missed, &c.Open)
	r.facts.ReceivedAt, r.facts.DueAt, r.facts.FinishedAt = fromMicros(received), fromMicros(due), fromMicros(finished)
	r.facts.Online = motcua.Channel(channel) == motcua.ChannelOnline
	c.Counted, c.Day, c.Month, c.DueDay = day.Valid, day.Int64, month.Int64, dueDay.Int64
	return r, err
}

// want is the contribution the row's facts call for.
func (r storedFacts) want() motcua.Contribution { return motcua.IndicatorsOf(r.facts) }

// syncIndicators stores the contribution of dossier id's facts as they
// now are, when it differs from the stored one. Every write of a fact
// calls it in the same transaction.
func (s *Store) syncIndicators(ctx context.Context, id string) error {
	r, err := scanFacts(s.queryRowWrite(ctx, "SELECT "+factColumns+" FROM dossiers WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return motcua.NotFound("dossier", id)
	}
	if err != nil {
		return motcua.Internal(fmt.Errorf("dossier %s indicators: %w", id, err))
	}
	c := r.want()
	if c == r.stored {
		return nil
	}
	if _, err := s.exec(ctx, updateIndicators, append(IndicatorArgs(c), id)...); err != nil {
		return motcua.Internal(fmt.Errorf("dossier %s indicators: %w", id, err))
	}
	return nil
}

// RebuildIndicators recomputes every dossier's contribution and every
// summary from the dossiers, in Go, in one transaction: the rows whose
// stored contribution differs are corrected, then the summaries are
// replaced by the sums of the contributions. Concurrent writers wait for
// it (PostgreSQL: the summaries are locked first, so a write that commits
// while the dossiers are read cannot be lost).
func (s *Store) RebuildIndicators(ctx context.Context) (motcua.IndicatorRebuild, error) {
	var out motcua.IndicatorRebuild
	err := s.inTx(ctx, func(tx *Store) error {
		if s.d.Name() == "postgres" {
			if _, err := tx.exec(ctx, "LOCK TABLE kpi_daily, kpi_monthly, kpi_open_due, kpi_open_due_total IN EXCLUSIVE MODE"); err != nil {
				return motcua.Internal(fmt.Errorf("lock summaries: %w", err))
			}
		}
		var err error
		out, err = tx.rebuildIndicators(ctx)
		return err
	})
	return out, err
}

type dayKey struct {
	agency string
	day    int64
}

type openKey struct {
	agency          string
	dueDay, recvDay int64
}

type summaryRow struct {
	received, reused, online, verified, digitized, resultExpected, eResult, shared, late, missed, unfinished int64
}

func (r *summaryRow) add(c motcua.Contribution) {
	r.received++
	r.reused += c.Reused
	r.online += c.Online
	r.verified += c.Verified
	r.digitized += c.Digitized
	r.resultExpected += c.ResultExpected
	r.eResult += c.EResult
	r.shared += c.Shared
	r.late += c.LateFinished
	r.missed += c.Missed
	r.unfinished += c.Open
}

// rebuildIndicators is RebuildIndicators inside the caller's transaction
// (also run by Migrate right after migration 0014). The dossiers are read
// in pages of their id, so that the corrections of a page are written
// before the next is read.
func (s *Store) rebuildIndicators(ctx context.Context) (motcua.IndicatorRebuild, error) {
	var out motcua.IndicatorRebuild
	daily, monthly := map[dayKey]*summaryRow{}, map[dayKey]*summaryRow{}
	open := map[openKey]int64{}
	const page = 5000
	after := ""
	for {
		rows, err := s.query(ctx, "SELECT "+factColumns+" FROM dossiers WHERE id > ? ORDER BY id LIMIT ?", after, page)
		if err != nil {
			return out, motcua.Internal(fmt.Errorf("read dossiers: %w", err))
		}
		got, err := collect(rows, scanFacts, "read dossiers")
		if err != nil {
			return out, err
		}
		var fix []storedFacts
		for _, r := range got {
			out.Dossiers++
			c := r.want()
			if c != r.stored {
				r.stored = c
				fix = append(fix, r)
			}
			if !c.Counted {
				continue
			}
			for _, m := range []struct {
				rows map[dayKey]*summaryRow
				key  int64
			}{{daily, c.Day}, {monthly, c.Month}} {
				k := dayKey{r.facts.AgencyCode, m.key}
				if m.rows[k] == nil {
					m.rows[k] = &summaryRow{}
				}
				m.rows[k].add(c)
			}
			if c.Open == 1 {
				open[openKey{r.facts.AgencyCode, c.DueDay, c.Day}]++
			}
		}
		if err := s.storeContributions(ctx, fix); err != nil {
			return out, err
		}
		out.Corrected += len(fix)
		if len(got) < page {
			break
		}
		after = got[len(got)-1].id
	}
	if err := s.replaceSummaries(ctx, daily, monthly, open); err != nil {
		return out, err
	}
	out.DailyRows, out.MonthlyRows, out.OpenDueRows = len(daily), len(monthly), len(open)
	return out, nil
}

// storeContributions writes the rows' contributions, many rows a
// statement.
func (s *Store) storeContributions(ctx context.Context, rs []storedFacts) error {
	const batch = 500
	var set strings.Builder
	for i, c := range indicatorColumnList {
		if i > 0 {
			set.WriteString(", ")
		}
		fmt.Fprintf(&set, "%s = v.c%d", c, i)
	}
	names, row := "id", "(?"
	for i := range indicatorColumnList {
		names += fmt.Sprintf(", c%d", i)
		row += ", CAST(? AS INTEGER)"
	}
	row += ")"
	for len(rs) > 0 {
		n := min(batch, len(rs))
		args := make([]any, 0, n*(IndicatorCount+1))
		for _, r := range rs[:n] {
			args = append(append(args, r.id), IndicatorArgs(r.stored)...)
		}
		// A VALUES list as a table, renamed through a common table
		// expression (SQLite would name its columns column1…), its
		// numbers typed (PostgreSQL would take them for text).
		q := "WITH v (" + names + ") AS (VALUES " + valueRows(row, n) + ") " +
			"UPDATE dossiers SET " + set.String() + " FROM v WHERE dossiers.id = v.id"
		if _, err := s.exec(ctx, q, args...); err != nil {
			return motcua.Internal(fmt.Errorf("store indicator contributions: %w", err))
		}
		rs = rs[n:]
	}
	return nil
}

// replaceSummaries empties the summaries and writes the given rows.
func (s *Store) replaceSummaries(ctx context.Context, daily, monthly map[dayKey]*summaryRow, open map[openKey]int64) error {
	for _, t := range []string{"kpi_daily", "kpi_monthly", "kpi_open_due", "kpi_open_due_total"} {
		if _, err := s.exec(ctx, "DELETE FROM "+t); err != nil {
			return motcua.Internal(fmt.Errorf("empty %s: %w", t, err))
		}
	}
	for _, m := range []struct {
		table, key string
		rows       map[dayKey]*summaryRow
	}{{"kpi_daily", "day", daily}, {"kpi_monthly", "month", monthly}} {
		var args []any
		for k, r := range m.rows {
			args = append(args, k.agency, k.day, r.received, r.reused, r.online, r.verified, r.digitized, r.resultExpected,
				r.eResult, r.shared, r.late, r.missed, r.unfinished)
		}
		if err := s.insertMany(ctx, "INSERT INTO "+m.table+" (agency_code, "+m.key+
			", received, reused, online, verified, digitized, result_expected, e_result, shared, late, missed, unfinished) VALUES ", 13, args); err != nil {
			return err
		}
	}
	total := map[dayKey]int64{}
	var args []any
	for k, n := range open {
		args = append(args, k.dueDay, k.recvDay, k.agency, n)
		total[dayKey{k.agency, k.dueDay}] += n
	}
	if err := s.insertMany(ctx, "INSERT INTO kpi_open_due (due_day, received_day, agency_code, dossiers) VALUES ", 4, args); err != nil {
		return err
	}
	args = args[:0]
	for k, n := range total {
		args = append(args, k.day, k.agency, n)
	}
	return s.insertMany(ctx, "INSERT INTO kpi_open_due_total (due_day, agency_code, dossiers) VALUES ", 3, args)
}

// insertMany runs a multi-row INSERT of width columns over args, 500 rows
// a statement.
func (s *Store) insertMany(ctx context.Context, insert string, width int, args []any) error {
	const batch = 500
	for len(args) > 0 {
		n := min(batch, len(args)/width)
		if _, err := s.exec(ctx, insert+valueRows("("+placeholders(width)+")", n), args[:n*width]...); err != nil {
			return motcua.Internal(fmt.Errorf("write summaries: %w", err))
		}
		args = args[n*width:]
	}
	return nil
}

// dossierIndicatorAt is the contribution stored with a new dossier row.
func dossierIndicatorAt(d *motcua.Dossier) []any {
	return IndicatorArgs(motcua.IndicatorsOf(d.IndicatorFacts()))
}
