package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// EnqueueNotification implements motcua.NotificationStore.
func (s *Store) EnqueueNotification(ctx context.Context, ns ...*motcua.Notification) error {
	if len(ns) == 0 {
		return nil
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	args := make([]any, 0, 10*len(ns))
	for _, n := range ns {
		if n.ID == "" {
			n.ID = NewID(now)
		}
		if n.CreatedAt.IsZero() {
			n.CreatedAt = now
		}
		if n.NextAttemptAt.IsZero() {
			n.NextAttemptAt = n.CreatedAt
		}
		params, err := marshalJSON(n.Params)
		if err != nil {
			return err
		}
		args = append(args, n.ID, string(n.Channel), n.Recipient, n.Template, params, n.DedupeKey, n.SubjectCode,
			n.DossierID, micros(n.NextAttemptAt), micros(n.CreatedAt))
	}
	values := valueRows("(?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)", len(ns))
	// ON CONFLICT DO NOTHING keeps a surrounding transaction usable on
	// PostgreSQL, where a failed statement would abort it.
	res, err := s.exec(ctx, `INSERT INTO outbox (id, channel, recipient, template, params, dedupe_key, subject_code, dossier_id,
		attempts, next_attempt_at, created_at) VALUES `+values+` ON CONFLICT (dedupe_key) DO NOTHING`, args...)
	if err != nil {
		return motcua.Internal(fmt.Errorf("enqueue notification %s: %w", ns[0].DedupeKey, err))
	}
	if k, _ := res.RowsAffected(); k < int64(len(ns)) {
		// Some were queued before: take their ids.
		for _, n := range ns {
			if err := s.queryRowWrite(ctx, "SELECT id FROM outbox WHERE dedupe_key = ?", n.DedupeKey).Scan(&n.ID); err != nil {
				return motcua.Internal(fmt.Errorf("find notification %s: %w", n.DedupeKey, err))
			}
		}
	}
	return nil
}

const notificationColumns = `id, channel, recipient, template, params, dedupe_key, subject_code, dossier_id, attempts,
	next_attempt_at, delivered_at, failed_at, last_error, created_at`

func scanNotification(sc interface{ Scan(...any) error }) (*motcua.Notification, error) {
	var n motcua.Notification
	var channel string
	var params []byte
	var next, delivered, failed, created sql.NullInt64
	if err := sc.Scan(&n.ID, &channel, &n.Recipient, &n.Template, &params, &n.DedupeKey, &n.SubjectCode, &n.DossierID,
		&n.Attempts, &next, &delivered, &failed, &n.LastError, &created); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(params, &n.Params); err != nil {
		return nil, fmt.Errorf("notification %s params: %w", n.ID, err)
	}
	n.Channel = motcua.NotifyChannel(channel)
	n.NextAttemptAt, n.DeliveredAt, n.FailedAt, n.CreatedAt = fromMicros(next), fromMicros(delivered), fromMicros(failed), fromMicros(created)
	return &n, nil
}

// ClaimNotifications implements motcua.NotificationStore. The outer
// condition repeats the due check so that, on PostgreSQL, a worker that
// waited for another's row lock re-reads the row and skips it.
func (s *Store) ClaimNotifications(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*motcua.Notification, error) {
	limit = clampLimit(limit, 10, 500)
	rows, err := s.writer().QueryContext(ctx, s.d.Rebind(`UPDATE outbox SET next_attempt_at = ?
		WHERE id IN (SELECT id FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
			ORDER BY next_attempt_at LIMIT ?)
		AND delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
		RETURNING `+notificationColumns),
		micros(now.Add(lease)), micros(now), limit, micros(now))
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("claim notifications: %w", err))
	}
	return collect(rows, scanNotification, "claim notifications")
}

// MarkNotificationDelivered implements motcua.NotificationStore.
func (s *Store) MarkNotificationDelivered(ctx context.Context, id string, at time.Time) error {
	res, err := s.exec(ctx, "UPDATE outbox SET delivered_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?", micros(at), id)
	if err != nil {
		return motcua.Internal(fmt.Errorf("mark notification %s delivered: %w", id, err))
	}
	return affectedOne(res, "notification", id)
}

// MarkNotificationFailed implements motcua.NotificationStore.
func (s *Store) MarkNotificationFailed(ctx context.Context, id string, at time.Time, msg string, next time.Time, giveUp bool) error {
	var failed any
	if giveUp {
		failed = micros(at)
	}
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	res, err := s.exec(ctx, "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, failed_at = ? WHERE id = ?",
		msg, micros(next), failed, id)
	if err != nil {
		return motcua.Internal(fmt.Errorf("mark notification %s failed: %w", id, err))
	}
	return affectedOne(res, "notification", id)
}

// ListNotifications implements motcua.NotificationStore.
func (s *Store) ListNotifications(ctx context.Context, f motcua.NotificationFilter) ([]*motcua.Notification, error) {
	var where []string
	var args []any
	if f.SubjectCode != "" {
		where = append(where, "subject_code = ?")
		args = append(args, f.SubjectCode)
	}
	if f.DossierID != "" {
		where = append(where, "dossier_id = ?")
		args = append(args, f.DossierID)
	}
	rows, err := s.query(ctx, "SELECT "+notificationColumns+" FROM outbox"+whereClause(where)+" ORDER BY created_at DESC, id DESC LIMIT ?",
		append(args, clampLimit(f.Limit, 100, 1000))...)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("list notifications: %w", err))
	}
	return collect(rows, scanNotification, "list notifications")
}
