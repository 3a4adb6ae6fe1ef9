package motcua

import (
	"context"
	"strings"
)

// PaperType (loại giấy tờ) classifies warehouse documents.
type PaperType string

const (
	PaperResult    PaperType = "result"    // Kết quả giải quyết
	PaperComponent PaperType = "component" // Thành phần hồ sơ
	PaperOther     PaperType = "other"     // Giấy tờ khác
)

// Label returns the Vietnamese label used by the portal.
func (p PaperType) Label() string {
	switch p {
	case PaperResult:
		return "Kết quả giải quyết"
	case PaperComponent:
		return "Thành phần hồ sơ"
	case PaperOther:
		return "Giấy tờ khác"
	}
	return string(p)
}

func (p PaperType) valid() bool {
	return p == PaperResult || p == PaperComponent || p == PaperOther
}

// DocumentCategory (danh mục giấy tờ) is an entry of the national result
// catalogue, e.g. KQ.G15.000031 Giấy khai sinh.
type DocumentCategory struct {
	Code      string // KQ.Gnn.nnnnnn, or KQ.DEMO.nnnnnn for local categories
	Name      string
	PaperType PaperType
	// ValidityMonths and ValidityDays are how long a document of this
	// category stays usable after its issue date (e.g. a judicial record
	// certificate: 6 months); at most one is set, and when both are 0 the
	// document does not expire by itself.
	ValidityMonths int
	ValidityDays   int
}

// Validate checks the category's fields.
func (c *DocumentCategory) Validate() error {
	if err := ValidateCategoryCode(c.Code); err != nil {
		return err
	}
	if strings.TrimSpace(c.Name) == "" {
		return Invalid("name", "required", "Tên danh mục giấy tờ không được để trống.")
	}
	if !c.PaperType.valid() {
		return Invalid("paper_type", "invalid_paper_type", "Loại giấy tờ phải là Kết quả giải quyết, Thành phần hồ sơ hoặc Giấy tờ khác.")
	}
	if c.ValidityDays < 0 || c.ValidityMonths < 0 {
		return Invalid("validity_days", "invalid_validity", "Thời hạn hiệu lực không được âm.")
	}
	if c.ValidityDays > 0 && c.ValidityMonths > 0 {
		return Invalid("validity_months", "invalid_validity", "Thời hạn hiệu lực tính theo tháng hoặc theo ngày, không cả hai.")
	}
	return nil
}

// ExpiryFor returns the date a document of this category issued on
// issued stops being valid, zero when it does not expire.
func (c *DocumentCategory) ExpiryFor(issued Date) Date {
	switch {
	case issued.IsZero():
		return Date{}
	case c.ValidityMonths > 0:
		return issued.AddMonths(c.ValidityMonths)
	case c.ValidityDays > 0:
		return issued.AddDays(c.ValidityDays)
	}
	return Date{}
}

// CategoryStore keeps the document catalogue.
type CategoryStore interface {
	// CreateCategory inserts c. ECONFLICT (category_exists) when the code is taken.
	CreateCategory(ctx context.Context, c *DocumentCategory) error
	// UpdateCategory replaces name, paper type and validity. ENOTFOUND when unknown.
	UpdateCategory(ctx context.Context, c *DocumentCategory) error
	// GetCategory returns ENOTFOUND (category_not_found) for an unknown code.
	GetCategory(ctx context.Context, code string) (*DocumentCategory, error)
	// ListCategories returns all categories ordered by code.
	ListCategories(ctx context.Context) ([]*DocumentCategory, error)
}
