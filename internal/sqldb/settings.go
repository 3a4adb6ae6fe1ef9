package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

const trustAnchorColumns = "fingerprint, subject, issuer, serial, not_before, not_after, der, disabled, added_by, added_at, updated_at"

// bumpSetting advances a setting's version; it runs in the transaction of
// the change, so a node that sees the new number also sees the change.
func (s *Store) bumpSetting(ctx context.Context, name string) error {
	if _, err := s.exec(ctx, "UPDATE settings_versions SET version = version + 1 WHERE name = ?", name); err != nil {
		return motcua.Internal(fmt.Errorf("bump setting %s: %w", name, err))
	}
	return nil
}

// CreateTrustAnchor implements motcua.SettingsStore.
func (s *Store) CreateTrustAnchor(ctx context.Context, a *motcua.TrustAnchor) error {
	if a.AddedAt.IsZero() {
		a.AddedAt = s.now().UTC().Truncate(time.Microsecond)
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.AddedAt
	}
	return s.inTx(ctx, func(tx *Store) error {
		_, err := tx.exec(ctx, "INSERT INTO trust_anchors ("+trustAnchorColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			a.Fingerprint, a.Subject, a.Issuer, a.Serial, micros(a.NotBefore), micros(a.NotAfter), a.DER, a.Disabled, a.AddedBy,
			micros(a.AddedAt), micros(a.UpdatedAt))
		if err != nil {
			return tx.insertErr(err, "trust_anchor", a.Fingerprint)
		}
		return tx.bumpSetting(ctx, motcua.SettingTrustAnchors)
	})
}

func scanTrustAnchor(r interface{ Scan(...any) error }) (*motcua.TrustAnchor, error) {
	var a motcua.TrustAnchor
	var nb, na, added, updated sql.NullInt64
	if err := r.Scan(&a.Fingerprint, &a.Subject, &a.Issuer, &a.Serial, &nb, &na, &a.DER, &a.Disabled, &a.AddedBy, &added, &updated); err != nil {
		return nil, err
	}
	a.NotBefore, a.NotAfter, a.AddedAt, a.UpdatedAt = fromMicros(nb), fromMicros(na), fromMicros(added), fromMicros(updated)
	return &a, nil
}

// GetTrustAnchor implements motcua.SettingsStore.
func (s *Store) GetTrustAnchor(ctx context.Context, fingerprint string) (*motcua.TrustAnchor, error) {
	a, err := scanTrustAnchor(s.queryRow(ctx, "SELECT "+trustAnchorColumns+" FROM trust_anchors WHERE fingerprint = ?", fingerprint))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("trust_anchor", fingerprint)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get trust anchor %s: %w", fingerprint, err))
	}
	return a, nil
}

// ListTrustAnchors implements motcua.SettingsStore.
func (s *Store) ListTrustAnchors(ctx context.Context) ([]*motcua.TrustAnchor, error) {
	rows, err := s.query(ctx, "SELECT "+trustAnchorColumns+" FROM trust_anchors ORDER BY added_at DESC, fingerprint")
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("list trust anchors: %w", err))
	}
	return collect(rows, scanTrustAnchor, "list trust anchors")
}

// SetTrustAnchorDisabled implements motcua.SettingsStore.
func (s *Store) SetTrustAnchorDisabled(ctx context.Context, fingerprint string, disabled bool, at time.Time) error {
	if at.IsZero() {
		at = s.now()
	}
	return s.inTx(ctx, func(tx *Store) error {
		res, err := tx.exec(ctx, "UPDATE trust_anchors SET disabled = ?, updated_at = ? WHERE fingerprint = ?", disabled, micros(at.UTC()), fingerprint)
		if err != nil {
			return motcua.Internal(fmt.Errorf("update trust anchor %s: %w", fingerprint, err))
		}
		if err := affectedOne(res, "trust_anchor", fingerprint); err != nil {
			return err
		}
		return tx.bumpSetting(ctx, motcua.SettingTrustAnchors)
	})
}

// PutHoliday implements motcua.SettingsStore.
func (s *Store) PutHoliday(ctx context.Context, h *motcua.Holiday) error {
	if h.UpdatedAt.IsZero() {
		h.UpdatedAt = s.now().UTC().Truncate(time.Microsecond)
	}
	return s.inTx(ctx, func(tx *Store) error {
		res, err := tx.exec(ctx, "UPDATE holidays SET working = ?, name = ?, updated_by = ?, updated_at = ? WHERE day = ?",
			h.Working, h.Name, h.UpdatedBy, micros(h.UpdatedAt), h.Date)
		if err != nil {
			return motcua.Internal(fmt.Errorf("update holiday %s: %w", h.Date, err))
		}
		if n, err := res.RowsAffected(); err != nil {
			return motcua.Internal(fmt.Errorf("update holiday %s: %w", h.Date, err))
		} else if n == 0 {
			if _, err := tx.exec(ctx, "INSERT INTO holidays (day, working, name, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)",
				h.Date, h.Working, h.Name, h.UpdatedBy, micros(h.UpdatedAt)); err != nil {
				return tx.insertErr(err, "holiday", h.Date.String())
			}
		}
		return tx.bumpSetting(ctx, motcua.SettingHolidays)
	})
}

// DeleteHoliday implements motcua.SettingsStore.
func (s *Store) DeleteHoliday(ctx context.Context, d motcua.Date) error {
	return s.inTx(ctx, func(tx *Store) error {
		res, err := tx.exec(ctx, "DELETE FROM holidays WHERE day = ?", d)
		if err != nil {
			return motcua.Internal(fmt.Errorf("delete holiday %s: %w", d, err))
		}
		if err := affectedOne(res, "holiday", d.String()); err != nil {
			return err
		}
		return tx.bumpSetting(ctx, motcua.SettingHolidays)
	})
}

// ListHolidays implements motcua.SettingsStore.
func (s *Store) ListHolidays(ctx context.Context, year int) ([]*motcua.Holiday, error) {
	q, args := "SELECT day, working, name, updated_by, updated_at FROM holidays", []any{}
	if year != 0 {
		// Days are ISO text, so a year is a text range.
		q += " WHERE day >= ? AND day < ?"
		args = append(args, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1))
	}
	rows, err := s.query(ctx, q+" ORDER BY day", args...)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("list holidays: %w", err))
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (*motcua.Holiday, error) {
		var h motcua.Holiday
		var at sql.NullInt64
		if err := r.Scan(&h.Date, &h.Working, &h.Name, &h.UpdatedBy, &at); err != nil {
			return nil, err
		}
		h.UpdatedAt = fromMicros(at)
		return &h, nil
	}, "list holidays")
}

// SettingsVersion implements motcua.SettingsStore.
func (s *Store) SettingsVersion(ctx context.Context, name string) (int64, error) {
	var v int64
	err := s.queryRow(ctx, "SELECT version FROM settings_versions WHERE name = ?", name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, motcua.Internal(fmt.Errorf("settings version %s: %w", name, err))
	}
	return v, nil
}
