package motcua_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/motcua/motcua"
)

// calTime returns hh:mm on a calendar day in Vietnam.
func calTime(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, motcua.VietnamLocation())
}

func calDate(y int, m time.Month, d int) motcua.Date { return motcua.Date{Year: y, Month: m, Day: d} }

func TestCalendarDefaultDays(t *testing.T) {
	t.Parallel()
	c := motcua.DefaultCalendar()

	tests := []struct {
		d       motcua.Date
		working bool
		why     string
	}{
		{calDate(2024, 1, 1), false, "Tết Dương lịch 2024"},
		{calDate(2024, 1, 2), true, "ordinary Tuesday"},
		{calDate(2024, 2, 7), true, "Wednesday before the Tết break"},
		{calDate(2024, 2, 8), false, "first day of the Tết break 2024"},
		{calDate(2024, 2, 13), false, "compensatory day for mùng 1 on Saturday"},
		{calDate(2024, 2, 14), false, "last day of the Tết break 2024"},
		{calDate(2024, 2, 15), true, "back to work after Tết 2024"},
		{calDate(2024, 4, 18), false, "Giỗ Tổ 2024"},
		{calDate(2024, 4, 29), false, "Monday swapped for Saturday 4/5"},
		{calDate(2024, 5, 1), false, "1/5/2024"},
		{calDate(2024, 5, 2), true, "Thursday after 1/5"},
		{calDate(2024, 5, 4), true, "make-up Saturday 2024"},
		{calDate(2024, 5, 5), false, "ordinary Sunday"},
		{calDate(2024, 9, 2), false, "Quốc khánh 2024"},
		{calDate(2024, 9, 3), false, "day after Quốc khánh 2024"},
		{calDate(2024, 9, 4), true, "Wednesday after Quốc khánh"},
		{calDate(2025, 1, 1), false, "Tết Dương lịch 2025"},
		{calDate(2025, 1, 27), false, "28 Chạp Giáp Thìn"},
		{calDate(2025, 1, 31), false, "mùng 3 Ất Tỵ"},
		{calDate(2025, 2, 3), true, "back to work after Tết 2025"},
		{calDate(2025, 2, 8), false, "no make-up day after Tết 2025"},
		{calDate(2025, 4, 7), false, "Giỗ Tổ 2025"},
		{calDate(2025, 4, 26), true, "make-up Saturday 2025"},
		{calDate(2025, 5, 2), false, "Friday swapped for Saturday 26/4"},
		{calDate(2025, 5, 5), true, "Monday after the 30/4 break"},
		{calDate(2025, 9, 1), false, "day before Quốc khánh 2025"},
		{calDate(2025, 9, 3), true, "Wednesday after Quốc khánh 2025"},
		{calDate(2026, 1, 2), false, "Friday swapped for Saturday 10/1"},
		{calDate(2026, 1, 10), true, "make-up Saturday 2026"},
		{calDate(2026, 2, 13), true, "Friday before the Tết break 2026"},
		{calDate(2026, 2, 16), false, "29 Chạp Ất Tỵ"},
		{calDate(2026, 2, 20), false, "mùng 4 Bính Ngọ"},
		{calDate(2026, 2, 23), true, "back to work after Tết 2026"},
		{calDate(2026, 4, 27), false, "compensation for Giỗ Tổ on Sunday"},
		{calDate(2026, 4, 28), true, "Tuesday between Giỗ Tổ and 30/4"},
		{calDate(2026, 8, 22), true, "make-up Saturday for 31/8/2026"},
		{calDate(2026, 8, 31), false, "Monday swapped for Saturday 22/8"},
		{calDate(2026, 9, 2), false, "Quốc khánh 2026"},
		{calDate(2026, 11, 24), true, "Ngày Văn hóa Việt Nam not enacted as a day off"},
		{calDate(2027, 2, 4), false, "computed Tết 2027 break"},
		{calDate(2027, 2, 10), false, "computed Tết 2027 break, last day"},
		{calDate(2027, 2, 11), true, "after the computed Tết 2027 break"},
		{calDate(2027, 5, 3), false, "compensation for 1/5/2027 on Saturday"},
		{calDate(2027, 9, 3), false, "computed day after Quốc khánh 2027"},
		{calDate(2028, 1, 3), true, "ordinary Monday of a year not in the list"},
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(tt.d); got != tt.working {
			t.Errorf("IsWorkingDay(%s) = %v, want %v (%s)", tt.d, got, tt.working, tt.why)
		}
	}
}

// TestCalendarDefaultCounts checks the number of working days each year,
// which catches a holiday lost or duplicated when the table is edited:
// weekdays, minus holidays on weekdays, plus make-up weekend days.
func TestCalendarDefaultCounts(t *testing.T) {
	t.Parallel()
	c := motcua.DefaultCalendar()
	want := map[int]int{
		2024: 262 - 1 - 5 - 1 - 3 - 2 + 1, // 1/1, Tết, Giỗ Tổ, 29/4–1/5, 2–3/9, Saturday 4/5
		2025: 261 - 1 - 5 - 1 - 3 - 2 + 1, // 1/1, Tết, Giỗ Tổ, 30/4–2/5, 1–2/9, Saturday 26/4
		2026: 261 - 2 - 5 - 1 - 2 - 3 + 2, // 1–2/1, Tết, 27/4, 30/4–1/5, 31/8–2/9, Saturdays 10/1 and 22/8
		2027: 261 - 1 - 5 - 1 - 2 - 2,     // 1/1, Tết, Giỗ Tổ, 30/4 and 3/5, 2–3/9
	}
	for year, n := range want {
		from := calTime(year-1, 12, 31, 12, 0)
		to := calTime(year, 12, 31, 12, 0)
		if got := c.WorkingDaysBetween(from, to); got != n {
			t.Errorf("working days in %d = %d, want %d", year, got, n)
		}
	}
}

func TestCalendarAddWorkingDays(t *testing.T) {
	t.Parallel()
	c := motcua.DefaultCalendar()

	tests := []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"zero days", calTime(2024, 3, 22, 10, 0), 0, calTime(2024, 3, 22, 10, 0)},
		{"negative days", calTime(2024, 3, 22, 10, 0), -3, calTime(2024, 3, 22, 10, 0)},
		{"Friday to Monday", calTime(2024, 3, 22, 10, 0), 1, calTime(2024, 3, 25, 10, 0)},
		{"Friday plus a week", calTime(2024, 3, 22, 10, 0), 5, calTime(2024, 3, 29, 10, 0)},
		{"received on Saturday", calTime(2024, 3, 23, 9, 30), 1, calTime(2024, 3, 25, 9, 30)},
		{"received on Sunday", calTime(2024, 3, 24, 9, 30), 2, calTime(2024, 3, 26, 9, 30)},
		{"across the Tết break 2024", calTime(2024, 2, 7, 14, 0), 1, calTime(2024, 2, 15, 14, 0)},
		{"received inside the Tết break", calTime(2024, 2, 10, 8, 0), 1, calTime(2024, 2, 15, 8, 0)},
		{"across 30/4 2024", calTime(2024, 4, 26, 16, 0), 1, calTime(2024, 5, 2, 16, 0)},
		{"make-up Saturday counts", calTime(2024, 5, 3, 8, 0), 1, calTime(2024, 5, 4, 8, 0)},
		{"make-up Saturday then Monday", calTime(2024, 5, 3, 8, 0), 2, calTime(2024, 5, 6, 8, 0)},
		{"across Tết 2025", calTime(2025, 1, 24, 11, 0), 3, calTime(2025, 2, 5, 11, 0)},
		{"Giỗ Tổ and 30/4 2026", calTime(2026, 4, 24, 8, 0), 4, calTime(2026, 5, 5, 8, 0)},
		{"15 working days over Quốc khánh 2025", calTime(2025, 8, 25, 8, 0), 15, calTime(2025, 9, 17, 8, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := c.AddWorkingDays(tt.from, tt.n)
			if !got.Equal(tt.want) {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
			if got.Location() != motcua.VietnamLocation() {
				t.Fatalf("result in %v, want Vietnam's zone", got.Location())
			}
		})
	}

	// A UTC instant late in the evening is already the next day in Vietnam.
	late := time.Date(2024, 4, 26, 18, 0, 0, 0, time.UTC) // Saturday 27/4 01:00 in Vietnam
	if got, want := c.AddWorkingDays(late, 1), calTime(2024, 5, 2, 1, 0); !got.Equal(want) {
		t.Fatalf("AddWorkingDays(%s, 1) = %s, want %s", late, got, want)
	}
}

// A calendar without holidays counts as the weekend-only rule used before.
func TestCalendarWeekendOnly(t *testing.T) {
	t.Parallel()
	c := motcua.NewCalendar(nil, nil)
	fri := time.Date(2024, 3, 22, 3, 0, 0, 0, time.UTC) // Friday in Vietnam
	for n, want := range map[int]int{0: 22, 1: 25, 3: 27, 5: 29} {
		if got := c.AddWorkingDays(fri, n).Day(); got != want {
			t.Errorf("%d working days after Friday 22/03 = %d, want %d", n, got, want)
		}
	}
	if c.IsWorkingDay(calDate(2024, 2, 12)) != true {
		t.Error("Monday 12/2/2024 is a working day without holidays")
	}
}

func TestCalendarWorkingDaysBetween(t *testing.T) {
	t.Parallel()
	c := motcua.DefaultCalendar()

	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"same instant", calTime(2024, 3, 22, 10, 0), calTime(2024, 3, 22, 10, 0), 0},
		{"later the same day", calTime(2024, 3, 22, 8, 0), calTime(2024, 3, 22, 17, 0), 0},
		{"to before from", calTime(2024, 3, 25, 8, 0), calTime(2024, 3, 22, 8, 0), 0},
		{"Friday to Monday", calTime(2024, 3, 22, 17, 0), calTime(2024, 3, 25, 8, 0), 1},
		{"Friday to Sunday", calTime(2024, 3, 22, 17, 0), calTime(2024, 3, 24, 8, 0), 0},
		{"due before Tết, settled after", calTime(2024, 2, 7, 17, 0), calTime(2024, 2, 16, 9, 0), 2},
		{"inside the Tết break", calTime(2024, 2, 8, 9, 0), calTime(2024, 2, 14, 9, 0), 0},
		{"over 30/4 with the make-up Saturday", calTime(2024, 4, 26, 9, 0), calTime(2024, 5, 6, 9, 0), 4},
		{"two weeks", calTime(2024, 3, 1, 9, 0), calTime(2024, 3, 15, 9, 0), 10},
		// 23:30 UTC is already the next morning in Vietnam.
		{"across midnight in Vietnam", time.Date(2024, 3, 21, 10, 0, 0, 0, time.UTC), time.Date(2024, 3, 21, 23, 30, 0, 0, time.UTC), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := c.WorkingDaysBetween(tt.from, tt.to); got != tt.want {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

// WorkingDaysBetween counts arithmetically; check it against a day-by-day
// count and against AddWorkingDays over the whole preloaded period.
func TestCalendarCountsAgree(t *testing.T) {
	t.Parallel()
	c := motcua.DefaultCalendar()
	start := calTime(2023, 12, 1, 9, 0)
	for from := start; from.Year() < 2028; from = from.AddDate(0, 0, 1) {
		for _, n := range []int{0, 1, 2, 5, 7, 15, 30} {
			due := c.AddWorkingDays(from, n)
			if got := c.WorkingDaysBetween(from, due); got != n {
				t.Fatalf("WorkingDaysBetween(%s, AddWorkingDays(…, %d) = %s) = %d", from, n, due, got)
			}
			if n > 0 && !c.IsWorkingDay(motcua.DateOf(due)) {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, not a working day", from, n, due)
			}
		}
		for _, span := range []int{1, 3, 10, 40} {
			to := from.AddDate(0, 0, span)
			want := 0
			for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
				if c.IsWorkingDay(motcua.DateOf(d)) {
					want++
				}
			}
			if got := c.WorkingDaysBetween(from, to); got != want {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, counted %d", from, to, got, want)
			}
		}
	}
	// Long spans, including before 1970, stay exact and fast.
	if got, want := c.WorkingDaysBetween(calTime(1960, 1, 1, 0, 0), calTime(1960, 1, 8, 0, 0)), 5; got != want {
		t.Errorf("a week of 1960 = %d working days, want %d", got, want)
	}
	if got := c.WorkingDaysBetween(time.Time{}, calTime(2024, 1, 1, 0, 0)); got <= 0 {
		t.Errorf("from the zero time = %d working days, want a positive count", got)
	}
}

func TestCalendarWith(t *testing.T) {
	t.Parallel()
	base := motcua.DefaultCalendar()
	// 24/11/2026 made a holiday; the computed Tết 2027 replaced by the
	// other plausible plan (5/2 to 11/2).
	c := base.With(
		[]motcua.Date{calDate(2026, 11, 24), calDate(2027, 2, 11)},
		[]motcua.Date{calDate(2027, 2, 4), calDate(2027, 2, 13)},
	)
	for _, tt := range []struct {
		d          motcua.Date
		base, with bool
	}{
		{calDate(2026, 11, 24), true, false},
		{calDate(2027, 2, 4), false, true},
		{calDate(2027, 2, 11), true, false},
		{calDate(2027, 2, 13), false, true}, // a make-up Saturday
		{calDate(2024, 2, 8), false, false}, // untouched
	} {
		if got := base.IsWorkingDay(tt.d); got != tt.base {
			t.Errorf("base IsWorkingDay(%s) = %v, want %v: With changed its receiver", tt.d, got, tt.base)
		}
		if got := c.IsWorkingDay(tt.d); got != tt.with {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.d, got, tt.with)
		}
	}
	if got := motcua.DefaultCalendar().IsWorkingDay(calDate(2026, 11, 24)); !got {
		t.Error("With changed the shared default calendar")
	}

	// A date in both lists is a working day.
	both := motcua.NewCalendar([]motcua.Date{calDate(2024, 3, 20)}, []motcua.Date{calDate(2024, 3, 20)})
	if !both.IsWorkingDay(calDate(2024, 3, 20)) {
		t.Error("a date listed as holiday and workday should be a working day")
	}
	// Out-of-range dates are normalized: 2024-02-30 is 1 March.
	c = motcua.NewCalendar([]motcua.Date{calDate(2024, 2, 30)}, nil)
	if c.IsWorkingDay(calDate(2024, 3, 1)) || c.IsWorkingDay(calDate(2024, 2, 30)) {
		t.Error("2024-02-30 should be normalized to 2024-03-01")
	}
}

func TestCalendarConcurrentUse(t *testing.T) {
	t.Parallel()
	c := motcua.DefaultCalendar()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			from := calTime(2024, 1, 1, 8, 0).AddDate(0, 0, i)
			for j := range 200 {
				due := c.AddWorkingDays(from.AddDate(0, 0, j), 10)
				if got := c.WorkingDaysBetween(from.AddDate(0, 0, j), due); got != 10 {
					t.Errorf("concurrent count = %d, want 10", got)
					return
				}
				_ = c.With([]motcua.Date{motcua.DateOf(due)}, nil)
			}
		})
	}
	wg.Wait()
}

func TestCalendarParseHolidays(t *testing.T) {
	t.Parallel()
	const file = "\uFEFF# Tết Đinh Mùi 2027 as announced\r\n" +
		"\r\n" +
		"2027-02-04,work,computed default not in the plan\r\n" +
		"2027-02-11, OFF , Tết Đinh Mùi, mùng 6\r\n" +
		"  2027-02-20,work   # làm bù\r\n" +
		"2026-11-24,off\r\n"
	holidays, workdays, err := motcua.ParseHolidays(strings.NewReader(file))
	if err != nil {
		t.Fatalf("ParseHolidays: %v", err)
	}
	if got, want := fmt.Sprint(holidays), fmt.Sprint([]motcua.Date{calDate(2027, 2, 11), calDate(2026, 11, 24)}); got != want {
		t.Errorf("holidays = %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(workdays), fmt.Sprint([]motcua.Date{calDate(2027, 2, 4), calDate(2027, 2, 20)}); got != want {
		t.Errorf("workdays = %s, want %s", got, want)
	}
	c := motcua.DefaultCalendar().With(holidays, workdays)
	if got, want := c.AddWorkingDays(calTime(2027, 2, 3, 9, 0), 2), calTime(2027, 2, 12, 9, 0); !got.Equal(want) {
		t.Errorf("AddWorkingDays after the file = %s, want %s", got, want)
	}

	holidays, workdays, err = motcua.ParseHolidays(strings.NewReader("# nothing yet\n\n"))
	if err != nil || len(holidays) != 0 || len(workdays) != 0 {
		t.Errorf("empty file = %v, %v, %v; want nothing", holidays, workdays, err)
	}
}

func TestCalendarParseHolidaysErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		file     string
		line     string // expected start of the message
		contains string
	}{
		{"no kind", "# header\n2027-02-11\n", "Dòng 2 ", "thiếu loại ngày"},
		{"unknown kind", "2027-02-11,holiday,Tết\n", "Dòng 1 ", `"holiday"`},
		{"empty kind", "\n\n2027-02-11,,Tết\n", "Dòng 3 ", "off"},
		{"day-first date", "# ok\n2027-02-11,off\n11/02/2027,off\n", "Dòng 3 ", `"11/02/2027"`},
		{"impossible date", "2027-02-30,off\n", "Dòng 1 ", `"2027-02-30"`},
		{"missing zero", "2027-2-11,off\n", "Dòng 1 ", `"2027-2-11"`},
		{"year typo", "0227-02-11,off\n", "Dòng 1 ", "năm 227"},
		{"duplicate", "2027-02-11,off\n# again\n2027-02-11,work\n", "Dòng 3 ", "dòng 1"},
		{"line too long", "2027-02-11,off\n2027-02-12,off," + strings.Repeat("x", 5000) + "\n", "Dòng 2 ", "dài quá"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			holidays, workdays, err := motcua.ParseHolidays(strings.NewReader(tt.file))
			requireInvalid(t, err, "holidays", "invalid_holiday_line")
			if holidays != nil || workdays != nil {
				t.Errorf("got dates %v %v with an error", holidays, workdays)
			}
			msg := motcua.ErrorMessage(err)
			if !strings.HasPrefix(msg, tt.line) || !strings.Contains(msg, tt.contains) {
				t.Errorf("message %q, want it to start with %q and contain %q", msg, tt.line, tt.contains)
			}
			if !strings.Contains(err.Error(), tt.line) {
				t.Errorf("Error() %q lacks the line number", err.Error())
			}
		})
	}

	// A failing reader is not the file's fault: wrapped, not EINVALID.
	boom := errors.New("disk on fire")
	_, _, err := motcua.ParseHolidays(iotest.ErrReader(boom))
	if !errors.Is(err, boom) || motcua.IsKind(err, motcua.EINVALID) {
		t.Fatalf("ParseHolidays(failing reader) = %v, want the reader's error wrapped", err)
	}
}
