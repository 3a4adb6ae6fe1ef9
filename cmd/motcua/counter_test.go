package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// demoOfficerWith returns the first demo officer with role.
func demoOfficerWith(t *testing.T, role string) demo.DemoOfficer {
	t.Helper()
	for _, o := range demo.Officers() {
		if string(o.Roles[0]) == role {
			return o
		}
	}
	t.Fatalf("no demo officer with role %s", role)
	return demo.DemoOfficer{}
}

var counterDraftPath = regexp.MustCompile(`/can-bo/tiep-nhan/([0-9a-f]+)/thanh-phan`)

// TestCounterReceptionDesk: the reception officer receives a marriage
// dossier at the counter for a demo citizen; the owner's warehouse
// matches show before any scan, the dossier is refused while the form is
// missing, the form is scanned, an identity paper is taken from the
// warehouse, and the dossier is received at once.
func TestCounterReceptionDesk(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--demo-history=false", "--data-dir", t.TempDir())
	desk := demoOfficerWith(t, "reception")
	b := officerLogin(t, ts, desk.Username, desk.Password, desk.TOTPSecret)
	resp, body := b.get(ts.url + "/can-bo/tiep-nhan")
	choice := demo.ProcedureMarriage + "|TH01"
	if resp.StatusCode != 200 || !strings.Contains(body, `value="`+choice+`"`) {
		t.Fatalf("counter form: %d\n%s", resp.StatusCode, body)
	}
	form := url.Values{"choice": {choice}, "full_name": {"Trần Văn Hùng"}, "id_number": {demo.GuideCitizenID},
		"birth_date": {"15/03/1990"}, "phone": {"0905123456"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("full_name", "Nguyễn Văn An")
	if resp, body := b.post(ts.url+"/can-bo/tiep-nhan", bad); resp.StatusCode != 422 || !strings.Contains(body, "không khớp") &&
		!strings.Contains(body, "Xác thực thất bại") {
		t.Fatalf("wrong identity: %d\n%s", resp.StatusCode, body)
	}
	resp, body = b.post(ts.url+"/can-bo/tiep-nhan", form)
	m := counterDraftPath.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("counter draft: %d\n%s", resp.StatusCode, body)
	}
	id := m[1]
	if !strings.Contains(body, "Lấy từ kho (tự động đính kèm)") || !strings.Contains(body, "Trong Kho dữ liệu có tệp tin điện tử phù hợp") {
		t.Fatalf("the warehouse matches are not shown before scanning:\n%s", body)
	}
	radio := radioValue.FindStringSubmatch(body)
	if radio == nil {
		t.Fatalf("no warehouse choice:\n%s", body)
	}
	if resp, pdf := b.get(ts.url + "/can-bo/tiep-nhan/" + id + "/giay-to/" + radio[1]); resp.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF-") ||
		resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("preview of a suggestion: %d", resp.StatusCode)
	}
	if resp, _ := b.post(ts.url+"/can-bo/tiep-nhan/"+id+"/thanh-phan/TP03", url.Values{"document_id": {radio[1]}}); resp.StatusCode != 200 {
		t.Fatalf("pick: %d", resp.StatusCode)
	}
	// The form is received on paper and not scanned yet.
	resp, body = b.post(ts.url+"/can-bo/tiep-nhan/"+id+"/tiep-nhan", url.Values{})
	if resp.StatusCode != 200 || !strings.Contains(body, "Được tiếp nhận") || !strings.Contains(resp.Request.URL.Path, "/can-bo/ho-so/"+demo.TownCode+"-") {
		t.Fatalf("receive: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	dossier := ts.url + resp.Request.URL.Path

	// Not forwarded while the form is not digitized; scanned, it is.
	resp, body = b.post(dossier+"/trang-thai", url.Values{"to": {"4"}})
	if resp.StatusCode != 422 || !strings.Contains(body, "chưa được số hóa") || !strings.Contains(body, "Tờ khai đăng ký kết hôn") {
		t.Fatalf("forwarded with a component not digitized: %d", resp.StatusCode)
	}
	scan := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "to khai dang ky ket hon"})
	if resp, body := b.postMultipart(dossier+"/thanh-phan/TP01", nil, scan); resp.StatusCode != 200 || !strings.Contains(body, "Đã số hóa thành phần hồ sơ") {
		t.Fatalf("scan: %d\n%s", resp.StatusCode, body)
	}
	// Forwarded for processing; the processing officer drafts the result,
	// the leader signs it, the desk returns it.
	if resp, body := b.post(dossier+"/trang-thai", url.Values{"to": {"4"}}); resp.StatusCode != 200 || !strings.Contains(body, "Đang xử lý") {
		t.Fatalf("forward: %d\n%s", resp.StatusCode, body)
	}
	var handler, leader demo.DemoOfficer
	for _, o := range demo.Officers() {
		if o.AgencyCode == demo.TownCode && o.Roles[0] == "processing" {
			handler = o
		}
		if o.AgencyCode == demo.TownCode && o.Roles[0] == "leader" {
			leader = o
		}
	}
	hb := officerLogin(t, ts, handler.Username, handler.Password, handler.TOTPSecret)
	if resp, body := hb.get(ts.url + "/can-bo/ho-so?trang-thai=4"); resp.StatusCode != 200 ||
		!strings.Contains(body, strings.TrimPrefix(dossier, ts.url+"/can-bo/ho-so/")) {
		t.Fatalf("processing queue: %d\n%s", resp.StatusCode, body)
	}
	// The officer takes the dossier: it is in "Hồ sơ giao cho tôi".
	dossierCode := strings.TrimPrefix(dossier, ts.url+"/can-bo/ho-so/")
	if resp, body := hb.get(ts.url + "/can-bo/ho-so?trang-thai=4&giao-cho-toi=1"); resp.StatusCode != 200 || strings.Contains(body, dossierCode) {
		t.Fatalf("assigned before assignment: %d", resp.StatusCode)
	}
	if resp, body := hb.post(dossier+"/chuyen", url.Values{"assignee": {handler.Username}}); resp.StatusCode != 200 ||
		!strings.Contains(body, "Đã chuyển xử lý hồ sơ") {
		t.Fatalf("assign to self: %d\n%s", resp.StatusCode, body)
	}
	if resp, body := hb.get(ts.url + "/can-bo/ho-so?trang-thai=4&giao-cho-toi=1"); resp.StatusCode != 200 || !strings.Contains(body, dossierCode) {
		t.Fatalf("assigned dossiers: %d\n%s", resp.StatusCode, body)
	}
	result := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "giay chung nhan ket hon so KH-77"})
	resp, body = hb.postMultipart(dossier+"/ket-qua", map[string]string{"number": "KH.77"}, result)
	if resp.StatusCode != 422 || !strings.Contains(body, "Số văn bản kết quả") {
		t.Fatalf("draft with a bad number: %d", resp.StatusCode)
	}
	// The template form needs a content.
	if resp, body := hb.post(dossier+"/ket-qua-mau", url.Values{"number": {"KH-77"}, "title": {"Giấy chứng nhận kết hôn"}}); resp.StatusCode != 422 ||
		!strings.Contains(body, "Vui lòng nhập nội dung kết quả") {
		t.Fatalf("template without content: %d", resp.StatusCode)
	}
	resp, body = hb.postMultipart(dossier+"/ket-qua", map[string]string{"number": "KH-77", "summary": "Giấy chứng nhận kết hôn"}, result)
	if resp.StatusCode != 200 || !strings.Contains(body, "Đã lưu dự thảo kết quả") || strings.Contains(body, "Ký số kết quả</button>") {
		t.Fatalf("draft: %d\n%s", resp.StatusCode, body)
	}
	lb := officerLogin(t, ts, leader.Username, leader.Password, leader.TOTPSecret)
	resp, body = lb.post(dossier+"/ky-so", url.Values{})
	if resp.StatusCode != 200 || !strings.Contains(body, "Đã ký số kết quả") || !strings.Contains(body, "Đã xử lý xong") {
		t.Fatalf("sign: %d\n%s", resp.StatusCode, body)
	}
	if resp, body := lb.get(dossier + "/ket-qua.pdf"); resp.StatusCode != 200 || !strings.Contains(body, "/ByteRange") {
		t.Fatalf("signed result: %d", resp.StatusCode)
	}
	resp, body = b.post(dossier+"/trang-thai", url.Values{"to": {"10"}})
	code := demo.GuideCitizenID + "." + demo.CategoryMarriageCertificate + ".KH-77"
	if resp.StatusCode != 200 || !strings.Contains(body, "Đã trả kết quả") || !strings.Contains(body, code) {
		t.Fatalf("return: %d\n%s", resp.StatusCode, body)
	}

	// The citizen finds the signed result in their warehouse, and anyone
	// can verify its code.
	cb := newBrowser(t)
	cb.loginAt(ts, "vneid", demo.GuideCitizenID, "motcua-demo")
	if resp, body := cb.get(ts.url + "/kho-du-lieu?q=KH-77"); resp.StatusCode != 200 || !strings.Contains(body, code) {
		t.Fatalf("warehouse: %d\n%s", resp.StatusCode, body)
	}
	if resp, body := newBrowser(t).get(ts.url + "/verify/" + code); resp.StatusCode != 200 || !strings.Contains(body, "Kết quả hợp lệ") {
		t.Fatalf("verify: %d\n%s", resp.StatusCode, body)
	}
}
