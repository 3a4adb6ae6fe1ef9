package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"
)

// TestKPIRebuild rebuilds the summaries of generated dossiers on both
// backends: the triggers kept them right, so nothing is corrected and the
// report is the same before and after.
func TestKPIRebuild(t *testing.T) {
	t.Parallel()
	for name, db := range backendFlags {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			where := db(t)
			ctx := context.Background()
			var out, errb bytes.Buffer
			if code := run(ctx, append([]string{"gen", "--preset", "an-lao-2024q1"}, where...), &out, &errb); code != 0 {
				t.Fatalf("gen: exit %d: %s", code, errb.String())
			}
			report := func() string {
				var out bytes.Buffer
				if code := run(ctx, append([]string{"report", "--from", "2024-01-01", "--to", "2024-03-20", "--format", "csv"}, where...), &out, &errb); code != 0 {
					t.Fatalf("report: exit %d: %s", code, errb.String())
				}
				return out.String()
			}
			before := report()
			out.Reset()
			if code := run(ctx, append([]string{"kpi", "rebuild"}, where...), &out, &errb); code != 0 {
				t.Fatalf("kpi rebuild: exit %d: %s", code, errb.String())
			}
			m := regexp.MustCompile(`read (\d+) dossiers, corrected (\d+); wrote (\d+) daily, (\d+) monthly`).FindStringSubmatch(out.String())
			if m == nil || m[1] == "0" || m[2] != "0" || m[3] == "0" || m[4] == "0" {
				t.Fatalf("kpi rebuild output: %s", out.String())
			}
			if after := report(); after != before {
				t.Fatalf("report changed by the rebuild:\n%s\nwas\n%s", after, before)
			}
			if code := run(ctx, append([]string{"kpi", "frobnicate"}, where...), &out, &errb); code != 2 {
				t.Fatalf("unknown kpi subcommand: exit %d, want 2", code)
			}
		})
	}
}
