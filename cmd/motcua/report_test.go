package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pgtest"
)

// TestReportAnLao reproduces seed 002's Appendix I from generated
// dossiers, on both backends. The seed's hand-made table truncates or
// rounds to one decimal in places (0.32 for 1/306, 12,5, 1.7, 6, 4.5); the
// report rounds half up to two decimals from the exact counts.
func TestReportAnLao(t *testing.T) {
	t.Parallel()
	for name, db := range map[string]func(t *testing.T) []string{
		"sqlite": func(t *testing.T) []string { return []string{"--data-dir", t.TempDir()} },
		"postgres": func(t *testing.T) []string {
			return []string{"--data-dir", t.TempDir(), "--database-url", pgtest.SchemaURL(t)}
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			where := db(t)
			ctx := context.Background()
			var out, errb bytes.Buffer
			if code := run(ctx, append([]string{"gen", "--preset", "an-lao-2024q1"}, where...), &out, &errb); code != 0 {
				t.Fatalf("gen: exit %d: %s", code, errb.String())
			}
			if !strings.Contains(out.String(), "generated 3480 dossiers") {
				t.Fatalf("gen output: %s", out.String())
			}
			if code := run(ctx, append([]string{"gen", "--preset", "an-lao-2024q1"}, where...), io.Discard, &errb); code != 1 {
				t.Fatalf("a second gen must refuse: exit %d", code)
			}
			out.Reset()
			if code := run(ctx, append([]string{"report", "--from", "2024-01-01", "--to", "2024-03-20", "--format", "csv"}, where...), &out, &errb); code != 0 {
				t.Fatalf("report: exit %d: %s", code, errb.String())
			}
			rows, err := csv.NewReader(&out).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for _, r := range rows {
				got[r[1]] = r[2:]
			}
			want := map[string][]string{
				"Phòng Tư pháp": {"306", "1", "0.33"},
				"Chi nhánh Văn phòng đăng ký đất đai huyện An Lão": {"818", "20", "2.44"},
				"UBND Thị trấn An Lão":                             {"399", "50", "12.53"},
				"UBND xã An Hòa":                                   {"461", "66", "14.32"},
				"UBND xã An Tân":                                   {"400", "2", "0.50"},
				"UBND xã An Trung":                                 {"179", "17", "9.50"},
				"Hạt Kiểm lâm huyện An Lão":                        {"0", "0", "0.00"},
				"Tổng cộng UBND huyện An Lão":                      {"3480", "156", "4.48"},
			}
			for name, w := range want {
				if g := got[name]; strings.Join(g, "|") != strings.Join(w, "|") {
					t.Errorf("%s = %v, want %v", name, g, w)
				}
			}
			var sums [][]string
			for _, r := range rows {
				if r[0] == "Σ" {
					sums = append(sums, r[2:])
				}
			}
			if len(sums) != 2 || strings.Join(sums[0], "|") != "1246|21|1.69" || strings.Join(sums[1], "|") != "2234|135|6.04" {
				t.Errorf("section totals = %v", sums)
			}
			// Every agency of the Appendix appears with its exact counts.
			for _, a := range demo.AppendixI() {
				found := false
				for _, r := range rows {
					if len(r) == 5 && r[2] == strconv.Itoa(a.Received) && r[3] == strconv.Itoa(a.Reused) {
						found = true
					}
				}
				if !found {
					t.Errorf("no row with %d received / %d reused (%s)", a.Received, a.Reused, a.Label)
				}
			}
			// A month outside the data has an empty table; a bad period is refused.
			out.Reset()
			if code := run(ctx, append([]string{"report", "--from", "2024-04-01", "--to", "2024-04-30"}, where...), &out, &errb); code != 0 ||
				!strings.Contains(out.String(), "Tổng cộng") {
				t.Fatalf("empty month: exit %d\n%s", code, out.String())
			}
			errb.Reset()
			if code := run(ctx, append([]string{"report", "--from", "2024-04-30", "--to", "2024-04-01"}, where...), io.Discard, &errb); code != 1 ||
				!strings.Contains(errb.String(), "Đến ngày") {
				t.Fatalf("reversed period: exit %d %s", code, errb.String())
			}
		})
	}
}
