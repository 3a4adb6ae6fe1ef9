package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// AppendAudit implements motcua.AuditStore.
func (s *Store) AppendAudit(ctx context.Context, es ...*motcua.AuditEvent) error {
	if len(es) == 0 {
		return nil
	}
	now := s.now()
	args := make([]any, 0, 12*len(es))
	for _, e := range es {
		if e.At.IsZero() {
			e.At = now
		}
		e.At = e.At.UTC().Truncate(time.Microsecond)
		if e.ID == "" {
			e.ID = NewID(e.At)
		}
		args = append(args, e.ID, micros(e.At), e.ActorKind, e.ActorID, e.AgencyCode, e.Action, e.ObjectKind, e.ObjectID,
			e.SubjectCode, e.DossierID, e.RemoteAddr, e.Detail)
	}
	values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(es)), ", ")
	_, err := s.exec(ctx, `INSERT INTO audit_events (id, at, actor_kind, actor_id, agency_code, action, object_kind, object_id,
		subject_code, dossier_id, remote_addr, detail) VALUES `+values, args...)
	if err != nil {
		return s.insertErr(err, "audit_event", es[0].ID)
	}
	return nil
}

// ListAudit implements motcua.AuditStore.
func (s *Store) ListAudit(ctx context.Context, f motcua.AuditFilter) ([]*motcua.AuditEvent, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if f.SubjectCode != "" {
		add("subject_code = ?", f.SubjectCode)
	}
	if f.ObjectKind != "" {
		add("object_kind = ?", f.ObjectKind)
	}
	if f.ObjectID != "" {
		add("object_id = ?", f.ObjectID)
	}
	if f.ActorID != "" {
		add("actor_id = ?", f.ActorID)
	}
	if !f.Since.IsZero() {
		add("at >= ?", f.Since.UnixMicro())
	}
	rows, err := s.query(ctx, `SELECT id, at, actor_kind, actor_id, agency_code, action, object_kind, object_id, subject_code,
		dossier_id, remote_addr, detail FROM audit_events`+whereClause(where)+" ORDER BY at DESC, id DESC LIMIT ?",
		append(args, clampLimit(f.Limit, 100, 1000))...)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("list audit events: %w", err))
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (*motcua.AuditEvent, error) {
		var e motcua.AuditEvent
		var at sql.NullInt64
		err := sc.Scan(&e.ID, &at, &e.ActorKind, &e.ActorID, &e.AgencyCode, &e.Action, &e.ObjectKind, &e.ObjectID,
			&e.SubjectCode, &e.DossierID, &e.RemoteAddr, &e.Detail)
		e.At = fromMicros(at)
		return &e, err
	}, "list audit events")
}
