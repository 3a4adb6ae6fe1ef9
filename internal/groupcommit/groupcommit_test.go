package groupcommit

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// recorder is a write function that holds each write until released, so
// the test controls what queues behind it.
type recorder struct {
	mu      sync.Mutex
	batches [][]int
	fail    map[int]bool
}

func (r *recorder) write(_ context.Context, items []int) error {
	time.Sleep(time.Millisecond) // a commit takes time; others queue meanwhile
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches = append(r.batches, slices.Clone(items))
	for _, it := range items {
		if r.fail[it] {
			return errors.New("disk full")
		}
	}
	return nil
}

func TestBatcherWritesEveryItemOnceAndGroupsThem(t *testing.T) {
	r := &recorder{}
	b := New(16, r.write)
	const n = 400
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := b.Add(context.Background(), i); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	var all []int
	for _, batch := range r.batches {
		if len(batch) > 16 {
			t.Fatalf("batch of %d items, max 16", len(batch))
		}
		all = append(all, batch...)
	}
	slices.Sort(all)
	if len(all) != n || all[0] != 0 || all[n-1] != n-1 || len(slices.Compact(all)) != n {
		t.Fatalf("written %d items (%v…), want each of 0..%d once", len(all), all[:min(5, len(all))], n-1)
	}
	if len(r.batches) >= n/2 {
		t.Fatalf("%d writes for %d concurrent items: not grouped", len(r.batches), n)
	}
}

func TestBatcherReportsTheWriteErrorToItsBatchOnly(t *testing.T) {
	r := &recorder{fail: map[int]bool{7: true}}
	b := New(1, r.write) // one item per write: only item 7's write fails
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range 20 {
		wg.Go(func() { errs[i] = b.Add(context.Background(), i) })
	}
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i == 7) {
			t.Fatalf("item %d: err = %v", i, err)
		}
	}
}

func TestBatcherCanceledWaitStillWrites(t *testing.T) {
	r := &recorder{}
	release := make(chan struct{})
	slow := New(8, func(ctx context.Context, items []int) error {
		<-release
		return r.write(ctx, items)
	})
	go func() { _ = slow.Add(context.Background(), 1) }() // the leader, held
	time.Sleep(10 * time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := slow.Add(ctx, 2); !errors.Is(err, context.Canceled) {
		t.Fatalf("Add with a canceled context = %v, want context.Canceled", err)
	}
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for {
		r.mu.Lock()
		var all []int
		for _, batch := range r.batches {
			all = append(all, batch...)
		}
		r.mu.Unlock()
		if slices.Contains(all, 2) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("item 2 never written: %v", all)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestBatcherSeveralWriters(t *testing.T) {
	var mu sync.Mutex
	inFlight, most := 0, 0
	var written []int
	b := New(4, func(_ context.Context, items []int) error {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		time.Sleep(2 * time.Millisecond)
		mu.Lock()
		inFlight--
		written = append(written, items...)
		mu.Unlock()
		return nil
	}).Writers(3)
	var wg sync.WaitGroup
	for i := range 300 {
		wg.Go(func() {
			if err := b.Add(context.Background(), i); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	slices.Sort(written)
	if len(written) != 300 || len(slices.Compact(slices.Clone(written))) != 300 {
		t.Fatalf("written %d items, want 300 distinct", len(written))
	}
	if most > 3 {
		t.Fatalf("%d writes in progress at once, at most 3 allowed", most)
	}
	if most < 2 {
		t.Fatalf("writes never overlapped (most in flight = %d)", most)
	}
	// The last writer notices the empty queue just after its callers return.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		b.mu.Lock()
		flushing, pending := b.flushing, len(b.pending)
		b.mu.Unlock()
		if flushing == 0 && pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the run: %d writers, %d pending", flushing, pending)
		}
	}
}
