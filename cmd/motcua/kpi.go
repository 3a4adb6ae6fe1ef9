package main

import (
	"context"
	"fmt"
	"io"
)

const kpiUsage = `Usage: motcua kpi rebuild [options]

  rebuild  recompute every dossier's indicator contribution and every
           indicator summary (day, month, open dossiers by due day) from the
           dossiers themselves, in one transaction; safe while the server
           runs (writers wait for it)

Run "motcua kpi rebuild --help" for the options.
`

// runKPI maintains the Decision 766 indicator summaries.
func runKPI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, kpiUsage)
		return usageError{"kpi needs a subcommand: rebuild"}
	}
	switch args[0] {
	case "rebuild":
		return runKPIRebuild(ctx, args[1:], stdout, stderr)
	case "help", "--help", "-h":
		fmt.Fprint(stdout, kpiUsage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown kpi subcommand %q (rebuild)", args[0])}
}

func runKPIRebuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg commonConfig
	fs := newFlagSet("kpi rebuild", "Recompute every indicator summary from the dossiers, in Go (motcua.IndicatorsOf),\n"+
		"correcting the dossiers whose stored contribution is wrong.", stderr)
	cfg.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	store, where, err := cfg.openMigratedStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	r, err := store.RebuildIndicators(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: read %d dossiers, corrected %d; wrote %d daily, %d monthly and %d open-by-due-day summary rows\n",
		where, r.Dossiers, r.Corrected, r.DailyRows, r.MonthlyRows, r.OpenDueRows)
	return nil
}
