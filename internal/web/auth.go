package web

import (
	"net/http"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
	"github.com/motcua/motcua/internal/sso"
)

// loginMaxAge bounds the time between leaving for the identity provider
// and coming back.
const loginMaxAge = 10 * time.Minute

type loginPage struct {
	Title     string
	Providers []*sso.Provider
	ReturnTo  string
	Error     string
	Username  string
}

func (p loginPage) title() string        { return p.Title }
func (p officerLoginPage) title() string { return p.Title }
func (p accountPage) title() string      { return p.Title }

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", loginPage{Title: "Đăng nhập", Providers: s.cfg.Providers,
		ReturnTo: safeReturn(r.URL.Query().Get("return_to"))})
}

func (s *Server) provider(name string) *sso.Provider {
	for _, p := range s.cfg.Providers {
		if p.Name() == name {
			return p
		}
	}
	return nil
}

// startLogin sends the browser to the identity provider with a fresh,
// single-use state, nonce and PKCE verifier. The state is also set in a
// cookie so that a callback can only complete in the browser that began
// the login (no login CSRF).
func (s *Server) startLogin(w http.ResponseWriter, r *http.Request) {
	p := s.provider(r.PathValue("provider"))
	if p == nil {
		s.renderError(w, r, motcua.Errorf(motcua.ENOTFOUND, "unknown_identity_provider", "Không có hình thức đăng nhập này."))
		return
	}
	ls := &motcua.LoginState{State: service.NewSecret(32), Provider: p.Name(), Nonce: service.NewSecret(32),
		CodeVerifier: service.NewSecret(48), ReturnTo: safeReturn(r.URL.Query().Get("return_to"))}
	url, err := p.AuthCodeURL(r.Context(), ls.State, ls.Nonce, ls.CodeVerifier)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.cfg.Store.SaveLoginState(r.Context(), ls); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.setCookie(w, r, loginCookie, ls.State, "/auth/callback/", loginMaxAge)
	http.Redirect(w, r, url, http.StatusFound)
}

func loginRefused(code string) error {
	return &motcua.Error{Kind: motcua.EUNAUTH, Code: code,
		Message: "Đăng nhập không thành công hoặc đã hết thời gian. Vui lòng đăng nhập lại từ đầu."}
}

// callback completes a login at the identity provider.
func (s *Server) callback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	p := s.provider(r.PathValue("provider"))
	if p == nil {
		s.renderError(w, r, motcua.Errorf(motcua.ENOTFOUND, "unknown_identity_provider", "Không có hình thức đăng nhập này."))
		return
	}
	s.clearCookie(w, loginCookie, "/auth/callback/")
	if e := q.Get("error"); e != "" {
		httpx.Logger(ctx).Info("identity provider refused login", "provider", p.Name(), "error", e, "description", q.Get("error_description"))
		s.renderError(w, r, loginRefused("provider_error"))
		return
	}
	state := q.Get("state")
	c, err := r.Cookie(loginCookie)
	if state == "" || err != nil || c.Value != state {
		s.renderError(w, r, loginRefused("login_state_mismatch"))
		return
	}
	ls, err := s.cfg.Store.TakeLoginState(ctx, state)
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		s.renderError(w, r, loginRefused("login_state_used"))
		return
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if ls.Provider != p.Name() || time.Since(ls.CreatedAt) > loginMaxAge {
		s.renderError(w, r, loginRefused("login_state_expired"))
		return
	}
	id, rawIDToken, err := p.Exchange(ctx, q.Get("code"), ls.CodeVerifier, ls.Nonce)
	if err != nil {
		httpx.Logger(ctx).Warn("login failed", "provider", p.Name(), "code", motcua.ErrorCode(err), "err", err)
		s.renderError(w, r, err)
		return
	}
	token, err := s.cfg.Auth.CompleteExternalLogin(ctx, id, rawIDToken, client(r))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.setCookie(w, r, sessionCookie, token, "/", 0)
	http.Redirect(w, r, safeReturn(ls.ReturnTo), http.StatusSeeOther)
}

// localLogin logs a citizen in with a local account.
func (s *Server) localLogin(w http.ResponseWriter, r *http.Request) {
	id, pw := r.PostFormValue("username"), r.PostFormValue("password")
	token, err := s.cfg.Auth.LoginLocal(r.Context(), id, pw, client(r))
	if err != nil {
		status := httpx.Status(err)
		if status >= 500 {
			s.renderError(w, r, err)
			return
		}
		s.render(w, r, status, "login", loginPage{Title: "Đăng nhập", Providers: s.cfg.Providers,
			ReturnTo: safeReturn(r.PostFormValue("return_to")), Error: motcua.ErrorMessage(err), Username: id})
		return
	}
	s.setCookie(w, r, sessionCookie, token, "/", 0)
	http.Redirect(w, r, safeReturn(r.PostFormValue("return_to")), http.StatusSeeOther)
}

type officerLoginPage struct {
	Title    string
	Error    string
	Username string
	ReturnTo string
}

func (s *Server) officerLoginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "officer_login", officerLoginPage{Title: "Đăng nhập cán bộ",
		ReturnTo: safeReturn(r.URL.Query().Get("return_to"))})
}

func (s *Server) officerLogin(w http.ResponseWriter, r *http.Request) {
	user := r.PostFormValue("username")
	token, err := s.cfg.Auth.LoginOfficer(r.Context(), user, r.PostFormValue("password"), r.PostFormValue("otp"), client(r))
	if err != nil {
		status := httpx.Status(err)
		if status >= 500 {
			s.renderError(w, r, err)
			return
		}
		s.render(w, r, status, "officer_login", officerLoginPage{Title: "Đăng nhập cán bộ", Error: motcua.ErrorMessage(err), Username: user,
			ReturnTo: safeReturn(r.PostFormValue("return_to"))})
		return
	}
	s.setCookie(w, r, sessionCookie, token, "/", 0)
	http.Redirect(w, r, safeReturn(r.PostFormValue("return_to")), http.StatusSeeOther)
}

// logout ends the motcua session and, when the provider supports it, the
// provider's session too.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	var token string
	if c, err := r.Cookie(sessionCookie); err == nil {
		token = c.Value
	}
	ended, err := s.cfg.Auth.Logout(r.Context(), token, client(r))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.clearCookie(w, sessionCookie, "/")
	if ended != nil && ended.IDToken != "" {
		if p := s.provider(ended.Provider); p != nil {
			if url, ok := p.EndSessionURL(r.Context(), ended.IDToken, s.cfg.PublicURL+"/"); ok {
				http.Redirect(w, r, url, http.StatusSeeOther)
				return
			}
		}
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

type accountPage struct {
	Title     string
	Principal *motcua.Principal
	Subject   *motcua.Subject
	Officer   *motcua.Officer
	Agency    *motcua.Agency
	// PendingConsents counts the co-applicant consent requests awaiting
	// the person's answer.
	PendingConsents int
}

// account shows who is logged in ("Thông tin tài khoản").
func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if p == nil {
		http.Redirect(w, r, "/auth/login?return_to=/tai-khoan", http.StatusSeeOther)
		return
	}
	page := accountPage{Title: "Thông tin tài khoản", Principal: p}
	ctx := r.Context()
	var err error
	if p.Kind == motcua.PrincipalOfficer {
		if page.Agency, err = s.cfg.Store.GetAgency(ctx, p.AgencyCode); err != nil {
			s.renderError(w, r, err)
			return
		}
	} else if page.Subject, err = s.cfg.Store.GetSubject(ctx, p.SubjectCode); err != nil {
		s.renderError(w, r, err)
		return
	}
	if p.Kind == motcua.PrincipalPerson && s.cfg.Submissions != nil {
		// The in-app notice of the consent requests awaiting an answer.
		reqs, err := s.cfg.Submissions.ConsentRequests(ctx, p, true)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		page.PendingConsents = len(reqs)
	}
	s.render(w, r, http.StatusOK, "account", page)
}

// me is GET /api/v1/me.
func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if p == nil {
		httpx.WriteError(w, r, service.Authorize(nil, service.OpReadOwnProfile, service.Resource{}))
		return
	}
	type me struct {
		SubjectID      string        `json:"subject_id,omitempty"`
		Representative string        `json:"representative,omitempty"`
		Username       string        `json:"username,omitempty"`
		Name           string        `json:"name"`
		Kind           string        `json:"kind"`
		Roles          []motcua.Role `json:"roles"`
		Agency         string        `json:"agency,omitempty"`
	}
	httpx.WriteJSON(w, http.StatusOK, me{SubjectID: p.SubjectCode, Representative: p.Representative, Username: p.Username,
		Name: p.Name, Kind: string(p.Kind), Roles: append([]motcua.Role{}, p.Roles...), Agency: p.AgencyCode})
}
