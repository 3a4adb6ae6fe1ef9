package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/motcua/motcua"
)

// AssignDossier implements motcua.DossierStore.
func (s *Store) AssignDossier(ctx context.Context, a motcua.Assignment) error {
	at := a.At.UTC().Truncate(time.Microsecond)
	if at.IsZero() {
		at = s.now().UTC().Truncate(time.Microsecond)
	}
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.requireRef(ctx, "agencies", "code", a.AgencyCode, "agency_code", "unknown_agency",
			fmt.Sprintf("Không tìm thấy cơ quan %q.", a.AgencyCode)); err != nil {
			return err
		}
		res, err := tx.exec(ctx, "UPDATE dossiers SET handling_agency = ?, assignee = ?, updated_at = ?, version = version + 1 WHERE id = ? AND status = ?",
			a.AgencyCode, a.Assignee, micros(at), a.DossierID, int(a.Status))
		if err != nil {
			return motcua.Internal(fmt.Errorf("assign dossier %s: %w", a.DossierID, err))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tx.staleOrMissing(ctx, a.DossierID, a.Status)
		}
		return tx.appendHistory(ctx, a.DossierID, a.Status, a.Status, at, a.Actor, a.Note)
	})
}

// staleOrMissing explains why an update guarded by the status changed no
// row: the dossier does not exist, or it is no longer in status.
func (s *Store) staleOrMissing(ctx context.Context, id string, status motcua.DossierStatus) error {
	var cur int
	err := s.queryRowWrite(ctx, "SELECT status FROM dossiers WHERE id = ?", id).Scan(&cur)
	if errors.Is(err, sql.ErrNoRows) {
		return motcua.NotFound("dossier", id)
	}
	if err != nil {
		return motcua.Internal(fmt.Errorf("dossier %s status: %w", id, err))
	}
	return &motcua.Error{Kind: motcua.ECONFLICT, Code: "stale_status", Field: "status",
		Message: fmt.Sprintf("Hồ sơ đang ở trạng thái %q, không còn ở trạng thái %q; vui lòng tải lại trang.",
			motcua.DossierStatus(cur).Label(), status.Label())}
}

// SetDossierResult implements motcua.DossierStore.
func (s *Store) SetDossierResult(ctx context.Context, id string, version int, r *motcua.DossierResult) error {
	raw, err := resultJSON(r)
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, "UPDATE dossiers SET result = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
		raw, s.now().UTC().UnixMicro(), id, version)
	if err != nil {
		return motcua.Internal(fmt.Errorf("dossier %s result: %w", id, err))
	}
	return s.changedOne(ctx, res, id)
}

// changedOne checks that a version-guarded update changed its dossier:
// ENOTFOUND when there is none, ECONFLICT (stale_dossier) when another
// change came first.
func (s *Store) changedOne(ctx context.Context, res sql.Result, id string) error {
	if n, err := res.RowsAffected(); err != nil {
		return motcua.Internal(err)
	} else if n == 1 {
		return nil
	}
	var one int
	err := s.queryRowWrite(ctx, "SELECT 1 FROM dossiers WHERE id = ?", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return motcua.NotFound("dossier", id)
	}
	if err != nil {
		return motcua.Internal(fmt.Errorf("dossier %s: %w", id, err))
	}
	return &motcua.Error{Kind: motcua.ECONFLICT, Code: "stale_dossier",
		Message: "Hồ sơ vừa được cán bộ khác cập nhật; vui lòng tải lại trang và thực hiện lại."}
}

// AddDossierResultDocument implements motcua.DossierStore.
func (s *Store) AddDossierResultDocument(ctx context.Context, id, documentID string) error {
	return s.inTx(ctx, func(tx *Store) error {
		var raw []byte
		err := tx.queryRowWrite(ctx, "SELECT result_doc_ids FROM dossiers WHERE id = ?", id).Scan(&raw)
		if errors.Is(err, sql.ErrNoRows) {
			return motcua.NotFound("dossier", id)
		}
		if err != nil {
			return motcua.Internal(fmt.Errorf("dossier %s results: %w", id, err))
		}
		var ids []string
		if err := json.Unmarshal(raw, &ids); err != nil {
			return motcua.Internal(fmt.Errorf("dossier %s results: %w", id, err))
		}
		if slices.Contains(ids, documentID) {
			return nil
		}
		updated, err := marshalJSON(append(ids, documentID))
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, "UPDATE dossiers SET result_doc_ids = ?, e_result = ?, updated_at = ?, version = version + 1 WHERE id = ?",
			updated, true, s.now().UTC().UnixMicro(), id)
		if err != nil {
			return motcua.Internal(fmt.Errorf("dossier %s results: %w", id, err))
		}
		return tx.syncIndicators(ctx, id)
	})
}
