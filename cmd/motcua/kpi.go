package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

const kpiUsage = `usage: motcua kpi snapshot [--month YYYY-MM] [--replace --reason TEXT]
       motcua kpi rebuild

rebuild recomputes every dossier's indicator contribution and every
indicator summary (day, month, open dossiers by due day) from the dossiers
themselves, in Go and in one transaction; safe while the server runs
(writers wait for it).

snapshot stores the monthly compilation ("tổng hợp hằng tháng") of the Decision 766
indicators: every agency's counts of the dossiers received in the month, as
they are now. Later corrections change the live figures, never a stored
month. A month already stored is refused unless --replace with --reason;
the replacement and its reason go to the audit log. The server stores the
previous month by itself once the month has ended.
`

func runKPI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runGroup(ctx, "kpi", kpiUsage, []subcommand{{"snapshot", runKPISnapshot}, {"rebuild", runKPIRebuild}}, args, stdout, stderr)
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

func runKPISnapshot(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg commonConfig
	fs := newFlagSet("kpi snapshot", "Store a month's compilation of the indicators (tổng hợp hằng tháng).", stderr)
	cfg.register(fs)
	month := fs.String("month", "", "month to compile, YYYY-MM (default: the previous month)")
	replace := fs.Bool("replace", false, "compile a month already stored again (needs --reason; audited)")
	reason := fs.String("reason", "", "why the stored month is compiled again")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	now := time.Now()
	m := motcua.KPIMonthOf(motcua.DateOf(now)).Prev()
	if *month != "" {
		var err error
		if m, err = motcua.ParseKPIMonth(*month); err != nil {
			return usageError{fmt.Sprintf("invalid --month %q (YYYY-MM)", *month)}
		}
	}
	if *reason != "" && !*replace {
		return usageError{"--reason is only for --replace"}
	}
	store, where, err := cfg.openMigratedStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	snap, err := service.NewKPI(store).TakeSnapshot(ctx, service.SnapshotRequest{Month: m, Actor: "cli", Replace: *replace,
		Reason: *reason, Now: now})
	if err != nil && motcua.ErrorKind(err) != motcua.EINTERNAL {
		return fmt.Errorf("%s", motcua.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	var total motcua.AgencyCount
	for _, c := range snap.Counts {
		total.Add(c)
	}
	verb := "stored"
	if *replace {
		verb = "replaced"
	}
	fmt.Fprintf(stdout, "%s: %s the compilation of %s: %d agencies, %d dossiers received\n", where, verb, m, len(snap.Counts), total.Received)
	return nil
}

// runMonthlySnapshots stores the previous month's compilation when it is
// missing, now and every interval until ctx ends, when lease (nil:
// always) says this node runs it.
func runMonthlySnapshots(ctx context.Context, kpi *service.KPI, interval time.Duration, lease func() bool, logger *slog.Logger) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if lease == nil || lease() {
			month, taken, err := kpi.SnapshotDue(ctx, time.Now())
			switch {
			case err != nil && ctx.Err() == nil:
				logger.Error("monthly compilation", "month", month.String(), "err", err)
			case taken:
				logger.Info("stored the monthly compilation", "month", month.String())
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
