package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// testDemoKeys: the first value kept under a name wins, also when several
// callers keep one at once.
func testDemoKeys(t *testing.T, newStore NewStore) {
	s := newStore(t)
	ctx := context.Background()
	_, err := s.DemoKey(ctx, "ca")
	wantErr(t, err, motcua.ENOTFOUND, "demo_key_not_found")
	got, err := s.KeepDemoKey(ctx, "ca", []byte("first"))
	must(t, err)
	if string(got) != "first" {
		t.Fatalf("KeepDemoKey = %q, want first", got)
	}
	if got, err = s.KeepDemoKey(ctx, "ca", []byte("second")); err != nil || string(got) != "first" {
		t.Fatalf("KeepDemoKey again = %q, %v; want the first value", got, err)
	}
	if got, err = s.DemoKey(ctx, "ca"); err != nil || string(got) != "first" {
		t.Fatalf("DemoKey = %q, %v", got, err)
	}

	const n = 8
	var wg sync.WaitGroup
	results := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := s.KeepDemoKey(ctx, "agency:race", fmt.Appendf(nil, "node %d", i))
			if err != nil {
				t.Error(err)
				return
			}
			results[i] = string(v)
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r == "" || r != results[0] {
			t.Fatalf("caller %d got %q, caller 0 got %q: the callers disagree", i, r, results[0])
		}
	}
}

// testJobLeases: one holder at a time; an expired lease is taken over;
// the holder extends its own.
func testJobLeases(t *testing.T, newStore NewStore) {
	s := newStore(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	take := func(name, holder string, at time.Time) bool {
		t.Helper()
		ok, err := s.TakeJobLease(ctx, name, holder, at, time.Minute)
		must(t, err)
		return ok
	}
	if !take("cleanup", "a", now) {
		t.Fatal("a did not get a free lease")
	}
	if take("cleanup", "b", now.Add(30*time.Second)) {
		t.Fatal("b took a's lease before it expired")
	}
	if !take("cleanup", "a", now.Add(50*time.Second)) {
		t.Fatal("a could not extend its own lease")
	}
	if take("cleanup", "b", now.Add(100*time.Second)) {
		t.Fatal("b took a's extended lease before it expired")
	}
	if !take("kpi", "b", now) {
		t.Fatal("another job's lease is not independent")
	}
	if !take("cleanup", "b", now.Add(111*time.Second)) {
		t.Fatal("b could not take an expired lease")
	}
	if take("cleanup", "a", now.Add(112*time.Second)) {
		t.Fatal("a took back b's lease")
	}

	// Of many callers at once, exactly one holds a free lease.
	const n = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	winners := 0
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.TakeJobLease(ctx, "race", fmt.Sprintf("node%d", i), now, time.Minute)
			if err != nil {
				t.Error(err)
				return
			}
			if ok {
				mu.Lock()
				winners++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if winners != 1 {
		t.Fatalf("%d callers hold the lease, want 1", winners)
	}
}

// testReferenceDataVersion: every change of an agency or a procedure moves
// the version other nodes watch to drop their cached copies.
func testReferenceDataVersion(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	v0, err := s.SettingsVersion(ctx, motcua.SettingReferenceData)
	must(t, err)
	a := *b.commune
	a.Name += " (mới)"
	must(t, s.UpdateAgency(ctx, &a))
	v1, err := s.SettingsVersion(ctx, motcua.SettingReferenceData)
	must(t, err)
	if v1 == v0 {
		t.Fatal("updating an agency did not move the reference data version")
	}
	p, err := s.GetProcedure(ctx, b.marriage.Code)
	must(t, err)
	p.Name += " (sửa đổi)"
	must(t, s.UpdateProcedure(ctx, p))
	v2, err := s.SettingsVersion(ctx, motcua.SettingReferenceData)
	must(t, err)
	if v2 == v1 {
		t.Fatal("updating a procedure did not move the reference data version")
	}
}
