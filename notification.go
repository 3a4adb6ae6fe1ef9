package motcua

import (
	"context"
	"time"
)

// NotifyChannel is how a notification reaches a person.
type NotifyChannel string

const (
	ChannelZalo  NotifyChannel = "zalo"  // Zalo ZNS template message
	ChannelSMS   NotifyChannel = "sms"   // SMS through a brandname gateway
	ChannelEmail NotifyChannel = "email" // e-mail over SMTP
)

// Notification is one message in the durable outbox. It is written in the
// transaction of the event it announces and delivered at least once by
// background workers; DedupeKey lets the gateways drop repeats.
type Notification struct {
	ID          string
	Channel     NotifyChannel
	Recipient   string // phone number or e-mail address
	Template    string // e.g. "dossier_received"
	Params      map[string]string
	DedupeKey   string // unique; enqueueing an existing key is a no-op
	SubjectCode string
	DossierID   string
	Attempts    int
	// NextAttemptAt is when the message is due; a worker that claims it
	// pushes it forward by its lease, so a crashed worker's claim expires.
	NextAttemptAt time.Time
	DeliveredAt   time.Time
	FailedAt      time.Time // set when the worker gave up
	LastError     string
	CreatedAt     time.Time
}

// NotificationFilter selects notifications. Zero fields do not filter.
type NotificationFilter struct {
	SubjectCode string
	DossierID   string
	Limit       int // default 100, at most 1000
}

// Address is where a channel reaches a person: the e-mail address for
// e-mail, the phone number for Zalo and SMS; empty when they have none.
func (ch NotifyChannel) Address(phone, email string) string {
	if ch == ChannelEmail {
		return email
	}
	return phone
}

// NotificationStore is the outbox.
type NotificationStore interface {
	// EnqueueNotification adds each notification unless its DedupeKey is
	// already queued, in which case it does nothing (and sets its ID to
	// the existing one). Several are written in one statement.
	EnqueueNotification(ctx context.Context, ns ...*Notification) error
	// ClaimNotifications returns up to limit undelivered, not given-up
	// notifications due at now, and makes them due again only at
	// now+lease, so that concurrent workers do not take the same one.
	ClaimNotifications(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*Notification, error)
	// MarkNotificationDelivered records a delivery. ENOTFOUND when unknown.
	MarkNotificationDelivered(ctx context.Context, id string, at time.Time) error
	// MarkNotificationFailed records a failed attempt: the message is due
	// again at next, or never when giveUp.
	MarkNotificationFailed(ctx context.Context, id string, at time.Time, msg string, next time.Time, giveUp bool) error
	// ListNotifications returns matching notifications, newest first.
	ListNotifications(ctx context.Context, f NotificationFilter) ([]*Notification, error)
}
