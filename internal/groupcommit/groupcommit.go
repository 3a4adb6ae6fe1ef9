// Package groupcommit writes items from concurrent callers together, one
// durable write per batch instead of one per item, while each caller
// still returns only after its own item is written (or failed). It is the
// database's group commit, done one level up for writes that are their
// own transaction (audit events of population-database reads).
package groupcommit

import (
	"context"
	"sync"
)

// Batcher collects items and writes them with its write function. A
// caller that finds fewer than the allowed writes in progress becomes a
// leader: it writes what has queued, and keeps writing until its own item
// is done; items queued meanwhile go out in the next batch.
type Batcher[T any] struct {
	write   func(ctx context.Context, items []T) error
	max     int
	writers int

	mu       sync.Mutex
	pending  []entry[T]
	flushing int // writes in progress
}

type entry[T any] struct {
	item T
	done chan error
}

// New returns a Batcher that writes at most max items at a time, one
// write at a time.
func New[T any](max int, write func(ctx context.Context, items []T) error) *Batcher[T] {
	return &Batcher[T]{write: write, max: max, writers: 1}
}

// Writers allows n writes in progress at once (default 1): for a database
// that runs transactions in parallel, batches then form while others
// commit.
func (b *Batcher[T]) Writers(n int) *Batcher[T] {
	b.writers = max(n, 1)
	return b
}

// Add writes item and returns the write's error. A canceled ctx stops the
// wait, not the write: the item may still be written.
func (b *Batcher[T]) Add(ctx context.Context, item T) error {
	e := entry[T]{item: item, done: make(chan error, 1)}
	b.mu.Lock()
	b.pending = append(b.pending, e)
	if b.flushing >= b.writers {
		b.mu.Unlock()
		select {
		case err := <-e.done:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	b.flushing++
	b.mu.Unlock()
	b.flush(context.WithoutCancel(ctx), e.done)
	return <-e.done
}

// flush writes batches until mine has been written (by this writer or
// another); if more are queued then, a new goroutine takes over the
// writing, so that no caller waits for others' batches. mine is nil for
// that goroutine: it writes until the queue is empty.
func (b *Batcher[T]) flush(ctx context.Context, mine chan error) {
	for {
		b.mu.Lock()
		if len(b.pending) == 0 {
			b.flushing--
			b.mu.Unlock()
			return
		}
		if mine != nil && len(mine) > 0 {
			b.mu.Unlock()
			go b.flush(ctx, nil)
			return
		}
		n := min(len(b.pending), b.max)
		batch := make([]entry[T], n)
		copy(batch, b.pending)
		b.pending = append(b.pending[:0], b.pending[n:]...)
		b.mu.Unlock()

		items := make([]T, n)
		for i, e := range batch {
			items[i] = e.item
		}
		err := b.write(ctx, items)
		for _, e := range batch {
			e.done <- err
		}
	}
}
