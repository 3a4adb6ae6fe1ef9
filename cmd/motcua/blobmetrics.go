package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/motcua/motcua/internal/blob"
)

// registerBlobMetrics exposes the blob folder's temporary files:
// motcua_blob_temp_files (now in blobs/tmp: uploads being written and
// leftovers of killed processes within their grace period) and
// motcua_blob_temp_removed_total (leftovers deleted since the start).
func registerBlobMetrics(reg prometheus.Registerer, fs blob.TempKeeper) {
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "motcua_blob_temp_files",
			Help: "Files in the blob folder's tmp directory: uploads in progress and leftovers of killed processes."},
			func() float64 {
				n, err := fs.TempFiles()
				if err != nil {
					return -1
				}
				return float64(n)
			}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "motcua_blob_temp_removed_total",
			Help: "Temporary blob files older than the grace period (" + blob.StaleTempAge.String() + ") deleted since the start."},
			func() float64 { return float64(fs.TempRemoved()) }),
	)
}

// sweepBlobTemp deletes the temporary blob files that passed their grace
// period while the server runs (those too young at the start).
func sweepBlobTemp(ctx context.Context, fs blob.TempKeeper, now func() time.Time, logger *slog.Logger) {
	n, err := fs.RemoveStaleTemp(now())
	switch {
	case err != nil && ctx.Err() == nil:
		logger.Error("remove stale temporary blob files", "err", err)
	case n > 0:
		logger.Info("removed stale temporary blob files", "files", n)
	}
}
