package main

import (
	"context"
	"crypto/x509"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// TestCertifyCopy: the demo certifying officer looks up a citizen, sees
// the fee, is refused a photo instead of a PDF, issues a certified copy
// of a birth certificate, finds it in the electronic book and its CSV and
// XLSX exports; the citizen then finds the copy in the warehouse, signed
// by the officer's agency with a signature the system verifies.
func TestCertifyCopy(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ts := startServer(t, "--demo", "--data-dir", dir)
	var desk demo.DemoOfficer
	for _, o := range demo.Officers() {
		if o.Roles[0] == motcua.RoleCertification {
			desk = o
		}
	}
	citizen := demo.Citizens()[0]
	b := officerLogin(t, ts, desk.Username, desk.Password, desk.TOTPSecret)
	if _, body := b.get(ts.url + "/tai-khoan"); !strings.Contains(body, `href="/can-bo/chung-thuc"`) {
		t.Fatalf("account page has no link to the desk:\n%s", body)
	}
	resp, body := b.get(ts.url + "/can-bo/chung-thuc?requester_code=" + citizen.Code + "&pages=3")
	if resp.StatusCode != 200 || !strings.Contains(body, citizen.Name) || !strings.Contains(body, "5.000 đồng") {
		t.Fatalf("look-up: %d\n%s", resp.StatusCode, body)
	}
	if resp, body := b.get(ts.url + "/can-bo/chung-thuc?requester_code=052090000999"); resp.StatusCode != 422 ||
		!strings.Contains(body, "Không tìm thấy công dân, tổ chức có số định danh 052090000999") {
		t.Fatalf("unknown requester: %d\n%s", resp.StatusCode, body)
	}
	fields := map[string]string{"requester_code": citizen.Code, "original_name": "Giấy khai sinh",
		"original_category": demo.CategoryBirthCertificate, "original_number": "45/2020", "pages": "1"}
	resp, body = b.postMultipart(ts.url+"/can-bo/chung-thuc", fields, []byte("\xff\xd8\xff\xe0 a photo"))
	if resp.StatusCode != 422 || !strings.Contains(body, "not_pdf") {
		t.Fatalf("photo instead of a PDF: %d\n%s", resp.StatusCode, body)
	}
	scan := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay khai sinh so 45/2020"})
	resp, body = b.postMultipart(ts.url+"/can-bo/chung-thuc", fields, scan)
	code := citizen.Code + "." + demo.CategoryBirthCertificate + ".45-2020.STP-SCT.01"
	if resp.StatusCode != 200 || !strings.Contains(body, "Đã chứng thực bản sao điện tử") || !strings.Contains(body, code) ||
		!strings.Contains(body, "2.000 đồng") {
		t.Fatalf("issue: %d\n%s", resp.StatusCode, body)
	}
	year := motcua.LocalDay(time.Now()).Year()
	m := regexp.MustCompile(`id="so-chung-thuc">(\d+)/(\d+)<`).FindStringSubmatch(body)
	if m == nil || m[1] != "1" {
		t.Fatalf("book number not shown:\n%s", body)
	}

	// The book and its exports.
	if resp, body := b.get(ts.url + "/can-bo/chung-thuc/so"); resp.StatusCode != 200 || !strings.Contains(body, code) ||
		!strings.Contains(body, desk.Name) {
		t.Fatalf("book: %d\n%s", resp.StatusCode, body)
	}
	resp, body = b.get(ts.url + "/can-bo/chung-thuc/so.csv?nam=" + m[2])
	if resp.StatusCode != 200 || !strings.Contains(body, "Số chứng thực") || !strings.Contains(body, code) ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), ".csv") {
		t.Fatalf("csv: %d\n%s", resp.StatusCode, body)
	}
	if resp, body := b.get(ts.url + "/can-bo/chung-thuc/so.xlsx"); resp.StatusCode != 200 || !strings.HasPrefix(body, "PK") {
		t.Fatalf("xlsx: %d", resp.StatusCode)
	}
	if m[2] != strconv.Itoa(year) {
		t.Fatalf("book year %s, want %d", m[2], year)
	}
	// The reception officer has no access to the desk.
	for _, o := range demo.Officers() {
		if o.Roles[0] == motcua.RoleReception {
			other := officerLogin(t, ts, o.Username, o.Password, o.TOTPSecret)
			if resp, _ := other.get(ts.url + "/can-bo/chung-thuc/so"); resp.StatusCode != 403 {
				t.Fatalf("reception officer opens the book: %d", resp.StatusCode)
			}
		}
	}

	// The citizen finds the copy in the warehouse.
	c := newBrowser(t)
	c.loginAt(ts, "vneid", citizen.Code, "motcua-demo")
	resp, body = c.get(ts.url + "/kho-du-lieu?code=" + url.QueryEscape(code))
	id := regexp.MustCompile(`href="/kho-du-lieu/([0-9a-f]{28})"`).FindStringSubmatch(body)
	if resp.StatusCode != 200 || id == nil || !strings.Contains(body, code) {
		t.Fatalf("warehouse: %d\n%s", resp.StatusCode, body)
	}
	resp, body = c.get(ts.url + "/kho-du-lieu/" + id[1])
	if resp.StatusCode != 200 || !strings.Contains(body, "Bản sao được chứng thực từ bản chính") {
		t.Fatalf("document page: %d\n%s", resp.StatusCode, body)
	}
	resp, pdf := c.get(ts.url + "/kho-du-lieu/" + id[1] + "/tep")
	if resp.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("file: %d", resp.StatusCode)
	}
	ca, err := demo.LoadOrCreateCA(filepath.Join(dir, "demo-ca"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := pdfsig.NewVerifier(pdfsig.Options{TrustAnchors: []*x509.Certificate{ca.Root}, Revocation: pdfsig.RevocationOff})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := v.VerifyBytes(context.Background(), []byte(pdf))
	if err != nil || rep.Status != pdfsig.StatusValid || len(rep.Signatures) != 1 ||
		!strings.Contains(rep.Signatures[0].SignerName, "Thị trấn An Lão") {
		t.Fatalf("signature of the copy: %+v, %v", rep, err)
	}
	// Anyone can check it.
	if resp, body := get(t, ts.url+"/verify/"+code); resp.StatusCode != 200 || !strings.Contains(body, "Kết quả hợp lệ") {
		t.Fatalf("public check: %d\n%s", resp.StatusCode, body)
	}
}
