package main

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/browsertest"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// vietnamese matches a letter only Vietnamese spelling has, so that an
// English message does not pass for a translated one.
var vietnamese = regexp.MustCompile(`[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]`)

// TestBrowserWarehouse walks a citizen through the personal warehouse in
// a real Chromium: login through the development IdP, a refused unsigned
// upload, a signed upload, a search typed without diacritics, a file
// replacement and a refused tampered replacement.
func TestBrowserWarehouse(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	citizen := demo.Citizens()[0]

	ca, err := demo.LoadOrCreateCA(filepath.Join(ts.dataDir, "demo-ca"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	files := t.TempDir()
	must := func(data []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	write := func(name string, data []byte) string {
		t.Helper()
		path := filepath.Join(files, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	signedFile := write("ban-sao-khai-sinh.pdf", must(ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Ban sao giay khai sinh"}), now)))
	secondFile := write("ban-sao-khai-sinh-2.pdf", must(ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Ban sao giay khai sinh (ban dung)"}), now)))
	tamperedFile := write("da-sua-sau-khi-ky.pdf", must(ca.SampleTampered(now)))
	unsignedFile := write("chua-ky.pdf", demo.SampleUnsigned())

	// Login through the development IdP.
	b.Navigate(ts.url + "/auth/login")
	b.Do("wait for the login page", chromedp.WaitVisible(chromedp.CSS(`a[href^="/auth/login/vneid"]`)))
	b.Page("login")
	b.Follow(`a[href^="/auth/login/vneid"]`)
	b.Do("wait for the IdP form", chromedp.WaitVisible(chromedp.ID("username")))
	b.Page("idp")
	b.Do("fill the IdP form",
		chromedp.SendKeys(chromedp.ID("username"), citizen.Code),
		chromedp.SendKeys(chromedp.ID("password"), "motcua-demo"))
	b.Follow(`form button[type=submit]:not([name=action])`)
	b.Do("wait for the account page", chromedp.WaitVisible(chromedp.CSS("dl.facts")))
	if loc := b.Location(); !strings.HasSuffix(loc, "/tai-khoan") {
		b.Fatalf("after login at %s, want /tai-khoan", loc)
	}
	if text := b.Text("main"); !strings.Contains(text, citizen.Name) || !strings.Contains(text, citizen.Code) {
		b.Fatalf("account page lacks %s %s:\n%s", citizen.Name, citizen.Code, text)
	}
	b.Page("account")

	// The warehouse holds the seeded documents.
	b.Follow(`header a[href="/kho-du-lieu"]`)
	b.Do("wait for the warehouse", chromedp.WaitVisible(chromedp.CSS("table.docs")))
	seeded := total(t, b)
	if seeded < 3 || b.Count("table.docs tbody tr") < 3 {
		b.Fatalf("the demo warehouse shows %d documents, want at least 3", seeded)
	}
	b.Page("warehouse")

	// An unsigned file is refused and the form keeps what was typed.
	b.Follow(`a.button[href="/kho-du-lieu/them-moi"]`)
	b.Do("wait for the add form", chromedp.WaitVisible(chromedp.ID("category")))
	const category = "Bản sao được chứng thực từ bản chính"
	const summary = "Bản sao giấy khai sinh của con"
	b.Do("fill the add form",
		chromedp.SetValue(chromedp.ID("category"), demo.CategoryCertifiedCopy),
		chromedp.SendKeys(chromedp.ID("decision_number"), "15/CT-UBND"),
		chromedp.SendKeys(chromedp.ID("summary"), summary),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{unsignedFile}))
	if got := browsertest.Eval[string](b, `(s => s.options[s.selectedIndex].text)(document.getElementById('category'))`); got != category {
		b.Fatalf("chosen category %q, want %q", got, category)
	}
	b.Page("add")
	b.Follow(`form[action="/kho-du-lieu"] button[type=submit]`)
	b.Do("wait for the refusal", chromedp.WaitVisible(chromedp.CSS(".alert code")))
	checkRefusal(t, b, "unsigned")
	if got := b.Value("#summary"); got != summary {
		b.Fatalf("after the refusal the summary is %q, want %q", got, summary)
	}
	b.Page("add-unsigned")

	// The signed file is accepted.
	b.Do("choose the signed file", chromedp.SetUploadFiles(chromedp.ID("file"), []string{signedFile}))
	b.Follow(`form[action="/kho-du-lieu"] button[type=submit]`)
	b.Do("wait for the new document", chromedp.WaitVisible(chromedp.CSS(".ok")))
	if notice := b.Text(".ok"); !strings.Contains(notice, "Đã cập nhật tệp tin") {
		b.Fatalf("notice after adding: %q", notice)
	}
	facts := b.Text("dl.facts")
	for _, want := range []string{category, "15/CT-UBND", summary, "Hợp lệ", citizen.Code} {
		if !strings.Contains(facts, want) {
			b.Fatalf("detail page lacks %q:\n%s", want, facts)
		}
	}
	code := b.Text("dl.facts dd code")
	if !strings.HasPrefix(code, citizen.Code+".KQ.G15.000021.") {
		b.Fatalf("document code %q", code)
	}
	detailURL, _, _ := strings.Cut(b.Location(), "?")
	b.Page("added")

	// The list shows it.
	b.Follow(`main a[href="/kho-du-lieu"]`)
	b.Do("wait for the warehouse", chromedp.WaitVisible(chromedp.CSS("table.docs")))
	if n := total(t, b); n != seeded+1 {
		b.Fatalf("the warehouse shows %d documents, want %d", n, seeded+1)
	}
	if list := b.Text("table.docs"); !strings.Contains(list, code) || !strings.Contains(list, summary) {
		b.Fatalf("the list lacks %s %q:\n%s", code, summary, list)
	}
	b.Page("warehouse-added")

	// A search typed in capitals without diacritics finds exactly it.
	// The whole summary, as the demo holds other copies of birth certificates.
	const query = "BAN SAO GIAY KHAI SINH CUA CON"
	b.Do("type the search", chromedp.SendKeys(chromedp.ID("summary"), query))
	b.Follow(`form.search button[type=submit]`)
	b.Do("wait for the results", chromedp.WaitVisible(chromedp.CSS("table.docs")))
	if n := b.Count("table.docs tbody tr"); n != 1 || !strings.Contains(b.Text("table.docs tbody"), code) {
		b.Fatalf("search found %d rows, want only %s:\n%s", n, code, b.Text("table.docs"))
	}
	if n := total(t, b); n != 1 {
		b.Fatalf("search total %d, want 1", n)
	}
	if got := b.Value("#summary"); got != query {
		b.Fatalf("the search box lost the query: %q", got)
	}
	b.Page("search")

	// The list works at a phone's width, in a tab of its own so that the
	// emulation does not linger: nothing sticks out sideways except inside
	// the table's own scroller. The add form is only shot and reported.
	phone := b.NewTab()
	phone.Do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	phone.Navigate(ts.url + "/kho-du-lieu")
	phone.Do("wait for the warehouse", chromedp.WaitVisible(chromedp.CSS("table.docs")))
	if w := browsertest.Eval[int](phone, `document.documentElement.scrollWidth`); w > 390 {
		phone.Fatalf("at 390 px the page is %d px wide", w)
	}
	phone.Page("warehouse-phone")
	phone.Navigate(ts.url + "/kho-du-lieu/them-moi")
	phone.Do("wait for the add form", chromedp.WaitVisible(chromedp.ID("category")))
	phone.Page("add-phone")
	phone.Close()

	// Replacing the file keeps the old one in the history.
	b.Navigate(ts.url + "/kho-du-lieu?summary=" + url.QueryEscape(query))
	b.Follow(`table.docs tbody td:nth-child(3) a`)
	b.Do("wait for the detail page", chromedp.WaitVisible(chromedp.CSS(`form[action$="/tep"]`)))
	if loc := b.Location(); loc != detailURL {
		b.Fatalf("opened %s, want %s", loc, detailURL)
	}
	b.Page("detail")
	b.Do("choose the new file", chromedp.SetUploadFiles(chromedp.CSS(`form[action$="/tep"] input[type=file]`), []string{secondFile}))
	b.Follow(`form[action$="/tep"] button[type=submit]`)
	b.Do("wait for the notice", chromedp.WaitVisible(chromedp.CSS(".ok")))
	if notice := b.Text(".ok"); !strings.Contains(notice, "Đã thay tệp tin") {
		b.Fatalf("notice after replacing: %q", notice)
	}
	history := b.Text("#lich-su + ul")
	if !strings.Contains(history, "Phiên bản 1") || strings.Contains(history, "Phiên bản 2") {
		b.Fatalf("history after one replacement:\n%s", history)
	}
	b.Page("replaced")

	// A file changed after signing is refused with the verifier's reason.
	b.Do("choose the tampered file", chromedp.SetUploadFiles(chromedp.CSS(`form[action$="/tep"] input[type=file]`), []string{tamperedFile}))
	b.Follow(`form[action$="/tep"] button[type=submit]`)
	b.Do("wait for the refusal", chromedp.WaitVisible(chromedp.CSS(".alert code")))
	checkRefusal(t, b, "digest_mismatch")
	if history := b.Text("#lich-su + ul"); strings.Contains(history, "Phiên bản 2") {
		b.Fatalf("the refused file entered the history:\n%s", history)
	}
	b.Page("replace-tampered")

	// The public verification page confirms the document.
	b.Follow(`a[href^="/verify/"]`)
	b.Do("wait for the verification", chromedp.WaitVisible(chromedp.CSS("main .ok")))
	if text := b.Text("main"); !strings.Contains(text, "Kết quả hợp lệ") || !strings.Contains(text, code) {
		b.Fatalf("verification page:\n%s", text)
	}
	b.Page("verify")

	for _, m := range b.Console() {
		t.Logf("console: %s (%s)", m, m.URL)
		if m.IsException() {
			t.Errorf("uncaught exception in a page: %s", m)
		}
	}
}

var totalLine = regexp.MustCompile(`Tổng số: (\d+) giấy tờ`)

// total reads the number of documents the warehouse list reports.
func total(t *testing.T, b *browsertest.Browser) int {
	t.Helper()
	text := b.Text("main")
	m := totalLine.FindStringSubmatch(text)
	if m == nil {
		b.Fatalf("no total on the list:\n%s", text)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// checkRefusal asserts that the page's alert shows the verifier's reason
// code and a message in Vietnamese.
func checkRefusal(t *testing.T, b *browsertest.Browser, reason string) {
	t.Helper()
	if got := b.Text(".alert code"); got != reason {
		b.Fatalf("reason code %q, want %q (alert: %s)", got, reason, b.Text(".alert"))
	}
	msg := b.Text(".alert")
	if text, _, _ := strings.Cut(msg, "(mã lỗi"); !vietnamese.MatchString(text) {
		b.Fatalf("refusal message not in Vietnamese: %q", msg)
	}
	t.Logf("%s refused: %s", reason, msg)
}
