package motcua

import (
	"context"
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
	ProcedureVersion int              `json:"procedure_version,omitempty"`
	CaseCode         string           `json:"case"`
	AgencyCode       string           `json:"agency"`
	District         string           `json:"district"`
	Ward             string           `json:"ward"`
	Submitter        Person           `json:"submitter"`
	Owner            Person           `json:"owner"`
	ResultMethod     ResultMethod     `json:"result_method,omitempty"`
	PostAddress      string           `json:"post_address,omitempty"`
	Components       []DraftComponent `json:"components"`
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

// Component returns the draft's choice for a component code.
func (d *Draft) Component(code string) (DraftComponent, bool) {
	for _, c := range d.Components {
		if c.Code == code {
			return c, true
		}
	}
	return DraftComponent{}, false
}

// SetComponent replaces (or adds) the choice for c.Code.
func (d *Draft) SetComponent(c DraftComponent) {
	for i := range d.Components {
		if d.Components[i].Code == c.Code {
			d.Components[i] = c
			return
		}
	}
	d.Components = append(d.Components, c)
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
