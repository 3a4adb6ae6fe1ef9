package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

const feedbackColumns = `id, document_id, document_code, owner_code, agency_code, reason, comment, status, created_at, due_at,
	resolved_at, resolved_by, resolution, corrected_document_id`

func scanFeedback(sc interface{ Scan(...any) error }) (*motcua.Feedback, error) {
	var f motcua.Feedback
	var reason, status string
	var created, due, resolved sql.NullInt64
	var corrected sql.NullString
	if err := sc.Scan(&f.ID, &f.DocumentID, &f.DocumentCode, &f.OwnerCode, &f.AgencyCode, &reason, &f.Comment, &status,
		&created, &due, &resolved, &f.ResolvedBy, &f.Resolution, &corrected); err != nil {
		return nil, err
	}
	f.Reason, f.Status = motcua.FeedbackReason(reason), motcua.FeedbackStatus(status)
	f.CreatedAt, f.DueAt, f.ResolvedAt = fromMicros(created), fromMicros(due), fromMicros(resolved)
	f.CorrectedDocumentID = corrected.String
	return &f, nil
}

func errFeedbackOpen() error {
	return motcua.Errorf(motcua.ECONFLICT, "feedback_open", "Giấy tờ này đang được phản ánh; vui lòng chờ cơ quan cấp trả lời.")
}

// CreateFeedback implements motcua.FeedbackStore.
func (s *Store) CreateFeedback(ctx context.Context, f *motcua.Feedback) error {
	now := s.now().UTC()
	if f.ID == "" {
		f.ID = NewID(now)
	}
	if f.CreatedAt.IsZero() {
		f.CreatedAt = now
	}
	f.CreatedAt = f.CreatedAt.UTC().Truncate(time.Microsecond)
	f.DueAt = f.DueAt.UTC().Truncate(time.Microsecond)
	return s.inTx(ctx, func(tx *Store) error {
		if _, err := tx.getDocument(ctx, "id", f.DocumentID, tx.queryRowWrite); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO feedback (id, document_id, document_code, owner_code, agency_code, reason, comment, status,
			created_at, due_at, resolved_by, resolution) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '')`,
			f.ID, f.DocumentID, f.DocumentCode, f.OwnerCode, f.AgencyCode, string(f.Reason), f.Comment, string(f.Status),
			micros(f.CreatedAt), micros(f.DueAt))
		if err != nil {
			if tx.d.IsUniqueViolation(err) {
				return errFeedbackOpen()
			}
			return motcua.Internal(fmt.Errorf("insert feedback on %s: %w", f.DocumentID, err))
		}
		res, err := tx.exec(ctx, "UPDATE documents SET status = ?, updated_at = ? WHERE id = ?",
			string(motcua.DocumentUnderFeedback), micros(f.CreatedAt), f.DocumentID)
		if err != nil {
			return motcua.Internal(fmt.Errorf("mark document %s under feedback: %w", f.DocumentID, err))
		}
		return affectedOne(res, "document", f.DocumentID)
	})
}

func (s *Store) getFeedback(ctx context.Context, id string, q func(context.Context, string, ...any) *sql.Row) (*motcua.Feedback, error) {
	f, err := scanFeedback(q(ctx, "SELECT "+feedbackColumns+" FROM feedback WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("feedback", id)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get feedback %s: %w", id, err))
	}
	return f, nil
}

// GetFeedback implements motcua.FeedbackStore.
func (s *Store) GetFeedback(ctx context.Context, id string) (*motcua.Feedback, error) {
	return s.getFeedback(ctx, id, s.queryRow)
}

// ListFeedback implements motcua.FeedbackStore.
func (s *Store) ListFeedback(ctx context.Context, f motcua.FeedbackFilter) ([]*motcua.Feedback, int, error) {
	var where []string
	var args []any
	if len(f.AgencyCodes) > 0 {
		where = append(where, "agency_code IN ("+placeholders(len(f.AgencyCodes))+")")
		for _, c := range f.AgencyCodes {
			args = append(args, c)
		}
	}
	for _, c := range []struct{ column, value string }{
		{"owner_code", f.OwnerCode}, {"document_id", f.DocumentID}, {"status", string(f.Status)},
	} {
		if c.value != "" {
			where = append(where, c.column+" = ?")
			args = append(args, c.value)
		}
	}
	cond := whereClause(where)
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM feedback"+cond, args...).Scan(&total); err != nil {
		return nil, 0, motcua.Internal(fmt.Errorf("count feedback: %w", err))
	}
	rows, err := s.query(ctx, "SELECT "+feedbackColumns+" FROM feedback"+cond+
		` ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END,
		CASE WHEN status = 'open' THEN due_at ELSE -created_at END, id DESC LIMIT ? OFFSET ?`,
		append(args, clampLimit(f.Limit, 50, 500), max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, motcua.Internal(fmt.Errorf("list feedback: %w", err))
	}
	out, err := collect(rows, scanFeedback, "list feedback")
	return out, total, err
}

// ResolveFeedback implements motcua.FeedbackStore.
func (s *Store) ResolveFeedback(ctx context.Context, r motcua.FeedbackResolution) (*motcua.Feedback, error) {
	if r.Status != motcua.FeedbackCorrected && r.Status != motcua.FeedbackRejected {
		return nil, motcua.Invalid("status", "invalid_feedback_status", "Trạng thái phản ánh không hợp lệ.")
	}
	at := r.At
	if at.IsZero() {
		at = s.now()
	}
	at = at.UTC().Truncate(time.Microsecond)
	var out *motcua.Feedback
	err := s.inTx(ctx, func(tx *Store) error {
		// The conditional update decides between two officers resolving
		// the same feedback at once: the second one changes no row.
		res, err := tx.exec(ctx, `UPDATE feedback SET status = ?, resolved_at = ?, resolved_by = ?, resolution = ?,
			corrected_document_id = ? WHERE id = ? AND status = 'open'`,
			string(r.Status), micros(at), r.ResolvedBy, r.Resolution, nullString(r.CorrectedDocumentID), r.FeedbackID)
		if err != nil {
			return motcua.Internal(fmt.Errorf("resolve feedback %s: %w", r.FeedbackID, err))
		}
		if n, err := res.RowsAffected(); err != nil {
			return motcua.Internal(fmt.Errorf("resolve feedback %s: %w", r.FeedbackID, err))
		} else if n == 0 {
			if _, err := tx.getFeedback(ctx, r.FeedbackID, tx.queryRowWrite); err != nil {
				return err
			}
			return motcua.Errorf(motcua.ECONFLICT, "feedback_resolved", "Phản ánh này đã được xử lý xong.")
		}
		out, err = tx.getFeedback(ctx, r.FeedbackID, tx.queryRowWrite)
		if err != nil {
			return err
		}
		if r.Status == motcua.FeedbackCorrected {
			res, err = tx.exec(ctx, "UPDATE documents SET status = ?, superseded_by = ?, updated_at = ? WHERE id = ?",
				string(motcua.DocumentSuperseded), nullString(r.CorrectedDocumentID), micros(at), out.DocumentID)
		} else {
			// Back to valid only from under feedback: a document revoked
			// meanwhile stays revoked.
			res, err = tx.exec(ctx, "UPDATE documents SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
				string(motcua.DocumentValid), micros(at), out.DocumentID, string(motcua.DocumentUnderFeedback))
		}
		if err != nil {
			return motcua.Internal(fmt.Errorf("update document %s of feedback %s: %w", out.DocumentID, out.ID, err))
		}
		if r.Status == motcua.FeedbackCorrected {
			return affectedOne(res, "document", out.DocumentID)
		}
		return nil
	})
	return out, err
}

// CountOpenFeedback implements motcua.FeedbackStore.
func (s *Store) CountOpenFeedback(ctx context.Context, agencyCodes []string, now time.Time) ([]motcua.FeedbackCount, error) {
	args := []any{micros(now.UTC())}
	cond := ""
	if len(agencyCodes) > 0 {
		cond = " AND agency_code IN (" + placeholders(len(agencyCodes)) + ")"
		for _, c := range agencyCodes {
			args = append(args, c)
		}
	}
	rows, err := s.query(ctx, `SELECT agency_code, COUNT(*), COUNT(CASE WHEN due_at < ? THEN 1 END) FROM feedback
		WHERE status = 'open'`+cond+` GROUP BY agency_code ORDER BY agency_code`, args...)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("count open feedback: %w", err))
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (motcua.FeedbackCount, error) {
		var c motcua.FeedbackCount
		return c, sc.Scan(&c.AgencyCode, &c.Open, &c.Overdue)
	}, "count open feedback")
}
