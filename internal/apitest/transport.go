package apitest

import (
	"bytes"
	"io"
	"net/http"
)

// Transport returns a RoundTripper that sends every request through next
// and checks each exchange under /api/v1/ with the checker, calling
// report for every problem. Bodies are read in full and handed on
// unchanged, so callers see the same request and response as without it.
func (c *Checker) Transport(next http.RoundTripper, report func(req *http.Request, problem string)) http.RoundTripper {
	return &checkingTransport{c: c, next: next, report: report}
}

type checkingTransport struct {
	c      *Checker
	next   http.RoundTripper
	report func(*http.Request, string)
}

func (t *checkingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !Covers(req) {
		return t.next.RoundTrip(req)
	}
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		// A RoundTripper must not modify the caller's request.
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if err != nil {
		return resp, nil // the caller meets the broken body itself
	}
	for _, p := range t.c.Check(req, reqBody, resp, respBody) {
		t.report(req, p)
	}
	return resp, nil
}
