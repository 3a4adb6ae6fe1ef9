package motcua

import (
	"context"
	"fmt"
	"time"
)

// KPIMonth is a calendar month of receipt dates, the period of a monthly
// compilation ("tổng hợp hằng tháng", seed 002).
type KPIMonth struct {
	Year  int
	Month time.Month
}

// ParseKPIMonth reads "YYYY-MM".
func ParseKPIMonth(s string) (KPIMonth, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Year() < 2000 {
		return KPIMonth{}, Invalid("month", "invalid_month", "Tháng phải có dạng YYYY-MM, ví dụ 2024-03.")
	}
	return KPIMonth{t.Year(), t.Month()}, nil
}

// KPIMonthOf is the month of day d.
func KPIMonthOf(d Date) KPIMonth { return KPIMonth{d.Year, d.Month} }

// String is "YYYY-MM", the month's key in storage, URLs and JSON.
func (m KPIMonth) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Display is "MM/YYYY", the Vietnamese way.
func (m KPIMonth) Display() string { return fmt.Sprintf("%02d/%04d", int(m.Month), m.Year) }

// First and Last are the month's first and last days.
func (m KPIMonth) First() Date { return Date{Year: m.Year, Month: m.Month, Day: 1} }
func (m KPIMonth) Last() Date  { return DateOf(m.First().Time().AddDate(0, 1, -1)) }

// Prev is the month before m.
func (m KPIMonth) Prev() KPIMonth { return KPIMonthOf(DateOf(m.First().Time().AddDate(0, -1, 0))) }

// Ended reports whether the month is over on day today.
func (m KPIMonth) Ended(today Date) bool { return m.Last().Before(today) }

// KPISnapshot is a month's compilation as it was when it was taken: each
// agency's counts for the dossiers received in the month. Corrections made
// afterwards (a dossier finished late, a file digitized) change the live
// figures, never the stored snapshot; replacing one is an explicit,
// audited act with a reason.
type KPISnapshot struct {
	Month   KPIMonth
	TakenAt time.Time
	// TakenBy is the actor that took it ("system" for the server's
	// monthly run, "cli" for the command line, an officer's actor id).
	TakenBy string
	// Reason is why the month was taken again; empty for the first time.
	Reason string
	// Counts has a row per agency with dossiers in the month.
	Counts []AgencyCount
}

// KPISnapshotStore keeps the monthly compilations. The service decides
// who may take and replace them; the store only keeps one per month.
type KPISnapshotStore interface {
	// CreateKPISnapshot stores s unless the month already has a snapshot:
	// ECONFLICT (snapshot_exists), so that two nodes taking the same month
	// store it once and an existing month is never overwritten.
	CreateKPISnapshot(ctx context.Context, s *KPISnapshot) error
	// ReplaceKPISnapshot replaces the month's stored snapshot with s
	// (TakenAt, TakenBy, Reason, Counts); ENOTFOUND (snapshot_not_found).
	ReplaceKPISnapshot(ctx context.Context, s *KPISnapshot) error
	// GetKPISnapshot returns the month's snapshot with its counts in
	// agency code order; ENOTFOUND (snapshot_not_found).
	GetKPISnapshot(ctx context.Context, month KPIMonth) (*KPISnapshot, error)
	// ListKPISnapshots returns every stored month without counts, the
	// latest month first.
	ListKPISnapshots(ctx context.Context) ([]KPISnapshot, error)
}
