package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// kpiDay returns t's summary day and whether t is a Vietnam midnight,
// i.e. a boundary the summary can answer exactly.
func kpiDay(t time.Time) (int64, bool) {
	return motcua.DayNumber(t), motcua.IsDayStart(t) && t.Unix() >= 0
}

const kpiColumns = `agency_code, received, reused, online, verified, digitized, result_expected, e_result, shared, late, missed`

// ReuseCounts implements motcua.KPIStore. Periods that start and end at
// Vietnam midnights (every period the service asks for) are summed from
// the summaries kept by the triggers of migration 0015; others
// are counted over the dossiers (ReuseCountsRaw). Dossiers without a
// receipt date are excluded by the range condition itself.
func (s *Store) ReuseCounts(ctx context.Context, from, to time.Time) ([]motcua.AgencyCount, error) {
	fromDay, okFrom := kpiDay(from)
	toDay, okTo := kpiDay(to)
	if !okFrom || !okTo {
		return s.ReuseCountsRaw(ctx, from, to)
	}
	// Whole months from kpi_monthly, the days before and after them from
	// kpi_daily: a year is 12 rows per agency, a month 1. Late holds every
	// open dossier for now (late + unfinished); openNotDue takes away those
	// not due yet.
	m1, m2 := motcua.MonthNumber(fromDay), motcua.MonthNumber(toDay)
	if motcua.MonthFirstDay(m1) != fromDay {
		m1++
	}
	if m1 >= m2 {
		m1, m2 = 0, 0
	}
	headEnd, tailStart := toDay, toDay
	if m1 < m2 {
		headEnd, tailStart = motcua.MonthFirstDay(m1), motcua.MonthFirstDay(m2)
	}
	counts, err := s.kpiQuery(ctx, `SELECT agency_code, SUM(received), SUM(reused), SUM(online), SUM(verified), SUM(digitized),
		SUM(result_expected), SUM(e_result), SUM(shared), SUM(late) + SUM(unfinished), SUM(missed),
		SUM(received) - SUM(unfinished), SUM(late) FROM (
		SELECT `+kpiColumns+`, unfinished FROM kpi_daily WHERE (day >= ? AND day < ?) OR (day >= ? AND day < ?)
		UNION ALL SELECT `+kpiColumns+`, unfinished FROM kpi_monthly WHERE month >= ? AND month < ?) k
		GROUP BY agency_code HAVING SUM(received) > 0 ORDER BY agency_code`,
		fromDay, headEnd, tailStart, toDay, m1, m2)
	if err != nil {
		return nil, err
	}
	notDue, err := s.openNotDue(ctx, fromDay, toDay)
	if err != nil {
		return nil, err
	}
	for i := range counts {
		counts[i].Late -= notDue[counts[i].AgencyCode]
	}
	return counts, nil
}

// openNotDue counts per agency the open dossiers received on summary days
// [fromDay, toDay) that are not late now: those due after today or without
// a due date, and today's due from now on (the dossiers themselves,
// through the index dossiers_open_due). Those due after today are the
// kpi_open_due rows received in the period; for a period that reaches
// today, which holds most of them, they are rather all of them
// (kpi_open_due_total, a row per due day and agency) less the kpi_open_due
// rows received outside the period, so that the rows read are few either
// way.
func (s *Store) openNotDue(ctx context.Context, fromDay, toDay int64) (map[string]int64, error) {
	now := s.now()
	today, _ := kpiDay(now)
	dayStart := func(day int64) int64 { return motcua.DayStart(day).UnixMicro() }
	dueLater, args := `SELECT agency_code, dossiers AS n FROM kpi_open_due WHERE due_day > ? AND received_day >= ? AND received_day < ?`,
		[]any{today, fromDay, toDay}
	if toDay > today {
		dueLater, args = `SELECT agency_code, dossiers AS n FROM kpi_open_due_total WHERE due_day > ?
		UNION ALL SELECT agency_code, -dossiers FROM kpi_open_due WHERE due_day > ? AND (received_day < ? OR received_day >= ?)`,
			[]any{today, today, fromDay, toDay}
	}
	rows, err := s.query(ctx, `SELECT agency_code, SUM(n) FROM (`+dueLater+`
		UNION ALL SELECT agency_code, 1 FROM dossiers WHERE kpi_open = 1
			AND due_at >= ? AND due_at < ? AND received_at >= ? AND received_at < ?) o
		GROUP BY agency_code`,
		append(args, now.UnixMicro(), dayStart(today+1), dayStart(fromDay), dayStart(toDay))...)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("open dossiers not due: %w", err))
	}
	type open struct {
		code string
		n    int64
	}
	got, err := collect(rows, func(sc interface{ Scan(...any) error }) (open, error) {
		var o open
		err := sc.Scan(&o.code, &o.n)
		return o, err
	}, "open dossiers not due")
	if err != nil {
		return nil, err
	}
	m := make(map[string]int64, len(got))
	for _, o := range got {
		m[o.code] = o.n
	}
	return m, nil
}

// ReuseCountsRaw sums the contribution columns of the dossiers themselves
// (a plain GROUP BY, then the open overdue dossiers): the reference the
// summaries are benchmarked against.
func (s *Store) ReuseCountsRaw(ctx context.Context, from, to time.Time) ([]motcua.AgencyCount, error) {
	counts, err := s.kpiQuery(ctx, `SELECT agency_code, COUNT(*), SUM(kpi_reused), SUM(kpi_online), SUM(kpi_verified),
		SUM(kpi_digitized), SUM(kpi_result_expected), SUM(kpi_e_result), SUM(kpi_shared), SUM(kpi_late), SUM(kpi_missed),
		COUNT(*) - SUM(kpi_open), SUM(kpi_late)
		FROM dossiers WHERE received_at >= ? AND received_at < ? GROUP BY agency_code ORDER BY agency_code`,
		from.UnixMicro(), to.UnixMicro())
	if err != nil {
		return nil, err
	}
	return counts, s.addOpenOverdue(ctx, counts, from, to)
}

func (s *Store) kpiQuery(ctx context.Context, q string, args ...any) ([]motcua.AgencyCount, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("reuse counts: %w", err))
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (motcua.AgencyCount, error) {
		var c motcua.AgencyCount
		err := sc.Scan(&c.AgencyCode, &c.Received, &c.Reused, &c.Online, &c.Verified, &c.Digitized, &c.ResultExpected,
			&c.EResult, &c.Shared, &c.Late, &c.Missed, &c.Finished, &c.FinishedLate)
		return c, err
	}, "reuse counts")
}

// addOpenOverdue counts into Late the dossiers received in [from, to),
// still open and past their due date now, one by one (index dossiers_open).
func (s *Store) addOpenOverdue(ctx context.Context, counts []motcua.AgencyCount, from, to time.Time) error {
	rows, err := s.query(ctx, `SELECT agency_code, COUNT(*) FROM dossiers
		WHERE kpi_open = 1 AND received_at >= ? AND received_at < ? AND due_at < ?
		GROUP BY agency_code`, from.UnixMicro(), to.UnixMicro(), s.now().UnixMicro())
	if err != nil {
		return motcua.Internal(fmt.Errorf("open overdue dossiers: %w", err))
	}
	type late struct {
		code string
		n    int64
	}
	open, err := collect(rows, func(sc interface{ Scan(...any) error }) (late, error) {
		var l late
		err := sc.Scan(&l.code, &l.n)
		return l, err
	}, "open overdue dossiers")
	if err != nil {
		return err
	}
	for _, l := range open {
		for i := range counts {
			if counts[i].AgencyCode == l.code {
				counts[i].Late += l.n
			}
		}
	}
	return nil
}

// MissedReuseGroups implements motcua.KPIStore. The partial index
// dossiers_missed holds only the dossiers that count as missed reuses.
func (s *Store) MissedReuseGroups(ctx context.Context, from, to time.Time) ([]motcua.MissedGroup, error) {
	rows, err := s.query(ctx, `SELECT agency_code, procedure_code, received_by, COUNT(*) FROM dossiers
		WHERE kpi_missed = 1 AND received_at >= ? AND received_at < ?
		GROUP BY agency_code, procedure_code, received_by ORDER BY agency_code, procedure_code, received_by`,
		from.UnixMicro(), to.UnixMicro())
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("missed reuse: %w", err))
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (motcua.MissedGroup, error) {
		var g motcua.MissedGroup
		err := sc.Scan(&g.AgencyCode, &g.ProcedureCode, &g.Officer, &g.Dossiers)
		return g, err
	}, "missed reuse")
}
