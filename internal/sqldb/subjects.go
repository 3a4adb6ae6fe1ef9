package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// CreateSubject implements motcua.SubjectStore.
func (s *Store) CreateSubject(ctx context.Context, sub *motcua.Subject) error {
	if sub.CreatedAt.IsZero() {
		sub.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	}
	_, err := s.exec(ctx, `INSERT INTO subjects (code, kind, name, birth_date, legacy_id, phone, email, address, verified_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sub.Code, string(sub.Kind), sub.Name, sub.BirthDate, nullString(sub.LegacyID), sub.Phone, sub.Email, sub.Address,
		micros(sub.VerifiedAt), micros(sub.CreatedAt))
	if err != nil {
		return s.insertErr(err, "subject", sub.Code)
	}
	return nil
}

// UpdateSubject implements motcua.SubjectStore.
func (s *Store) UpdateSubject(ctx context.Context, sub *motcua.Subject) error {
	res, err := s.exec(ctx, `UPDATE subjects SET name = ?, birth_date = ?, legacy_id = ?, phone = ?, email = ?, address = ?, verified_at = ?
		WHERE code = ?`,
		sub.Name, sub.BirthDate, nullString(sub.LegacyID), sub.Phone, sub.Email, sub.Address, micros(sub.VerifiedAt), sub.Code)
	if err != nil {
		return motcua.Internal(fmt.Errorf("update subject %s: %w", sub.Code, err))
	}
	return affectedOne(res, "subject", sub.Code)
}

// GetSubject implements motcua.SubjectStore.
func (s *Store) GetSubject(ctx context.Context, code string) (*motcua.Subject, error) {
	var sub motcua.Subject
	var kind string
	var legacy sql.NullString
	var verified, created sql.NullInt64
	err := s.queryRow(ctx, `SELECT code, kind, name, birth_date, legacy_id, phone, email, address, verified_at, created_at
		FROM subjects WHERE code = ?`, code).
		Scan(&sub.Code, &kind, &sub.Name, &sub.BirthDate, &legacy, &sub.Phone, &sub.Email, &sub.Address, &verified, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("subject", code)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get subject %s: %w", code, err))
	}
	sub.Kind = motcua.SubjectKind(kind)
	sub.LegacyID = legacy.String
	sub.VerifiedAt = fromMicros(verified)
	sub.CreatedAt = fromMicros(created)
	return &sub, nil
}
