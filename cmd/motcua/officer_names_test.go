package main

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/testenv"
)

// TestReceiptAndNoticeOfficerFullName: the printable receipt ("Giấy tiếp
// nhận hồ sơ và hẹn trả kết quả") and the supplement notice carry the
// receiving officer's full name, not the login username (issue 16
// point 7).
func TestReceiptAndNoticeOfficerFullName(t *testing.T) {
	t.Parallel()
	testenv.Commands(t, "MOTCUA_REQUIRE_POPPLER", "install poppler-utils to read the PDF back", "pdftotext")
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, demo.Citizens()[0].Code)}
	code, attached := applyMarriageOnline(t, citizen)
	desk := townOfficer(t, "reception") // tiepnhan.thitran, Phạm Thị Lan
	b := officerLogin(t, ts, desk.Username, desk.Password, desk.TOTPSecret)
	for _, step := range []url.Values{{"to": {"2"}}, {"to": {"5"}, "note": {"Bổ sung bản sao giấy khai sinh"}}} {
		if resp, body := b.post(ts.url+"/can-bo/ho-so/"+code+"/trang-thai", step); resp.StatusCode != 200 {
			t.Fatalf("to %s: %d\n%s", step.Get("to"), resp.StatusCode, firstLine(body, `<p class="alert`))
		}
	}
	// "Ai đã sử dụng dữ liệu của tôi" (API): the dossier the identity
	// papers were used in, with the receiving officer's full name.
	status, uses, raw := citizen.do("GET", "/api/v1/warehouse/documents/"+attached+"/uses", nil, "")
	items, _ := uses["items"].([]any)
	found := false
	for _, it := range items {
		u := it.(map[string]any)
		if u["dossier_code"] == code && u["officer_name"] == desk.Name && u["agency_name"] == "UBND Thị trấn An Lão" &&
			u["procedure"] == "Đăng ký kết hôn" && strings.Contains(u["purpose"].(string), "Sử dụng lại trong hồ sơ") {
			found = true
		}
	}
	if status != 200 || !found {
		t.Errorf("uses of the attached document: %d %s", status, raw)
	}
	for _, pdf := range []string{"phieu.pdf", "phieu-bo-sung.pdf"} {
		resp, body := b.get(ts.url + "/can-bo/ho-so/" + code + "/" + pdf)
		if resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
			t.Fatalf("%s: %d", pdf, resp.StatusCode)
		}
		file := filepath.Join(t.TempDir(), pdf)
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", pdf, err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		if !strings.Contains(text, desk.Name) || strings.Contains(text, desk.Username) {
			t.Errorf("%s: want the officer's full name %q, not %q:\n%s", pdf, desk.Name, desk.Username, text)
		}
	}
}
