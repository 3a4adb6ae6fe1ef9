package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

const identityCheckColumns = `dossier_id, agency_code, method, checked_at, checked_by, manual_at, manual_by, manual_reason,
	recheck, attempts, next_attempt_at, last_error, updated_at`

func scanIdentityCheck(sc interface{ Scan(...any) error }) (*motcua.IdentityCheck, error) {
	var c motcua.IdentityCheck
	var method, recheck, manualBy, manualReason string
	var checked, manualAt, next, updated sql.NullInt64
	if err := sc.Scan(&c.DossierID, &c.AgencyCode, &method, &checked, &c.By, &manualAt, &manualBy, &manualReason,
		&recheck, &c.Attempts, &next, &c.LastError, &updated); err != nil {
		return nil, err
	}
	c.Method, c.Recheck = motcua.IdentityMethod(method), motcua.RecheckState(recheck)
	c.CheckedAt, c.NextAttemptAt, c.UpdatedAt = fromMicros(checked), fromMicros(next), fromMicros(updated)
	if manualAt.Valid {
		c.Manual = &motcua.ManualVerification{At: fromMicros(manualAt), By: manualBy, Reason: manualReason}
	}
	return &c, nil
}

// PutIdentityCheck implements motcua.IdentityCheckStore. The agency is
// the dossier's: the row is written only when the dossier exists.
func (s *Store) PutIdentityCheck(ctx context.Context, c *motcua.IdentityCheck) error {
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.putIdentityCheck(ctx, c); err != nil {
			return err
		}
		return tx.verifyOwner(ctx, c)
	})
}

// verifyOwner sets the dossier's owner_verified fact when check c
// confirms the owner (motcua.IdentityCheck.VerifiesOwner: e.g. the
// re-check of a manual verification matched), and stores the dossier's
// indicator contribution as the domain computes it from its facts.
func (s *Store) verifyOwner(ctx context.Context, c *motcua.IdentityCheck) error {
	if !c.VerifiesOwner() {
		return nil
	}
	res, err := s.exec(ctx, "UPDATE dossiers SET owner_verified = ? WHERE id = ? AND owner_verified = ?", true, c.DossierID, false)
	if err != nil {
		return motcua.Internal(fmt.Errorf("verify owner of %s: %w", c.DossierID, err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return s.syncIndicators(ctx, c.DossierID)
}

func (s *Store) putIdentityCheck(ctx context.Context, c *motcua.IdentityCheck) error {
	c.UpdatedAt = s.now().UTC().Truncate(time.Microsecond)
	var manualAt any
	var manualBy, manualReason string
	if m := c.Manual; m != nil {
		manualAt, manualBy, manualReason = micros(m.At), m.By, m.Reason
	}
	res, err := s.exec(ctx, `INSERT INTO identity_checks (`+identityCheckColumns+`)
		SELECT id, agency_code, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM dossiers WHERE id = ?
		ON CONFLICT (dossier_id) DO UPDATE SET method = EXCLUDED.method, checked_at = EXCLUDED.checked_at,
			checked_by = EXCLUDED.checked_by, manual_at = EXCLUDED.manual_at, manual_by = EXCLUDED.manual_by,
			manual_reason = EXCLUDED.manual_reason, recheck = EXCLUDED.recheck, attempts = EXCLUDED.attempts,
			next_attempt_at = EXCLUDED.next_attempt_at, last_error = EXCLUDED.last_error, updated_at = EXCLUDED.updated_at`,
		string(c.Method), micros(c.CheckedAt), c.By, manualAt, manualBy, manualReason, string(c.Recheck), c.Attempts,
		micros(c.NextAttemptAt), truncateError(c.LastError), micros(c.UpdatedAt), c.DossierID)
	if err != nil {
		return motcua.Internal(fmt.Errorf("put identity check of %s: %w", c.DossierID, err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return motcua.Invalid("dossier_id", "unknown_dossier", "Hồ sơ không tồn tại.")
	}
	return s.queryRowWrite(ctx, "SELECT agency_code FROM identity_checks WHERE dossier_id = ?", c.DossierID).Scan(&c.AgencyCode)
}

func truncateError(msg string) string {
	if len(msg) > 1000 {
		return msg[:1000]
	}
	return msg
}

// GetIdentityCheck implements motcua.IdentityCheckStore.
func (s *Store) GetIdentityCheck(ctx context.Context, dossierID string) (*motcua.IdentityCheck, error) {
	c, err := scanIdentityCheck(s.queryRow(ctx, "SELECT "+identityCheckColumns+" FROM identity_checks WHERE dossier_id = ?", dossierID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("identity_check", dossierID)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get identity check of %s: %w", dossierID, err))
	}
	return c, nil
}

// ClaimIdentityRechecks implements motcua.IdentityCheckStore, as
// ClaimNotifications: the outer condition repeats the due check so that a
// worker that waited for another's row lock skips the row.
func (s *Store) ClaimIdentityRechecks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*motcua.IdentityCheck, error) {
	limit = clampLimit(limit, 10, 500)
	rows, err := s.writer().QueryContext(ctx, s.d.Rebind(`UPDATE identity_checks SET next_attempt_at = ?
		WHERE dossier_id IN (SELECT dossier_id FROM identity_checks WHERE recheck = 'pending' AND next_attempt_at <= ?
			ORDER BY next_attempt_at LIMIT ?)
		AND recheck = 'pending' AND next_attempt_at <= ?
		RETURNING `+identityCheckColumns),
		micros(now.Add(lease)), micros(now), limit, micros(now))
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("claim identity rechecks: %w", err))
	}
	return collect(rows, scanIdentityCheck, "claim identity rechecks")
}

// ListIdentityChecks implements motcua.IdentityCheckStore.
func (s *Store) ListIdentityChecks(ctx context.Context, f motcua.IdentityCheckFilter) ([]*motcua.IdentityCheck, error) {
	q := "SELECT " + identityCheckColumns + " FROM identity_checks WHERE 1 = 1"
	var args []any
	if f.AgencyCode != "" {
		q += " AND agency_code = ?"
		args = append(args, f.AgencyCode)
	}
	if f.Recheck != "" {
		q += " AND recheck = ?"
		args = append(args, string(f.Recheck))
	}
	q += " ORDER BY updated_at DESC, dossier_id LIMIT ?"
	args = append(args, clampLimit(f.Limit, 100, 1000))
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("list identity checks: %w", err))
	}
	return collect(rows, scanIdentityCheck, "list identity checks")
}
