// Package httpx holds what every HTTP handler of motcua shares: the error
// to status mapping, request ids, logging, metrics and panic recovery.
package httpx

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/motcua/motcua"
)

// Status maps an application error kind to an HTTP status code. This is
// the only place that mapping exists.
func Status(err error) int {
	switch motcua.ErrorKind(err) {
	case "":
		return http.StatusOK
	case motcua.EINVALID:
		return http.StatusUnprocessableEntity
	case motcua.ENOTFOUND:
		return http.StatusNotFound
	case motcua.ECONFLICT:
		return http.StatusConflict
	case motcua.EFORBIDDEN:
		return http.StatusForbidden
	case motcua.EUNAUTH:
		return http.StatusUnauthorized
	case motcua.ETOOMANY:
		return http.StatusTooManyRequests
	case motcua.EUNAVAILABLE, motcua.ESCHEMA:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem document with motcua's stable code.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Code      string `json:"code"`
	Field     string `json:"field,omitempty"`
	Detail    string `json:"detail"`
	RequestID string `json:"request_id,omitempty"`
}

// WriteError answers with application/problem+json. Internal failures are
// logged with their cause; the client only sees the safe message.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	status := Status(err)
	if status >= 500 {
		Logger(r.Context()).Error("request failed", "err", err, "status", status)
	}
	p := Problem{
		Type:      "about:blank",
		Title:     http.StatusText(status),
		Status:    status,
		Code:      motcua.ErrorCode(err),
		Detail:    motcua.ErrorMessage(err),
		RequestID: RequestID(r.Context()),
	}
	if e, ok := err.(*motcua.Error); ok {
		p.Field = e.Field
	}
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// WriteJSON answers with v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Debug("write json", "err", err)
	}
}
