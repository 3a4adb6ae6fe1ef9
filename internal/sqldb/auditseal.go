package sqldb

import (
	"context"
	"log/slog"
	"time"

	"github.com/motcua/motcua"
)

// RunAuditSealer seals the audit log every interval until ctx is done,
// so that an event stays changeable without detection for about that
// long. A failed pass is logged and retried at the next tick; what a
// stopped sealer left is sealed by the next one or by `motcua audit`.
func RunAuditSealer(ctx context.Context, st motcua.AuditStore, every time.Duration, log *slog.Logger) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		n, err := st.SealAudit(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("seal audit log", "err", err)
		case n > 0:
			log.Debug("audit events sealed", "events", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
