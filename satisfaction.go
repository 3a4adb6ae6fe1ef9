package motcua

import (
	"context"
	"strings"
	"time"
)

// SatisfactionLevel is the owner's rating of the service a dossier
// received (đánh giá mức độ hài lòng), from 1 (rất không hài lòng) to 5
// (rất hài lòng). The seeds name no scale; five levels is the portal's
// usual one and keeps the count Decision 766 asks for (dossiers rated
// satisfied or better) a plain threshold (Satisfied).
type SatisfactionLevel int

// The levels, worst first.
const (
	VeryDissatisfied SatisfactionLevel = 1
	Dissatisfied     SatisfactionLevel = 2
	Neutral          SatisfactionLevel = 3
	Satisfied        SatisfactionLevel = 4
	VerySatisfied    SatisfactionLevel = 5
)

// SatisfactionLevels lists the levels best first, as the form offers them.
func SatisfactionLevels() []SatisfactionLevel {
	return []SatisfactionLevel{VerySatisfied, Satisfied, Neutral, Dissatisfied, VeryDissatisfied}
}

// Valid reports whether l is one of the five levels.
func (l SatisfactionLevel) Valid() bool { return l >= VeryDissatisfied && l <= VerySatisfied }

// Label is the level in Vietnamese.
func (l SatisfactionLevel) Label() string {
	switch l {
	case VerySatisfied:
		return "Rất hài lòng"
	case Satisfied:
		return "Hài lòng"
	case Neutral:
		return "Bình thường"
	case Dissatisfied:
		return "Không hài lòng"
	case VeryDissatisfied:
		return "Rất không hài lòng"
	}
	return ""
}

// DossierRating is the owner's one rating of a dossier.
type DossierRating struct {
	DossierID  string
	AgencyCode string // the agency the dossier was received for
	Level      SatisfactionLevel
	Comment    string
	RatedBy    string // the rating principal's actor id
	RatedAt    time.Time
}

// maxRatingComment bounds a rating's comment.
const maxRatingComment = 1000

// NewRating checks that d may be rated now and returns its rating: only
// once its result was returned (status 10), at a valid level, with a
// comment of at most 1000 characters.
func NewRating(d *Dossier, level SatisfactionLevel, comment, by string, at time.Time) (*DossierRating, error) {
	if d.Status != StatusResultsReturned {
		return nil, Invalid("status", "not_returned", "Chỉ đánh giá mức độ hài lòng sau khi hồ sơ đã trả kết quả.")
	}
	if !level.Valid() {
		return nil, Invalid("level", "invalid_satisfaction", "Vui lòng chọn một mức độ hài lòng.")
	}
	comment = strings.TrimSpace(comment)
	if len([]rune(comment)) > maxRatingComment {
		return nil, Invalid("comment", "too_long", "Ý kiến góp ý không được dài quá 1000 ký tự.")
	}
	return &DossierRating{DossierID: d.ID, AgencyCode: d.AgencyCode, Level: level, Comment: comment, RatedBy: by, RatedAt: at}, nil
}

// RatingStore keeps the ratings.
type RatingStore interface {
	// RateDossier stores r; ECONFLICT (rating_exists) when the dossier was
	// rated already.
	RateDossier(ctx context.Context, r *DossierRating) error
	// GetRating returns the dossier's rating; ENOTFOUND when unrated.
	GetRating(ctx context.Context, dossierID string) (*DossierRating, error)
}
