package motcua

import "time"

// Signature verdicts, following ETSI EN 319 102-1: indeterminate means the
// signature may be genuine but cannot be relied on with the configured
// trust and revocation data.
const (
	SignatureValid         = "valid"
	SignatureInvalid       = "invalid"
	SignatureIndeterminate = "indeterminate"
)

// SignatureKindTimestamp is the Kind of a document timestamp, which proves
// when a file existed but names no signer.
const SignatureKindTimestamp = "document_timestamp"

// SignatureCheck is the outcome of checking the signatures on one PDF: the
// verdict for the file, with a stable reason code and its Vietnamese
// message, and one entry per signature found.
type SignatureCheck struct {
	File       string
	Status     string // SignatureValid, SignatureInvalid or SignatureIndeterminate
	Reason     string // stable machine-readable code; empty when valid
	Message    string // Vietnamese, shown to citizens and officers
	Signatures []SignatureDetail
	Warnings   []string
}

// SignatureDetail describes one signature (or document timestamp) of a
// SignatureCheck.
type SignatureDetail struct {
	Field     string
	Kind      string // "signature" or SignatureKindTimestamp
	SubFilter string
	Status    string
	Reason    string
	Message   string

	SignerName         string
	SignerOrganization string
	Issuer             string
	Serial             string

	SigningTime       *time.Time
	SigningTimeSource string // timestamp | signed_attribute | none
	// SelfAsserted is true when the signing time is only the signer's own
	// claim (no verified timestamp).
	SelfAsserted bool

	DigestAlgorithm    string
	SignatureAlgorithm string

	ByteRange    []int64
	CoveredBytes int64
	WholeFile    bool

	Revocation       string
	RevocationSource string
}

// Valid reports whether the file's signatures passed every check.
func (c SignatureCheck) Valid() bool { return c.Status == SignatureValid }

// Summary is what the warehouse keeps of a check: the verdict and the
// first valid signature's signer and time (a document timestamp names no
// signer, so it is skipped).
func (c SignatureCheck) Summary() SignatureSummary {
	s := SignatureSummary{Status: c.Status, Reason: c.Reason, Warnings: c.Warnings}
	for _, sig := range c.Signatures {
		if sig.Status != SignatureValid || sig.Kind == SignatureKindTimestamp {
			continue
		}
		s.Signer, s.SignerOrg, s.Issuer, s.TimeSource = sig.SignerName, sig.SignerOrganization, sig.Issuer, sig.SigningTimeSource
		if sig.SigningTime != nil {
			s.SigningTime = sig.SigningTime.UTC()
		}
		break
	}
	return s
}
