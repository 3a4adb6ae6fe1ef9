package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/motcua/motcua"
)

// ZaloConfig configures the Zalo ZNS adapter.
type ZaloConfig struct {
	// BaseURL of the ZNS API; PathZalo is appended. DefaultZaloBaseURL
	// when empty.
	BaseURL string
	// AccessToken is the Official Account's access token, sent in the
	// access_token header. Zalo's tokens expire; refreshing them is left
	// to whatever provisions this value (docs/notify.md).
	AccessToken string
	// TemplateIDs maps motcua template names ("dossier_received") to the
	// ids of the ZNS templates registered for them. A notification whose
	// template has no id here fails permanently.
	TemplateIDs map[string]string
	// HTTPClient is used for the calls; a client with a 30-second
	// timeout when nil.
	HTTPClient *http.Client
}

// Zalo sends ZNS template messages.
type Zalo struct {
	url       string
	token     string
	templates map[string]string
	client    *http.Client
}

// NewZalo checks cfg and returns the adapter.
func NewZalo(cfg ZaloConfig) (*Zalo, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultZaloBaseURL
	}
	u, err := endpoint(cfg.BaseURL, PathZalo, "zalo")
	if err != nil {
		return nil, err
	}
	if cfg.AccessToken == "" {
		return nil, errors.New("zalo: an access token is required")
	}
	if len(cfg.TemplateIDs) == 0 {
		return nil, errors.New("zalo: no template ids configured")
	}
	ids := make(map[string]string, len(cfg.TemplateIDs))
	known := templates()
	for name, id := range cfg.TemplateIDs {
		if _, ok := known[name]; !ok {
			return nil, fmt.Errorf("zalo: template id %q given for unknown template %q", id, name)
		}
		if id == "" {
			return nil, fmt.Errorf("zalo: empty template id for %q", name)
		}
		ids[name] = id
	}
	return &Zalo{url: u, token: cfg.AccessToken, templates: ids, client: newHTTPClient(cfg.HTTPClient)}, nil
}

// ZaloRequest is the body of a ZNS template message.
type ZaloRequest struct {
	Phone        string            `json:"phone"` // 84xxxxxxxxx
	TemplateID   string            `json:"template_id"`
	TemplateData map[string]string `json:"template_data"`
	TrackingID   string            `json:"tracking_id"` // motcua's dedupe key
}

// ZaloResponse is ZNS's answer. Zalo reports most failures with HTTP 200
// and a non-zero Error.
type ZaloResponse struct {
	Error   int               `json:"error"`
	Message string            `json:"message"`
	Data    *ZaloResponseData `json:"data,omitempty"`
}

// ZaloResponseData is the data of an accepted ZNS message.
type ZaloResponseData struct {
	MsgID    string `json:"msg_id"`
	SentTime string `json:"sent_time,omitempty"` // Unix milliseconds
}

// ZNS error codes motcua treats specially; docs/notify.md lists them. Any
// other non-zero code is about this message (an invalid phone number
// -108, an unknown template -109, a person without Zalo…) and permanent.
const (
	ZaloErrUnknown      = -100 // "unknown error, try again later"
	ZaloErrPhoneInvalid = -108
	ZaloErrTemplateID   = -109
	ZaloErrAccessToken  = -124 // invalid or expired access token
)

// Send implements Sender.
func (z *Zalo) Send(ctx context.Context, n *motcua.Notification) error {
	if _, err := Render(n.Template, n.Params); err != nil {
		return err
	}
	id, ok := z.templates[n.Template]
	if !ok {
		return Permanent(fmt.Errorf("zalo: no ZNS template id configured for %q", n.Template))
	}
	phone, err := InternationalPhone(n.Recipient)
	if err != nil {
		return err
	}
	body := ZaloRequest{Phone: phone, TemplateID: id, TemplateData: templateData(n), TrackingID: n.DedupeKey}
	data, err := postJSON(ctx, z.client, "zalo", z.url, http.Header{"Access_token": {z.token}}, body)
	if err != nil {
		return err
	}
	var resp ZaloResponse
	if err := json.Unmarshal(data, &resp); err != nil {
		// The message may have gone out; the tracking id lets a retry
		// be recognised.
		return fmt.Errorf("zalo: malformed answer: %s", snippet(data))
	}
	switch resp.Error {
	case 0:
		return nil
	case ZaloErrUnknown, ZaloErrAccessToken:
		return fmt.Errorf("zalo: error %d: %s", resp.Error, resp.Message)
	}
	return Permanent(fmt.Errorf("zalo: error %d: %s", resp.Error, resp.Message))
}

// templateData returns the template's parameters, required and optional
// (an absent optional one is empty), cleaned as Render cleans them, and
// nothing else: ZNS rejects data its template does not declare. The
// optional note carries the reason of a refusal or a supplement request,
// which the citizen must read in Zalo as in the SMS.
func templateData(n *motcua.Notification) map[string]string {
	t := templates()[n.Template]
	out := make(map[string]string, len(t.Params)+len(t.Optional))
	for _, p := range t.Params {
		out[p] = cleanParam(n.Params[p])
	}
	for _, p := range t.Optional {
		out[p] = cleanParam(n.Params[p])
	}
	return out
}
