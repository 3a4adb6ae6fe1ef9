package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/postgres"
	"github.com/motcua/motcua/internal/sqldb"
	"github.com/motcua/motcua/internal/storetest"
)

// databaseURL returns the test server's URL. Locally the suite skips
// without one; in CI (CI=true) a missing URL is a failure, never a skip.
func databaseURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("MOTCUA_TEST_DATABASE_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("MOTCUA_TEST_DATABASE_URL is not set; CI must run the PostgreSQL suite (use ./scripts/test)")
		}
		t.Skip("PostgreSQL suite skipped: MOTCUA_TEST_DATABASE_URL is not set (./scripts/test sets it)")
	}
	return u
}

// openStore opens a store on a throwaway schema of the test database.
func openStore(t testing.TB) *sqldb.Store {
	t.Helper()
	base := databaseURL(t)
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "motcua_test_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { _, _ = admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newStore(t testing.TB) motcua.Store {
	s := openStore(t)
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	databaseURL(t)
	storetest.Run(t, newStore)
}

func TestSchema(t *testing.T) {
	databaseURL(t)
	storetest.RunSchema(t, func(t *testing.T) *sqldb.Store { return openStore(t) })
}

func BenchmarkStore(b *testing.B) {
	databaseURL(b)
	storetest.Bench(b, newStore)
}
