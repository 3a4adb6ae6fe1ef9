package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/browsertest"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// TestBrowserCatalogueAdmin is issue 15's "done" in a real Chromium: the
// province administrator creates a document category and a procedure
// accepting it with the /quan-tri pages (a refused form first), then a
// citizen who holds a document of that category applies online for the
// procedure and finds the document attached automatically.
func TestBrowserCatalogueAdmin(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	browserOfficerLogin(b, ts, demoAdmin(t, demo.ProvinceCode))

	// The category.
	b.Follow(`main a[href="/quan-tri/danh-muc"]`)
	b.Do("fill the category form", chromedp.WaitVisible(chromedp.ID("code")),
		chromedp.SendKeys(chromedp.ID("code"), adminTestCategory), chromedp.SendKeys(chromedp.ID("name"), "Giấy xác nhận thử nghiệm"),
		chromedp.SendKeys(chromedp.ID("validity_months"), "6"))
	b.Follow(`form[action="/quan-tri/danh-muc"] button[type=submit]`)
	b.Do("wait for the saved category", chromedp.WaitVisible(chromedp.CSS(".notice")))
	b.Page("admin-category-saved")
	if text := b.Text("table"); !strings.Contains(text, adminTestCategory) || !strings.Contains(text, "6 tháng") {
		b.Fatalf("categories:\n%s", text)
	}

	// The procedure: first with a category code mistyped.
	b.Navigate(ts.url + "/quan-tri/thu-tuc")
	b.Follow(`main a[href="/quan-tri/thu-tuc/moi"]`)
	b.Do("fill the procedure form", chromedp.WaitVisible(chromedp.ID("code")),
		chromedp.SendKeys(chromedp.ID("code"), adminTestProcedure), chromedp.SendKeys(chromedp.ID("name"), "Cấp giấy xác nhận thử nghiệm"),
		chromedp.SendKeys(chromedp.ID("field"), "Hộ tịch"),
		chromedp.Click(chromedp.CSS(`input[name=levels][value=district]`)),
		chromedp.Click(chromedp.CSS(`input[name=agencies][value="`+demo.JusticeOfficeCode+`"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="cases[0].code"]`), "TH01"),
		chromedp.SendKeys(chromedp.CSS(`input[name="cases[0].name"]`), "Cấp lần đầu"),
		chromedp.SendKeys(chromedp.CSS(`input[name="cases[0].processing_days"]`), "5"),
		chromedp.SendKeys(chromedp.CSS(`input[name="components[0].code"]`), "TP01"),
		chromedp.SendKeys(chromedp.CSS(`input[name="components[0].name"]`), "Giấy xác nhận thử nghiệm"),
		chromedp.Click(chromedp.CSS(`input[name="components[0].required"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="components[0].copies"]`), "1"),
		chromedp.SendKeys(chromedp.CSS(`input[name="components[0].accepted_categories"]`), "KQ.G99.000999"),
		chromedp.SendKeys(chromedp.CSS(`input[name="fees[0].name"]`), "Lệ phí"),
		chromedp.SendKeys(chromedp.CSS(`input[name="fees[0].amount_vnd"]`), "10000"))
	b.Page("admin-procedure-form")
	b.Follow(`main form button[type=submit]`)
	b.Do("wait for the refusal", chromedp.WaitVisible(chromedp.CSS(".alert")))
	b.Page("admin-procedure-refused")
	if text := b.Text(".alert"); !strings.Contains(text, "Thành phần hồ sơ 1 › loại giấy tờ chấp nhận 1: Không có loại giấy tờ KQ.G99.000999 trong danh mục.") {
		b.Fatalf("refusal:\n%s", text)
	}
	if name := b.Value(`input[name="cases[0].name"]`); name != "Cấp lần đầu" {
		b.Fatalf("the refused form lost its values: case name %q", name)
	}
	b.Do("correct the category", chromedp.SetValue(chromedp.CSS(`input[name="components[0].accepted_categories"]`), adminTestCategory))
	b.Follow(`main form button[type=submit]`)
	b.Do("wait for the saved procedure", chromedp.WaitVisible(chromedp.CSS(".notice")))
	b.Page("admin-procedure-saved")
	if text := b.Text(".notice"); !strings.Contains(text, adminTestProcedure+" (phiên bản 1)") {
		b.Fatalf("saved:\n%s", text)
	}

	// The citizen holds a document of the new category (stored through
	// the API) and applies in the browser.
	citizen := demo.Citizens()[0]
	ca, err := demo.LoadOrCreateCA(filepath.Join(ts.dataDir, "demo-ca"))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay xac nhan thu nghiem"}), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	api := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, citizen.Code)}
	body, ct := multipartBody(t, map[string]string{"category": adminTestCategory, "paper_type": "result",
		"summary": "Giấy xác nhận thử nghiệm", "issue_date": motcua.DateOf(time.Now()).String()}, signed)
	if status, _, raw := api.do("POST", "/api/v1/warehouse/documents", body, ct); status != 201 {
		t.Fatalf("store the document: %d %s", status, raw)
	}

	browserCitizenLogin(b, ts, citizen.Code)
	b.Do("wait for the account page", chromedp.WaitVisible(chromedp.CSS("dl.facts")))
	b.Navigate(ts.url + "/nop-truc-tuyen/" + adminTestProcedure)
	b.Do("wait for the case form", chromedp.WaitVisible(chromedp.ID("case")))
	if text := b.Text("main"); !strings.Contains(text, "Cấp giấy xác nhận thử nghiệm") || !strings.Contains(text, "Cấp lần đầu") {
		b.Fatalf("case page:\n%s", text)
	}
	b.Follow(`main form button[type=submit]`)
	b.Do("wait for the draft", chromedp.WaitVisible(chromedp.CSS(`form[action$="/hinh-thuc"]`)))
	b.Page("apply-new-procedure-draft")
	if text := b.Text("main"); !strings.Contains(text, "tự động đính kèm") || !strings.Contains(text, "Giấy xác nhận thử nghiệm") {
		b.Fatalf("the document of the new category is not attached:\n%s", text)
	}
}
