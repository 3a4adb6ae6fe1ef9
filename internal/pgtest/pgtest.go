// Package pgtest gives tests a throwaway schema on the PostgreSQL test
// server named by MOTCUA_TEST_DATABASE_URL (./scripts/test sets it).
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// BaseURL returns the test server's URL. Locally a missing URL skips the
// test with a message; in CI (CI set) it fails, so that CI never skips
// the PostgreSQL suite silently.
func BaseURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("MOTCUA_TEST_DATABASE_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("MOTCUA_TEST_DATABASE_URL is not set; CI must run the PostgreSQL suite (use ./scripts/test)")
		}
		t.Skip("PostgreSQL test skipped: MOTCUA_TEST_DATABASE_URL is not set (./scripts/test sets it)")
	}
	return u
}

// SchemaURL creates an empty schema, dropped when the test ends, and
// returns a URL whose connections use it.
func SchemaURL(t testing.TB) string {
	t.Helper()
	base := BaseURL(t)
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "motcua_test_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
