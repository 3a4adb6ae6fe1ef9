package service

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/catalogue"
)

// CatalogueAdmin is the administration of the catalogue one entity at a
// time (/quan-tri/thu-tuc, /quan-tri/danh-muc, /quan-tri/co-quan and
// /api/v1/admin/{procedures,categories,agencies}). Every change goes
// through catalogue.Import with a one-entity document, so that the
// catalogue package's validation, versioning and audit (before/after, in
// the change's transaction) are the only ones.
//
// Scope:
//   - the province's administrator (AuthorizeProvince) manages everything;
//   - a district administrator manages the agencies of its subtree
//     (creates them under an agency of the subtree, renames them; it
//     cannot move its own agency) and the procedures whose handling
//     agencies are all in its subtree, before and after the change;
//   - document categories are province-wide: every administrator reads
//     them, only the province's administrator changes them.
//
// An entity outside the administrator's scope is ENOTFOUND, as if it did
// not exist, except for a change that would move a procedure or an agency
// out of the scope, which is EFORBIDDEN (outside_admin_scope).
type CatalogueAdmin struct {
	store motcua.Store
}

// NewCatalogueAdmin builds the service.
func NewCatalogueAdmin(store motcua.Store) *CatalogueAdmin {
	return &CatalogueAdmin{store: store}
}

// catalogueScope is what an administrator may change: everything, or the
// agencies of a subtree.
type catalogueScope struct {
	province bool
	root     string
	agencies map[string]bool
}

func (sc *catalogueScope) agency(code string) bool { return sc.province || sc.agencies[code] }

// procedure reports whether every handling agency is in the scope; a
// procedure without agencies is the province's.
func (sc *catalogueScope) procedure(agencies []string) bool {
	if sc.province {
		return true
	}
	if len(agencies) == 0 {
		return false
	}
	for _, a := range agencies {
		if !sc.agencies[a] {
			return false
		}
	}
	return true
}

func (s *CatalogueAdmin) scope(ctx context.Context, st motcua.Store, p *motcua.Principal) (*catalogueScope, error) {
	if err := AuthorizeAt(ctx, st, p, OpManageCatalogue, ""); err != nil {
		return nil, err
	}
	if AuthorizeProvince(ctx, st, p, OpManageCatalogue) == nil {
		return &catalogueScope{province: true}, nil
	}
	sub, err := AgencySubtree(ctx, st, p.AgencyCode)
	if err != nil {
		return nil, err
	}
	sc := &catalogueScope{root: p.AgencyCode, agencies: make(map[string]bool, len(sub))}
	for _, a := range sub {
		sc.agencies[a.Code] = true
	}
	return sc, nil
}

// ProvinceWide reports whether p administers the whole catalogue (and so
// may change categories).
func (s *CatalogueAdmin) ProvinceWide(ctx context.Context, p *motcua.Principal) bool {
	sc, err := s.scope(ctx, s.store, p)
	return err == nil && sc.province
}

func outsideScope() error {
	return &motcua.Error{Kind: motcua.EFORBIDDEN, Code: "outside_admin_scope",
		Message: "Thay đổi này vượt ra ngoài phạm vi quản trị của bạn: chỉ được quản lý cơ quan thuộc đơn vị mình và thủ tục do các cơ quan đó giải quyết."}
}

// Agencies returns the agencies p manages, ordered by code.
func (s *CatalogueAdmin) Agencies(ctx context.Context, p *motcua.Principal) ([]catalogue.Agency, error) {
	sc, err := s.scope(ctx, s.store, p)
	if err != nil {
		return nil, err
	}
	all, err := s.store.ListAgencies(ctx, motcua.AgencyFilter{})
	if err != nil {
		return nil, err
	}
	var in []motcua.Agency
	for _, a := range all {
		if sc.agency(a.Code) {
			in = append(in, *a)
		}
	}
	return catalogue.FromDomain(in, nil, nil).Agencies, nil
}

// Agency returns one agency p manages.
func (s *CatalogueAdmin) Agency(ctx context.Context, p *motcua.Principal, code string) (catalogue.Agency, error) {
	sc, err := s.scope(ctx, s.store, p)
	if err != nil {
		return catalogue.Agency{}, err
	}
	a, err := s.store.GetAgency(ctx, code)
	if err != nil {
		return catalogue.Agency{}, err
	}
	if !sc.agency(a.Code) {
		return catalogue.Agency{}, motcua.NotFound("agency", code)
	}
	return catalogue.FromDomain([]motcua.Agency{*a}, nil, nil).Agencies[0], nil
}

// SaveAgency creates (create) or updates the agency a, by code. Errors:
// ECONFLICT (agency_exists) creating a code taken, ENOTFOUND updating an
// unknown one, EFORBIDDEN (outside_admin_scope) for a parent or a
// reception desk outside a district administrator's subtree or a move of
// its own agency, EINVALID
// (catalogue_invalid, with the catalogue's problems) for invalid data.
func (s *CatalogueAdmin) SaveAgency(ctx context.Context, p *motcua.Principal, a catalogue.Agency, create bool) (catalogue.Agency, error) {
	a.Code, a.Name, a.Parent, a.Level = strings.TrimSpace(a.Code), strings.TrimSpace(a.Name), strings.TrimSpace(a.Parent), strings.TrimSpace(a.Level)
	a.ReceptionDesk = strings.TrimSpace(a.ReceptionDesk)
	var out catalogue.Agency
	err := s.store.InTx(ctx, func(tx motcua.Store) error {
		sc, err := s.scope(ctx, tx, p)
		if err != nil {
			return err
		}
		old, err := tx.GetAgency(ctx, a.Code)
		switch {
		case err == nil && create:
			if !sc.agency(old.Code) {
				return outsideScope()
			}
			return motcua.Conflict("agency", a.Code)
		case err == nil && !sc.agency(old.Code):
			return motcua.NotFound("agency", a.Code)
		case err != nil && !(create && motcua.IsKind(err, motcua.ENOTFOUND)):
			return err
		}
		if !sc.province {
			if a.Parent == "" || !sc.agencies[a.Parent] {
				return outsideScope()
			}
			if old != nil && old.Code == sc.root && old.ParentCode != a.Parent {
				return outsideScope()
			}
			// A desk outside the subtree would hand the agency's dossiers
			// to another administration's officers.
			if a.ReceptionDesk != "" && !sc.agencies[a.ReceptionDesk] {
				return outsideScope()
			}
		}
		if err := s.importOne(ctx, tx, p, &catalogue.Document{Agencies: []catalogue.Agency{a}}, "agencies[0]"); err != nil {
			return err
		}
		saved, err := tx.GetAgency(ctx, a.Code)
		if err != nil {
			return err
		}
		out = catalogue.FromDomain([]motcua.Agency{*saved}, nil, nil).Agencies[0]
		return nil
	})
	return out, err
}

// Categories returns the document catalogue; any administrator reads it.
func (s *CatalogueAdmin) Categories(ctx context.Context, p *motcua.Principal) ([]catalogue.Category, error) {
	if _, err := s.scope(ctx, s.store, p); err != nil {
		return nil, err
	}
	all, err := s.store.ListCategories(ctx)
	if err != nil {
		return nil, err
	}
	in := make([]motcua.DocumentCategory, 0, len(all))
	for _, c := range all {
		in = append(in, *c)
	}
	return catalogue.FromDomain(nil, in, nil).Categories, nil
}

// Category returns one category.
func (s *CatalogueAdmin) Category(ctx context.Context, p *motcua.Principal, code string) (catalogue.Category, error) {
	if _, err := s.scope(ctx, s.store, p); err != nil {
		return catalogue.Category{}, err
	}
	c, err := s.store.GetCategory(ctx, code)
	if err != nil {
		return catalogue.Category{}, err
	}
	return catalogue.FromDomain(nil, []motcua.DocumentCategory{*c}, nil).Categories[0], nil
}

// SaveCategory creates or updates a category; only the province's
// administrator may (province_admin_only). Errors as SaveAgency.
func (s *CatalogueAdmin) SaveCategory(ctx context.Context, p *motcua.Principal, c catalogue.Category, create bool) (catalogue.Category, error) {
	c.Code, c.Name, c.PaperType = strings.TrimSpace(c.Code), strings.TrimSpace(c.Name), strings.TrimSpace(c.PaperType)
	var out catalogue.Category
	err := s.store.InTx(ctx, func(tx motcua.Store) error {
		if err := AuthorizeProvince(ctx, tx, p, OpManageCatalogue); err != nil {
			return err
		}
		_, err := tx.GetCategory(ctx, c.Code)
		switch {
		case err == nil && create:
			return motcua.Conflict("category", c.Code)
		case err != nil && !(create && motcua.IsKind(err, motcua.ENOTFOUND)):
			return err
		}
		if err := s.importOne(ctx, tx, p, &catalogue.Document{Categories: []catalogue.Category{c}}, "categories[0]"); err != nil {
			return err
		}
		saved, err := tx.GetCategory(ctx, c.Code)
		if err != nil {
			return err
		}
		out = catalogue.FromDomain(nil, []motcua.DocumentCategory{*saved}, nil).Categories[0]
		return nil
	})
	return out, err
}

// ProcedureSummary is a procedure of the list with its current version.
type ProcedureSummary struct {
	catalogue.Procedure
	Version int `json:"version"`
}

// Procedures returns the procedures p manages, ordered by code.
func (s *CatalogueAdmin) Procedures(ctx context.Context, p *motcua.Principal) ([]ProcedureSummary, error) {
	sc, err := s.scope(ctx, s.store, p)
	if err != nil {
		return nil, err
	}
	all, err := s.store.ListProcedures(ctx, "")
	if err != nil {
		return nil, err
	}
	var out []ProcedureSummary
	for _, pr := range all {
		if sc.procedure(pr.AgencyCodes) {
			out = append(out, procedureSummary(pr))
		}
	}
	return out, nil
}

func procedureSummary(p *motcua.Procedure) ProcedureSummary {
	return ProcedureSummary{Procedure: catalogue.FromDomain(nil, nil, []motcua.Procedure{*p}).Procedures[0], Version: p.Version}
}

// Procedure returns the current version of one procedure p manages.
func (s *CatalogueAdmin) Procedure(ctx context.Context, p *motcua.Principal, code string) (ProcedureSummary, error) {
	sc, err := s.scope(ctx, s.store, p)
	if err != nil {
		return ProcedureSummary{}, err
	}
	pr, err := s.store.GetProcedure(ctx, code)
	if err != nil {
		return ProcedureSummary{}, err
	}
	if !sc.procedure(pr.AgencyCodes) {
		return ProcedureSummary{}, motcua.NotFound("procedure", code)
	}
	return procedureSummary(pr), nil
}

// SaveProcedure creates or updates a procedure; a change makes a new
// version (drafts and dossiers keep theirs). A district administrator
// needs every handling agency in its subtree, before and after. Errors as
// SaveAgency.
func (s *CatalogueAdmin) SaveProcedure(ctx context.Context, p *motcua.Principal, pr catalogue.Procedure, create bool) (ProcedureSummary, error) {
	pr.Code = strings.TrimSpace(pr.Code)
	var out ProcedureSummary
	err := s.store.InTx(ctx, func(tx motcua.Store) error {
		sc, err := s.scope(ctx, tx, p)
		if err != nil {
			return err
		}
		old, err := tx.GetProcedure(ctx, pr.Code)
		switch {
		case err == nil && create:
			if !sc.procedure(old.AgencyCodes) {
				return outsideScope()
			}
			return motcua.Conflict("procedure", pr.Code)
		case err == nil && !sc.procedure(old.AgencyCodes):
			return motcua.NotFound("procedure", pr.Code)
		case err != nil && !(create && motcua.IsKind(err, motcua.ENOTFOUND)):
			return err
		}
		if !sc.procedure(pr.Agencies) {
			return outsideScope()
		}
		if err := s.importOne(ctx, tx, p, &catalogue.Document{Procedures: []catalogue.Procedure{pr}}, "procedures[0]"); err != nil {
			return err
		}
		saved, err := tx.GetProcedure(ctx, pr.Code)
		if err != nil {
			return err
		}
		out = procedureSummary(saved)
		return nil
	})
	return out, err
}

// importOne applies a one-entity document in tx, audited as p's change.
// A refusal is EINVALID (catalogue_invalid) wrapping a
// *catalogue.ValidationError whose paths are relative to the entity
// (prefix removed): "cases[0].components[1].accepted_categories[0]".
func (s *CatalogueAdmin) importOne(ctx context.Context, tx motcua.Store, p *motcua.Principal, d *catalogue.Document, prefix string) error {
	d.Format = catalogue.Format
	if d.Agencies == nil {
		d.Agencies = []catalogue.Agency{}
	}
	if d.Categories == nil {
		d.Categories = []catalogue.Category{}
	}
	if d.Procedures == nil {
		d.Procedures = []catalogue.Procedure{}
	}
	who := &motcua.AuditEvent{ActorKind: "officer", ActorID: p.ActorID(), AgencyCode: p.AgencyCode}
	_, err := catalogue.Import(ctx, tx, d, catalogue.Options{Audit: who})
	var verr *catalogue.ValidationError
	if errors.As(err, &verr) {
		return entityInvalid(verr, prefix)
	}
	return err
}

// entityInvalid rebases the problems of a one-entity document onto the
// entity and says them in Vietnamese.
func entityInvalid(verr *catalogue.ValidationError, prefix string) error {
	rel := &catalogue.ValidationError{}
	var lines []string
	field := ""
	for _, pr := range verr.Problems {
		path := strings.TrimPrefix(strings.TrimPrefix(pr.Path, prefix), ".")
		rel.Problems = append(rel.Problems, catalogue.Problem{Path: path, Reason: pr.Reason})
		if field == "" {
			field = path
		}
		msg := CatalogueReasonVI(pr.Reason)
		if path != "" {
			msg = path + ": " + msg
		}
		lines = append(lines, msg)
	}
	return &motcua.Error{Kind: motcua.EINVALID, Code: "catalogue_invalid", Field: field,
		Message: "Dữ liệu chưa hợp lệ: " + strings.Join(lines, "; "), Err: rel}
}

var reasonVI = []struct {
	re *regexp.Regexp
	vi string
}{
	{regexp.MustCompile(`^required$`), "Bắt buộc nhập."},
	{regexp.MustCompile(`^unsafe file name "(.*)"$`), "Tên tệp %q không hợp lệ: chỉ ghi tên tệp, không kèm thư mục."},
	{regexp.MustCompile(`^file type "(.*)" is not accepted for a form`), "Không nhận tệp mẫu đơn loại %q: chỉ nhận .doc, .docx, .odt, .rtf, .pdf, .xls, .xlsx, .ods."},
	{regexp.MustCompile(`^must not be negative$`), "Không được là số âm."},
	{regexp.MustCompile(`^unknown category (\S+)$`), "Không có loại giấy tờ %s trong danh mục."},
	{regexp.MustCompile(`^unknown agency (\S+)$`), "Không có cơ quan %s."},
	{regexp.MustCompile(`^invalid category code "(.*)"`), "Mã loại giấy tờ %q không hợp lệ (dạng KQ.Gnn.nnnnnn)."},
	{regexp.MustCompile(`^invalid agency code "(.*)"`), "Mã cơ quan %q không hợp lệ."},
	{regexp.MustCompile(`^invalid procedure code "(.*)"`), "Mã thủ tục %q không hợp lệ (ví dụ 1.003560 hoặc 1.003560.000.00.00.H56)."},
	{regexp.MustCompile(`^invalid level "(.*)"`), "Cấp %q không hợp lệ (tỉnh, huyện hoặc xã)."},
	{regexp.MustCompile(`^invalid online level "(.*)"`), "Mức độ trực tuyến %q không hợp lệ (toàn trình, một phần hoặc không)."},
	{regexp.MustCompile(`^invalid paper type "(.*)"`), "Loại giấy %q không hợp lệ (kết quả, thành phần hồ sơ hoặc khác)."},
	{regexp.MustCompile(`^invalid form "(.*)"`), "Hình thức %q không hợp lệ (bản chính hoặc bản sao)."},
	{regexp.MustCompile(`^a procedure needs at least one case$`), "Thủ tục cần ít nhất một trường hợp giải quyết."},
	{regexp.MustCompile(`^duplicate case (.*)$`), "Trùng mã trường hợp %s."},
	{regexp.MustCompile(`^duplicate component (.*)$`), "Trùng mã thành phần hồ sơ %s."},
	{regexp.MustCompile(`^validity_months and validity_days are exclusive$`), "Chỉ nhập thời hạn theo tháng hoặc theo ngày, không nhập cả hai."},
	{regexp.MustCompile(`^an agency cannot be its own parent$`), "Cơ quan không thể là cấp trên của chính nó."},
	{regexp.MustCompile(`^parent (\S+) makes a cycle`), "Chọn %s làm cấp trên tạo vòng lặp trong cây cơ quan."},
	{regexp.MustCompile(`^an agency receiving its own dossiers has no reception_desk$`), "Cơ quan tự tiếp nhận hồ sơ của mình thì để trống bộ phận tiếp nhận."},
	{regexp.MustCompile(`^reception desk (\S+) is itself received at`), "Hồ sơ của cơ quan %s được tiếp nhận ở bộ phận một cửa khác: hãy chọn cơ quan có bộ phận tiếp nhận của chính mình."},
}

// CatalogueReasonVI says a catalogue validation reason (English, as the
// import command prints it) in Vietnamese; the domain's own reasons are
// Vietnamese already and pass through.
func CatalogueReasonVI(reason string) string {
	for _, r := range reasonVI {
		if m := r.re.FindStringSubmatch(reason); m != nil {
			if len(m) > 1 {
				return fmt.Sprintf(r.vi, m[1])
			}
			return r.vi
		}
	}
	return reason
}
