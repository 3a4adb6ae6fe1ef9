package sqldb

import (
	"slices"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// refTTL bounds how long another process's change to an agency or a
// procedure may go unseen; this process's own changes clear the cache at
// once.
const refTTL = 30 * time.Second

// refCache keeps the reference data every submission reads several times
// (procedures, agencies) out of the database's round trips. Callers get
// copies, so a cached value is never shared mutable state.
type refCache struct {
	ttl time.Duration
	mu  sync.Mutex
	gen uint64 // bumped by every invalidation
	m   map[string]refEntry
}

type refEntry struct {
	v  any
	at time.Time
}

func newRefCache(ttl time.Duration) *refCache {
	return &refCache{ttl: ttl, m: make(map[string]refEntry)}
}

// get returns the cached value of key, if fresh.
func (c *refCache) get(key string, now time.Time) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || now.Sub(e.at) > c.ttl {
		return nil, false
	}
	return e.v, true
}

// generation is read before loading a value from the database; put drops
// the value if an invalidation happened in between.
func (c *refCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *refCache) put(key string, v any, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen {
		c.m[key] = refEntry{v: v, at: now}
	}
}

func (c *refCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.m)
}

func cloneProcedure(p *motcua.Procedure) *motcua.Procedure {
	c := *p
	c.AgencyCodes = slices.Clone(p.AgencyCodes)
	c.Levels = slices.Clone(p.Levels)
	c.Fees = slices.Clone(p.Fees)
	c.Cases = slices.Clone(p.Cases)
	for i := range c.Cases {
		c.Cases[i].Components = cloneComponents(c.Cases[i].Components)
	}
	c.Components = cloneComponents(p.Components)
	return &c
}

func cloneComponents(cs []motcua.ProcedureComponent) []motcua.ProcedureComponent {
	out := slices.Clone(cs)
	for i := range out {
		out[i].Categories = slices.Clone(out[i].Categories)
	}
	return out
}

// cached serves key from the cache outside transactions (a transaction
// reads what it may have written itself) and loads it otherwise.
func cached[T any](s *Store, key string, clone func(T) T, load func() (T, error)) (T, error) {
	if s.tx != nil || s.refs == nil {
		return load()
	}
	now := time.Now()
	if v, ok := s.refs.get(key, now); ok {
		return clone(v.(T)), nil
	}
	gen := s.refs.generation()
	v, err := load()
	if err != nil {
		return v, err
	}
	s.refs.put(key, clone(v), gen, now)
	return v, nil
}

// refsChanged invalidates the cache now and, inside a transaction, again
// when it ends, so that no reader caches the old value in between.
func (s *Store) refsChanged() {
	if s.refs == nil {
		return
	}
	s.refs.invalidate()
	if s.txDone != nil {
		*s.txDone = append(*s.txDone, s.refs.invalidate)
	}
}
