package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/browsertest"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// TestBrowserApplyOnline is the online application of the README in a
// real Chromium: đăng ký kết hôn with one component attached from the
// warehouse automatically, one chosen among two, one uploaded.
func TestBrowserApplyOnline(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	citizen := demo.Citizens()[0]
	form := signedDemoPDF(t, ts, "to-khai-ket-hon.pdf", "To khai dang ky ket hon")

	b.Navigate(ts.url + "/auth/login/vneid")
	b.Do("wait for the IdP form", chromedp.WaitVisible(chromedp.ID("username")))
	b.Do("fill the IdP form", chromedp.SendKeys(chromedp.ID("username"), citizen.Code), chromedp.SendKeys(chromedp.ID("password"), "motcua-demo"))
	b.Follow(`form button[type=submit]:not([name=action])`)
	b.Do("wait for the account page", chromedp.WaitVisible(chromedp.CSS("dl.facts")))

	b.Follow(`header a[href="/nop-truc-tuyen"]`)
	b.Do("search the procedure", chromedp.WaitVisible(chromedp.ID("q")), chromedp.SendKeys(chromedp.ID("q"), "dang ky ket hon"))
	b.Follow(`form[role=search] button[type=submit]`)
	b.Do("wait for the results", chromedp.WaitVisible(chromedp.CSS("table")))
	b.Page("apply-procedures")
	if n := b.Count(`a.button[href^="/nop-truc-tuyen/"]`); n != 1 {
		b.Fatalf("search found %d procedures, want 1", n)
	}
	b.Follow(`a.button[href="/nop-truc-tuyen/` + demo.ProcedureMarriage + `"]`)
	b.Do("wait for the case form", chromedp.WaitVisible(chromedp.ID("case")))
	b.Page("apply-case")
	if text := b.Text("main"); !strings.Contains(text, citizen.Name) || !strings.Contains(text, "Chọn trường hợp hồ sơ") {
		b.Fatalf("case page:\n%s", text)
	}
	b.Follow(`main form button[type=submit]`)
	b.Do("wait for the draft", chromedp.WaitVisible(chromedp.CSS(`form[action$="/hinh-thuc"]`)))
	b.Page("apply-draft")
	text := b.Text("main")
	if !strings.Contains(text, "tự động đính kèm") || !strings.Contains(text, "Trong Kho dữ liệu có tệp tin điện tử phù hợp, hãy thực hiện lấy TPHS từ Kho dữ liệu!") {
		b.Fatalf("draft page lacks the automatic attachment or the choice:\n%s", text)
	}
	// The couple's identity papers take up to two documents: checkboxes.
	if n := b.Count(`input[type=checkbox][name=document_id]`); n != 2 {
		b.Fatalf("%d warehouse suggestions, want 2", n)
	}
	b.Do("pick the first suggestion", chromedp.Click(chromedp.CSS(`input[type=checkbox][name=document_id]`)))
	b.Follow(`form[action$="/thanh-phan/TP03"] button[type=submit]`)
	b.Do("wait for the draft", chromedp.WaitVisible(chromedp.CSS(`#file-TP01`)))
	b.Do("choose the form", chromedp.SetUploadFiles(chromedp.ID("file-TP01"), []string{form}))
	b.Follow(`form[action$="/thanh-phan/TP01"] button[type=submit]`)
	b.Do("wait for the draft", chromedp.WaitVisible(chromedp.CSS(`form[action$="/hinh-thuc"]`)))
	if n := b.Count(`a[href*="/thanh-phan/TP01/tep"]`); n != 1 {
		b.Fatalf("%d links to view the uploaded form on the component, want 1", n)
	}
	b.Follow(`form[action$="/hinh-thuc"] button[type=submit]`)
	b.Do("wait for the confirmation", chromedp.WaitVisible(chromedp.CSS(`form[action$="/nop"]`)))
	b.Page("apply-preview")
	if text := b.Text(`form[action$="/nop"]`); strings.Count(text, "lấy từ kho") != 2 || !strings.Contains(text, "to-khai-ket-hon.pdf") {
		b.Fatalf("preview:\n%s", text)
	}
	// "Xem tệp" on the component and in the preview opens the uploaded
	// form in the browser's PDF viewer, not as a download.
	if n := b.Count(`a[href*="/thanh-phan/TP01/tep"]`); n != 1 {
		b.Fatalf("%d links to view the uploaded form in the preview, want 1", n)
	}
	draftURL := b.Location()
	b.Follow(`form[action$="/nop"] a[href*="/thanh-phan/TP01/tep"]`)
	if ct := browsertest.Eval[string](b, `document.contentType`); ct != "application/pdf" {
		b.Fatalf("the uploaded form opens as %q, want application/pdf", ct)
	}
	b.Navigate(draftURL)
	b.Do("wait for the draft", chromedp.WaitVisible(chromedp.CSS(`form[action$="/nop"]`)))
	b.Follow(`form[action$="/nop"] button[type=submit]`)
	b.Do("wait for the receipt", chromedp.WaitVisible(chromedp.CSS(".ok")))
	b.Page("apply-receipt")
	if text := b.Text("main"); !strings.Contains(text, "Nộp hồ sơ thành công") || !strings.Contains(text, demo.TownCode+"-") {
		b.Fatalf("receipt:\n%s", text)
	}

	// The warehouse counts each reused document once.
	b.Follow(`header a[href="/kho-du-lieu"]`)
	b.Do("wait for the warehouse", chromedp.WaitVisible(chromedp.CSS("table.docs")))
	b.Page("apply-warehouse-usage")
	if n := strings.Count(b.Text("table.docs"), "Số lần sử dụng: 1"); n != 2 {
		b.Fatalf("%d documents show one use, want 2", n)
	}
}

// signedDemoPDF writes a PDF with text, signed by the demo CA of ts, as
// a file named name to upload, and returns its path.
func signedDemoPDF(t *testing.T, ts *testServer, name, text string) string {
	t.Helper()
	ca, err := demo.LoadOrCreateCA(filepath.Join(ts.dataDir, "demo-ca"))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: text}), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, signed, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
