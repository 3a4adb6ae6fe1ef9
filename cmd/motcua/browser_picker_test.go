package main

import (
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/browsertest"
	"github.com/motcua/motcua/internal/demo"
)

// phoneApplicant logs a demo citizen in at a phone's width (390 px) and
// opens a new draft of đăng ký kết hôn.
func phoneApplicant(b *browsertest.Browser, ts *testServer, code string) {
	b.Do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.Navigate(ts.url + "/auth/login/vneid")
	b.Do("wait for the IdP form", chromedp.WaitVisible(chromedp.ID("username")))
	b.Do("fill the IdP form", chromedp.SendKeys(chromedp.ID("username"), code), chromedp.SendKeys(chromedp.ID("password"), "motcua-demo"))
	b.Follow(`form button[type=submit]:not([name=action])`)
	b.Do("wait for the account page", chromedp.WaitVisible(chromedp.CSS("dl.facts")))
	b.Navigate(ts.url + "/nop-truc-tuyen/" + demo.ProcedureMarriage)
	b.Do("wait for the case form", chromedp.WaitVisible(chromedp.ID("case")))
	b.Follow(`main form button[type=submit]`)
	b.Do("wait for the draft", chromedp.WaitVisible(chromedp.CSS(`form[action$="/hinh-thuc"]`)))
}

// notWider fails when the page scrolls sideways at 390 px (tables scroll
// inside their own wrapper).
func notWider(b *browsertest.Browser, what string) {
	if w := browsertest.Eval[int](b, `document.documentElement.scrollWidth`); w > 390 {
		wide := browsertest.Eval[[]string](b, `[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.table-wrap')).slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 60))`)
		b.Fatalf("%s: at 390 px the page is %d px wide: %q", what, w, wide)
	}
}

// TestBrowserPickerWholeWarehouse (issue 16 point 3): at a phone's width,
// "Lấy từ kho" on the marriage form (a component without categories)
// opens the tab "Kho cá nhân, tổ chức" on the whole warehouse, 20 rows a
// page, searchable; a document is taken for the form, and the identity
// papers of both spouses take two documents.
func TestBrowserPickerWholeWarehouse(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	citizen := demo.Citizens()[0]
	me := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, citizen.Code)}
	land := fillWarehouse(t, ts, me, 16) // with the 5 demo documents: 21
	phoneApplicant(b, ts, citizen.Code)

	if n := b.Count(`#tp-TP01 a[href*="lay-tu-kho=TP01"]`); n != 1 {
		b.Fatalf("the form offers %d “Lấy từ kho” links, want 1", n)
	}
	b.Follow(`#tp-TP01 a[href*="lay-tu-kho=TP01"]`)
	b.Do("wait for the picker", chromedp.WaitVisible(chromedp.CSS(`#lay-tu-kho-TP01 table.picker-table`)))
	b.Page("picker-warehouse-page-1")
	notWider(b, "picker page 1")
	if tab := b.Text(`#lay-tu-kho-TP01 .picker-tabs a[aria-current=page]`); tab != "Kho cá nhân, tổ chức" {
		b.Fatalf("current tab %q", tab)
	}
	if n := b.Count(`#lay-tu-kho-TP01 .picker-tabs a`); n != 2 || !strings.Contains(b.Text(`#lay-tu-kho-TP01 .picker-tabs`), "Gợi ý kết quả cho TPHS") {
		b.Fatalf("tabs: %d %q", n, b.Text(`#lay-tu-kho-TP01 .picker-tabs`))
	}
	// The table's columns; at a phone's width each row is a card that
	// names them.
	head := browsertest.Eval[string](b, `document.querySelector('#lay-tu-kho-TP01 thead').textContent`)
	row := b.Text(`#lay-tu-kho-TP01 tbody tr`)
	for _, col := range []string{"Mã giấy tờ", "Tên giấy tờ", "Thông tin thêm"} {
		if !strings.Contains(head, col) || !strings.Contains(row, col+":") {
			b.Fatalf("column %q missing: %q / %q", col, head, row)
		}
	}
	if n := b.Count(`#lay-tu-kho-TP01 input[type=radio][name=document_id]`); n != 20 {
		b.Fatalf("page 1 has %d rows, want 20", n)
	}
	if text := b.Text(`#lay-tu-kho-TP01 .picker-total`); !strings.Contains(text, "Tổng số 21 bản ghi") || !strings.Contains(text, "Trang 1/2") {
		b.Fatalf("paging: %q", text)
	}
	b.Follow(`#lay-tu-kho-TP01 .pager a[href*="trang=2"]`)
	b.Do("wait for page 2", chromedp.WaitVisible(chromedp.CSS(`#lay-tu-kho-TP01 table.picker-table`)))
	if n := b.Count(`#lay-tu-kho-TP01 input[name=document_id]`); n != 1 || !strings.Contains(b.Text(`#lay-tu-kho-TP01 .picker-total`), "Trang 2/2") {
		b.Fatalf("page 2 has %d rows, want 1", n)
	}
	if !strings.Contains(b.Text(`#lay-tu-kho-TP01 tbody`), "21") {
		b.Fatalf("page 2 row numbers: %q", b.Text(`#lay-tu-kho-TP01 tbody`))
	}
	b.Do("search the warehouse", chromedp.SendKeys(chromedp.ID("q-TP01"), "DD-07"))
	b.Follow(`#lay-tu-kho-TP01 form[role=search] button`)
	b.Do("wait for the results", chromedp.WaitVisible(chromedp.CSS(`#lay-tu-kho-TP01 table.picker-table`)))
	b.Page("picker-warehouse-search")
	if n := b.Count(`#lay-tu-kho-TP01 input[name=document_id]`); n != 1 || b.Value(`#lay-tu-kho-TP01 input[name=document_id]`) != land[7] {
		b.Fatalf("search DD-07 found %d rows", n)
	}
	b.Do("pick it", chromedp.Click(chromedp.CSS(`#lay-tu-kho-TP01 input[name=document_id]`)))
	b.Follow(`#lay-tu-kho-TP01 form[method=post] button[type=submit]`)
	b.Do("wait for the draft", chromedp.WaitVisible(chromedp.CSS(`#tp-TP01 .chosen`)))
	if n := b.Count(`#tp-TP01 .chosen a[href="/kho-du-lieu/` + land[7] + `"]`); n != 1 || !strings.Contains(b.Text(`#tp-TP01`), "Lấy từ kho:") {
		b.Fatalf("the form does not hold the land title:\n%s", b.Text(`#tp-TP01`))
	}

	// The identity papers of both spouses: the suggestions are open, two
	// checkboxes; both are taken.
	if n := b.Count(`#lay-tu-kho-TP03 input[type=checkbox][name=document_id]`); n != 2 {
		b.Fatalf("%d identity suggestions, want 2", n)
	}
	if tab := b.Text(`#lay-tu-kho-TP03 .picker-tabs a[aria-current=page]`); tab != "Gợi ý kết quả cho TPHS" {
		b.Fatalf("TP03 opens on %q", tab)
	}
	browsertest.Eval[int](b, `(() => { const c = document.querySelectorAll('#lay-tu-kho-TP03 input[name=document_id]'); c.forEach(e => e.click()); return c.length })()`)
	b.Follow(`#lay-tu-kho-TP03 form[method=post] button[type=submit]`)
	b.Do("wait for the draft", chromedp.WaitVisible(chromedp.CSS(`#tp-TP03 .chosen`)))
	b.Page("picker-two-identity-papers")
	notWider(b, "draft with two identity papers")
	if n := b.Count(`#tp-TP03 .chosen`); n != 2 {
		b.Fatalf("TP03 holds %d documents, want 2:\n%s", n, b.Text(`#tp-TP03`))
	}
	// Full: neither another pick nor an upload is offered.
	if n := b.Count(`#tp-TP03 a[href*="lay-tu-kho"]`) + b.Count(`#file-TP03`); n != 0 {
		b.Fatalf("a full component still offers %d ways to add", n)
	}
	loc, err := url.Parse(b.Location())
	if err != nil {
		t.Fatal(err)
	}
	_, draft, raw := me.do("GET", "/api/v1/dossiers/drafts/"+path.Base(loc.Path), nil, "")
	held := map[string][]string{}
	for _, c := range draft["components"].([]any) {
		c := c.(map[string]any)
		held[c["code"].(string)] = append(held[c["code"].(string)], c["document_id"].(string))
	}
	if len(held["TP03"]) != 2 || len(held["TP01"]) != 1 || held["TP01"][0] != land[7] {
		t.Fatalf("draft JSON: %s", raw)
	}
}

// TestBrowserDeliveryByPost (issue 16 point 5): at a phone's width, step 8
// with the result by post needs an address; step 9 shows the postal fee
// note and keeps "Nộp hồ sơ" disabled until the required components are
// there; the server refuses a forced submission; then the dossier goes.
func TestBrowserDeliveryByPost(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	citizen := demo.Citizens()[0]
	form := signedDemoPDF(t, ts, "to-khai-ket-hon.pdf", "To khai dang ky ket hon")
	phoneApplicant(b, ts, citizen.Code)
	text := b.Text(`#hinh-thuc`)
	for _, want := range []string{"Hình thức nộp hồ sơ (*)", "Hình thức nhận kết quả (*)", "Chi phí thu gom sẽ thanh toán cho bưu điện và do bưu điện quy định",
		"Nộp qua dịch vụ bưu chính công ích", "Nhận qua dịch vụ bưu chính công ích"} {
		if !strings.Contains(text, want) {
			b.Fatalf("step 8 lacks %q:\n%s", want, text)
		}
	}
	b.Do("receive by post, no address", chromedp.Click(chromedp.CSS(`input[name=result_method][value=post]`)))
	b.Follow(`#hinh-thuc button[type=submit]`)
	b.Do("wait for the refusal", chromedp.WaitVisible(chromedp.CSS(`#hinh-thuc .alert`)))
	b.Page("delivery-address-required")
	if text := b.Text(`#hinh-thuc .alert`); !strings.Contains(text, "Vui lòng nhập địa chỉ") {
		b.Fatalf("refusal: %q", text)
	}
	b.Do("submit and receive by post, with the address",
		chromedp.Click(chromedp.CSS(`input[name=submit_method][value=post]`)),
		chromedp.Click(chromedp.CSS(`input[name=result_method][value=post]`)),
		chromedp.SendKeys(chromedp.ID("post_address"), "Thôn 1, xã An Hòa, huyện An Lão"))
	b.Follow(`#hinh-thuc button[type=submit]`)
	b.Do("wait for the confirmation", chromedp.WaitVisible(chromedp.ID("nop-ho-so")))
	b.Page("delivery-confirm-missing")
	notWider(b, "confirmation")
	text = b.Text("main")
	for _, want := range []string{"Xem trước hồ sơ", "Nộp qua dịch vụ bưu chính công ích", "Nhận qua dịch vụ bưu chính công ích",
		"Thôn 1, xã An Hòa, huyện An Lão", "thanh toán cho bưu điện", "Tờ khai đăng ký kết hôn theo mẫu"} {
		if !strings.Contains(text, want) {
			b.Fatalf("step 9 lacks %q:\n%s", want, text)
		}
	}
	if !browsertest.Eval[bool](b, `document.getElementById('nop-ho-so').disabled`) {
		b.Fatalf("“Nộp hồ sơ” is enabled with required components missing")
	}
	// Forced anyway, the server refuses.
	browsertest.Eval[bool](b, `document.getElementById('nop-ho-so').disabled = false`)
	b.Follow(`#nop-ho-so`)
	b.Do("wait for the refusal", chromedp.WaitVisible(chromedp.CSS(`main > .alert[role=alert]`)))
	if text := b.Text(`main > .alert[role=alert]`); !strings.Contains(text, "chưa có tệp tin") {
		b.Fatalf("forced submission: %q", text)
	}

	// Back to the draft: the components, then step 8 again (kept), then 9.
	b.Follow(`#xac-nhan a[href$="#hinh-thuc"]`)
	b.Do("wait for the draft", chromedp.WaitVisible(chromedp.CSS(`#file-TP01`)))
	b.Do("choose the form", chromedp.SetUploadFiles(chromedp.ID("file-TP01"), []string{form}))
	b.Follow(`form[action$="/thanh-phan/TP01"][enctype] button[type=submit]`)
	b.Do("wait for the draft", chromedp.WaitVisible(chromedp.CSS(`#tp-TP01 .chosen`)))
	b.Do("pick an identity paper", chromedp.Click(chromedp.CSS(`#lay-tu-kho-TP03 input[name=document_id]`)))
	b.Follow(`#lay-tu-kho-TP03 form[method=post] button[type=submit]`)
	b.Do("wait for the draft", chromedp.WaitVisible(chromedp.CSS(`#tp-TP03 .chosen`)))
	if v := b.Value(`#post_address`); v != "Thôn 1, xã An Hòa, huyện An Lão" ||
		!browsertest.Eval[bool](b, `document.querySelector('input[name=result_method][value=post]').checked`) {
		b.Fatalf("step 8 lost the choice: address %q", v)
	}
	b.Follow(`#hinh-thuc button[type=submit]`)
	b.Do("wait for the confirmation", chromedp.WaitVisible(chromedp.ID("nop-ho-so")))
	if browsertest.Eval[bool](b, `document.getElementById('nop-ho-so').disabled`) || b.Count(`#thieu-tphs`) != 0 {
		b.Fatalf("“Nộp hồ sơ” still disabled:\n%s", b.Text("main"))
	}
	b.Page("delivery-confirm-ready")
	b.Follow(`#nop-ho-so`)
	b.Do("wait for the receipt", chromedp.WaitVisible(chromedp.CSS(".ok")))
	b.Page("delivery-receipt")
	if text := b.Text("main"); !strings.Contains(text, "Nộp hồ sơ thành công") {
		b.Fatalf("receipt:\n%s", text)
	}
}
