package notify

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/motcua/motcua"
)

// Template is one kind of message in every channel's words. Text is what
// an SMS says, and what the ZNS template registered with Zalo for it must
// say (Zalo renders registered templates itself; motcua only sends the
// parameters). Subject and Body are the e-mail. Placeholders are {name},
// each a required, non-empty parameter.
type Template struct {
	Name   string
	Params []string
	// Optional parameters may be missing or empty.
	Optional []string
	Text     string
	Subject  string
	Body     string
}

// Template names.
const (
	TemplateDossierReceived = "dossier_received"
	TemplateDossierStatus   = "dossier_status"
	// TemplateFeedbackResolved tells an owner how the issuing agency
	// answered their feedback on a result.
	TemplateFeedbackResolved = "feedback_resolved"
	// TemplateConsentRequest asks a co-applicant of a two-party procedure
	// to consent to the use of their warehouse documents.
	TemplateConsentRequest = "consent_request"
)

const emailFooter = "\n\nĐây là thư tự động của Hệ thống thông tin giải quyết thủ tục hành chính; " +
	"vui lòng không trả lời thư này."

// templates returns every template. It builds them afresh so that no
// caller can change another's copy.
func templates() map[string]Template {
	return map[string]Template{
		TemplateDossierReceived: {
			Name:   TemplateDossierReceived,
			Params: []string{"code", "procedure", "agency", "due_date", "url"},
			Text: "Hồ sơ {code} ({procedure}) đã được gửi đến {agency}. " +
				"Hạn trả kết quả: {due_date}. Tra cứu: {url}",
			Subject: "Hồ sơ {code} đã được gửi",
			Body: "Kính gửi Ông/Bà,\n\n" +
				"Hồ sơ {code} ({procedure}) đã được gửi đến {agency}.\n" +
				"Hạn trả kết quả: {due_date}.\n" +
				"Tra cứu tình trạng hồ sơ: {url}" + emailFooter,
		},
		TemplateDossierStatus: {
			Name:     TemplateDossierStatus,
			Params:   []string{"code", "status"},
			Optional: []string{"note"},
			Text:     "Hồ sơ {code} đã chuyển sang trạng thái: {status}.{note}",
			Subject:  "Hồ sơ {code}: {status}",
			Body: "Kính gửi Ông/Bà,\n\n" +
				"Hồ sơ {code} đã chuyển sang trạng thái: {status}.{note}" + emailFooter,
		},
		TemplateFeedbackResolved: {
			Name:    TemplateFeedbackResolved,
			Params:  []string{"code", "outcome", "url"},
			Text:    "Phản ánh về kết quả {code}: {outcome}. Xem chi tiết: {url}",
			Subject: "Phản ánh về kết quả {code}: {outcome}",
			Body: "Kính gửi Ông/Bà,\n\n" +
				"Cơ quan cấp đã trả lời phản ánh của Ông/Bà về kết quả {code}: {outcome}.\n" +
				"Xem chi tiết trong Kho dữ liệu cá nhân, tổ chức: {url}" + emailFooter,
		},
		TemplateConsentRequest: {
			Name:   TemplateConsentRequest,
			Params: []string{"applicant", "procedure", "url"},
			Text: "{applicant} đề nghị Ông/Bà cùng nộp hồ sơ {procedure} và đồng ý cho sử dụng giấy tờ trong Kho dữ liệu của Ông/Bà. " +
				"Xem và trả lời: {url}",
			Subject: "Yêu cầu đồng ý sử dụng dữ liệu: {procedure}",
			Body: "Kính gửi Ông/Bà,\n\n" +
				"{applicant} đề nghị Ông/Bà cùng nộp hồ sơ {procedure} và đồng ý cho hồ sơ sử dụng giấy tờ trong Kho dữ liệu cá nhân của Ông/Bà.\n" +
				"Xem và trả lời yêu cầu: {url}" + emailFooter,
		},
	}
}

// Templates returns every template, sorted by name.
func Templates() []Template {
	m := templates()
	out := make([]Template, 0, len(m))
	for _, name := range []string{TemplateConsentRequest, TemplateDossierReceived, TemplateDossierStatus, TemplateFeedbackResolved} {
		out = append(out, m[name])
	}
	return out
}

// Message is a template rendered with a notification's parameters.
type Message struct {
	Text    string // SMS and Zalo
	Subject string // e-mail
	Body    string // e-mail, plain text with "\n" line ends
}

// Render renders the named template with params. An unknown template or
// a missing parameter is a permanent error: the outbox row itself is
// wrong, and no retry will mend it.
func Render(name string, params map[string]string) (Message, error) {
	t, ok := templates()[name]
	if !ok {
		return Message{}, Permanent(fmt.Errorf("unknown template %q", name))
	}
	values := make(map[string]string, len(t.Params))
	for _, p := range t.Params {
		v := cleanParam(params[p])
		if v == "" {
			return Message{}, Permanent(fmt.Errorf("template %s: parameter %q is missing", name, p))
		}
		values[p] = v
	}
	for _, p := range t.Optional {
		if v := cleanParam(params[p]); v != "" {
			values[p] = " " + v
		} else {
			values[p] = ""
		}
	}
	return Message{
		Text:    expand(t.Text, values),
		Subject: expand(t.Subject, values),
		Body:    expand(t.Body, values),
	}, nil
}

// cleanParam makes a parameter one line: control characters (a newline
// would forge an e-mail header or split an SMS oddly) become spaces.
func cleanParam(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}

// expand replaces each {name} by its value; the templates are fixed, so a
// placeholder without a value is a programming error caught by the tests.
func expand(s string, values map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString(values[s[i+1:i+j]])
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// Unaccent returns s with Vietnamese tone and vowel marks removed (đ → d)
// and case kept, and other non-ASCII characters replaced by ASCII ones,
// so that an SMS fits the 7-bit GSM alphabet: a Unicode SMS holds 70
// characters instead of 160 and gateways bill it double.
//
// motcua.FoldText does the letter folding, one rune at a time, because
// FoldText also lowercases, which would break the case-sensitive paths of
// links in a message.
func Unaccent(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case unicode.Is(unicode.Mn, r):
			// A combining mark of decomposed text: dropped.
		case r == '–' || r == '—' || r == '‐' || r == '−':
			b.WriteByte('-')
		case r == '‘' || r == '’':
			b.WriteByte('\'')
		case r == '“' || r == '”':
			b.WriteByte('"')
		case r == '…':
			b.WriteString("...")
		default:
			f := motcua.FoldText(string(r))
			if f == "" || f[0] >= 0x80 {
				b.WriteByte('?')
				continue
			}
			if unicode.IsUpper(r) {
				f = strings.ToUpper(f)
			}
			b.WriteString(f)
		}
	}
	return b.String()
}
