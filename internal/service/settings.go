package service

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// SettingsRefresh is how often a node asks the database whether a setting
// changed (one indexed read of a version number): a change made on another
// node takes effect there within this time; on the node that made it,
// at once.
const SettingsRefresh = 3 * time.Second

// settingCache holds a value built from a setting of the database and
// rebuilds it when the setting's version moves. The version is read at
// most once per refresh interval; a failed read keeps the last value, so
// that a database hiccup does not turn every signature untrusted.
type settingCache[T any] struct {
	store   motcua.SettingsStore
	name    string
	refresh time.Duration
	now     func() time.Time
	load    func(ctx context.Context) (T, error)

	mu      sync.Mutex
	loaded  bool
	value   T
	version int64
	checked time.Time
}

func newSettingCache[T any](store motcua.SettingsStore, name string, refresh time.Duration, now func() time.Time,
	load func(context.Context) (T, error)) *settingCache[T] {
	if now == nil {
		now = time.Now
	}
	return &settingCache[T]{store: store, name: name, refresh: refresh, now: now, load: load}
}

// get returns the value in force. Concurrent callers wait for one reload.
func (c *settingCache[T]) get(ctx context.Context) (T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.loaded && now.Sub(c.checked) < c.refresh {
		return c.value, nil
	}
	v, err := c.store.SettingsVersion(ctx, c.name)
	if err != nil {
		if c.loaded {
			slog.WarnContext(ctx, "settings version unavailable; keeping the last value", "setting", c.name, "err", err)
			return c.value, nil
		}
		return c.value, err
	}
	if c.loaded && v == c.version {
		c.checked = now
		return c.value, nil
	}
	value, err := c.load(ctx)
	if err != nil {
		if c.loaded {
			slog.WarnContext(ctx, "settings reload failed; keeping the last value", "setting", c.name, "err", err)
			return c.value, nil
		}
		return c.value, err
	}
	c.value, c.version, c.checked, c.loaded = value, v, now, true
	return value, nil
}

// invalidate makes the next get read the version again: the node that
// changed the setting sees its change at once.
func (c *settingCache[T]) invalidate() {
	c.mu.Lock()
	c.checked = time.Time{}
	c.mu.Unlock()
}

// auditChange records an administrative change with the object's state
// before and after it (nil for none), in the transaction of the change.
func auditChange(ctx context.Context, tx motcua.Store, p *motcua.Principal, action, kind, id string, before, after any) error {
	return auditChangeBy(ctx, tx, motcua.AuditEvent{ActorKind: "officer", ActorID: p.ActorID(), AgencyCode: p.AgencyCode},
		action, kind, id, before, after)
}

// auditChangeBy is auditChange by the actor of ev (its actor and agency
// fields), e.g. an operator at the command line.
func auditChangeBy(ctx context.Context, tx motcua.Store, ev motcua.AuditEvent, action, kind, id string, before, after any) error {
	detail, err := json.Marshal(struct {
		Before any `json:"before"`
		After  any `json:"after"`
	}{before, after})
	if err != nil {
		return motcua.Internal(fmt.Errorf("audit %s: %w", action, err))
	}
	ev.Action, ev.ObjectKind, ev.ObjectID, ev.Detail = action, kind, id, string(detail)
	return tx.AppendAudit(ctx, &ev)
}
