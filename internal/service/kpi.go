package service

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/motcua/motcua"
)

// KPI computes the monitors' indicators.
type KPI struct {
	store motcua.Store
}

// NewKPI builds the indicators service.
func NewKPI(store motcua.Store) *KPI { return &KPI{store: store} }

// Period is a range of receipt dates, [From, To), in Vietnam's calendar.
type Period struct {
	From, To motcua.Date // To is inclusive for people; the query uses the next midnight
}

func (p Period) bounds() (time.Time, time.Time, error) {
	if p.From.IsZero() || p.To.IsZero() {
		return time.Time{}, time.Time{}, motcua.Invalid("from", "required", "Vui lòng chọn khoảng thời gian (từ ngày, đến ngày).")
	}
	if p.To.Before(p.From) {
		return time.Time{}, time.Time{}, motcua.Invalid("to", "invalid_period", "“Đến ngày” không được trước “Từ ngày”.")
	}
	return p.From.Time(), p.To.AddDays(1).Time(), nil
}

// ReuseTable builds the Appendix I table for the agency root (a district
// or a province node) and the period. p must be allowed to view
// indicators for root: a monitor of root or of an agency above it. A nil
// principal means the command line, run by an operator.
func (k *KPI) ReuseTable(ctx context.Context, p *motcua.Principal, rootCode string, period Period) (*motcua.ReuseTable, error) {
	from, to, err := period.bounds()
	if err != nil {
		return nil, err
	}
	path, err := AgencyPath(ctx, k.store, rootCode)
	if err != nil {
		return nil, err
	}
	if p != nil {
		if err := Authorize(p, OpViewKPI, Resource{AgencyPath: path}); err != nil {
			return nil, err
		}
	}
	under, err := AgencySubtree(ctx, k.store, rootCode)
	if err != nil {
		return nil, err
	}
	counts, err := k.store.ReuseCounts(ctx, from, to)
	if err != nil {
		return nil, err
	}
	return subtreeTable(under, counts, from, to), nil
}

// subtreeTable lays out the counts of the agencies under[0] and its
// subtree (under) as Appendix I; only the subtree's agencies count towards
// the root's total.
func subtreeTable(under []*motcua.Agency, counts []motcua.AgencyCount, from, to time.Time) *motcua.ReuseTable {
	in := make(map[string]bool, len(under))
	for _, a := range under {
		in[a.Code] = true
	}
	var mine []motcua.AgencyCount
	for _, c := range counts {
		if in[c.AgencyCode] {
			mine = append(mine, c)
		}
	}
	return motcua.BuildReuseTable(under[0], under, mine, from, to)
}

// DrillDown selects the dossiers behind a number of the table.
type DrillDown struct {
	AgencyCode  string
	Period      Period
	Reused      *bool
	MissedReuse bool
	Indicator   motcua.Indicator
	Limit       int
	Offset      int
}

// Dossiers lists the dossiers behind a number of the reuse table: one
// agency's dossiers received in the period, optionally only the reused
// ones, or those that missed a reuse.
func (k *KPI) Dossiers(ctx context.Context, p *motcua.Principal, d DrillDown) ([]*motcua.Dossier, int, error) {
	from, to, err := d.Period.bounds()
	if err != nil {
		return nil, 0, err
	}
	if !d.Indicator.Valid() {
		return nil, 0, motcua.Invalid("indicator", "unknown_indicator", "Chỉ số không hợp lệ.")
	}
	path, err := AgencyPath(ctx, k.store, d.AgencyCode)
	if err != nil {
		return nil, 0, err
	}
	if err := Authorize(p, OpViewKPI, Resource{AgencyPath: path}); err != nil {
		return nil, 0, err
	}
	return k.store.ListDossiers(ctx, motcua.DossierFilter{AgencyCode: d.AgencyCode, ReceivedFrom: from, ReceivedTo: to,
		Reused: d.Reused, MissedReuse: d.MissedReuse, Indicator: d.Indicator, Limit: d.Limit, Offset: d.Offset})
}

// MonthPoint is one month of the trend line.
type MonthPoint struct {
	Month    motcua.Date // first day of the month
	Received int64
	Reused   int64
}

// Rate is the month's reuse rate.
func (m MonthPoint) Rate() motcua.Rate { return motcua.Rate{Num: m.Reused, Den: m.Received} }

// Trend returns the monthly reuse figures of root's subtree for the n
// months ending with the month of last.
func (k *KPI) Trend(ctx context.Context, p *motcua.Principal, rootCode string, last motcua.Date, n int) ([]MonthPoint, error) {
	if n < 1 || n > 36 {
		return nil, motcua.Invalid("months", "invalid_months", "Số tháng phải từ 1 đến 36.")
	}
	path, err := AgencyPath(ctx, k.store, rootCode)
	if err != nil {
		return nil, err
	}
	if err := Authorize(p, OpViewKPI, Resource{AgencyPath: path}); err != nil {
		return nil, err
	}
	under, err := AgencySubtree(ctx, k.store, rootCode)
	if err != nil {
		return nil, err
	}
	in := make(map[string]bool, len(under))
	for _, a := range under {
		in[a.Code] = true
	}
	first := motcua.Date{Year: last.Year, Month: last.Month, Day: 1}
	start := first.Time().AddDate(0, -(n - 1), 0)
	out := make([]MonthPoint, 0, n)
	for i := range n {
		from := start.AddDate(0, i, 0)
		counts, err := k.store.ReuseCounts(ctx, from, from.AddDate(0, 1, 0))
		if err != nil {
			return nil, err
		}
		m := MonthPoint{Month: motcua.DateOf(from)}
		for _, c := range counts {
			if in[c.AgencyCode] {
				m.Received += c.Received
				m.Reused += c.Reused
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// MissedAgency is one agency of the missed-reuse list: its figures, and
// its missed reuses per procedure and per receiving officer.
type MissedAgency struct {
	Row        motcua.ReuseRow
	Procedures []MissedBy
	Officers   []MissedBy
}

// RateIfReused is the reuse rate the agency would have had, had every
// missed reuse been made.
func (m MissedAgency) RateIfReused() motcua.Rate {
	return motcua.Rate{Num: m.Row.Reused + m.Row.Missed, Den: m.Row.Received}
}

// MissedBy is a count of missed reuses of one procedure or officer.
type MissedBy struct {
	Code, Name string
	Dossiers   int64
}

// MissedReuse is the actionable list (issue 7): for each agency of root's
// subtree with missed reuses in the period, the dossiers received without
// reuse although a matching document was in the owner's warehouse, per
// procedure and officer, agencies sorted by how much their reuse rate
// would rise.
func (k *KPI) MissedReuse(ctx context.Context, p *motcua.Principal, rootCode string, period Period) ([]MissedAgency, error) {
	t, err := k.ReuseTable(ctx, p, rootCode, period)
	if err != nil {
		return nil, err
	}
	groups, err := k.store.MissedReuseGroups(ctx, t.From, t.To)
	if err != nil {
		return nil, err
	}
	byAgency := map[string]*MissedAgency{}
	var out []*MissedAgency
	for _, sec := range t.Sections {
		for _, r := range sec.Rows {
			if r.Missed > 0 {
				m := &MissedAgency{Row: r}
				byAgency[r.Agency.Code] = m
				out = append(out, m)
			}
		}
	}
	names := map[string]string{}
	add := func(list []MissedBy, code, name string, n int64) []MissedBy {
		for i := range list {
			if list[i].Code == code {
				list[i].Dossiers += n
				return list
			}
		}
		return append(list, MissedBy{Code: code, Name: name, Dossiers: n})
	}
	for _, g := range groups {
		m := byAgency[g.AgencyCode]
		if m == nil {
			continue
		}
		name, ok := names[g.ProcedureCode]
		if !ok {
			name = g.ProcedureCode
			if proc, err := k.store.GetProcedure(ctx, g.ProcedureCode); err == nil {
				name = proc.Name
			}
			names[g.ProcedureCode] = name
		}
		m.Procedures = add(m.Procedures, g.ProcedureCode, name, g.Dossiers)
		officer := g.Officer
		if officer == "" {
			officer = "(nộp trực tuyến, chưa tiếp nhận tại quầy)"
		}
		m.Officers = add(m.Officers, g.Officer, officer, g.Dossiers)
	}
	res := make([]MissedAgency, len(out))
	for i, m := range out {
		for _, l := range [][]MissedBy{m.Procedures, m.Officers} {
			slices.SortFunc(l, func(a, b MissedBy) int { return cmp.Compare(b.Dossiers, a.Dossiers) })
		}
		res[i] = *m
	}
	// Largest rise of the rate first: missed ÷ received, compared exactly
	// as fractions.
	slices.SortStableFunc(res, func(a, b MissedAgency) int {
		return cmp.Compare(b.Row.Missed*a.Row.Received, a.Row.Missed*b.Row.Received)
	})
	return res, nil
}
