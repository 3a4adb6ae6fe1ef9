package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/service"
)

// runReport prints the reuse-rate table of seed 002 Appendix I.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg commonConfig
	fs := newFlagSet("report", "Print the reuse-rate table (Tỷ lệ khai thác, sử dụng lại thông tin số hóa) for a period, as text, CSV, Excel or PDF.", stderr)
	cfg.register(fs)
	from := fs.String("from", "", "first receipt date, YYYY-MM-DD or DD/MM/YYYY (required)")
	to := fs.String("to", "", "last receipt date, included (required)")
	agency := fs.String("agency", demo.DistrictCode, "agency whose table to print (a district or province node)")
	format := fs.String("format", "text", "text, csv, xlsx or pdf (A4, for printing), written to standard output")
	decimals := fs.Int("decimals", 2, "decimals of the rates")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch *format {
	case "text", "csv", "xlsx", "pdf":
	default:
		return usageError{fmt.Sprintf("invalid --format %q (text, csv, xlsx or pdf)", *format)}
	}
	if *decimals < 0 || *decimals > 6 {
		return usageError{"--decimals must be between 0 and 6"}
	}
	period, err := parsePeriod(*from, *to)
	if err != nil {
		return err
	}
	store, _, err := cfg.openMigratedStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	t, err := service.NewKPI(store).ReuseTable(ctx, nil, *agency, period)
	if err != nil {
		return err
	}
	switch *format {
	case "csv":
		return report.WriteReuseCSV(stdout, t, *decimals)
	case "xlsx":
		return report.WriteReuseXLSX(stdout, t, *decimals)
	case "pdf":
		return report.WriteReusePDF(stdout, t, *decimals)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(stdout, "TỶ LỆ KHAI THÁC, SỬ DỤNG LẠI THÔNG TIN SỐ HÓA — %s, từ %s đến %s\n", t.Root.Name,
		period.From.Display(), period.To.Display())
	line := func(no, name string, r motcua.ReuseRow) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", no, name, motcua.FormatCount(r.Received), motcua.FormatCount(r.Reused),
			r.Rate().Percent(*decimals, ","))
	}
	fmt.Fprintf(tw, "TT\tCơ quan, đơn vị\tTổng hồ sơ tiếp nhận\tHồ sơ sử dụng lại\tTỷ lệ (%%)\t\n")
	for _, s := range t.Sections {
		fmt.Fprintf(tw, "%s\t\t\t\t\t\n", s.Title)
		for _, r := range s.Rows {
			line(fmt.Sprint(r.No), r.Agency.Name, r)
		}
		line("Σ", "Tổng số", s.Total)
	}
	line("", "Tổng cộng", t.Total)
	return tw.Flush()
}

func parsePeriod(from, to string) (service.Period, error) {
	f, err := motcua.ParseDate(from)
	if err != nil {
		return service.Period{}, usageError{fmt.Sprintf("invalid --from %q (YYYY-MM-DD or DD/MM/YYYY)", from)}
	}
	t, err := motcua.ParseDate(to)
	if err != nil {
		return service.Period{}, usageError{fmt.Sprintf("invalid --to %q (YYYY-MM-DD or DD/MM/YYYY)", to)}
	}
	return service.Period{From: f, To: t}, nil
}

// runGen generates data sets for the reports.
func runGen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg commonConfig
	fs := newFlagSet("gen", "Generate dossiers for the reports. Presets: an-lao-2024q1 (seed 002 Appendix I).", stderr)
	cfg.register(fs)
	preset := fs.String("preset", "", "data set to generate: an-lao-2024q1")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *preset != "an-lao-2024q1" {
		return usageError{fmt.Sprintf("unknown --preset %q (an-lao-2024q1)", *preset)}
	}
	store, where, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}
	if _, err := demo.Seed(ctx, store); err != nil {
		return err
	}
	n, err := demo.GenerateAnLao2024Q1(ctx, store, *seed)
	if err != nil {
		return err
	}
	from, to := demo.AnLao2024Q1()
	fmt.Fprintf(stdout, "%s: generated %d dossiers received between %s and %s\n", where, n, from, to)
	return nil
}
