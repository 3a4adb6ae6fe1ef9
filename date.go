package motcua

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar date without a time of day (issue dates, expiry
// dates, dates of birth). The zero Date means "not set".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in Vietnam's time zone.
func DateOf(t time.Time) Date {
	y, m, d := t.In(VietnamLocation()).Date()
	return Date{y, m, d}
}

// ParseDate parses "2006-01-02" (ISO) or "02/01/2006" (as shown in the UI).
func ParseDate(s string) (Date, error) {
	for _, layout := range []string{"2006-01-02", "02/01/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Date{t.Year(), t.Month(), t.Day()}, nil
		}
	}
	return Date{}, fmt.Errorf("invalid date %q", s)
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as ISO "2006-01-02"; empty when zero.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Display formats d as dd/mm/yyyy for the UI.
func (d Date) Display() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year)
}

// Time returns midnight of d in Vietnam's time zone.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, VietnamLocation())
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.String() < e.String() }

// AddDays returns d shifted by n calendar days.
func (d Date) AddDays(n int) Date {
	return DateOf(d.Time().AddDate(0, 0, n))
}

// AddMonths returns d shifted by n calendar months; a day past the end of
// the target month rolls over as time.AddDate does (31/08/2025 + 6 months
// is 03/03/2026).
func (d Date) AddMonths(n int) Date {
	return DateOf(d.Time().AddDate(0, n, 0))
}

// Value stores a Date as its ISO text, NULL when zero.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a Date from ISO text or NULL.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	case time.Time:
		*d = Date{v.Year(), v.Month(), v.Day()}
		return nil
	}
	return fmt.Errorf("scan date from %T", src)
}

func (d *Date) scanText(s string) error {
	if s == "" {
		*d = Date{}
		return nil
	}
	if len(s) > 10 {
		s = s[:10]
	}
	v, err := ParseDate(s)
	*d = v
	return err
}

// MarshalJSON writes ISO text or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads ISO text or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	return d.scanText(s)
}

// MinIssueDate is the earliest issue date the system accepts for a
// document: the civil registers and land records motcua digitizes start in
// the twentieth century, so an earlier date is a typing or conversion
// error (0000-01-01, 1800-01-01), not a real paper.
var MinIssueDate = Date{1900, time.January, 1}

// ValidateIssueDate is the one rule for a document's issue date, applied
// wherever a date is taken (citizen uploads, agency pushes, the web form,
// `motcua import`): a real date between MinIssueDate and today (Vietnam
// time) inclusive. A zero date passes: callers default it to today.
// Errors: EINVALID on field "issue_date", code "issue_date_in_future" or
// "issue_date_too_early".
func ValidateIssueDate(d, today Date) error {
	if d.IsZero() {
		return nil
	}
	if t := d.Time(); t.Year() != d.Year || t.Month() != d.Month || t.Day() != d.Day {
		return Invalid("issue_date", "invalid_issue_date", "Ngày cấp không phải là một ngày có thật.")
	}
	if today.Before(d) {
		return Invalid("issue_date", "issue_date_in_future", fmt.Sprintf("Ngày cấp %s sau ngày hôm nay.", d.Display()))
	}
	if d.Before(MinIssueDate) {
		return Invalid("issue_date", "issue_date_too_early",
			fmt.Sprintf("Ngày cấp %s trước ngày %s, sớm nhất hệ thống chấp nhận.", d.Display(), MinIssueDate.Display()))
	}
	return nil
}
