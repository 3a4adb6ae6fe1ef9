package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/browsertest"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// TestBrowserCertification: the demo certifying officer, new to the
// system, logs in, follows the header link to the desk, looks up the
// requester and the fee, issues a certified copy from a scanned original,
// and finds it in the electronic certification book.
func TestBrowserCertification(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	var o demo.DemoOfficer
	for _, x := range demo.Officers() {
		if x.Roles[0] == motcua.RoleCertification {
			o = x
		}
	}
	citizen := demo.Citizens()[1]
	scan := filepath.Join(t.TempDir(), "ban-chinh.pdf")
	if err := os.WriteFile(scan, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay xac nhan tinh trang hon nhan"}), 0o644); err != nil {
		t.Fatal(err)
	}
	code, err := freshTOTP(ts, o.Username, o.TOTPSecret)
	if err != nil {
		t.Fatal(err)
	}
	b.Navigate(ts.url + "/can-bo/dang-nhap")
	b.Do("wait for the officer form", chromedp.WaitVisible(chromedp.ID("otp")))
	b.Do("fill the officer form", chromedp.SendKeys(chromedp.ID("username"), o.Username),
		chromedp.SendKeys(chromedp.ID("password"), o.Password), chromedp.SendKeys(chromedp.ID("otp"), code))
	b.Follow(`main form button[type=submit]`)
	b.Do("wait for the account page", chromedp.WaitVisible(chromedp.CSS(`header a[href="/can-bo/chung-thuc"]`)))
	b.Follow(`header a[href="/can-bo/chung-thuc"]`)
	b.Do("wait for the desk", chromedp.WaitVisible(chromedp.ID("requester_code")))
	b.Page("certification-form")

	// Look up the requester and the fee first.
	b.Do("enter the requester and the pages", chromedp.SendKeys(chromedp.ID("requester_code"), citizen.Code),
		chromedp.SendKeys(chromedp.ID("pages"), "1"))
	b.Follow(`button[formmethod=get]`)
	b.Do("wait for the requester", chromedp.WaitVisible(chromedp.ID("nguoi-yeu-cau")))
	if text := b.Text("#nguoi-yeu-cau"); !strings.Contains(text, citizen.Name) {
		b.Fatalf("look-up shows %q, want %s", text, citizen.Name)
	}
	if text := b.Text("#le-phi"); !strings.Contains(text, "2.000 đồng") {
		b.Fatalf("fee shows %q", text)
	}
	b.Page("certification-lookup")

	b.Do("fill the original", chromedp.SendKeys(chromedp.ID("original_name"), "Giấy xác nhận tình trạng hôn nhân"),
		chromedp.SetValue(chromedp.ID("original_category"), demo.CategoryMaritalStatus),
		chromedp.SendKeys(chromedp.ID("original_number"), "88/XN"),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{scan}))
	b.Follow(`form[action="/can-bo/chung-thuc"] button[type=submit]:not([formmethod])`)
	b.Do("wait for the result", chromedp.WaitVisible(chromedp.ID("ma-ban-sao")))
	copyCode := b.Text("#ma-ban-sao")
	if want := citizen.Code + "." + demo.CategoryMaritalStatus + ".88-XN.STP-SCT.01"; copyCode != want {
		b.Fatalf("copy code %q, want %q", copyCode, want)
	}
	b.Page("certification-done")

	b.Follow(`a[href^="/can-bo/chung-thuc/so"]`)
	b.Do("wait for the book", chromedp.WaitVisible(chromedp.CSS("table")))
	if text := b.Text("table"); !strings.Contains(text, copyCode) || !strings.Contains(text, citizen.Name) {
		b.Fatalf("book lacks the copy:\n%s", text)
	}
	b.Page("certification-book")
}
