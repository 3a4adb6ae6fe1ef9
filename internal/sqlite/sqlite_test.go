package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/sqldb"
	"github.com/motcua/motcua/internal/sqlite"
	"github.com/motcua/motcua/internal/storetest"
)

func openStore(t testing.TB) *sqldb.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "motcua.db"))
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
	storetest.Run(t, newStore)
}

func TestSchema(t *testing.T) {
	storetest.RunSchema(t, func(t *testing.T) *sqldb.Store { return openStore(t) })
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, newStore)
}
