package motcua

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ReuseTarget is the province's 2024 target for the reuse rate (%).
const ReuseTarget = 60

// ReuseFullScore is the rate at which Decision 766 gives indicator 4.3
// its full score (%).
const ReuseFullScore = 80

// AgencyCount is one agency's reuse figures for a period (Decision 766
// indicator 4.3): dossiers with a receipt date in the period, and those of
// them with at least one component reused from digitized data.
type AgencyCount struct {
	AgencyCode string
	Received   int64
	Reused     int64
	// Online counts the dossiers received online (indicator 3.3).
	Online int64
	// Verified counts the dossiers whose owner was checked against the
	// population database or logged in with VNeID (indicator 4.5).
	Verified int64
	// Digitized counts the dossiers with every component file digitized
	// and, once finished, their electronic result when one is issued
	// (indicator 4.2).
	Digitized int64
	// ResultExpected counts the dossiers of procedures that issue a
	// result, EResult those of them given an electronic result (4.1).
	ResultExpected int64
	EResult        int64
	// Shared counts the dossiers with a component taken from digitized
	// data or an electronic result shared to the owner's warehouse (4.4).
	Shared int64
	// Late counts the dossiers finished after their due date or still
	// open past it (indicator 2.1 counts the others as on time).
	Late int64
	// Missed counts the dossiers received without reuse although a
	// matching document was in the owner's warehouse.
	Missed int64
	// Finished counts the dossiers finished (processed: returned,
	// rejected, withdrawn…), FinishedLate those of them finished after
	// their due date: the portal's "Kết quả giải quyết TTHC" widget.
	Finished     int64
	FinishedLate int64
}

// Rate is a ratio kept as exact integers; it is rounded only when shown.
type Rate struct {
	Num, Den int64
}

// Percent formats the rate as a percentage with the given decimals,
// rounding half up from the exact fraction (never from a rounded value),
// with sep as the decimal separator. A zero denominator shows as 0.
func (r Rate) Percent(decimals int, sep string) string {
	if r.Den <= 0 {
		return zeroFraction(decimals, sep)
	}
	return roundFraction(r.Num*100, r.Den, decimals, sep)
}

// Float is the rate in percent, for charts.
func (r Rate) Float() float64 {
	if r.Den <= 0 {
		return 0
	}
	return float64(r.Num) * 100 / float64(r.Den)
}

// ReuseRow is one line of the reuse table.
type ReuseRow struct {
	No     int
	Agency *Agency
	AgencyCount
}

// Rate returns the row's reuse rate (indicator 4.3).
func (r ReuseRow) Rate() Rate { return Rate{r.Reused, r.Received} }

// OnlineRate is indicator 3.3: dossiers received online ÷ received.
func (r ReuseRow) OnlineRate() Rate { return Rate{r.Online, r.Received} }

// VerifiedRate is indicator 4.5: dossiers whose owner's identity was
// checked against the population database ÷ received.
func (r ReuseRow) VerifiedRate() Rate { return Rate{r.Verified, r.Received} }

// EResultRate is indicator 4.1: dossiers given an electronic result ÷
// dossiers of procedures that issue a result.
func (r ReuseRow) EResultRate() Rate { return Rate{r.EResult, r.ResultExpected} }

// DigitizedRate is indicator 4.2: fully digitized dossiers ÷ received.
func (r ReuseRow) DigitizedRate() Rate { return Rate{r.Digitized, r.Received} }

// SharedRate is indicator 4.4: dossiers sharing digitized data ÷ received.
func (r ReuseRow) SharedRate() Rate { return Rate{r.Shared, r.Received} }

// OnTimeRate is indicator 2.1: dossiers finished, or still open, within
// their due date ÷ received.
func (r ReuseRow) OnTimeRate() Rate { return Rate{r.Received - r.Late, r.Received} }

// MissedGain is how many percentage points the reuse rate would gain had
// every missed reuse been made.
func (r ReuseRow) MissedGain() Rate { return Rate{r.Missed, r.Received} }

// Add sums c into the count.
func (c *AgencyCount) Add(o AgencyCount) {
	c.Received += o.Received
	c.Reused += o.Reused
	c.Online += o.Online
	c.Verified += o.Verified
	c.Digitized += o.Digitized
	c.ResultExpected += o.ResultExpected
	c.EResult += o.EResult
	c.Shared += o.Shared
	c.Late += o.Late
	c.Missed += o.Missed
	c.Finished += o.Finished
	c.FinishedLate += o.FinishedLate
}

func (r *ReuseRow) add(c AgencyCount) { r.AgencyCount.Add(c) }

// ReuseSection is "I. CẤP HUYỆN" or "II. CẤP XÃ" with its Σ row.
type ReuseSection struct {
	Title string
	Rows  []ReuseRow
	Total ReuseRow
}

// ReuseTable is seed 002's Appendix I for one district (or province) and
// period.
type ReuseTable struct {
	Root     *Agency
	From, To time.Time // receipt dates in [From, To)
	Sections []ReuseSection
	Total    ReuseRow
}

// BuildReuseTable lays the counts out as Appendix I: the agencies under
// root of district level, then the communes, each in code order, with
// section and grand totals summed from the integers.
func BuildReuseTable(root *Agency, under []*Agency, counts []AgencyCount, from, to time.Time) *ReuseTable {
	byCode := make(map[string]AgencyCount, len(counts))
	for _, c := range counts {
		byCode[c.AgencyCode] = c
	}
	t := &ReuseTable{Root: root, From: from, To: to, Total: ReuseRow{Agency: root}}
	for _, sec := range []struct {
		title string
		level AgencyLevel
	}{{"I. CẤP HUYỆN", LevelDistrict}, {"II. CẤP XÃ", LevelCommune}} {
		s := ReuseSection{Title: sec.title, Total: ReuseRow{Agency: &Agency{Name: "Tổng số"}}}
		for _, a := range under {
			if a.Level != sec.level || a.Code == root.Code {
				continue
			}
			c := byCode[a.Code]
			row := ReuseRow{No: len(s.Rows) + 1, Agency: a}
			row.add(c)
			s.Rows = append(s.Rows, row)
			s.Total.add(c)
		}
		t.Total.add(s.Total.AgencyCount)
		t.Sections = append(t.Sections, s)
	}
	// The root's own dossiers (a district People's Committee receiving
	// directly) count in the grand total.
	if c, ok := byCode[root.Code]; ok {
		t.Total.add(c)
	}
	return t
}

// FormatCount writes an integer the Vietnamese way: 3.480.
func FormatCount(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// MissedGroup is a number of missed reuses of one agency, procedure and
// receiving officer (empty for dossiers not received by an officer).
type MissedGroup struct {
	AgencyCode    string
	ProcedureCode string
	Officer       string
	Dossiers      int64
}

// KPIStore computes the indicators' raw counts.
type KPIStore interface {
	// ReuseCounts returns, per receiving agency, the dossiers with a
	// receipt date in [from, to), and those of them that reused digitized
	// data, were received online, and had their owner verified. Agencies
	// without dossiers are absent.
	ReuseCounts(ctx context.Context, from, to time.Time) ([]AgencyCount, error)
	// MissedReuseGroups counts, per receiving agency, procedure and
	// receiving officer, the dossiers received in [from, to) without any
	// reuse although a matching document was in the owner's warehouse.
	MissedReuseGroups(ctx context.Context, from, to time.Time) ([]MissedGroup, error)
	// RebuildIndicators recomputes every dossier's contribution
	// (IndicatorsOf) and every summary from the dossiers, in one
	// transaction.
	RebuildIndicators(ctx context.Context) (IndicatorRebuild, error)
}

// IndicatorRebuild reports what RebuildIndicators did.
type IndicatorRebuild struct {
	Dossiers  int // dossiers read
	Corrected int // dossiers whose stored contribution was wrong
	// The summary rows written.
	DailyRows, MonthlyRows, OpenDueRows int
}
