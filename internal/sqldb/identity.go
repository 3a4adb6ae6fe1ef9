package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// CreateOfficer implements motcua.IdentityStore.
func (s *Store) CreateOfficer(ctx context.Context, o *motcua.Officer) error {
	now := s.now().UTC().Truncate(time.Microsecond)
	if o.CreatedAt.IsZero() {
		o.CreatedAt = now
	}
	o.UpdatedAt = o.CreatedAt
	roles, err := marshalJSON(nonNil(o.Roles))
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.requireRef(ctx, "agencies", "code", o.AgencyCode, "agency_code", "unknown_agency",
			fmt.Sprintf("Không tìm thấy cơ quan %q.", o.AgencyCode)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO officers (username, name, agency_code, roles, password_hash, totp_secret, disabled,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			o.Username, o.Name, o.AgencyCode, roles, o.PasswordHash, o.TOTPSecret, o.Disabled, micros(o.CreatedAt), micros(o.UpdatedAt))
		if err != nil {
			return tx.insertErr(err, "officer", o.Username)
		}
		return nil
	})
}

// UpdateOfficer implements motcua.IdentityStore.
func (s *Store) UpdateOfficer(ctx context.Context, o *motcua.Officer) error {
	o.UpdatedAt = s.now().UTC().Truncate(time.Microsecond)
	roles, err := marshalJSON(nonNil(o.Roles))
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.requireRef(ctx, "agencies", "code", o.AgencyCode, "agency_code", "unknown_agency",
			fmt.Sprintf("Không tìm thấy cơ quan %q.", o.AgencyCode)); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE officers SET name = ?, agency_code = ?, roles = ?, password_hash = ?, totp_secret = ?,
			disabled = ?, updated_at = ? WHERE username = ?`,
			o.Name, o.AgencyCode, roles, o.PasswordHash, o.TOTPSecret, o.Disabled, micros(o.UpdatedAt), o.Username)
		if err != nil {
			return motcua.Internal(fmt.Errorf("update officer %s: %w", o.Username, err))
		}
		return affectedOne(res, "officer", o.Username)
	})
}

const officerColumns = "username, name, agency_code, roles, password_hash, totp_secret, disabled, created_at, updated_at"

func scanOfficer(sc interface{ Scan(...any) error }) (*motcua.Officer, error) {
	var o motcua.Officer
	var roles []byte
	var created, updated sql.NullInt64
	if err := sc.Scan(&o.Username, &o.Name, &o.AgencyCode, &roles, &o.PasswordHash, &o.TOTPSecret, &o.Disabled,
		&created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(roles, &o.Roles); err != nil {
		return nil, fmt.Errorf("officer %s roles: %w", o.Username, err)
	}
	o.CreatedAt, o.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &o, nil
}

// GetOfficer implements motcua.IdentityStore.
func (s *Store) GetOfficer(ctx context.Context, username string) (*motcua.Officer, error) {
	o, err := scanOfficer(s.queryRow(ctx, "SELECT "+officerColumns+" FROM officers WHERE username = ?", username))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("officer", username)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get officer %s: %w", username, err))
	}
	return o, nil
}

// UseTOTPStep implements motcua.IdentityStore: one conditional UPDATE, so
// that of two logins with the same code only one moves the step.
func (s *Store) UseTOTPStep(ctx context.Context, username string, step int64) (bool, error) {
	res, err := s.exec(ctx, "UPDATE officers SET totp_last_step = ? WHERE username = ? AND totp_last_step < ?", step, username, step)
	if err != nil {
		return false, motcua.Internal(fmt.Errorf("use TOTP step of %s: %w", username, err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, motcua.Internal(fmt.Errorf("use TOTP step of %s: %w", username, err))
	}
	if n == 1 {
		return true, nil
	}
	found, err := s.exists(ctx, "officers", "username", username)
	if err != nil {
		return false, err
	}
	if !found {
		return false, motcua.NotFound("officer", username)
	}
	return false, nil
}

// ListOfficers implements motcua.IdentityStore.
func (s *Store) ListOfficers(ctx context.Context, agencyCode string) ([]*motcua.Officer, error) {
	q := "SELECT " + officerColumns + " FROM officers"
	var args []any
	if agencyCode != "" {
		q += " WHERE agency_code = ?"
		args = append(args, agencyCode)
	}
	rows, err := s.query(ctx, q+" ORDER BY username", args...)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("list officers: %w", err))
	}
	return collect(rows, scanOfficer, "list officers")
}

// CreateLocalAccount implements motcua.IdentityStore.
func (s *Store) CreateLocalAccount(ctx context.Context, a *motcua.LocalAccount) error {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	}
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.requireRef(ctx, "subjects", "code", a.SubjectCode, "subject_code", "unknown_subject",
			fmt.Sprintf("Không tìm thấy chủ thể %q.", a.SubjectCode)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "INSERT INTO local_accounts (subject_code, password_hash, created_at) VALUES (?, ?, ?)",
			a.SubjectCode, a.PasswordHash, micros(a.CreatedAt))
		if err != nil {
			return tx.insertErr(err, "account", a.SubjectCode)
		}
		return nil
	})
}

// GetLocalAccount implements motcua.IdentityStore.
func (s *Store) GetLocalAccount(ctx context.Context, subjectCode string) (*motcua.LocalAccount, error) {
	var a motcua.LocalAccount
	var created sql.NullInt64
	err := s.queryRow(ctx, "SELECT subject_code, password_hash, created_at FROM local_accounts WHERE subject_code = ?", subjectCode).
		Scan(&a.SubjectCode, &a.PasswordHash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("account", subjectCode)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get account %s: %w", subjectCode, err))
	}
	a.CreatedAt = fromMicros(created)
	return &a, nil
}

// principalKey is what DeleteSessionsOf matches: the officer's username or
// the subject code.
func principalKey(kind motcua.PrincipalKind, subjectCode, username string) string {
	if kind == motcua.PrincipalOfficer {
		return username
	}
	return subjectCode
}

// CreateSession implements motcua.IdentityStore.
func (s *Store) CreateSession(ctx context.Context, ss *motcua.Session) error {
	now := s.now().UTC().Truncate(time.Microsecond)
	if ss.CreatedAt.IsZero() {
		ss.CreatedAt = now
	}
	if ss.LastSeenAt.IsZero() {
		ss.LastSeenAt = ss.CreatedAt
	}
	_, err := s.exec(ctx, `INSERT INTO sessions (id, kind, principal_key, subject_code, representative, username, name, provider,
		id_token, created_at, last_seen_at, expires_at, remote_addr, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ss.ID, string(ss.Kind), principalKey(ss.Kind, ss.SubjectCode, ss.Username), ss.SubjectCode, ss.Representative,
		ss.Username, ss.Name, ss.Provider, ss.IDToken, micros(ss.CreatedAt), micros(ss.LastSeenAt), micros(ss.ExpiresAt),
		ss.RemoteAddr, ss.UserAgent)
	if err != nil {
		return s.insertErr(err, "session", "")
	}
	return nil
}

// GetSession implements motcua.IdentityStore.
func (s *Store) GetSession(ctx context.Context, id string) (*motcua.Session, error) {
	var ss motcua.Session
	var kind string
	var created, seen, expires sql.NullInt64
	err := s.queryRow(ctx, `SELECT id, kind, subject_code, representative, username, name, provider, id_token, created_at,
		last_seen_at, expires_at, remote_addr, user_agent FROM sessions WHERE id = ?`, id).
		Scan(&ss.ID, &kind, &ss.SubjectCode, &ss.Representative, &ss.Username, &ss.Name, &ss.Provider, &ss.IDToken,
			&created, &seen, &expires, &ss.RemoteAddr, &ss.UserAgent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("session", "")
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get session: %w", err))
	}
	ss.Kind = motcua.PrincipalKind(kind)
	ss.CreatedAt, ss.LastSeenAt, ss.ExpiresAt = fromMicros(created), fromMicros(seen), fromMicros(expires)
	return &ss, nil
}

// TouchSession implements motcua.IdentityStore.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	res, err := s.exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", micros(at.UTC()), id)
	if err != nil {
		return motcua.Internal(fmt.Errorf("touch session: %w", err))
	}
	return affectedOne(res, "session", "")
}

// DeleteSession implements motcua.IdentityStore.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.exec(ctx, "DELETE FROM sessions WHERE id = ?", id); err != nil {
		return motcua.Internal(fmt.Errorf("delete session: %w", err))
	}
	return nil
}

// DeleteSessionsOf implements motcua.IdentityStore.
func (s *Store) DeleteSessionsOf(ctx context.Context, kind motcua.PrincipalKind, key string) (int, error) {
	res, err := s.exec(ctx, "DELETE FROM sessions WHERE kind = ? AND principal_key = ?", string(kind), key)
	if err != nil {
		return 0, motcua.Internal(fmt.Errorf("delete sessions of %s: %w", key, err))
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// DeleteExpiredSessions implements motcua.IdentityStore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now, idleSince time.Time) (int, error) {
	res, err := s.exec(ctx, "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?", micros(now), micros(idleSince))
	if err != nil {
		return 0, motcua.Internal(fmt.Errorf("delete expired sessions: %w", err))
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// SaveLoginState implements motcua.IdentityStore.
func (s *Store) SaveLoginState(ctx context.Context, ls *motcua.LoginState) error {
	if ls.CreatedAt.IsZero() {
		ls.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	}
	_, err := s.exec(ctx, `INSERT INTO login_states (state, provider, nonce, code_verifier, return_to, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, ls.State, ls.Provider, ls.Nonce, ls.CodeVerifier, ls.ReturnTo, micros(ls.CreatedAt))
	if err != nil {
		return s.insertErr(err, "login_state", "")
	}
	return nil
}

// TakeLoginState implements motcua.IdentityStore.
func (s *Store) TakeLoginState(ctx context.Context, state string) (*motcua.LoginState, error) {
	var out *motcua.LoginState
	err := s.inTx(ctx, func(tx *Store) error {
		var ls motcua.LoginState
		var created sql.NullInt64
		err := tx.queryRowWrite(ctx, `SELECT state, provider, nonce, code_verifier, return_to, created_at
			FROM login_states WHERE state = ?`, state).
			Scan(&ls.State, &ls.Provider, &ls.Nonce, &ls.CodeVerifier, &ls.ReturnTo, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return motcua.NotFound("login_state", "")
		}
		if err != nil {
			return motcua.Internal(fmt.Errorf("get login state: %w", err))
		}
		// The delete decides who wins when two callbacks race.
		res, err := tx.exec(ctx, "DELETE FROM login_states WHERE state = ?", state)
		if err != nil {
			return motcua.Internal(fmt.Errorf("delete login state: %w", err))
		}
		if err := affectedOne(res, "login_state", ""); err != nil {
			return err
		}
		ls.CreatedAt = fromMicros(created)
		out = &ls
		return nil
	})
	return out, err
}

// RecordLoginFailure implements motcua.IdentityStore.
func (s *Store) RecordLoginFailure(ctx context.Context, key string, at time.Time) error {
	if _, err := s.exec(ctx, "INSERT INTO login_failures (key, at) VALUES (?, ?)", key, micros(at.UTC())); err != nil {
		return motcua.Internal(fmt.Errorf("record login failure: %w", err))
	}
	return nil
}

// CountLoginFailures implements motcua.IdentityStore.
func (s *Store) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.queryRowWrite(ctx, "SELECT COUNT(*) FROM login_failures WHERE key = ? AND at >= ?", key, micros(since.UTC())).Scan(&n)
	if err != nil {
		return 0, motcua.Internal(fmt.Errorf("count login failures: %w", err))
	}
	return n, nil
}

// ClearLoginFailures implements motcua.IdentityStore.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	if _, err := s.exec(ctx, "DELETE FROM login_failures WHERE key = ?", key); err != nil {
		return motcua.Internal(fmt.Errorf("clear login failures: %w", err))
	}
	return nil
}

// DeleteLoginStatesBefore implements motcua.IdentityStore.
func (s *Store) DeleteLoginStatesBefore(ctx context.Context, t time.Time) (int, error) {
	return s.deleteBefore(ctx, "login_states", "created_at", t)
}

// DeleteLoginFailuresBefore implements motcua.IdentityStore.
func (s *Store) DeleteLoginFailuresBefore(ctx context.Context, t time.Time) (int, error) {
	return s.deleteBefore(ctx, "login_failures", "at", t)
}

func (s *Store) deleteBefore(ctx context.Context, table, column string, t time.Time) (int, error) {
	res, err := s.exec(ctx, "DELETE FROM "+table+" WHERE "+column+" < ?", micros(t.UTC()))
	if err != nil {
		return 0, motcua.Internal(fmt.Errorf("clean %s: %w", table, err))
	}
	n, err := res.RowsAffected()
	return int(n), err
}
