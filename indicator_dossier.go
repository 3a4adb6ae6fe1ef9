package motcua

import "time"

// IndicatorFacts are the facts about a dossier that its indicators depend
// on. Storage keeps them as columns and, beside them, the Contribution
// computed from them here.
type IndicatorFacts struct {
	AgencyCode                    string
	ReceivedAt, DueAt, FinishedAt time.Time
	Online                        bool // received online (channel 2)
	Reused                        bool // a component reused digitized data
	Verified                      bool // the owner was checked against the population database
	Digitized                     bool // every component file digitized
	ResultExpected                bool // the procedure issues a result
	EResult                       bool // an electronic result was issued
	MissedReuse                   bool // a matching document was in the warehouse at receipt
}

// IndicatorFacts returns d's facts.
func (d *Dossier) IndicatorFacts() IndicatorFacts {
	return IndicatorFacts{AgencyCode: d.AgencyCode, ReceivedAt: d.ReceivedAt, DueAt: d.DueAt, FinishedAt: d.FinishedAt,
		Online: d.Channel == ChannelOnline, Reused: d.Reused(), Verified: d.OwnerVerified, Digitized: d.Digitized(),
		ResultExpected: d.ResultExpected, EResult: d.HasEResult(), MissedReuse: d.MissedReuse}
}

// NoDueDay is the due day of a dossier without a due date: never late.
const NoDueDay = 2147483647

// Contribution is what one dossier adds to the indicator summaries of its
// receiving agency: to the row of its receipt day and month (every counter
// 0 or 1) and, while open, to the row of its due day. Every Decision 766
// indicator is defined here, once; storage only adds these numbers up.
type Contribution struct {
	// Counted is false for a dossier not received: it adds nothing.
	Counted bool
	// Day and Month are the receipt day and month (DayNumber,
	// MonthNumber); DueDay is the due day (NoDueDay without a due date).
	Day, Month, DueDay int64
	Reused             int64 // 4.3
	Online             int64 // 3.3
	Verified           int64 // 4.5
	Digitized          int64 // 4.2: all components digitized and, once finished, the e-result when one is issued
	ResultExpected     int64 // 4.1's denominator
	EResult            int64 // 4.1
	Shared             int64 // 4.4: reused, or an e-result shared to the warehouse
	LateFinished       int64 // 2.1: finished after the due date
	Missed             int64 // received without reuse although the warehouse held a match
	Open               int64 // received, not finished: late once the due day passes (LateAt)
}

// IndicatorsOf returns what a dossier with facts f adds to the summaries.
func IndicatorsOf(f IndicatorFacts) Contribution {
	if f.ReceivedAt.IsZero() {
		return Contribution{}
	}
	finished := !f.FinishedAt.IsZero()
	c := Contribution{Counted: true, Day: DayNumber(f.ReceivedAt), DueDay: NoDueDay,
		Reused: b2i(f.Reused), Online: b2i(f.Online), Verified: b2i(f.Verified),
		Digitized:      b2i(f.Digitized && (!f.ResultExpected || !finished || f.EResult)),
		ResultExpected: b2i(f.ResultExpected), EResult: b2i(f.EResult), Shared: b2i(f.Reused || f.EResult),
		LateFinished: b2i(finished && !f.DueAt.IsZero() && f.FinishedAt.After(f.DueAt)),
		Missed:       b2i(f.MissedReuse && !f.Reused), Open: b2i(!finished)}
	c.Month = MonthNumber(c.Day)
	if !f.DueAt.IsZero() {
		c.DueDay = DayNumber(f.DueAt)
	}
	return c
}

// LateAt reports whether a dossier with facts f counts as late at now
// (indicator 2.1): finished after its due date, or still open past it.
func (f IndicatorFacts) LateAt(now time.Time) bool {
	if !f.FinishedAt.IsZero() {
		return !f.DueAt.IsZero() && f.FinishedAt.After(f.DueAt)
	}
	return !f.DueAt.IsZero() && f.DueAt.Before(now)
}

// Count is the contribution as counts, with the open dossier late when
// LateAt says so at now. Summing the counts of a period's dossiers gives
// its AgencyCount: the brute-force reference the summaries are checked
// against.
func (c Contribution) Count(f IndicatorFacts, now time.Time) AgencyCount {
	if !c.Counted {
		return AgencyCount{AgencyCode: f.AgencyCode}
	}
	return AgencyCount{AgencyCode: f.AgencyCode, Received: 1, Reused: c.Reused, Online: c.Online, Verified: c.Verified,
		Digitized: c.Digitized, ResultExpected: c.ResultExpected, EResult: c.EResult, Shared: c.Shared,
		Late: b2i(f.LateAt(now)), Missed: c.Missed, Finished: 1 - c.Open, FinishedLate: c.LateFinished}
}

// Matches reports whether the contribution counts in the numerator of the
// drill-down indicator i at now (IndicatorLate: late at now).
func (c Contribution) Matches(i Indicator, f IndicatorFacts, now time.Time) bool {
	switch i {
	case IndicatorLate:
		return c.Counted && f.LateAt(now)
	case IndicatorOnline:
		return c.Online == 1
	case IndicatorEResult:
		return c.EResult == 1
	case IndicatorDigitized:
		return c.Digitized == 1
	case IndicatorShared:
		return c.Shared == 1
	case IndicatorVerified:
		return c.Verified == 1
	}
	return c.Counted
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
