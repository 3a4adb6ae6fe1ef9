package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/motcua/motcua"
)

// SMSConfig configures the brandname SMS adapter.
type SMSConfig struct {
	// BaseURL of the gateway (or of the small service that maps motcua's
	// contract to a carrier's); PathSMS is appended. Required.
	BaseURL string
	// APIKey is sent as "Authorization: Bearer <key>" when not empty.
	APIKey string
	// Brandname is the registered sender name shown on the phone
	// (tên định danh), at most 11 letters, digits, dots, dashes,
	// underscores or spaces.
	Brandname string
	// Unicode sends the text with its Vietnamese diacritics. By default
	// the text is unaccented (Unaccent): a Unicode SMS holds 70
	// characters instead of 160, and gateways bill it double.
	Unicode bool
	// HTTPClient is used for the calls; a client with a 30-second
	// timeout when nil.
	HTTPClient *http.Client
}

// SMS sends text messages through a brandname gateway.
type SMS struct {
	url       string
	key       string
	brandname string
	unicode   bool
	client    *http.Client
}

// NewSMS checks cfg and returns the adapter.
func NewSMS(cfg SMSConfig) (*SMS, error) {
	if cfg.BaseURL == "" {
		return nil, errors.New("sms: the gateway base URL is required")
	}
	u, err := endpoint(cfg.BaseURL, PathSMS, "sms")
	if err != nil {
		return nil, err
	}
	if !validBrandname(cfg.Brandname) {
		return nil, fmt.Errorf("sms: brandname %q must be 1 to 11 ASCII letters, digits, '.', '-', '_' or spaces", cfg.Brandname)
	}
	return &SMS{url: u, key: cfg.APIKey, brandname: cfg.Brandname, unicode: cfg.Unicode,
		client: newHTTPClient(cfg.HTTPClient)}, nil
}

func validBrandname(s string) bool {
	if s == "" || len(s) > 11 {
		return false
	}
	for _, c := range []byte(s) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '-' || c == '_' || c == ' '
		if !ok {
			return false
		}
	}
	return true
}

// SMSRequest is the body of one SMS.
type SMSRequest struct {
	Brandname string `json:"brandname"`
	Phone     string `json:"phone"` // 84xxxxxxxxx
	Message   string `json:"message"`
	Unicode   bool   `json:"unicode"`    // send as a Unicode (UCS-2) SMS: Message has non-ASCII characters
	RequestID string `json:"request_id"` // motcua's dedupe key
}

// SMSResponse is the gateway's answer to an accepted SMS.
type SMSResponse struct {
	RequestID string `json:"request_id"`
	MessageID string `json:"message_id"`
	Duplicate bool   `json:"duplicate,omitempty"` // the request id was seen before; nothing was sent again
}

// SMSText returns the text the adapter would send for n.
func (s *SMS) SMSText(n *motcua.Notification) (string, error) {
	m, err := Render(n.Template, n.Params)
	if err != nil {
		return "", err
	}
	if !s.unicode {
		return Unaccent(m.Text), nil
	}
	return m.Text, nil
}

// Send implements Sender.
func (s *SMS) Send(ctx context.Context, n *motcua.Notification) error {
	text, err := s.SMSText(n)
	if err != nil {
		return err
	}
	phone, err := InternationalPhone(n.Recipient)
	if err != nil {
		return err
	}
	header := http.Header{}
	if s.key != "" {
		header.Set("Authorization", "Bearer "+s.key)
	}
	body := SMSRequest{Brandname: s.brandname, Phone: phone, Message: text, Unicode: !isASCII(text), RequestID: n.DedupeKey}
	data, err := postJSON(ctx, s.client, "sms", s.url, header, body)
	if err != nil {
		return err
	}
	var resp SMSResponse
	if err := json.Unmarshal(data, &resp); err != nil || resp.MessageID == "" {
		return fmt.Errorf("sms: malformed answer: %s", snippet(data))
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
