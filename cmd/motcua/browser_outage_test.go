package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/browsertest"
	"github.com/motcua/motcua/internal/demo"
)

// TestBrowserPopulationOutage is issue 16's counter walk-through in
// Chromium: with the population database down, the reception officer is
// offered the manual verification, receives after comparing the papers
// with a reason, the dossier shows the flag "Chưa đối chiếu CSDLQG về dân
// cư", and once the simulator answers again the re-check job clears it.
func TestBrowserPopulationOutage(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ts := startServer(t, "--demo", "--data-dir", t.TempDir(), "--identity-recheck-interval", "100ms")
	citizen := demo.Citizens()[0]
	setPopdbOutage(t, ts, true)

	browserOfficerLogin(b, ts, townOfficer(t, "reception"))
	b.Follow(`a[href="/can-bo/tiep-nhan"]`)
	b.Do("fill the counter form", chromedp.WaitVisible(chromedp.ID("choice")),
		chromedp.SetValue(chromedp.ID("choice"), demo.ProcedureMarriage+"|TH01"),
		chromedp.SendKeys(chromedp.ID("full_name"), citizen.Name), chromedp.SendKeys(chromedp.ID("id_number"), citizen.Code),
		chromedp.SendKeys(chromedp.ID("birth_date"), citizen.BirthDate.Display()))
	b.Follow(`main form button[type=submit]`)
	b.Do("wait for the manual verification", chromedp.WaitVisible(chromedp.ID("manual")))
	b.Page("counter-outage")
	if text := b.Text(".alert"); !strings.Contains(text, "Không kết nối được Cơ sở dữ liệu quốc gia về dân cư") ||
		!strings.Contains(text, "Đối chiếu thủ công với giấy tờ bản gốc") || strings.Contains(text, "đến Bộ phận Tiếp nhận") {
		b.Fatalf("outage message: %s", text)
	}
	// Checked without a reason: refused, with the reason asked for.
	b.Do("check the papers by hand", chromedp.Click(chromedp.ID("manual")))
	b.Follow(`main form button[type=submit]`)
	if text := b.Text(".alert"); !strings.Contains(text, "Vui lòng ghi lý do đối chiếu thủ công") {
		b.Fatalf("manual verification without a reason: %s", text)
	}
	b.Do("give the reason", chromedp.WaitVisible(chromedp.ID("manual_reason")),
		chromedp.SendKeys(chromedp.ID("manual_reason"), "CSDLQG về dân cư mất kết nối; đã đối chiếu CCCD bản gốc"))
	b.Follow(`main form button[type=submit]`)
	b.Do("wait for the components", chromedp.WaitVisible(chromedp.CSS(`form[action$="/tiep-nhan"]`)))
	b.Follow(`form[action$="/tiep-nhan"] button[type=submit]`)
	b.Do("wait for the dossier", chromedp.WaitVisible(chromedp.ID("identity-check")))
	b.Page("received-unconfirmed")
	if text := b.Text("#identity-check"); !strings.Contains(text, "Chưa đối chiếu CSDLQG về dân cư") ||
		!strings.Contains(text, "đã đối chiếu CCCD bản gốc") || !strings.Contains(text, "tự động đối chiếu lại") {
		b.Fatalf("flag: %s", text)
	}
	dossierURL, _, _ := strings.Cut(b.Location(), "?")

	// The database answers again: the re-check job clears the flag. The
	// job runs in the background; the page is reloaded until it shows its
	// outcome (the deadline only bounds a hung test).
	setPopdbOutage(t, ts, false)
	deadline := time.Now().Add(60 * time.Second)
	for {
		b.Navigate(dossierURL)
		text := b.Text("#identity-check")
		if !strings.Contains(text, "Chưa đối chiếu") {
			if !strings.Contains(text, "Đã đối chiếu CSDLQG về dân cư") || !strings.Contains(text, "đã đối chiếu thủ công khi tiếp nhận") {
				b.Fatalf("after the re-check: %s", text)
			}
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("the re-check never cleared the flag: %s", text)
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.Page("received-confirmed")
}
