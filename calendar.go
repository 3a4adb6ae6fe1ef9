package motcua

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
)

// Calendar tells the working days of the public administration from its
// days off, for due dates of dossiers counted in working days.
//
// Saturdays and Sundays are off (the 40-hour week of cadres and civil
// servants, QĐ 188/1999/QĐ-TTg). On top of that rule a Calendar holds
// explicit dates: public holidays with their compensatory and swapped days
// off, and make-up working days (ngày làm bù), which are working days even
// when they fall on a weekend.
//
// A Calendar never changes after construction, so one value may be shared
// by any number of goroutines; With returns a new Calendar.
type Calendar struct {
	// changes lists, sorted by day, only the dates whose status differs
	// from the weekend rule: holidays on weekdays (working false) and
	// make-up days on weekends (working true). Keeping only differences
	// lets WorkingDaysBetween count weekdays arithmetically and correct
	// for the few listed dates inside the range.
	changes []dayChange
}

type dayChange struct {
	day     int64 // days since 1970-01-01
	working bool
}

// CalendarSource gives the calendar in force; it may change while the
// server runs (holidays edited by an administrator). A *Calendar is a
// source of itself.
type CalendarSource interface {
	Calendar(ctx context.Context) *Calendar
}

// Calendar returns c: a fixed calendar is its own source.
func (c *Calendar) Calendar(context.Context) *Calendar { return c }

// Changes returns the dates from..to (inclusive) whose status differs from
// the weekend rule: days off on weekdays and working days on weekends.
func (c *Calendar) Changes(from, to Date) (off, work []Date) {
	a, b := dayNumber(from), dayNumber(to)
	i, _ := slices.BinarySearchFunc(c.changes, a, func(ch dayChange, day int64) int { return compareInt64(ch.day, day) })
	for ; i < len(c.changes) && c.changes[i].day <= b; i++ {
		if c.changes[i].working {
			work = append(work, dateOfDayNumber(c.changes[i].day))
		} else {
			off = append(off, dateOfDayNumber(c.changes[i].day))
		}
	}
	return off, work
}

// NewCalendar returns a calendar with weekends off plus the given dates:
// holidays are days off, workdays are working days. A date in both lists is
// a working day. NewCalendar(nil, nil) has the weekend rule alone, which is
// how due dates were counted before holidays were known.
func NewCalendar(holidays, workdays []Date) *Calendar {
	return (&Calendar{}).With(holidays, workdays)
}

// With returns a copy of c in which the holidays are days off and the
// workdays are working days, whatever c said about them. Workdays are
// applied after holidays, so a date in both lists is a working day. Listing
// an ordinary weekday as a workday cancels a holiday of c, for example a
// computed default that the year's official plan did not confirm.
func (c *Calendar) With(holidays, workdays []Date) *Calendar {
	status := make(map[int64]bool, len(c.changes)+len(holidays)+len(workdays))
	for _, ch := range c.changes {
		status[ch.day] = ch.working
	}
	for _, d := range holidays {
		status[dayNumber(d)] = false
	}
	for _, d := range workdays {
		status[dayNumber(d)] = true
	}
	changes := make([]dayChange, 0, len(status))
	for day, working := range status {
		if working == isWeekend(day) {
			changes = append(changes, dayChange{day, working})
		}
	}
	slices.SortFunc(changes, func(a, b dayChange) int { return compareInt64(a.day, b.day) })
	return &Calendar{changes: changes}
}

// IsWorkingDay reports whether the administration works on d. An
// out-of-range d such as 2024-02-30 is normalized the way time.Date does.
func (c *Calendar) IsWorkingDay(d Date) bool { return c.isWorking(dayNumber(d)) }

// AddWorkingDays returns t moved n working days ahead in Vietnam's time
// zone, keeping the time of day: the result is on the n-th working day
// after t's calendar day. When n <= 0 it returns t (in Vietnam's zone).
// This is how the due date of a dossier is set from the processing time of
// its procedure.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	t = t.In(VietnamLocation())
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if c.IsWorkingDay(DateOf(t)) {
			n--
		}
	}
	return t
}

// WorkingDaysBetween counts the working days after from's calendar day up
// to and including to's calendar day, both in Vietnam's time zone; 0 when
// to's day is not after from's. For a due date and the day a dossier was
// settled it is the number of working days the dossier was late, and
// WorkingDaysBetween(t, c.AddWorkingDays(t, n)) == n for n >= 0.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	a, b := dayNumber(DateOf(from)), dayNumber(DateOf(to))
	if b <= a {
		return 0
	}
	n := weekdaysThrough(b) - weekdaysThrough(a)
	i, _ := slices.BinarySearchFunc(c.changes, a+1, func(ch dayChange, day int64) int {
		return compareInt64(ch.day, day)
	})
	for ; i < len(c.changes) && c.changes[i].day <= b; i++ {
		if c.changes[i].working {
			n++
		} else {
			n--
		}
	}
	return int(n)
}

func (c *Calendar) isWorking(day int64) bool {
	i, found := slices.BinarySearchFunc(c.changes, day, func(ch dayChange, day int64) int {
		return compareInt64(ch.day, day)
	})
	if found {
		return c.changes[i].working
	}
	return !isWeekend(day)
}

// dayNumber counts days from 1970-01-01 to d. Dates are calendar dates, so
// the arithmetic is done in UTC, where every day has 86400 seconds.
func dayNumber(d Date) int64 {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// weekday of a day number; 1970-01-01 was a Thursday.
func weekday(day int64) time.Weekday {
	return time.Weekday(floorMod(day+4, 7))
}

func isWeekend(day int64) bool {
	wd := weekday(day)
	return wd == time.Saturday || wd == time.Sunday
}

// weekdaysThrough counts the Mondays to Fridays from an arbitrary origin
// (the Monday 1970-01-05) up to and including day; only differences of it
// are meaningful.
func weekdaysThrough(day int64) int64 {
	k := day - 4
	weeks := floorDiv(k, 7)
	rem := k - 7*weeks // 0 is a Monday, 6 a Sunday
	return 5*weeks + min(rem+1, 5)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - b*floorDiv(a, b) }

func compareInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ---------------------------------------------------------------------------
// Vietnamese public holidays.

// DefaultCalendar returns the days off of state administrative agencies in
// Vietnam for 2024 to 2027. Outside those years only weekends are off, so
// the list must be extended every year (With, ParseHolidays).
//
// The legal frame is the Labour Code 2019 (45/2019/QH14): art. 112(1) gives
// 11 holidays a year (1/1; five days of Tết Nguyên đán; Giỗ Tổ Hùng Vương
// on 10/3 lunar; 30/4; 1/5; 2/9 and one day before or after it), art.
// 112(3) lets the Prime Minister fix each year's Tết days and the day next
// to 2/9, and art. 111(3) gives the next working day off when a holiday
// falls on a weekly rest day. Each year the Ministry of Labour (MoLISA; from
// March 2025 the Ministry of Home Affairs, which absorbed it) proposes and
// the Prime Minister approves the days of civil servants, often with a
// working day swapped for a Saturday (hoán đổi, làm bù).
//
// Every entry below says whether it comes from an announced plan or was
// computed from those rules. The computed entries (all of 2027, and the
// 2026 days no plan has covered) must be checked against the plan
// published late in the preceding year and corrected with a holiday file.
//
// Not included: "Ngày Văn hóa Việt Nam" (24/11). Politburo Resolution
// 80-NQ/TW (January 2026) chose it as a paid day off, but as of the
// sources found (VnExpress, 17/01/2026) it was only proposed for the next
// amendment of the Labour Code and no law or plan made it a day off. Add
// "2026-11-24,off,Ngày Văn hóa Việt Nam" to the holiday file once it is
// enacted.
//
// The value is shared: it is built once and, like every Calendar, never
// changes.
func DefaultCalendar() *Calendar { return defaultCalendar() }

var defaultCalendar = sync.OnceValue(func() *Calendar {
	var off, work []Date
	day := func(y int, m time.Month, d int) Date { return Date{y, m, d} }
	span := func(from, to Date) {
		for d := dayNumber(from); d <= dayNumber(to); d++ {
			off = append(off, dateOfDayNumber(d))
		}
	}

	// 2024. Official: Công văn 8662/VPCP-KGVX (03/11/2023) and Thông báo
	// 5015/TB-LĐTBXH (22/11/2023) for Tết and 2/9; Công văn 2450/VPCP-KGVX
	// (12/4/2024) for the 30/4 swap.
	span(day(2024, 1, 1), day(2024, 1, 1))   // Tết Dương lịch, Monday
	span(day(2024, 2, 8), day(2024, 2, 14))  // Tết Giáp Thìn: 29 Chạp to mùng 5; mùng 1–2 fell on Sat–Sun
	span(day(2024, 4, 18), day(2024, 4, 18)) // Giỗ Tổ, Thursday
	span(day(2024, 4, 27), day(2024, 5, 1))  // 30/4–1/5 with Monday 29/4 swapped...
	work = append(work, day(2024, 5, 4))     // ...for Saturday 4/5
	span(day(2024, 8, 31), day(2024, 9, 3))  // Quốc khánh: 2/9 (Mon) and 3/9

	// 2025. Official: Công văn 8726/VPCP-KGVX (26/11/2024) for Tết and the
	// 30/4 swap; MoHA's announcement of August 2025 for 2/9.
	span(day(2025, 1, 1), day(2025, 1, 1))  // Tết Dương lịch, Wednesday
	span(day(2025, 1, 25), day(2025, 2, 2)) // Tết Ất Tỵ: days off 27–31/1 (28 Chạp to mùng 3), no make-up day
	span(day(2025, 4, 7), day(2025, 4, 7))  // Giỗ Tổ, Monday
	span(day(2025, 4, 30), day(2025, 5, 4)) // 30/4–1/5 with Friday 2/5 swapped...
	work = append(work, day(2025, 4, 26))   // ...for Saturday 26/4
	span(day(2025, 8, 30), day(2025, 9, 2)) // Quốc khánh: 1/9 (Mon) and 2/9

	// 2026. Official: Công văn 12729/VPCP-KGVX (25/12/2025) for 1/1; the
	// Prime Minister's approval of MoHA's plan (reported 13–14/10/2025) for
	// Tết and 2/9. Computed: Giỗ Tổ's compensatory day (art. 111(3), as the
	// press reported in February 2026) and 30/4–1/5, for which no swap had
	// been announced.
	span(day(2026, 1, 1), day(2026, 1, 2))   // Tết Dương lịch with Friday 2/1 swapped...
	work = append(work, day(2026, 1, 10))    // ...for Saturday 10/1
	span(day(2026, 2, 14), day(2026, 2, 22)) // Tết Bính Ngọ: 27 Chạp to mùng 6, days off 16–20/2
	span(day(2026, 4, 26), day(2026, 4, 27)) // Giỗ Tổ on Sunday 26/4, compensated Monday 27/4 (computed)
	span(day(2026, 4, 30), day(2026, 5, 1))  // Thursday and Friday (computed: no swap known)
	span(day(2026, 8, 29), day(2026, 9, 2))  // Quốc khánh: 1/9 (Tue), 2/9, Monday 31/8 swapped...
	work = append(work, day(2026, 8, 22))    // ...for Saturday 22/8

	// 2027. All computed: no plan had been announced. Lunar dates from the
	// Vietnamese calendar (UTC+7): mùng 1 Tết Đinh Mùi is Saturday 6/2/2027
	// (Chạp has 29 days, so 5/2 is the last day of the year) and 10/3 lunar
	// is Friday 16/4/2027.
	span(day(2027, 1, 1), day(2027, 1, 1)) // Tết Dương lịch, Friday
	// Tết: as in 2024, when mùng 1 was also a Saturday: 28–29 Chạp and
	// mùng 1–3, with mùng 1–2 compensated on the next two working days.
	// The alternative the Government might choose (29 Chạp and mùng 1–4)
	// would give 5/2–11/2 instead of 4/2–10/2.
	span(day(2027, 2, 4), day(2027, 2, 10))
	span(day(2027, 4, 16), day(2027, 4, 16)) // Giỗ Tổ, Friday
	span(day(2027, 4, 30), day(2027, 5, 1))  // Friday 30/4; 1/5 is a Saturday...
	span(day(2027, 5, 3), day(2027, 5, 3))   // ...compensated Monday 3/5 (art. 111(3))
	span(day(2027, 9, 2), day(2027, 9, 3))   // Quốc khánh on Thursday; 3/9 as the adjacent day makes a 4-day break

	return NewCalendar(off, work)
})

func dateOfDayNumber(day int64) Date {
	y, m, d := time.Unix(day*86400, 0).UTC().Date()
	return Date{y, m, d}
}

// ---------------------------------------------------------------------------
// Holiday files.

// maxHolidayLine bounds a line of a holiday file; a real line is short.
const maxHolidayLine = 4096

// Earliest and latest years accepted in a holiday file, to catch typos such
// as "0224" or "2204".
const (
	minHolidayYear = 2000
	maxHolidayYear = 2100
)

// ParseHolidays reads a holiday file, one date per line:
//
//	# Tết Đinh Mùi 2027 as announced
//	2027-02-04,work,computed default not in the plan
//	2027-02-11,off,Tết Đinh Mùi
//	2027-02-20,work,làm bù
//
// The fields are an ISO date, "off" (a day off) or "work" (a working day,
// including a make-up Saturday or Sunday) and an optional comment that may
// contain commas. Blank lines and everything after '#' are ignored, as are
// a leading byte order mark and CR line endings from spreadsheet exports.
// A date may appear only once.
//
// Apply the result with With, usually to DefaultCalendar(). A bad line is
// an EINVALID error with field "holidays" and code "invalid_holiday_line"
// whose message gives the line number; a failure of r is returned wrapped.
func ParseHolidays(r io.Reader) (holidays, workdays []Date, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxHolidayLine)
	seen := make(map[Date]int)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		fields := strings.SplitN(text, ",", 3)
		if len(fields) < 2 {
			return nil, nil, holidayLineError(line, "thiếu loại ngày; mỗi dòng có dạng YYYY-MM-DD,off|work,ghi chú", nil)
		}
		s := strings.TrimSpace(fields[0])
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return nil, nil, holidayLineError(line, fmt.Sprintf("ngày %q không đúng dạng YYYY-MM-DD hoặc không có thật", s), err)
		}
		d := Date{t.Year(), t.Month(), t.Day()}
		if d.Year < minHolidayYear || d.Year > maxHolidayYear {
			return nil, nil, holidayLineError(line, fmt.Sprintf("năm %d nằm ngoài khoảng %d–%d", d.Year, minHolidayYear, maxHolidayYear), nil)
		}
		if first, ok := seen[d]; ok {
			return nil, nil, holidayLineError(line, fmt.Sprintf("ngày %s đã có ở dòng %d", d.Display(), first), nil)
		}
		seen[d] = line
		switch kind := strings.ToLower(strings.TrimSpace(fields[1])); kind {
		case "off":
			holidays = append(holidays, d)
		case "work":
			workdays = append(workdays, d)
		default:
			return nil, nil, holidayLineError(line, fmt.Sprintf("loại ngày %q phải là off (ngày nghỉ) hoặc work (ngày làm việc, làm bù)", kind), nil)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, nil, holidayLineError(line+1, fmt.Sprintf("dòng dài quá %d byte", maxHolidayLine), err)
		}
		return nil, nil, fmt.Errorf("read holidays: %w", err)
	}
	return holidays, workdays, nil
}

func holidayLineError(line int, reason string, cause error) *Error {
	e := Invalid("holidays", "invalid_holiday_line", fmt.Sprintf("Dòng %d của danh sách ngày nghỉ: %s.", line, reason))
	e.Err = cause
	return e
}
