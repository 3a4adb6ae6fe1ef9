package popdb

import "github.com/motcua/motcua"

// This file holds the JSON bodies of the HTTP contract in docs/popdb.md.
// The client sends and reads them; popdbsim serves them. Business outcomes
// (match or not, found or not) are 200 answers with an explicit field, so
// that an HTTP error — a wrong URL's 404, a proxy's 502 page — can never be
// mistaken for "no such citizen".

// Paths of the three services, relative to the configured base URL.
const (
	PathVerify      = "/v1/citizens/verify"
	PathLookup      = "/v1/citizens/lookup"
	PathMapLegacyID = "/v1/citizens/map-legacy-id"
)

// Request is the body of every service call: who asks, why, and the
// identity claimed.
type Request struct {
	RequestID   string      `json:"request_id"`
	ServiceCode string      `json:"service_code,omitempty"`
	Purpose     Purpose     `json:"purpose"`
	ActorKind   string      `json:"actor_kind"`
	ActorID     string      `json:"actor_id,omitempty"`
	AgencyCode  string      `json:"agency_code,omitempty"`
	DossierID   string      `json:"dossier_id,omitempty"`
	PersonalID  string      `json:"personal_id,omitempty"`
	LegacyID    string      `json:"legacy_id,omitempty"`
	FullName    string      `json:"full_name"`
	BirthDate   motcua.Date `json:"birth_date"`
}

// VerifyResponse answers PathVerify. Exists is required; PersonalID is set
// only when Exists is true, so that a check made with an old CMND is still
// logged against the owner's personal id.
type VerifyResponse struct {
	RequestID  string `json:"request_id"`
	Exists     *bool  `json:"exists"`
	PersonalID string `json:"personal_id,omitempty"`
}

// LookupResponse answers PathLookup. Citizen is set only when Found is true.
type LookupResponse struct {
	RequestID string   `json:"request_id"`
	Found     *bool    `json:"found"`
	Citizen   *Citizen `json:"citizen,omitempty"`
}

// MapLegacyIDResponse answers PathMapLegacyID. PersonalID is set only when
// Found is true.
type MapLegacyIDResponse struct {
	RequestID  string `json:"request_id"`
	Found      *bool  `json:"found"`
	PersonalID string `json:"personal_id,omitempty"`
}

// ErrorResponse is the body of every non-200 answer.
type ErrorResponse struct {
	RequestID string      `json:"request_id,omitempty"`
	Error     ErrorDetail `json:"error"`
}

// ErrorDetail is a machine code and an English message for logs.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Machine codes of ErrorDetail.
const (
	WireInvalidRequest   = "invalid_request"     // 400
	WireUnauthorized     = "unauthorized"        // 401
	WireNotFound         = "not_found"           // 404: unknown path
	WireMethodNotAllowed = "method_not_allowed"  // 405
	WireUnsupportedMedia = "unsupported_media"   // 415
	WireUnavailable      = "service_unavailable" // 503
)
