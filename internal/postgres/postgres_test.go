package postgres_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pgtest"
	"github.com/motcua/motcua/internal/postgres"
	"github.com/motcua/motcua/internal/sqldb"
	"github.com/motcua/motcua/internal/storetest"
)

// openStore opens a store on a throwaway schema of the test database.
func openStore(t testing.TB) *sqldb.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), pgtest.SchemaURL(t))
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
	pgtest.BaseURL(t)
	storetest.Run(t, newStore)
}

func TestSchema(t *testing.T) {
	pgtest.BaseURL(t)
	storetest.RunSchema(t, func(t *testing.T) *sqldb.Store { return openStore(t) })
}

func BenchmarkStore(b *testing.B) {
	pgtest.BaseURL(b)
	storetest.Bench(b, newStore)
}
