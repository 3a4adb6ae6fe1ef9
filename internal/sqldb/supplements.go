package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/motcua/motcua"
)

// supplements loads a dossier's supplement requests, oldest first.
func (s *Store) supplements(ctx context.Context, id string) ([]motcua.SupplementRequest, error) {
	rows, err := s.query(ctx, `SELECT seq, reason, components, from_status, requested_at, requested_by, answered_at, answered_by, answer_key
		FROM dossier_supplements WHERE dossier_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("dossier %s supplements: %w", id, err))
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (motcua.SupplementRequest, error) {
		var r motcua.SupplementRequest
		var comps string
		var from int
		var requested, answered sql.NullInt64
		if err := sc.Scan(&r.Seq, &r.Reason, &comps, &from, &requested, &r.RequestedBy, &answered, &r.AnsweredBy, &r.AnswerKey); err != nil {
			return r, err
		}
		r.From, r.RequestedAt, r.AnsweredAt = motcua.DossierStatus(from), fromMicros(requested), fromMicros(answered)
		if err := json.Unmarshal([]byte(comps), &r.Components); err != nil {
			return r, err
		}
		return r, nil
	}, "dossier supplements")
}

// putSupplement stores supplement request r of a dossier: inserted when
// new, its answer recorded when it exists.
func (s *Store) putSupplement(ctx context.Context, id string, r *motcua.SupplementRequest) error {
	comps, err := marshalJSON(nonNil(r.Components))
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO dossier_supplements (dossier_id, seq, reason, components, from_status, requested_at, requested_by,
		answered_at, answered_by, answer_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (dossier_id, seq) DO UPDATE SET answered_at = EXCLUDED.answered_at, answered_by = EXCLUDED.answered_by,
		answer_key = EXCLUDED.answer_key`,
		id, r.Seq, r.Reason, comps, int(r.From), micros(r.RequestedAt), r.RequestedBy, micros(r.AnsweredAt), r.AnsweredBy, r.AnswerKey)
	if err != nil {
		return motcua.Internal(fmt.Errorf("dossier %s supplement %d: %w", id, r.Seq, err))
	}
	return nil
}
