package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/motcua/motcua"
)

const snapshotColumns = "agency_code, received, reused, online, verified, digitized, result_expected, e_result, shared, late, missed, finished, finished_late"

// CreateKPISnapshot implements motcua.KPISnapshotStore. The month's
// primary key decides between two nodes taking the same month: the second
// insert fails and nothing of it is kept.
func (s *Store) CreateKPISnapshot(ctx context.Context, snap *motcua.KPISnapshot) error {
	month := snap.Month.String()
	return s.inTx(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, "INSERT INTO kpi_snapshots (month, taken_at, taken_by, reason) VALUES (?, ?, ?, ?)",
			month, micros(snap.TakenAt), snap.TakenBy, snap.Reason); err != nil {
			return tx.insertErr(err, "snapshot", month)
		}
		return tx.insertSnapshotCounts(ctx, month, snap.Counts)
	})
}

// ReplaceKPISnapshot implements motcua.KPISnapshotStore.
func (s *Store) ReplaceKPISnapshot(ctx context.Context, snap *motcua.KPISnapshot) error {
	month := snap.Month.String()
	return s.inTx(ctx, func(tx *Store) error {
		res, err := tx.exec(ctx, "UPDATE kpi_snapshots SET taken_at = ?, taken_by = ?, reason = ? WHERE month = ?",
			micros(snap.TakenAt), snap.TakenBy, snap.Reason, month)
		if err != nil {
			return motcua.Internal(fmt.Errorf("replace snapshot %s: %w", month, err))
		}
		if err := affectedOne(res, "snapshot", month); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM kpi_snapshot_counts WHERE month = ?", month); err != nil {
			return motcua.Internal(fmt.Errorf("replace snapshot %s counts: %w", month, err))
		}
		return tx.insertSnapshotCounts(ctx, month, snap.Counts)
	})
}

func (s *Store) insertSnapshotCounts(ctx context.Context, month string, counts []motcua.AgencyCount) error {
	for _, c := range counts {
		if _, err := s.exec(ctx, "INSERT INTO kpi_snapshot_counts (month, "+snapshotColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			month, c.AgencyCode, c.Received, c.Reused, c.Online, c.Verified, c.Digitized, c.ResultExpected, c.EResult, c.Shared,
			c.Late, c.Missed, c.Finished, c.FinishedLate); err != nil {
			return s.insertErr(err, "snapshot", month+" "+c.AgencyCode)
		}
	}
	return nil
}

// GetKPISnapshot implements motcua.KPISnapshotStore.
func (s *Store) GetKPISnapshot(ctx context.Context, month motcua.KPIMonth) (*motcua.KPISnapshot, error) {
	snap := &motcua.KPISnapshot{Month: month}
	var taken sql.NullInt64
	err := s.queryRow(ctx, "SELECT taken_at, taken_by, reason FROM kpi_snapshots WHERE month = ?", month.String()).
		Scan(&taken, &snap.TakenBy, &snap.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("snapshot", month.String())
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get snapshot %s: %w", month, err))
	}
	snap.TakenAt = fromMicros(taken)
	rows, err := s.query(ctx, "SELECT "+snapshotColumns+" FROM kpi_snapshot_counts WHERE month = ? ORDER BY agency_code", month.String())
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get snapshot %s counts: %w", month, err))
	}
	snap.Counts, err = collect(rows, func(r interface{ Scan(...any) error }) (motcua.AgencyCount, error) {
		var c motcua.AgencyCount
		return c, r.Scan(&c.AgencyCode, &c.Received, &c.Reused, &c.Online, &c.Verified, &c.Digitized, &c.ResultExpected, &c.EResult,
			&c.Shared, &c.Late, &c.Missed, &c.Finished, &c.FinishedLate)
	}, "get snapshot counts")
	if err != nil {
		return nil, err
	}
	return snap, nil
}

// ListKPISnapshots implements motcua.KPISnapshotStore.
func (s *Store) ListKPISnapshots(ctx context.Context) ([]motcua.KPISnapshot, error) {
	rows, err := s.query(ctx, "SELECT month, taken_at, taken_by, reason FROM kpi_snapshots ORDER BY month DESC")
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("list snapshots: %w", err))
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (motcua.KPISnapshot, error) {
		var snap motcua.KPISnapshot
		var month string
		var taken sql.NullInt64
		if err := r.Scan(&month, &taken, &snap.TakenBy, &snap.Reason); err != nil {
			return snap, err
		}
		m, err := motcua.ParseKPIMonth(month)
		if err != nil {
			return snap, fmt.Errorf("stored month %q: %w", month, err)
		}
		snap.Month, snap.TakenAt = m, fromMicros(taken)
		return snap, nil
	}, "list snapshots")
}
