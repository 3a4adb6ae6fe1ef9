package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/browsertest"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// browserOfficerLogin logs a demo officer in through the officer form,
// logging out whoever was logged in first.
func browserOfficerLogin(b *browsertest.Browser, ts *testServer, o demo.DemoOfficer) {
	b.Navigate(ts.url + "/can-bo/dang-nhap")
	if b.Count(`header form[action="/auth/logout"] button`) > 0 {
		b.Follow(`header form[action="/auth/logout"] button`)
		b.Navigate(ts.url + "/can-bo/dang-nhap")
	}
	code, err := freshTOTP(ts, o.Username, o.TOTPSecret)
	if err != nil {
		b.Fatalf("totp: %v", err)
	}
	b.Do("fill the officer form", chromedp.WaitVisible(chromedp.ID("otp")), chromedp.SendKeys(chromedp.ID("username"), o.Username),
		chromedp.SendKeys(chromedp.ID("password"), o.Password), chromedp.SendKeys(chromedp.ID("otp"), code))
	b.Follow(`main form button[type=submit]`)
	b.Do("wait for the account page", chromedp.WaitVisible(chromedp.CSS("dl.facts")))
}

// browserCitizenLogin logs out whoever is logged in and logs a citizen in
// through the development VNeID provider.
func browserCitizenLogin(b *browsertest.Browser, ts *testServer, code string) {
	b.Navigate(ts.url + "/tai-khoan")
	if b.Count(`header form[action="/auth/logout"] button`) > 0 {
		b.Follow(`header form[action="/auth/logout"] button`)
	}
	b.Navigate(ts.url + "/auth/login/vneid")
	b.Do("fill the IdP form", chromedp.WaitVisible(chromedp.ID("username")), chromedp.SendKeys(chromedp.ID("username"), code),
		chromedp.SendKeys(chromedp.ID("password"), "motcua-demo"))
	b.Follow(`form button[type=submit]:not([name=action])`)
}

func townOfficer(t *testing.T, role string) demo.DemoOfficer {
	t.Helper()
	for _, o := range demo.Officers() {
		if o.AgencyCode == demo.TownCode && string(o.Roles[0]) == role {
			return o
		}
	}
	t.Fatalf("no %s officer at the town", role)
	return demo.DemoOfficer{}
}

// TestBrowserBackOffice is issue 8's walk-through in Chromium: the
// reception officer receives a counter dossier for a demo citizen, sees
// the warehouse matches before scanning, cannot forward while the form is
// not digitized, scans it and forwards; the processing officer drafts the
// result and the leader signs it; the desk returns it; the citizen finds
// it in the warehouse and, applying for a birth registration, sees it
// attached automatically.
func TestBrowserBackOffice(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ts := startServer(t, "--demo", "--demo-history=false", "--data-dir", t.TempDir())
	dir := t.TempDir()
	scan := filepath.Join(dir, "to-khai-quet.pdf")
	result := filepath.Join(dir, "giay-chung-nhan-ket-hon.pdf")
	for path, text := range map[string]string{scan: "To khai dang ky ket hon (ban quet)", result: "Giay chung nhan ket hon so KH-88"} {
		if err := os.WriteFile(path, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: text}), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	citizen := demo.Citizens()[0]

	// Reception at the counter.
	browserOfficerLogin(b, ts, townOfficer(t, "reception"))
	b.Follow(`a[href="/can-bo/tiep-nhan"]`)
	b.Do("fill the counter form", chromedp.WaitVisible(chromedp.ID("choice")),
		chromedp.SetValue(chromedp.ID("choice"), demo.ProcedureMarriage+"|TH01"),
		chromedp.SendKeys(chromedp.ID("full_name"), citizen.Name), chromedp.SendKeys(chromedp.ID("id_number"), citizen.Code),
		chromedp.SendKeys(chromedp.ID("birth_date"), citizen.BirthDate.Display()))
	b.Page("counter-start")
	b.Follow(`main form button[type=submit]`)
	b.Do("wait for the components", chromedp.WaitVisible(chromedp.CSS(`form[action$="/tiep-nhan"]`)))
	b.Page("counter-matches")
	text := b.Text("main")
	if !strings.Contains(text, "Lấy từ kho (tự động đính kèm)") || !strings.Contains(text, "Trong Kho dữ liệu có tệp tin điện tử phù hợp") {
		b.Fatalf("the warehouse matches are not shown before scanning:\n%s", text)
	}
	b.Do("pick a suggestion", chromedp.Click(chromedp.CSS(`input[type=radio][name=document_id]`)))
	b.Follow(`form[action$="/thanh-phan/TP03"]:not([enctype]) button[type=submit]`)
	b.Do("wait for the components", chromedp.WaitVisible(chromedp.CSS(`form[action$="/tiep-nhan"]`)))
	b.Follow(`form[action$="/tiep-nhan"] button[type=submit]`)
	b.Do("wait for the dossier", chromedp.WaitVisible(chromedp.CSS(`form[action$="/trang-thai"]`)))
	b.Page("counter-received")
	if text := b.Text("main"); !strings.Contains(text, "Được tiếp nhận") || !strings.Contains(text, "Chưa số hóa") {
		b.Fatalf("received dossier:\n%s", text)
	}
	dossierURL, _, _ := strings.Cut(b.Location(), "?")
	b.Follow(`form[action$="/trang-thai"]:has(input[name=to][value="4"]) button`)
	if text := b.Text(".alert"); !strings.Contains(text, "chưa được số hóa") || !strings.Contains(text, "Tờ khai đăng ký kết hôn") {
		b.Fatalf("forwarded with the form not digitized: %s", text)
	}
	b.Do("choose the scan", chromedp.SetUploadFiles(chromedp.ID("scan-TP01"), []string{scan}))
	b.Follow(`form[action$="/thanh-phan/TP01"] button[type=submit]`)
	b.Follow(`form[action$="/trang-thai"]:has(input[name=to][value="4"]) button`)
	if text := b.Text("main"); !strings.Contains(text, "Đang xử lý") {
		b.Fatalf("not forwarded:\n%s", text)
	}

	// Processing: the draft, then the leader's signature.
	browserOfficerLogin(b, ts, townOfficer(t, "processing"))
	b.Follow(`a[href="/can-bo/ho-so?trang-thai=4"]`)
	b.Do("wait for the queue", chromedp.WaitVisible(chromedp.CSS("table")))
	b.Page("processing-queue")
	b.Follow(`a[href="` + strings.TrimPrefix(dossierURL, ts.url) + `"]`)
	b.Do("fill the draft", chromedp.WaitVisible(chromedp.ID("number")), chromedp.SendKeys(chromedp.ID("number"), "KH-88"),
		chromedp.SendKeys(chromedp.ID("summary"), "Giấy chứng nhận kết hôn"),
		chromedp.SetUploadFiles(chromedp.ID("result-file"), []string{result}))
	b.Page("processing-dossier")
	b.Follow(`form[action$="/ket-qua"] button[type=submit]`)
	if text := b.Text("main"); !strings.Contains(text, "Đã lưu dự thảo kết quả") || !strings.Contains(text, "Chưa ký số") {
		b.Fatalf("draft:\n%s", text)
	}
	browserOfficerLogin(b, ts, townOfficer(t, "leader"))
	b.Navigate(dossierURL)
	b.Follow(`form[action$="/ky-so"] button[type=submit]`)
	b.Page("leader-signed")
	if text := b.Text("main"); !strings.Contains(text, "Đã ký số kết quả") || !strings.Contains(text, "Đã xử lý xong") {
		b.Fatalf("sign:\n%s", text)
	}

	// The desk returns the result into the citizen's warehouse.
	browserOfficerLogin(b, ts, townOfficer(t, "reception"))
	b.Navigate(dossierURL)
	b.Follow(`form[action$="/trang-thai"]:has(input[name=to][value="10"]) button`)
	code := citizen.Code + "." + demo.CategoryMarriageCertificate + ".KH-88"
	if text := b.Text("main"); !strings.Contains(text, "Đã trả kết quả") || !strings.Contains(text, code) {
		b.Fatalf("return:\n%s", text)
	}

	// The citizen finds it and reuses it for a birth registration.
	browserCitizenLogin(b, ts, citizen.Code)
	b.Do("wait for the account page", chromedp.WaitVisible(chromedp.CSS("dl.facts")))
	b.Follow(`header a[href="/kho-du-lieu"]`)
	b.Do("wait for the warehouse", chromedp.WaitVisible(chromedp.CSS("table.docs")))
	b.Page("citizen-warehouse-result")
	if text := b.Text("table.docs"); !strings.Contains(text, code) {
		b.Fatalf("the result is not in the warehouse:\n%s", text)
	}
	b.Navigate(ts.url + "/nop-truc-tuyen/" + demo.ProcedureBirth)
	b.Do("wait for the case form", chromedp.WaitVisible(chromedp.ID("case")))
	b.Follow(`main form button[type=submit]`)
	b.Do("wait for the draft", chromedp.WaitVisible(chromedp.CSS(`form[action$="/hinh-thuc"]`)))
	b.Page("citizen-reuses-result")
	if text := b.Text("#tp-TP04"); !strings.Contains(text, "tự động đính kèm") || !strings.Contains(text, code) {
		b.Fatalf("the marriage certificate is not reused:\n%s", text)
	}

	// The citizen reports the result as wrong; it is no longer offered.
	b.Follow(`header a[href="/kho-du-lieu"]`)
	b.Do("wait for the warehouse", chromedp.WaitVisible(chromedp.CSS("table.docs")))
	report := browsertest.Eval[string](b, `Array.from(document.querySelectorAll('table.docs tr')).find(r => r.textContent.includes('`+code+`')).querySelector('a[href$="/phan-anh"]').getAttribute('href')`)
	b.Navigate(ts.url + report)
	b.Do("choose a reason", chromedp.WaitVisible(chromedp.CSS(`input[name=reason]`)), chromedp.Click(chromedp.CSS(`input[name=reason]`)),
		chromedp.SendKeys(chromedp.ID("comment"), "Ngày sinh của người chồng bị ghi sai."))
	b.Page("citizen-feedback")
	b.Follow(`main form button[type=submit]`)
	if text := b.Text("main"); !strings.Contains(text, "Đang phản ánh") {
		b.Fatalf("after the report:\n%s", text)
	}

	// The town's processing officer issues the corrected result.
	corrected := filepath.Join(dir, "giay-chung-nhan-ket-hon-dinh-chinh.pdf")
	if err := os.WriteFile(corrected, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay chung nhan ket hon so KH-88 (dinh chinh)"}), 0o644); err != nil {
		t.Fatal(err)
	}
	browserOfficerLogin(b, ts, townOfficer(t, "processing"))
	b.Follow(`header a[href="/can-bo/phan-anh"]`)
	b.Do("wait for the feedback queue", chromedp.WaitVisible(chromedp.CSS("table")))
	b.Page("feedback-queue")
	b.Follow(`main table a[href^="/can-bo/phan-anh/"]`)
	b.Do("attach the corrected result", chromedp.WaitVisible(chromedp.ID("file")), chromedp.SetUploadFiles(chromedp.ID("file"), []string{corrected}))
	b.Page("feedback-detail")
	b.Follow(`form[action$="/dinh-chinh"] button[type=submit]`)

	// The citizen receives the corrected result; the old one is superseded.
	browserCitizenLogin(b, ts, citizen.Code)
	b.Navigate(ts.url + "/kho-du-lieu?q=KH-88")
	b.Do("wait for the warehouse", chromedp.WaitVisible(chromedp.CSS("table.docs")))
	b.Page("citizen-corrected")
	if text := b.Text("table.docs"); !strings.Contains(text, code+".01") || !strings.Contains(text, "Đã được thay thế") {
		b.Fatalf("the corrected result:\n%s", text)
	}
}
