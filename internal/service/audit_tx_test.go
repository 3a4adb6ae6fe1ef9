package service_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

// failingAudit is a store whose audit insert fails while fail is set, as
// a crash or a full disk between the change and its event would.
type failingAudit struct {
	motcua.Store
	fail *atomic.Bool
}

func (s failingAudit) InTx(ctx context.Context, fn func(tx motcua.Store) error) error {
	return s.Store.InTx(ctx, func(tx motcua.Store) error { return fn(failingAudit{tx, s.fail}) })
}

func (s failingAudit) AppendAudit(ctx context.Context, es ...*motcua.AuditEvent) error {
	if s.fail.Load() {
		return motcua.Internal(errCrash)
	}
	return s.Store.AppendAudit(ctx, es...)
}

// TestWarehouseChangesAuditedOrUndone: an owner's change to the warehouse
// and its audit event are one transaction; when the event cannot be
// written, the upload, replacement, edit or withdrawal does not happen.
func TestWarehouseChangesAuditedOrUndone(t *testing.T) {
	t.Parallel()
	f := setupWarehouse(t)
	fail := &atomic.Bool{}
	st := failingAudit{f.store, fail}
	w := service.NewWarehouse(st, f.blobs, f.sig.verifier, service.WarehouseConfig{MaxFileSize: 2 << 20, Now: f.clock.Now})
	ctx := context.Background()
	d, _, err := w.Add(ctx, f.owner, service.NewDocument{CategoryCode: f.catKS, DecisionNumber: "1",
		File: service.Upload{Name: "a.pdf", Data: f.sig.pdf(t, "A")}})
	if err != nil {
		t.Fatal(err)
	}

	fail.Store(true)
	if _, _, err := w.Add(ctx, f.owner, service.NewDocument{CategoryCode: f.catKS, DecisionNumber: "2",
		File: service.Upload{Name: "b.pdf", Data: f.sig.pdf(t, "B")}}); !errors.Is(err, errCrash) {
		t.Errorf("Add with the audit failing = %v, want the failure", err)
	}
	if _, _, err := w.Replace(ctx, f.owner, d.ID, 1, service.Upload{Name: "c.pdf", Data: f.sig.pdf(t, "C")}); !errors.Is(err, errCrash) {
		t.Errorf("Replace = %v", err)
	}
	name := "Tên mới"
	if _, err := w.Update(ctx, f.owner, d.ID, service.DocumentUpdate{Name: &name}); !errors.Is(err, errCrash) {
		t.Errorf("Update = %v", err)
	}
	if err := w.Withdraw(ctx, f.owner, d.ID); !errors.Is(err, errCrash) {
		t.Errorf("Withdraw = %v", err)
	}
	fail.Store(false)

	docs, n, err := f.store.ListDocuments(ctx, motcua.DocumentFilter{OwnerCode: f.owner.SubjectCode})
	if err != nil || n != 1 || len(docs) != 1 {
		t.Fatalf("documents after the failed changes: %d (%v), want the first only", n, err)
	}
	got := docs[0]
	if got.Version != 1 || got.File != d.File || got.Name != d.Name || got.Status != motcua.DocumentValid {
		t.Fatalf("document changed without its audit event: %+v", got)
	}
	events, err := f.store.ListAudit(ctx, motcua.AuditFilter{ObjectKind: "document"})
	if err != nil || len(events) != 1 || events[0].Action != "document.create" || events[0].ObjectID != d.ID {
		t.Fatalf("audit events: %v (%v)", events, err)
	}
}
