package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/browsertest"
	"github.com/motcua/motcua/internal/demo"
)

// returnMarriageResult takes an online marriage dossier of the first demo
// citizen through the town's agency API to "Đã trả kết quả" (status 10)
// and returns its code.
func returnMarriageResult(t *testing.T, ts *testServer, citizen *apiClient) string {
	t.Helper()
	code, _ := applyMarriageOnline(t, citizen)
	returnWithEResult(t, ts, code)
	return code
}

// TestSatisfactionAndLookup: the owner rates a dossier once, only after
// its result was returned; anyone looks a dossier up by code and the
// owner's personal id and sees no personal data; a wrong code and a wrong
// id get the same answer. On both backends.
func TestSatisfactionAndLookup(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		owner := demo.Citizens()[0]
		citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, owner.Code)}
		b := newBrowser(t)
		if resp, body := b.loginAt(ts, "vneid", owner.Code, "motcua-demo"); resp.Request.URL.Path != "/tai-khoan" {
			t.Fatalf("login: %s", body)
		}
		open, _ := applyMarriageOnline(t, citizen)
		// Not before the result is returned.
		if resp, body := b.post(ts.url+"/ho-so/"+open+"/danh-gia", url.Values{"muc-do": {"5"}}); resp.StatusCode != 422 ||
			!strings.Contains(body, "sau khi hồ sơ đã trả kết quả") {
			t.Fatalf("rating an open dossier: %d", resp.StatusCode)
		}
		code := returnMarriageResult(t, ts, citizen)
		if _, body := b.get(ts.url + "/ho-so/" + code); !strings.Contains(body, "Đánh giá mức độ hài lòng") || !strings.Contains(body, `name="muc-do"`) {
			t.Fatalf("no rating form after the result was returned:\n%s", body)
		}
		if resp, _ := b.post(ts.url+"/ho-so/"+code+"/danh-gia", url.Values{"muc-do": {"7"}}); resp.StatusCode != 422 {
			t.Fatalf("rating at level 7: %d", resp.StatusCode)
		}
		resp, body := b.post(ts.url+"/ho-so/"+code+"/danh-gia", url.Values{"muc-do": {"2"}, "y-kien": {"Phải chờ lâu"}})
		if resp.StatusCode != 200 || !strings.Contains(body, "Bạn đã đánh giá: <strong>Không hài lòng</strong>") || !strings.Contains(body, "Phải chờ lâu") {
			t.Fatalf("rate: %d\n%s", resp.StatusCode, body)
		}
		if resp, body := b.post(ts.url+"/ho-so/"+code+"/danh-gia", url.Values{"muc-do": {"5"}}); resp.StatusCode != 409 ||
			!strings.Contains(body, "đã được đánh giá") {
			t.Fatalf("rating twice: %d", resp.StatusCode)
		}
		// Someone else's dossier is not found.
		other := newBrowser(t)
		other.loginAt(ts, "vneid", demo.Citizens()[2].Code, "motcua-demo")
		if resp, _ := other.post(ts.url+"/ho-so/"+code+"/danh-gia", url.Values{"muc-do": {"5"}}); resp.StatusCode != 404 {
			t.Fatalf("another citizen rates: %d", resp.StatusCode)
		}

		// The look-up, anonymous.
		anon := newBrowser(t)
		resp, body = anon.post(ts.url+"/tra-cuu-ho-so", url.Values{"ma-ho-so": {code}, "so-dinh-danh": {owner.Code}})
		if resp.StatusCode != 200 || !strings.Contains(body, "Đã trả kết quả") || !strings.Contains(body, "Đăng ký kết hôn") ||
			!strings.Contains(body, "Ngày tiếp nhận") {
			t.Fatalf("look-up: %d\n%s", resp.StatusCode, body)
		}
		if strings.Contains(body, owner.Name) || strings.Contains(body, owner.Phone) || strings.Contains(body, "value=\""+owner.Code) {
			t.Fatalf("the look-up shows personal data:\n%s", body)
		}
		if resp, body := anon.get(ts.url + "/tra-cuu-ho-so?ma-ho-so=" + url.QueryEscape(code) + "&so-dinh-danh=" + owner.Code); resp.StatusCode != 200 ||
			!strings.Contains(body, "Đã trả kết quả") {
			t.Fatalf("look-up by GET: %d", resp.StatusCode)
		}
		const notFound = "Không tìm thấy hồ sơ với mã hồ sơ và số định danh đã nhập."
		var answers []string
		for _, in := range []url.Values{
			{"ma-ho-so": {code}, "so-dinh-danh": {demo.Citizens()[2].Code}},
			{"ma-ho-so": {strings.TrimSuffix(code, code[len(code)-1:]) + "9"}, "so-dinh-danh": {owner.Code}},
			{"ma-ho-so": {"không-phải-mã"}, "so-dinh-danh": {owner.Code}},
		} {
			resp, body := anon.post(ts.url+"/tra-cuu-ho-so", in)
			if resp.StatusCode != 404 || !strings.Contains(body, notFound) || strings.Contains(body, "Đăng ký kết hôn") {
				t.Fatalf("look-up %v: %d\n%s", in, resp.StatusCode, body)
			}
			answers = append(answers, body)
		}
		if resp, body := anon.get(ts.url + "/tra-cuu-ho-so?ma-ho-so=" + url.QueryEscape(code)); resp.StatusCode != 200 ||
			!strings.Contains(body, `value="`+code+`"`) || strings.Contains(body, notFound) {
			t.Fatalf("the QR's address pre-fills the code: %d", resp.StatusCode)
		}
		if resp, png := anon.get(ts.url + "/ho-so/" + code + "/qr.png"); resp.StatusCode != 200 || !strings.HasPrefix(png, "\x89PNG") {
			t.Fatalf("receipt QR: %d", resp.StatusCode)
		}
		// Guessing is throttled: after 10 misses from one address (3 above),
		// even the right pair waits.
		for i := 0; i < 7; i++ {
			if resp, _ := anon.post(ts.url+"/tra-cuu-ho-so", url.Values{"ma-ho-so": {code}, "so-dinh-danh": {"05209000000" + string(rune('0'+i))}}); resp.StatusCode != 404 {
				t.Fatalf("miss %d: %d", i, resp.StatusCode)
			}
		}
		if resp, body := anon.post(ts.url+"/tra-cuu-ho-so", url.Values{"ma-ho-so": {code}, "so-dinh-danh": {owner.Code}}); resp.StatusCode != 429 ||
			!strings.Contains(body, "tra cứu sai quá nhiều lần") || strings.Contains(body, "Đăng ký kết hôn") {
			t.Fatalf("the 11th look-up after 10 misses: %d", resp.StatusCode)
		}
	})
}

// TestBrowserSatisfaction is issue 16 point 6 in Chromium at a phone's
// width (390 px): the citizen rates a dossier whose result was returned,
// then anyone looks it up at /tra-cuu-ho-so without login, and a wrong
// personal id says not found.
func TestBrowserSatisfaction(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ts := startServer(t, "--demo", "--demo-history=false", "--data-dir", t.TempDir())
	owner := demo.Citizens()[0]
	code := returnMarriageResult(t, ts, &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, owner.Code)})

	phone := b.NewTab()
	defer phone.Close()
	phone.Do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	browserCitizenLogin(phone, ts, owner.Code)
	phone.Navigate(ts.url + "/ho-so/" + code)
	phone.Do("wait for the rating form", chromedp.WaitVisible(chromedp.CSS(`form[action$="/danh-gia"]`)))
	phone.Page("rating-form-phone")
	if w := browsertest.Eval[int](phone, `document.documentElement.scrollWidth`); w > 390 {
		phone.Fatalf("at 390 px the dossier page is %d px wide", w)
	}
	phone.Do("rate", chromedp.Click(chromedp.CSS(`input[name="muc-do"][value="4"]`)),
		chromedp.SendKeys(chromedp.ID("y-kien"), "Cán bộ hướng dẫn tận tình"))
	phone.Follow(`form[action$="/danh-gia"] button[type=submit]`)
	phone.Do("wait for the thanks", chromedp.WaitVisible(chromedp.CSS(`#danh-gia .ok`)))
	phone.Page("rated-phone")
	if text := phone.Text("#danh-gia"); !strings.Contains(text, "Bạn đã đánh giá: Hài lòng") || !strings.Contains(text, "Cán bộ hướng dẫn tận tình") {
		phone.Fatalf("rating not shown:\n%s", text)
	}
	if phone.Count(`form[action$="/danh-gia"]`) != 0 {
		phone.Fatalf("the rating form is still offered")
	}

	// Anyone, without login.
	phone.Follow(`header form[action="/auth/logout"] button`)
	phone.Navigate(ts.url + "/")
	phone.Follow(`header a[href="/tra-cuu-ho-so"]`)
	phone.Do("fill the look-up", chromedp.WaitVisible(chromedp.ID("ma-ho-so")), chromedp.SendKeys(chromedp.ID("ma-ho-so"), code),
		chromedp.SendKeys(chromedp.ID("so-dinh-danh"), owner.Code))
	phone.Page("lookup-form-phone")
	phone.Follow(`main form button[type=submit]`)
	phone.Do("wait for the answer", chromedp.WaitVisible(chromedp.ID("ket-qua-tra-cuu")))
	phone.Page("lookup-phone")
	if text := phone.Text("#ket-qua-tra-cuu"); !strings.Contains(text, "Đã trả kết quả") || !strings.Contains(text, "Đăng ký kết hôn") ||
		!strings.Contains(text, code) || strings.Contains(text, owner.Name) {
		phone.Fatalf("look-up answer:\n%s", text)
	}
	if w := browsertest.Eval[int](phone, `document.documentElement.scrollWidth`); w > 390 {
		phone.Fatalf("at 390 px the look-up page is %d px wide", w)
	}
	phone.Do("a wrong personal id", chromedp.SetValue(chromedp.ID("ma-ho-so"), code),
		chromedp.SendKeys(chromedp.ID("so-dinh-danh"), demo.Citizens()[2].Code))
	phone.Follow(`main form button[type=submit]`)
	phone.Do("wait for the refusal", chromedp.WaitVisible(chromedp.CSS(`main .alert`)))
	if text := phone.Text("main .alert"); !strings.Contains(text, "Không tìm thấy hồ sơ") {
		phone.Fatalf("wrong id: %s", text)
	}
	if phone.Count("#ket-qua-tra-cuu") != 0 {
		phone.Fatalf("a wrong personal id shows the dossier")
	}
}
