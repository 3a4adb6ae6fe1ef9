// Package service holds motcua's use cases and their authorization. It
// depends only on the root package's types and interfaces.
package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/motcua/motcua"
)

// AuthConfig tunes sessions and login throttling.
type AuthConfig struct {
	// SessionIdle ends a session after this long without a request.
	SessionIdle time.Duration
	// SessionMax ends a session this long after login, active or not.
	SessionMax time.Duration
	// MaxFailures failed logins per account or per IP address within
	// FailureWindow lock further attempts until the window has passed.
	MaxFailures   int
	FailureWindow time.Duration
	Password      PasswordParams
	Now           func() time.Time
	Logger        *slog.Logger
}

func (c *AuthConfig) defaults() {
	if c.SessionIdle == 0 {
		c.SessionIdle = 2 * time.Hour
	}
	if c.SessionMax == 0 {
		c.SessionMax = 12 * time.Hour
	}
	if c.MaxFailures == 0 {
		c.MaxFailures = 10
	}
	if c.FailureWindow == 0 {
		c.FailureWindow = 15 * time.Minute
	}
	if c.Password == (PasswordParams{}) {
		c.Password = DefaultPasswordParams
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// Auth logs people in and out and resolves sessions to principals.
type Auth struct {
	store motcua.Store
	cfg   AuthConfig
	// dummyHash is checked against when an account does not exist, so
	// that "no such user" costs as much time as "wrong password".
	dummyHash string
}

// NewAuth builds the authentication service.
func NewAuth(store motcua.Store, cfg AuthConfig) (*Auth, error) {
	cfg.defaults()
	dummy, err := HashPassword("motcua-timing-equaliser", cfg.Password)
	if err != nil {
		return nil, err
	}
	return &Auth{store: store, cfg: cfg, dummyHash: dummy}, nil
}

// Client describes where a request comes from, for sessions and audit.
type Client struct {
	RemoteAddr string
	UserAgent  string
}

// badCredentials is the one message for every failed password login:
// unknown account, wrong password, wrong code, disabled account.
func badCredentials(what string) error {
	return &motcua.Error{Kind: motcua.EUNAUTH, Code: "invalid_credentials", Message: what + " không đúng."}
}

// totpReused refuses a TOTP code already used to log in (RFC 6238 §5.2).
func totpReused() error {
	return &motcua.Error{Kind: motcua.EUNAUTH, Code: "totp_code_reused",
		Message: "Mã xác thực này đã được dùng để đăng nhập. Vui lòng chờ mã mới trên ứng dụng xác thực rồi thử lại."}
}

func tooManyAttempts(window time.Duration) error {
	return &motcua.Error{Kind: motcua.ETOOMANY, Code: "too_many_attempts", Message: fmt.Sprintf(
		"Bạn đã thử sai quá nhiều lần. Vui lòng thử lại sau %d phút.", int(window.Minutes()))}
}

// throttle refuses a login while the account or the address has too many
// recent failures.
func (a *Auth) throttle(ctx context.Context, keys ...string) error {
	since := a.cfg.Now().Add(-a.cfg.FailureWindow)
	for _, k := range keys {
		n, err := a.store.CountLoginFailures(ctx, k, since)
		if err != nil {
			return err
		}
		if n >= a.cfg.MaxFailures {
			return tooManyAttempts(a.cfg.FailureWindow)
		}
	}
	return nil
}

// recordFailure counts a failure that is not a login (a registration's
// identity mismatch) against keys.
func (a *Auth) recordFailure(ctx context.Context, keys ...string) {
	for _, k := range keys {
		if err := a.store.RecordLoginFailure(ctx, k, a.cfg.Now()); err != nil {
			a.cfg.Logger.Error("record login failure", "err", err)
		}
	}
}

// recordFailedLogin counts a failed login against keys and writes its
// audit event, in one transaction.
func (a *Auth) recordFailedLogin(ctx context.Context, e motcua.AuditEvent, keys ...string) {
	err := a.store.InTx(ctx, func(tx motcua.Store) error {
		for _, k := range keys {
			if err := tx.RecordLoginFailure(ctx, k, a.cfg.Now()); err != nil {
				return err
			}
		}
		return tx.AppendAudit(ctx, &e)
	})
	if err != nil {
		a.cfg.Logger.Error("record login failure", "action", e.Action, "err", err)
	}
}

// audit records a security event that changes nothing (a refused
// attempt); events of changes go in the change's transaction.
func (a *Auth) audit(ctx context.Context, e motcua.AuditEvent) {
	if err := a.store.AppendAudit(ctx, &e); err != nil {
		a.cfg.Logger.Error("audit security event", "action", e.Action, "err", err)
	}
}

// checkCredentials is what every password login shares: throttling per
// account and per address, a check that costs the same whether the account
// exists or not (the dummy hash), and counting and auditing failures.
// load returns the account's password hash and whether its other
// conditions hold (second factor, not disabled); ENOTFOUND for an unknown
// account. what names the fields in the one failure message.
func (a *Auth) checkCredentials(ctx context.Context, actorKind, account, password string, c Client, what string,
	load func() (hash string, otherOK bool, err error)) error {
	accountKey, ipKey := actorKind+":"+account, "ip:"+c.RemoteAddr
	event := func(action string) motcua.AuditEvent {
		return motcua.AuditEvent{ActorKind: actorKind, ActorID: account, Action: action, ObjectKind: "account",
			ObjectID: accountKey, RemoteAddr: c.RemoteAddr}
	}
	if err := a.throttle(ctx, accountKey, ipKey); err != nil {
		a.audit(ctx, event("login.throttled"))
		return err
	}
	hash, otherOK, err := load()
	ok := false
	switch {
	case motcua.IsKind(err, motcua.ENOTFOUND):
		CheckPassword(password, a.dummyHash)
	case err != nil:
		return err
	default:
		ok = CheckPassword(password, hash) && otherOK
	}
	if !ok {
		a.recordFailedLogin(ctx, event("login.failure"), accountKey, ipKey)
		return badCredentials(what)
	}
	_ = a.store.ClearLoginFailures(ctx, accountKey)
	return nil
}

// LoginOfficer checks an officer's password and TOTP code and opens a
// session. Every failure gives the same message and counts towards the
// per-account and per-address limits.
func (a *Auth) LoginOfficer(ctx context.Context, username, password, code string, c Client) (string, error) {
	var o *motcua.Officer
	var step int64
	err := a.checkCredentials(ctx, "officer", username, password, c, "Tên đăng nhập, mật khẩu hoặc mã xác thực",
		func() (string, bool, error) {
			var err error
			if o, err = a.store.GetOfficer(ctx, username); err != nil {
				return "", false, err
			}
			// Until a second factor is enrolled the password alone is
			// refused: an officer account without TOTP cannot log in.
			var totpOK bool
			if o.TOTPSecret != "" {
				step, totpOK = MatchTOTP(o.TOTPSecret, code, a.cfg.Now())
			}
			return o.PasswordHash, totpOK && !o.Disabled, nil
		})
	if err != nil {
		return "", err
	}
	// Only now, with the password right, is the code spent: a wrong
	// password cannot use up the officer's current code.
	fresh, err := a.store.UseTOTPStep(ctx, o.Username, step)
	if err != nil {
		return "", err
	}
	if !fresh {
		a.recordFailedLogin(ctx, motcua.AuditEvent{ActorKind: "officer", ActorID: username, Action: "login.totp_reused", ObjectKind: "account",
			ObjectID: "officer:" + username, RemoteAddr: c.RemoteAddr}, "officer:"+username, "ip:"+c.RemoteAddr)
		return "", totpReused()
	}
	return a.openSession(ctx, &motcua.Session{Kind: motcua.PrincipalOfficer, Username: o.Username, Name: o.Name,
		Provider: "local"}, c, motcua.AuditEvent{ActorKind: "officer", ActorID: "officer:" + o.Username, AgencyCode: o.AgencyCode,
		Action: "login.success", ObjectKind: "account", ObjectID: "officer:" + o.Username, RemoteAddr: c.RemoteAddr})
}

// LoginLocal logs a citizen in with a local account (for people without VNeID).
func (a *Auth) LoginLocal(ctx context.Context, personalID, password string, c Client) (string, error) {
	err := a.checkCredentials(ctx, "citizen", personalID, password, c, "Số định danh cá nhân hoặc mật khẩu",
		func() (string, bool, error) {
			acct, err := a.store.GetLocalAccount(ctx, personalID)
			if err != nil {
				return "", false, err
			}
			return acct.PasswordHash, true, nil
		})
	if err != nil {
		return "", err
	}
	sub, err := a.store.GetSubject(ctx, personalID)
	if err != nil {
		return "", err
	}
	return a.openSession(ctx, &motcua.Session{Kind: motcua.PrincipalPerson, SubjectCode: sub.Code, Name: sub.Name,
		Provider: "local"}, c, motcua.AuditEvent{ActorKind: "citizen", ActorID: "person:" + sub.Code, Action: "login.success",
		ObjectKind: "account", ObjectID: "citizen:" + sub.Code, SubjectCode: sub.Code, RemoteAddr: c.RemoteAddr})
}

// CompleteExternalLogin turns a verified OpenID Connect identity into a
// motcua subject and session. The provider's data is authoritative: the
// subject's name, birth date and contacts are updated from it, and the
// identity counts as verified (KPI 4.5 accepts VNeID).
func (a *Auth) CompleteExternalLogin(ctx context.Context, id motcua.ExternalIdentity, idToken string, c Client) (string, error) {
	now := a.cfg.Now().UTC()
	person := &motcua.Subject{Code: id.PersonalID, Kind: motcua.SubjectPerson, Name: id.Name, BirthDate: id.BirthDate,
		Phone: id.Phone, Email: id.Email, VerifiedAt: now}
	if id.Organisation && id.PersonalID == "" {
		person = nil // an organisation account without a named representative
	}
	if person != nil {
		if err := person.Validate(); err != nil {
			a.audit(ctx, motcua.AuditEvent{ActorKind: "citizen", ActorID: id.PersonalID, Action: "login.rejected_claims",
				ObjectKind: "account", ObjectID: id.Provider + ":" + id.Sub, RemoteAddr: c.RemoteAddr, Detail: motcua.ErrorCode(err)})
			return "", &motcua.Error{Kind: motcua.EUNAUTH, Code: "invalid_identity_claims", Err: err, Message: "Thông tin tài khoản do " +
				"nhà cung cấp định danh gửi về không hợp lệ (" + motcua.ErrorMessage(err) + ")."}
		}
	}
	sess := &motcua.Session{Kind: motcua.PrincipalPerson, Name: id.Name, Provider: id.Provider, IDToken: idToken}
	err := a.store.InTx(ctx, func(tx motcua.Store) error {
		if person != nil {
			if err := upsertSubject(ctx, tx, person); err != nil {
				return err
			}
			sess.SubjectCode = person.Code
		}
		if !id.Organisation {
			return nil
		}
		org := &motcua.Subject{Code: id.OrgCode, Kind: motcua.SubjectOrganisation, Name: id.OrgName}
		if org.Name == "" {
			org.Name = "Tổ chức " + id.OrgCode
		}
		if err := org.Validate(); err != nil {
			return &motcua.Error{Kind: motcua.EUNAUTH, Code: "invalid_identity_claims", Err: err,
				Message: "Mã số doanh nghiệp do nhà cung cấp định danh gửi về không hợp lệ."}
		}
		if _, err := tx.GetSubject(ctx, org.Code); motcua.IsKind(err, motcua.ENOTFOUND) {
			if err := tx.CreateSubject(ctx, org); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		sess.Kind, sess.SubjectCode, sess.Representative = motcua.PrincipalOrganisation, org.Code, id.PersonalID
		return nil
	})
	if err != nil {
		return "", err
	}
	return a.openSession(ctx, sess, c, motcua.AuditEvent{ActorKind: "citizen", ActorID: string(sess.Kind) + ":" + sess.SubjectCode,
		Action: "login.success", ObjectKind: "account", ObjectID: id.Provider + ":" + id.Sub, SubjectCode: sess.SubjectCode,
		RemoteAddr: c.RemoteAddr, Detail: "acr=" + id.ACR})
}

// upsertSubject creates s, or refreshes an existing subject with s's
// identity data.
func upsertSubject(ctx context.Context, st motcua.Store, s *motcua.Subject) error {
	cur, err := st.GetSubject(ctx, s.Code)
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return st.CreateSubject(ctx, s)
	}
	if err != nil {
		return err
	}
	cur.Name, cur.BirthDate, cur.VerifiedAt = s.Name, s.BirthDate, s.VerifiedAt
	if s.Phone != "" {
		cur.Phone = s.Phone
	}
	if s.Email != "" {
		cur.Email = s.Email
	}
	return st.UpdateSubject(ctx, cur)
}

// sessionID is what the store keeps of a token: its SHA-256.
func sessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// openSession creates the session and returns its token. events (the
// login's audit) are written in the session's transaction: no session
// without its login event.
func (a *Auth) openSession(ctx context.Context, s *motcua.Session, c Client, events ...motcua.AuditEvent) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", motcua.Internal(err)
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	now := a.cfg.Now().UTC()
	s.ID = sessionID(token)
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = now, now, now.Add(a.cfg.SessionMax)
	s.RemoteAddr, s.UserAgent = c.RemoteAddr, truncate(c.UserAgent, 300)
	err := a.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.CreateSession(ctx, s); err != nil {
			return err
		}
		for i := range events {
			if err := tx.AppendAudit(ctx, &events[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func sessionExpired() error {
	return &motcua.Error{Kind: motcua.EUNAUTH, Code: "session_expired", Message: "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."}
}

// touchEvery limits session writes to one per minute per session.
const touchEvery = time.Minute

// Authenticate resolves a session token to its principal. An unknown,
// idle or expired session is EUNAUTH (session_expired); an officer
// disabled since login loses the session at once.
func (a *Auth) Authenticate(ctx context.Context, token string) (*motcua.Principal, *motcua.Session, error) {
	if token == "" {
		return nil, nil, sessionExpired()
	}
	s, err := a.store.GetSession(ctx, sessionID(token))
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, nil, sessionExpired()
	}
	if err != nil {
		return nil, nil, err
	}
	now := a.cfg.Now()
	if !now.Before(s.ExpiresAt) || now.Sub(s.LastSeenAt) > a.cfg.SessionIdle {
		_ = a.store.DeleteSession(ctx, s.ID)
		return nil, nil, sessionExpired()
	}
	p := &motcua.Principal{Kind: s.Kind, SubjectCode: s.SubjectCode, Representative: s.Representative, Name: s.Name}
	if s.Kind == motcua.PrincipalOfficer {
		o, err := a.store.GetOfficer(ctx, s.Username)
		if motcua.IsKind(err, motcua.ENOTFOUND) || err == nil && o.Disabled {
			_ = a.store.DeleteSession(ctx, s.ID)
			return nil, nil, sessionExpired()
		}
		if err != nil {
			return nil, nil, err
		}
		p.Username, p.AgencyCode, p.Roles, p.Name = o.Username, o.AgencyCode, o.Roles, o.Name
	}
	if now.Sub(s.LastSeenAt) >= touchEvery {
		if err := a.store.TouchSession(ctx, s.ID, now); err != nil && !motcua.IsKind(err, motcua.ENOTFOUND) {
			return nil, nil, err
		}
	}
	return p, s, nil
}

// Logout ends the session of token. It returns the session that ended
// (nil when there was none) so that the caller can end the provider's
// session too.
func (a *Auth) Logout(ctx context.Context, token string, c Client) (*motcua.Session, error) {
	if token == "" {
		return nil, nil
	}
	s, err := a.store.GetSession(ctx, sessionID(token))
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	err = a.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.DeleteSession(ctx, s.ID); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: string(s.Kind), ActorID: s.Username + s.SubjectCode, Action: "logout",
			ObjectKind: "session", ObjectID: s.ID[:16], SubjectCode: s.SubjectCode, RemoteAddr: c.RemoteAddr})
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// NewSecret returns n random bytes, base64url-encoded (states, nonces,
// PKCE verifiers).
func NewSecret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CleanUp removes what no login can use any more: expired or idle
// sessions, abandoned OpenID Connect logins (older than an hour), failures
// older than the throttling window, and expired integrator tokens. The
// server runs it periodically.
func (a *Auth) CleanUp(ctx context.Context) (int, error) {
	now := a.cfg.Now()
	total := 0
	for _, step := range []func() (int, error){
		func() (int, error) { return a.store.DeleteExpiredSessions(ctx, now, now.Add(-a.cfg.SessionIdle)) },
		func() (int, error) { return a.store.DeleteLoginStatesBefore(ctx, now.Add(-time.Hour)) },
		func() (int, error) { return a.store.DeleteLoginFailuresBefore(ctx, now.Add(-a.cfg.FailureWindow)) },
		func() (int, error) { return a.store.DeleteExpiredAPITokens(ctx, now) },
	} {
		n, err := step()
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}
