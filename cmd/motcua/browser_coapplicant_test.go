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

// phoneLogin logs a demo citizen in at a phone's width, after logging
// out whoever was.
func phoneLogin(b *browsertest.Browser, ts *testServer, code string) {
	if b.Count(`form[action="/auth/logout"] button`) > 0 {
		b.Follow(`form[action="/auth/logout"] button`)
	}
	b.Navigate(ts.url + "/auth/login/vneid")
	b.Do("wait for the IdP form", chromedp.WaitVisible(chromedp.ID("username")))
	b.Do("fill the IdP form", chromedp.SendKeys(chromedp.ID("username"), code), chromedp.SendKeys(chromedp.ID("password"), "motcua-demo"))
	b.Follow(`form button[type=submit]:not([name=action])`)
	b.Do("wait for the account page", chromedp.WaitVisible(chromedp.CSS("dl.facts")))
}

// TestBrowserTwoPartyMarriage (issue 16 point 4): at a phone's width,
// citizen A starts a marriage registration and names B as co-applicant;
// B logs in, is told of the request, consents on the requests page; A's
// draft then offers B's identity papers, A takes one of each and
// submits; the officer returns the signed result, which lands in both
// warehouses; B's document counts the use and B's "Ai đã sử dụng dữ liệu
// của tôi" names A.
func TestBrowserTwoPartyMarriage(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	citizens := demo.Citizens()
	a, partner := citizens[0], citizens[2]
	me := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, a.Code)}
	them := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, partner.Code)}

	phoneApplicant(b, ts, a.Code)
	loc, err := url.Parse(b.Location())
	if err != nil {
		t.Fatal(err)
	}
	draftURL := ts.url + loc.Path
	draftID := path.Base(loc.Path)
	if n := b.Count(`#nguoi-cung-nop form`); n != 1 {
		b.Fatalf("no co-applicant form on a two-party procedure")
	}
	// A wrong date of birth fails the population check.
	b.Do("name the partner, wrong birth date",
		chromedp.SendKeys(chromedp.ID("co_subject_id"), partner.Code), chromedp.SendKeys(chromedp.ID("co_name"), partner.Name),
		chromedp.SendKeys(chromedp.ID("co_birth_date"), "01/01/1990"))
	b.Follow(`#nguoi-cung-nop button[type=submit]`)
	b.Do("wait for the refusal", chromedp.WaitVisible(chromedp.CSS(`#nguoi-cung-nop .alert`)))
	if text := b.Text(`#nguoi-cung-nop .alert`); !strings.Contains(text, "không khớp với Cơ sở dữ liệu quốc gia về dân cư") {
		b.Fatalf("refusal: %q", text)
	}
	b.Do("name the partner",
		chromedp.SetValue(chromedp.ID("co_subject_id"), partner.Code), chromedp.SetValue(chromedp.ID("co_name"), partner.Name),
		chromedp.SetValue(chromedp.ID("co_birth_date"), partner.BirthDate.Display()))
	b.Follow(`#nguoi-cung-nop button[type=submit]`)
	b.Do("wait for the co-applicant", chromedp.WaitVisible(chromedp.CSS(`#nguoi-cung-nop .co-applicant`)))
	b.Page("two-party-pending")
	notWider(b, "draft with a pending co-applicant")
	if text := b.Text(`#nguoi-cung-nop .co-applicant`); !strings.Contains(text, partner.Name) || !strings.Contains(text, "Chờ đồng ý") {
		b.Fatalf("co-applicant: %q", text)
	}
	if n := b.Count(`#lay-tu-kho-TP03 input[name=document_id]`); n != 2 {
		b.Fatalf("before consent TP03 offers %d documents, want A's 2", n)
	}

	// B: the notice on login, the requests page, "Đồng ý".
	phoneLogin(b, ts, partner.Code)
	if text := b.Text(`#yeu-cau-dong-y`); !strings.Contains(text, "1 yêu cầu đồng ý sử dụng dữ liệu") {
		b.Fatalf("notice: %q", text)
	}
	b.Follow(`#yeu-cau-dong-y a`)
	b.Do("wait for the requests", chromedp.WaitVisible(chromedp.CSS(`#yeu-cau-`+draftID)))
	b.Page("consent-requests")
	notWider(b, "consent requests")
	if text := b.Text(`#yeu-cau-` + draftID); !strings.Contains(text, "Đăng ký kết hôn") || !strings.Contains(text, a.Name) || !strings.Contains(text, "Chờ đồng ý") {
		b.Fatalf("request: %q", text)
	}
	b.Follow(`#yeu-cau-` + draftID + ` button[value=granted]`)
	b.Do("wait for the answer", chromedp.WaitVisible(chromedp.CSS(`main p.ok[role=status]`)))
	if text := b.Text(`#yeu-cau-` + draftID + ` .consent-state`); text != "Đã đồng ý" {
		b.Fatalf("state after consent: %q", text)
	}

	// A: B's identity papers are offered; one of each is taken.
	phoneLogin(b, ts, a.Code)
	b.Navigate(draftURL + "?lay-tu-kho=TP03#tp-TP03")
	b.Do("wait for the picker", chromedp.WaitVisible(chromedp.CSS(`#lay-tu-kho-TP03 table.picker-table`)))
	if n := b.Count(`#lay-tu-kho-TP03 input[name=document_id]`); n != 4 {
		b.Fatalf("after consent TP03 offers %d documents, want 4", n)
	}
	b.Page("two-party-picker")
	notWider(b, "picker with the partner's documents")
	picked := browsertest.Eval[int](b, `(() => {
		const rows = [...document.querySelectorAll('#lay-tu-kho-TP03 tbody tr')];
		const theirs = rows.find(r => r.textContent.includes('Kho của người cùng yêu cầu'));
		const mine = rows.find(r => !r.textContent.includes('Kho của người cùng yêu cầu'));
		if (!theirs || !mine) return 0;
		theirs.querySelector('input').click(); mine.querySelector('input').click();
		return 2; })()`)
	if picked != 2 {
		b.Fatalf("could not find one document of each warehouse")
	}
	b.Follow(`#lay-tu-kho-TP03 form[method=post] button[type=submit]`)
	b.Do("wait for the draft", chromedp.WaitVisible(chromedp.CSS(`#tp-TP03 .chosen`)))
	if n := b.Count(`#tp-TP03 .chosen`); n != 2 || !strings.Contains(b.Text(`#tp-TP03`), "Lấy từ kho của người cùng yêu cầu "+partner.Name) {
		b.Fatalf("TP03:\n%s", b.Text(`#tp-TP03`))
	}
	body, ct := multipartBody(t, nil, demo.SampleUnsigned())
	if status, _, raw := me.do("PUT", "/api/v1/dossiers/drafts/"+draftID+"/components/TP01", body, ct); status != 200 {
		t.Fatalf("form scan: %d %s", status, raw)
	}
	b.Navigate(draftURL)
	b.Do("wait for step 8", chromedp.WaitVisible(chromedp.ID("hinh-thuc")))
	b.Do("submit at the counter", chromedp.Click(chromedp.CSS(`input[name=submit_method][value=counter]`)))
	b.Follow(`#hinh-thuc button[type=submit]`)
	b.Do("wait for the confirmation", chromedp.WaitVisible(chromedp.ID("nop-ho-so")))
	b.Page("two-party-confirm")
	b.Follow(`#nop-ho-so`)
	b.Do("wait for the receipt", chromedp.WaitVisible(chromedp.CSS("main h1")))
	loc, err = url.Parse(b.Location())
	if err != nil || !strings.HasPrefix(loc.Path, "/ho-so/") {
		b.Fatalf("after submission at %s", b.Location())
	}
	code := path.Base(loc.Path)

	// The officer returns the signed result.
	apiPath := "/api/v1/agency/dossiers/" + url.PathEscape(code)
	desk := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "reception"))}
	if _, d, raw := desk.do("GET", apiPath, nil, ""); d["submit_method"] != "counter" || len(d["co_applicants"].([]any)) != 1 {
		t.Fatalf("agency dossier: %s", raw)
	}
	number := returnWithEResult(t, ts, code)

	// Both warehouses hold the result.
	for who, cl := range map[string]*apiClient{"A": me, "B": them} {
		_, res, raw := cl.do("GET", "/api/v1/warehouse/documents?code="+demo.CategoryMarriageCertificate, nil, "")
		if items := res["items"].([]any); len(items) != 1 || items[0].(map[string]any)["decision_number"] != number {
			t.Fatalf("%s's warehouse: %s", who, raw)
		}
	}
	// B's used document: counted, and B's access log names A.
	_, used, _ := them.do("GET", "/api/v1/warehouse/documents?code="+demo.CategoryCertifiedCopy, nil, "")
	var theirID string
	for _, it := range used["items"].([]any) {
		if it.(map[string]any)["usage_count"] == float64(1) {
			theirID = it.(map[string]any)["id"].(string)
		}
	}
	if theirID == "" {
		t.Fatalf("no document of B's counts a use: %v", used)
	}
	phoneLogin(b, ts, partner.Code)
	b.Navigate(ts.url + "/ho-so")
	b.Do("wait for B's dossiers", chromedp.WaitVisible(chromedp.CSS("main h1")))
	if text := b.Text("main"); !strings.Contains(text, code) {
		b.Fatalf("B's dossiers lack %s:\n%s", code, text)
	}
	b.Navigate(ts.url + "/kho-du-lieu/" + theirID)
	b.Do("wait for the document", chromedp.WaitVisible(chromedp.ID("ai-dung")))
	b.Page("two-party-access-log")
	if text := b.Text(`section[aria-labelledby=ai-dung]`); !strings.Contains(text, a.Name) || !strings.Contains(text, "person:"+a.Code) {
		b.Fatalf("access log does not name A:\n%s", text)
	}
}
