package main

import (
	"context"
	"fmt"
	"io"

	"github.com/motcua/motcua/internal/demo"
)

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg commonConfig
	fs := newFlagSet("migrate", "Apply pending database migrations.", stderr)
	cfg.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	store, where, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	n, err := store.Migrate(ctx)
	if err != nil {
		return err
	}
	cur, _, err := store.SchemaVersions(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: applied %d migration(s); schema version %d\n", where, n, cur)
	return nil
}

func runSeedDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg commonConfig
	fs := newFlagSet("seed-demo", "Load the demo data (An Lão district, Bình Định) into the database; migrates first.", stderr)
	cfg.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	store, where, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}
	sum, err := demo.Seed(ctx, store)
	if err != nil {
		return err
	}
	if sum.AlreadySeeded {
		fmt.Fprintf(stdout, "%s: demo data already present; nothing changed\n", where)
		return nil
	}
	fmt.Fprintf(stdout, "%s: loaded %d agencies, %d document categories, %d procedures, %d subjects\n",
		where, sum.Agencies, sum.Categories, sum.Procedures, sum.Subjects)
	return nil
}
