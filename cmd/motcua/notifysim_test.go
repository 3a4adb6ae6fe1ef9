package main

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/notify/notifysim"
)

func TestNotifySimUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--fail", "sometimes"},
		{"--slow-delay", "0s"},
		{"--slow-delay", "1h"},
		{"--sms-key", ""},
		{"--max-messages", "0"},
		{"extra"},
		{"--no-such-flag"},
	} {
		err := runNotifySim(t.Context(), args, io.Discard, io.Discard)
		if !errors.As(err, new(usageError)) {
			t.Errorf("notify-sim %v: err = %v, want a usage error", args, err)
		}
	}
}

func TestNotifySimServe(t *testing.T) {
	t.Parallel()
	base, stop := startSimulator(t, runNotifySim, "--fail", "503", "--sms-key", "k", "--log-format", "text")
	sms, err := notify.NewSMS(notify.SMSConfig{BaseURL: base, APIKey: "k", Brandname: "MOTCUA"})
	if err != nil {
		t.Fatal(err)
	}
	n := &motcua.Notification{Channel: motcua.ChannelSMS, Recipient: "0905123456", Template: notify.TemplateDossierStatus,
		Params: map[string]string{"code": "000.23.01.H08-240320-0001", "status": "Đã xử lý xong"}, DedupeKey: "k1"}
	// --fail 503: an outage, retryable.
	if err := sms.Send(t.Context(), n); err == nil || notify.IsPermanent(err) || !strings.Contains(err.Error(), "503") {
		t.Fatalf("in an outage: %v", err)
	}
	resp, err := http.Post(base+notifysim.PathFailure, "application/json", strings.NewReader(`{"mode":"none"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := sms.Send(t.Context(), n); err != nil {
		t.Fatal(err)
	}
	resp, err = http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "Ho so 000.23.01.H08-240320-0001 da chuyen sang trang thai: Da xu ly xong.") {
		t.Fatalf("the page does not list the message:\n%s", page)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}
