package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	values := valueRows("("+placeholders(12)+")", len(es))
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
	rows, err := s.query(ctx, `SELECT `+auditColumns+` FROM audit_events`+whereClause(where)+" ORDER BY at DESC, id DESC LIMIT ?",
		append(args, clampLimit(f.Limit, 100, 1000))...)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("list audit events: %w", err))
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (*motcua.AuditEvent, error) {
		var e motcua.AuditEvent
		return &e, scanAuditEvent(sc, &e)
	}, "list audit events")
}

// auditColumns are an event's fields, in the order scanAuditEvent reads them.
const auditColumns = `id, at, actor_kind, actor_id, agency_code, action, object_kind, object_id, subject_code,
	dossier_id, remote_addr, detail`

func scanAuditEvent(sc interface{ Scan(...any) error }, e *motcua.AuditEvent, more ...any) error {
	var at sql.NullInt64
	err := sc.Scan(append(more, &e.ID, &at, &e.ActorKind, &e.ActorID, &e.AgencyCode, &e.Action, &e.ObjectKind,
		&e.ObjectID, &e.SubjectCode, &e.DossierID, &e.RemoteAddr, &e.Detail)...)
	e.At = fromMicros(at)
	return err
}

const (
	// auditSealBatch events are sealed per transaction: on SQLite's single
	// writer a batch holds up submissions for a few milliseconds only.
	auditSealBatch = 500
	// auditVerifyPage events are read per query when verifying.
	auditVerifyPage = 5000
)

// SealAudit implements motcua.AuditStore.
//
// The chain position is assigned here, in the order the sealer sees
// events committed, rather than by a sequence at insert time: on
// PostgreSQL a transaction can take a sequence value, commit after a
// later one and appear behind the sealed part of the chain, which would
// then need waiting periods and gap rules. Sealers take turns on the
// audit_chain row lock, which appends never take.
func (s *Store) SealAudit(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.sealAuditBatch(ctx)
		total += n
		if err != nil || n < auditSealBatch {
			return total, err
		}
	}
}

func (s *Store) sealAuditBatch(ctx context.Context) (int, error) {
	// Most passes find nothing to do: find that out on the read pool,
	// without taking SQLite's writer.
	var one int
	err := s.queryRow(ctx, "SELECT 1 FROM audit_events WHERE chain_seq IS NULL LIMIT 1").Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, motcua.Internal(fmt.Errorf("seal audit events: find unsealed: %w", err))
	}
	sealed := 0
	err = s.inTx(ctx, func(tx *Store) error {
		var seq int64
		var prev string
		err := tx.queryRowWrite(ctx, "UPDATE audit_chain SET sealed_at = ? WHERE id = 1 RETURNING chain_seq, hash",
			s.now().UnixMicro()).Scan(&seq, &prev)
		if err != nil {
			return fmt.Errorf("lock chain head: %w", err)
		}
		rows, err := tx.query(ctx, `SELECT `+auditColumns+` FROM audit_events WHERE chain_seq IS NULL
			ORDER BY at, id LIMIT ?`, auditSealBatch)
		if err != nil {
			return fmt.Errorf("read unsealed: %w", err)
		}
		es, err := collect(rows, func(sc interface{ Scan(...any) error }) (*motcua.AuditEvent, error) {
			var e motcua.AuditEvent
			return &e, scanAuditEvent(sc, &e)
		}, "read unsealed")
		if err != nil || len(es) == 0 {
			return err
		}
		args := make([]any, 0, 4*len(es))
		for _, e := range es {
			seq++
			h := motcua.AuditChainHash(prev, seq, e)
			args = append(args, e.ID, seq, prev, h)
			prev = h
		}
		// VALUES columns are column1… in both dialects. The statement's
		// length varies with the batch: it is not prepared, so that it
		// does not fill the statement cache.
		values := valueRows("(?, CAST(? AS BIGINT), ?, ?)", len(es))
		res, err := tx.tx.ExecContext(ctx, s.d.Rebind(`UPDATE audit_events SET chain_seq = v.column2, prev_hash = v.column3, hash = v.column4
			FROM (VALUES `+values+`) AS v WHERE audit_events.id = v.column1 AND audit_events.chain_seq IS NULL`), args...)
		if err != nil {
			return fmt.Errorf("seal: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != int64(len(es)) {
			return fmt.Errorf("sealed %d of %d events (%v)", n, len(es), err)
		}
		if _, err := tx.exec(ctx, "UPDATE audit_chain SET chain_seq = ?, hash = ? WHERE id = 1", seq, prev); err != nil {
			return fmt.Errorf("advance chain head: %w", err)
		}
		sealed = len(es)
		return nil
	})
	if err != nil {
		return 0, motcua.Internal(fmt.Errorf("seal audit events: %w", err))
	}
	return sealed, nil
}

// VerifyAudit implements motcua.AuditStore.
func (s *Store) VerifyAudit(ctx context.Context) (motcua.AuditVerification, error) {
	var v motcua.AuditVerification
	// The head is read first: whatever a sealer adds meanwhile only
	// lengthens the chain read below.
	var headSeq int64
	var headHash string
	if err := s.queryRow(ctx, "SELECT chain_seq, hash FROM audit_chain WHERE id = 1").Scan(&headSeq, &headHash); err != nil {
		return v, motcua.Internal(fmt.Errorf("verify audit chain: read head: %w", err))
	}
	type link struct {
		seq        int64
		prev, hash string
		e          motcua.AuditEvent
	}
	var last int64
	prev := ""
	broken := func(seq int64, id, problem string, args ...any) {
		v.BrokenSeq, v.BrokenID, v.Problem = seq, id, fmt.Sprintf(problem, args...)
	}
verify:
	for {
		rows, err := s.query(ctx, `SELECT chain_seq, prev_hash, hash, `+auditColumns+` FROM audit_events
			WHERE chain_seq > ? ORDER BY chain_seq LIMIT ?`, last, auditVerifyPage)
		if err != nil {
			return v, motcua.Internal(fmt.Errorf("verify audit chain: %w", err))
		}
		page, err := collect(rows, func(sc interface{ Scan(...any) error }) (link, error) {
			var l link
			var prevHash, hash sql.NullString
			err := scanAuditEvent(sc, &l.e, &l.seq, &prevHash, &hash)
			l.prev, l.hash = prevHash.String, hash.String
			return l, err
		}, "verify audit chain")
		if err != nil {
			return v, err
		}
		for _, l := range page {
			switch {
			case l.seq != last+1:
				broken(last+1, "", "event %d is missing (the next sealed event is %d)", last+1, l.seq)
			case l.prev != prev:
				broken(l.seq, l.e.ID, "event %d does not link to event %d: its prev_hash differs from that event's hash", l.seq, last)
			case motcua.AuditChainHash(l.prev, l.seq, &l.e) != l.hash:
				broken(l.seq, l.e.ID, "event %d was changed after it was sealed: its fields do not match its hash", l.seq)
			case l.seq == headSeq && l.hash != headHash:
				broken(l.seq, l.e.ID, "event %d's hash differs from the one the chain head recorded", l.seq)
			}
			if v.Problem != "" {
				break verify
			}
			last, prev = l.seq, l.hash
			v.Sealed++
		}
		if len(page) < auditVerifyPage {
			break
		}
	}
	if v.Problem == "" && last < headSeq {
		broken(last+1, "", "events %d to %d are missing: the chain head records %d sealed events", last+1, headSeq, headSeq)
	}
	v.OK = v.Problem == ""
	v.HeadSeq, v.HeadHash = last, prev
	if !v.OK {
		if err := s.queryRow(ctx, "SELECT COUNT(*) FROM audit_events WHERE chain_seq IS NOT NULL").Scan(&v.Sealed); err != nil {
			return v, motcua.Internal(fmt.Errorf("verify audit chain: count sealed: %w", err))
		}
	}
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM audit_events WHERE chain_seq IS NULL").Scan(&v.Unsealed); err != nil {
		return v, motcua.Internal(fmt.Errorf("verify audit chain: count unsealed: %w", err))
	}
	return v, nil
}
