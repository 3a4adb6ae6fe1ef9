package motcua_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func TestIndicatorScores(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		code string
		c    motcua.AgencyCount
		want string
	}{
		{"4.3", motcua.AgencyCount{Received: 100, Reused: 40}, "0.50"}, // 40% of the 80% full score
		{"4.3", motcua.AgencyCount{Received: 100, Reused: 90}, "1.00"}, // capped
		{"4.3", motcua.AgencyCount{Received: 3480, Reused: 156}, "0.06"},
		{"4.2", motcua.AgencyCount{Received: 8, Digitized: 1}, "0.16"},     // 12.5% / 80% = 0.15625
		{"2.1", motcua.AgencyCount{Received: 40, Late: 1}, "0.98"},         // 0.975 half up
		{"4.1", motcua.AgencyCount{ResultExpected: 0, EResult: 0}, "0.00"}, // nothing to count
		{"3.3", motcua.AgencyCount{Received: 3, Online: 2}, "0.67"},
		{"4.5", motcua.AgencyCount{Received: 200, Verified: 1}, "0.01"}, // 0.005 half up
	} {
		d, ok := motcua.IndicatorByCode(c.code)
		if !ok {
			t.Fatalf("no indicator %s", c.code)
		}
		if got := d.Score(c.c).String("."); got != c.want {
			t.Errorf("%s score of %+v = %s, want %s", c.code, c.c, got, c.want)
		}
		if got := d.Score(c.c).String(","); got != c.want[:1]+","+c.want[2:] {
			t.Errorf("%s score with a comma = %s", c.code, got)
		}
	}
	if d, _ := motcua.IndicatorByCode("reuse"); d.Code != "4.3" {
		t.Errorf("reuse = %s", d.Code)
	}
	if len(motcua.Indicators) != 7 {
		t.Errorf("%d indicators, want 2.1, 3.3, 4.1–4.5", len(motcua.Indicators))
	}
}

func TestDayNumber(t *testing.T) {
	t.Parallel()
	vn := motcua.VietnamLocation()
	for _, c := range []struct {
		at   time.Time
		want int64
	}{
		{time.Date(1970, 1, 1, 0, 0, 0, 0, vn), 0},
		{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), 0},           // 07:00 in Vietnam
		{time.Date(1969, 12, 31, 16, 59, 59, 0, time.UTC), -1},     // 23:59:59 in Vietnam
		{time.Date(2025, 6, 30, 17, 0, 0, 0, time.UTC), 20270},     // 2025-07-01 00:00 in Vietnam
		{time.Date(2025, 6, 30, 16, 59, 59, 999, time.UTC), 20269}, // still 30 June
		{time.Date(2024, 2, 29, 23, 59, 0, 0, vn), 19782},          // leap day
	} {
		if got := motcua.DayNumber(c.at); got != c.want {
			t.Errorf("DayNumber(%s) = %d, want %d", c.at, got, c.want)
		}
		if motcua.DateOf(motcua.DayStart(c.want)) != motcua.DateOf(c.at) {
			t.Errorf("DayStart(%d) = %s is not the day of %s", c.want, motcua.DayStart(c.want), c.at)
		}
	}
	if m := motcua.MonthNumber(20270); m != 2025*12+6 {
		t.Errorf("MonthNumber = %d", m)
	}
	if d := motcua.MonthFirstDay(2025*12 + 6); d != 20270 {
		t.Errorf("MonthFirstDay = %d", d)
	}
	if !motcua.IsDayStart(time.Date(2025, 6, 30, 17, 0, 0, 0, time.UTC)) || motcua.IsDayStart(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)) {
		t.Error("IsDayStart")
	}
}

func TestIndicatorsOf(t *testing.T) {
	t.Parallel()
	vn := motcua.VietnamLocation()
	recv := time.Date(2025, 3, 10, 23, 30, 0, 0, vn)
	due := time.Date(2025, 3, 15, 17, 0, 0, 0, vn)
	now := time.Date(2025, 3, 20, 9, 0, 0, 0, vn)
	if c := motcua.IndicatorsOf(motcua.IndicatorFacts{Reused: true}); c.Counted || c.Reused != 0 {
		t.Errorf("a dossier not received counts: %+v", c)
	}
	// Finished late, result expected but no e-result: not digitized.
	f := motcua.IndicatorFacts{AgencyCode: "A", ReceivedAt: recv, DueAt: due, FinishedAt: due.Add(time.Hour),
		Digitized: true, ResultExpected: true, MissedReuse: true}
	c := motcua.IndicatorsOf(f)
	if !c.Counted || c.Day != motcua.DayNumber(recv) || c.Month != 2025*12+2 || c.DueDay != motcua.DayNumber(due) ||
		c.LateFinished != 1 || c.Open != 0 || c.Digitized != 0 || c.Missed != 1 || c.Shared != 0 {
		t.Errorf("finished late = %+v", c)
	}
	if got := c.Count(f, now); got.Received != 1 || got.Late != 1 || got.ResultExpected != 1 || got.EResult != 0 {
		t.Errorf("count = %+v", got)
	}
	// Open, digitized, the result not issued yet: digitized; late only once due.
	f = motcua.IndicatorFacts{AgencyCode: "A", ReceivedAt: recv, DueAt: due, Digitized: true, ResultExpected: true, Reused: true, MissedReuse: true}
	c = motcua.IndicatorsOf(f)
	if c.Digitized != 1 || c.Open != 1 || c.LateFinished != 0 || c.Shared != 1 || c.Missed != 0 || c.Reused != 1 {
		t.Errorf("open = %+v", c)
	}
	if c.Count(f, due.Add(-time.Minute)).Late != 0 || c.Count(f, due.Add(time.Minute)).Late != 1 {
		t.Error("an open dossier is late exactly after its due time")
	}
	// Without a due date: never late.
	f = motcua.IndicatorFacts{AgencyCode: "A", ReceivedAt: recv, Online: true, EResult: true, Verified: true}
	c = motcua.IndicatorsOf(f)
	if c.DueDay != motcua.NoDueDay || c.Count(f, now.AddDate(10, 0, 0)).Late != 0 || c.Online != 1 || c.Verified != 1 || c.Shared != 1 {
		t.Errorf("no due date = %+v", c)
	}
	if !c.Matches(motcua.IndicatorOnline, f, now) || c.Matches(motcua.IndicatorLate, f, now) || c.Matches(motcua.IndicatorDigitized, f, now) {
		t.Error("Matches")
	}
}
