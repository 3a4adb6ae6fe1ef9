package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/motcua/motcua/internal/catalogue"
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
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
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
