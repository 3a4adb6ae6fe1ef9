package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

var (
	reportLink   = regexp.MustCompile(`href="/kho-du-lieu/([0-9a-f]+)/phan-anh"`)
	feedbackLink = regexp.MustCompile(`href="/can-bo/phan-anh/([0-9a-f]+)"`)
)

func demoOfficer(t *testing.T, username string) demo.DemoOfficer {
	t.Helper()
	for _, o := range demo.Officers() {
		if o.Username == username {
			return o
		}
	}
	t.Fatalf("no demo officer %s", username)
	return demo.DemoOfficer{}
}

// TestFeedbackOnResult is issue 8 end to end over HTTP: a citizen reports
// two demo results, one from the warehouse list, one from the online
// application's picker (which then stops attaching it); the justice
// office's processing officer corrects the judicial record; the owner's
// warehouse shows the new result and the old one superseded, /verify of
// the old code names the new one, and the monitor sees the open feedback
// per agency.
func TestFeedbackOnResult(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	citizen := demo.Citizens()[0]
	b := newBrowser(t)
	b.loginAt(ts, "vneid", citizen.Code, "motcua-demo")

	// From the warehouse list: the judicial record (issued by Phòng Tư pháp).
	resp, body := b.get(ts.url + "/kho-du-lieu?code=LLTP")
	m := reportLink.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("warehouse list offers no Phản ánh: %d\n%s", resp.StatusCode, body)
	}
	recordID := m[1]
	resp, body = b.get(ts.url + "/kho-du-lieu/" + recordID + "/phan-anh")
	for _, r := range motcua.FeedbackReasons() {
		if !strings.Contains(body, r.Label()) {
			t.Fatalf("report form lacks %q: %d\n%s", r.Label(), resp.StatusCode, body)
		}
	}
	resp, body = b.post(ts.url+"/kho-du-lieu/"+recordID+"/phan-anh", url.Values{"comment": {"Sai ngày sinh"}})
	if resp.StatusCode != 422 || !strings.Contains(body, "Vui lòng chọn một trong ba nội dung phản ánh.") {
		t.Fatalf("report without a reason: %d", resp.StatusCode)
	}
	resp, body = b.post(ts.url+"/kho-du-lieu/"+recordID+"/phan-anh",
		url.Values{"reason": {string(motcua.FeedbackWrongCitizenInfo)}, "comment": {"Sai ngày sinh"}})
	if resp.StatusCode != 200 || !strings.Contains(body, "Đã gửi phản ánh") || !strings.Contains(body, "Đang phản ánh") ||
		!strings.Contains(body, "Sai ngày sinh") {
		t.Fatalf("after the report: %d\n%s", resp.StatusCode, body)
	}
	var recordCode string
	if m := regexp.MustCompile(`<dt>Mã giấy tờ</dt><dd><code>([^<]+)</code>`).FindStringSubmatch(body); m != nil {
		recordCode = m[1]
	} else {
		t.Fatalf("no code on the document page:\n%s", body)
	}

	// From the online application: the marital-status confirmation was
	// attached automatically; reported from the draft, it no longer is.
	resp, body = b.post(ts.url+"/nop-truc-tuyen/"+demo.ProcedureMarriage, url.Values{"agency": {demo.TownCode}, "case": {"TH01"}})
	dm := draftPath.FindStringSubmatch(resp.Request.URL.Path)
	if resp.StatusCode != 200 || dm == nil || !strings.Contains(body, "tự động đính kèm") {
		t.Fatalf("draft: %d\n%s", resp.StatusCode, body)
	}
	pm := regexp.MustCompile(`href="/kho-du-lieu/([0-9a-f]+)/phan-anh\?ve=`+regexp.QuoteMeta(dm[0])+`"`).FindAllStringSubmatch(body, -1)
	if len(pm) != 3 { // the automatic one and the two suggestions
		t.Fatalf("picker offers %d Phản ánh links, want 3:\n%s", len(pm), body)
	}
	resp, body = b.post(ts.url+"/kho-du-lieu/"+pm[0][1]+"/phan-anh",
		url.Values{"reason": {string(motcua.FeedbackNotOwnResult)}, "ve": {dm[0]}})
	if resp.StatusCode != 200 || resp.Request.URL.Path != dm[0] || strings.Contains(body, "tự động đính kèm") ||
		!strings.Contains(body, "đang phản ánh") {
		t.Fatalf("draft after reporting the attached document: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}

	// The justice office's processing officer sees only its own result.
	officer := demoOfficer(t, "xuly.tuphap")
	ob := officerLogin(t, ts, officer.Username, officer.Password, officer.TOTPSecret)
	resp, body = ob.get(ts.url + "/can-bo/phan-anh")
	fm := feedbackLink.FindAllStringSubmatch(body, -1)
	if resp.StatusCode != 200 || len(fm) != 1 || !strings.Contains(body, recordCode) || !strings.Contains(body, `href="/can-bo/phan-anh"`) {
		t.Fatalf("queue: %d, %d links\n%s", resp.StatusCode, len(fm), body)
	}
	detail := ts.url + "/can-bo/phan-anh/" + fm[0][1]
	resp, body = ob.get(detail)
	if resp.StatusCode != 200 || !strings.Contains(body, "Ban hành kết quả đính chính") || !strings.Contains(body, "Từ chối phản ánh") ||
		!strings.Contains(body, motcua.FeedbackWrongCitizenInfo.Label()) {
		t.Fatalf("feedback page: %d\n%s", resp.StatusCode, body)
	}
	if resp, body := ob.get(detail + "/tep"); resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("reported file: %d", resp.StatusCode)
	}
	resp, body = ob.post(detail+"/tu-choi", url.Values{"resolution": {" "}})
	if resp.StatusCode != 422 || !strings.Contains(body, "Vui lòng nhập lý do từ chối phản ánh.") {
		t.Fatalf("reject without a reason: %d", resp.StatusCode)
	}
	// Another agency's reception officer cannot open it: the feedback
	// pages are not for the reception role at all (403 before the lookup).
	desk := demoOfficer(t, "tiepnhan.thitran")
	if resp, _ := officerLogin(t, ts, desk.Username, desk.Password, desk.TOTPSecret).get(detail); resp.StatusCode != 403 {
		t.Fatalf("reception officer of another agency opens the feedback: %d", resp.StatusCode)
	}
	corrected := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Phieu ly lich tu phap so 1 (dinh chinh)"})
	resp, body = ob.postMultipart(detail+"/dinh-chinh", map[string]string{"note": "Sửa ngày sinh"}, corrected)
	newCode := recordCode + ".01"
	if resp.StatusCode != 200 || !strings.Contains(body, "Đã ban hành kết quả đính chính") || !strings.Contains(body, newCode) {
		t.Fatalf("correct: %d\n%s", resp.StatusCode, body)
	}
	resp, body = ob.get(ts.url + "/can-bo/phan-anh")
	if len(feedbackLink.FindAllStringSubmatch(body, -1)) != 0 {
		t.Fatalf("the resolved feedback is still open:\n%s", body)
	}

	// The owner's warehouse: the new result, the old one superseded.
	resp, body = b.get(ts.url + "/kho-du-lieu?code=LLTP")
	if resp.StatusCode != 200 || !strings.Contains(body, "<code>"+newCode+"</code>") || !strings.Contains(body, "Đã được thay thế") {
		t.Fatalf("warehouse after the correction: %d\n%s", resp.StatusCode, body)
	}
	resp, body = b.get(ts.url + "/kho-du-lieu/" + recordID)
	if !strings.Contains(body, "Đã được thay thế") || !strings.Contains(body, "Cơ quan cấp đã ban hành kết quả đính chính") ||
		!strings.Contains(body, newCode) {
		t.Fatalf("old document's page: %d\n%s", resp.StatusCode, body)
	}
	// The officer's feedback page showed the corrected result after the
	// answer: that read is in the owner's access log of the new result.
	nm := regexp.MustCompile(`kết quả đính chính: <a href="/kho-du-lieu/([0-9a-f]+)">`).FindStringSubmatch(body)
	if nm == nil {
		t.Fatalf("no link to the corrected result:\n%s", body)
	}
	resp, body = b.get(ts.url + "/kho-du-lieu/" + nm[1])
	if resp.StatusCode != 200 || !strings.Contains(body, "cán bộ "+officer.Name) ||
		!strings.Contains(body, "để giải quyết phản ánh của Ông/Bà về kết quả") {
		t.Fatalf("access log of the corrected result lacks the handling officer's read: %d\n%s", resp.StatusCode, body)
	}
	// The public check of the old code names the replacement.
	resp, body = newBrowser(t).get(ts.url + "/verify/" + recordCode)
	if resp.StatusCode != 200 || !strings.Contains(body, "Kết quả Đã được thay thế") ||
		!strings.Contains(body, `đã được thay thế bởi kết quả đính chính <a href="/verify/`+newCode+`">`) {
		t.Fatalf("verify old code: %d\n%s", resp.StatusCode, body)
	}
	if resp, body := newBrowser(t).get(ts.url + "/verify/" + newCode); resp.StatusCode != 200 || !strings.Contains(body, "Kết quả hợp lệ") {
		t.Fatalf("verify new code: %d\n%s", resp.StatusCode, body)
	}

	// The monitor sees the open feedback (the marital-status one) per agency.
	mon := demoOfficer(t, "theodoi.huyen")
	resp, body = officerLogin(t, ts, mon.Username, mon.Password, mon.TOTPSecret).get(ts.url + "/theo-doi/phan-anh")
	if resp.StatusCode != 200 || !strings.Contains(body, "Thị trấn An Lão") || strings.Contains(body, "Phòng Tư pháp") {
		t.Fatalf("monitor: %d\n%s", resp.StatusCode, body)
	}
}

func (b *browser) postJSON(u, body string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return b.do(req)
}

// TestFeedbackAPI: the same flow through /api/v1 with a rejection, on
// both backends.
func TestFeedbackAPI(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		citizen := demo.Citizens()[1]
		b := newBrowser(t)
		b.loginAt(ts, "vneid", citizen.Code, "motcua-demo")
		_, body := b.get(ts.url + "/api/v1/warehouse/documents?code=LLTP")
		var list struct {
			Items []struct{ ID, Code string } `json:"items"`
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Items) != 1 {
			t.Fatalf("documents: %v\n%s", err, body)
		}
		doc := ts.url + "/api/v1/warehouse/documents/" + list.Items[0].ID
		resp, body := b.postJSON(doc+"/feedback", `{"reason":"nope"}`)
		if resp.StatusCode != 422 || !strings.Contains(body, "invalid_feedback_reason") {
			t.Fatalf("bad reason: %d %s", resp.StatusCode, body)
		}
		resp, body = b.postJSON(doc+"/feedback", `{"reason":"not_gov_signed","comment":"Chưa ký số"}`)
		var fb struct{ ID, Status, Agency string }
		if resp.StatusCode != 201 || json.Unmarshal([]byte(body), &fb) != nil || fb.Status != "open" || fb.Agency != demo.JusticeOfficeCode {
			t.Fatalf("report: %d %s", resp.StatusCode, body)
		}
		if resp, body := b.postJSON(doc+"/feedback", `{"reason":"not_gov_signed"}`); resp.StatusCode != 409 || !strings.Contains(body, "feedback_open") {
			t.Fatalf("second report: %d %s", resp.StatusCode, body)
		}
		o := demoOfficer(t, "lanhdao.tuphap")
		ob := officerLogin(t, ts, o.Username, o.Password, o.TOTPSecret)
		if resp, body := ob.get(ts.url + "/api/v1/feedback"); resp.StatusCode != 200 || !strings.Contains(body, fb.ID) {
			t.Fatalf("queue: %d %s", resp.StatusCode, body)
		}
		resp, body = ob.postJSON(ts.url+"/api/v1/feedback/"+fb.ID+"/reject", `{"resolution":"Kết quả đã được ký số hợp lệ"}`)
		if resp.StatusCode != 200 || !strings.Contains(body, `"status":"rejected"`) {
			t.Fatalf("reject: %d %s", resp.StatusCode, body)
		}
		if resp, body := b.get(doc + "/feedback"); resp.StatusCode != 200 || !strings.Contains(body, "Kết quả đã được ký số hợp lệ") {
			t.Fatalf("owner's view: %d %s", resp.StatusCode, body)
		}
		if resp, body := b.get(doc); !strings.Contains(body, `"status":"valid"`) {
			t.Fatalf("document after rejection: %d %s", resp.StatusCode, body)
		}
	})
}
