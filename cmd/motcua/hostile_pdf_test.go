package main

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

var (
	hostileOnce  sync.Once
	hostileFiles map[string][]byte
)

// hostilePDFs are the files of issue 13 (a bomb inflating to 64 MiB, four
// times the per-stream limit; "%PDF-1.7\n" alone; a broken page tree;
// arrays nested 10 000 deep), built once per test binary.
func hostilePDFs() map[string][]byte {
	hostileOnce.Do(func() { hostileFiles = pdfsigtest.HostilePDFs(64 << 20) })
	return hostileFiles
}

func sortedNames(m map[string][]byte) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// hostileCode is the code each path answers for each hostile file: the
// codes the warehouse upload already uses (too_large for what exceeds the
// parser's limits, not_pdf for what is not a readable PDF).
var hostileCode = map[string]string{
	"bomb":             "too_large",
	"header only":      "not_pdf",
	"broken page tree": "not_pdf",
	"nested arrays":    "too_large",
}

// TestHostilePDFsOnSigningPaths is issue 13 items 1 and 2: every path
// that signs an uploaded PDF with an agency key (the result draft and its
// leader's signature, the feedback correction, the certified copy) answers
// a decompression bomb or a malformed PDF with 422 and a stable code, never
// 500, and a draft that could not be signed is refused at upload, so the
// leader never meets it. On both backends.
func TestHostilePDFsOnSigningPaths(t *testing.T) {
	t.Parallel()
	files := hostilePDFs()
	backends(t, func(t *testing.T, ts *testServer) {
		// A dossier in processing at the town.
		citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, demo.Citizens()[0].Code)}
		code, _ := applyMarriageOnline(t, citizen)
		path := "/api/v1/agency/dossiers/" + code
		desk := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "reception"))}
		handler := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "processing"))}
		leader := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "leader"))}
		for _, to := range []int{2, 4} {
			if status, _, raw := desk.do("POST", path+"/status", jsonBody(map[string]any{"status": to}), "application/json"); status != 200 {
				t.Fatalf("move to %d: %d %s", to, status, raw)
			}
		}
		for _, name := range sortedNames(files) {
			body, ct := multipartBody(t, map[string]string{"number": "KH-9", "summary": "Giấy chứng nhận kết hôn"}, files[name])
			status, prob, raw := handler.do("PUT", path+"/result", body, ct)
			checkPDFRefusal(t, "result draft: "+name, status, prob, raw, hostileCode[name])
		}
		// Nothing was drafted, so the leader has nothing to choke on.
		if status, prob, raw := leader.do("POST", path+"/result/sign", nil, ""); status != 422 || prob["code"] != "result_not_drafted" {
			t.Errorf("sign after refused drafts: %d %s", status, raw)
		}

		// The feedback correction signs the upload at once.
		owner := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, demo.Citizens()[1].Code)}
		status, list, raw := owner.do("GET", "/api/v1/warehouse/documents?code=LLTP", nil, "")
		if status != 200 || len(list["items"].([]any)) != 1 {
			t.Fatalf("documents: %d %s", status, raw)
		}
		doc := "/api/v1/warehouse/documents/" + list["items"].([]any)[0].(map[string]any)["id"].(string)
		status, fb, raw := owner.do("POST", doc+"/feedback", jsonBody(map[string]string{"reason": "not_gov_signed"}), "application/json")
		if status != 201 {
			t.Fatalf("report: %d %s", status, raw)
		}
		justice := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, demoOfficer(t, "xuly.tuphap"))}
		for _, name := range sortedNames(files) {
			body, ct := multipartBody(t, map[string]string{"note": "Đính chính"}, files[name])
			status, prob, raw := justice.do("POST", "/api/v1/feedback/"+fb["id"].(string)+"/correct", body, ct)
			checkPDFRefusal(t, "feedback correction: "+name, status, prob, raw, hostileCode[name])
		}

		// The certified copy counts the pages, then signs.
		cert := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "certification"))}
		for _, name := range sortedNames(files) {
			body, ct := multipartBody(t, map[string]string{"requester_code": demo.Citizens()[0].Code, "original_name": "Giấy khai sinh",
				"original_category": demo.CategoryBirthCertificate, "original_number": "77-2001", "pages": "1"}, files[name])
			status, prob, raw := cert.do("POST", "/api/v1/agency/certifications", body, ct)
			want := hostileCode[name]
			if want == "not_pdf" {
				want = "unreadable_pdf" // the certification desk's own code for a scan it cannot count
			}
			checkPDFRefusal(t, "certification: "+name, status, prob, raw, want)
		}

		// An ordinary draft still goes through and the leader signs it.
		body, ct := multipartBody(t, map[string]string{"number": "KH-9", "summary": "Giấy chứng nhận kết hôn"},
			pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "giay chung nhan ket hon", ObjectStreams: true}))
		if status, _, raw := handler.do("PUT", path+"/result", body, ct); status != 200 {
			t.Fatalf("ordinary draft: %d %s", status, raw)
		}
		if status, _, raw := leader.do("POST", path+"/result/sign", nil, ""); status != 200 {
			t.Fatalf("sign: %d %s", status, raw)
		}
	})
}

func checkPDFRefusal(t *testing.T, what string, status int, prob map[string]any, raw []byte, code string) {
	t.Helper()
	if status != 422 || prob["code"] != code {
		t.Errorf("%s: %d %s, want 422 %s", what, status, raw, code)
		return
	}
	if msg, _ := prob["detail"].(string); msg == "" || strings.Contains(msg, "pdfsig") {
		if msg, _ = prob["message"].(string); msg == "" || strings.Contains(msg, "pdfsig") {
			t.Errorf("%s: no Vietnamese message: %s", what, raw)
		}
	}
}

// TestSignPDFCommandRefusesHostileFiles: "motcua sign-pdf" exits 1 with
// the refusal's code for each hostile file and writes no output file.
func TestSignPDFCommandRefusesHostileFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ca, err := demo.LoadOrCreateCA(filepath.Join(dir, "ca"))
	if err != nil {
		t.Fatal(err)
	}
	keyPath, certPath := filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.pem")
	if err := os.WriteFile(keyPath, pdfsigtest.KeyPEM(t, ca.AgencyKey), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certPath, pdfsigtest.CertPEM(ca.Agency), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, name := range sortedNames(hostilePDFs()) {
		in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
		os.Remove(out)
		if err := os.WriteFile(in, hostilePDFs()[name], 0o600); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		code := run(t.Context(), []string{"sign-pdf", "--key", keyPath, "--cert", certPath, in, out}, &stdout, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "refused ("+hostileCode[name]+")") {
			t.Errorf("%s: exit %d, stderr %q", name, code, stderr.String())
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s: an output file was written", name)
		}
	}
}
