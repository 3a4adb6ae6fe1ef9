package service

import (
	"context"
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Rate records the owner's (or submitter's) satisfaction with a dossier
// whose result was returned ("Đánh giá mức độ hài lòng"), once: the rules
// are motcua.NewRating's, a second rating is ECONFLICT (rating_exists).
// Audited in the same transaction.
func (s *Submissions) Rate(ctx context.Context, p *motcua.Principal, code string, level motcua.SatisfactionLevel, comment string) (*motcua.DossierRating, error) {
	d, err := s.applicantDossier(ctx, p, code)
	if err != nil {
		return nil, err
	}
	r, err := motcua.NewRating(d, level, comment, p.ActorID(), s.now().UTC().Truncate(time.Microsecond))
	if err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.RateDossier(ctx, r); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: string(p.Kind), ActorID: p.ActorID(), Action: "dossier.rate",
			ObjectKind: "dossier", ObjectID: d.ID, SubjectCode: d.Owner.Code, DossierID: d.ID,
			Detail: fmt.Sprintf("level=%d", int(r.Level))})
	})
	if motcua.IsKind(err, motcua.ECONFLICT) {
		return nil, &motcua.Error{Kind: motcua.ECONFLICT, Code: "rating_exists", Message: "Hồ sơ này đã được đánh giá."}
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Rating returns the rating of one of p's dossiers; ENOTFOUND when it is
// not rated yet.
func (s *Submissions) Rating(ctx context.Context, p *motcua.Principal, code string) (*motcua.DossierRating, error) {
	d, err := s.MyDossier(ctx, p, code)
	if err != nil {
		return nil, err
	}
	return s.store.GetRating(ctx, d.ID)
}

// DossierLookup is what anyone may see of a dossier ("Tra cứu hồ sơ")
// given its code and its owner's personal id: the status and dates,
// never a name, an address or a file.
type DossierLookup struct {
	Code          string
	ProcedureName string
	AgencyName    string
	Status        motcua.DossierStatus
	SubmittedAt   time.Time
	ReceivedAt    time.Time
	DueAt         time.Time
	FinishedAt    time.Time
}

// lookupNotFound is the one answer to a wrong code and a wrong personal
// id alike, so that the look-up cannot tell which dossiers exist.
func lookupNotFound() error {
	return &motcua.Error{Kind: motcua.ENOTFOUND, Code: "dossier_not_found",
		Message: "Không tìm thấy hồ sơ với mã hồ sơ và số định danh đã nhập."}
}

// Failed look-ups are throttled as failed logins are (the store's
// failure counts): a personal id is guessable digit by digit, so at most
// lookupMaxFailures misses per address and per dossier code within
// lookupWindow, then ETOOMANY until the window has passed.
const (
	lookupMaxFailures = 10
	lookupWindow      = 15 * time.Minute
)

// Lookup finds the dossier with code whose owner's personal id (or an
// organisation's code) is ownerID, without login; remoteAddr is the
// caller's address, for the throttle. Missing input is EINVALID;
// anything else that does not match is the same ENOTFOUND, counted as a
// failure of the address and of the code.
func (s *Submissions) Lookup(ctx context.Context, code, ownerID, remoteAddr string) (*DossierLookup, error) {
	code, ownerID = strings.TrimSpace(code), strings.TrimSpace(ownerID)
	if code == "" {
		return nil, motcua.Invalid("code", "required", "Vui lòng nhập mã hồ sơ.")
	}
	if ownerID == "" {
		return nil, motcua.Invalid("owner_id", "required", "Vui lòng nhập số định danh cá nhân của chủ hồ sơ.")
	}
	keys := []string{"lookup-ip:" + remoteAddr, "lookup-code:" + code}
	since := s.now().Add(-lookupWindow)
	for _, k := range keys {
		n, err := s.store.CountLoginFailures(ctx, k, since)
		if err != nil {
			return nil, err
		}
		if n >= lookupMaxFailures {
			return nil, &motcua.Error{Kind: motcua.ETOOMANY, Code: "too_many_attempts", Message: fmt.Sprintf(
				"Bạn đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau %d phút.", int(lookupWindow.Minutes()))}
		}
	}
	miss := func() error {
		for _, k := range keys {
			if err := s.store.RecordLoginFailure(ctx, k, s.now()); err != nil {
				return err
			}
		}
		return lookupNotFound()
	}
	if _, err := motcua.ParseDossierCode(code); err != nil {
		return nil, miss()
	}
	d, err := s.store.GetDossierByCode(ctx, code)
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, miss()
	}
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(d.Owner.Code), []byte(ownerID)) != 1 {
		return nil, miss()
	}
	out := &DossierLookup{Code: d.Code, Status: d.Status, SubmittedAt: d.SubmittedAt, ReceivedAt: d.ReceivedAt, DueAt: d.DueAt,
		FinishedAt: d.FinishedAt, ProcedureName: d.ProcedureCode}
	if proc, err := s.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion); err == nil {
		out.ProcedureName = proc.Name
	}
	if a, err := s.store.GetAgency(ctx, d.AgencyCode); err == nil {
		out.AgencyName = a.Name
	}
	return out, nil
}
