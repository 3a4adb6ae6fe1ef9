package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/catalogue"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// The catalogue's administration pages: procedures (/quan-tri/thu-tuc),
// document categories (/quan-tri/danh-muc) and agencies
// (/quan-tri/co-quan). Forms are named after the JSON paths of the
// catalogue document's entity ("cases[0].processing_days"), so that the
// catalogue's refusals, which name those paths, land next to their field.
// The service (service.CatalogueAdmin) decides the scope and goes through
// the catalogue import; nothing here validates a procedure.

// catalogueAdminPages are the templates of these pages.
var catalogueAdminPages = []string{"admin_procedures", "admin_procedure", "admin_categories", "admin_agencies"}

// formProblem is one message of a refused form.
type formProblem struct {
	Field   string // the form field (JSON path), "" for the whole entity
	Message string
}

// formErrors collects a refused form's messages, by field and in order.
type formErrors struct {
	List    []formProblem
	ByField map[string]string
}

func (e *formErrors) add(field, msg string) {
	if e.ByField == nil {
		e.ByField = map[string]string{}
	}
	e.List = append(e.List, formProblem{Field: field, Message: msg})
	if _, ok := e.ByField[field]; !ok {
		e.ByField[field] = msg
	}
}

func (e *formErrors) empty() bool { return len(e.List) == 0 }

// fromError fills e from a service error; rows maps the document's list
// indexes back to the form's rows (blank rows are left out of the
// document). It reports false for errors a form cannot show (refusals of
// the page itself, failures).
func (e *formErrors) fromError(err error, rows map[string][]int) bool {
	var verr *catalogue.ValidationError
	if errors.As(err, &verr) {
		for _, p := range verr.Problems {
			e.add(formPath(p.Path, rows), service.CatalogueReasonVI(p.Reason))
		}
		return true
	}
	if motcua.IsKind(err, motcua.EINVALID) || motcua.IsKind(err, motcua.ECONFLICT) || motcua.ErrorCode(err) == "outside_admin_scope" {
		field := ""
		var me *motcua.Error
		if errors.As(err, &me) {
			field = me.Field
		}
		e.add(field, motcua.ErrorMessage(err))
		return true
	}
	return false
}

var listIndex = regexp.MustCompile(`^(cases|components|fees)\[(\d+)\]`)

// formPath maps a path of the document to the form's field name.
func formPath(path string, rows map[string][]int) string {
	m := listIndex.FindStringSubmatchIndex(path)
	if m == nil {
		return path
	}
	list := path[m[2]:m[3]]
	i, _ := strconv.Atoi(path[m[4]:m[5]])
	if i < len(rows[list]) {
		return fmt.Sprintf("%s[%d]%s", list, rows[list][i], path[m[1]:])
	}
	return path
}

// fieldLabel names a form field in Vietnamese for the list of messages.
func fieldLabel(path string) string {
	labels := map[string]string{"code": "Mã", "name": "Tên", "field": "Lĩnh vực", "levels": "Cấp thực hiện", "online_level": "Mức độ trực tuyến",
		"agencies": "Cơ quan giải quyết", "cases": "Trường hợp giải quyết", "components": "Thành phần hồ sơ", "result_category": "Loại giấy tờ kết quả",
		"fees": "Phí, lệ phí", "legal_basis": "Căn cứ pháp lý", "processing_days": "số ngày giải quyết", "required": "bắt buộc",
		"form": "hình thức", "originals": "số bản chính", "copies": "số bản sao", "accepted_categories": "loại giấy tờ chấp nhận",
		"amount_vnd": "số tiền", "note": "ghi chú", "paper_type": "Loại giấy", "validity_months": "Thời hạn (tháng)",
		"validity_days": "Thời hạn (ngày)", "level": "Cấp", "parent": "Cơ quan cấp trên", "form_template": "mẫu đơn, tờ khai"}
	if path == "" {
		return ""
	}
	var parts []string
	for _, seg := range strings.Split(path, ".") {
		name, idx, _ := strings.Cut(seg, "[")
		l := labels[name]
		if l == "" {
			l = name
		}
		if idx != "" {
			n, _ := strconv.Atoi(strings.TrimSuffix(idx, "]"))
			l += fmt.Sprintf(" %d", n+1)
		}
		parts = append(parts, l)
	}
	return strings.Join(parts, " › ")
}

var (
	levelLabels = []option{{"province", "Cấp tỉnh"}, {"district", "Cấp huyện"}, {"commune", "Cấp xã"}}
	onlineLabel = []option{{"full", "Toàn trình"}, {"partial", "Một phần"}, {"none", "Không trực tuyến"}}
	paperLabels = []option{{"result", "Kết quả giải quyết thủ tục hành chính"}, {"component", "Thành phần hồ sơ"}, {"other", "Khác"}}
)

type option struct{ Value, Label string }

// --- Procedures ---

type proceduresAdminPage struct {
	Title      string
	Procedures []service.ProcedureSummary
	Saved      string
}

func (p proceduresAdminPage) title() string { return p.Title }

func (s *Server) adminProceduresPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Catalogue.Procedures(r.Context(), principal(r))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_procedures", proceduresAdminPage{Title: "Thủ tục hành chính", Procedures: list,
		Saved: r.URL.Query().Get("da-luu")})
}

// procedureRows are the form's rows, the stored ones and a few blank ones.
type componentRow struct {
	catalogue.Component
	Index      int
	Categories string // accepted categories, comma separated
}

type procedureFormPage struct {
	Title      string
	New        bool
	Version    int
	P          catalogue.Procedure
	Cases      []catalogue.Case
	Components []componentRow
	Fees       []catalogue.Fee
	Agencies   []catalogue.Agency
	Categories []catalogue.Category
	Levels     []option
	Online     []option
	Errors     formErrors
}

func (p procedureFormPage) title() string { return p.Title }

// checked reports whether v is in list (levels, agencies ticked).
func (p procedureFormPage) Has(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (p procedureFormPage) Err(field string) string { return p.Errors.ByField[field] }

func (p procedureFormPage) Label(field string) string { return fieldLabel(field) }

const blankRows = 2

func (s *Server) renderProcedureForm(w http.ResponseWriter, r *http.Request, status int, page procedureFormPage) {
	ctx, pr := r.Context(), principal(r)
	var err error
	if page.Agencies, err = s.cfg.Catalogue.Agencies(ctx, pr); err != nil {
		s.renderError(w, r, err)
		return
	}
	if page.Categories, err = s.cfg.Catalogue.Categories(ctx, pr); err != nil {
		s.renderError(w, r, err)
		return
	}
	page.Levels, page.Online = levelLabels, onlineLabel
	page.Cases = append(page.P.Cases, make([]catalogue.Case, blankRows)...)
	for i, c := range append(page.P.Components, make([]catalogue.Component, blankRows)...) {
		if c.Form == "" {
			c.Form = string(motcua.FormCopy)
		}
		page.Components = append(page.Components, componentRow{Component: c, Index: i, Categories: strings.Join(c.AcceptedCategories, ", ")})
	}
	page.Fees = append(page.P.Fees, make([]catalogue.Fee, blankRows)...)
	if page.New {
		page.Title = "Thêm thủ tục hành chính"
	} else {
		page.Title = "Sửa thủ tục " + page.P.Code
	}
	s.render(w, r, status, "admin_procedure", page)
}

func (s *Server) newProcedurePage(w http.ResponseWriter, r *http.Request) {
	s.renderProcedureForm(w, r, http.StatusOK, procedureFormPage{New: true, P: catalogue.Procedure{OnlineLevel: "full"}})
}

func (s *Server) editProcedurePage(w http.ResponseWriter, r *http.Request) {
	p, err := s.cfg.Catalogue.Procedure(r.Context(), principal(r), r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderProcedureForm(w, r, http.StatusOK, procedureFormPage{P: p.Procedure, Version: p.Version})
}

// parseProcedureForm reads the form into a procedure, leaving out blank
// rows; rows maps the document's indexes to the form's.
func parseProcedureForm(f url.Values, errs *formErrors) (catalogue.Procedure, map[string][]int) {
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	num := func(k string) int {
		v := get(k)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			errs.add(k, "Phải là một số nguyên.")
		}
		return n
	}
	p := catalogue.Procedure{Code: get("code"), Name: get("name"), Field: get("field"), OnlineLevel: get("online_level"),
		Levels: f["levels"], Agencies: f["agencies"], ResultCategory: get("result_category"), LegalBasis: get("legal_basis"),
		Cases: []catalogue.Case{}, Components: []catalogue.Component{}, Fees: []catalogue.Fee{}}
	if p.Levels == nil {
		p.Levels = []string{}
	}
	if p.Agencies == nil {
		p.Agencies = []string{}
	}
	rows := map[string][]int{}
	for i := 0; i < 200 && f.Has(fmt.Sprintf("cases[%d].code", i)); i++ {
		k := fmt.Sprintf("cases[%d].", i)
		if get(k+"code") == "" && get(k+"name") == "" && get(k+"processing_days") == "" {
			continue
		}
		p.Cases = append(p.Cases, catalogue.Case{Code: get(k + "code"), Name: get(k + "name"), ProcessingDays: num(k + "processing_days")})
		rows["cases"] = append(rows["cases"], i)
	}
	for i := 0; i < 200 && f.Has(fmt.Sprintf("components[%d].code", i)); i++ {
		k := fmt.Sprintf("components[%d].", i)
		if get(k+"code") == "" && get(k+"name") == "" && get(k+"accepted_categories") == "" {
			continue
		}
		c := catalogue.Component{Code: get(k + "code"), Name: get(k + "name"), Required: f.Get(k+"required") != "",
			Form: get(k + "form"), Originals: num(k + "originals"), Copies: num(k + "copies"), MaxDocuments: num(k + "max_documents"), AllowScan: f.Get(k+"allow_scan") != "",
			FormTemplate: get(k + "form_template"), FormTemplateSHA256: get(k + "form_template_sha256")}
		for _, code := range strings.FieldsFunc(get(k+"accepted_categories"), func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			c.AcceptedCategories = append(c.AcceptedCategories, code)
		}
		p.Components = append(p.Components, c)
		rows["components"] = append(rows["components"], i)
	}
	for i := 0; i < 200 && f.Has(fmt.Sprintf("fees[%d].name", i)); i++ {
		k := fmt.Sprintf("fees[%d].", i)
		if get(k+"name") == "" && get(k+"amount_vnd") == "" {
			continue
		}
		amount := int64(num(k + "amount_vnd"))
		p.Fees = append(p.Fees, catalogue.Fee{Name: get(k + "name"), AmountVND: amount, Note: get(k + "note")})
		rows["fees"] = append(rows["fees"], i)
	}
	return p, rows
}

func (s *Server) saveProcedure(create bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := parseForm(w, r); err != nil {
			s.renderError(w, r, err)
			return
		}
		ctx, pr := r.Context(), principal(r)
		var errs formErrors
		s.uploadFormTemplates(r, &errs)
		p, rows := parseProcedureForm(r.PostForm, &errs)
		version := 0
		if !create {
			p.Code = r.PathValue("code")
			// The form edits the components of the procedure; those a case
			// has of its own are kept.
			old, err := s.cfg.Catalogue.Procedure(ctx, pr, p.Code)
			if err != nil {
				s.renderError(w, r, err)
				return
			}
			version = old.Version
			for i, c := range p.Cases {
				for _, oc := range old.Cases {
					if oc.Code == c.Code {
						p.Cases[i].Components = oc.Components
					}
				}
			}
		}
		status := http.StatusUnprocessableEntity
		if errs.empty() {
			saved, err := s.cfg.Catalogue.SaveProcedure(ctx, pr, p, create)
			if err == nil {
				http.Redirect(w, r, "/quan-tri/thu-tuc?da-luu="+url.QueryEscape(fmt.Sprintf("%s (phiên bản %d)", saved.Code, saved.Version)), http.StatusSeeOther)
				return
			}
			if !errs.fromError(err, rows) {
				s.renderError(w, r, err)
				return
			}
			status = httpx.Status(err)
		}
		// The form's rows, blank ones included, as the user left them.
		shown := formRows(r.PostForm, p)
		s.renderProcedureForm(w, r, status, procedureFormPage{New: create, P: shown, Version: version, Errors: errs})
	}
}

// uploadFormTemplates stores the blank forms uploaded with the procedure
// form (components[i].form_file) and writes their name and SHA-256 into
// the form's components[i].form_template and form_template_sha256, as if
// the administrator had typed them; a refused file is a message next to
// the component's form_template.
func (s *Server) uploadFormTemplates(r *http.Request, errs *formErrors) {
	if r.MultipartForm == nil {
		return
	}
	for i := 0; i < 200 && r.PostForm.Has(fmt.Sprintf("components[%d].code", i)); i++ {
		k := fmt.Sprintf("components[%d].", i)
		files := r.MultipartForm.File[k+"form_file"]
		if len(files) == 0 || files[0].Filename == "" {
			continue
		}
		fh := files[0]
		name := strings.TrimSpace(r.PostForm.Get(k + "form_template"))
		if name == "" {
			name = path.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
		}
		if err := catalogue.CheckTemplateName(name); err != nil {
			errs.add(k+"form_template", service.CatalogueReasonVI(err.Error()))
			continue
		}
		if ext := strings.ToLower(path.Ext(fh.Filename)); ext != strings.ToLower(path.Ext(name)) {
			errs.add(k+"form_template", fmt.Sprintf("Tệp tải lên (%s) khác loại với tên mẫu đơn %s.", fh.Filename, name))
			continue
		}
		if fh.Size > catalogue.MaxTemplateSize {
			errs.add(k+"form_template", fmt.Sprintf("Tệp mẫu đơn quá lớn (tối đa %d MB).", catalogue.MaxTemplateSize>>20))
			continue
		}
		f, err := fh.Open()
		if err != nil {
			errs.add(k+"form_template", "Không đọc được tệp tải lên.")
			continue
		}
		sum, err := catalogue.PutTemplate(r.Context(), s.cfg.Blobs, f)
		f.Close()
		if err != nil {
			errs.add(k+"form_template", motcua.ErrorMessage(err))
			continue
		}
		r.PostForm.Set(k+"form_template", name)
		r.PostForm.Set(k+"form_template_sha256", sum)
	}
}

// formRows is the procedure as the form showed it: every row the user
// sent, blank ones included, so that messages stay next to their row.
func formRows(f url.Values, p catalogue.Procedure) catalogue.Procedure {
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	atoi := func(k string) int { n, _ := strconv.Atoi(get(k)); return n }
	out := p
	out.Cases, out.Components, out.Fees = nil, nil, nil
	for i := 0; i < 200 && f.Has(fmt.Sprintf("cases[%d].code", i)); i++ {
		k := fmt.Sprintf("cases[%d].", i)
		out.Cases = append(out.Cases, catalogue.Case{Code: get(k + "code"), Name: get(k + "name"), ProcessingDays: atoi(k + "processing_days")})
	}
	for i := 0; i < 200 && f.Has(fmt.Sprintf("components[%d].code", i)); i++ {
		k := fmt.Sprintf("components[%d].", i)
		c := catalogue.Component{Code: get(k + "code"), Name: get(k + "name"), Required: f.Get(k+"required") != "", Form: get(k + "form"),
			Originals: atoi(k + "originals"), Copies: atoi(k + "copies"), MaxDocuments: atoi(k + "max_documents"), AllowScan: f.Get(k+"allow_scan") != "", FormTemplate: get(k + "form_template"),
			FormTemplateSHA256: get(k + "form_template_sha256")}
		for _, code := range strings.FieldsFunc(get(k+"accepted_categories"), func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			c.AcceptedCategories = append(c.AcceptedCategories, code)
		}
		out.Components = append(out.Components, c)
	}
	for i := 0; i < 200 && f.Has(fmt.Sprintf("fees[%d].name", i)); i++ {
		k := fmt.Sprintf("fees[%d].", i)
		out.Fees = append(out.Fees, catalogue.Fee{Name: get(k + "name"), AmountVND: int64(atoi(k + "amount_vnd")), Note: get(k + "note")})
	}
	// Trailing blank rows come back from renderProcedureForm.
	for len(out.Cases) > 0 && isBlankCase(out.Cases[len(out.Cases)-1]) {
		out.Cases = out.Cases[:len(out.Cases)-1]
	}
	for len(out.Components) > 0 && isBlankComponent(out.Components[len(out.Components)-1]) {
		out.Components = out.Components[:len(out.Components)-1]
	}
	for len(out.Fees) > 0 && out.Fees[len(out.Fees)-1] == (catalogue.Fee{}) {
		out.Fees = out.Fees[:len(out.Fees)-1]
	}
	return out
}

func isBlankCase(c catalogue.Case) bool {
	return c.Code == "" && c.Name == "" && c.ProcessingDays == 0
}

func isBlankComponent(c catalogue.Component) bool {
	return c.Code == "" && c.Name == "" && len(c.AcceptedCategories) == 0
}

// --- Categories ---

type categoriesAdminPage struct {
	Title      string
	Categories []catalogue.Category
	Form       catalogue.Category
	Editing    bool
	CanEdit    bool
	Papers     []option
	Errors     formErrors
	Saved      string
}

func (p categoriesAdminPage) title() string { return p.Title }

func (p categoriesAdminPage) Err(field string) string { return p.Errors.ByField[field] }

func (p categoriesAdminPage) Label(field string) string { return fieldLabel(field) }

func (p categoriesAdminPage) PaperLabel(v string) string { return optionLabel(paperLabels, v) }

func optionLabel(opts []option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

func (s *Server) renderCategories(w http.ResponseWriter, r *http.Request, status int, page categoriesAdminPage) {
	ctx, pr := r.Context(), principal(r)
	list, err := s.cfg.Catalogue.Categories(ctx, pr)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page.Categories, page.Papers = list, paperLabels
	page.CanEdit = s.cfg.Catalogue.ProvinceWide(ctx, pr)
	page.Title = "Danh mục giấy tờ"
	if page.Editing {
		page.Title = "Sửa loại giấy tờ " + page.Form.Code
	}
	s.render(w, r, status, "admin_categories", page)
}

func (s *Server) adminCategoriesPage(w http.ResponseWriter, r *http.Request) {
	s.renderCategories(w, r, http.StatusOK, categoriesAdminPage{Form: catalogue.Category{PaperType: "result"}, Saved: r.URL.Query().Get("da-luu")})
}

func (s *Server) editCategoryPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.cfg.Catalogue.Category(r.Context(), principal(r), r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderCategories(w, r, http.StatusOK, categoriesAdminPage{Form: c, Editing: true})
}

func (s *Server) saveCategory(create bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := parseForm(w, r); err != nil {
			s.renderError(w, r, err)
			return
		}
		var errs formErrors
		status := http.StatusUnprocessableEntity
		num := func(k string) int {
			v := strings.TrimSpace(r.PostForm.Get(k))
			if v == "" {
				return 0
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				errs.add(k, "Phải là một số nguyên.")
			}
			return n
		}
		c := catalogue.Category{Code: strings.TrimSpace(r.PostForm.Get("code")), Name: strings.TrimSpace(r.PostForm.Get("name")),
			PaperType: r.PostForm.Get("paper_type"), ValidityMonths: num("validity_months"), ValidityDays: num("validity_days")}
		if !create {
			c.Code = r.PathValue("code")
		}
		if errs.empty() {
			saved, err := s.cfg.Catalogue.SaveCategory(r.Context(), principal(r), c, create)
			if err == nil {
				http.Redirect(w, r, "/quan-tri/danh-muc?da-luu="+url.QueryEscape(saved.Code), http.StatusSeeOther)
				return
			}
			if motcua.ErrorCode(err) == "province_admin_only" || !errs.fromError(err, nil) {
				s.renderError(w, r, err)
				return
			}
			status = httpx.Status(err)
		}
		s.renderCategories(w, r, status, categoriesAdminPage{Form: c, Editing: !create, Errors: errs})
	}
}

// --- Agencies ---

type agencyRow struct {
	catalogue.Agency
	Depth int
}

type agenciesAdminPage struct {
	Title    string
	Tree     []agencyRow
	Agencies []catalogue.Agency
	Form     catalogue.Agency
	Editing  bool
	Levels   []option
	Errors   formErrors
	Saved    string
}

func (p agenciesAdminPage) title() string { return p.Title }

func (p agenciesAdminPage) Err(field string) string { return p.Errors.ByField[field] }

func (p agenciesAdminPage) Label(field string) string { return fieldLabel(field) }

func (p agenciesAdminPage) LevelLabel(v string) string { return optionLabel(levelLabels, v) }

// Indent is the tree's indentation of a row.
func (a agencyRow) Indent() string { return strings.Repeat("— ", a.Depth) }

// agencyTree orders agencies parents first, children under them by code.
func agencyTree(list []catalogue.Agency) []agencyRow {
	in := map[string]bool{}
	for _, a := range list {
		in[a.Code] = true
	}
	children := map[string][]catalogue.Agency{}
	var roots []catalogue.Agency
	for _, a := range list {
		if a.Parent == "" || !in[a.Parent] {
			roots = append(roots, a)
		} else {
			children[a.Parent] = append(children[a.Parent], a)
		}
	}
	var out []agencyRow
	var walk func(a catalogue.Agency, depth int)
	walk = func(a catalogue.Agency, depth int) {
		out = append(out, agencyRow{Agency: a, Depth: depth})
		if depth > 16 {
			return
		}
		for _, c := range children[a.Code] {
			walk(c, depth+1)
		}
	}
	for _, a := range roots {
		walk(a, 0)
	}
	return out
}

func (s *Server) renderAgencies(w http.ResponseWriter, r *http.Request, status int, page agenciesAdminPage) {
	list, err := s.cfg.Catalogue.Agencies(r.Context(), principal(r))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page.Agencies, page.Tree, page.Levels = list, agencyTree(list), levelLabels
	page.Title = "Cơ quan, đơn vị"
	if page.Editing {
		page.Title = "Sửa cơ quan " + page.Form.Code
	}
	s.render(w, r, status, "admin_agencies", page)
}

func (s *Server) adminAgenciesPage(w http.ResponseWriter, r *http.Request) {
	s.renderAgencies(w, r, http.StatusOK, agenciesAdminPage{Form: catalogue.Agency{Level: "commune", Parent: principal(r).AgencyCode},
		Saved: r.URL.Query().Get("da-luu")})
}

func (s *Server) editAgencyPage(w http.ResponseWriter, r *http.Request) {
	a, err := s.cfg.Catalogue.Agency(r.Context(), principal(r), r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderAgencies(w, r, http.StatusOK, agenciesAdminPage{Form: a, Editing: true})
}

func (s *Server) saveAgency(create bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := parseForm(w, r); err != nil {
			s.renderError(w, r, err)
			return
		}
		a := catalogue.Agency{Code: strings.TrimSpace(r.PostForm.Get("code")), Name: strings.TrimSpace(r.PostForm.Get("name")),
			Level: r.PostForm.Get("level"), Parent: r.PostForm.Get("parent"), ReceptionDesk: strings.TrimSpace(r.PostForm.Get("reception_desk"))}
		if !create {
			a.Code = r.PathValue("code")
		}
		saved, err := s.cfg.Catalogue.SaveAgency(r.Context(), principal(r), a, create)
		if err == nil {
			http.Redirect(w, r, "/quan-tri/co-quan?da-luu="+url.QueryEscape(saved.Code), http.StatusSeeOther)
			return
		}
		var errs formErrors
		if !errs.fromError(err, nil) {
			s.renderError(w, r, err)
			return
		}
		s.renderAgencies(w, r, httpx.Status(err), agenciesAdminPage{Form: a, Editing: !create, Errors: errs})
	}
}
