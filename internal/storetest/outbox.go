package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func testOutbox(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	now := time.Date(2024, 3, 20, 8, 0, 0, 0, time.UTC)
	n := &motcua.Notification{Channel: motcua.ChannelSMS, Recipient: "0905123456", Template: "dossier_received",
		Params: map[string]string{"code": "000.23.01.H08-240320-0001"}, DedupeKey: "d1:sms", SubjectCode: b.citizen.Code,
		DossierID: "d1", CreatedAt: now}
	must(t, s.EnqueueNotification(ctx, n))
	first := n.ID
	again := *n
	again.ID = ""
	// The same event queued twice (a retried transaction) is one message,
	// even inside a transaction that goes on.
	must(t, s.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.EnqueueNotification(ctx, &again); err != nil {
			return err
		}
		return tx.EnqueueNotification(ctx, &motcua.Notification{Channel: motcua.ChannelZalo, Recipient: "0905123456",
			Template: "dossier_received", DedupeKey: "d1:zalo", SubjectCode: b.citizen.Code, DossierID: "d1", CreatedAt: now})
	}))
	if again.ID != first {
		t.Fatalf("dedupe: got id %s, want the existing %s", again.ID, first)
	}
	must(t, s.EnqueueNotification(ctx, &motcua.Notification{Channel: motcua.ChannelEmail, Recipient: "an@example.vn",
		Template: "x", DedupeKey: "later", CreatedAt: now, NextAttemptAt: now.Add(time.Hour)}))

	claimed, err := s.ClaimNotifications(ctx, now, time.Minute, 10)
	must(t, err)
	if len(claimed) != 2 || claimed[0].Params["code"] != "000.23.01.H08-240320-0001" && claimed[1].Params["code"] != "000.23.01.H08-240320-0001" {
		t.Fatalf("claimed = %+v", claimed)
	}
	// Claimed messages are leased: not due again until the lease ends.
	if more, _ := s.ClaimNotifications(ctx, now.Add(30*time.Second), time.Minute, 10); len(more) != 0 {
		t.Fatalf("claimed again during the lease: %d", len(more))
	}
	must(t, s.MarkNotificationDelivered(ctx, first, now.Add(time.Second)))
	var other string
	for _, c := range claimed {
		if c.ID != first {
			other = c.ID
		}
	}
	must(t, s.MarkNotificationFailed(ctx, other, now.Add(time.Second), "gateway 503", now.Add(2*time.Minute), false))
	// After the lease: the failed one is due at its retry time, the delivered one never.
	if due, _ := s.ClaimNotifications(ctx, now.Add(90*time.Second), time.Minute, 10); len(due) != 0 {
		t.Fatalf("due before the retry time: %+v", due)
	}
	due, err := s.ClaimNotifications(ctx, now.Add(3*time.Minute), time.Minute, 10)
	must(t, err)
	if len(due) != 1 || due[0].ID != other || due[0].Attempts != 1 || due[0].LastError != "gateway 503" {
		t.Fatalf("retry = %+v", due)
	}
	must(t, s.MarkNotificationFailed(ctx, other, now.Add(3*time.Minute), "gave up", now.Add(time.Hour), true))
	if due, _ := s.ClaimNotifications(ctx, now.Add(10*time.Hour), time.Minute, 10); len(due) != 1 || due[0].DedupeKey != "later" {
		t.Fatalf("after giving up = %+v", due)
	}
	wantErr(t, s.MarkNotificationDelivered(ctx, "missing", now), motcua.ENOTFOUND, "notification_not_found")

	list, err := s.ListNotifications(ctx, motcua.NotificationFilter{DossierID: "d1"})
	must(t, err)
	if len(list) != 2 {
		t.Fatalf("list = %d", len(list))
	}
	for _, l := range list {
		switch l.ID {
		case first:
			if l.DeliveredAt.IsZero() || l.Attempts != 1 {
				t.Errorf("delivered = %+v", l)
			}
		case other:
			if l.FailedAt.IsZero() || l.Attempts != 2 {
				t.Errorf("given up = %+v", l)
			}
		}
	}
}

// testOutboxConcurrentClaims: workers claiming at once never get the same
// message.
func testOutboxConcurrentClaims(t *testing.T, newStore NewStore) {
	s, _ := setup(t, newStore)
	ctx := context.Background()
	now := time.Date(2024, 3, 20, 8, 0, 0, 0, time.UTC)
	const total = 200
	for i := range total {
		must(t, s.EnqueueNotification(ctx, &motcua.Notification{Channel: motcua.ChannelSMS, Recipient: "0905123456",
			Template: "t", DedupeKey: fmt.Sprintf("k%d", i), CreatedAt: now}))
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := s.ClaimNotifications(ctx, now, time.Hour, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, n := range got {
					seen[n.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != total {
		t.Fatalf("claimed %d distinct messages, want %d", len(seen), total)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("message %s claimed %d times", id, n)
		}
	}
}
