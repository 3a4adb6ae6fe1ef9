package motcua

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// DossierStatus uses the status codes common to provincial systems.
type DossierStatus int

const (
	StatusRegistered      DossierStatus = 1  // Mới đăng ký
	StatusReceived        DossierStatus = 2  // Được tiếp nhận
	StatusRejected        DossierStatus = 3  // Không được tiếp nhận
	StatusProcessing      DossierStatus = 4  // Đang xử lý
	StatusSupplement      DossierStatus = 5  // Yêu cầu bổ sung
	StatusFinancialDuty   DossierStatus = 6  // Yêu cầu nghĩa vụ tài chính
	StatusWithdrawn       DossierStatus = 7  // Công dân rút
	StatusStopped         DossierStatus = 8  // Dừng xử lý
	StatusDone            DossierStatus = 9  // Đã xử lý xong
	StatusResultsReturned DossierStatus = 10 // Đã trả kết quả
)

var dossierStatusLabels = [...]string{
	1: "Mới đăng ký", 2: "Được tiếp nhận", 3: "Không được tiếp nhận", 4: "Đang xử lý",
	5: "Yêu cầu bổ sung", 6: "Yêu cầu nghĩa vụ tài chính", 7: "Công dân rút", 8: "Dừng xử lý",
	9: "Đã xử lý xong", 10: "Đã trả kết quả",
}

// Valid reports whether s is one of the ten codes.
func (s DossierStatus) Valid() bool { return s >= 1 && s <= 10 }

// Label returns the Vietnamese label.
func (s DossierStatus) Label() string {
	if !s.Valid() {
		return fmt.Sprintf("Trạng thái %d", int(s))
	}
	return dossierStatusLabels[s]
}

// Channel (hình thức nộp) is how a dossier was submitted.
type Channel int

const (
	ChannelCounter Channel = 1 // trực tiếp
	ChannelOnline  Channel = 2 // trực tuyến
	ChannelPost    Channel = 3 // bưu chính công ích
)

// Label returns the Vietnamese label.
func (c Channel) Label() string {
	switch c {
	case ChannelCounter:
		return "Trực tiếp"
	case ChannelOnline:
		return "Trực tuyến"
	case ChannelPost:
		return "Bưu chính công ích"
	}
	return fmt.Sprintf("Kênh %d", int(c))
}

// ResultMethod (hình thức nhận kết quả).
type ResultMethod string

const (
	ResultAtCounter ResultMethod = "counter" // Nhận trực tiếp tại Bộ phận Một cửa
	ResultByPost    ResultMethod = "post"    // Nhận qua dịch vụ bưu chính
	ResultOnline    ResultMethod = "online"  // Nhận trực tuyến
)

// Digitization is the state of a dossier component.
type Digitization int

const (
	NotDigitized           Digitization = 0 // chưa số hóa
	Digitized              Digitization = 1 // được số hóa
	ReusedFromWarehouse    Digitization = 2 // tái sử dụng từ kho
	ReusedFromOtherDossier Digitization = 3 // tái sử dụng từ kết quả hồ sơ khác
)

// Reused reports whether the state counts as reuse of digitized data.
func (d Digitization) Reused() bool {
	return d == ReusedFromWarehouse || d == ReusedFromOtherDossier
}

// AttachmentSource tells where an attached file came from.
type AttachmentSource string

const (
	FromWarehouse AttachmentSource = "warehouse" // taken from the owner's warehouse
	Uploaded      AttachmentSource = "upload"    // uploaded by the applicant
	Scanned       AttachmentSource = "scan"      // scanned at the counter
)

// Attachment is one file of a dossier component.
type Attachment struct {
	Source     AttachmentSource `json:"source"`
	DocumentID string           `json:"document_id,omitempty"` // FromWarehouse only
	File       File             `json:"file"`
}

// DossierComponent is a procedure component as filled in a dossier.
type DossierComponent struct {
	Code         string       `json:"code"`
	Name         string       `json:"name"`
	Required     bool         `json:"required"`
	Digitization Digitization `json:"digitization"`
	Attachments  []Attachment `json:"attachments,omitempty"`
	// MissedCodes lists the codes of the owner's warehouse documents that
	// matched this component when the dossier was received but were not
	// used (missed reuse).
	MissedCodes []string `json:"missed_codes,omitempty"`
}

// Person is a submitter's or owner's details as entered in a dossier.
type Person struct {
	Code      string `json:"code"` // personal id or organisation code
	Name      string `json:"name"`
	BirthDate Date   `json:"birth_date"`
	Phone     string `json:"phone,omitempty"`
	Email     string `json:"email,omitempty"`
	Address   string `json:"address,omitempty"`
}

// StatusChange is one entry of a dossier's status history.
type StatusChange struct {
	From  DossierStatus
	To    DossierStatus
	At    time.Time
	Actor string
	Note  string
}

// Dossier (hồ sơ) is one application for a procedure.
type Dossier struct {
	ID            string
	Code          string // <unit>-<YYMMDD>-<NNNN>; allocated by the store
	ProcedureCode string
	// ProcedureVersion is the version of the procedure the dossier was
	// made with; it keeps it when the catalogue changes (0: the current).
	ProcedureVersion int
	CaseCode         string
	AgencyCode       string // receiving agency; its code prefixes the dossier code
	District         string
	Ward             string
	Submitter        Person
	Owner            Person
	// CoApplicants are the other parties of a two-party procedure who
	// consented: the result lands in their warehouses too.
	CoApplicants []Person
	Channel      Channel
	// SubmitMethod is how an online application's papers reach the agency
	// ("Hình thức nộp hồ sơ"); empty for counter receptions and older
	// dossiers.
	SubmitMethod  SubmitMethod
	ResultMethod  ResultMethod
	Status        DossierStatus
	Components    []DossierComponent
	ResultDocIDs  []string  // electronic results issued
	SubmittedAt   time.Time // when the applicant submitted (online) or came (counter)
	ReceivedAt    time.Time // receipt date (ngày tiếp nhận); zero until received
	DueAt         time.Time
	FinishedAt    time.Time
	OwnerVerified bool // owner checked against the population database
	// IdentityCheck is how the identities were checked at reception; the
	// services load it from the IdentityCheckStore (nil when unknown).
	IdentityCheck *IdentityCheck
	// MissedReuse: a component was sent without reuse although the
	// owner's warehouse held a matching document at that moment.
	MissedReuse bool
	// IdempotencyKey makes a retried submission find its dossier.
	IdempotencyKey string
	// ResultExpected: the procedure issues a result (KPI 4.1's
	// denominator), fixed when the dossier is created.
	ResultExpected bool
	// ReceivedBy is the officer who received the dossier (status 2), for
	// the missed-reuse list per officer.
	ReceivedBy string
	// HandlingAgency is the agency processing the dossier (the receiving
	// agency until it is forwarded to another); Assignee the officer it
	// is assigned to, if any.
	HandlingAgency string
	Assignee       string
	// Version goes up with every change (optimistic checks).
	Version int
	// Result is the result being drafted and signed, nil before a draft.
	Result        *DossierResult
	CreatedAt     time.Time
	UpdatedAt     time.Time
	StatusHistory []StatusChange
	// Supplements are the supplement requests made on the dossier, oldest
	// first, each with its answer once answered (dossier_supplement.go).
	Supplements []SupplementRequest
}

// Reused reports whether at least one component was reused from digitized
// data (KPI 4.3).
func (d *Dossier) Reused() bool {
	for _, c := range d.Components {
		if c.Digitization.Reused() {
			return true
		}
	}
	return false
}

// Digitized reports whether every component that has or needs a file
// was digitized (KPI 4.2 counts it when, besides, a finished dossier that
// issues a result has its electronic result).
func (d *Dossier) Digitized() bool {
	counted := false
	for _, c := range d.Components {
		if c.Required || len(c.Attachments) > 0 {
			counted = true
			if c.Digitization == NotDigitized {
				return false
			}
		}
	}
	return counted
}

// Overdue reports whether the dossier is still open past its due date.
func (d *Dossier) Overdue(now time.Time) bool {
	return !d.DueAt.IsZero() && d.FinishedAt.IsZero() && !d.Status.Finished() && now.After(d.DueAt)
}

// HasEResult reports whether an electronic result was issued (KPI 4.1).
func (d *Dossier) HasEResult() bool { return len(d.ResultDocIDs) > 0 }

// Validate checks the dossier's fields.
func (d *Dossier) Validate() error {
	if err := ValidateProcedureCode(d.ProcedureCode); err != nil {
		return err
	}
	if d.CaseCode == "" {
		return Invalid("case_code", "required", "Vui lòng chọn trường hợp giải quyết.")
	}
	if err := ValidateAgencyCode(d.AgencyCode); err != nil {
		return err
	}
	if err := validatePerson("owner", d.Owner); err != nil {
		return err
	}
	if err := validatePerson("submitter", d.Submitter); err != nil {
		return err
	}
	if d.Channel < ChannelCounter || d.Channel > ChannelPost {
		return Invalid("channel", "invalid_channel", "Hình thức nộp phải là trực tiếp, trực tuyến hoặc bưu chính công ích.")
	}
	switch d.ResultMethod {
	case ResultAtCounter, ResultByPost, ResultOnline:
	default:
		return Invalid("result_method", "invalid_result_method", "Vui lòng chọn hình thức nhận kết quả.")
	}
	if !d.Status.Valid() {
		return Invalid("status", "invalid_dossier_status", "Trạng thái hồ sơ không hợp lệ.")
	}
	for i, c := range d.Components {
		field := fmt.Sprintf("components[%d]", i)
		if c.Code == "" {
			return Invalid(field, "required", "Thành phần hồ sơ thiếu mã.")
		}
		if c.Digitization < NotDigitized || c.Digitization > ReusedFromOtherDossier {
			return Invalid(field, "invalid_digitization", "Trạng thái số hóa không hợp lệ.")
		}
		if c.Digitization != NotDigitized && len(c.Attachments) == 0 {
			return Invalid(field, "attachment_required", fmt.Sprintf("Thành phần %q đã số hóa phải có tệp tin đính kèm.", c.Name))
		}
		for _, a := range c.Attachments {
			if a.Source == FromWarehouse && a.DocumentID == "" {
				return Invalid(field, "document_required", "Tệp tin lấy từ kho phải chỉ rõ giấy tờ trong kho.")
			}
			if a.Source != FromWarehouse && a.Source != Uploaded && a.Source != Scanned {
				return Invalid(field, "invalid_attachment_source", "Nguồn tệp tin đính kèm không hợp lệ.")
			}
			if err := validateFile(a.File); err != nil {
				return err
			}
		}
	}
	return nil
}

func validatePerson(field string, p Person) error {
	if err := ValidateSubjectCode(p.Code); err != nil {
		return Invalid(field+".code", ErrorCode(err), ErrorMessage(err))
	}
	if strings.TrimSpace(p.Name) == "" {
		return Invalid(field+".name", "required", "Họ và tên không được để trống.")
	}
	return nil
}

// DossierFilter selects dossiers. Zero fields do not filter.
type DossierFilter struct {
	AgencyCode string
	// AgencyCodes keeps the dossiers received for any of these agencies
	// (a desk's queue: the agencies it receives for).
	AgencyCodes []string
	// HandlingAgency keeps the dossiers an agency processes; Assignee
	// those forwarded to one officer.
	HandlingAgency string
	Assignee       string
	OwnerCode      string
	// Party keeps dossiers whose owner, submitter or co-applicant is this
	// subject.
	Party         string
	ProcedureCode string
	Status        DossierStatus
	// ReceivedFrom and ReceivedTo bound the receipt time: [from, to).
	ReceivedFrom time.Time
	ReceivedTo   time.Time
	// Reused, when set, keeps dossiers that did (true) or did not (false)
	// reuse digitized data.
	Reused *bool
	// MissedReuse keeps dossiers sent without reuse although a matching
	// warehouse document existed.
	MissedReuse bool
	// Indicator keeps the dossiers counted in the numerator of a Decision
	// 766 indicator: IndicatorOnTime … IndicatorVerified; empty: all.
	Indicator Indicator
	Limit     int // default 50, at most 500
	Offset    int
}

// StatusUpdate moves a dossier from one status to another.
type StatusUpdate struct {
	DossierID string
	From      DossierStatus // must be the current status, else ECONFLICT (stale_status)
	To        DossierStatus
	At        time.Time
	Actor     string
	Note      string
	// DueAt, when set, becomes the dossier's due date (computed at receipt,
	// moved on by the time spent waiting for a supplement).
	DueAt time.Time
	// ReceivedAt, ReceivedBy and FinishedAt, when set, become the
	// dossier's receipt date, receiving officer and finish date. The store
	// decides none of them: Dossier.Transition does.
	ReceivedAt time.Time
	ReceivedBy string
	FinishedAt time.Time
	// Supplement, when set, is stored as the dossier's supplement request
	// number Supplement.Seq: a new request on the move to 5, the answered
	// one on the move out of 5.
	Supplement *SupplementRequest
}

// Indicator names a Decision 766 indicator's numerator, for drill-down.
type Indicator string

const (
	IndicatorLate      Indicator = "late"      // not 2.1: finished after the due date or open past it
	IndicatorOnline    Indicator = "online"    // 3.3
	IndicatorEResult   Indicator = "e_result"  // 4.1
	IndicatorDigitized Indicator = "digitized" // 4.2
	IndicatorShared    Indicator = "shared"    // 4.4
	IndicatorVerified  Indicator = "verified"  // 4.5
)

// Valid reports whether i is a known indicator (or empty).
func (i Indicator) Valid() bool {
	switch i {
	case "", IndicatorLate, IndicatorOnline, IndicatorEResult, IndicatorDigitized, IndicatorShared, IndicatorVerified:
		return true
	}
	return false
}

// DossierStore keeps dossiers.
type DossierStore interface {
	// CreateDossier inserts the dossiers, all or none. When a dossier's
	// Code is empty it allocates the next code of its AgencyCode for the
	// day of its SubmittedAt (Vietnam time): codes are unique and
	// increasing per unit and day under concurrent receipts. A refused
	// dossier takes no number; on a store with parallel writers the
	// numbers are taken in their own short transaction, so a transaction
	// that fails later leaves a gap. EINVALID (unknown_procedure, unknown_agency) for dangling
	// references; EINVALID (dossier_sequence_exhausted) past 9999 a day.
	CreateDossier(ctx context.Context, ds ...*Dossier) error
	// GetDossier returns ENOTFOUND (dossier_not_found) for an unknown id.
	GetDossier(ctx context.Context, id string) (*Dossier, error)
	// GetDossierByCode returns ENOTFOUND for an unknown code.
	GetDossierByCode(ctx context.Context, code string) (*Dossier, error)
	// GetDossierByIdempotencyKey returns ENOTFOUND when no dossier has key.
	GetDossierByIdempotencyKey(ctx context.Context, key string) (*Dossier, error)
	// ListDossiers returns a page of matching dossiers, newest first, and
	// the total number of matches.
	ListDossiers(ctx context.Context, f DossierFilter) ([]*Dossier, int, error)
	// UpdateDossierStatus applies u and appends it to the history.
	// ENOTFOUND when unknown; ECONFLICT (stale_status) when u.From is not
	// the current status.
	UpdateDossierStatus(ctx context.Context, u StatusUpdate) error
	// UpdateDossierComponents replaces the components (and the derived
	// reuse flag) of an existing dossier, if it is still at version (0:
	// whatever its version). ENOTFOUND when unknown, ECONFLICT
	// (stale_dossier) when it changed since.
	UpdateDossierComponents(ctx context.Context, id string, version int, comps []DossierComponent) error
	// CorrectDossierReceipt changes the receipt date of a received dossier
	// (a correction; the indicators follow). ENOTFOUND when unknown;
	// EINVALID (not_received) when the dossier has no receipt date.
	CorrectDossierReceipt(ctx context.Context, id string, at time.Time) error
	// AssignDossier hands the dossier to an agency and officer and records
	// it in the history (from and to the same status). ENOTFOUND,
	// ECONFLICT (stale_status), EINVALID (unknown_agency).
	AssignDossier(ctx context.Context, a Assignment) error
	// SetDossierResult stores the result being drafted or signed, if the
	// dossier is still at version. ENOTFOUND, ECONFLICT (stale_dossier).
	SetDossierResult(ctx context.Context, id string, version int, r *DossierResult) error
	// AddDossierResultDocument records an electronic result issued for the
	// dossier (KPI 4.1). ENOTFOUND.
	AddDossierResultDocument(ctx context.Context, id, documentID string) error
}
