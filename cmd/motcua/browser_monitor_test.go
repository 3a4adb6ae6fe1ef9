package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/browsertest"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/service"
)

// TestBrowserMonitor: the demo monitor logs in with a password and a TOTP
// code, opens the Appendix I quarter, drills into a commune and opens a
// missed-reuse list.
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
	code, err := service.TOTPCode(m.TOTPSecret, time.Now())
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
