package notify_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/notify/notifysim"
	"github.com/motcua/motcua/internal/sqldb"
	"github.com/motcua/motcua/internal/sqlite"
)

// clock is a settable clock for workers.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().UTC().Truncate(time.Microsecond)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// openStore opens and migrates the SQLite database at path.
func openStore(t testing.TB, path string) *sqldb.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(context.Background()); err != nil {
		s.Close()
		t.Fatal(err)
	}
	return s
}

func newStore(t testing.TB) *sqldb.Store {
	s := openStore(t, filepath.Join(t.TempDir(), "motcua.db"))
	t.Cleanup(func() { s.Close() })
	return s
}

// bundle is a simulator on an HTTP server and a Router speaking to it.
type bundle struct {
	sim    *notifysim.Simulator
	url    string
	router notify.Router
}

func setupGateways(t testing.TB, opts notifysim.Options, unicodeSMS bool) *bundle {
	t.Helper()
	sim := notifysim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	zalo, err := notify.NewZalo(notify.ZaloConfig{BaseURL: srv.URL, AccessToken: notifysim.DefaultAccessToken,
		TemplateIDs: notifysim.DefaultTemplateIDs()})
	if err != nil {
		t.Fatal(err)
	}
	sms, err := notify.NewSMS(notify.SMSConfig{BaseURL: srv.URL, APIKey: notifysim.DefaultAPIKey,
		Brandname: "UBND.BDINH", Unicode: unicodeSMS})
	if err != nil {
		t.Fatal(err)
	}
	return &bundle{sim: sim, url: srv.URL, router: notify.Router{motcua.ChannelZalo: zalo, motcua.ChannelSMS: sms}}
}

const dossierCode = "000.23.01.H08-240320-0001"

func receivedParams() map[string]string {
	return map[string]string{
		"code":      dossierCode,
		"procedure": "Đăng ký khai sinh",
		"agency":    "UBND phường Trần Phú",
		"due_date":  "21/03/2024",
		"url":       "https://dichvucong.binhdinh.gov.vn/TraCuu?ma=" + dossierCode,
	}
}

// enqueue queues a dossier_received message due at now.
func enqueue(t testing.TB, s motcua.NotificationStore, ch motcua.NotifyChannel, recipient, key string, now time.Time) *motcua.Notification {
	t.Helper()
	n := &motcua.Notification{Channel: ch, Recipient: recipient, Template: notify.TemplateDossierReceived,
		Params: receivedParams(), DedupeKey: key, DossierID: "d1", CreatedAt: now}
	if err := s.EnqueueNotification(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	return n
}

// get returns the outbox row with the given id.
func get(t testing.TB, s motcua.NotificationStore, id string) *motcua.Notification {
	t.Helper()
	list, err := s.ListNotifications(context.Background(), motcua.NotificationFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range list {
		if n.ID == id {
			return n
		}
	}
	t.Fatalf("notification %s not in the outbox", id)
	return nil
}

func runOnce(t testing.TB, w *notify.Worker, want int) {
	t.Helper()
	n, err := w.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("RunOnce handled %d messages, want %d", n, want)
	}
}

// eventually polls cond every 10ms for up to 20 seconds.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute) // generous: -race on a loaded 2-core machine
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
