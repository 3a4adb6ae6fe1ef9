package motcua

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Role is what an officer may do (vai trò).
type Role string

const (
	RoleReception     Role = "reception"     // cán bộ tiếp nhận (Bộ phận Một cửa)
	RoleProcessing    Role = "processing"    // chuyên viên xử lý
	RoleLeader        Role = "leader"        // lãnh đạo ký duyệt
	RoleCertification Role = "certification" // cán bộ chứng thực
	RoleMonitor       Role = "monitor"       // theo dõi, giám sát
	RoleAdmin         Role = "admin"         // quản trị
)

// Roles lists every role in display order.
func Roles() []Role {
	return []Role{RoleReception, RoleProcessing, RoleLeader, RoleCertification, RoleMonitor, RoleAdmin}
}

// Label returns the Vietnamese name of the role.
func (r Role) Label() string {
	switch r {
	case RoleReception:
		return "Tiếp nhận"
	case RoleProcessing:
		return "Chuyên viên xử lý"
	case RoleLeader:
		return "Lãnh đạo ký duyệt"
	case RoleCertification:
		return "Chứng thực"
	case RoleMonitor:
		return "Theo dõi"
	case RoleAdmin:
		return "Quản trị"
	}
	return string(r)
}

func (r Role) valid() bool { return slices.Contains(Roles(), r) }

// Officer is a civil servant's account. Officers belong to one agency.
type Officer struct {
	Username   string
	Name       string
	AgencyCode string
	Roles      []Role
	// PasswordHash is an encoded argon2id hash; never the password.
	PasswordHash string
	// TOTPSecret is the base32 secret of the second factor; empty until enrolled.
	TOTPSecret string
	Disabled   bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// HasRole reports whether o has role r.
func (o *Officer) HasRole(r Role) bool { return slices.Contains(o.Roles, r) }

// Validate checks the officer's fields.
func (o *Officer) Validate() error {
	if len(o.Username) < 3 || len(o.Username) > 64 || strings.Trim(o.Username, "abcdefghijklmnopqrstuvwxyz0123456789._-") != "" {
		return Invalid("username", "invalid_username", "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới.")
	}
	if strings.TrimSpace(o.Name) == "" {
		return Invalid("name", "required", "Họ và tên cán bộ không được để trống.")
	}
	if err := ValidateAgencyCode(o.AgencyCode); err != nil {
		return err
	}
	if len(o.Roles) == 0 {
		return Invalid("roles", "required", "Cán bộ phải có ít nhất một vai trò.")
	}
	for _, r := range o.Roles {
		if !r.valid() {
			return Invalid("roles", "invalid_role", fmt.Sprintf("Vai trò %q không hợp lệ.", r))
		}
	}
	if o.PasswordHash == "" {
		return Invalid("password", "required", "Mật khẩu không được để trống.")
	}
	return nil
}

// LocalAccount lets a person without VNeID log in with a password. It is
// only created after the identity was verified against the population
// database.
type LocalAccount struct {
	SubjectCode  string
	PasswordHash string
	CreatedAt    time.Time
}

// PrincipalKind tells who is acting.
type PrincipalKind string

const (
	PrincipalPerson       PrincipalKind = "person"
	PrincipalOrganisation PrincipalKind = "organisation"
	PrincipalOfficer      PrincipalKind = "officer"
	// PrincipalClient is an integrator's system (an APIClient) acting
	// with its scopes; Username is the client id.
	PrincipalClient PrincipalKind = "client"
)

// Principal is the authenticated actor of a request.
type Principal struct {
	Kind PrincipalKind
	// SubjectCode is the personal id or organisation code (citizens and
	// organisation representatives).
	SubjectCode string
	// Representative is the personal id of the person acting for an organisation.
	Representative string
	Name           string
	// Officer fields.
	Username   string
	AgencyCode string
	Roles      []Role
	// Scopes are an integrator client's scopes (APIScopes).
	Scopes []string
}

// HasRole reports whether p is an officer with role r.
func (p *Principal) HasRole(r Role) bool {
	return p != nil && p.Kind == PrincipalOfficer && slices.Contains(p.Roles, r)
}

// ActorID names the principal in audit events.
func (p *Principal) ActorID() string {
	if p == nil {
		return ""
	}
	if p.Kind == PrincipalOfficer || p.Kind == PrincipalClient {
		return string(p.Kind) + ":" + p.Username
	}
	return string(p.Kind) + ":" + p.SubjectCode
}

// Session is a server-side login session. The browser holds a random
// token; the store only keeps its SHA-256 (ID), so a database leak does
// not leak usable sessions.
type Session struct {
	ID             string
	Kind           PrincipalKind
	SubjectCode    string // citizens and organisations
	Representative string // organisations: who logged in
	Username       string // officers
	Name           string
	Provider       string // OIDC provider name, "local" for passwords
	// IDToken is kept for RP-initiated logout (id_token_hint).
	IDToken    string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute limit
	RemoteAddr string
	UserAgent  string
}

// LoginState is a pending OpenID Connect login, used once.
type LoginState struct {
	State        string
	Provider     string
	Nonce        string
	CodeVerifier string
	ReturnTo     string
	CreatedAt    time.Time
}

// IdentityStore keeps accounts, sessions and login bookkeeping.
type IdentityStore interface {
	// CreateOfficer inserts o. ECONFLICT (officer_exists); EINVALID
	// (unknown_agency) when the agency does not exist.
	CreateOfficer(ctx context.Context, o *Officer) error
	// UpdateOfficer replaces every field but the username and creation
	// time. ENOTFOUND (officer_not_found) when unknown.
	UpdateOfficer(ctx context.Context, o *Officer) error
	// GetOfficer returns ENOTFOUND (officer_not_found) for an unknown username.
	GetOfficer(ctx context.Context, username string) (*Officer, error)
	// ListOfficers returns officers ordered by username; agencyCode, when
	// not empty, keeps those of that agency.
	ListOfficers(ctx context.Context, agencyCode string) ([]*Officer, error)
	// UseTOTPStep records that the officer logged in with the TOTP code of
	// time step step, and reports false when a code of that step or a
	// later one was already used: a code is accepted once (RFC 6238 §5.2),
	// also by two nodes racing with it. ENOTFOUND (officer_not_found) when
	// unknown.
	UseTOTPStep(ctx context.Context, username string, step int64) (bool, error)

	// CreateLocalAccount inserts a. ECONFLICT (account_exists); EINVALID
	// (unknown_subject) when the subject does not exist.
	CreateLocalAccount(ctx context.Context, a *LocalAccount) error
	// GetLocalAccount returns ENOTFOUND (account_not_found).
	GetLocalAccount(ctx context.Context, subjectCode string) (*LocalAccount, error)

	// CreateSession inserts s. ECONFLICT when the id exists.
	CreateSession(ctx context.Context, s *Session) error
	// GetSession returns ENOTFOUND (session_not_found).
	GetSession(ctx context.Context, id string) (*Session, error)
	// TouchSession records activity. ENOTFOUND when the session is gone.
	TouchSession(ctx context.Context, id string, at time.Time) error
	// DeleteSession ends one session; deleting a missing one is not an error.
	DeleteSession(ctx context.Context, id string) error
	// DeleteSessionsOf ends every session of a principal (an officer's
	// username or a subject code) and returns how many it ended.
	DeleteSessionsOf(ctx context.Context, kind PrincipalKind, key string) (int, error)
	// DeleteExpiredSessions removes sessions past their absolute expiry or
	// idle since before idleSince.
	DeleteExpiredSessions(ctx context.Context, now, idleSince time.Time) (int, error)

	// SaveLoginState stores a pending login. ECONFLICT when the state exists.
	SaveLoginState(ctx context.Context, s *LoginState) error
	// TakeLoginState returns and deletes a pending login atomically, so a
	// state can be used once. ENOTFOUND (login_state_not_found) when
	// unknown or already used.
	TakeLoginState(ctx context.Context, state string) (*LoginState, error)

	// DeleteLoginStatesBefore removes pending logins started before t
	// (abandoned at the provider) and returns how many it removed.
	DeleteLoginStatesBefore(ctx context.Context, t time.Time) (int, error)

	// RecordLoginFailure notes a failed login for key (an account or an
	// IP address).
	RecordLoginFailure(ctx context.Context, key string, at time.Time) error
	// CountLoginFailures counts failures of key at or after since.
	CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	// ClearLoginFailures forgets the failures of key (after a success).
	ClearLoginFailures(ctx context.Context, key string) error
	// DeleteLoginFailuresBefore forgets failures older than t, which no
	// throttling window looks at any more.
	DeleteLoginFailuresBefore(ctx context.Context, t time.Time) (int, error)
}

// ExternalIdentity is what an OpenID Connect provider (VNeID, the
// national portal) asserts about the person who logged in, after claim
// mapping.
type ExternalIdentity struct {
	Provider   string
	Issuer     string
	Sub        string
	PersonalID string
	Name       string
	BirthDate  Date
	Phone      string
	Email      string
	// Organisation is set when the account is an organisation's; OrgCode
	// then names it and PersonalID is its representative's.
	Organisation bool
	OrgCode      string
	OrgName      string
	ACR          string
}
