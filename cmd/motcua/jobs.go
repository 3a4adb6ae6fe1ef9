package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/motcua/motcua"
)

// Periodic jobs on a cluster (several serve nodes on one database). Each
// is safe to run on every node at once; a job lease (motcua.ClusterStore)
// keeps the ones that would repeat work, or external calls, on one node
// per interval:
//
//   - notification delivery (notify.Worker): rows are claimed with row
//     locks and a lease, so each message goes out once; every node runs it.
//   - audit sealing (sqldb.RunAuditSealer): the chain's head row is locked
//     while a batch is sealed: one writer at a time; every node runs it.
//   - identity re-checks (service.IdentityRechecks): due rows are claimed
//     for a minute before the population database is asked; every node
//     runs it.
//   - clean-up of sessions, logins, failures, tokens and stale temporary
//     blobs: idempotent deletes, but the same rows (and the same S3
//     listing) on every node; leased ("cleanup").
//   - the monthly compilation: the month's unique key keeps one snapshot,
//     but each node would compile the whole month; leased ("kpi-snapshot").
//   - the demo data, history and documents (serve --demo): they would be
//     made twice or collide; nodes starting at once take turns through
//     the "demo-seed" lease, released when done (serve.go, seedDemo).

// newNodeID names this process in job leases: host, process and a random
// part, so that a restarted process is another holder.
func newNodeID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// jobLease takes the named lease for ttl and reports whether this node
// runs the job now. A database failure is logged and counts as not held:
// the job runs again on the next tick.
func jobLease(ctx context.Context, store motcua.ClusterStore, name, node string, ttl time.Duration, logger *slog.Logger) bool {
	ok, err := store.TakeJobLease(ctx, name, node, time.Now(), ttl)
	if err != nil {
		if ctx.Err() == nil {
			logger.Error("take job lease", "job", name, "err", err)
		}
		return false
	}
	if !ok {
		logger.Debug("job runs on another node", "job", name)
	}
	return ok
}

// leaseTTL is the lease of a job run every interval: a little shorter
// than the interval, so that the holder takes it again on its next tick
// and another node takes over within two intervals of the holder's end.
func leaseTTL(interval time.Duration) time.Duration { return interval - interval/10 }
