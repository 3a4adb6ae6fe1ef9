package notify_test

import (
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/notify"
)

// TestRenderReceivedSaysSent: after an online submission the dossier is
// in status 1 ("Mới đăng ký"), not yet received by the desk: the message
// says "đã được gửi", never "tiếp nhận" (issue 16 point 7).
func TestRenderReceivedSaysSent(t *testing.T) {
	t.Parallel()
	m, err := notify.Render(notify.TemplateDossierReceived, receivedParams())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{m.Text, m.Subject, m.Body} {
		if !strings.Contains(s, "đã được gửi") || strings.Contains(s, "tiếp nhận") {
			t.Errorf("message %q: want “đã được gửi” and no “tiếp nhận”", s)
		}
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	m, err := notify.Render(notify.TemplateDossierReceived, receivedParams())
	if err != nil {
		t.Fatal(err)
	}
	if m.Text != wantZaloText {
		t.Errorf("text = %q", m.Text)
	}
	if m.Subject != "Hồ sơ "+dossierCode+" đã được gửi" || !strings.Contains(m.Body, "Hạn trả kết quả: 21/03/2024.\n") {
		t.Errorf("e-mail = %q / %q", m.Subject, m.Body)
	}
	m, err = notify.Render(notify.TemplateDossierStatus, map[string]string{"code": dossierCode, "status": "Đã xử lý xong\r\nBcc: x@y"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Text != "Hồ sơ "+dossierCode+" đã chuyển sang trạng thái: Đã xử lý xong  Bcc: x@y." || strings.ContainsAny(m.Subject, "\r\n") {
		t.Errorf("status text = %q, subject %q", m.Text, m.Subject)
	}

	for name, params := range map[string]map[string]string{
		"no_such":                      receivedParams(),
		notify.TemplateDossierStatus:   {"code": dossierCode, "status": "  "},
		notify.TemplateDossierReceived: {"code": dossierCode},
	} {
		if _, err := notify.Render(name, params); err == nil || !notify.IsPermanent(err) {
			t.Errorf("Render(%s, %v) = %v, want a permanent error", name, params, err)
		}
	}
	// Every placeholder of every template is a declared parameter.
	for _, tpl := range notify.Templates() {
		params := map[string]string{}
		for _, p := range tpl.Params {
			params[p] = "X"
		}
		m, err := notify.Render(tpl.Name, params)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{m.Text, m.Subject, m.Body} {
			if strings.ContainsAny(s, "{}") || s == "" {
				t.Errorf("%s renders %q", tpl.Name, s)
			}
		}
	}
}

func TestUnaccent(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Hồ sơ ĐÃ được tiếp nhận":    "Ho so DA duoc tiep nhan",
		"Đắk Lắk – “Tây Nguyên”…":    `Dak Lak - "Tay Nguyen"...`,
		"https://a.vn/TraCuu?ma=AbC": "https://a.vn/TraCuu?ma=AbC",
		"Ho\u0302\u0300 so\u031b":    "Ho so",            // decomposed (NFD)
		"giá\u00a0100\u202f000 ₫ 日本": "gia 100 000 ? ??", // no-break spaces; no ASCII form
	} {
		if got := notify.Unaccent(in); got != want {
			t.Errorf("Unaccent(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestInternationalPhone(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0905123456": "84905123456", "0905 123 456": "84905123456", "+84 905-123-456": "84905123456",
		"84905123456": "84905123456", "+84 0905123456": "84905123456", "(090) 512.3456": "84905123456",
	} {
		if got, err := notify.InternationalPhone(in); err != nil || got != want {
			t.Errorf("InternationalPhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "905123456", "0005123456", "849051234567", "0905123456x", "84 0 905", "+1 202 555 0100", "09051+23456"} {
		if got, err := notify.InternationalPhone(in); err == nil || !notify.IsPermanent(err) {
			t.Errorf("InternationalPhone(%q) = %q, %v; want a permanent error", in, got, err)
		}
	}
}

func TestStatusTemplateNote(t *testing.T) {
	with, err := notify.Render(notify.TemplateDossierStatus, map[string]string{"code": "H08-240320-0001", "status": "Yêu cầu bổ sung",
		"note": "Lý do: thiếu\nbản sao"})
	if err != nil {
		t.Fatal(err)
	}
	if with.Text != "Hồ sơ H08-240320-0001 đã chuyển sang trạng thái: Yêu cầu bổ sung. Lý do: thiếu bản sao" {
		t.Fatalf("text = %q", with.Text)
	}
	without, err := notify.Render(notify.TemplateDossierStatus, map[string]string{"code": "H08-240320-0001", "status": "Được tiếp nhận"})
	if err != nil {
		t.Fatal(err)
	}
	if without.Text != "Hồ sơ H08-240320-0001 đã chuyển sang trạng thái: Được tiếp nhận." {
		t.Fatalf("text = %q", without.Text)
	}
}
