package web

import (
	"context"
	"net/http"

	"github.com/motcua/motcua/internal/httpx"
)

// healthz answers while the process can serve HTTP at all.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.cfg.Version})
}

// readyz answers 200 only when the database and the blob store are
// reachable; a load balancer stops sending traffic otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	checks := map[string]string{}
	ok := true
	for name, ping := range map[string]func(context.Context) error{
		"database": s.cfg.Store.Ping,
		"blobs":    s.cfg.Blobs.Ping,
	} {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ReadyTimeout)
		err := ping(ctx)
		cancel()
		if err != nil {
			ok = false
			checks[name] = "unavailable"
			httpx.Logger(r.Context()).Warn("readiness check failed", "check", name, "err", err)
			continue
		}
		checks[name] = "ok"
	}
	status := http.StatusOK
	body := map[string]any{"status": "ok", "checks": checks}
	if !ok {
		status = http.StatusServiceUnavailable
		body["status"] = "unavailable"
	}
	httpx.WriteJSON(w, status, body)
}
