package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// KeepDemoKey implements motcua.ClusterStore: insert if absent, then
// read back whichever value won.
func (s *Store) KeepDemoKey(ctx context.Context, name string, pem []byte) ([]byte, error) {
	if _, err := s.exec(ctx, "INSERT INTO demo_keys (name, pem, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
		name, string(pem), micros(s.now().UTC())); err != nil {
		return nil, motcua.Internal(fmt.Errorf("keep demo key %s: %w", name, err))
	}
	return s.demoKey(ctx, true, name)
}

// DemoKey implements motcua.ClusterStore.
func (s *Store) DemoKey(ctx context.Context, name string) ([]byte, error) {
	return s.demoKey(ctx, false, name)
}

func (s *Store) demoKey(ctx context.Context, write bool, name string) ([]byte, error) {
	const q = "SELECT pem FROM demo_keys WHERE name = ?"
	row := s.queryRow
	if write {
		row = s.queryRowWrite
	}
	var pem string
	err := row(ctx, q, name).Scan(&pem)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("demo_key", name)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("read demo key %s: %w", name, err))
	}
	return []byte(pem), nil
}

// TakeJobLease implements motcua.ClusterStore with one upsert whose
// update only applies to an expired lease or the holder's own.
func (s *Store) TakeJobLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	res, err := s.exec(ctx, "INSERT INTO job_leases (name, holder, expires_at) VALUES (?, ?, ?) "+
		"ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at "+
		"WHERE job_leases.expires_at <= ? OR job_leases.holder = excluded.holder",
		name, holder, now.Add(ttl).UnixMicro(), now.UnixMicro())
	if err != nil {
		return false, motcua.Internal(fmt.Errorf("take job lease %s: %w", name, err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, motcua.Internal(fmt.Errorf("take job lease %s: %w", name, err))
	}
	return n > 0, nil
}
