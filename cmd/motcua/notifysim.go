package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/notify/notifysim"
)

// runNotifySim implements "motcua notify-sim": it serves the simulator of
// the Zalo ZNS and SMS gateways (docs/notify.md) until ctx is done.
func runNotifySim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("notify-sim",
		"Serve a simulator of the Zalo ZNS and brandname SMS gateways. It records the messages it receives\n"+
			"and lists them on a web page at /; it can be told to fail. The contracts are in docs/notify.md.", stderr)
	addr := fs.String("addr", envDefault("MOTCUA_NOTIFY_ADDR", "127.0.0.1:8092"), "address to listen on [$MOTCUA_NOTIFY_ADDR]")
	fail := fs.String("fail", "none",
		"simulated failure: none, 503 (outage, retried), 400 (refusal, given up) or slow (change at run time: POST "+
			notifysim.PathFailure+")")
	slowDelay := fs.Duration("slow-delay", 30*time.Second, "how long --fail slow holds each answer (at most 10m)")
	token := fs.String("zalo-token", envDefault("MOTCUA_ZALO_ACCESS_TOKEN", notifysim.DefaultAccessToken),
		"Zalo access_token accepted [$MOTCUA_ZALO_ACCESS_TOKEN]")
	key := fs.String("sms-key", envDefault("MOTCUA_SMS_API_KEY", notifysim.DefaultAPIKey),
		"SMS gateway API key accepted (Authorization: Bearer) [$MOTCUA_SMS_API_KEY]")
	maxMessages := fs.Int("max-messages", 1000, "messages kept in memory; the oldest are forgotten first")
	var logCfg commonConfig
	fs.StringVar(&logCfg.LogFormat, "log-format", envDefault("MOTCUA_LOG_FORMAT", "auto"),
		"log format: auto, text or json [$MOTCUA_LOG_FORMAT]")
	fs.StringVar(&logCfg.LogLevel, "log-level", envDefault("MOTCUA_LOG_LEVEL", "info"),
		"log level: debug, info, warn or error [$MOTCUA_LOG_LEVEL]")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	mode, err := notifysim.ParseMode(*fail)
	if err != nil {
		return usageError{"--fail: " + err.Error()}
	}
	if *slowDelay <= 0 || *slowDelay > 10*time.Minute {
		return usageError{"--slow-delay must be between 1ns and 10m"}
	}
	if *token == "" || *key == "" {
		return usageError{"--zalo-token and --sms-key must not be empty"}
	}
	if *maxMessages < 1 {
		return usageError{"--max-messages must be at least 1"}
	}
	logger, err := logCfg.logger(stderr)
	if err != nil {
		return err
	}

	sim := notifysim.New(notifysim.Options{AccessToken: *token, APIKey: *key, SlowDelay: *slowDelay,
		MaxMessages: *maxMessages, Logger: logger})
	sim.SetFailure(mode)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() &&
		(*token == notifysim.DefaultAccessToken || *key == notifysim.DefaultAPIKey) {
		logger.Warn("the simulator accepts the public development credentials on a non-loopback address; " +
			"set --zalo-token and --sms-key")
	}
	srv := &http.Server{
		Handler:           sim,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Answers may be held by --fail slow.
		WriteTimeout:   *slowDelay + time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
	}
	url := "http://" + ln.Addr().String()
	logger.Info("notification gateway simulator listening", "url", url, "page", url+notifysim.PathPage,
		"zalo", url+notify.PathZalo, "sms", url+notify.PathSMS, "fail", mode)

	// Answers held back by the slow modes are not worth waiting for.
	return serveUntilDone(ctx, srv, ln, logger, 5*time.Second, true)
}
