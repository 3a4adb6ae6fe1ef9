// Package notify delivers the notification outbox (motcua.Notification)
// to citizens: Zalo ZNS template messages and brandname SMS over HTTPS,
// and e-mail over SMTP. A Worker claims due messages from the outbox,
// hands each to a Sender and records the outcome, retrying with
// exponential backoff; delivery is at least once, and every adapter
// passes the message's dedupe key to its gateway so that a repeat is
// dropped there. docs/notify.md describes the design and the two gateway
// contracts; package notifysim simulates both gateways.
package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// Sender delivers one notification. A nil error means the gateway
// accepted it. An error wrapped by Permanent will fail again however
// often it is retried; any other error is worth retrying.
//
// Send may be called again for a message it already delivered (a worker
// that crashed before recording the delivery), so implementations pass
// n.DedupeKey to their gateway.
type Sender interface {
	Send(ctx context.Context, n *motcua.Notification) error
}

// SenderFunc adapts a function to Sender.
type SenderFunc func(ctx context.Context, n *motcua.Notification) error

// Send implements Sender.
func (f SenderFunc) Send(ctx context.Context, n *motcua.Notification) error { return f(ctx, n) }

// Router is a Sender that dispatches each notification to the Sender of
// its channel. A channel without a Sender fails permanently: nothing
// configured later would deliver the messages already queued for it.
type Router map[motcua.NotifyChannel]Sender

// Send implements Sender.
func (r Router) Send(ctx context.Context, n *motcua.Notification) error {
	s, ok := r[n.Channel]
	if !ok || s == nil {
		return Permanent(fmt.Errorf("no sender configured for channel %q", n.Channel))
	}
	return s.Send(ctx, n)
}

// permanentError marks an error that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return "permanent: " + e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying: the worker gives the message
// up after this attempt. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

// IsPermanent reports whether err, or an error it wraps, was marked by
// Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// retryAfterError carries a gateway's request to wait before retrying.
type retryAfterError struct {
	err   error
	after time.Duration
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

// RetryAfter wraps a retryable err with the delay the gateway asked for
// (an HTTP Retry-After); the worker waits at least that long, within its
// backoff cap. A zero or negative d returns err unchanged.
func RetryAfter(err error, d time.Duration) error {
	if err == nil || d <= 0 {
		return err
	}
	return &retryAfterError{err, d}
}

// retryDelay returns the delay err asks for, 0 when none.
func retryDelay(err error) time.Duration {
	var r *retryAfterError
	if errors.As(err, &r) {
		return r.after
	}
	return 0
}
