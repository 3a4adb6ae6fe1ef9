package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/notify/notifysim"
)

// TestHTTPStatusClassification: which gateway answers are retried and
// which give a message up, for both HTTP adapters.
func TestHTTPStatusClassification(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status    int
		body      string
		permanent bool
	}{
		{400, `{"error":{"code":"invalid_phone","message":"số không hợp lệ"}}`, true},
		{404, ``, true},
		{413, `too large`, true},
		{422, `{"message":"bad"}`, true},
		{401, `{"error":{"code":"unauthorized","message":"wrong key"}}`, false},
		{403, ``, false},
		{408, ``, false},
		{429, `{"message":"slow down"}`, false},
		{500, `<html>oops</html>`, false},
		{502, ``, false},
		{503, `{"error":-100,"message":"Unknown error"}`, false},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(tc.status)
			fmt.Fprint(w, tc.body)
		}))
		for _, sender := range adapters(t, srv.URL) {
			err := sender.Send(t.Context(), smsNotification())
			if err == nil || notify.IsPermanent(err) != tc.permanent || !strings.Contains(err.Error(), fmt.Sprintf("HTTP %d", tc.status)) {
				t.Errorf("HTTP %d: err = %v, permanent = %v; want permanent = %v", tc.status, err, notify.IsPermanent(err), tc.permanent)
			}
		}
		srv.Close()
	}
}

// TestZaloErrorCodes: ZNS reports failures with HTTP 200 and a code.
func TestZaloErrorCodes(t *testing.T) {
	t.Parallel()
	for code, permanent := range map[int]bool{
		notify.ZaloErrUnknown: false, notify.ZaloErrAccessToken: false,
		notify.ZaloErrPhoneInvalid: true, notify.ZaloErrTemplateID: true, -118: true,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			json.NewEncoder(w).Encode(notify.ZaloResponse{Error: code, Message: "x"})
		}))
		err := adapters(t, srv.URL)[0].Send(t.Context(), smsNotification())
		if err == nil || notify.IsPermanent(err) != permanent || !strings.Contains(err.Error(), fmt.Sprint(code)) {
			t.Errorf("ZNS error %d: err = %v; want permanent = %v", code, err, permanent)
		}
		srv.Close()
	}
}

func TestGatewayTimeoutIsRetryable(t *testing.T) {
	t.Parallel()
	g := setupGateways(t, notifysim.Options{SlowDelay: time.Minute}, false)
	g.sim.SetFailure(notifysim.ModeSlow)
	for ch, sender := range g.router {
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		n := smsNotification()
		n.DedupeKey = string(ch)
		err := sender.Send(ctx, n)
		cancel()
		if err == nil || notify.IsPermanent(err) {
			t.Errorf("%s: a timed-out send: err = %v, want a retryable error", ch, err)
		}
	}
	if got := g.sim.State().Received; got != 2 {
		t.Fatalf("the slow gateway recorded %d messages, want 2", got)
	}
}

// TestGatewayCredentials: a wrong credential is retried, not given up,
// so that fixing the configuration resumes delivery.
func TestGatewayCredentials(t *testing.T) {
	t.Parallel()
	sim := notifysim.New(notifysim.Options{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	zalo, _ := notify.NewZalo(notify.ZaloConfig{BaseURL: srv.URL, AccessToken: "wrong", TemplateIDs: notifysim.DefaultTemplateIDs()})
	sms, _ := notify.NewSMS(notify.SMSConfig{BaseURL: srv.URL, APIKey: "wrong", Brandname: "MOTCUA"})
	for _, s := range []notify.Sender{zalo, sms} {
		if err := s.Send(t.Context(), smsNotification()); err == nil || notify.IsPermanent(err) {
			t.Errorf("wrong credential: err = %v, want a retryable error", err)
		}
	}
	// A ZNS template id the gateway does not know is permanent.
	zalo, _ = notify.NewZalo(notify.ZaloConfig{BaseURL: srv.URL, AccessToken: notifysim.DefaultAccessToken,
		TemplateIDs: map[string]string{notify.TemplateDossierReceived: "not-registered"}})
	if err := zalo.Send(t.Context(), smsNotification()); !notify.IsPermanent(err) || !strings.Contains(err.Error(), "-109") {
		t.Errorf("unregistered template: err = %v", err)
	}
	if st := sim.State(); st.Received != 0 || st.Rejected != 3 {
		t.Fatalf("simulator state = %+v", st)
	}
}

func TestAdapterConfig(t *testing.T) {
	t.Parallel()
	ids := notifysim.DefaultTemplateIDs()
	for _, cfg := range []notify.ZaloConfig{
		{AccessToken: "", TemplateIDs: ids},
		{AccessToken: "t"},
		{AccessToken: "t", TemplateIDs: map[string]string{"no_such": "1"}},
		{AccessToken: "t", TemplateIDs: map[string]string{notify.TemplateDossierStatus: ""}},
		{BaseURL: "ftp://x", AccessToken: "t", TemplateIDs: ids},
	} {
		if _, err := notify.NewZalo(cfg); err == nil {
			t.Errorf("NewZalo(%+v) accepted", cfg)
		}
	}
	for _, cfg := range []notify.SMSConfig{
		{Brandname: "MOTCUA"},
		{BaseURL: "https://sms.test", Brandname: ""},
		{BaseURL: "https://sms.test", Brandname: "UBND-TINH-BINH-DINH"},
		{BaseURL: "https://sms.test", Brandname: "Một cửa"},
		{BaseURL: "sms.test", Brandname: "MOTCUA"},
	} {
		if _, err := notify.NewSMS(cfg); err == nil {
			t.Errorf("NewSMS(%+v) accepted", cfg)
		}
	}
	if z, err := notify.NewZalo(notify.ZaloConfig{AccessToken: "t", TemplateIDs: ids}); err != nil || z == nil {
		t.Errorf("NewZalo with the default base URL: %v", err)
	}
}

// adapters returns a Zalo and an SMS adapter speaking to url.
func adapters(t *testing.T, url string) []notify.Sender {
	t.Helper()
	zalo, err := notify.NewZalo(notify.ZaloConfig{BaseURL: url, AccessToken: "t", TemplateIDs: notifysim.DefaultTemplateIDs()})
	if err != nil {
		t.Fatal(err)
	}
	sms, err := notify.NewSMS(notify.SMSConfig{BaseURL: url, APIKey: "k", Brandname: "MOTCUA"})
	if err != nil {
		t.Fatal(err)
	}
	return []notify.Sender{zalo, sms}
}

func smsNotification() *motcua.Notification {
	return &motcua.Notification{Channel: motcua.ChannelSMS, Recipient: "0905123456",
		Template: notify.TemplateDossierReceived, Params: receivedParams(), DedupeKey: "k"}
}

// TestRetryAfterHeader: a gateway's Retry-After postpones the retry.
func TestRetryAfterHeader(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	t.Cleanup(srv.Close)
	s := newStore(t)
	c := newClock()
	n := enqueue(t, s, motcua.ChannelSMS, "0905123456", "k", c.Now())
	w := notify.NewWorker(s, adapters(t, srv.URL)[1], notify.WorkerConfig{Now: c.Now})
	runOnce(t, w, 1)
	got := get(t, s, n.ID)
	if d := got.NextAttemptAt.Sub(c.Now()); d < 10*time.Minute || !got.FailedAt.IsZero() || !strings.Contains(got.LastError, "HTTP 429") {
		t.Fatalf("after a 429 with Retry-After: 600: retry in %v, %+v", d, got)
	}
}
