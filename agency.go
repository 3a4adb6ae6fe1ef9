package motcua

import (
	"context"
	"strings"
)

// AgencyLevel is the administrative level of an agency (cấp).
type AgencyLevel string

const (
	LevelProvince AgencyLevel = "province" // cấp tỉnh
	LevelDistrict AgencyLevel = "district" // cấp huyện
	LevelCommune  AgencyLevel = "commune"  // cấp xã
)

// Label returns the Vietnamese name of the level.
func (l AgencyLevel) Label() string {
	switch l {
	case LevelProvince:
		return "Cấp tỉnh"
	case LevelDistrict:
		return "Cấp huyện"
	case LevelCommune:
		return "Cấp xã"
	}
	return string(l)
}

// Valid reports whether l is one of the three levels.
func (l AgencyLevel) Valid() bool {
	return l == LevelProvince || l == LevelDistrict || l == LevelCommune
}

// Agency is a state agency or unit (cơ quan, đơn vị) identified by its
// electronic identifier code (mã định danh điện tử).
type Agency struct {
	Code       string
	Name       string
	Level      AgencyLevel
	ParentCode string // empty for the root of a tree
	// ReceptionDesk is the code of the agency whose one-stop desk (Bộ
	// phận Tiếp nhận và Trả kết quả) receives this agency's dossiers, when
	// it is another agency: a district's units are received at the
	// district People's Committee's desk. Empty: the agency receives its
	// own dossiers.
	ReceptionDesk string
}

// Desk returns the code of the agency whose reception officers receive
// a's dossiers: ReceptionDesk, or a itself.
func (a *Agency) Desk() string {
	if a.ReceptionDesk != "" {
		return a.ReceptionDesk
	}
	return a.Code
}

// Validate checks the agency's own fields; the parent's existence is the
// store's concern (foreign key).
func (a *Agency) Validate() error {
	if err := ValidateAgencyCode(a.Code); err != nil {
		return err
	}
	if strings.TrimSpace(a.Name) == "" {
		return Invalid("name", "required", "Tên cơ quan không được để trống.")
	}
	if !a.Level.Valid() {
		return Invalid("level", "invalid_agency_level", "Cấp của cơ quan phải là cấp tỉnh, cấp huyện hoặc cấp xã.")
	}
	if a.ParentCode != "" {
		if a.ParentCode == a.Code {
			return Invalid("parent_code", "invalid_parent", "Cơ quan không thể là cơ quan cấp trên của chính nó.")
		}
		if err := ValidateAgencyCode(a.ParentCode); err != nil {
			return Invalid("parent_code", "invalid_agency_code", ErrorMessage(err))
		}
	}
	if a.ReceptionDesk != "" {
		if a.ReceptionDesk == a.Code {
			return Invalid("reception_desk", "invalid_reception_desk", "Cơ quan tự tiếp nhận hồ sơ của mình thì để trống bộ phận tiếp nhận.")
		}
		if err := ValidateAgencyCode(a.ReceptionDesk); err != nil {
			return Invalid("reception_desk", "invalid_agency_code", ErrorMessage(err))
		}
	}
	return nil
}

// AgencyFilter selects agencies. Zero fields do not filter.
type AgencyFilter struct {
	ParentCode string
	Level      AgencyLevel
	// ReceptionDesk keeps the agencies whose dossiers that desk agency
	// receives (not the desk itself).
	ReceptionDesk string
}

// AgencyStore keeps the agency tree.
type AgencyStore interface {
	// CreateAgency inserts a. ECONFLICT (agency_exists) when the code is
	// taken; EINVALID (unknown_parent) when ParentCode names no agency.
	CreateAgency(ctx context.Context, a *Agency) error
	// CreateAgency and UpdateAgency answer EINVALID (unknown_reception_desk)
	// when ReceptionDesk names no agency.
	// UpdateAgency replaces the name, level, parent and desk of an existing
	// agency. ENOTFOUND when the code is unknown.
	UpdateAgency(ctx context.Context, a *Agency) error
	// GetAgency returns ENOTFOUND (agency_not_found) for an unknown code.
	GetAgency(ctx context.Context, code string) (*Agency, error)
	// ListAgencies returns matching agencies ordered by code.
	ListAgencies(ctx context.Context, f AgencyFilter) ([]*Agency, error)
}
