package motcua

import (
	"context"
	"strings"
	"time"
)

// WarehouseKind (loại kho) tells who put a document in the warehouse.
type WarehouseKind string

const (
	// WarehousePersonal: uploaded by the owner ("Kho cá nhân, tổ chức").
	WarehousePersonal WarehouseKind = "personal"
	// WarehouseAgency: issued by an agency ("Kho cơ quan nhà nước, tổ chức").
	WarehouseAgency WarehouseKind = "agency"
)

// Label returns the Vietnamese label used by the portal.
func (k WarehouseKind) Label() string {
	switch k {
	case WarehousePersonal:
		return "Kho cá nhân, tổ chức"
	case WarehouseAgency:
		return "Kho cơ quan nhà nước, tổ chức"
	}
	return string(k)
}

// DocumentStatus is the life-cycle state of a warehouse document.
type DocumentStatus string

const (
	DocumentValid         DocumentStatus = "valid"          // Còn hiệu lực
	DocumentSuperseded    DocumentStatus = "superseded"     // Đã được thay thế
	DocumentRevoked       DocumentStatus = "revoked"        // Đã thu hồi
	DocumentUnderFeedback DocumentStatus = "under_feedback" // Đang phản ánh
	// DocumentWithdrawn: the owner removed it from the warehouse; the row
	// and its files stay for audit.
	DocumentWithdrawn DocumentStatus = "withdrawn" // Đã rút khỏi kho
)

// Label returns the Vietnamese label.
func (s DocumentStatus) Label() string {
	switch s {
	case DocumentValid:
		return "Còn hiệu lực"
	case DocumentSuperseded:
		return "Đã được thay thế"
	case DocumentRevoked:
		return "Đã thu hồi"
	case DocumentUnderFeedback:
		return "Đang phản ánh"
	case DocumentWithdrawn:
		return "Đã rút khỏi kho"
	}
	return string(s)
}

func (s DocumentStatus) valid() bool {
	switch s {
	case DocumentValid, DocumentSuperseded, DocumentRevoked, DocumentUnderFeedback, DocumentWithdrawn:
		return true
	}
	return false
}

// File describes stored PDF content.
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// SignatureSummary is what the warehouse keeps of a PDF's signature report.
type SignatureSummary struct {
	Status      string    `json:"status"` // valid | invalid | indeterminate
	Reason      string    `json:"reason,omitempty"`
	Signer      string    `json:"signer,omitempty"`
	SignerOrg   string    `json:"signer_org,omitempty"`
	Issuer      string    `json:"issuer,omitempty"`
	SigningTime time.Time `json:"signing_time,omitzero"`
	TimeSource  string    `json:"time_source,omitempty"` // timestamp | signed_attribute
	Warnings    []string  `json:"warnings,omitempty"`
}

// Document (giấy tờ trong kho) is a signed electronic paper in a subject's
// warehouse.
type Document struct {
	ID             string
	Code           string // mã giấy tờ / mã KQGQ, a result code; unique
	OwnerCode      string // the subject whose warehouse holds it
	OwnerName      string // tên chủ hồ sơ
	Warehouse      WarehouseKind
	PaperType      PaperType
	CategoryCode   string
	Name           string // tên giấy tờ
	DecisionNumber string // số quyết định
	Summary        string // trích yếu
	IssuerCode     string // issuing agency, empty for external results
	IssuedOn       Date
	ExpiresOn      Date // zero: no expiry
	File           File
	Signature      SignatureSummary
	Visible        bool // Hiển thị
	Shared         bool // Chia sẻ
	UsageCount     int  // Số lần sử dụng
	Status         DocumentStatus
	// SupersededBy is the id of the corrected result that replaced this
	// one (status superseded); set by FeedbackStore.ResolveFeedback.
	SupersededBy string
	Version      int // 1 for the first file; +1 each time the file is replaced
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// DocumentVersion is an earlier file of a document, kept for audit when
// the file was replaced.
type DocumentVersion struct {
	DocumentID string
	Version    int
	File       File
	Signature  SignatureSummary
	// ReplacedAt is when this version stopped being current.
	ReplacedAt time.Time
	// ReplacedBy names who replaced it (an actor id).
	ReplacedBy string
}

// DefaultDocumentName builds the portal's generated name
// "<result code>.<category name>".
func DefaultDocumentName(code, categoryName string) string {
	return code + "." + categoryName
}

// Validate checks the document's fields.
func (d *Document) Validate() error {
	if err := ValidateWarehouseCode(d.Code); err != nil && !(d.PaperType == PaperComponent && IsComponentCode(d.Code, d.OwnerCode)) {
		return Invalid("code", "invalid_result_code", ErrorMessage(err))
	}
	if err := ValidateSubjectCode(d.OwnerCode); err != nil {
		return Invalid("owner_code", "invalid_subject_code", ErrorMessage(err))
	}
	if d.Warehouse != WarehousePersonal && d.Warehouse != WarehouseAgency {
		return Invalid("warehouse", "invalid_warehouse_kind", "Loại kho phải là kho cá nhân, tổ chức hoặc kho cơ quan nhà nước.")
	}
	if !d.PaperType.valid() {
		return Invalid("paper_type", "invalid_paper_type", "Loại giấy tờ phải là Kết quả giải quyết, Thành phần hồ sơ hoặc Giấy tờ khác.")
	}
	if err := ValidateCategoryCode(d.CategoryCode); err != nil {
		return err
	}
	if strings.TrimSpace(d.Name) == "" {
		return Invalid("name", "required", "Tên giấy tờ không được để trống.")
	}
	if len([]rune(d.Name)) > 500 {
		return Invalid("name", "too_long", "Tên giấy tờ không được dài quá 500 ký tự.")
	}
	if d.IssuerCode != "" {
		if err := ValidateAgencyCode(d.IssuerCode); err != nil {
			return Invalid("issuer_code", "invalid_agency_code", ErrorMessage(err))
		}
	}
	if !d.IssuedOn.IsZero() && !d.ExpiresOn.IsZero() && d.ExpiresOn.Before(d.IssuedOn) {
		return Invalid("expires_on", "invalid_expiry", "Ngày hết hiệu lực không được trước ngày cấp.")
	}
	if err := validateFile(d.File); err != nil {
		return err
	}
	if !d.Status.valid() {
		return Invalid("status", "invalid_document_status", "Trạng thái giấy tờ không hợp lệ.")
	}
	return nil
}

func validateFile(f File) error {
	if strings.TrimSpace(f.Name) == "" {
		return Invalid("file", "file_required", "Vui lòng chọn tệp tin.")
	}
	if f.Size <= 0 {
		return Invalid("file", "empty_file", "Tệp tin rỗng.")
	}
	if len(f.SHA256) != 64 {
		return Invalid("file", "invalid_blob_hash", "Mã băm của tệp tin không hợp lệ.")
	}
	return nil
}

// Usable reports whether d may be attached to a dossier on day: valid,
// visible and not expired. Matching never offers unusable documents.
func (d *Document) Usable(day Date) bool {
	if d.Status != DocumentValid || !d.Visible {
		return false
	}
	return d.ExpiresOn.IsZero() || !d.ExpiresOn.Before(day)
}

// Expired reports whether d's validity ended before day.
func (d *Document) Expired(day Date) bool {
	return !d.ExpiresOn.IsZero() && d.ExpiresOn.Before(day)
}

// StatusLabel is the status a person reads on day: "Hết hiệu lực" for a
// document still valid in the warehouse but past its expiry date, else
// the status's label.
func (d *Document) StatusLabel(day Date) string {
	if d.Status == DocumentValid && d.Expired(day) {
		return "Hết hiệu lực"
	}
	return d.Status.Label()
}

// Distinction is the line that tells apart documents with the same name
// in a list of suggestions: "Số KS-01 · cấp ngày 03/02/1990 · ký bởi
// UBND xã An Hòa", with the parts the document has.
func (d *Document) Distinction() string {
	var parts []string
	if n := strings.TrimSpace(d.DecisionNumber); n != "" {
		parts = append(parts, "Số "+n)
	}
	if !d.IssuedOn.IsZero() {
		parts = append(parts, "cấp ngày "+d.IssuedOn.Display())
	}
	if !d.ExpiresOn.IsZero() {
		parts = append(parts, "hiệu lực đến "+d.ExpiresOn.Display())
	}
	if s := strings.TrimSpace(d.Signature.Signer); s != "" {
		parts = append(parts, "ký bởi "+s)
	}
	return strings.Join(parts, " · ")
}

// DocumentFilter selects warehouse documents. Zero fields do not filter.
type DocumentFilter struct {
	OwnerCode     string
	CategoryCodes []string
	Status        DocumentStatus
	// ExcludeStatus drops documents in that status (e.g. withdrawn ones).
	ExcludeStatus DocumentStatus
	VisibleOnly   bool
	// Query is matched, diacritic- and case-insensitively, against the
	// name, code, decision number, owner name, owner code and summary.
	Query string
	// The portal's six search boxes, each matched diacritic- and
	// case-insensitively as a substring; they combine with AND.
	Name           string // Tên giấy tờ
	Code           string // Mã giấy tờ / mã KQGQ
	DecisionNumber string // Số quyết định
	OwnerName      string // Tên chủ hồ sơ
	OwnerID        string // Số định danh
	Summary        string // Trích yếu
	Limit          int    // default 50, at most 500
	Offset         int
	// NoTotal skips counting every match; the total is then -1.
	NoTotal bool
	// Unordered returns the matches in no set order (the caller sorts):
	// the store may then use the (owner, category) index alone.
	Unordered bool
}

// FileReplacement carries a new file for an existing document.
type FileReplacement struct {
	DocumentID string
	// ExpectedVersion must equal the document's current version; a stale
	// value (someone replaced it meanwhile) is ECONFLICT.
	ExpectedVersion int
	File            File
	Signature       SignatureSummary
	ReplacedBy      string
	At              time.Time
}

// DocumentStore keeps warehouse documents. It enforces integrity only;
// who may see or change a document is decided by the service layer.
type DocumentStore interface {
	// CreateDocument inserts d, assigning ID (when empty), Version 1,
	// CreatedAt and UpdatedAt (when zero). ECONFLICT (document_exists) when
	// the code is taken; EINVALID (unknown_subject, unknown_category,
	// unknown_agency) when a reference does not exist.
	CreateDocument(ctx context.Context, d *Document) error
	// GetDocument returns ENOTFOUND (document_not_found) for an unknown id.
	GetDocument(ctx context.Context, id string) (*Document, error)
	// GetDocumentByCode returns ENOTFOUND for an unknown code.
	GetDocumentByCode(ctx context.Context, code string) (*Document, error)
	// ListDocuments returns a page of matching documents, newest first, and
	// the total number of matches.
	ListDocuments(ctx context.Context, f DocumentFilter) ([]*Document, int, error)
	// CountDocumentCodes returns how many documents have code prefix
	// exactly or prefix followed by a ".NN" suffix; result-code
	// generation uses it to pick the next free suffix.
	CountDocumentCodes(ctx context.Context, prefix string) (int, error)
	// UpdateDocumentMetadata replaces name, decision number, summary,
	// flags, status and expiry of an existing document; not its file.
	// ENOTFOUND when unknown.
	UpdateDocumentMetadata(ctx context.Context, d *Document) error
	// ReplaceDocumentFile makes r.File the current file and keeps the
	// previous one as a DocumentVersion, atomically. ENOTFOUND when
	// unknown; ECONFLICT (stale_version) when r.ExpectedVersion is not the
	// current version. Returns the updated document.
	ReplaceDocumentFile(ctx context.Context, r FileReplacement) (*Document, error)
	// DocumentVersions returns the earlier versions, oldest first.
	DocumentVersions(ctx context.Context, id string) ([]DocumentVersion, error)
	// IncrementDocumentUsage adds one to the usage count of each id.
	// ENOTFOUND when any id is unknown; then no count changes.
	IncrementDocumentUsage(ctx context.Context, ids []string) error
}
