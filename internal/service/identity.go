package service

import (
	"context"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Population is the national population database as motcua uses it
// (internal/popdb.Client in production, its simulator in the demo).
type Population interface {
	// CheckIdentity answers whether the claimed name, id and birth date
	// belong to one citizen.
	CheckIdentity(ctx context.Context, q motcua.IdentityQuery) (bool, error)
	// LookupCitizen returns the citizen's record; ENOTFOUND when the
	// identity matches no one.
	LookupCitizen(ctx context.Context, q motcua.IdentityQuery) (*motcua.RegisteredCitizen, error)
}

// Identity runs the three identity checks of seed 004: account
// registration, the counter's "Kiểm tra danh tính số" and the re-check
// before an online submission.
type Identity struct {
	store motcua.Store
	pop   Population
	auth  *Auth
	now   func() time.Time
}

// NewIdentity builds the identity-check service.
func NewIdentity(store motcua.Store, pop Population, auth *Auth) *Identity {
	return &Identity{store: store, pop: pop, auth: auth, now: auth.cfg.Now}
}

// identityMismatch is the "xác thực thất bại" answer.
func identityMismatch() error {
	return &motcua.Error{Kind: motcua.EINVALID, Code: "identity_mismatch", Message: motcua.IdentityMismatchMessage}
}

// Registration is the sign-up form of a person without VNeID.
type Registration struct {
	FullName        string
	PersonalID      string
	BirthDate       motcua.Date
	Phone           string
	Email           string
	Password        string
	PasswordConfirm string
}

func (r Registration) validate() error {
	if strings.TrimSpace(r.FullName) == "" {
		return motcua.Invalid("full_name", "required", "Vui lòng nhập Họ và tên.")
	}
	if err := motcua.ValidatePersonalID(r.PersonalID); err != nil {
		return err
	}
	if r.BirthDate.IsZero() {
		return motcua.Invalid("birth_date", "required", "Vui lòng nhập Ngày sinh (ngày/tháng/năm).")
	}
	// Contacts follow the Subject's rules.
	contacts := motcua.Subject{Code: r.PersonalID, Kind: motcua.SubjectPerson, Name: r.FullName, Phone: r.Phone, Email: r.Email}
	if err := contacts.Validate(); err != nil {
		return err
	}
	if err := ValidatePassword(r.Password); err != nil {
		return err
	}
	if r.Password != r.PasswordConfirm {
		return motcua.Invalid("password_confirm", "password_mismatch", "Mật khẩu nhập lại không khớp.")
	}
	return nil
}

// Register creates a local account after the population database
// confirms the person's name, personal id and date of birth. The subject
// is stored with the database's data (canonical spelling with diacritics).
// It returns a session token: a new account is logged in at once.
func (s *Identity) Register(ctx context.Context, r Registration, c Client) (string, error) {
	r.FullName, r.PersonalID = strings.TrimSpace(r.FullName), strings.TrimSpace(r.PersonalID)
	if err := r.validate(); err != nil {
		return "", err
	}
	ipKey := "register-ip:" + c.RemoteAddr
	if err := s.auth.throttle(ctx, ipKey); err != nil {
		return "", err
	}
	citizen, err := s.pop.LookupCitizen(ctx, motcua.IdentityQuery{ActorKind: motcua.ActorCitizen, Purpose: motcua.PurposeRegistration,
		PersonalID: r.PersonalID, FullName: r.FullName, BirthDate: r.BirthDate})
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		// Guessing identities through the sign-up form counts like guessing passwords.
		s.auth.recordFailure(ctx, ipKey)
		return "", identityMismatch()
	}
	if err != nil {
		// Registration waits for the database: nothing is stored.
		return "", motcua.WithPopulationMessage(err, motcua.PopulationUnavailableRegisterMessage)
	}
	if citizen.PersonalID != r.PersonalID {
		s.auth.recordFailure(ctx, ipKey)
		return "", identityMismatch()
	}
	hash, err := HashPassword(r.Password, s.auth.cfg.Password)
	if err != nil {
		return "", motcua.Internal(err)
	}
	sub := citizen.Subject(s.now().UTC())
	sub.Phone, sub.Email = r.Phone, r.Email
	err = s.store.InTx(ctx, func(tx motcua.Store) error {
		if err := upsertSubject(ctx, tx, sub); err != nil {
			return err
		}
		if err := tx.CreateLocalAccount(ctx, &motcua.LocalAccount{SubjectCode: sub.Code, PasswordHash: hash}); err != nil {
			if motcua.IsKind(err, motcua.ECONFLICT) {
				return &motcua.Error{Kind: motcua.ECONFLICT, Code: "account_exists",
					Message: "Số định danh cá nhân này đã có tài khoản. Vui lòng đăng nhập."}
			}
			return err
		}
		return tx.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: motcua.ActorCitizen, ActorID: "person:" + sub.Code,
			Action: "account.register", ObjectKind: "account", ObjectID: "citizen:" + sub.Code, SubjectCode: sub.Code,
			RemoteAddr: c.RemoteAddr})
	})
	if err != nil {
		return "", err
	}
	return s.auth.openSession(ctx, &motcua.Session{Kind: motcua.PrincipalPerson, SubjectCode: sub.Code, Name: sub.Name,
		Provider: "local"}, c)
}

// CounterCheck is the counter's form: Họ và tên, CCCD/CMND, Ngày sinh.
type CounterCheck struct {
	FullName  string
	IDNumber  string // 12-digit personal id or 9-digit CMND
	BirthDate motcua.Date
	DossierID string
}

// CheckAtCounter is "Kiểm tra danh tính số": on success it returns the
// citizen's record, to fill the submitter form; on a mismatch
// EINVALID (identity_mismatch). Only reception and certification officers
// may use it, at their own agency.
func (s *Identity) CheckAtCounter(ctx context.Context, p *motcua.Principal, in CounterCheck) (*motcua.RegisteredCitizen, error) {
	if err := AuthorizeAt(ctx, s.store, p, OpCounterIdentityCheck, ""); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.FullName) == "" {
		return nil, motcua.Invalid("full_name", "required", "Vui lòng nhập Họ và tên.")
	}
	id := strings.TrimSpace(in.IDNumber)
	if !motcua.IsLegacyCMND(id) {
		if err := motcua.ValidatePersonalID(id); err != nil {
			return nil, motcua.Invalid("id_number", "invalid_id_number", "Số CCCD/CMND phải gồm 12 chữ số (CCCD) hoặc 9 chữ số (CMND).")
		}
	}
	if in.BirthDate.IsZero() {
		return nil, motcua.Invalid("birth_date", "required", "Vui lòng nhập Ngày sinh (ngày/tháng/năm).")
	}
	citizen, err := s.pop.LookupCitizen(ctx, motcua.IdentityQuery{ActorKind: motcua.ActorOfficer, ActorID: p.Username, AgencyCode: p.AgencyCode,
		Purpose: motcua.PurposeCounter, DossierID: in.DossierID, PersonalID: id, FullName: in.FullName, BirthDate: in.BirthDate})
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, identityMismatch()
	}
	return citizen, motcua.WithPopulationMessage(err, motcua.PopulationUnavailableOfficerMessage)
}

// submissionMismatch is seed 004's message for a failed re-check before
// an online submission.
func submissionMismatch() error {
	return &motcua.Error{Kind: motcua.EINVALID, Code: "identity_mismatch", Message: "Xác thực thất bại từ CSDLQG về dân cư: " +
		"thông tin tài khoản có thể sai một trong các thông tin Họ và tên, Ngày sinh, Số CMND/CCCD. " +
		"Vui lòng cập nhật tại “Thông tin cá nhân” → “Chỉnh sửa”, sau đó quay lại nộp hồ sơ trực tuyến."}
}

// CheckBeforeSubmission re-checks the owner's identity when a citizen
// presses "Đồng ý và tiếp tục" on an online submission. On success the
// subject is marked verified (KPI 4.5).
func (s *Identity) CheckBeforeSubmission(ctx context.Context, p *motcua.Principal, procedureCode string) error {
	_, err := s.checkApplicant(ctx, p, procedureCode)
	return err
}

// checkApplicant is CheckBeforeSubmission returning the applicant's
// subject, which the submission needs next.
func (s *Identity) checkApplicant(ctx context.Context, p *motcua.Principal, procedureCode string) (*motcua.Subject, error) {
	if p == nil || (p.Kind != motcua.PrincipalPerson && p.Kind != motcua.PrincipalOrganisation) {
		if err := Authorize(p, OpSubmitDossier, Resource{}); err != nil {
			return nil, err
		}
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "forbidden", "Chỉ công dân, tổ chức mới nộp hồ sơ trực tuyến.")
	}
	if err := Authorize(p, OpSubmitDossier, Resource{OwnerCode: p.SubjectCode}); err != nil {
		return nil, err
	}
	sub, err := s.store.GetSubject(ctx, p.SubjectCode)
	if err != nil {
		return nil, err
	}
	if p.Kind == motcua.PrincipalOrganisation {
		// Organisations are checked by their representative's login; the
		// population database holds persons only.
		return sub, nil
	}
	if sub.BirthDate.IsZero() {
		return nil, submissionMismatch()
	}
	ok, err := s.pop.CheckIdentity(ctx, motcua.IdentityQuery{ActorKind: motcua.ActorCitizen, ActorID: p.ActorID(), Purpose: motcua.PurposeOnlineSubmission,
		ServiceCode: procedureCode, PersonalID: sub.Code, FullName: sub.Name, BirthDate: sub.BirthDate})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, submissionMismatch()
	}
	// Recording the check is one durable write; once an hour is enough for
	// KPI 4.5 (dossiers carry their own OwnerVerified flag).
	if now := s.now().UTC(); now.Sub(sub.VerifiedAt) > time.Hour {
		sub.VerifiedAt = now
		if err := s.store.UpdateSubject(ctx, sub); err != nil {
			return nil, err
		}
	}
	return sub, nil
}

// NoPopulation stands for a population database that is not configured:
// every check is EUNAVAILABLE, never a false "no match".
type NoPopulation struct{}

func (NoPopulation) err() error {
	return &motcua.Error{Kind: motcua.EUNAVAILABLE, Code: motcua.CodePopulationUnavailable, Message: motcua.PopulationUnavailableMessage}
}

// CheckIdentity implements Population.
func (n NoPopulation) CheckIdentity(context.Context, motcua.IdentityQuery) (bool, error) {
	return false, n.err()
}

// LookupCitizen implements Population.
func (n NoPopulation) LookupCitizen(context.Context, motcua.IdentityQuery) (*motcua.RegisteredCitizen, error) {
	return nil, n.err()
}

// CheckOwner checks, before an online submission, the identity of an
// owner other than the applicant (a child for a parent, a person
// represented): name, personal id and date of birth must match the
// population database.
func (s *Identity) CheckOwner(ctx context.Context, p *motcua.Principal, owner motcua.Person, procedureCode string) error {
	if strings.TrimSpace(owner.Name) == "" {
		return motcua.Invalid("owner.name", "required", "Vui lòng nhập Họ và tên của chủ hồ sơ.")
	}
	if err := motcua.ValidatePersonalID(owner.Code); err != nil {
		return motcua.Invalid("owner.code", motcua.ErrorCode(err), motcua.ErrorMessage(err))
	}
	if owner.BirthDate.IsZero() {
		return motcua.Invalid("owner.birth_date", "required", "Vui lòng nhập Ngày sinh của chủ hồ sơ.")
	}
	ok, err := s.pop.CheckIdentity(ctx, motcua.IdentityQuery{ActorKind: motcua.ActorCitizen, ActorID: p.ActorID(), Purpose: motcua.PurposeOnlineSubmission,
		ServiceCode: procedureCode, PersonalID: owner.Code, FullName: owner.Name, BirthDate: owner.BirthDate})
	if err != nil {
		return err
	}
	if !ok {
		return &motcua.Error{Kind: motcua.EINVALID, Code: "owner_identity_mismatch", Field: "owner",
			Message: "Xác thực thất bại: Họ và tên, Số định danh hoặc Ngày sinh của chủ hồ sơ không khớp với Cơ sở dữ liệu quốc gia về dân cư."}
	}
	return nil
}
