package motcua

import (
	"strings"
	"time"
)

// DossierResult is the result of a dossier being drafted and signed: the
// processing officer uploads the draft, the agency's leader signs it with
// the agency's key, and returning it puts the signed file into the
// owner's warehouse under its result code.
type DossierResult struct {
	Number  string `json:"number"` // số văn bản, the result code's document number
	Summary string `json:"summary,omitempty"`
	// Category is the result's catalogue code, fixed when it is drafted.
	Category  string    `json:"category"`
	Draft     File      `json:"draft"`
	DraftedBy string    `json:"drafted_by"`
	DraftedAt time.Time `json:"drafted_at"`
	// Signed is the signed file, set when the leader signs.
	Signed    *File            `json:"signed,omitempty"`
	Signature SignatureSummary `json:"signature,omitzero"`
	SignedBy  string           `json:"signed_by,omitempty"`
	SignedAt  time.Time        `json:"signed_at,omitzero"`
}

// ValidateResultNumber checks a result's document number: what a result
// code may hold after its category (no dots). Error: EINVALID
// (invalid_document_number).
// A "/" is refused too: the code appears in links (/verify/{code}).
func ValidateResultNumber(n string) error {
	n = strings.TrimSpace(n)
	if !isDocumentNumber(n) || strings.Contains(n, "/") {
		return Invalid("number", "invalid_document_number",
			"Số văn bản kết quả phải gồm 1 đến 40 ký tự là chữ cái không dấu, chữ số, '-' hoặc '_' (không có dấu chấm, dấu gạch chéo), ví dụ 125-2026.")
	}
	return nil
}

// Assignment hands a dossier in processing to an agency and, optionally,
// one of its officers, with a comment; the status does not change.
type Assignment struct {
	DossierID  string
	Status     DossierStatus // the current status, else ECONFLICT (stale_status)
	AgencyCode string        // the handling agency
	Assignee   string        // officer username; empty: any officer of the agency
	At         time.Time
	Actor      string
	Note       string
}

// ResultTemplate is the simple result a processing officer fills in when
// the agency's own software does not produce the result file; a renderer
// (internal/report) makes it a PDF to sign.
type ResultTemplate struct {
	AgencyName string
	Title      string // e.g. "Giấy xác nhận tình trạng hôn nhân"
	Number     string // số văn bản
	Place      string // địa danh, e.g. "Thị trấn An Lão"
	Date       time.Time
	Owner      Person
	Body       string // the content, one paragraph a line
	Signer     string // chức danh of who signs, e.g. "Chủ tịch"
}
