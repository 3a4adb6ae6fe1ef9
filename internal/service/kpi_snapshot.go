package service

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// SnapshotRequest asks for a month's compilation.
type SnapshotRequest struct {
	Month motcua.KPIMonth
	// Actor names who takes it in the snapshot and the audit trail:
	// "system" (the server's monthly run), "cli" (an operator).
	Actor string
	// Replace takes an already compiled month again; Reason is then
	// required and audited.
	Replace bool
	Reason  string
	Now     time.Time
}

// TakeSnapshot compiles a month that has ended: each agency's counts of
// the dossiers received in it, stored so that later corrections do not
// change them. A month already compiled is refused (ECONFLICT
// snapshot_exists) unless Replace with a Reason; either way the act is
// audited in the snapshot's transaction. Only the command line and the
// server's scheduler call it: no principal is checked.
func (k *KPI) TakeSnapshot(ctx context.Context, req SnapshotRequest) (*motcua.KPISnapshot, error) {
	if req.Now.IsZero() {
		req.Now = time.Now()
	}
	if !req.Month.Ended(motcua.DateOf(req.Now)) {
		return nil, motcua.Invalid("month", "month_not_ended", fmt.Sprintf("Tháng %s chưa kết thúc, chưa thể tổng hợp.", req.Month.Display()))
	}
	if req.Replace && req.Reason == "" {
		return nil, motcua.Invalid("reason", "reason_required", "Tổng hợp lại một tháng đã lưu phải ghi rõ lý do.")
	}
	counts, err := k.store.ReuseCounts(ctx, req.Month.First().Time(), req.Month.Last().AddDays(1).Time())
	if err != nil {
		return nil, err
	}
	snap := &motcua.KPISnapshot{Month: req.Month, TakenAt: req.Now.UTC().Truncate(time.Microsecond), TakenBy: req.Actor,
		Reason: req.Reason, Counts: counts}
	var total motcua.AgencyCount
	for _, c := range counts {
		total.Add(c)
	}
	ev := motcua.AuditEvent{ActorKind: "system", ActorID: req.Actor, Action: "kpi.snapshot.create", ObjectKind: "kpi_snapshot",
		ObjectID: req.Month.String(), Detail: fmt.Sprintf("received=%d agencies=%d", total.Received, len(counts))}
	err = k.store.InTx(ctx, func(tx motcua.Store) error {
		if !req.Replace {
			if err := tx.CreateKPISnapshot(ctx, snap); err != nil {
				return err
			}
			return tx.AppendAudit(ctx, &ev)
		}
		old, err := tx.GetKPISnapshot(ctx, req.Month)
		if motcua.IsKind(err, motcua.ENOTFOUND) {
			if err := tx.CreateKPISnapshot(ctx, snap); err != nil {
				return err
			}
			return tx.AppendAudit(ctx, &ev)
		}
		if err != nil {
			return err
		}
		var before motcua.AgencyCount
		for _, c := range old.Counts {
			before.Add(c)
		}
		if err := tx.ReplaceKPISnapshot(ctx, snap); err != nil {
			return err
		}
		ev.Action = "kpi.snapshot.replace"
		ev.Detail = fmt.Sprintf("reason=%q taken_at_before=%s received_before=%d received_after=%d", req.Reason,
			old.TakenAt.Format(time.RFC3339), before.Received, total.Received)
		return tx.AppendAudit(ctx, &ev)
	})
	if motcua.IsKind(err, motcua.ECONFLICT) {
		existing, gerr := k.store.GetKPISnapshot(ctx, req.Month)
		when := ""
		if gerr == nil {
			when = " lúc " + existing.TakenAt.In(motcua.VietnamLocation()).Format("15:04 02/01/2006")
		}
		return nil, &motcua.Error{Kind: motcua.ECONFLICT, Code: "snapshot_exists", Message: fmt.Sprintf(
			"Tháng %s đã được tổng hợp%s; số liệu đã lưu không bị ghi đè. Muốn tổng hợp lại, dùng --replace kèm --reason (lý do được ghi nhật ký).",
			req.Month.Display(), when)}
	}
	if err != nil {
		return nil, err
	}
	return snap, nil
}

// SnapshotDue compiles the previous month if it has no snapshot yet: the
// server calls it at start and hourly. When several nodes race, the
// month's unique key keeps one snapshot and the others find it taken;
// taken reports whether this call stored it.
func (k *KPI) SnapshotDue(ctx context.Context, now time.Time) (month motcua.KPIMonth, taken bool, err error) {
	month = motcua.KPIMonthOf(motcua.DateOf(now)).Prev()
	if _, err := k.store.GetKPISnapshot(ctx, month); err == nil {
		return month, false, nil
	} else if !motcua.IsKind(err, motcua.ENOTFOUND) {
		return month, false, err
	}
	_, err = k.TakeSnapshot(ctx, SnapshotRequest{Month: month, Actor: "system", Now: now})
	if motcua.IsKind(err, motcua.ECONFLICT) {
		return month, false, nil
	}
	return month, err == nil, err
}

// Snapshots lists the compiled months (without counts), latest first, to
// a principal allowed to view indicators at its own agency.
func (k *KPI) Snapshots(ctx context.Context, p *motcua.Principal) ([]motcua.KPISnapshot, error) {
	if err := AuthorizeAt(ctx, k.store, p, OpViewKPI, ""); err != nil {
		return nil, err
	}
	return k.store.ListKPISnapshots(ctx)
}

// MonthlyRow is one agency's stored and live figures for a month.
type MonthlyRow struct {
	Stored, Live motcua.ReuseRow
	// Changed is set when corrections after the compilation changed the
	// agency's figures.
	Changed bool
}

// Monthly is a month's compilation for root's subtree beside today's live
// figures for the same month.
type Monthly struct {
	Snapshot *motcua.KPISnapshot
	Stored   *motcua.ReuseTable
	Live     *motcua.ReuseTable
	// Rows pairs the two tables' agency rows in table order, then the
	// grand total.
	Rows    []MonthlyRow
	Total   MonthlyRow
	Changed int // agencies whose figures changed
}

// Monthly returns the stored compilation of month for root's subtree
// (ENOTFOUND snapshot_not_found when the month was not compiled) with the
// live figures beside it; p must be allowed to view root's indicators.
func (k *KPI) Monthly(ctx context.Context, p *motcua.Principal, rootCode string, month motcua.KPIMonth) (*Monthly, error) {
	per := Period{From: month.First(), To: month.Last()}
	// The live table authorizes p for root.
	live, err := k.ReuseTable(ctx, p, rootCode, per)
	if err != nil {
		return nil, err
	}
	snap, err := k.store.GetKPISnapshot(ctx, month)
	if err != nil {
		return nil, err
	}
	under, err := AgencySubtree(ctx, k.store, rootCode)
	if err != nil {
		return nil, err
	}
	stored := subtreeTable(under, snap.Counts, live.From, live.To)
	m := &Monthly{Snapshot: snap, Stored: stored, Live: live}
	for i, sec := range stored.Sections {
		for j, r := range sec.Rows {
			l := live.Sections[i].Rows[j]
			row := MonthlyRow{Stored: r, Live: l, Changed: r.AgencyCount != l.AgencyCount}
			if row.Changed {
				m.Changed++
			}
			m.Rows = append(m.Rows, row)
		}
	}
	m.Total = MonthlyRow{Stored: stored.Total, Live: live.Total, Changed: stored.Total.AgencyCount != live.Total.AgencyCount}
	return m, nil
}

// Disclosure is the public disclosure ("công khai") of the province's
// results for the year to date: every agency's aggregate counts, no
// dossier and no person.
type Disclosure struct {
	Table  *motcua.ReuseTable
	Period Period
	At     time.Time
}

// PublicDisclosure returns the province's table for year: from 1 January
// to now's day for the current year (year 0 means the current one), the
// whole year for a past one. Anyone may read it, logged in or not: it
// holds only the aggregate figures each agency must publish, read from
// the summaries (cheap whatever the number of dossiers).
func (k *KPI) PublicDisclosure(ctx context.Context, now time.Time, year int) (*Disclosure, error) {
	today := motcua.DateOf(now)
	if year == 0 {
		year = today.Year
	}
	if year < 2000 || year > today.Year {
		return nil, motcua.Invalid("nam", "invalid_year", fmt.Sprintf("Năm phải từ 2000 đến %d.", today.Year))
	}
	all, err := k.store.ListAgencies(ctx, motcua.AgencyFilter{})
	if err != nil {
		return nil, err
	}
	var root *motcua.Agency
	for _, a := range all {
		if a.ParentCode == "" && (root == nil || a.Level == motcua.LevelProvince && root.Level != motcua.LevelProvince) {
			root = a
		}
	}
	if root == nil {
		return nil, motcua.NotFound("agency", "")
	}
	per := Period{From: motcua.Date{Year: year, Month: 1, Day: 1}, To: motcua.Date{Year: year, Month: 12, Day: 31}}
	if year == today.Year {
		per.To = today
	}
	// A nil principal: the figures are public.
	t, err := k.ReuseTable(ctx, nil, root.Code, per)
	if err != nil {
		return nil, err
	}
	return &Disclosure{Table: t, Period: per, At: now}, nil
}
