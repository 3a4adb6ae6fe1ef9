package motcua

import "time"

// This file is the one place that knows Vietnam's clock: every "which
// Vietnamese day (or month) is this instant" in the system comes from here.
// Storage keeps the day and month numbers computed by these functions on
// each dossier row and adds them up; no SQL computes a day from an instant.

// VietnamUTCOffset is Vietnam's offset from UTC in seconds: UTC+7, without
// daylight saving time since 1975, so a fixed zone is exact for every date
// the system stores.
const VietnamUTCOffset = 7 * 3600

var vietnam = time.FixedZone("ICT", VietnamUTCOffset)

// VietnamLocation returns Vietnam's time zone (ICT, UTC+7).
func VietnamLocation() *time.Location { return vietnam }

// LocalDay returns midnight of t's calendar day in Vietnam.
func LocalDay(t time.Time) time.Time {
	y, m, d := t.In(vietnam).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, vietnam)
}

// DayNumber is t's calendar day in Vietnam as days since 1970-01-01: the
// day key of the indicator summaries.
func DayNumber(t time.Time) int64 {
	s := t.Unix() + VietnamUTCOffset
	if s < 0 && s%86400 != 0 {
		return s/86400 - 1
	}
	return s / 86400
}

// DayStart is the instant of Vietnam midnight that starts day.
func DayStart(day int64) time.Time {
	return time.Unix(day*86400-VietnamUTCOffset, 0).UTC()
}

// IsDayStart reports whether t is exactly a Vietnam midnight.
func IsDayStart(t time.Time) bool { return DayStart(DayNumber(t)).Equal(t) }

// MonthNumber is the calendar month of a day number as year × 12 + month
// − 1: the month key of the indicator summaries.
func MonthNumber(day int64) int64 {
	t := time.Unix(day*86400, 0).UTC()
	return int64(t.Year())*12 + int64(t.Month()) - 1
}

// MonthFirstDay is the day number of a month's first day.
func MonthFirstDay(month int64) int64 {
	return time.Date(int(month/12), time.Month(month%12+1), 1, 0, 0, 0, 0, time.UTC).Unix() / 86400
}
