package motcua

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Two-party procedures (issue 16 point 4): a procedure such as marriage
// registration has two applicants. The second one, the co-applicant
// (người cùng yêu cầu), is named in the draft by the first, identity-
// checked against the population database, and consents from their own
// login to let the application use their warehouse documents. The
// returned result lands in every party's warehouse.

// MaxParties bounds Procedure.Parties.
const MaxParties = 2

// PartyCount is how many people apply together: Parties, at least 1.
func (p *Procedure) PartyCount() int { return max(1, p.Parties) }

// TwoParty reports whether the procedure takes a co-applicant.
func (p *Procedure) TwoParty() bool { return p.PartyCount() > 1 }

// Consent is a co-applicant's answer to a request to use their warehouse.
type Consent string

const (
	ConsentPending Consent = "pending" // chờ đồng ý
	ConsentGranted Consent = "granted" // đã đồng ý
	ConsentRefused Consent = "refused" // từ chối
)

// Label returns the Vietnamese label.
func (c Consent) Label() string {
	switch c {
	case ConsentPending:
		return "Chờ đồng ý"
	case ConsentGranted:
		return "Đã đồng ý"
	case ConsentRefused:
		return "Đã từ chối"
	}
	return string(c)
}

// CoApplicant is a person who applies together with the draft's owner.
type CoApplicant struct {
	SubjectID string    `json:"subject_id"` // personal id number
	Name      string    `json:"name"`
	BirthDate Date      `json:"birth_date"`
	Consent   Consent   `json:"consent"`
	AskedAt   time.Time `json:"asked_at"`
	// DecidedAt is when the co-applicant consented or refused.
	DecidedAt *time.Time `json:"decided_at,omitempty"`
}

// Person returns the co-applicant as a dossier party.
func (c CoApplicant) Person() Person {
	return Person{Code: c.SubjectID, Name: c.Name, BirthDate: c.BirthDate}
}

// AddCoApplicant names a co-applicant of draft d of procedure p, whose
// consent is pending. EINVALID: not_two_party (the procedure has one
// party), subject_id required, name required, birth_date required,
// co_applicant_is_owner, too_many_co_applicants. ECONFLICT
// (co_applicant_exists) when the person is already named.
func (d *Draft) AddCoApplicant(p *Procedure, c CoApplicant, now time.Time) error {
	if !p.TwoParty() {
		return Invalid("co_applicants", "not_two_party", "Thủ tục này chỉ có một người yêu cầu; không thể thêm người cùng nộp hồ sơ.")
	}
	c.SubjectID = strings.TrimSpace(c.SubjectID)
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	switch {
	case c.SubjectID == "":
		return Invalid("subject_id", "required", "Vui lòng nhập số định danh cá nhân của người cùng nộp hồ sơ.")
	case c.Name == "":
		return Invalid("name", "required", "Vui lòng nhập họ và tên của người cùng nộp hồ sơ.")
	case c.BirthDate.IsZero():
		return Invalid("birth_date", "required", "Vui lòng nhập ngày sinh của người cùng nộp hồ sơ.")
	case c.SubjectID == d.Owner.Code || c.SubjectID == d.Submitter.Code:
		return Invalid("subject_id", "co_applicant_is_owner", "Người cùng nộp hồ sơ phải là người khác với người nộp hồ sơ.")
	}
	if _, ok := d.CoApplicant(c.SubjectID); ok {
		return Errorf(ECONFLICT, "co_applicant_exists", "Người này đã có trong danh sách người cùng nộp hồ sơ.")
	}
	if len(d.CoApplicants) >= p.PartyCount()-1 {
		return Invalid("co_applicants", "too_many_co_applicants", "Hồ sơ đã đủ số người cùng nộp hồ sơ.")
	}
	c.Consent, c.AskedAt, c.DecidedAt = ConsentPending, now.UTC(), nil
	d.CoApplicants = append(d.CoApplicants, c)
	return nil
}

// CoApplicant returns the co-applicant with a personal id.
func (d *Draft) CoApplicant(subjectID string) (CoApplicant, bool) {
	i := slices.IndexFunc(d.CoApplicants, func(c CoApplicant) bool { return c.SubjectID == subjectID })
	if i < 0 || subjectID == "" {
		return CoApplicant{}, false
	}
	return d.CoApplicants[i], true
}

// DecideConsent records co-applicant subjectID's answer: granted or
// refused; either may be changed until the draft is submitted (a consent
// withdrawn drops the co-applicant's documents from the draft, see
// DropDocumentsOf). ENOTFOUND (consent_request_not_found) when subjectID
// is not a co-applicant of d, EINVALID (invalid_consent) for another
// answer, ECONFLICT (draft_submitted) once submitted.
func (d *Draft) DecideConsent(subjectID string, answer Consent, now time.Time) error {
	i := slices.IndexFunc(d.CoApplicants, func(c CoApplicant) bool { return c.SubjectID == subjectID })
	if i < 0 || subjectID == "" {
		return Errorf(ENOTFOUND, "consent_request_not_found", "Không tìm thấy yêu cầu đồng ý sử dụng dữ liệu.")
	}
	if answer != ConsentGranted && answer != ConsentRefused {
		return Invalid("consent", "invalid_consent", "Vui lòng chọn Đồng ý hoặc Từ chối.")
	}
	if d.DossierID != "" {
		return Errorf(ECONFLICT, "draft_submitted", "Hồ sơ này đã được nộp.")
	}
	at := now.UTC()
	d.CoApplicants[i].Consent, d.CoApplicants[i].DecidedAt = answer, &at
	return nil
}

// Consented returns the personal ids of the co-applicants who consented:
// the warehouses, besides the owner's, the draft may use.
func (d *Draft) Consented() []string {
	var out []string
	for _, c := range d.CoApplicants {
		if c.Consent == ConsentGranted {
			out = append(out, c.SubjectID)
		}
	}
	return out
}

// DropDocumentsOf removes the draft's warehouse choices of documents
// owners (by id, document -> owner) names as belonging to subjectID, and
// reports whether any was removed.
func (d *Draft) DropDocumentsOf(subjectID string, owners map[string]string) bool {
	kept := d.Components[:0]
	removed := false
	for _, c := range d.Components {
		if c.Source == FromWarehouse && owners[c.DocumentID] == subjectID {
			removed = true
			continue
		}
		kept = append(kept, c)
	}
	d.Components = kept
	return removed
}

// ConsentRequired is the error of a use of a co-applicant's document
// before they consented.
func ConsentRequired() error {
	return Errorf(EFORBIDDEN, "consent_required",
		"Người cùng nộp hồ sơ chưa đồng ý cho sử dụng giấy tờ trong Kho dữ liệu của họ.")
}

// MergeMatches adds the matches of a co-applicant's warehouse (more,
// component by component in the same order) to the owner's: every usable
// document of either is a suggestion, newest first. Nothing of another
// person's warehouse is attached automatically: where the co-applicant
// has a candidate the applicant picks, even from one. Unusable documents
// of the co-applicant are not listed: the applicant sees only what may be
// used.
func MergeMatches(owner, more []ComponentMatch) []ComponentMatch {
	out := make([]ComponentMatch, len(owner))
	for i, m := range owner {
		if i >= len(more) || more[i].Component.Code != m.Component.Code || !more[i].Matches() {
			out[i] = m
			continue
		}
		docs := append(slices.Clone(m.Candidates()), more[i].Candidates()...)
		slices.SortStableFunc(docs, newestFirst)
		out[i] = ComponentMatch{Component: m.Component, Suggestions: docs, Unusable: m.Unusable}
	}
	return out
}

// ConsentRequest is a pending or answered request to a co-applicant, as
// they see it ("Yêu cầu đồng ý sử dụng dữ liệu").
type ConsentRequest struct {
	Draft       *Draft
	CoApplicant CoApplicant
}

// CoApplicantStore finds drafts by co-applicant.
type CoApplicantStore interface {
	// ListCoApplicantDrafts returns the drafts not yet submitted that name
	// subjectID as a co-applicant, newest first; with consent set, only
	// those where their consent is that.
	ListCoApplicantDrafts(ctx context.Context, subjectID string, consent Consent) ([]*Draft, error)
}

// AskedOn is the day the co-applicant was asked, in Vietnam.
func (c CoApplicant) AskedOn() Date { return DateOf(c.AskedAt) }

// IsParty reports whether subject is one of the dossier's parties: its
// owner, its submitter or a co-applicant.
func (d *Dossier) IsParty(subject string) bool {
	if subject == "" {
		return false
	}
	if d.Owner.Code == subject || d.Submitter.Code == subject {
		return true
	}
	return slices.ContainsFunc(d.CoApplicants, func(p Person) bool { return p.Code == subject })
}
