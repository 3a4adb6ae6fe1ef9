package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// deprecation is how an operation announces its retirement, read from
// the OpenAPI document so that the headers and the document cannot
// disagree: an operation with `deprecated: true` carries
// `x-deprecation-date` (the day it was deprecated, yyyy-mm-dd), optionally
// `x-sunset` (the day it stops answering) and `externalDocs.url` (the
// changelog entry telling integrators what to use instead).
type deprecation struct {
	since  time.Time
	sunset time.Time // zero: no date announced yet
	link   string
}

// header sets the announcement on a response: Deprecation (RFC 9745, a
// structured-field date), Sunset (RFC 8594, an HTTP-date) and a Link
// with rel="deprecation" to the explanation.
func (d deprecation) header(h http.Header) {
	h.Set("Deprecation", fmt.Sprintf("@%d", d.since.Unix()))
	if !d.sunset.IsZero() {
		h.Set("Sunset", d.sunset.UTC().Format(http.TimeFormat))
	}
	h.Add("Link", "<"+d.link+`>; rel="deprecation"`)
}

// deprecationsIn lists the deprecated operations of an OpenAPI document
// by ServeMux pattern ("GET /api/v1/x/{id}"; the document's path
// templates are the mux's wildcards).
func deprecationsIn(doc []byte) (map[string]deprecation, error) {
	var d struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("read the OpenAPI document: %w", err)
	}
	out := map[string]deprecation{}
	for path, ops := range d.Paths {
		for method, raw := range ops {
			var op struct {
				Deprecated   bool   `json:"deprecated"`
				Since        string `json:"x-deprecation-date"`
				Sunset       string `json:"x-sunset"`
				ExternalDocs struct {
					URL string `json:"url"`
				} `json:"externalDocs"`
			}
			if method == "parameters" || json.Unmarshal(raw, &op) != nil || !op.Deprecated {
				continue
			}
			pattern := strings.ToUpper(method) + " " + path
			var dep deprecation
			var err error
			if dep.since, err = time.Parse(time.DateOnly, op.Since); err != nil {
				return nil, fmt.Errorf("%s is deprecated without a valid x-deprecation-date (yyyy-mm-dd): %q", pattern, op.Since)
			}
			if op.Sunset != "" {
				if dep.sunset, err = time.Parse(time.DateOnly, op.Sunset); err != nil || !dep.sunset.After(dep.since) {
					return nil, fmt.Errorf("%s: x-sunset %q is not a date after its x-deprecation-date", pattern, op.Sunset)
				}
			}
			dep.link = op.ExternalDocs.URL
			if dep.link == "" {
				dep.link = "/api/v1/openapi.json"
			}
			out[pattern] = dep
		}
	}
	return out, nil
}

// routes registers the API's handlers on the site's mux, each deprecated
// operation's behind its announcement.
type routes struct {
	mux        *http.ServeMux
	deprecated map[string]deprecation
}

func (r routes) HandleFunc(pattern string, h http.HandlerFunc) {
	d, ok := r.deprecated[pattern]
	if !ok {
		r.mux.HandleFunc(pattern, h)
		return
	}
	r.mux.HandleFunc(pattern, func(w http.ResponseWriter, req *http.Request) {
		d.header(w.Header())
		h(w, req)
	})
}
