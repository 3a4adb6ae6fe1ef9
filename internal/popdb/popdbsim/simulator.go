// Package popdbsim is a standalone simulator of the National Population
// Database as motcua's adapter (package popdb) sees it: the HTTP contract
// of docs/popdb.md over a fixed list of synthetic citizens, with switches
// for the failures the adapter must survive (an outage, a slow link).
//
// It is for development, demos and tests; it holds no real personal data.
package popdbsim

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/popdb"
)

// Development credentials, used when Options leaves them empty. They are
// public: never expose a simulator using them beyond the local machine.
const (
	DefaultClientID     = "motcua-dev"
	DefaultClientSecret = "motcua-dev-secret"
)

// maxRequestBytes bounds a request body; a real one is a few hundred bytes.
const maxRequestBytes = 64 << 10

// Options configures a Simulator.
type Options struct {
	// ClientID and ClientSecret are the one credential accepted, as HTTP
	// Basic authentication, on the service and admin endpoints.
	// DefaultClientID and DefaultClientSecret when empty.
	ClientID     string
	ClientSecret string
	// Latency delays every service answer (not the admin endpoints).
	Latency time.Duration
	// Logger receives one line per service call, as the real database
	// logs who asked and why. Discarded when nil.
	Logger *slog.Logger
}

// Simulator serves the population database contract. Its citizens are
// fixed at construction; the outage and latency switches may be flipped
// at any time, concurrently with requests.
type Simulator struct {
	citizens []popdb.Citizen
	byID     map[string]int // personal id → index in citizens
	byLegacy map[string]int // old CMND → index in citizens
	id       []byte
	secret   []byte
	log      *slog.Logger
	outage   atomic.Bool
	latency  atomic.Int64 // time.Duration
	mux      *http.ServeMux
}

// New returns a simulator serving citizens (copied). When two citizens
// share a personal id or an old CMND, the first one wins; LoadCSV rejects
// such lists.
func New(citizens []popdb.Citizen, opts Options) *Simulator {
	s := &Simulator{
		citizens: append([]popdb.Citizen(nil), citizens...),
		byID:     make(map[string]int, len(citizens)),
		byLegacy: make(map[string]int),
		id:       []byte(opts.ClientID),
		secret:   []byte(opts.ClientSecret),
		log:      opts.Logger,
		mux:      http.NewServeMux(),
	}
	if opts.ClientID == "" {
		s.id = []byte(DefaultClientID)
	}
	if opts.ClientSecret == "" {
		s.secret = []byte(DefaultClientSecret)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	for i, c := range s.citizens {
		if _, dup := s.byID[c.PersonalID]; !dup {
			s.byID[c.PersonalID] = i
		}
		if _, dup := s.byLegacy[c.LegacyID]; c.LegacyID != "" && !dup {
			s.byLegacy[c.LegacyID] = i
		}
	}
	s.SetLatency(opts.Latency)

	s.mux.Handle(popdb.PathVerify, s.service("verify", s.verify))
	s.mux.Handle(popdb.PathLookup, s.service("lookup", s.lookup))
	s.mux.Handle(popdb.PathMapLegacyID, s.service("map_legacy_id", s.mapLegacyID))
	s.mux.Handle("/admin/outage", s.admin(http.MethodPost, s.adminOutage))
	s.mux.Handle("/admin/latency", s.admin(http.MethodPost, s.adminLatency))
	s.mux.Handle("/admin/state", s.admin(http.MethodGet, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.State())
	}))
	s.mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "", popdb.WireNotFound, "no such endpoint: "+r.URL.Path)
	})
	return s
}

// ServeHTTP implements http.Handler.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// SetOutage turns the simulated outage on or off: while on, every service
// call answers 503.
func (s *Simulator) SetOutage(on bool) { s.outage.Store(on) }

// SetLatency delays every later service answer by d (0 for none).
func (s *Simulator) SetLatency(d time.Duration) { s.latency.Store(int64(max(d, 0))) }

// State is the simulator's switches, as GET /admin/state returns them.
type State struct {
	Outage    bool  `json:"outage"`
	LatencyMS int64 `json:"latency_ms"`
	Citizens  int   `json:"citizens"`
}

// State returns the current switches.
func (s *Simulator) State() State {
	return State{
		Outage:    s.outage.Load(),
		LatencyMS: time.Duration(s.latency.Load()).Milliseconds(),
		Citizens:  len(s.citizens),
	}
}

// service wraps one service: latency, outage, authentication, method,
// decoding and validation come first, in the order a real platform
// applies them (the network is slow before anything answers; a platform
// that is down checks no credentials).
func (s *Simulator) service(op string, handle func(*popdb.Request) (any, string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the whole body first lets net/http notice a client that
		// hangs up during the latency, which ends the wait below.
		body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
		if !s.wait(r.Context()) {
			return // the client gave up; nobody reads an answer
		}
		if s.outage.Load() {
			w.Header().Set("Retry-After", "30")
			writeError(w, http.StatusServiceUnavailable, "", popdb.WireUnavailable,
				"the population database is temporarily unavailable (simulated outage)")
			return
		}
		if !s.authorized(w, r) {
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, "", popdb.WireMethodNotAllowed, "use POST")
			return
		}
		req, err := decodeRequest(r.Header.Get("Content-Type"), body, readErr)
		if err != nil {
			status, code := http.StatusBadRequest, popdb.WireInvalidRequest
			if errors.Is(err, errMediaType) {
				status, code = http.StatusUnsupportedMediaType, popdb.WireUnsupportedMedia
			}
			writeError(w, status, req.RequestID, code, err.Error())
			return
		}
		answer, result := handle(req)
		s.log.Info("popdb request", "op", op, "request_id", req.RequestID, "purpose", req.Purpose,
			"service_code", req.ServiceCode, "actor_kind", req.ActorKind, "actor_id", req.ActorID,
			"agency_code", req.AgencyCode, "dossier_id", req.DossierID, "result", result)
		writeJSON(w, http.StatusOK, answer)
	})
}

// wait sleeps for the configured latency; false when the request's
// context ends first.
func (s *Simulator) wait(ctx context.Context) bool {
	d := time.Duration(s.latency.Load())
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// authorized checks HTTP Basic credentials and answers 401 when they are
// wrong.
func (s *Simulator) authorized(w http.ResponseWriter, r *http.Request) bool {
	id, secret, ok := r.BasicAuth()
	// Both comparisons always run, so timing does not tell which part is wrong.
	idOK := subtle.ConstantTimeCompare([]byte(id), s.id)
	secretOK := subtle.ConstantTimeCompare([]byte(secret), s.secret)
	if ok && idOK&secretOK == 1 {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Basic realm="popdb", charset="UTF-8"`)
	writeError(w, http.StatusUnauthorized, "", popdb.WireUnauthorized, "missing or wrong client credentials")
	return false
}

var errMediaType = errors.New("content type must be application/json")

// decodeRequest decodes and validates a service request. The request id is
// returned even when validation fails, so the error can echo it.
func decodeRequest(contentType string, body []byte, readErr error) (*popdb.Request, error) {
	var req popdb.Request
	if mt, _, err := mime.ParseMediaType(contentType); err != nil || mt != "application/json" {
		return &req, errMediaType
	}
	if readErr != nil {
		return &req, fmt.Errorf("read body: %v", readErr)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return &req, fmt.Errorf("malformed JSON body: %v", err)
	}
	if dec.More() {
		return &req, errors.New("malformed JSON body: data after the object")
	}
	switch {
	case req.RequestID == "":
		return &req, errors.New("request_id is required")
	case req.Purpose != popdb.PurposeCounter && req.Purpose != popdb.PurposeRegistration &&
		req.Purpose != popdb.PurposeOnlineSubmission && req.Purpose != popdb.PurposeResultPush:
		return &req, fmt.Errorf("purpose %q is not one of counter, registration, online_submission, result_push", req.Purpose)
	case req.ActorKind == "":
		return &req, errors.New("actor_kind is required")
	case req.ActorKind != popdb.ActorOfficer && req.ActorKind != popdb.ActorCitizen &&
		req.ActorKind != popdb.ActorSystem && req.ActorKind != popdb.ActorIntegrator:
		return &req, fmt.Errorf("actor_kind %q is not one of officer, citizen, system, integrator", req.ActorKind)
	case (req.ActorKind == popdb.ActorOfficer || req.ActorKind == popdb.ActorIntegrator) && req.ActorID == "":
		return &req, fmt.Errorf("actor_id is required for actor_kind %s", req.ActorKind)
	case req.PersonalID == "" && req.LegacyID == "":
		return &req, errors.New("personal_id or legacy_id is required")
	case req.PersonalID != "" && (len(req.PersonalID) != 12 || !digits(req.PersonalID)):
		return &req, errors.New("personal_id must be 12 digits")
	case req.LegacyID != "" && !motcua.IsLegacyCMND(req.LegacyID):
		return &req, errors.New("legacy_id must be 9 digits")
	case req.FullName == "":
		return &req, errors.New("full_name is required")
	case req.BirthDate.IsZero():
		return &req, errors.New("birth_date is required")
	}
	return &req, nil
}

// match returns the citizen the request claims to be: every id given
// names the same citizen, whose full name equals the claimed one
// accent-, case- and space-insensitively and whose date of birth is the
// claimed one.
func (s *Simulator) match(req *popdb.Request) (*popdb.Citizen, bool) {
	i, j := -1, -1
	if req.PersonalID != "" {
		k, ok := s.byID[req.PersonalID]
		if !ok {
			return nil, false
		}
		i = k
	}
	if req.LegacyID != "" {
		k, ok := s.byLegacy[req.LegacyID]
		if !ok {
			return nil, false
		}
		j = k
	}
	switch {
	case i < 0:
		i = j
	case j >= 0 && i != j:
		return nil, false
	}
	c := &s.citizens[i]
	if !motcua.EqualFolded(c.FullName, req.FullName) || c.BirthDate != req.BirthDate {
		return nil, false
	}
	return c, true
}

func (s *Simulator) verify(req *popdb.Request) (any, string) {
	c, ok := s.match(req)
	resp := popdb.VerifyResponse{RequestID: req.RequestID, Exists: &ok}
	if !ok {
		return resp, "no_match"
	}
	resp.PersonalID = c.PersonalID
	return resp, "match"
}

func (s *Simulator) lookup(req *popdb.Request) (any, string) {
	c, ok := s.match(req)
	resp := popdb.LookupResponse{RequestID: req.RequestID, Found: &ok}
	if !ok {
		return resp, "not_found"
	}
	cc := *c
	resp.Citizen = &cc
	return resp, "found"
}

func (s *Simulator) mapLegacyID(req *popdb.Request) (any, string) {
	if req.LegacyID == "" {
		// The service maps a CMND; without one there is nothing to map.
		no := false
		return popdb.MapLegacyIDResponse{RequestID: req.RequestID, Found: &no}, "not_found"
	}
	c, ok := s.match(req)
	resp := popdb.MapLegacyIDResponse{RequestID: req.RequestID, Found: &ok}
	if !ok {
		return resp, "not_found"
	}
	resp.PersonalID = c.PersonalID
	return resp, "found"
}

// admin wraps an admin endpoint: credentials and method only; admin
// endpoints ignore the outage and latency they control.
func (s *Simulator) admin(method string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(w, r) {
			return
		}
		if r.Method != method {
			w.Header().Set("Allow", method)
			writeError(w, http.StatusMethodNotAllowed, "", popdb.WireMethodNotAllowed, "use "+method)
			return
		}
		h(w, r)
	})
}

func (s *Simulator) adminOutage(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Enabled *bool `json:"enabled"`
	}
	if err := decodeAdmin(w, r, &body); err != nil || body.Enabled == nil {
		writeError(w, http.StatusBadRequest, "", popdb.WireInvalidRequest, `body must be {"enabled": true|false}`)
		return
	}
	s.SetOutage(*body.Enabled)
	s.log.Info("popdb simulator outage switched", "enabled", *body.Enabled)
	writeJSON(w, http.StatusOK, s.State())
}

func (s *Simulator) adminLatency(w http.ResponseWriter, r *http.Request) {
	var body struct {
		MS *int64 `json:"ms"`
	}
	const maxMS = 10 * 60 * 1000
	if err := decodeAdmin(w, r, &body); err != nil || body.MS == nil || *body.MS < 0 || *body.MS > maxMS {
		writeError(w, http.StatusBadRequest, "", popdb.WireInvalidRequest, `body must be {"ms": 0..600000}`)
		return
	}
	s.SetLatency(time.Duration(*body.MS) * time.Millisecond)
	s.log.Info("popdb simulator latency set", "ms", *body.MS)
	writeJSON(w, http.StatusOK, s.State())
}

func decodeAdmin(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, requestID, code, message string) {
	writeJSON(w, status, popdb.ErrorResponse{
		RequestID: requestID,
		Error:     popdb.ErrorDetail{Code: code, Message: message},
	})
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
