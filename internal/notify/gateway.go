package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Gateway paths, appended to the configured base URLs. PathZalo is the
// real ZNS endpoint's path; PathSMS is motcua's SMS contract
// (docs/notify.md).
const (
	PathZalo = "/message/template"
	PathSMS  = "/v1/sms/send"
)

// DefaultZaloBaseURL is the production ZNS API.
const DefaultZaloBaseURL = "https://business.openapi.zalo.me"

// maxResponseBytes bounds a gateway's answer; real ones are a few hundred
// bytes.
const maxResponseBytes = 64 << 10

// defaultHTTPTimeout bounds one call when the caller's context has no
// earlier deadline.
const defaultHTTPTimeout = 30 * time.Second

// endpoint checks a base URL and appends path to it.
func endpoint(base, path, what string) (string, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("%s base URL %q must be an http(s) URL", what, base)
	}
	return u.String() + path, nil
}

// postJSON posts body to url and returns the answer's body when the
// status is 2xx. Other statuses are classified by statusError.
func postJSON(ctx context.Context, client *http.Client, gateway, url string, header http.Header, body any) ([]byte, error) {
	payload, err := json.Marshal(body)
	if err != nil {
		return nil, Permanent(fmt.Errorf("%s: encode request: %w", gateway, err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(payload))
	if err != nil {
		return nil, Permanent(fmt.Errorf("%s: %w", gateway, err))
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		// Unreachable, refused, reset or too slow: all worth retrying.
		// The error names the URL but never the credentials, which
		// travel in headers.
		return nil, fmt.Errorf("%s: %w", gateway, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return nil, fmt.Errorf("%s: read answer: %w", gateway, err)
	}
	if resp.StatusCode/100 == 2 {
		return data, nil
	}
	return nil, statusError(gateway, resp, data)
}

// statusError classifies a non-2xx answer. Timeouts, throttling and
// server errors are retried, honouring Retry-After. So are 401 and 403:
// a wrong or expired credential is a configuration fault that affects
// every message, and once an operator fixes it the queue must resume by
// itself rather than having given everything up. Any other 4xx means this
// message is wrong, and retrying it cannot help.
func statusError(gateway string, resp *http.Response, body []byte) error {
	err := fmt.Errorf("%s: HTTP %d: %s", gateway, resp.StatusCode, snippet(body))
	switch code := resp.StatusCode; {
	case code == http.StatusRequestTimeout, code == http.StatusTooEarly, code == http.StatusTooManyRequests, code >= 500:
		return RetryAfter(err, parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()))
	case code == http.StatusUnauthorized, code == http.StatusForbidden:
		return err
	case code >= 400:
		return Permanent(err)
	}
	return err
}

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return t.Sub(now)
	}
	return 0
}

// snippet returns the start of a gateway's answer for the outbox's
// last_error: the gateway's own message when it sent one of the usual
// JSON shapes, else the text itself, on one line.
func snippet(body []byte) string {
	var shaped struct {
		Message string          `json:"message"`
		Error   json.RawMessage `json:"error"`
	}
	s := ""
	if json.Unmarshal(body, &shaped) == nil {
		var inner struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		switch {
		case json.Unmarshal(shaped.Error, &inner) == nil && inner.Message != "":
			s = strings.TrimSpace(inner.Code + " " + inner.Message)
		case shaped.Message != "":
			s = shaped.Message
		}
	}
	if s == "" {
		s = string(body)
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	if s == "" {
		s = "(empty answer)"
	}
	return s
}

// newHTTPClient returns c, or a client with a default timeout.
func newHTTPClient(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: defaultHTTPTimeout}
}

// InternationalPhone converts a Vietnamese phone number, as people write
// it ("0905 123 456", "+84 905-123-456", "84905123456"), to the form the
// gateways take: 84 followed by the 9 digits after the trunk 0. Anything
// else is a permanent error.
func InternationalPhone(s string) (string, error) {
	var d strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			d.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '.', r == '-', r == '(', r == ')':
		default:
			return "", Permanent(fmt.Errorf("phone number %q has a character %q", s, r))
		}
	}
	n := d.String()
	switch {
	case len(n) == 10 && n[0] == '0':
		n = "84" + n[1:]
	case len(n) == 12 && strings.HasPrefix(n, "840"):
		n = "84" + n[3:] // "+84 0905…": the trunk 0 kept after the country code
	case len(n) == 11 && strings.HasPrefix(n, "84"):
	default:
		n = ""
	}
	if n == "" || n[2] == '0' {
		return "", Permanent(fmt.Errorf("phone number %q is not a Vietnamese number (0 and 9 digits)", s))
	}
	return n, nil
}
