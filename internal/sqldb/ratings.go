package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// RateDossier implements motcua.RatingStore.
func (s *Store) RateDossier(ctx context.Context, r *motcua.DossierRating) error {
	_, err := s.exec(ctx, `INSERT INTO dossier_ratings (dossier_id, agency_code, level, comment, rated_by, rated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, r.DossierID, r.AgencyCode, int(r.Level), r.Comment, r.RatedBy, r.RatedAt.UnixMicro())
	if err != nil {
		return s.insertErr(err, "rating", r.DossierID)
	}
	return nil
}

// GetRating implements motcua.RatingStore.
func (s *Store) GetRating(ctx context.Context, dossierID string) (*motcua.DossierRating, error) {
	var r motcua.DossierRating
	var level int
	var at int64
	err := s.queryRow(ctx, `SELECT dossier_id, agency_code, level, comment, rated_by, rated_at FROM dossier_ratings
		WHERE dossier_id = ?`, dossierID).Scan(&r.DossierID, &r.AgencyCode, &level, &r.Comment, &r.RatedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("rating", dossierID)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get rating %s: %w", dossierID, err))
	}
	r.Level, r.RatedAt = motcua.SatisfactionLevel(level), time.UnixMicro(at).UTC()
	return &r, nil
}
