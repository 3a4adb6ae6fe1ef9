// Package notifysim is a standalone simulator of the two notification
// gateways motcua speaks to (docs/notify.md): the Zalo ZNS template
// message API and a brandname SMS gateway. It records every message it
// accepts, drops repeats by their tracking or request id as the real
// gateways do, shows what it received on a Vietnamese web page, and can
// be told to fail (an outage, a refusal, a slow link) so that delivery's
// retries can be watched and tested.
//
// It is for development, demos and tests; it sends nothing anywhere.
package notifysim

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/notify"
)

// Development credentials, accepted when Options leaves them empty. They
// are public: never expose a simulator using them beyond the local
// machine.
const (
	DefaultAccessToken = "motcua-dev-zalo-token"
	DefaultAPIKey      = "motcua-dev-sms-key"
)

// Admin and page paths, besides notify.PathZalo and notify.PathSMS.
const (
	PathPage     = "/"              // GET: the received messages, in Vietnamese
	PathMessages = "/api/messages"  // GET: {"state": …, "messages": […]} newest first
	PathState    = "/admin/state"   // GET: State
	PathFailure  = "/admin/failure" // POST {"mode": "none|503|400|slow"} or a form field mode
	PathReset    = "/admin/reset"   // POST: forget every message and counter
	PathHealth   = "/healthz"
)

// DefaultTemplateIDs returns the ZNS template ids the simulator knows by
// default, by motcua template name: a deployment registers its own
// templates with Zalo and configures their ids.
func DefaultTemplateIDs() map[string]string {
	return map[string]string{
		notify.TemplateDossierReceived:  "dev-dossier-received",
		notify.TemplateDossierStatus:    "dev-dossier-status",
		notify.TemplateFeedbackResolved: "dev-feedback-resolved",
		notify.TemplateConsentRequest:   "dev-consent-request",
	}
}

// Mode is the simulated failure.
type Mode string

// Failure modes.
const (
	ModeNone Mode = "none" // accept every valid message
	Mode503  Mode = "503"  // answer 503 without recording: an outage, retryable
	Mode400  Mode = "400"  // answer 400 without recording: a refusal, permanent
	// ModeSlow records the message and then holds the answer for
	// Options.SlowDelay: a gateway that accepted the message but whose
	// answer the sender never sees.
	ModeSlow Mode = "slow"
)

// ParseMode parses a failure mode.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeNone, Mode503, Mode400, ModeSlow:
		return m, nil
	}
	return "", fmt.Errorf("failure mode %q must be none, 503, 400 or slow", s)
}

// Options configures a Simulator. Zero fields take the defaults.
type Options struct {
	// AccessToken is the Zalo access_token accepted (DefaultAccessToken).
	AccessToken string
	// APIKey is the SMS bearer key accepted (DefaultAPIKey).
	APIKey string
	// TemplateIDs maps motcua template names to the ZNS template ids the
	// simulator knows (DefaultTemplateIDs); it renders a ZNS message's
	// text from the motcua template, as Zalo renders a registered one.
	TemplateIDs map[string]string
	// SlowDelay is how long ModeSlow holds an answer (30 seconds).
	SlowDelay time.Duration
	// MaxMessages bounds the messages kept (1000); the oldest go first,
	// and with them their dedupe keys.
	MaxMessages int
	// Now is the clock (time.Now).
	Now func() time.Time
	// Logger receives one line per gateway call. Discarded when nil.
	Logger *slog.Logger
}

// Message is one message the simulator accepted.
type Message struct {
	ID         string            `json:"id"`      // the gateway's message id
	Channel    string            `json:"channel"` // "zalo" or "sms"
	Phone      string            `json:"phone"`   // 84xxxxxxxxx, as received
	Text       string            `json:"text"`    // what the phone shows
	DedupeKey  string            `json:"dedupe_key,omitempty"`
	TemplateID string            `json:"template_id,omitempty"`   // zalo
	Data       map[string]string `json:"template_data,omitempty"` // zalo
	Brandname  string            `json:"brandname,omitempty"`     // sms
	Unicode    bool              `json:"unicode,omitempty"`       // sms
	ReceivedAt time.Time         `json:"received_at"`
}

// State is the simulator's switch and counters.
type State struct {
	Mode       Mode `json:"mode"`
	Received   int  `json:"received"`   // messages accepted and recorded, ever
	Kept       int  `json:"kept"`       // messages still listed
	Duplicates int  `json:"duplicates"` // repeats answered with the original id, not recorded again
	Rejected   int  `json:"rejected"`   // invalid requests answered 4xx (or a ZNS error)
	Failed     int  `json:"failed"`     // requests answered with a simulated failure
}

// Simulator serves both gateways and the page. It is safe for concurrent
// use; its failure mode may be switched at any time.
type Simulator struct {
	token     []byte
	key       []byte
	templates map[string]string // ZNS template id → motcua template name
	slow      time.Duration
	max       int
	now       func() time.Time
	log       *slog.Logger
	mux       *http.ServeMux

	mu    sync.Mutex
	mode  Mode
	msgs  []Message         // oldest first
	byKey map[string]string // channel + " " + dedupe key → message id
	seq   int
	state State
}

// New returns a simulator.
func New(opts Options) *Simulator {
	s := &Simulator{
		token: []byte(opts.AccessToken), key: []byte(opts.APIKey),
		templates: make(map[string]string), slow: opts.SlowDelay, max: opts.MaxMessages,
		now: opts.Now, log: opts.Logger, mux: http.NewServeMux(),
		mode: ModeNone, byKey: make(map[string]string),
	}
	if len(s.token) == 0 {
		s.token = []byte(DefaultAccessToken)
	}
	if len(s.key) == 0 {
		s.key = []byte(DefaultAPIKey)
	}
	ids := opts.TemplateIDs
	if ids == nil {
		ids = DefaultTemplateIDs()
	}
	for name, id := range ids {
		s.templates[id] = name
	}
	if s.slow <= 0 {
		s.slow = 30 * time.Second
	}
	if s.max <= 0 {
		s.max = 1000
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.mux.HandleFunc("POST "+notify.PathZalo, s.zalo)
	s.mux.HandleFunc("POST "+notify.PathSMS, s.sms)
	s.mux.HandleFunc("GET "+PathMessages, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, struct {
			State    State     `json:"state"`
			Messages []Message `json:"messages"`
		}{s.State(), s.Messages()})
	})
	s.mux.HandleFunc("GET "+PathState, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.State())
	})
	s.mux.HandleFunc("POST "+PathFailure, s.adminFailure)
	s.mux.HandleFunc("POST "+PathReset, func(w http.ResponseWriter, r *http.Request) {
		s.Reset()
		s.adminAnswer(w, r)
	})
	s.mux.HandleFunc("GET "+PathHealth, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	s.mux.HandleFunc("GET /{$}", s.page)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// SetFailure switches the simulated failure.
func (s *Simulator) SetFailure(m Mode) {
	s.mu.Lock()
	s.mode = m
	s.mu.Unlock()
	s.log.Info("notify simulator failure mode set", "mode", m)
}

// State returns the failure mode and counters.
func (s *Simulator) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.state
	st.Mode = s.mode
	st.Kept = len(s.msgs)
	return st
}

// Messages returns the messages kept, newest first.
func (s *Simulator) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.msgs))
	for i, m := range s.msgs {
		out[len(out)-1-i] = m
	}
	return out
}

// Reset forgets every message, dedupe key and counter; the failure mode
// stays.
func (s *Simulator) Reset() {
	s.mu.Lock()
	s.msgs, s.byKey, s.state = nil, make(map[string]string), State{}
	s.mu.Unlock()
}

// failure returns the current mode and counts a simulated failure.
func (s *Simulator) failure() Mode {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mode == Mode503 || s.mode == Mode400 {
		s.state.Failed++
	}
	return s.mode
}

func (s *Simulator) rejected() {
	s.mu.Lock()
	s.state.Rejected++
	s.mu.Unlock()
}

// record keeps m unless its dedupe key was seen; it returns the message
// id to answer with and whether m was a repeat.
func (s *Simulator) record(m Message) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := m.Channel + " " + m.DedupeKey
	if id, ok := s.byKey[k]; ok && m.DedupeKey != "" {
		s.state.Duplicates++
		return id, true
	}
	s.seq++
	m.ID = fmt.Sprintf("%s-%06d", m.Channel, s.seq)
	m.ReceivedAt = s.now().UTC()
	s.msgs = append(s.msgs, m)
	if m.DedupeKey != "" {
		s.byKey[k] = m.ID
	}
	s.state.Received++
	if len(s.msgs) > s.max {
		old := s.msgs[0]
		s.msgs = append(s.msgs[:0:0], s.msgs[1:]...)
		if old.DedupeKey != "" {
			delete(s.byKey, old.Channel+" "+old.DedupeKey)
		}
	}
	return m.ID, false
}

// hold delays the answer in ModeSlow; false when the client gave up.
func (s *Simulator) hold(ctx context.Context, mode Mode) bool {
	if mode != ModeSlow {
		return true
	}
	t := time.NewTimer(s.slow)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// maxRequestBytes bounds a request body; a real one is under a kilobyte.
const maxRequestBytes = 64 << 10

// decode reads a JSON body; lenient about unknown fields, as gateways
// accept optional fields motcua does not send.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return fmt.Errorf("content type must be application/json")
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequestBytes)).Decode(v); err != nil {
		return fmt.Errorf("malformed JSON body: %v", err)
	}
	return nil
}

// Simulated ZNS error codes, as Zalo numbers them (docs/notify.md).
const (
	zaloErrUnknown      = notify.ZaloErrUnknown
	zaloErrPhone        = notify.ZaloErrPhoneInvalid
	zaloErrTemplateID   = notify.ZaloErrTemplateID
	zaloErrTemplateData = -112 // template data invalid
	zaloErrToken        = notify.ZaloErrAccessToken
)

func (s *Simulator) zalo(w http.ResponseWriter, r *http.Request) {
	zerr := func(status, code int, msg string) {
		writeJSON(w, status, notify.ZaloResponse{Error: code, Message: msg})
	}
	mode := s.failure()
	switch mode {
	case Mode503:
		zerr(http.StatusServiceUnavailable, zaloErrUnknown, "Unknown error, try again later (simulated outage)")
		return
	case Mode400:
		zerr(http.StatusBadRequest, zaloErrPhone, "Phone number invalid (simulated refusal)")
		return
	}
	// Zalo reports its own errors with HTTP 200 and a code.
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("access_token")), s.token) != 1 {
		s.rejected()
		zerr(http.StatusOK, zaloErrToken, "Access token is invalid")
		return
	}
	var req notify.ZaloRequest
	if err := decode(w, r, &req); err != nil {
		s.rejected()
		zerr(http.StatusBadRequest, zaloErrUnknown, err.Error())
		return
	}
	if !validPhone(req.Phone) {
		s.rejected()
		zerr(http.StatusOK, zaloErrPhone, "Phone number invalid")
		return
	}
	name, ok := s.templates[req.TemplateID]
	if !ok {
		s.rejected()
		zerr(http.StatusOK, zaloErrTemplateID, "Template ID invalid")
		return
	}
	msg, err := notify.Render(name, req.TemplateData)
	if err != nil {
		s.rejected()
		zerr(http.StatusOK, zaloErrTemplateData, "Template data invalid: "+err.Error())
		return
	}
	id, dup := s.record(Message{Channel: "zalo", Phone: req.Phone, Text: msg.Text, DedupeKey: req.TrackingID,
		TemplateID: req.TemplateID, Data: req.TemplateData})
	s.log.Info("zalo message", "tracking_id", req.TrackingID, "msg_id", id, "duplicate", dup, "mode", mode)
	if !s.hold(r.Context(), mode) {
		return
	}
	writeJSON(w, http.StatusOK, notify.ZaloResponse{Message: "Success",
		Data: &notify.ZaloResponseData{MsgID: id, SentTime: strconv.FormatInt(s.now().UnixMilli(), 10)}})
}

func (s *Simulator) sms(w http.ResponseWriter, r *http.Request) {
	serr := func(status int, code, msg string) {
		var body struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		body.Error.Code, body.Error.Message = code, msg
		writeJSON(w, status, body)
	}
	mode := s.failure()
	switch mode {
	case Mode503:
		serr(http.StatusServiceUnavailable, "unavailable", "the SMS gateway is temporarily unavailable (simulated outage)")
		return
	case Mode400:
		serr(http.StatusBadRequest, "invalid_phone", "the phone number is refused (simulated refusal)")
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+string(s.key))) != 1 {
		s.rejected()
		w.Header().Set("WWW-Authenticate", `Bearer realm="sms"`)
		serr(http.StatusUnauthorized, "unauthorized", "missing or wrong API key")
		return
	}
	var req notify.SMSRequest
	if err := decode(w, r, &req); err != nil {
		s.rejected()
		serr(http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	var problem, code string
	switch {
	case req.Brandname == "":
		code, problem = "invalid_request", "brandname is required"
	case req.RequestID == "":
		code, problem = "invalid_request", "request_id is required"
	case !validPhone(req.Phone):
		code, problem = "invalid_phone", "phone must be 84 followed by 9 digits"
	case strings.TrimSpace(req.Message) == "":
		code, problem = "invalid_request", "message is required"
	case !req.Unicode && !isASCII(req.Message):
		code, problem = "invalid_request", "message has non-ASCII characters; set unicode"
	}
	if problem != "" {
		s.rejected()
		serr(http.StatusBadRequest, code, problem)
		return
	}
	id, dup := s.record(Message{Channel: "sms", Phone: req.Phone, Text: req.Message, DedupeKey: req.RequestID,
		Brandname: req.Brandname, Unicode: req.Unicode})
	s.log.Info("sms message", "request_id", req.RequestID, "message_id", id, "duplicate", dup, "mode", mode)
	if !s.hold(r.Context(), mode) {
		return
	}
	writeJSON(w, http.StatusOK, notify.SMSResponse{RequestID: req.RequestID, MessageID: id, Duplicate: dup})
}

func (s *Simulator) adminFailure(w http.ResponseWriter, r *http.Request) {
	var raw string
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/json" {
		var body struct {
			Mode string `json:"mode"`
		}
		if err := decode(w, r, &body); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		raw = body.Mode
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
		raw = r.PostFormValue("mode")
	}
	m, err := ParseMode(raw)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	s.SetFailure(m)
	s.adminAnswer(w, r)
}

// adminAnswer answers an admin POST: the state to API clients, a
// redirect back to the page to the page's own forms.
func (s *Simulator) adminAnswer(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		// Relative, unlike http.Redirect's, so that the simulator also
		// works mounted under a prefix (http.StripPrefix).
		w.Header().Set("Location", "../")
		w.WriteHeader(http.StatusSeeOther)
		return
	}
	writeJSON(w, http.StatusOK, s.State())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// validPhone reports whether p is 84 followed by 9 digits, not 0.
func validPhone(p string) bool {
	if len(p) != 11 || !strings.HasPrefix(p, "84") || p[2] == '0' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
