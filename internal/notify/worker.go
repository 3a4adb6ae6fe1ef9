package notify

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// WorkerConfig configures a Worker. Zero fields take the defaults.
type WorkerConfig struct {
	// Concurrency is how many messages are sent at once (default 4).
	Concurrency int
	// Lease is how long a claimed message stays invisible to other
	// workers (default 1 minute). A worker that dies mid-send leaves its
	// messages to be claimed again when their lease ends.
	Lease time.Duration
	// SendTimeout bounds one Send (default 30 seconds). It must be
	// shorter than Lease, or another worker could claim a message that is
	// still being sent; it is cut to half the lease otherwise.
	SendTimeout time.Duration
	// PollInterval is how long an idle worker waits before looking for
	// due messages again (default 1 second).
	PollInterval time.Duration
	// MaxAttempts is how many failed attempts make the worker give a
	// message up (default 10).
	MaxAttempts int
	// Backoff is the delay after the first failed attempt (default 5
	// seconds); it doubles with every further attempt up to MaxBackoff
	// (default 1 hour), and each delay is drawn from its upper half so
	// that messages failed together are not retried together.
	Backoff    time.Duration
	MaxBackoff time.Duration
	// Now is the clock (time.Now when nil); tests move it forward to
	// expire leases and reach retry times.
	Now func() time.Time
	// Logger receives one line per attempt. Discarded when nil.
	Logger *slog.Logger
}

// Worker delivers the outbox. Several workers, in one process or many,
// may share a store: the store's leased claims keep them from taking the
// same message at the same time.
type Worker struct {
	store  motcua.NotificationStore
	sender Sender
	cfg    WorkerConfig
	log    *slog.Logger
}

// NewWorker returns a worker that delivers store's messages with sender.
func NewWorker(store motcua.NotificationStore, sender Sender, cfg WorkerConfig) *Worker {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.Lease <= 0 {
		cfg.Lease = time.Minute
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = 30 * time.Second
	}
	if cfg.SendTimeout >= cfg.Lease {
		cfg.SendTimeout = cfg.Lease / 2
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 10
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 5 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = time.Hour
	}
	if cfg.MaxBackoff < cfg.Backoff {
		cfg.MaxBackoff = cfg.Backoff
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Worker{store: store, sender: sender, cfg: cfg, log: log}
}

// Run delivers due messages until ctx is done, then waits for the sends
// under way to end (their contexts are cancelled) and returns nil. A
// message whose send was interrupted is not marked: its lease expires and
// a worker retries it. Store errors are logged and retried after the poll
// interval, so that a database restart does not stop delivery.
func (w *Worker) Run(ctx context.Context) error {
	w.log.Info("notification worker started", "concurrency", w.cfg.Concurrency, "lease", w.cfg.Lease,
		"max_attempts", w.cfg.MaxAttempts)
	slots := make(chan struct{}, w.cfg.Concurrency)
	var wg sync.WaitGroup
	defer func() {
		wg.Wait()
		w.log.Info("notification worker stopped")
	}()
	for {
		// Wait for a free slot, then claim as many messages as there are
		// free slots: claiming more would let leases run out while
		// messages wait for a slot.
		select {
		case slots <- struct{}{}:
			<-slots
		case <-ctx.Done():
			return nil
		}
		free := cap(slots) - len(slots)
		batch, err := w.store.ClaimNotifications(ctx, w.cfg.Now(), w.cfg.Lease, free)
		if err != nil && ctx.Err() == nil {
			w.log.Error("claim notifications", "err", err)
		}
		for _, n := range batch {
			slots <- struct{}{} // never blocks: only this loop takes slots
			wg.Add(1)
			go func() {
				defer func() { <-slots; wg.Done() }()
				w.deliver(ctx, n)
			}()
		}
		if err == nil && len(batch) == free {
			continue // more may be due at once
		}
		if !sleep(ctx, w.cfg.PollInterval) {
			return nil
		}
	}
}

// RunOnce claims the messages due now, at most Concurrency of them,
// attempts each once and returns how many it claimed. Tests and tools
// use it to step delivery; Run is for serving.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	batch, err := w.store.ClaimNotifications(ctx, w.cfg.Now(), w.cfg.Lease, w.cfg.Concurrency)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	for _, n := range batch {
		wg.Go(func() { w.deliver(ctx, n) })
	}
	wg.Wait()
	return len(batch), nil
}

// markTimeout bounds recording an outcome; it is detached from the run's
// context, so that a delivery made just before shutdown is still
// recorded rather than repeated.
const markTimeout = 10 * time.Second

// deliver attempts n once and records the outcome.
func (w *Worker) deliver(ctx context.Context, n *motcua.Notification) {
	sctx, cancel := context.WithTimeout(ctx, w.cfg.SendTimeout)
	err := w.sender.Send(sctx, n)
	cancel()
	attempt := n.Attempts + 1
	log := w.log.With("notification", n.ID, "channel", n.Channel, "template", n.Template,
		"dedupe_key", n.DedupeKey, "attempt", attempt)
	mctx, mcancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer mcancel()
	now := w.cfg.Now()
	if err == nil {
		if err := w.store.MarkNotificationDelivered(mctx, n.ID, now); err != nil {
			// Delivered but not recorded: it will be sent again when the
			// lease ends, and the gateway drops it by its dedupe key.
			log.Error("notification delivered, but recording it failed", "err", err)
			return
		}
		log.Info("notification delivered")
		return
	}
	if ctx.Err() != nil {
		log.Info("notification send interrupted by shutdown; it is retried when its lease ends", "err", err)
		return
	}
	giveUp := IsPermanent(err) || attempt >= w.cfg.MaxAttempts
	next := now.Add(w.backoff(attempt, retryDelay(err)))
	if merr := w.store.MarkNotificationFailed(mctx, n.ID, now, err.Error(), next, giveUp); merr != nil {
		// Its lease ends and it is retried, this attempt uncounted.
		log.Error("notification failed, and recording it failed too", "send_err", err, "err", merr)
		return
	}
	if giveUp {
		log.Warn("notification given up", "err", err, "permanent", IsPermanent(err))
		return
	}
	log.Warn("notification failed; will retry", "err", err, "next_attempt_at", next)
}

// backoff returns the delay before the attempt after the given one:
// Backoff·2^(attempt-1) capped at MaxBackoff, drawn uniformly from its
// upper half, and then at least what the gateway asked for, within the
// cap.
func (w *Worker) backoff(attempt int, asked time.Duration) time.Duration {
	d := w.cfg.Backoff
	for i := 1; i < attempt && d < w.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.cfg.MaxBackoff)
	d = d/2 + rand.N(d/2+1)
	return min(max(d, asked), w.cfg.MaxBackoff)
}

// sleep waits for d; false when ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
