package web

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

const (
	sessionCookie = "motcua_session"
	loginCookie   = "motcua_login"
)

type principalKey struct{}

// principal returns the logged-in actor of the request, nil for visitors.
func principal(r *http.Request) *motcua.Principal {
	p, _ := r.Context().Value(principalKey{}).(*motcua.Principal)
	return p
}

// withPrincipal resolves the session cookie, when there is one, to the
// request's principal. An expired session just makes a visitor and clears
// the cookie.
func (s *Server) withPrincipal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" || s.cfg.Auth == nil {
			next.ServeHTTP(w, r)
			return
		}
		p, _, err := s.cfg.Auth.Authenticate(r.Context(), c.Value)
		if err != nil {
			if !motcua.IsKind(err, motcua.EUNAUTH) {
				s.renderError(w, r, err)
				return
			}
			s.clearCookie(w, sessionCookie, "/")
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
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

// safeReturn keeps post-login redirects on this site.
func safeReturn(to string) string {
	if len(to) < 1 || to[0] != '/' || len(to) > 1 && (to[1] == '/' || to[1] == '\\') {
		return "/tai-khoan"
	}
	return to
}
