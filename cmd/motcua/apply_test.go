package main

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/sqlite"
)

var (
	draftPath   = regexp.MustCompile(`/ho-so-nhap/([0-9a-f]+)`)
	radioValue  = regexp.MustCompile(`name="document_id" value="([0-9a-f]+)"`)
	receiptCode = regexp.MustCompile(`<code>([0-9A-Z.]+-\d{6}-\d{4})</code>`)
)

func (b *browser) postMultipart(u string, fields map[string]string, file []byte) (*http.Response, string) {
	b.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", "to-khai.pdf")
	_, _ = fw.Write(file)
	_ = w.Close()
	req, _ := http.NewRequest("POST", u, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

// TestApplyOnlineMarriage is the README's walk-through: a demo citizen
// applies for đăng ký kết hôn; one component is attached from the
// warehouse automatically, another offers a choice of two.
func TestApplyOnlineMarriage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ts := startServer(t, "--demo", "--data-dir", dir)
	citizen := demo.Citizens()[0]
	b := newBrowser(t)
	b.loginAt(ts, "vneid", citizen.Code, "motcua-demo")

	resp, body := b.get(ts.url + "/nop-truc-tuyen?q=dang+ky+ket+hon")
	if resp.StatusCode != 200 || !strings.Contains(body, "Đăng ký kết hôn") || strings.Contains(body, "Đăng ký khai sinh") {
		t.Fatalf("procedure search: %d\n%s", resp.StatusCode, body)
	}
	resp, body = b.get(ts.url + "/nop-truc-tuyen/" + demo.ProcedureMarriage)
	if resp.StatusCode != 200 || !strings.Contains(body, "Chọn trường hợp hồ sơ") || !strings.Contains(body, citizen.Name) {
		t.Fatalf("case page: %d\n%s", resp.StatusCode, body)
	}
	resp, body = b.post(ts.url+"/nop-truc-tuyen/"+demo.ProcedureMarriage, url.Values{"agency": {demo.TownCode}, "case": {"TH01"}})
	m := draftPath.FindStringSubmatch(resp.Request.URL.Path)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("draft: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	draft := ts.url + m[0]
	if !strings.Contains(body, "tự động đính kèm") ||
		!strings.Contains(body, "Trong Kho dữ liệu có tệp tin điện tử phù hợp, hãy thực hiện lấy TPHS từ Kho dữ liệu!") ||
		!strings.Contains(body, "Hãy kiểm tra nội dung file trước khi lấy từ kho!") {
		t.Fatalf("draft page lacks the automatic attachment or the choice:\n%s", body)
	}
	choices := radioValue.FindAllStringSubmatch(body, -1)
	if len(choices) != 2 {
		t.Fatalf("want a choice of two warehouse documents, got %d", len(choices))
	}
	// Submitting before the required form is uploaded is refused.
	resp, body = b.post(draft+"/nop", url.Values{"result_method": {"online"}})
	if resp.StatusCode != 422 || !strings.Contains(body, "chưa có tệp tin") {
		t.Fatalf("early submit: %d\n%s", resp.StatusCode, body)
	}
	resp, _ = b.post(draft+"/thanh-phan/TP03", url.Values{"document_id": {choices[1][1]}})
	if resp.StatusCode != 200 {
		t.Fatalf("take from warehouse: %d", resp.StatusCode)
	}
	ca, err := demo.LoadOrCreateCA(filepath.Join(dir, "demo-ca"))
	if err != nil {
		t.Fatal(err)
	}
	form, _ := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "To khai dang ky ket hon"}), time.Now())
	// Identity papers must be signed (the form could be a scan).
	resp, body = b.postMultipart(draft+"/thanh-phan/TP03", nil, demo.SampleUnsigned())
	if resp.StatusCode != 422 || !strings.Contains(body, "chưa được ký số") {
		t.Fatalf("unsigned identity papers: %d\n%s", resp.StatusCode, body)
	}
	resp, body = b.postMultipart(draft+"/thanh-phan/TP01", nil, form)
	if resp.StatusCode != 200 || !strings.Contains(body, "Đã tải lên") {
		t.Fatalf("upload form: %d\n%s", resp.StatusCode, body)
	}
	// The uploaded form has a "Xem tệp" link on its component and in the
	// preview (the confirmation step); it opens the PDF in the browser, for
	// the applicant only.
	fileURL := m[0] + "/thanh-phan/TP01/tep"
	if n := strings.Count(body, `href="`+fileURL+`?n=0"`); n != 1 || !strings.Contains(body, ">Xem tệp</a>") {
		t.Fatalf("%d links to %s on the component, want 1:\n%s", n, fileURL, body)
	}
	// The preview lists what will be sent.
	resp, body = b.get(draft + "?buoc=xac-nhan")
	if !strings.Contains(body, "Xem trước hồ sơ") || strings.Count(body, "lấy từ kho</strong>") != 2 ||
		strings.Count(body, `href="`+fileURL+`?n=0"`) != 1 || strings.Contains(body, "disabled") {
		t.Fatalf("preview: %d\n%s", resp.StatusCode, body)
	}
	resp, body = b.get(ts.url + fileURL)
	if resp.StatusCode != 200 || body != string(form) {
		t.Fatalf("view the uploaded form: %d, %d bytes, want %d", resp.StatusCode, len(body), len(form))
	}
	for header, want := range map[string]string{"Content-Type": "application/pdf", "Content-Disposition": "inline; filename=to-khai.pdf",
		"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox"} {
		if got := resp.Header.Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	other := newBrowser(t)
	other.loginAt(ts, "vneid", demo.Citizens()[1].Code, "motcua-demo")
	if resp, body := other.get(ts.url + fileURL); resp.StatusCode != 404 || strings.Contains(body, "%PDF") {
		t.Fatalf("another citizen views the form: %d", resp.StatusCode)
	}
	if resp, _ := b.get(draft + "/thanh-phan/TP99/tep"); resp.StatusCode != 422 {
		t.Fatalf("unknown component: %d", resp.StatusCode)
	}
	if resp, body := newBrowser(t).get(ts.url + fileURL); strings.Contains(body, "%PDF") || resp.Request.URL.Path == fileURL {
		t.Fatalf("anonymous view: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	resp, body = b.post(draft+"/nop", url.Values{"result_method": {"online"}, "idempotency_key": {"k1"}})
	code := receiptCode.FindStringSubmatch(body)
	if resp.StatusCode != 200 || code == nil || !strings.Contains(body, "Nộp hồ sơ thành công") || !strings.HasPrefix(code[1], demo.TownCode+"-") {
		t.Fatalf("submit: %d\n%s", resp.StatusCode, body)
	}
	// A double click finds the same dossier.
	resp, body = b.post(draft+"/nop", url.Values{"result_method": {"online"}, "idempotency_key": {"k1"}})
	if again := receiptCode.FindStringSubmatch(body); again == nil || again[1] != code[1] {
		t.Fatalf("resubmit: %d\n%s", resp.StatusCode, body)
	}
	if _, body := b.get(ts.url + "/ho-so"); !strings.Contains(body, code[1]) {
		t.Fatalf("Quản lý hồ sơ đã nộp lacks %s", code[1])
	}

	// The store: reuse flags and usage counts.
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	dos, err := st.GetDossierByCode(ctx, code[1])
	if err != nil || !dos.Reused() || dos.Channel != motcua.ChannelOnline || dos.Status != motcua.StatusRegistered {
		t.Fatalf("dossier = %+v, %v", dos, err)
	}
	used := 0
	docs, _, _ := st.ListDocuments(ctx, motcua.DocumentFilter{OwnerCode: citizen.Code})
	for _, d := range docs {
		used += d.UsageCount
	}
	if used != 2 {
		t.Fatalf("usage counts add up to %d, want 2", used)
	}

	// The background worker delivers the Zalo and SMS messages to the
	// gateway simulator, whose page shows what the citizen received.
	deadline := time.Now().Add(20 * time.Second)
	for {
		msgs, _ := st.ListNotifications(ctx, motcua.NotificationFilter{DossierID: dos.ID})
		delivered := 0
		for _, n := range msgs {
			if !n.DeliveredAt.IsZero() {
				delivered++
			}
		}
		if delivered == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("messages not delivered: %+v\nlogs:\n%s", msgs, ts.logs)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if _, page := b.get(ts.url + "/dev-notify/?token=" + devNotifyToken(t, ts)); strings.Count(page, code[1]) < 2 {
		t.Fatalf("the simulator's page lacks the messages for %s:\n%s", code[1], page)
	}
	msgs, _ := st.ListNotifications(ctx, motcua.NotificationFilter{DossierID: dos.ID})
	channels := map[motcua.NotifyChannel]bool{}
	for _, n := range msgs {
		channels[n.Channel] = !n.DeliveredAt.IsZero()
	}
	if !channels[motcua.ChannelZalo] || !channels[motcua.ChannelSMS] {
		t.Fatalf("queued messages = %+v", msgs)
	}
}
