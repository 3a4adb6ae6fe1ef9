// Package apitest checks traffic to the JSON API against its OpenAPI
// document, so that the tests that drive /api/v1 also prove the document
// right: every request a test sends that the server accepts must be one
// the document allows, and every response must be one the document
// describes (status, content type and body schema, problems included).
package apitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Prefix is the part of the path the document describes.
const Prefix = "/api/v1/"

// documentPath is the document itself, which does not describe itself.
const documentPath = "/api/v1/openapi.json"

// Checker validates exchanges with the API against one document. It is
// safe for concurrent use.
type Checker struct {
	router   routers.Router
	checked  atomic.Int64
	mismatch atomic.Int64
}

// NewChecker loads and validates the document. The document's servers
// are dropped so that any host (a test server on a random port) matches.
func NewChecker(doc []byte) (*Checker, error) {
	registerBodyDecoders()
	loader := openapi3.NewLoader()
	t, err := loader.LoadFromData(doc)
	if err != nil {
		return nil, fmt.Errorf("load the OpenAPI document: %w", err)
	}
	if err := t.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("the OpenAPI document is invalid: %w", err)
	}
	t.Servers = nil
	r, err := legacy.NewRouter(t)
	if err != nil {
		return nil, fmt.Errorf("route the OpenAPI document: %w", err)
	}
	return &Checker{router: r}, nil
}

// Checked is how many API responses were checked so far.
func (c *Checker) Checked() int64 { return c.checked.Load() }

// Mismatches is how many of them disagreed with the document.
func (c *Checker) Mismatches() int64 { return c.mismatch.Load() }

// Covers reports whether the request is one the checker looks at: a
// path under /api/v1/ other than the document itself.
func Covers(req *http.Request) bool {
	p := req.URL.Path
	return strings.HasPrefix(p, Prefix) && p != documentPath
}

// Check compares one exchange with the document and returns what
// disagrees, each problem a sentence naming the operation. reqBody and
// respBody are the bodies sent and received (req.Body and resp.Body are
// not read).
//
// A request the document does not allow is reported only when the server
// accepted it (status below 400): tests send wrong requests on purpose to
// see them refused, and a refusal is then the agreement we want.
func (c *Checker) Check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) []string {
	c.checked.Add(1)
	problems := c.check(req, reqBody, resp, respBody)
	if len(problems) > 0 {
		c.mismatch.Add(1)
	}
	return problems
}

func (c *Checker) check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) []string {
	exchange := fmt.Sprintf("%s %s → %d", req.Method, req.URL.Path, resp.StatusCode)
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed {
			return nil // an unknown route refused: nothing to compare
		}
		return []string{fmt.Sprintf("%s: the document has no such operation (%v)", exchange, err)}
	}
	op := route.Operation.OperationID
	if op == "" {
		op = route.Method + " " + route.Path
	}
	exchange = fmt.Sprintf("%s (%s) → %d", req.Method+" "+req.URL.Path, op, resp.StatusCode)
	var problems []string

	opts := &openapi3filter.Options{
		IncludeResponseStatus: true,
		MultiError:            true,
		AuthenticationFunc:    credentialPresent,
	}
	opts.WithCustomSchemaErrorFunc(func(err *openapi3.SchemaError) string {
		return "/" + strings.Join(err.JSONPointer(), "/") + ": " + err.Reason
	})

	// The filter reads the body it validates: give it copies.
	vreq := req.Clone(context.Background())
	vreq.Body = io.NopCloser(bytes.NewReader(reqBody))
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && resp.StatusCode < 400 {
		problems = append(problems, fmt.Sprintf("%s: the server accepted a request the document does not allow: %s", exchange, short(err)))
	}

	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Options:                opts,
	}
	out.SetBodyBytes(respBody)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		problems = append(problems, fmt.Sprintf("%s: the response does not match the document: %s", exchange, short(err)))
	} else if p := undescribedBody(route, resp, respBody); p != "" {
		problems = append(problems, exchange+": "+p)
	}
	return problems
}

// undescribedBody catches what the filter lets pass: a response with a
// body whose status the document describes without any content.
func undescribedBody(route *routers.Route, resp *http.Response, body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return ""
	}
	ref := route.Operation.Responses.Status(resp.StatusCode)
	if ref == nil {
		ref = route.Operation.Responses.Default()
	}
	if ref == nil || ref.Value == nil || len(ref.Value.Content) > 0 {
		return ""
	}
	return fmt.Sprintf("the response has a %s body the document does not describe (no content for this status)", resp.Header.Get("Content-Type"))
}

// credentialPresent stands in for the server's authentication: the
// server checks credentials; the document only promises which kind the
// operation takes, so a request carrying none of them is outside it.
func credentialPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	req := in.RequestValidationInput.Request
	s := in.SecurityScheme
	auth := req.Header.Get("Authorization")
	switch s.Type {
	case "http":
		if strings.HasPrefix(strings.ToLower(auth), strings.ToLower(s.Scheme)+" ") {
			return nil
		}
	case "oauth2", "openIdConnect":
		if strings.HasPrefix(strings.ToLower(auth), "bearer ") {
			return nil
		}
	case "apiKey":
		switch s.In {
		case "cookie":
			if _, err := req.Cookie(s.Name); err == nil {
				return nil
			}
		case "header":
			if req.Header.Get(s.Name) != "" {
				return nil
			}
		case "query":
			if req.URL.Query().Has(s.Name) {
				return nil
			}
		}
	}
	return errors.New("no " + in.SecuritySchemeName + " credential")
}

// short is the validation error without the filter's dump of the whole
// request or schema.
func short(err error) string {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		parts := make([]string, 0, len(me))
		for _, e := range me {
			parts = append(parts, short(e))
		}
		return strings.Join(parts, "; ")
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) {
		if re.Err != nil {
			return strings.TrimSpace(re.Reason + " " + short(re.Err))
		}
		return re.Reason
	}
	var rse *openapi3filter.ResponseError
	if errors.As(err, &rse) {
		if rse.Err != nil {
			return rse.Reason + ": " + short(rse.Err)
		}
		return rse.Reason
	}
	var se *openapi3filter.SecurityRequirementsError
	if errors.As(err, &se) {
		parts := make([]string, 0, len(se.Errors))
		for _, e := range se.Errors {
			parts = append(parts, e.Error())
		}
		return "security: " + strings.Join(parts, ", ")
	}
	return strings.ReplaceAll(err.Error(), "\n", " ")
}
