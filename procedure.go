package motcua

import (
	"context"
	"fmt"
	"strings"
)

// OnlineLevel (mức độ dịch vụ công trực tuyến) tells how much of a
// procedure can be done online.
type OnlineLevel string

const (
	// OnlineNone: the procedure is only described online (dịch vụ cung cấp thông tin).
	OnlineNone OnlineLevel = ""
	// OnlinePartial: dịch vụ công trực tuyến một phần — applied for online,
	// but the applicant comes to the counter for part of it (e.g. to collect the result).
	OnlinePartial OnlineLevel = "partial"
	// OnlineFull: dịch vụ công trực tuyến toàn trình — end to end online.
	OnlineFull OnlineLevel = "full"
)

// Label returns the Vietnamese label.
func (l OnlineLevel) Label() string {
	switch l {
	case OnlineFull:
		return "Toàn trình"
	case OnlinePartial:
		return "Một phần"
	case OnlineNone:
		return "Cung cấp thông tin"
	}
	return string(l)
}

// Valid reports whether l is one of the three levels.
func (l OnlineLevel) Valid() bool {
	return l == OnlineNone || l == OnlinePartial || l == OnlineFull
}

// Fee is one named fee or charge (phí, lệ phí) of a procedure.
type Fee struct {
	Name      string `json:"name"` // e.g. "Lệ phí", "Phí thẩm định"
	AmountVND int64  `json:"amount_vnd"`
	Note      string `json:"note,omitempty"` // e.g. "Miễn lệ phí cho người có công"
}

// Procedure (thủ tục hành chính) is one version of an entry of the
// procedure catalogue. Every change to a procedure makes a new version;
// drafts and dossiers keep the version they started with
// (Draft.ProcedureVersion, Dossier.ProcedureVersion).
type Procedure struct {
	Code string // e.g. 1.003560.000.00.00.H56
	// Version is assigned by the store: 1 when created, +1 with every
	// update that changes something.
	Version int
	Name    string
	Field   string // lĩnh vực, e.g. "Hộ tịch"
	// Levels are the administrative levels that carry it out (cấp thực
	// hiện), e.g. district and commune.
	Levels      []AgencyLevel
	OnlineLevel OnlineLevel
	AgencyCodes []string // agencies that handle it
	Cases       []ProcedureCase
	// Components are the components of every case that does not list
	// its own; use ComponentsFor.
	Components []ProcedureComponent
	// ResultCategory is the category of the result it issues; empty when
	// the procedure issues no document.
	ResultCategory string
	Fees           []Fee
	LegalBasis     string // căn cứ pháp lý, free text
	// Parties is how many people apply together (1 or 0: one; 2: a
	// two-party procedure such as marriage registration, whose draft
	// names a co-applicant; see PartyCount).
	Parties int
}

// TotalFeeVND is the sum of the procedure's fees and charges.
func (p *Procedure) TotalFeeVND() int64 {
	var t int64
	for _, f := range p.Fees {
		t += f.AmountVND
	}
	return t
}

// ProcedureCase (trường hợp giải quyết) has its own processing time and,
// when Components is not empty, its own components.
type ProcedureCase struct {
	Code           string               `json:"code"`
	Name           string               `json:"name"`
	ProcessingDays int                  `json:"processing_days"` // working days
	Components     []ProcedureComponent `json:"components,omitempty"`
}

// PaperForm tells whether a component must be an original or may be a copy.
type PaperForm string

const (
	FormOriginal PaperForm = "original" // Bản chính
	FormCopy     PaperForm = "copy"     // Bản sao
)

// Label returns the Vietnamese label.
func (f PaperForm) Label() string {
	if f == FormCopy {
		return "Bản sao"
	}
	return "Bản chính"
}

// ProcedureComponent (thành phần hồ sơ, TPHS) is one paper a dossier needs.
type ProcedureComponent struct {
	Code     string    `json:"code"`
	Name     string    `json:"name"`
	Required bool      `json:"required"`
	Form     PaperForm `json:"form"`
	// Originals and Copies are how many originals (bản chính) and copies
	// (bản sao) a paper dossier brings; zero when the catalogue says nothing.
	Originals int `json:"originals,omitempty"`
	Copies    int `json:"copies,omitempty"`
	// Categories lists the document categories that satisfy the component;
	// warehouse matching uses it.
	Categories []string `json:"categories,omitempty"`
	// MaxDocuments is how many documents (files) the component takes, e.g.
	// 2 for the identity papers of both spouses; 0 or 1: one, a new choice
	// replaces the previous one. See Limit.
	MaxDocuments int `json:"max_documents,omitempty"`
	// AllowScan accepts a scanned (unsigned) PDF for the component, as
	// for a form the applicant fills in; otherwise a signed PDF is needed.
	AllowScan bool `json:"allow_scan,omitempty"`
	// FormTemplate is the file name of the blank form (mẫu đơn, tờ khai)
	// applicants download, empty when there is none.
	FormTemplate string `json:"form_template,omitempty"`
	// FormTemplateSHA256 addresses the form's file in the blob store
	// (GET /thu-tuc/{code}/mau/{component} serves it); empty when only the
	// name is known.
	FormTemplateSHA256 string `json:"form_template_sha256,omitempty"`
}

// Limit is how many documents the component takes: at least one.
func (c ProcedureComponent) Limit() int { return max(1, c.MaxDocuments) }

// Multiple reports whether the component takes several documents ("Lấy
// từ kho" then adds one instead of replacing it).
func (c ProcedureComponent) Multiple() bool { return c.Limit() > 1 }

// Validate checks the procedure and its nested cases and components.
func (p *Procedure) Validate() error {
	if err := ValidateProcedureCode(p.Code); err != nil {
		return err
	}
	if strings.TrimSpace(p.Name) == "" {
		return Invalid("name", "required", "Tên thủ tục không được để trống.")
	}
	for i, l := range p.Levels {
		if !l.Valid() {
			return Invalid(fmt.Sprintf("levels[%d]", i), "invalid_agency_level", "Cấp thực hiện phải là cấp tỉnh, cấp huyện hoặc cấp xã.")
		}
	}
	if !p.OnlineLevel.Valid() {
		return Invalid("online_level", "invalid_online_level", "Mức độ dịch vụ công trực tuyến phải là toàn trình, một phần hoặc cung cấp thông tin.")
	}
	for i, code := range p.AgencyCodes {
		if err := ValidateAgencyCode(code); err != nil {
			return Invalid(fmt.Sprintf("agency_codes[%d]", i), "invalid_agency_code", ErrorMessage(err))
		}
	}
	if p.Parties < 0 || p.Parties > MaxParties {
		return Invalid("parties", "invalid_parties", fmt.Sprintf("Số người yêu cầu của thủ tục phải từ 1 đến %d.", MaxParties))
	}
	if len(p.Cases) == 0 {
		return Invalid("cases", "required", "Thủ tục phải có ít nhất một trường hợp giải quyết.")
	}
	seen := map[string]bool{}
	for i, c := range p.Cases {
		field := fmt.Sprintf("cases[%d]", i)
		if c.Code == "" || strings.TrimSpace(c.Name) == "" {
			return Invalid(field, "required", "Trường hợp giải quyết phải có mã và tên.")
		}
		if seen[c.Code] {
			return Invalid(field, "duplicate_case", fmt.Sprintf("Mã trường hợp %q bị trùng.", c.Code))
		}
		seen[c.Code] = true
		if c.ProcessingDays < 0 {
			return Invalid(field, "invalid_processing_days", "Thời hạn giải quyết không được âm.")
		}
		if err := validateComponents(field+".components", c.Components); err != nil {
			return err
		}
	}
	if err := validateComponents("components", p.Components); err != nil {
		return err
	}
	if p.ResultCategory != "" {
		if err := ValidateCategoryCode(p.ResultCategory); err != nil {
			return Invalid("result_category", "invalid_category_code", ErrorMessage(err))
		}
	}
	for i, f := range p.Fees {
		field := fmt.Sprintf("fees[%d]", i)
		if strings.TrimSpace(f.Name) == "" {
			return Invalid(field, "required", "Khoản phí, lệ phí phải có tên.")
		}
		if f.AmountVND < 0 {
			return Invalid(field, "invalid_fee", "Lệ phí không được âm.")
		}
	}
	return nil
}

func validateComponents(prefix string, comps []ProcedureComponent) error {
	seen := map[string]bool{}
	for i, c := range comps {
		field := fmt.Sprintf("%s[%d]", prefix, i)
		if c.Code == "" || strings.TrimSpace(c.Name) == "" {
			return Invalid(field, "required", "Thành phần hồ sơ phải có mã và tên.")
		}
		if seen[c.Code] {
			return Invalid(field, "duplicate_component", fmt.Sprintf("Mã thành phần hồ sơ %q bị trùng.", c.Code))
		}
		seen[c.Code] = true
		if c.Form != FormOriginal && c.Form != FormCopy {
			return Invalid(field, "invalid_paper_form", "Thành phần hồ sơ phải là bản chính hoặc bản sao.")
		}
		if c.Originals < 0 || c.Copies < 0 {
			return Invalid(field, "invalid_count", "Số bản chính, bản sao không được âm.")
		}
		if c.MaxDocuments < 0 {
			return Invalid(field, "invalid_max_documents", "Số giấy tờ tối đa của thành phần hồ sơ không được âm.")
		}
		for _, cat := range c.Categories {
			if err := ValidateCategoryCode(cat); err != nil {
				return Invalid(field, "invalid_category_code", ErrorMessage(err))
			}
		}
	}
	return nil
}

// Case returns the case with the given code.
func (p *Procedure) Case(code string) (ProcedureCase, bool) {
	for _, c := range p.Cases {
		if c.Code == code {
			return c, true
		}
	}
	return ProcedureCase{}, false
}

// ComponentsFor returns the components a dossier of the given case needs:
// the case's own list when it has one, the procedure's otherwise (also
// for an unknown case).
func (p *Procedure) ComponentsFor(caseCode string) []ProcedureComponent {
	if c, ok := p.Case(caseCode); ok && len(c.Components) > 0 {
		return c.Components
	}
	return p.Components
}

// Component returns the component with the given code among those of the
// case (see ComponentsFor).
func (p *Procedure) Component(caseCode, code string) (ProcedureComponent, bool) {
	for _, c := range p.ComponentsFor(caseCode) {
		if c.Code == code {
			return c, true
		}
	}
	return ProcedureComponent{}, false
}

// AllComponents returns every component of the procedure, the shared
// list first then each case's own, for what concerns any case (e.g. the
// categories a procedure accepts).
func (p *Procedure) AllComponents() []ProcedureComponent {
	out := append([]ProcedureComponent(nil), p.Components...)
	for _, c := range p.Cases {
		out = append(out, c.Components...)
	}
	return out
}

// ProcedureStore keeps the procedure catalogue and every version of it.
type ProcedureStore interface {
	// CreateProcedure inserts p as version 1 and sets p.Version.
	// ECONFLICT (procedure_exists) when the code is taken; EINVALID
	// (unknown_category / unknown_agency) when it refers to categories or
	// agencies that do not exist.
	CreateProcedure(ctx context.Context, p *Procedure) error
	// UpdateProcedure replaces everything but the code with a new version
	// and sets p.Version to it; when p equals the current version nothing
	// is written and p.Version is the current one. Earlier versions stay
	// readable with GetProcedureVersion. ENOTFOUND when unknown; EINVALID
	// as CreateProcedure.
	UpdateProcedure(ctx context.Context, p *Procedure) error
	// GetProcedure returns the current version. ENOTFOUND
	// (procedure_not_found) for an unknown code.
	GetProcedure(ctx context.Context, code string) (*Procedure, error)
	// GetProcedureVersion returns the given version of a procedure, the
	// current one when version is 0: drafts and dossiers read the version
	// they started with. ENOTFOUND (procedure_not_found) for an unknown
	// code or version.
	GetProcedureVersion(ctx context.Context, code string, version int) (*Procedure, error)
	// ListProcedures returns the current versions ordered by code;
	// agencyCode, when not empty, keeps those the agency handles.
	ListProcedures(ctx context.Context, agencyCode string) ([]*Procedure, error)
	// CatalogueStamp returns a short value that changes when a procedure
	// is created or gets a new version, or an agency is created or
	// renamed (to a name of another length), so that a reader can keep
	// something built from ListProcedures and the agencies (the public
	// search index) until it changes. It is cached like ListProcedures:
	// this process's own changes show at once, another process's within
	// the cache's lifetime.
	CatalogueStamp(ctx context.Context) (string, error)
}
