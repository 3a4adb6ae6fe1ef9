package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

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

func TestMonitorDashboard(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--demo-history", "--data-dir", t.TempDir())
	var monitor, reception demo.DemoOfficer
	for _, o := range demo.Officers() {
		switch o.Roles[0] {
		case "monitor":
			monitor = o
		case "reception":
			reception = o
		}
	}
	b := officerLogin(t, ts, monitor.Username, monitor.Password, monitor.TOTPSecret)
	resp, body := b.get(ts.url + "/theo-doi?from=2024-01-01&to=2024-03-20")
	for _, want := range []string{"I. CẤP HUYỆN", "II. CẤP XÃ", "UBND xã An Hòa", "14,32", "3.480", "4,48", "1.246", "2.234", "<svg"} {
		if !strings.Contains(body, want) {
			t.Fatalf("dashboard lacks %q: %d\n%s", want, resp.StatusCode, body)
		}
	}
	// Drill down from An Hòa's reused count to its 66 dossiers.
	resp, body = b.get(ts.url + "/theo-doi/ho-so?agency=" + demo.CommuneCodes()[2] + "&from=2024-01-01&to=2024-03-20&reused=1")
	if resp.StatusCode != 200 || !strings.Contains(body, "66 hồ sơ") || !strings.Contains(body, "UBND xã An Hòa") {
		t.Fatalf("drill-down: %d\n%s", resp.StatusCode, body)
	}
	resp, body = b.get(ts.url + "/theo-doi/ty-le.csv?agency=" + demo.DistrictCode + "&from=2024-01-01&to=2024-03-20")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/csv") || !strings.Contains(body, "UBND xã An Hòa,461,66,14.32") {
		t.Fatalf("csv: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	// The Excel download has the same numbers, as numbers.
	resp, body = b.get(ts.url + "/theo-doi/ty-le.xlsx?agency=" + demo.DistrictCode + "&from=2024-01-01&to=2024-03-20")
	if resp.StatusCode != 200 {
		t.Fatalf("xlsx: %d", resp.StatusCode)
	}
	wb, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	xrows, err := wb.GetRows("Phụ lục I")
	if err != nil {
		t.Fatal(err)
	}
	foundHoa := false
	for _, r := range xrows {
		if len(r) == 5 && r[1] == "UBND xã An Hòa" && r[2] == "461" && r[3] == "66" && r[4] == "14.32" {
			foundHoa = true
		}
	}
	if !foundHoa {
		t.Fatalf("xlsx rows = %v", xrows)
	}

	// The API gives the same numbers.
	resp, body = b.get(ts.url + "/api/v1/reports/reuse?from=2024-01-01&to=2024-03-20")
	if resp.StatusCode != 200 || !strings.Contains(body, `"received":3480`) || !strings.Contains(body, `"rate":"4.48"`) {
		t.Fatalf("api: %d\n%s", resp.StatusCode, body)
	}
	var api struct {
		Total struct {
			Received, Missed                                     int64
			Score766                                             float64 `json:"score_766"`
			OnTime, EResult, Digitized, Shared, Online, Verified string
		} `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &api); err != nil {
		t.Fatal(err)
	}
	// 156 / 3480 = 4.48%: 4.48 ÷ 80 of the full score, 0.056 rounded by
	// the one rule for scores (motcua.Score: half up, two decimals).
	if api.Total.Score766 != 0.06 || api.Total.Missed == 0 {
		t.Fatalf("api total = %+v\n%s", api.Total, body)
	}
	for _, f := range []string{`"on_time_rate":`, `"e_result_rate":`, `"digitized_rate":`, `"shared_rate":`} {
		if !strings.Contains(body, f) {
			t.Fatalf("api lacks %s", f)
		}
	}
	// An indicator's drill-down.
	if resp, body := b.get(ts.url + "/theo-doi/ho-so?agency=" + demo.TownCode + "&from=2024-01-01&to=2024-03-20&chi-so=late"); resp.StatusCode != 200 ||
		!strings.Contains(body, "Hồ sơ quá hạn (chỉ số 2.1)") {
		t.Fatalf("late drill-down: %d", resp.StatusCode)
	}
	if resp, _ := b.get(ts.url + "/theo-doi/ho-so?agency=" + demo.TownCode + "&from=2024-01-01&to=2024-03-20&chi-so=x"); resp.StatusCode != 422 {
		t.Fatalf("unknown indicator: %d", resp.StatusCode)
	}
	// The PDF export and the missed-reuse list.
	if resp, body := b.get(ts.url + "/theo-doi/ty-le.pdf?from=2024-01-01&to=2024-03-20"); resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("pdf: %d %.20q", resp.StatusCode, body)
	}
	if resp, body := b.get(ts.url + "/theo-doi/bo-lo?from=2024-01-01&to=2024-03-20"); resp.StatusCode != 200 || !strings.Contains(body, "Tăng thêm") {
		t.Fatalf("missed-reuse list: %d", resp.StatusCode)
	}
	// Other roles and other districts are refused.
	rb := officerLogin(t, ts, reception.Username, reception.Password, reception.TOTPSecret)
	if resp, _ := rb.get(ts.url + "/theo-doi?from=2024-01-01&to=2024-03-20"); resp.StatusCode != 403 {
		t.Fatalf("reception officer on the dashboard: %d", resp.StatusCode)
	}
	if resp, _ := b.get(ts.url + "/theo-doi?agency=" + demo.ProvinceCode + "&from=2024-01-01&to=2024-03-20"); resp.StatusCode != 403 {
		t.Fatalf("district monitor on the province table: %d", resp.StatusCode)
	}
	if resp, _ := newBrowser(t).get(ts.url + "/api/v1/reports/reuse?from=2024-01-01&to=2024-03-20"); resp.StatusCode != 401 {
		t.Fatalf("anonymous report: %d", resp.StatusCode)
	}
}
