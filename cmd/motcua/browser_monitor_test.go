package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/browsertest"
	"github.com/motcua/motcua/internal/demo"
)

// TestBrowserMonitor: the demo monitor logs in with a password and a TOTP
// code, opens the Appendix I quarter, sees the other indicators, drills
// into a commune, opens the missed-reuse list and downloads the table as
// CSV, XLSX and PDF.
func TestBrowserMonitor(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ts := startServer(t, "--demo", "--demo-history", "--data-dir", t.TempDir())
	var m demo.DemoOfficer
	for _, o := range demo.Officers() {
		if o.Roles[0] == "monitor" {
			m = o
		}
	}
	code, err := freshTOTP(ts, m.Username, m.TOTPSecret)
	if err != nil {
		t.Fatal(err)
	}
	b.Navigate(ts.url + "/can-bo/dang-nhap")
	b.Do("wait for the officer form", chromedp.WaitVisible(chromedp.ID("otp")))
	b.Page("monitor-login")
	b.Do("fill the officer form", chromedp.SendKeys(chromedp.ID("username"), m.Username),
		chromedp.SendKeys(chromedp.ID("password"), m.Password), chromedp.SendKeys(chromedp.ID("otp"), code))
	b.Follow(`main form button[type=submit]`)
	b.Do("wait for the account page", chromedp.WaitVisible(chromedp.CSS(`a[href="/theo-doi"]`)))
	b.Follow(`a[href="/theo-doi"]`)
	b.Do("wait for the dashboard", chromedp.WaitVisible(chromedp.CSS("table.kpi")))
	b.Follow(`a[href*="from=2024-01-01"][href*="to=2024-03-20"]`)
	b.Do("wait for the quarter", chromedp.WaitVisible(chromedp.CSS("table.kpi")))
	b.Page("monitor-quarter")
	text := b.Text("table.kpi")
	for _, want := range []string{"UBND xã An Hòa", "14,32", "3.480", "4,48"} {
		if !strings.Contains(text, want) {
			b.Fatalf("dashboard lacks %q:\n%s", want, text)
		}
	}
	indicators := b.Text(`section[aria-labelledby="chi-so"]`)
	for _, want := range []string{"2.1 Đúng hạn", "4.1 Kết quả điện tử", "4.2 Số hóa hồ sơ", "4.4 Chia sẻ dữ liệu số hóa", "Tổng cộng"} {
		if !strings.Contains(indicators, want) {
			b.Fatalf("indicators table lacks %q:\n%s", want, indicators)
		}
	}
	// The downloads, fetched with the monitor's session as the links would.
	for _, d := range []struct{ link, ctype, magic string }{
		{"Tải CSV", "text/csv", "TT,"}, {"Tải Excel (XLSX)", "spreadsheetml", "PK"}, {"Tải PDF", "application/pdf", "%PDF-"},
	} {
		got := browsertest.Eval[string](b, `(async () => {
			const a = [...document.querySelectorAll("a")].find(a => a.textContent.trim() === `+"`"+d.link+"`"+`);
			if (!a) return "no link";
			const r = await fetch(a.href);
			const body = new Uint8Array(await r.arrayBuffer());
			return r.status + " " + r.headers.get("content-type") + " " + body.length + " " + new TextDecoder().decode(body.slice(0, 8));
		})()`, chromedp.EvalAwaitPromise)
		if !strings.HasPrefix(got, "200 ") || !strings.Contains(got, d.ctype) || !strings.Contains(got, d.magic) {
			b.Fatalf("download %q: %s", d.link, got)
		}
	}
	b.Follow(`a[href^="/theo-doi/bo-lo"]`)
	b.Do("wait for the missed-reuse list", chromedp.WaitVisible(chromedp.CSS("table.kpi")))
	b.Page("monitor-missed-list")
	missed := b.Text("table.kpi")
	if !strings.Contains(missed, "UBND") || !strings.Contains(missed, "+") {
		b.Fatalf("missed-reuse list:\n%s", missed)
	}
	b.Navigate(ts.url + "/theo-doi?agency=" + demo.DistrictCode + "&from=2024-01-01&to=2024-03-20")
	b.Do("wait for the quarter", chromedp.WaitVisible(chromedp.CSS("table.kpi")))
	b.Follow(`table.kpi a[href*="agency=` + demo.CommuneCodes()[2] + `"][href*="reused=1"]`)
	b.Do("wait for the drill-down", chromedp.WaitVisible(chromedp.CSS("main table")))
	b.Page("monitor-drill-down")
	if !strings.Contains(b.Text("main"), "66 hồ sơ") {
		b.Fatalf("drill-down:\n%s", b.Text("main"))
	}
	b.Navigate(ts.url + "/theo-doi/ho-so?agency=" + demo.TownCode + "&from=2024-01-01&to=2024-03-20&missed=1")
	b.Do("wait for the missed-reuse list", chromedp.WaitVisible(chromedp.CSS("main table")))
	b.Page("monitor-missed")
	if !strings.Contains(b.Text("main h1"), "bỏ lỡ") {
		b.Fatalf("missed-reuse page:\n%s", b.Text("main"))
	}
}
