package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/browsertest"
	"github.com/motcua/motcua/internal/demo"
)

// TestBrowserSupplement is issue 16's round trip in Chromium: the desk
// asks for a supplement naming two components; the citizen, on a phone
// 390 px wide, reads the reason and the components, answers one by
// upload and one from the warehouse, and the dossier is back in the
// desk's queue with every step in the timeline; the citizen withdraws
// another dossier.
func TestBrowserSupplement(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ts := startServer(t, "--demo", "--demo-history=false", "--data-dir", t.TempDir())
	citizen := demo.Citizens()[0]
	api := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, citizen.Code)}
	code, _ := applyMarriageOnline(t, api)
	other, _ := applyMarriageOnline(t, api)
	form := signedDemoPDF(t, ts, "to-khai-bo-sung.pdf", "To khai co chu ky hai ben")
	reason := "Tờ khai chưa có chữ ký của hai bên; giấy tờ tùy thân đã hết hạn"

	// The desk receives the dossier, then asks for the supplement.
	browserOfficerLogin(b, ts, townOfficer(t, "reception"))
	b.Navigate(ts.url + "/can-bo/ho-so/" + url.PathEscape(code))
	b.Follow(`form[action$="/trang-thai"]:has(input[name=to][value="2"]) button`)
	b.Do("write the request", chromedp.WaitVisible(chromedp.ID("note-5")), chromedp.SendKeys(chromedp.ID("note-5"), reason),
		chromedp.Click(chromedp.CSS(`input[name=component][value=TP01]`)), chromedp.Click(chromedp.CSS(`input[name=component][value=TP03]`)))
	b.Page("officer-supplement-request")
	b.Follow(`form[action$="/trang-thai"]:has(input[name=to][value="5"]) button`)
	if text := b.Text("main"); !strings.Contains(text, "Yêu cầu bổ sung lần 1") || !strings.Contains(text, reason) ||
		!strings.Contains(text, "Đang chờ công dân bổ sung") || !strings.Contains(text, "Tờ khai đăng ký kết hôn") {
		b.Fatalf("the request on the officer's page:\n%s", text)
	}
	if n := b.Count(`a[href$="/phieu-bo-sung.pdf"]`); n != 1 {
		b.Fatalf("%d links to the notice", n)
	}

	// The citizen, on a phone.
	browserCitizenLogin(b, ts, citizen.Code)
	b.Do("wait for the account page", chromedp.WaitVisible(chromedp.CSS("dl.facts")))
	phone := b.NewTab()
	defer phone.Close()
	phone.Do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	phone.Navigate(ts.url + "/ho-so")
	phone.Do("wait for my dossiers", chromedp.WaitVisible(chromedp.CSS("table")))
	phone.Page("my-dossiers-phone")
	if text := phone.Text("table"); !strings.Contains(text, "Đăng ký kết hôn") || !strings.Contains(text, "Yêu cầu bổ sung") {
		phone.Fatalf("my dossiers lack the procedure or the request:\n%s", text)
	}
	phone.Follow(`a[href="/ho-so/` + code + `#yeu-cau-bo-sung"]`)
	phone.Do("wait for the request", chromedp.WaitVisible(chromedp.ID("yeu-cau-bo-sung")))
	phone.Page("citizen-supplement-phone")
	text := phone.Text("#yeu-cau-bo-sung")
	for _, want := range []string{reason, "Tờ khai đăng ký kết hôn", "Giấy tờ tùy thân của hai bên", "In phiếu yêu cầu bổ sung"} {
		if !strings.Contains(text, want) {
			phone.Fatalf("the request lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Giấy xác nhận tình trạng hôn nhân") {
		phone.Fatalf("a component not requested is offered:\n%s", text)
	}
	if w := browsertest.Eval[int](phone, `document.documentElement.scrollWidth`); w > 390 {
		phone.Fatalf("at 390 px the page is %d px wide", w)
	}
	// Nothing chosen: the page says which component is missing.
	phone.Follow(`form[action$="/bo-sung"] button[type=submit]`)
	if text := phone.Text(".alert"); !strings.Contains(text, "Vui lòng bổ sung") {
		phone.Fatalf("empty answer: %q", text)
	}
	doc := browsertest.Eval[string](phone, `document.querySelector('#kho-TP03 option[value]:not([value=""])').value`)
	phone.Do("answer", chromedp.SetUploadFiles(chromedp.ID("tep-TP01"), []string{form}),
		chromedp.SetValue(chromedp.ID("kho-TP03"), doc))
	phone.Follow(`form[action$="/bo-sung"] button[type=submit]`)
	phone.Page("citizen-supplement-answered")
	text = phone.Text("main")
	for _, want := range []string{"Đã gửi hồ sơ bổ sung", "Được tiếp nhận", "Mới đăng ký → Được tiếp nhận",
		"Được tiếp nhận → Yêu cầu bổ sung", reason, "Yêu cầu bổ sung → Được tiếp nhận", "Đã bổ sung: Tờ khai đăng ký kết hôn"} {
		if !strings.Contains(text, want) {
			phone.Fatalf("after the answer the page lacks %q:\n%s", want, text)
		}
	}
	if phone.Count(`#yeu-cau-bo-sung`) != 0 {
		phone.Fatalf("the answered request still has its form")
	}

	// Withdrawing the other dossier.
	phone.Navigate(ts.url + "/ho-so/" + url.PathEscape(other))
	phone.Do("write the reason", chromedp.WaitVisible(chromedp.ID("rut-ly-do")),
		chromedp.SendKeys(chromedp.ID("rut-ly-do"), "Chúng tôi đổi ngày đăng ký"),
		chromedp.Click(chromedp.CSS(`input[name=xac-nhan]`)))
	phone.Page("citizen-withdraw")
	phone.Follow(`form[action$="/rut"] button[type=submit]`)
	text = phone.Text("main")
	if !strings.Contains(text, "Đã rút hồ sơ") || !strings.Contains(text, "Mới đăng ký → Công dân rút") ||
		!strings.Contains(text, "Chúng tôi đổi ngày đăng ký") || phone.Count(`form[action$="/rut"]`) != 0 {
		phone.Fatalf("after withdrawing:\n%s", text)
	}
	phone.Page("citizen-withdrawn")

	// Back in the desk's queue of received dossiers; the withdrawn one is not new any more.
	browserOfficerLogin(b, ts, townOfficer(t, "reception"))
	b.Navigate(ts.url + "/can-bo/ho-so?trang-thai=2")
	b.Do("wait for the queue", chromedp.WaitVisible(chromedp.CSS("main")))
	b.Page("officer-queue-after-answer")
	if b.Count(`a[href="/can-bo/ho-so/`+code+`"]`) == 0 {
		b.Fatalf("the answered dossier is not in the queue:\n%s", b.Text("main"))
	}
	b.Navigate(ts.url + "/can-bo/ho-so?trang-thai=1")
	b.Do("wait for the queue", chromedp.WaitVisible(chromedp.CSS("main")))
	if b.Count(`a[href="/can-bo/ho-so/`+other+`"]`) != 0 {
		b.Fatalf("the withdrawn dossier is still new:\n%s", b.Text("main"))
	}
}
