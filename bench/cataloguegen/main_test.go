package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/motcua/motcua/internal/catalogue"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/sqldb"
	"github.com/motcua/motcua/internal/sqlite"
)

// TestGenerate: a small generated catalogue has the asked size, imports
// cleanly, and the same seed gives the same catalogue.
func TestGenerate(t *testing.T) {
	t.Parallel()
	size := Size{Procedures: 60, Fields: 5, Agencies: 80, Categories: 40}
	d := Generate(size, 7)
	if len(d.Procedures) != 60 || len(d.Agencies) != 80 || len(d.Categories) != 40 {
		t.Fatalf("generated %d procedures, %d agencies, %d categories", len(d.Procedures), len(d.Agencies), len(d.Categories))
	}
	ctx := context.Background()
	s := migratedStore(t)
	res, err := catalogue.Import(ctx, s, d, catalogue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Procedures.Created != 60 || res.Agencies.Created != 80 {
		t.Fatalf("import = %+v", res)
	}
	res, err = catalogue.Import(ctx, s, Generate(size, 7), catalogue.Options{})
	if err != nil || res.Changed() {
		t.Fatalf("the same seed gave another catalogue: %+v, %v", res, err)
	}
}

// TestAlongsideDemo: the adapted catalogue imports into a demo database
// without touching a demo agency, and the demo's town handles the
// commune procedures.
func TestAlongsideDemo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := migratedStore(t)
	if _, err := demo.Seed(ctx, s); err != nil {
		t.Fatal(err)
	}
	before, err := s.ListProcedures(ctx, demo.TownCode)
	if err != nil {
		t.Fatal(err)
	}
	d := Generate(Size{Procedures: 60, Fields: 5, Agencies: 120, Categories: 40}, 7)
	AlongsideDemo(d)
	res, err := catalogue.Import(ctx, s, d, catalogue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Agencies.Updated != 0 || res.Procedures.Created != 60 || res.Procedures.Updated != 0 {
		t.Fatalf("import alongside the demo = %+v", res)
	}
	after, err := s.ListProcedures(ctx, demo.TownCode)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+20 {
		t.Fatalf("the demo town handles %d procedures after, %d before; want 20 more", len(after), len(before))
	}
}

// migratedStore is an empty migrated SQLite store, closed at the end.
func migratedStore(t *testing.T) *sqldb.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}
