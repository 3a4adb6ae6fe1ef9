package web

import (
	"net/http"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
)

// errCrossOrigin is the refusal of an unsafe request sent from another
// site (a form elsewhere posting into a logged-in session).
var errCrossOrigin = &motcua.Error{Kind: motcua.EFORBIDDEN, Code: "cross_origin_refused",
	Message: "Yêu cầu bị từ chối vì được gửi từ một trang web khác. Vui lòng mở lại trang trên Cổng và thử lại."}

// crossOriginRefused answers http.CrossOriginProtection's refusals like
// every other error: problem+json under /api/, the error page elsewhere.
func (s *Server) crossOriginRefused(w http.ResponseWriter, r *http.Request) {
	httpx.Logger(r.Context()).Info("cross-origin request refused", "method", r.Method, "path", r.URL.Path,
		"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
	if strings.HasPrefix(r.URL.Path, "/api/") {
		httpx.WriteError(w, r, errCrossOrigin)
		return
	}
	s.renderError(w, r, errCrossOrigin)
}
