package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

func draftSubmitted() error {
	return motcua.Errorf(motcua.ECONFLICT, "draft_submitted", "Hồ sơ này đã được nộp.")
}

// CreateDraft implements motcua.DraftStore.
func (s *Store) CreateDraft(ctx context.Context, d *motcua.Draft) error {
	now := s.now().UTC().Truncate(time.Microsecond)
	if d.ID == "" {
		d.ID = NewID(now)
	}
	d.CreatedAt, d.UpdatedAt = now, now
	data, err := marshalJSON(d)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Store) error {
		_, err := tx.exec(ctx, "INSERT INTO dossier_drafts (id, owner_code, creator, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			d.ID, d.Owner.Code, d.Creator, data, micros(now), micros(now))
		if err != nil {
			return tx.insertErr(err, "draft", d.ID)
		}
		return tx.writeCoApplicants(ctx, d, false)
	})
}

// writeCoApplicants indexes the draft's co-applicants and their consent
// (draft_co_applicants), so that each finds the requests addressed to
// them; replace drops the previous rows first.
func (s *Store) writeCoApplicants(ctx context.Context, d *motcua.Draft, replace bool) error {
	if replace {
		if _, err := s.exec(ctx, "DELETE FROM draft_co_applicants WHERE draft_id = ?", d.ID); err != nil {
			return motcua.Internal(fmt.Errorf("draft %s co-applicants: %w", d.ID, err))
		}
	}
	for _, c := range d.CoApplicants {
		if _, err := s.exec(ctx, "INSERT INTO draft_co_applicants (draft_id, subject_code, consent) VALUES (?, ?, ?)",
			d.ID, c.SubjectID, string(c.Consent)); err != nil {
			return motcua.Internal(fmt.Errorf("draft %s co-applicant: %w", d.ID, err))
		}
	}
	return nil
}

// ListCoApplicantDrafts implements motcua.CoApplicantStore.
func (s *Store) ListCoApplicantDrafts(ctx context.Context, subjectID string, consent motcua.Consent) ([]*motcua.Draft, error) {
	q := `SELECT d.id FROM draft_co_applicants c JOIN dossier_drafts d ON d.id = c.draft_id
		WHERE c.subject_code = ? AND d.dossier_id IS NULL`
	args := []any{subjectID}
	if consent != "" {
		q += " AND c.consent = ?"
		args = append(args, string(consent))
	}
	rows, err := s.query(ctx, q+" ORDER BY d.created_at DESC, d.id DESC LIMIT 200", args...)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("co-applicant drafts: %w", err))
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, motcua.Internal(err)
		}
		ids = append(ids, id)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, motcua.Internal(err)
	}
	out := make([]*motcua.Draft, 0, len(ids))
	for _, id := range ids {
		d, err := s.GetDraft(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// GetDraft implements motcua.DraftStore.
func (s *Store) GetDraft(ctx context.Context, id string) (*motcua.Draft, error) {
	var data []byte
	var dossier sql.NullString
	err := s.queryRow(ctx, "SELECT data, dossier_id FROM dossier_drafts WHERE id = ?", id).Scan(&data, &dossier)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("draft", id)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get draft %s: %w", id, err))
	}
	var d motcua.Draft
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, motcua.Internal(fmt.Errorf("draft %s: %w", id, err))
	}
	d.DossierID = dossier.String
	return &d, nil
}

// UpdateDraft implements motcua.DraftStore.
func (s *Store) UpdateDraft(ctx context.Context, d *motcua.Draft) error {
	d.UpdatedAt = s.now().UTC().Truncate(time.Microsecond)
	data, err := marshalJSON(d)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Store) error {
		var dossier sql.NullString
		err := tx.queryRowWrite(ctx, "SELECT dossier_id FROM dossier_drafts WHERE id = ?", d.ID).Scan(&dossier)
		if errors.Is(err, sql.ErrNoRows) {
			return motcua.NotFound("draft", d.ID)
		}
		if err != nil {
			return motcua.Internal(fmt.Errorf("update draft %s: %w", d.ID, err))
		}
		if dossier.Valid {
			return draftSubmitted()
		}
		_, err = tx.exec(ctx, "UPDATE dossier_drafts SET owner_code = ?, data = ?, updated_at = ? WHERE id = ? AND dossier_id IS NULL",
			d.Owner.Code, data, micros(d.UpdatedAt), d.ID)
		if err != nil {
			return motcua.Internal(fmt.Errorf("update draft %s: %w", d.ID, err))
		}
		return tx.writeCoApplicants(ctx, d, true)
	})
}

// MarkDraftSubmitted implements motcua.DraftStore.
func (s *Store) MarkDraftSubmitted(ctx context.Context, links ...motcua.DraftLink) error {
	if len(links) == 0 {
		return nil
	}
	var cases strings.Builder
	args := []any{}
	for _, l := range links {
		cases.WriteString(" WHEN ? THEN ?")
		args = append(args, l.DraftID, l.DossierID)
	}
	args = append(args, micros(s.now().UTC()))
	for _, l := range links {
		args = append(args, l.DraftID)
	}
	return s.inTx(ctx, func(tx *Store) error {
		res, err := tx.exec(ctx, "UPDATE dossier_drafts SET dossier_id = CASE id"+cases.String()+" END, updated_at = ? WHERE id IN ("+
			placeholders(len(links))+") AND dossier_id IS NULL", args...)
		if err != nil {
			return motcua.Internal(fmt.Errorf("mark drafts submitted: %w", err))
		}
		if n, _ := res.RowsAffected(); n < int64(len(links)) {
			for _, l := range links {
				if _, err := tx.GetDraft(ctx, l.DraftID); err != nil {
					return err
				}
			}
			// Every draft exists: one was submitted already (or came twice).
			return draftSubmitted()
		}
		return nil
	})
}
