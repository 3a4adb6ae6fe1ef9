package notify_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/notify/notifysim"
)

const (
	wantZaloText = "Hồ sơ 000.23.01.H08-240320-0001 (Đăng ký khai sinh) đã được gửi đến UBND phường Trần Phú. " +
		"Hạn trả kết quả: 21/03/2024. Tra cứu: https://dichvucong.binhdinh.gov.vn/TraCuu?ma=000.23.01.H08-240320-0001"
	wantSMSText = "Ho so 000.23.01.H08-240320-0001 (Dang ky khai sinh) da duoc gui den UBND phuong Tran Phu. " +
		"Han tra ket qua: 21/03/2024. Tra cuu: https://dichvucong.binhdinh.gov.vn/TraCuu?ma=000.23.01.H08-240320-0001"
)

func TestDeliverZaloAndSMS(t *testing.T) {
	t.Parallel()
	for _, unicodeSMS := range []bool{false, true} {
		t.Run(fmt.Sprintf("unicode=%v", unicodeSMS), func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			g := setupGateways(t, notifysim.Options{}, unicodeSMS)
			c := newClock()
			z := enqueue(t, s, motcua.ChannelZalo, "0905 123 456", "d1:received:zalo", c.Now())
			m := enqueue(t, s, motcua.ChannelSMS, "+84905123456", "d1:received:sms", c.Now())
			w := notify.NewWorker(s, g.router, notify.WorkerConfig{Now: c.Now})
			runOnce(t, w, 2)
			runOnce(t, w, 0)

			for _, id := range []string{z.ID, m.ID} {
				n := get(t, s, id)
				if n.DeliveredAt.IsZero() || !n.FailedAt.IsZero() || n.Attempts != 1 || n.LastError != "" {
					t.Errorf("%s after delivery: %+v", n.Channel, n)
				}
			}
			msgs := g.sim.Messages()
			if len(msgs) != 2 {
				t.Fatalf("simulator received %d messages, want 2: %+v", len(msgs), msgs)
			}
			byChannel := map[string]notifysim.Message{}
			for _, msg := range msgs {
				byChannel[msg.Channel] = msg
			}
			zm, sm := byChannel["zalo"], byChannel["sms"]
			if zm.Text != wantZaloText || zm.Phone != "84905123456" || zm.DedupeKey != "d1:received:zalo" ||
				zm.TemplateID != "dev-dossier-received" || zm.Data["procedure"] != "Đăng ký khai sinh" {
				t.Errorf("zalo message = %+v", zm)
			}
			wantSMS := wantSMSText
			if unicodeSMS {
				wantSMS = wantZaloText
			}
			if sm.Text != wantSMS || sm.Phone != "84905123456" || sm.DedupeKey != "d1:received:sms" ||
				sm.Brandname != "UBND.BDINH" || sm.Unicode != unicodeSMS {
				t.Errorf("sms message = %+v\nwant text %q", sm, wantSMS)
			}
		})
	}
}

// TestGatewayOutage: while the gateways answer 503 every attempt is
// recorded and the message waits longer each time; when they recover,
// it is delivered exactly once.
func TestGatewayOutage(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	g := setupGateways(t, notifysim.Options{}, false)
	g.sim.SetFailure(notifysim.Mode503)
	c := newClock()
	ids := []string{
		enqueue(t, s, motcua.ChannelZalo, "0905123456", "d1:zalo", c.Now()).ID,
		enqueue(t, s, motcua.ChannelSMS, "0905123456", "d1:sms", c.Now()).ID,
	}
	const base = 5 * time.Second
	w := notify.NewWorker(s, g.router, notify.WorkerConfig{Now: c.Now, Backoff: base})

	var lastDelay [2]time.Duration
	for attempt := 1; attempt <= 4; attempt++ {
		runOnce(t, w, 2)
		now := c.Now()
		nominal := base << (attempt - 1)
		var first, due time.Time
		for i, id := range ids {
			n := get(t, s, id)
			if n.Attempts != attempt || !n.DeliveredAt.IsZero() || !n.FailedAt.IsZero() || !strings.Contains(n.LastError, "503") {
				t.Fatalf("attempt %d: %+v", attempt, n)
			}
			delay := n.NextAttemptAt.Sub(now)
			if delay < nominal/2 || delay > nominal {
				t.Fatalf("attempt %d: retry in %v, want within [%v, %v]", attempt, delay, nominal/2, nominal)
			}
			if delay < lastDelay[i] {
				t.Fatalf("attempt %d: backoff shrank from %v to %v", attempt, lastDelay[i], delay)
			}
			lastDelay[i] = delay
			if n.NextAttemptAt.After(due) {
				due = n.NextAttemptAt
			}
			if first.IsZero() || n.NextAttemptAt.Before(first) {
				first = n.NextAttemptAt
			}
		}
		// Not due before its retry time.
		c.Set(first.Add(-time.Microsecond))
		runOnce(t, w, 0)
		c.Set(due)
	}
	if got := len(g.sim.Messages()); got != 0 {
		t.Fatalf("the simulator recorded %d messages during the outage", got)
	}

	g.sim.SetFailure(notifysim.ModeNone)
	runOnce(t, w, 2)
	for _, id := range ids {
		if n := get(t, s, id); n.DeliveredAt.IsZero() || n.Attempts != 5 || n.LastError != "" {
			t.Fatalf("after recovery: %+v", n)
		}
	}
	c.Add(24 * time.Hour)
	runOnce(t, w, 0)
	st := g.sim.State()
	if st.Received != 2 || st.Duplicates != 0 || st.Failed != 8 || len(g.sim.Messages()) != 2 {
		t.Fatalf("simulator state = %+v", st)
	}
}

func TestGiveUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	g := setupGateways(t, notifysim.Options{}, false)
	g.sim.SetFailure(notifysim.Mode503)
	c := newClock()
	n := enqueue(t, s, motcua.ChannelSMS, "0905123456", "k", c.Now())
	w := notify.NewWorker(s, g.router, notify.WorkerConfig{Now: c.Now, MaxAttempts: 3, Backoff: time.Second})
	for range 3 {
		runOnce(t, w, 1)
		c.Add(time.Hour)
	}
	runOnce(t, w, 0)
	if got := get(t, s, n.ID); got.FailedAt.IsZero() || got.Attempts != 3 {
		t.Fatalf("after 3 outages: %+v", got)
	}
}

// TestPermanentFailure: a refusal (400), an unknown template, a bad phone
// number and a channel without a sender are each given up after one
// attempt.
func TestPermanentFailure(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	g := setupGateways(t, notifysim.Options{}, false)
	g.sim.SetFailure(notifysim.Mode400)
	c := newClock()
	refused := enqueue(t, s, motcua.ChannelZalo, "0905123456", "refused", c.Now())
	refusedSMS := enqueue(t, s, motcua.ChannelSMS, "0905123456", "refused-sms", c.Now())
	badPhone := enqueue(t, s, motcua.ChannelSMS, "12345", "bad-phone", c.Now())
	noSender := enqueue(t, s, motcua.ChannelEmail, "an@example.vn", "no-sender", c.Now())
	unknown := &motcua.Notification{Channel: motcua.ChannelSMS, Recipient: "0905123456", Template: "no_such_template",
		DedupeKey: "unknown", CreatedAt: c.Now()}
	if err := s.EnqueueNotification(t.Context(), unknown); err != nil {
		t.Fatal(err)
	}
	missing := &motcua.Notification{Channel: motcua.ChannelZalo, Recipient: "0905123456", Template: notify.TemplateDossierStatus,
		Params: map[string]string{"code": dossierCode}, DedupeKey: "missing", CreatedAt: c.Now()}
	if err := s.EnqueueNotification(t.Context(), missing); err != nil {
		t.Fatal(err)
	}
	w := notify.NewWorker(s, g.router, notify.WorkerConfig{Now: c.Now, Concurrency: 10})
	runOnce(t, w, 6)
	for id, want := range map[string]string{
		refused.ID: "HTTP 400", refusedSMS.ID: "HTTP 400", badPhone.ID: "not a Vietnamese number",
		noSender.ID: `no sender configured for channel "email"`, unknown.ID: `unknown template "no_such_template"`,
		missing.ID: `parameter "status" is missing`,
	} {
		n := get(t, s, id)
		if n.FailedAt.IsZero() || !n.DeliveredAt.IsZero() || n.Attempts != 1 || !strings.Contains(n.LastError, want) {
			t.Errorf("%s: %+v, want given up with %q", n.DedupeKey, n, want)
		}
	}
	c.Add(48 * time.Hour)
	runOnce(t, w, 0)
	if st := g.sim.State(); st.Received != 0 || st.Failed != 2 {
		t.Fatalf("simulator state = %+v", st)
	}
}

// TestRestart: a worker is stopped while its send hangs at a gateway that
// has already accepted the message; the process's store is closed. A new
// store on the same database file and a new worker deliver the message
// when the lease ends, and the gateway keeps it once.
func TestRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "motcua.db")
	g := setupGateways(t, notifysim.Options{SlowDelay: time.Minute}, false)
	g.sim.SetFailure(notifysim.ModeSlow)
	c := newClock()

	s1 := openStore(t, path)
	n := enqueue(t, s1, motcua.ChannelSMS, "0905123456", "d1:received:sms", c.Now())
	const lease = time.Minute
	w1 := notify.NewWorker(s1, g.router, notify.WorkerConfig{Now: c.Now, Lease: lease, PollInterval: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w1.Run(ctx) }()
	eventually(t, "the first attempt to reach the gateway", func() bool { return g.sim.State().Received == 1 })
	cancel() // the process stops while the gateway holds its answer
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop after its context was cancelled")
	}
	if got := get(t, s1, n.ID); !got.DeliveredAt.IsZero() || !got.FailedAt.IsZero() || got.Attempts != 0 {
		t.Fatalf("after the interrupted send: %+v", got)
	}
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}

	g.sim.SetFailure(notifysim.ModeNone)
	s2 := openStore(t, path)
	t.Cleanup(func() { s2.Close() })
	w2 := notify.NewWorker(s2, g.router, notify.WorkerConfig{Now: c.Now, Lease: lease})
	c.Add(lease / 2)
	runOnce(t, w2, 0) // still leased by the stopped worker
	c.Add(lease/2 + time.Second)
	runOnce(t, w2, 1)
	if got := get(t, s2, n.ID); got.DeliveredAt.IsZero() || got.Attempts != 1 {
		t.Fatalf("after the restart: %+v", got)
	}
	msgs := g.sim.Messages()
	if st := g.sim.State(); len(msgs) != 1 || st.Received != 1 || st.Duplicates != 1 || msgs[0].Text != wantSMSText {
		t.Fatalf("simulator: state %+v, messages %+v", st, msgs)
	}
}

// TestConcurrentWorkers: three workers, each with its own connection to
// the database as separate processes would have, deliver 100 messages,
// each exactly once.
func TestConcurrentWorkers(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "motcua.db")
	g := setupGateways(t, notifysim.Options{}, false)
	seed := openStore(t, path)
	t.Cleanup(func() { seed.Close() })
	const total = 100
	now := time.Now().UTC()
	for i := range total {
		ch := motcua.ChannelSMS
		if i%2 == 1 {
			ch = motcua.ChannelZalo
		}
		enqueue(t, seed, ch, fmt.Sprintf("09%08d", i), fmt.Sprintf("d%d:received:%s", i, ch), now)
	}

	ctx, cancel := context.WithCancel(t.Context())
	errs := make(chan error, 3)
	for range 3 {
		s := openStore(t, path)
		t.Cleanup(func() { s.Close() })
		w := notify.NewWorker(s, g.router, notify.WorkerConfig{Concurrency: 4, PollInterval: 5 * time.Millisecond})
		go func() { errs <- w.Run(ctx) }()
	}
	eventually(t, "all messages delivered", func() bool {
		list, err := seed.ListNotifications(t.Context(), motcua.NotificationFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range list {
			if n.DeliveredAt.IsZero() {
				return false
			}
		}
		return len(list) == total
	})
	cancel()
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}

	list, err := seed.ListNotifications(t.Context(), motcua.NotificationFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range list {
		if n.Attempts != 1 || n.LastError != "" {
			t.Errorf("%s: attempts %d, last error %q", n.DedupeKey, n.Attempts, n.LastError)
		}
	}
	msgs := g.sim.Messages()
	seen := make(map[string]bool)
	for _, m := range msgs {
		if seen[m.DedupeKey] {
			t.Errorf("%s recorded twice", m.DedupeKey)
		}
		seen[m.DedupeKey] = true
	}
	if st := g.sim.State(); len(msgs) != total || len(seen) != total || st.Received != total || st.Duplicates != 0 {
		t.Fatalf("simulator: %d messages, %d keys, state %+v", len(msgs), len(seen), st)
	}
}

// failingSender fails every send with err.
type failingSender struct{ err error }

func (f failingSender) Send(context.Context, *motcua.Notification) error { return f.err }

func TestBackoffHonoursRetryAfterAndCap(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	c := newClock()
	asked := enqueue(t, s, motcua.ChannelSMS, "0905123456", "asked", c.Now())
	w := notify.NewWorker(s, failingSender{notify.RetryAfter(errors.New("busy"), 20*time.Minute)},
		notify.WorkerConfig{Now: c.Now, Backoff: time.Second, MaxBackoff: 30 * time.Minute})
	runOnce(t, w, 1)
	if d := get(t, s, asked.ID).NextAttemptAt.Sub(c.Now()); d < 20*time.Minute || d > 30*time.Minute {
		t.Fatalf("Retry-After of 20 minutes: retry in %v", d)
	}

	capped := enqueue(t, s, motcua.ChannelSMS, "0905123456", "capped", c.Now())
	w = notify.NewWorker(s, failingSender{errors.New("down")},
		notify.WorkerConfig{Now: c.Now, Backoff: time.Minute, MaxBackoff: 3 * time.Minute, MaxAttempts: 100})
	for range 6 {
		c.Add(time.Hour)
		runOnce(t, w, 2)
	}
	if d := get(t, s, capped.ID).NextAttemptAt.Sub(c.Now()); d < 90*time.Second || d > 3*time.Minute {
		t.Fatalf("capped backoff: retry in %v, want within [1m30s, 3m]", d)
	}
}

// TestRunRecordsDeliveryDespiteShutdown: a send that succeeds as the
// worker is stopped is still recorded, so it is not sent again.
func TestRunRecordsDeliveryDespiteShutdown(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	n := enqueue(t, s, motcua.ChannelSMS, "0905123456", "k", time.Now().UTC())
	ctx, cancel := context.WithCancel(t.Context())
	sender := notify.SenderFunc(func(context.Context, *motcua.Notification) error {
		cancel()
		return nil
	})
	w := notify.NewWorker(s, sender, notify.WorkerConfig{PollInterval: 5 * time.Millisecond})
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if got := get(t, s, n.ID); got.DeliveredAt.IsZero() {
		t.Fatalf("delivery made during shutdown not recorded: %+v", got)
	}
}
