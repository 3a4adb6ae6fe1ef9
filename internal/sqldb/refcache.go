package sqldb

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// refTTL bounds how long a cached agency or procedure is kept; this
// process's own changes clear the cache at once, another node's within
// refCheck (every change moves the reference_data version in its
// transaction, and each process reads that version at most once per
// refCheck).
const (
	refTTL   = 30 * time.Second
	refCheck = 3 * time.Second
)

// refCache keeps the reference data every submission reads several times
// (procedures, agencies) out of the database's round trips. Callers get
// copies, so a cached value is never shared mutable state.
type refCache struct {
	ttl time.Duration
	mu  sync.Mutex
	gen uint64 // bumped by every invalidation
	m   map[string]refEntry
	// checked is when the database's reference_data version was last
	// read (or is being read); version is what it said, -1 before.
	checked time.Time
	version int64
}

type refEntry struct {
	v  any
	at time.Time
}

func newRefCache(ttl time.Duration) *refCache {
	return &refCache{ttl: ttl, m: make(map[string]refEntry), version: -1}
}

// checkDue reports whether the caller should read the database's
// version now; one caller per refCheck interval does.
func (c *refCache) checkDue(now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Sub(c.checked) < refCheck {
		return false
	}
	c.checked = now
	return true
}

// observe records the database's version and drops every entry when it
// moved since the last look.
func (c *refCache) observe(v int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != v {
		c.version = v
		c.gen++
		clear(c.m)
	}
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
func cached[T any](ctx context.Context, s *Store, key string, clone func(T) T, load func() (T, error)) (T, error) {
	if s.tx != nil || s.refs == nil {
		return load()
	}
	now := time.Now()
	if s.refs.checkDue(now) {
		// A failed read keeps the cache: a database hiccup is reported by
		// the load itself, if any.
		if v, err := s.SettingsVersion(ctx, motcua.SettingReferenceData); err == nil {
			s.refs.observe(v)
		}
	}
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
// when it ends, so that no reader caches the old value in between; and
// moves the reference_data version in the same transaction, so that other
// nodes drop theirs.
func (s *Store) refsChanged(ctx context.Context) error {
	if s.refs != nil {
		s.refs.invalidate()
		if s.txDone != nil {
			*s.txDone = append(*s.txDone, s.refs.invalidate)
		}
	}
	return s.bumpSetting(ctx, motcua.SettingReferenceData)
}
