package motcua

import (
	"context"
	"strings"
	"time"
)

// FeedbackReason is why an owner reports a result (SPEC §4.3, the guide's
// "Lưu ý"): the portal offers exactly these three.
type FeedbackReason string

const (
	// FeedbackWrongCitizenInfo: the file's citizen data are wrong.
	FeedbackWrongCitizenInfo FeedbackReason = "wrong_citizen_info"
	// FeedbackNotOwnResult: the file is not the result the citizen was given.
	FeedbackNotOwnResult FeedbackReason = "not_own_result"
	// FeedbackNotGovSigned: the file is not signed with a certificate of
	// the Government Cipher Committee (Ban Cơ yếu Chính phủ).
	FeedbackNotGovSigned FeedbackReason = "not_gov_signed"
)

// FeedbackReasons lists the reasons in the portal's order.
func FeedbackReasons() []FeedbackReason {
	return []FeedbackReason{FeedbackWrongCitizenInfo, FeedbackNotOwnResult, FeedbackNotGovSigned}
}

// Label returns the portal's wording of the reason.
func (r FeedbackReason) Label() string {
	switch r {
	case FeedbackWrongCitizenInfo:
		return "Tệp tin kết quả điện tử bị sai lệch thông tin công dân"
	case FeedbackNotOwnResult:
		return "Tệp tin kết quả điện tử của công dân không phải là kết quả công dân được giải quyết"
	case FeedbackNotGovSigned:
		return "Tệp tin kết quả của công dân chưa được ký bằng chứng thư số được cấp bởi Ban cơ yếu chính phủ"
	}
	return string(r)
}

func (r FeedbackReason) valid() bool {
	switch r {
	case FeedbackWrongCitizenInfo, FeedbackNotOwnResult, FeedbackNotGovSigned:
		return true
	}
	return false
}

// FeedbackStatus is where a feedback stands.
type FeedbackStatus string

const (
	FeedbackOpen      FeedbackStatus = "open"      // Đang xử lý
	FeedbackCorrected FeedbackStatus = "corrected" // Đã ban hành kết quả đính chính
	FeedbackRejected  FeedbackStatus = "rejected"  // Từ chối phản ánh
)

// Label returns the Vietnamese label.
func (s FeedbackStatus) Label() string {
	switch s {
	case FeedbackOpen:
		return "Đang xử lý"
	case FeedbackCorrected:
		return "Đã ban hành kết quả đính chính"
	case FeedbackRejected:
		return "Từ chối phản ánh"
	}
	return string(s)
}

// FeedbackWorkingDays is how long the issuing agency has to answer a
// feedback, in working days of the administration's calendar. No public
// regulation sets it for warehouse results; five working days is the
// demo's choice, short of the ten of a complaint's acceptance.
const FeedbackWorkingDays = 5

// FeedbackDueAt is the deadline of a feedback reported at created.
func FeedbackDueAt(cal *Calendar, created time.Time) time.Time {
	return cal.AddWorkingDays(created, FeedbackWorkingDays).UTC()
}

// MaxFeedbackText bounds the comment and the resolution note.
const MaxFeedbackText = 2000

// Feedback (phản ánh về kết quả giải quyết) is an owner's report that a
// result in their warehouse is wrong. It is routed to the agency that
// issued the result, which either issues a corrected result that
// supersedes the wrong one or rejects the feedback with a reason.
type Feedback struct {
	ID           string
	DocumentID   string
	DocumentCode string
	OwnerCode    string
	AgencyCode   string // the issuing agency, whose queue it lands in
	Reason       FeedbackReason
	Comment      string
	Status       FeedbackStatus
	CreatedAt    time.Time
	DueAt        time.Time
	ResolvedAt   time.Time
	ResolvedBy   string // the officer's username
	Resolution   string // the officer's note; the reason of a rejection
	// CorrectedDocumentID is the result that supersedes the reported one.
	CorrectedDocumentID string
}

// Overdue reports whether an open feedback is past its deadline at now.
func (f *Feedback) Overdue(now time.Time) bool {
	return f.Status == FeedbackOpen && !f.DueAt.IsZero() && now.After(f.DueAt)
}

// Validate checks a new feedback's fields.
func (f *Feedback) Validate() error {
	if strings.TrimSpace(f.DocumentID) == "" {
		return Invalid("document_id", "required", "Thiếu giấy tờ được phản ánh.")
	}
	if strings.TrimSpace(f.AgencyCode) == "" {
		return Invalid("document_id", "document_without_issuer",
			"Chỉ phản ánh được kết quả do cơ quan nhà nước cấp; giấy tờ này không có cơ quan cấp.")
	}
	if !f.Reason.valid() {
		return Invalid("reason", "invalid_feedback_reason", "Vui lòng chọn một trong ba nội dung phản ánh.")
	}
	if len([]rune(f.Comment)) > MaxFeedbackText {
		return Invalid("comment", "too_long", "Nội dung phản ánh không được dài quá 2.000 ký tự.")
	}
	switch f.Status {
	case FeedbackOpen, FeedbackCorrected, FeedbackRejected:
	default:
		return Invalid("status", "invalid_feedback_status", "Trạng thái phản ánh không hợp lệ.")
	}
	return nil
}

// CheckReportable says whether the owner may report d now: only a valid
// result issued by an agency, and only once at a time.
func CheckReportable(d *Document) error {
	if d.IssuerCode == "" {
		return Invalid("document_id", "document_without_issuer",
			"Chỉ phản ánh được kết quả do cơ quan nhà nước cấp; giấy tờ này không có cơ quan cấp.")
	}
	switch d.Status {
	case DocumentValid:
		return nil
	case DocumentUnderFeedback:
		return Errorf(ECONFLICT, "feedback_open", "Giấy tờ này đang được phản ánh; vui lòng chờ cơ quan cấp trả lời.")
	case DocumentSuperseded:
		return Invalid("document_id", "document_superseded", "Giấy tờ này đã được thay thế bằng kết quả đính chính.")
	}
	return Invalid("document_id", "document_not_reportable", "Giấy tờ ở trạng thái “"+d.Status.Label()+"” không thể phản ánh.")
}

// FeedbackResolution closes an open feedback.
type FeedbackResolution struct {
	FeedbackID string
	// Status is FeedbackCorrected or FeedbackRejected.
	Status     FeedbackStatus
	ResolvedBy string
	Resolution string
	At         time.Time
	// CorrectedDocumentID is the new result (FeedbackCorrected only).
	CorrectedDocumentID string
}

// FeedbackFilter selects feedback. Zero fields do not filter.
type FeedbackFilter struct {
	AgencyCodes []string
	OwnerCode   string
	DocumentID  string
	Status      FeedbackStatus
	Limit       int // default 50, at most 500
	Offset      int
}

// FeedbackCount is an agency's open feedback and how many of them are
// past their deadline.
type FeedbackCount struct {
	AgencyCode string
	Open       int
	Overdue    int
}

// FeedbackStore keeps feedback and moves the reported document through
// its statuses with it. Like every store it checks integrity only: who
// may report or resolve is the service's decision.
type FeedbackStore interface {
	// CreateFeedback inserts f, assigning ID (when empty) and CreatedAt
	// (when zero), and marks its document under feedback, atomically.
	// ECONFLICT (feedback_open) when the document already has an open
	// feedback; ENOTFOUND (document_not_found) for an unknown document.
	CreateFeedback(ctx context.Context, f *Feedback) error
	// GetFeedback returns ENOTFOUND (feedback_not_found) for an unknown id.
	GetFeedback(ctx context.Context, id string) (*Feedback, error)
	// ListFeedback returns a page of matching feedback, open ones first by
	// deadline, then the others newest first, and the total number of
	// matches.
	ListFeedback(ctx context.Context, f FeedbackFilter) ([]*Feedback, int, error)
	// ResolveFeedback closes an open feedback and, atomically, sets its
	// document back to valid (rejected) or superseded with a pointer to
	// r.CorrectedDocumentID (corrected). ENOTFOUND for an unknown id;
	// ECONFLICT (feedback_resolved) when the feedback is not open any
	// more, so that two officers cannot both resolve it. Returns the
	// resolved feedback.
	ResolveFeedback(ctx context.Context, r FeedbackResolution) (*Feedback, error)
	// CountOpenFeedback returns, per agency among agencyCodes (every
	// agency when empty) that has any, the open feedback and those due
	// before now.
	CountOpenFeedback(ctx context.Context, agencyCodes []string, now time.Time) ([]FeedbackCount, error)
}
