package motcua

import (
	"context"
	"fmt"
	"strings"
)

// Procedure (thủ tục hành chính) is an entry of the procedure catalogue.
type Procedure struct {
	Code        string // e.g. 1.003560.000.00.00.H56
	Name        string
	Field       string   // lĩnh vực, e.g. "Hộ tịch"
	AgencyCodes []string // agencies that handle it
	Cases       []ProcedureCase
	Components  []ProcedureComponent
	// ResultCategory is the category of the result it issues; empty when
	// the procedure issues no document.
	ResultCategory string
	FeeVND         int64
}

// ProcedureCase (trường hợp giải quyết) has its own processing time.
type ProcedureCase struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	ProcessingDays int    `json:"processing_days"` // working days
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
	// Categories lists the document categories that satisfy the component;
	// warehouse matching uses it.
	Categories []string `json:"categories,omitempty"`
	// AllowScan accepts a scanned (unsigned) PDF for the component, as
	// for a form the applicant fills in; otherwise a signed PDF is needed.
	AllowScan bool `json:"allow_scan,omitempty"`
}

// Validate checks the procedure and its nested cases and components.
func (p *Procedure) Validate() error {
	if err := ValidateProcedureCode(p.Code); err != nil {
		return err
	}
	if strings.TrimSpace(p.Name) == "" {
		return Invalid("name", "required", "Tên thủ tục không được để trống.")
	}
	for i, code := range p.AgencyCodes {
		if err := ValidateAgencyCode(code); err != nil {
			return Invalid(fmt.Sprintf("agency_codes[%d]", i), "invalid_agency_code", ErrorMessage(err))
		}
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
		if seen["case:"+c.Code] {
			return Invalid(field, "duplicate_case", fmt.Sprintf("Mã trường hợp %q bị trùng.", c.Code))
		}
		seen["case:"+c.Code] = true
		if c.ProcessingDays < 0 {
			return Invalid(field, "invalid_processing_days", "Thời hạn giải quyết không được âm.")
		}
	}
	for i, c := range p.Components {
		field := fmt.Sprintf("components[%d]", i)
		if c.Code == "" || strings.TrimSpace(c.Name) == "" {
			return Invalid(field, "required", "Thành phần hồ sơ phải có mã và tên.")
		}
		if seen["comp:"+c.Code] {
			return Invalid(field, "duplicate_component", fmt.Sprintf("Mã thành phần hồ sơ %q bị trùng.", c.Code))
		}
		seen["comp:"+c.Code] = true
		if c.Form != FormOriginal && c.Form != FormCopy {
			return Invalid(field, "invalid_paper_form", "Thành phần hồ sơ phải là bản chính hoặc bản sao.")
		}
		for _, cat := range c.Categories {
			if err := ValidateCategoryCode(cat); err != nil {
				return Invalid(field, "invalid_category_code", ErrorMessage(err))
			}
		}
	}
	if p.ResultCategory != "" {
		if err := ValidateCategoryCode(p.ResultCategory); err != nil {
			return Invalid("result_category", "invalid_category_code", ErrorMessage(err))
		}
	}
	if p.FeeVND < 0 {
		return Invalid("fee_vnd", "invalid_fee", "Lệ phí không được âm.")
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

// Component returns the component with the given code.
func (p *Procedure) Component(code string) (ProcedureComponent, bool) {
	for _, c := range p.Components {
		if c.Code == code {
			return c, true
		}
	}
	return ProcedureComponent{}, false
}

// ProcedureStore keeps the procedure catalogue.
type ProcedureStore interface {
	// CreateProcedure inserts p. ECONFLICT (procedure_exists) when the code
	// is taken; EINVALID (unknown_category / unknown_agency) when it refers
	// to categories or agencies that do not exist.
	CreateProcedure(ctx context.Context, p *Procedure) error
	// UpdateProcedure replaces everything but the code. ENOTFOUND when unknown.
	UpdateProcedure(ctx context.Context, p *Procedure) error
	// GetProcedure returns ENOTFOUND (procedure_not_found) for an unknown code.
	GetProcedure(ctx context.Context, code string) (*Procedure, error)
	// ListProcedures returns procedures ordered by code; agencyCode, when
	// not empty, keeps those the agency handles.
	ListProcedures(ctx context.Context, agencyCode string) ([]*Procedure, error)
}
