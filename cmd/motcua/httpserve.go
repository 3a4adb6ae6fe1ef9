package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// serveUntilDone serves srv on ln until ctx is done, then shuts it down
// gracefully, letting in-flight requests finish for at most timeout. With
// forceClose, requests still running then are cut off and that is not an
// error (simulators holding deliberately slow answers).
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, logger *slog.Logger, timeout time.Duration, forceClose bool) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", timeout)
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		if !forceClose {
			return fmt.Errorf("shutdown: %w", err)
		}
		srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}
