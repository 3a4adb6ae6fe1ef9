package pdfsig

import "time"

// Status is the verdict for a file or a signature.
type Status string

// Verdicts, following ETSI EN 319 102-1: indeterminate means the signature
// may be genuine but cannot be relied on with the configured trust and
// revocation data.
const (
	StatusValid         Status = "valid"
	StatusInvalid       Status = "invalid"
	StatusIndeterminate Status = "indeterminate"
)

// Reason is a stable, machine-readable code explaining a verdict. Callers and
// stored reports depend on these strings; never rename one.
type Reason string

// Reason codes. ReasonNone accompanies a valid verdict.
const (
	ReasonNone                 Reason = ""
	ReasonNotPDF               Reason = "not_pdf"
	ReasonUnsigned             Reason = "unsigned"
	ReasonMalformed            Reason = "malformed_signature"
	ReasonDigestMismatch       Reason = "digest_mismatch"
	ReasonBadSignature         Reason = "bad_signature"
	ReasonModifiedAfterSigning Reason = "modified_after_signing"
	ReasonUntrustedSigner      Reason = "untrusted_signer"
	ReasonCertExpired          Reason = "cert_expired"
	ReasonCertNotYetValid      Reason = "cert_not_yet_valid"
	ReasonCertRevoked          Reason = "cert_revoked"
	ReasonRevocationUnknown    Reason = "revocation_unknown"
	ReasonWeakAlgorithm        Reason = "weak_algorithm"
	ReasonUnsupportedSubFilter Reason = "unsupported_subfilter"
	ReasonEncrypted            Reason = "encrypted"
	ReasonTooLarge             Reason = "too_large"
)

// Reasons lists every reason code, for documentation and exhaustive tests.
func Reasons() []Reason {
	return []Reason{ReasonNone, ReasonNotPDF, ReasonUnsigned, ReasonMalformed, ReasonDigestMismatch,
		ReasonBadSignature, ReasonModifiedAfterSigning, ReasonUntrustedSigner, ReasonCertExpired,
		ReasonCertNotYetValid, ReasonCertRevoked, ReasonRevocationUnknown, ReasonWeakAlgorithm,
		ReasonUnsupportedSubFilter, ReasonEncrypted, ReasonTooLarge}
}

// Message is the Vietnamese explanation shown to citizens and officers.
func (r Reason) Message() string {
	switch r {
	case ReasonNone:
		return "Chữ ký số hợp lệ, tài liệu còn nguyên vẹn kể từ khi ký."
	case ReasonNotPDF:
		return "Tệp tin không phải là tài liệu PDF hợp lệ."
	case ReasonUnsigned:
		return "Tài liệu chưa được ký số."
	case ReasonMalformed:
		return "Chữ ký số trong tài liệu bị lỗi cấu trúc nên không thể kiểm tra."
	case ReasonDigestMismatch:
		return "Nội dung tài liệu không khớp với chữ ký số: tệp tin đã bị thay đổi sau khi ký."
	case ReasonBadSignature:
		return "Chữ ký số không hợp lệ: giá trị chữ ký không khớp với chứng thư số của người ký."
	case ReasonModifiedAfterSigning:
		return "Tệp tin đã bị chỉnh sửa sau khi ký số."
	case ReasonUntrustedSigner:
		return "Chứng thư số của người ký không do tổ chức cung cấp dịch vụ chứng thực chữ ký số được công nhận cấp."
	case ReasonCertExpired:
		return "Chứng thư số của người ký đã hết hạn tại thời điểm ký."
	case ReasonCertNotYetValid:
		return "Chứng thư số của người ký chưa có hiệu lực tại thời điểm ký."
	case ReasonCertRevoked:
		return "Chứng thư số của người ký đã bị thu hồi."
	case ReasonRevocationUnknown:
		return "Không xác minh được chứng thư số của người ký có bị thu hồi hay không."
	case ReasonWeakAlgorithm:
		return "Chữ ký số dùng thuật toán không còn an toàn."
	case ReasonUnsupportedSubFilter:
		return "Định dạng chữ ký số trong tài liệu không được hỗ trợ."
	case ReasonEncrypted:
		return "Tài liệu đã được đặt mật khẩu hoặc mã hóa nên không thể kiểm tra; vui lòng tải lên bản không mã hóa."
	case ReasonTooLarge:
		return "Tệp tin quá lớn hoặc quá phức tạp để kiểm tra."
	}
	return "Không kiểm tra được chữ ký số của tài liệu."
}

// status maps a reason to its verdict.
func (r Reason) status() Status {
	switch r {
	case ReasonNone:
		return StatusValid
	case ReasonUntrustedSigner, ReasonCertExpired, ReasonCertNotYetValid, ReasonRevocationUnknown:
		return StatusIndeterminate
	}
	return StatusInvalid
}

// Signing-time sources.
const (
	TimeSourceTimestamp       = "timestamp"
	TimeSourceSignedAttribute = "signed_attribute"
	TimeSourceNone            = "none"
)

// Revocation statuses.
const (
	RevocationGood       = "good"
	RevocationRevoked    = "revoked"
	RevocationUnknown    = "unknown"
	RevocationNotChecked = "not_checked"
)

// Report is the result of verifying one file.
type Report struct {
	File       string            `json:"file"`
	Status     Status            `json:"status"`
	Reason     Reason            `json:"reason"`
	Message    string            `json:"message"`
	Signatures []SignatureReport `json:"signatures"`
	Warnings   []string          `json:"warnings,omitempty"`
	// Detail is a technical explanation in English for logs; never show it
	// to a citizen.
	Detail string `json:"detail,omitempty"`
}

// SignatureReport describes one signature (or document timestamp).
type SignatureReport struct {
	Field     string `json:"field,omitempty"`
	Kind      string `json:"kind"` // "signature" or "document_timestamp"
	SubFilter string `json:"sub_filter"`
	Status    Status `json:"status"`
	Reason    Reason `json:"reason"`
	Message   string `json:"message"`
	Detail    string `json:"detail,omitempty"`

	SignerName         string `json:"signer_name,omitempty"`
	SignerOrganization string `json:"signer_organization,omitempty"`
	Issuer             string `json:"issuer,omitempty"`
	Serial             string `json:"serial,omitempty"`

	SigningTime       *time.Time `json:"signing_time,omitempty"`
	SigningTimeSource string     `json:"signing_time_source"`
	// SelfAsserted is true when the signing time is only the signer's own
	// claim (no verified timestamp).
	SelfAsserted bool `json:"signing_time_self_asserted"`

	DigestAlgorithm    string `json:"digest_algorithm,omitempty"`
	SignatureAlgorithm string `json:"signature_algorithm,omitempty"`

	ByteRange    []int64 `json:"byte_range,omitempty"`
	CoveredBytes int64   `json:"covered_bytes"`
	WholeFile    bool    `json:"whole_file"`

	Revocation       string `json:"revocation"`
	RevocationSource string `json:"revocation_source,omitempty"`
}

func (s *SignatureReport) fail(r Reason, detail string) {
	s.Status = r.status()
	s.Reason = r
	s.Message = r.Message()
	s.Detail = detail
}

func (rep *Report) set(r Reason, detail string) {
	rep.Status = r.status()
	rep.Reason = r
	rep.Message = r.Message()
	rep.Detail = detail
}
