package web

import (
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

const (
	sessionCookie = "motcua_session"
	loginCookie   = "motcua_login"
)

// principal returns the logged-in actor of the request, nil for visitors.
func principal(r *http.Request) *motcua.Principal { return httpx.Principal(r.Context()) }

// withPrincipal resolves the request's credentials: the session cookie of
// a browser, or an "Authorization: Bearer" token, which is either a
// session token (citizens and officers using the API) or an integrator's
// access token. An expired browser session just makes a visitor and clears
// the cookie; a bad bearer token is refused.
func (s *Server) withPrincipal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		// The route pattern the inner mux matched is copied back for the
		// access log and metrics, which see the outer request.
		serve := func(inner *http.Request) {
			next.ServeHTTP(w, inner)
			r.Pattern = inner.Pattern
		}
		if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && s.cfg.Auth != nil {
			bearer = strings.TrimSpace(bearer)
			if p, _, err := s.cfg.Auth.Authenticate(ctx, bearer); err == nil {
				serve(r.WithContext(httpx.WithPrincipal(ctx, p)))
				return
			}
			if s.cfg.Clients != nil {
				c, err := s.cfg.Clients.Authenticate(ctx, bearer)
				if err != nil {
					httpx.WriteError(w, r, err)
					return
				}
				if c != nil {
					serve(r.WithContext(httpx.WithClient(ctx, c)))
					return
				}
			}
			httpx.WriteError(w, r, &motcua.Error{Kind: motcua.EUNAUTH, Code: "invalid_token", Message: "Mã truy cập không hợp lệ hoặc đã hết hạn."})
			return
		}
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" || s.cfg.Auth == nil {
			next.ServeHTTP(w, r)
			return
		}
		p, _, err := s.cfg.Auth.Authenticate(ctx, c.Value)
		if err != nil {
			if !motcua.IsKind(err, motcua.EUNAUTH) {
				s.renderError(w, r, err)
				return
			}
			s.clearCookie(w, sessionCookie, "/")
			next.ServeHTTP(w, r)
			return
		}
		serve(r.WithContext(httpx.WithPrincipal(ctx, p)))
	})
}

// client describes the request's origin for sessions and audit.
func client(r *http.Request) service.Client {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return service.Client{RemoteAddr: host, UserAgent: r.UserAgent()}
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value, path string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: path, MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || s.cfg.SecureCookies,
	})
}

func (s *Server) clearCookie(w http.ResponseWriter, name, path string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// safeReturn keeps post-login redirects on this site: anything
// httpx.SafeLocalPath refuses becomes the account page.
func safeReturn(to string) string {
	if clean, ok := httpx.SafeLocalPath(to); ok {
		return clean
	}
	return "/tai-khoan"
}
