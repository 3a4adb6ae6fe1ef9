package main

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/service"
)

// TestMonthlyCompilation: `motcua kpi snapshot` stores March 2024 once;
// a second run is refused; a later correction (a dossier's receipt date
// moved into April) changes the live figures, not the stored month, and
// the monitor page and the API flag the agency; --replace with a reason
// takes the month again and is audited. On both backends.
func TestMonthlyCompilation(t *testing.T) {
	t.Parallel()
	for name, db := range backendFlags {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			where := db(t)
			ts := startServer(t, append([]string{"--demo", "--demo-history"}, where...)...)
			ctx := context.Background()
			kpi := func(args ...string) (int, string, string) {
				var out, errb bytes.Buffer
				code := run(ctx, append(append([]string{"kpi", "snapshot"}, args...), where...), &out, &errb)
				return code, out.String(), errb.String()
			}
			if code, out, errs := kpi("--month", "2024-03"); code != 0 || !strings.Contains(out, "stored the compilation of 2024-03") {
				t.Fatalf("first snapshot: %d %s %s", code, out, errs)
			}
			if code, _, errs := kpi("--month", "2024-03"); code != 1 || !strings.Contains(errs, "đã được tổng hợp") || !strings.Contains(errs, "không bị ghi đè") {
				t.Fatalf("second snapshot: %d %s", code, errs)
			}
			if code, _, errs := kpi("--month", "2024-03", "--replace"); code != 1 || !strings.Contains(errs, "lý do") {
				t.Fatalf("replace without a reason: %d %s", code, errs)
			}
			if code, _, errs := kpi("--month", "2999-01"); code != 1 || !strings.Contains(errs, "chưa kết thúc") {
				t.Fatalf("a month not ended: %d %s", code, errs)
			}
			if code, _, _ := kpi("--month", "03/2024"); code != 2 {
				t.Fatalf("bad month: %d", code)
			}

			// A correction: one of An Hòa's March dossiers was received in April.
			cfg := commonConfig{DataDir: where[1]}
			if len(where) > 2 {
				cfg.DatabaseURL = where[3]
			}
			store, _, err := cfg.openMigratedStore(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			hoa := demo.CommuneCodes()[2]
			march := motcua.KPIMonth{Year: 2024, Month: time.March}
			before, err := store.GetKPISnapshot(ctx, march)
			if err != nil {
				t.Fatal(err)
			}
			ds, _, err := store.ListDossiers(ctx, motcua.DossierFilter{AgencyCode: hoa, ReceivedFrom: march.First().Time(),
				ReceivedTo: march.Last().AddDays(1).Time(), Limit: 1})
			if err != nil || len(ds) != 1 {
				t.Fatalf("a March dossier of An Hòa: %v %v", ds, err)
			}
			if err := store.CorrectDossierReceipt(ctx, ds[0].ID, time.Date(2024, 4, 2, 2, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			after, err := store.GetKPISnapshot(ctx, march)
			if err != nil {
				t.Fatal(err)
			}
			if len(after.Counts) != len(before.Counts) || !after.TakenAt.Equal(before.TakenAt) {
				t.Fatalf("the stored month changed: %+v → %+v", before, after)
			}
			for i := range after.Counts {
				if after.Counts[i] != before.Counts[i] {
					t.Fatalf("stored counts changed: %+v → %+v", before.Counts[i], after.Counts[i])
				}
			}
			m, err := service.NewKPI(store).Monthly(ctx, nil, demo.DistrictCode, march)
			if err != nil {
				t.Fatal(err)
			}
			var stored motcua.AgencyCount
			for _, c := range before.Counts {
				if c.AgencyCode == hoa {
					stored = c
				}
			}
			if m.Changed != 1 || !m.Total.Changed || m.Total.Live.Received != m.Total.Stored.Received-1 {
				t.Fatalf("monthly: changed %d, total %+v / %+v", m.Changed, m.Total.Stored.AgencyCount, m.Total.Live.AgencyCount)
			}
			for _, row := range m.Rows {
				if row.Changed != (row.Stored.Agency.Code == hoa) {
					t.Errorf("%s flagged %v", row.Stored.Agency.Name, row.Changed)
				}
				if row.Stored.Agency.Code == hoa && (row.Stored.Received != stored.Received || row.Live.Received != stored.Received-1) {
					t.Errorf("An Hòa stored %d live %d, snapshot %d", row.Stored.Received, row.Live.Received, stored.Received)
				}
			}

			// The API gives the stored month and flags An Hòa.
			reports := &apiClient{t: t, base: ts.url, token: clientToken(t, ts, demo.ReportsClientID, demo.ReportsClientSecret)}
			status, _, raw := reports.do("GET", "/api/v1/reports/monthly?month=2024-03", nil, "")
			if status != 200 {
				t.Fatalf("monthly API: %d %s", status, raw)
			}
			var got struct {
				Month, Agency string
				ChangedSince  bool `json:"changed_since"`
				Agencies      []struct {
					AgencyCode   string `json:"agency_code"`
					ChangedSince bool   `json:"changed_since"`
					Counts       struct{ Received int64 }
					Indicators   []indicatorItem
				}
			}
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, a := range got.Agencies {
				if a.AgencyCode == hoa {
					found = true
					if !a.ChangedSince || a.Counts.Received != stored.Received || len(a.Indicators) != 7 || a.Indicators[4].Numerator != stored.Reused {
						t.Errorf("An Hòa in the API: %+v", a)
					}
				} else if a.ChangedSince {
					t.Errorf("%s flagged in the API", a.AgencyCode)
				}
			}
			if !found || got.Month != "2024-03" || !got.ChangedSince {
				t.Fatalf("monthly API: %s", raw)
			}

			// The monitor page lists the month and flags the row.
			b := officerLoginByRole(t, ts, "monitor")
			resp, page := b.get(ts.url + "/theo-doi/tong-hop-thang?month=2024-03")
			if resp.StatusCode != 200 || !strings.Contains(page, "Tháng 03/2024") || strings.Count(page, "Đã thay đổi sau khi tổng hợp") != 2 ||
				!strings.Contains(page, "1 cơ quan, đơn vị có số liệu đã thay đổi") {
				t.Fatalf("monthly page: %d\n%s", resp.StatusCode, page)
			}

			// Taken again with a reason: audited, and nothing differs any more.
			if code, out, errs := kpi("--month", "2024-03", "--replace", "--reason", "Điều chỉnh ngày tiếp nhận hồ sơ"); code != 0 || !strings.Contains(out, "replaced") {
				t.Fatalf("replace: %d %s %s", code, out, errs)
			}
			evs, err := store.ListAudit(ctx, motcua.AuditFilter{ObjectKind: "kpi_snapshot", ObjectID: "2024-03"})
			if err != nil {
				t.Fatal(err)
			}
			actions := map[string]string{}
			for _, e := range evs {
				actions[e.Action] = e.Detail
			}
			if _, ok := actions["kpi.snapshot.create"]; !ok || !strings.Contains(actions["kpi.snapshot.replace"], "Điều chỉnh ngày tiếp nhận") {
				t.Fatalf("audit: %+v", actions)
			}
			if _, page := b.get(ts.url + "/theo-doi/tong-hop-thang?month=2024-03"); strings.Contains(page, "Đã thay đổi sau khi tổng hợp") ||
				!strings.Contains(page, "Điều chỉnh ngày tiếp nhận hồ sơ") {
				t.Fatalf("after replace:\n%s", page)
			}

			// Every indicator in every export of the dashboard.
			// Through April: the corrected dossier is still in the period.
			q := "?agency=" + demo.DistrictCode + "&from=2024-01-01&to=2024-04-30"
			resp, body := b.get(ts.url + "/theo-doi/chi-so.csv" + q)
			if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("indicators csv: %d", resp.StatusCode)
			}
			for _, d := range motcua.Indicators {
				if !strings.Contains(body, "Chỉ số "+d.Code+" — tử số") || !strings.Contains(body, "Chỉ số "+d.Code+" — điểm") {
					t.Errorf("csv lacks indicator %s", d.Code)
				}
			}
			// An Hòa: 66 of 461 reused, 14.32%, score 0.18.
			if !strings.Contains(body, ",66,461,14.32,0.18,") {
				t.Errorf("csv An Hòa reuse: %s", body)
			}
			resp, body = b.get(ts.url + "/theo-doi/chi-so.xlsx" + q)
			wb, err := excelize.OpenReader(strings.NewReader(body))
			if resp.StatusCode != 200 || err != nil {
				t.Fatalf("indicators xlsx: %d %v", resp.StatusCode, err)
			}
			xrows, _ := wb.GetRows("Chỉ số 766")
			if len(xrows) < 3 || len(xrows[1]) != 30 {
				t.Fatalf("xlsx header: %v", xrows)
			}
			if resp, body := b.get(ts.url + "/theo-doi/chi-so.pdf" + q); resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
				t.Fatalf("indicators pdf: %d", resp.StatusCode)
			}
			// A chart per indicator on the dashboard, and the scores.
			_, dash := b.get(ts.url + "/theo-doi" + q)
			for _, d := range motcua.Indicators {
				if !strings.Contains(dash, `data-indicator="`+d.Code+`"`) {
					t.Errorf("dashboard lacks the chart of %s", d.Code)
				}
			}
			if !strings.Contains(dash, `title="Điểm chỉ số 4.3">0,06</small>`) {
				t.Errorf("dashboard lacks the 4.3 score of the total")
			}
		})
	}
}

// TestPublicDisclosure: /cong-khai answers anonymous visitors with the
// province's widget, its figures counted again here from the dossiers.
func TestPublicDisclosure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ts := startServer(t, "--demo", "--data-dir", dir)
	// One dossier processed (returned on time), one received and open.
	citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, demo.Citizens()[0].Code)}
	desk := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "reception"))}
	a, _ := applyMarriageOnline(t, citizen)
	b, _ := applyMarriageOnline(t, citizen)
	returnWithEResult(t, ts, a)
	moveDossier(t, desk, b, 2)

	// The figures, counted from the dossiers of the year.
	ctx := context.Background()
	store, _, err := (&commonConfig{DataDir: dir}).openMigratedStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Now()
	today := motcua.DateOf(now)
	ds, _, err := store.ListDossiers(ctx, motcua.DossierFilter{ReceivedFrom: motcua.Date{Year: today.Year, Month: 1, Day: 1}.Time(),
		ReceivedTo: today.AddDays(1).Time(), Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var processed, late int64
	for _, d := range ds {
		if !d.FinishedAt.IsZero() {
			processed++
			if !d.DueAt.IsZero() && d.FinishedAt.After(d.DueAt) {
				late++
			}
		}
	}
	if processed < 1 {
		t.Fatalf("no processed dossier among %d", len(ds))
	}
	res := motcua.Resolution{Processed: processed, OnTime: processed - late, Late: late}

	resp, page := get(t, ts.url+"/cong-khai")
	if resp.StatusCode != 200 {
		t.Fatalf("/cong-khai anonymously: %d\n%s", resp.StatusCode, page)
	}
	figure := func(name string) string {
		m := regexp.MustCompile(`data-figure="` + name + `">([^<]*)<`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no %s figure:\n%s", name, page)
		}
		return m[1]
	}
	want := map[string]string{"processed": motcua.FormatCount(res.Processed), "on-time": motcua.FormatCount(res.OnTime),
		"late": motcua.FormatCount(res.Late), "resolved": shortRate(res.OnTimeRate()) + "%", "late-rate": shortRate(res.LateRate()) + "%"}
	for name, w := range want {
		if got := figure(name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
	for _, w := range []string{"Kết quả giải quyết TTHC", "Đến tháng " + twoDigits(int(today.Month)) + " đã giải quyết:", "Số hồ sơ xử lý:",
		"Trước &amp; đúng hạn:", "Trễ hạn:", "Tỉ lệ trễ hạn:", "Cập nhật lúc:", "UBND Thị trấn An Lão", "4.5"} {
		if !strings.Contains(page, w) {
			t.Errorf("/cong-khai lacks %q", w)
		}
	}
	// No personal data: neither the citizen's name nor the dossier codes.
	for _, w := range []string{demo.Citizens()[0].Name, demo.Citizens()[0].Code, a, b} {
		if strings.Contains(page, w) {
			t.Errorf("/cong-khai shows %q", w)
		}
	}
	if resp, _ := get(t, ts.url+"/cong-khai"); resp.Header.Get("Set-Cookie") != "" {
		t.Errorf("/cong-khai sets a cookie")
	}
	// A past year: the whole year, up to December.
	if resp, page := get(t, ts.url+"/cong-khai?nam=2024"); resp.StatusCode != 200 || !strings.Contains(page, "Đến tháng 12 đã giải quyết:") ||
		!strings.Contains(page, "từ 01/01/2024 đến 31/12/2024") {
		t.Errorf("/cong-khai?nam=2024: %d", resp.StatusCode)
	}
	for _, bad := range []string{"1999", "abc", "3000"} {
		if resp, _ := get(t, ts.url+"/cong-khai?nam="+bad); resp.StatusCode != 422 {
			t.Errorf("/cong-khai?nam=%s: %d", bad, resp.StatusCode)
		}
	}
}

func shortRate(r motcua.Rate) string {
	s := r.Percent(2, ",")
	if strings.Contains(s, ",") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ",")
	}
	return s
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + string(rune('0'+n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}
