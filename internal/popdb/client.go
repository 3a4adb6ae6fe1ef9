package popdb

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// DefaultTimeout bounds one call, retries included, when Config.Timeout is
// zero. An officer at the counter is waiting; after this the UI offers the
// fallback path instead.
const DefaultTimeout = 5 * time.Second

const (
	// maxRetries is how many times a call is repeated after a connection
	// error or a 502/503/504. Repeating is safe only because all three
	// services are idempotent reads.
	maxRetries   = 2
	retryBackoff = 100 * time.Millisecond // doubled at each retry
	maxBodyBytes = 1 << 20
	// auditTimeout bounds the audit write, which runs even when the call's
	// own context is already done, so that a timed-out read is still logged.
	auditTimeout = 5 * time.Second
)

// Config configures a Client.
type Config struct {
	// BaseURL is the service root, e.g. "https://lgsp.example.gov.vn/csdldc";
	// the paths of docs/popdb.md are appended to it.
	BaseURL string
	// ClientID and ClientSecret are motcua's credential at the
	// data-exchange platform, sent as HTTP Basic authentication on every
	// call. Use https outside a single host: Basic sends the secret in
	// every request.
	ClientID     string
	ClientSecret string
	// Timeout bounds one call including its retries; DefaultTimeout when zero.
	Timeout time.Duration
	// HTTPClient sends the requests; a client with http.DefaultTransport
	// when nil. Its own Timeout, if any, applies per attempt.
	HTTPClient *http.Client
	// Audit, when set, receives one event per call sent to the database.
	// Appending is part of the call: when it fails the call fails with
	// EINTERNAL and its answer is withheld.
	Audit motcua.AuditAppender
	// Logger receives retries, outages and misconfiguration; never names,
	// dates of birth or full ids. Discarded when nil.
	Logger *slog.Logger
}

// Client calls the population database. It is safe for concurrent use.
type Client struct {
	baseURL string
	id      string
	secret  string
	timeout time.Duration
	hc      *http.Client
	audit   motcua.AuditAppender
	log     *slog.Logger
}

// NewClient checks cfg and returns a Client. Errors are configuration
// errors, meant for the operator at start-up.
func NewClient(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.BaseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("popdb: base URL %q must be an absolute http(s) URL", cfg.BaseURL)
	}
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("popdb: client id and client secret are required")
	}
	if cfg.Timeout < 0 {
		return nil, fmt.Errorf("popdb: negative timeout %s", cfg.Timeout)
	}
	c := &Client{
		baseURL: strings.TrimRight(u.String(), "/"),
		id:      cfg.ClientID,
		secret:  cfg.ClientSecret,
		timeout: cfg.Timeout,
		hc:      cfg.HTTPClient,
		audit:   cfg.Audit,
		log:     cfg.Logger,
	}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	if c.hc == nil {
		c.hc = &http.Client{}
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		c.log.Warn("population database URL is plain http: the client secret travels unencrypted", "base_url", c.baseURL)
	}
	return c, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Results recorded in the audit event's Detail.
const (
	resultMatch       = "match"
	resultNoMatch     = "no_match"
	resultFound       = "found"
	resultNotFound    = "not_found"
	resultUnavailable = "unavailable"
	resultError       = "error"
)

// Verify reports whether the claimed full name, id (personal id or old
// CMND) and date of birth belong to one citizen. Names are compared by the
// database accent- and case-insensitively.
//
// false is returned only when the database answered "no match". Errors:
// EINVALID for bad input, with the field (nothing is sent); EUNAVAILABLE
// (CodeUnavailable) when the database cannot be reached or fails;
// EINTERNAL on misconfiguration, an answer outside the contract, or a
// failed audit write. On any error the boolean is false and means nothing.
func (c *Client) Verify(ctx context.Context, q Query) (bool, error) {
	q, err := q.normalized(false, time.Now())
	if err != nil {
		return false, err
	}
	var resp VerifyResponse
	err = c.call(ctx, "verify", PathVerify, q, &resp)
	if err == nil && resp.Exists == nil {
		err = c.protocolError("verify", q.RequestID, errors.New("answer without \"exists\""))
	}
	subject, result := q.PersonalID, resultFor(err)
	if err == nil {
		result = resultNoMatch
		if *resp.Exists {
			result = resultMatch
			if subject == "" && motcua.ValidatePersonalID(resp.PersonalID) == nil {
				subject = resp.PersonalID
			}
		}
	}
	if aerr := c.record(ctx, "popdb.verify", q, subject, result); aerr != nil {
		return false, aerr
	}
	if err != nil {
		return false, err
	}
	return *resp.Exists, nil
}

// Lookup returns the record of the citizen whose full name, id and date of
// birth match the query (SPEC §4.5: the counter form is filled from it).
//
// Errors: ENOTFOUND (CodeCitizenNotFound) when no citizen matches — the
// database does not say which part was wrong; otherwise as Verify.
func (c *Client) Lookup(ctx context.Context, q Query) (*Citizen, error) {
	q, err := q.normalized(false, time.Now())
	if err != nil {
		return nil, err
	}
	var resp LookupResponse
	err = c.call(ctx, "lookup", PathLookup, q, &resp)
	if err == nil {
		switch {
		case resp.Found == nil:
			err = c.protocolError("lookup", q.RequestID, errors.New("answer without \"found\""))
		case *resp.Found && (resp.Citizen == nil || motcua.ValidatePersonalID(resp.Citizen.PersonalID) != nil):
			err = c.protocolError("lookup", q.RequestID, errors.New("found without a citizen with a valid personal id"))
		case *resp.Found && q.PersonalID != "" && resp.Citizen.PersonalID != q.PersonalID:
			err = c.protocolError("lookup", q.RequestID, errors.New("citizen returned for another personal id"))
		}
	}
	subject, result := q.PersonalID, resultFor(err)
	if err == nil {
		result = resultNotFound
		if *resp.Found {
			result, subject = resultFound, resp.Citizen.PersonalID
		}
	}
	if aerr := c.record(ctx, "popdb.lookup", q, subject, result); aerr != nil {
		return nil, aerr
	}
	if err != nil {
		return nil, err
	}
	if !*resp.Found {
		return nil, motcua.Errorf(motcua.ENOTFOUND, CodeCitizenNotFound, msgCitizenNotFound)
	}
	return resp.Citizen, nil
}

// MapLegacyID returns the 12-digit personal id of the citizen holding the
// old 9-digit CMND in the query (LegacyID, or PersonalID when it has 9
// digits). The full name and date of birth are required too, so that the
// service cannot be used to harvest personal ids from CMND numbers.
//
// Errors: ENOTFOUND (CodeLegacyIDNotFound) when no citizen matches;
// EINVALID (field "legacy_id") without a CMND; otherwise as Verify.
func (c *Client) MapLegacyID(ctx context.Context, q Query) (string, error) {
	q, err := q.normalized(true, time.Now())
	if err != nil {
		return "", err
	}
	var resp MapLegacyIDResponse
	err = c.call(ctx, "map_legacy_id", PathMapLegacyID, q, &resp)
	if err == nil {
		switch {
		case resp.Found == nil:
			err = c.protocolError("map_legacy_id", q.RequestID, errors.New("answer without \"found\""))
		case *resp.Found && motcua.ValidatePersonalID(resp.PersonalID) != nil:
			err = c.protocolError("map_legacy_id", q.RequestID, errors.New("found without a valid personal id"))
		}
	}
	subject, result := q.PersonalID, resultFor(err)
	if err == nil {
		result = resultNotFound
		if *resp.Found {
			result, subject = resultFound, resp.PersonalID
		}
	}
	if aerr := c.record(ctx, "popdb.map_legacy_id", q, subject, result); aerr != nil {
		return "", aerr
	}
	if err != nil {
		return "", err
	}
	if !*resp.Found {
		return "", motcua.Errorf(motcua.ENOTFOUND, CodeLegacyIDNotFound, msgLegacyIDNotFound)
	}
	return resp.PersonalID, nil
}

func resultFor(err error) string {
	switch {
	case err == nil:
		return ""
	case motcua.IsKind(err, motcua.EUNAVAILABLE):
		return resultUnavailable
	}
	return resultError
}

// answer is a 200 body; its request id must echo ours, or the answer may
// belong to someone else's request (a misbehaving cache or proxy).
type answer interface{ requestID() string }

func (r *VerifyResponse) requestID() string      { return r.RequestID }
func (r *LookupResponse) requestID() string      { return r.RequestID }
func (r *MapLegacyIDResponse) requestID() string { return r.RequestID }

// call sends q to path and decodes the 200 answer into out, retrying
// connection errors and 502/503/504 within the call's timeout.
func (c *Client) call(ctx context.Context, op, path string, q Query, out answer) error {
	body, err := json.Marshal(Request{
		RequestID:   q.RequestID,
		ServiceCode: q.ServiceCode,
		Purpose:     q.Purpose,
		ActorKind:   q.ActorKind,
		ActorID:     q.ActorID,
		AgencyCode:  q.AgencyCode,
		DossierID:   q.DossierID,
		PersonalID:  q.PersonalID,
		LegacyID:    q.LegacyID,
		FullName:    q.FullName,
		BirthDate:   q.BirthDate,
	})
	if err != nil {
		return motcua.Internal(fmt.Errorf("popdb %s: encode request: %w", op, err))
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	for attempt := 0; ; attempt++ {
		retry, err := c.attempt(ctx, op, path, body, q.RequestID, out)
		if err == nil {
			return nil
		}
		if !retry || attempt == maxRetries {
			if motcua.IsKind(err, motcua.EUNAVAILABLE) {
				c.log.Warn("population database unavailable", "op", op, "request_id", q.RequestID,
					"attempts", attempt+1, "err", err)
			}
			return err
		}
		wait := retryBackoff << attempt
		c.log.Info("retrying population database call", "op", op, "request_id", q.RequestID,
			"attempt", attempt+1, "wait", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			c.log.Warn("population database unavailable", "op", op, "request_id", q.RequestID,
				"attempts", attempt+1, "err", err)
			return unavailable(fmt.Errorf("popdb %s: %w (after %v)", op, ctx.Err(), err))
		case <-t.C:
		}
	}
}

// attempt makes one HTTP request. retry reports whether a failure may be
// repeated.
func (c *Client) attempt(ctx context.Context, op, path string, body []byte, requestID string, out answer) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+path, bytes.NewReader(body))
	if err != nil {
		return false, motcua.Internal(fmt.Errorf("popdb %s: %w", op, err))
	}
	req.SetBasicAuth(c.id, c.secret)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		// A done context is the call's timeout (or the caller giving up):
		// no time is left to retry in.
		return ctx.Err() == nil, unavailable(fmt.Errorf("popdb %s: %w", op, err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		return ctx.Err() == nil, unavailable(fmt.Errorf("popdb %s: read answer: %w", op, err))
	}
	if len(data) > maxBodyBytes {
		return false, c.protocolError(op, requestID, fmt.Errorf("answer larger than %d bytes", maxBodyBytes))
	}

	switch code := resp.StatusCode; {
	case code == http.StatusOK:
		if err := json.Unmarshal(data, out); err != nil {
			return false, c.protocolError(op, requestID, fmt.Errorf("decode answer: %w", err))
		}
		if got := out.requestID(); got != requestID {
			return false, c.protocolError(op, requestID, fmt.Errorf("answer for request %q", got))
		}
		return false, nil
	case code == http.StatusBadGateway || code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout:
		return true, unavailable(fmt.Errorf("popdb %s: status %d: %s", op, code, wireMessage(data)))
	case code >= 500:
		return false, unavailable(fmt.Errorf("popdb %s: status %d: %s", op, code, wireMessage(data)))
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		err := fmt.Errorf("popdb %s: status %d: %s", op, code, wireMessage(data))
		c.log.Error("population database refused motcua's credentials; check the popdb client id and secret",
			"op", op, "request_id", requestID, "status", code, "err", err)
		return false, &motcua.Error{Kind: motcua.EINTERNAL, Code: CodeUnauthorized, Message: msgSystemError, Err: err}
	default:
		return false, c.protocolError(op, requestID, fmt.Errorf("status %d: %s", code, wireMessage(data)))
	}
}

// protocolError reports an answer outside the contract: a wrong base URL,
// a contract change, a proxy in the way. Never "no match".
func (c *Client) protocolError(op, requestID string, cause error) error {
	err := fmt.Errorf("popdb %s: %w", op, cause)
	c.log.Error("population database answered outside the contract", "op", op, "request_id", requestID, "err", err)
	return &motcua.Error{Kind: motcua.EINTERNAL, Code: CodeProtocol, Message: msgSystemError, Err: err}
}

func unavailable(cause error) error {
	return &motcua.Error{Kind: motcua.EUNAVAILABLE, Code: CodeUnavailable, Message: UnavailableMessage, Err: cause}
}

// wireMessage extracts "code: message" from an ErrorResponse body, or a
// short prefix of whatever else came back, for logs.
func wireMessage(data []byte) string {
	var e ErrorResponse
	if json.Unmarshal(data, &e) == nil && e.Error.Code != "" {
		return e.Error.Code + ": " + e.Error.Message
	}
	s := strings.TrimSpace(string(data))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// record appends the audit event of one call. The event is written even
// when the call's context is done, with its own short deadline.
func (c *Client) record(ctx context.Context, action string, q Query, subject, result string) error {
	if c.audit == nil {
		return nil
	}
	detail := "purpose=" + string(q.Purpose) + " result=" + result + " request_id=" + q.RequestID
	if q.ServiceCode != "" {
		detail += " service_code=" + q.ServiceCode
	}
	e := &motcua.AuditEvent{
		ActorKind:   q.ActorKind,
		ActorID:     q.ActorID,
		AgencyCode:  q.AgencyCode,
		Action:      action,
		ObjectKind:  "citizen",
		ObjectID:    q.objectID(),
		SubjectCode: subject,
		DossierID:   q.DossierID,
		Detail:      detail,
	}
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), auditTimeout)
	defer cancel()
	if err := c.audit.AppendAudit(actx, e); err != nil {
		err = fmt.Errorf("popdb: append audit event %s for request %s: %w", action, q.RequestID, err)
		c.log.Error("population database read not logged; answer withheld", "action", action,
			"request_id", q.RequestID, "err", err)
		return &motcua.Error{Kind: motcua.EINTERNAL, Code: CodeAuditFailed, Message: "Hệ thống gặp lỗi, vui lòng thử lại sau.", Err: err}
	}
	return nil
}

// newRequestID returns a random request id.
func newRequestID() string { return rand.Text() }
