package service

import (
	"context"
	"slices"
	"strings"

	"github.com/motcua/motcua"
)

// Officers manages officer accounts (admin pages).
type Officers struct {
	store    motcua.Store
	password PasswordParams
}

// NewOfficers builds the officer-management service.
func NewOfficers(store motcua.Store, password PasswordParams) *Officers {
	if password == (PasswordParams{}) {
		password = DefaultPasswordParams
	}
	return &Officers{store: store, password: password}
}

// authorizeAt checks that p may manage officers of agency code.
func (s *Officers) authorizeAt(ctx context.Context, p *motcua.Principal, code string) error {
	path, err := AgencyPath(ctx, s.store, code)
	if err != nil {
		return err
	}
	return Authorize(p, OpManageOfficers, Resource{AgencyPath: path})
}

// Manageable returns the agencies whose officers p may manage: p's agency
// and those under it.
func (s *Officers) Manageable(ctx context.Context, p *motcua.Principal) ([]*motcua.Agency, error) {
	if p == nil || p.Kind != motcua.PrincipalOfficer {
		return nil, Authorize(p, OpManageOfficers, Resource{})
	}
	if err := s.authorizeAt(ctx, p, p.AgencyCode); err != nil {
		return nil, err
	}
	return AgencySubtree(ctx, s.store, p.AgencyCode)
}

// Get returns an officer account p may manage.
func (s *Officers) Get(ctx context.Context, p *motcua.Principal, username string) (*motcua.Officer, error) {
	o, err := s.store.GetOfficer(ctx, username)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeAt(ctx, p, o.AgencyCode); err != nil {
		return nil, err
	}
	return o, nil
}

// List returns the officers p may manage, by agency.
func (s *Officers) List(ctx context.Context, p *motcua.Principal) ([]*motcua.Officer, error) {
	agencies, err := s.Manageable(ctx, p)
	if err != nil {
		return nil, err
	}
	var out []*motcua.Officer
	for _, a := range agencies {
		os, err := s.store.ListOfficers(ctx, a.Code)
		if err != nil {
			return nil, err
		}
		out = append(out, os...)
	}
	return out, nil
}

// NewOfficer is the admin form for a new account.
type NewOfficer struct {
	Username   string
	Name       string
	AgencyCode string
	Roles      []motcua.Role
	Password   string
}

// Create adds an officer with a fresh TOTP secret, returned once so that
// the admin can hand it over for enrolment.
func (s *Officers) Create(ctx context.Context, p *motcua.Principal, n NewOfficer) (*motcua.Officer, string, error) {
	if err := s.authorizeAt(ctx, p, n.AgencyCode); err != nil {
		return nil, "", err
	}
	return s.create(ctx, n, func(tx motcua.Store, o *motcua.Officer) error {
		return auditChange(ctx, tx, p, "officer.create", "officer", o.Username, nil, officerAudit(o, false, false))
	})
}

// CreateByOperator adds an officer on the word of an operator of the
// server (`motcua officer add`, run with access to the database): how the
// first administrator of a new installation is made. The audit log names
// the operator (actor kind "system").
func (s *Officers) CreateByOperator(ctx context.Context, operator string, n NewOfficer) (*motcua.Officer, string, error) {
	if _, err := s.store.GetAgency(ctx, n.AgencyCode); err != nil {
		return nil, "", err
	}
	return s.create(ctx, n, func(tx motcua.Store, o *motcua.Officer) error {
		return auditChangeBy(ctx, tx, motcua.AuditEvent{ActorKind: "system", ActorID: operator, AgencyCode: o.AgencyCode},
			"officer.create", "officer", o.Username, nil, officerAudit(o, false, false))
	})
}

func (s *Officers) create(ctx context.Context, n NewOfficer, audit func(tx motcua.Store, o *motcua.Officer) error) (*motcua.Officer, string, error) {
	if err := ValidatePassword(n.Password); err != nil {
		return nil, "", err
	}
	hash, err := HashPassword(n.Password, s.password)
	if err != nil {
		return nil, "", motcua.Internal(err)
	}
	o := &motcua.Officer{Username: strings.TrimSpace(n.Username), Name: strings.TrimSpace(n.Name), AgencyCode: n.AgencyCode,
		Roles: dedupRoles(n.Roles), PasswordHash: hash, TOTPSecret: NewTOTPSecret()}
	if err := o.Validate(); err != nil {
		return nil, "", err
	}
	err = s.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.CreateOfficer(ctx, o); err != nil {
			return err
		}
		return audit(tx, o)
	})
	if err != nil {
		return nil, "", err
	}
	return o, o.TOTPSecret, nil
}

// OfficerUpdate changes an account. Empty NewPassword keeps the password;
// ResetTOTP issues a new second-factor secret.
type OfficerUpdate struct {
	Name        string
	Roles       []motcua.Role
	Disabled    bool
	NewPassword string
	ResetTOTP   bool
}

// Update applies u to the officer username. Disabling an officer, changing
// their roles or resetting credentials ends their open sessions. An admin
// cannot disable themselves or drop their own admin role, so an agency is
// never left without an administrator by mistake.
func (s *Officers) Update(ctx context.Context, p *motcua.Principal, username string, u OfficerUpdate) (*motcua.Officer, string, error) {
	o, err := s.Get(ctx, p, username)
	if err != nil {
		return nil, "", err
	}
	before := officerAudit(o, false, false)
	roles := dedupRoles(u.Roles)
	if p.Username == o.Username && (u.Disabled || !slices.Contains(roles, motcua.RoleAdmin)) {
		return nil, "", motcua.Invalid("roles", "cannot_demote_self", "Không thể tự khóa tài khoản hoặc bỏ vai trò quản trị của chính mình.")
	}
	sensitive := u.Disabled != o.Disabled || !slices.Equal(roles, o.Roles) || u.NewPassword != "" || u.ResetTOTP
	o.Name, o.Roles, o.Disabled = strings.TrimSpace(u.Name), roles, u.Disabled
	if u.NewPassword != "" {
		if err := ValidatePassword(u.NewPassword); err != nil {
			return nil, "", err
		}
		if o.PasswordHash, err = HashPassword(u.NewPassword, s.password); err != nil {
			return nil, "", motcua.Internal(err)
		}
	}
	var secret string
	if u.ResetTOTP {
		secret = NewTOTPSecret()
		o.TOTPSecret = secret
	}
	if err := o.Validate(); err != nil {
		return nil, "", err
	}
	err = s.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.UpdateOfficer(ctx, o); err != nil {
			return err
		}
		if sensitive {
			if _, err := tx.DeleteSessionsOf(ctx, motcua.PrincipalOfficer, o.Username); err != nil {
				return err
			}
		}
		return auditChange(ctx, tx, p, "officer.update", "officer", o.Username, before, officerAudit(o, u.NewPassword != "", u.ResetTOTP))
	})
	if err != nil {
		return nil, "", err
	}
	return o, secret, nil
}

// officerAudit is what the audit log keeps of an account: never its
// password hash or second-factor secret, only whether they were reset.
func officerAudit(o *motcua.Officer, passwordReset, totpReset bool) map[string]any {
	m := map[string]any{"name": o.Name, "agency": o.AgencyCode, "roles": roleStrings(o.Roles), "disabled": o.Disabled}
	if passwordReset {
		m["password_reset"] = true
	}
	if totpReset {
		m["totp_reset"] = true
	}
	return m
}

func dedupRoles(rs []motcua.Role) []motcua.Role {
	var out []motcua.Role
	for _, r := range motcua.Roles() {
		if slices.Contains(rs, r) {
			out = append(out, r)
		}
	}
	for _, r := range rs {
		if !slices.Contains(out, r) {
			out = append(out, r) // unknown roles stay so that Validate reports them
		}
	}
	return out
}

func roleStrings(rs []motcua.Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}
