package motcua

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// SubjectKind tells a person from an organisation.
type SubjectKind string

const (
	SubjectPerson       SubjectKind = "person"       // công dân
	SubjectOrganisation SubjectKind = "organisation" // tổ chức, doanh nghiệp
)

// Subject (chủ thể) owns a warehouse. A person is identified by the 12-digit
// personal identification number, an organisation by its tax/enterprise
// code or agency code.
type Subject struct {
	Code      string // personal id or organisation code
	Kind      SubjectKind
	Name      string
	BirthDate Date   // persons only; zero when unknown
	LegacyID  string // 9-digit CMND, persons only
	Phone     string
	Email     string
	Address   string
	// VerifiedAt is when the identity was last confirmed against the
	// national population database (or VNeID); zero when never.
	VerifiedAt time.Time
	CreatedAt  time.Time
}

// Validate checks the subject's fields.
func (s *Subject) Validate() error {
	switch s.Kind {
	case SubjectPerson:
		if err := ValidatePersonalID(s.Code); err != nil {
			return err
		}
		if s.LegacyID != "" && !IsLegacyCMND(s.LegacyID) {
			return Invalid("legacy_id", "invalid_legacy_id", "Số chứng minh nhân dân phải gồm đúng 9 chữ số.")
		}
	case SubjectOrganisation:
		if len(s.Code) == 12 && allDigits(s.Code) {
			return Invalid("kind", "invalid_subject_kind", "Mã gồm 12 chữ số là số định danh cá nhân của công dân, không phải mã của tổ chức.")
		}
		if err := ValidateSubjectCode(s.Code); err != nil {
			return err
		}
		if s.LegacyID != "" || !s.BirthDate.IsZero() {
			return Invalid("kind", "invalid_subject_kind", "Tổ chức không có ngày sinh hoặc số chứng minh nhân dân.")
		}
	default:
		return Invalid("kind", "invalid_subject_kind", "Loại chủ thể phải là công dân hoặc tổ chức.")
	}
	if strings.TrimSpace(s.Name) == "" {
		return Invalid("name", "required", "Họ và tên (hoặc tên tổ chức) không được để trống.")
	}
	if s.Phone != "" {
		if err := ValidatePhone(s.Phone); err != nil {
			return err
		}
	}
	if s.Email != "" {
		if _, err := mail.ParseAddress(s.Email); err != nil {
			return Invalid("email", "invalid_email", "Địa chỉ thư điện tử không hợp lệ.")
		}
	}
	return nil
}

// ValidatePhone checks a Vietnamese mobile number: 10 digits starting
// with 0. Error: EINVALID (invalid_phone).
func ValidatePhone(p string) error {
	if !validPhone(p) {
		return Invalid("phone", "invalid_phone", "Số điện thoại phải gồm 10 chữ số, bắt đầu bằng số 0.")
	}
	return nil
}

func validPhone(p string) bool {
	if len(p) != 10 || p[0] != '0' {
		return false
	}
	for _, c := range p {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// SubjectStore keeps warehouse owners.
type SubjectStore interface {
	// CreateSubject inserts s. ECONFLICT (subject_exists) when the code is taken.
	CreateSubject(ctx context.Context, s *Subject) error
	// UpdateSubject replaces the mutable fields of an existing subject
	// (name, birth date, legacy id, contacts, verification time).
	// ENOTFOUND when the code is unknown.
	UpdateSubject(ctx context.Context, s *Subject) error
	// GetSubject returns ENOTFOUND (subject_not_found) for an unknown code.
	GetSubject(ctx context.Context, code string) (*Subject, error)
}
