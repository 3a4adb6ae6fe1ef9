package motcua

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// DraftComponent is what the applicant chose for one component of a
// draft: a warehouse document or an uploaded file.
type DraftComponent struct {
	Code       string           `json:"code"`
	Source     AttachmentSource `json:"source"`
	DocumentID string           `json:"document_id,omitempty"` // FromWarehouse
	File       File             `json:"file"`
	// Auto is set when the system attached the only matching document.
	Auto bool `json:"auto,omitempty"`
}

// Draft is an online application being prepared ("Nộp trực tuyến"),
// before "Nộp hồ sơ" turns it into a Dossier.
type Draft struct {
	ID            string `json:"id"`
	Creator       string `json:"creator"` // the principal's actor id
	ProcedureCode string `json:"procedure"`
	// ProcedureVersion is the version of the procedure the draft started
	// with; 0 (drafts older than versioning) reads the current one.
	ProcedureVersion int    `json:"procedure_version,omitempty"`
	CaseCode         string `json:"case"`
	AgencyCode       string `json:"agency"`
	District         string `json:"district"`
	Ward             string `json:"ward"`
	Submitter        Person `json:"submitter"`
	Owner            Person `json:"owner"`
	// SubmitMethod and ResultMethod are "Hình thức nộp hồ sơ" and "Hình
	// thức nhận kết quả" (step 8); PostAddress is where the post office
	// collects the originals and delivers the result when either is
	// ByPost. Set them with SetDelivery.
	SubmitMethod SubmitMethod `json:"submit_method,omitempty"`
	ResultMethod ResultMethod `json:"result_method,omitempty"`
	PostAddress  string       `json:"post_address,omitempty"`
	// Components holds the choices, one entry per document: a component
	// that takes several documents (ProcedureComponent.MaxDocuments)
	// appears once per document, in the order they were added.
	Components []DraftComponent `json:"components"`
	// CoApplicants are the other parties of a two-party procedure
	// (Procedure.Parties), with their consent (see AddCoApplicant).
	CoApplicants []CoApplicant `json:"co_applicants"`
	// OwnerVerified records that the owner's identity was checked against
	// the population database (or came from VNeID) for this draft.
	OwnerVerified bool `json:"owner_verified"`
	// ManualIdentity is set when a counter officer compared the
	// identities with the original papers because the population
	// database could not be reached.
	ManualIdentity *ManualVerification `json:"manual_identity,omitempty"`
	DossierID      string              `json:"dossier_id,omitempty"` // set once submitted
	CreatedAt      time.Time           `json:"created_at"`
	UpdatedAt      time.Time           `json:"updated_at"`
}

// SubmitMethod (hình thức nộp hồ sơ) is how the papers of an online
// application reach the agency when originals are required.
type SubmitMethod string

const (
	SubmitOnline    SubmitMethod = "online"  // Nộp hồ sơ trực tuyến
	SubmitAtCounter SubmitMethod = "counter" // the applicant brings the originals
	SubmitByPost    SubmitMethod = "post"    // collected by the public postal service
)

// Label returns the Vietnamese label.
func (m SubmitMethod) Label() string {
	switch m {
	case SubmitOnline, "":
		return "Nộp hồ sơ trực tuyến"
	case SubmitAtCounter:
		return "Nộp trực tiếp tại Bộ phận Tiếp nhận và Trả kết quả"
	case SubmitByPost:
		return "Nộp qua dịch vụ bưu chính công ích"
	}
	return string(m)
}

// Label returns the Vietnamese label.
func (m ResultMethod) Label() string {
	switch m {
	case ResultOnline:
		return "Nhận kết quả trực tuyến"
	case ResultAtCounter:
		return "Nhận trực tiếp tại Bộ phận Tiếp nhận và Trả kết quả"
	case ResultByPost:
		return "Nhận qua dịch vụ bưu chính công ích"
	}
	return string(m)
}

// maxPostAddress bounds a postal address.
const maxPostAddress = 300

// SetDelivery records step 8's choices. Both methods are required; the
// postal address is required when either goes by post (the post office
// collects the originals or delivers the result there) and dropped
// otherwise. EINVALID: invalid_submit_method, invalid_result_method,
// post_address required or too_long.
func (d *Draft) SetDelivery(submit SubmitMethod, result ResultMethod, address string) error {
	switch submit {
	case SubmitOnline, SubmitAtCounter, SubmitByPost:
	default:
		return Invalid("submit_method", "invalid_submit_method", "Vui lòng chọn hình thức nộp hồ sơ.")
	}
	switch result {
	case ResultOnline, ResultAtCounter, ResultByPost:
	default:
		return Invalid("result_method", "invalid_result_method", "Vui lòng chọn hình thức nhận kết quả.")
	}
	address = strings.Join(strings.Fields(address), " ")
	byPost := submit == SubmitByPost || result == ResultByPost
	switch {
	case !byPost:
		address = ""
	case address == "":
		return Invalid("post_address", "required", "Vui lòng nhập địa chỉ để bưu điện thu gom hồ sơ hoặc phát trả kết quả.")
	case len([]rune(address)) > maxPostAddress:
		return Invalid("post_address", "too_long", fmt.Sprintf("Địa chỉ không được dài quá %d ký tự.", maxPostAddress))
	}
	d.SubmitMethod, d.ResultMethod, d.PostAddress = submit, result, address
	return nil
}

// Component returns the draft's (first) choice for a component code.
func (d *Draft) Component(code string) (DraftComponent, bool) {
	for _, c := range d.Components {
		if c.Code == code {
			return c, true
		}
	}
	return DraftComponent{}, false
}

// ComponentDocuments returns every choice for a component code, in the
// order they were added.
func (d *Draft) ComponentDocuments(code string) []DraftComponent {
	var out []DraftComponent
	for _, c := range d.Components {
		if c.Code == code {
			out = append(out, c)
		}
	}
	return out
}

// SetComponent replaces every choice for c.Code with c.
func (d *Draft) SetComponent(c DraftComponent) {
	d.RemoveComponent(c.Code, -1)
	d.Components = append(d.Components, c)
}

// AddComponent records c for component comp: it replaces the choice of a
// component that takes one document; for one that takes several it is
// added, unless the same warehouse document is already there. EINVALID
// (too_many_documents) when the component already has comp.Limit()
// documents.
func (d *Draft) AddComponent(comp ProcedureComponent, c DraftComponent) error {
	c.Code = comp.Code
	if !comp.Multiple() {
		d.SetComponent(c)
		return nil
	}
	have := d.ComponentDocuments(comp.Code)
	for _, h := range have {
		if c.DocumentID != "" && h.DocumentID == c.DocumentID {
			return nil
		}
	}
	if len(have) >= comp.Limit() {
		return Invalid("document_id", "too_many_documents",
			fmt.Sprintf("Thành phần “%s” nhận tối đa %d giấy tờ; hãy bỏ bớt một giấy tờ trước khi thêm.", comp.Name, comp.Limit()))
	}
	d.Components = append(d.Components, c)
	return nil
}

// RemoveComponent removes the index-th choice (0-based, in the order of
// ComponentDocuments) for a component code, or all of them when index is
// negative. It reports whether anything was removed.
func (d *Draft) RemoveComponent(code string, index int) bool {
	kept := d.Components[:0]
	n, removed := 0, false
	for _, c := range d.Components {
		if c.Code == code {
			if index < 0 || n == index {
				n++
				removed = true
				continue
			}
			n++
		}
		kept = append(kept, c)
	}
	d.Components = kept
	return removed
}

// DraftStore keeps drafts.
type DraftStore interface {
	// CreateDraft inserts d, assigning ID and times.
	CreateDraft(ctx context.Context, d *Draft) error
	// GetDraft returns ENOTFOUND (draft_not_found).
	GetDraft(ctx context.Context, id string) (*Draft, error)
	// UpdateDraft replaces a draft that has not been submitted. ENOTFOUND
	// when unknown; ECONFLICT (draft_submitted) once submitted.
	UpdateDraft(ctx context.Context, d *Draft) error
	// MarkDraftSubmitted links drafts to their dossiers, each once, all or
	// none: ECONFLICT (draft_submitted) when one already was, so that of
	// two concurrent submissions of one draft exactly one commits;
	// ENOTFOUND for an unknown draft.
	MarkDraftSubmitted(ctx context.Context, links ...DraftLink) error
}

// DraftLink ties a submitted draft to the dossier made from it.
type DraftLink struct {
	DraftID, DossierID string
}
