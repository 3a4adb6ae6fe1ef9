package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

const warehouseTitle = "Kho dữ liệu cá nhân, tổ chức"

// perPage is the warehouse list's page size.
const perPage = 20

type warehouseSearch struct {
	Name, Code, DecisionNumber, OwnerName, OwnerID, Summary string
}

func (q warehouseSearch) query(page int) string {
	v := url.Values{}
	for k, s := range map[string]string{"name": q.Name, "code": q.Code, "decision_number": q.DecisionNumber,
		"owner_name": q.OwnerName, "owner_id": q.OwnerID, "summary": q.Summary} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/kho-du-lieu"
	}
	return "/kho-du-lieu?" + v.Encode()
}

type warehouseRow struct {
	No       int
	Doc      *motcua.Document
	Category string
}

type warehousePage struct {
	Title      string
	Feedback   bool // the "Phản ánh" action is offered
	Search     warehouseSearch
	Rows       []warehouseRow
	Total      int
	Page       int
	Pages      int
	PrevURL    string
	NextURL    string
	Notice     string
	Categories map[string]string
}

func (p warehousePage) title() string { return p.Title }

func (s *Server) categoryNames(r *http.Request) (map[string]string, []*motcua.DocumentCategory, error) {
	cats, err := s.cfg.Store.ListCategories(r.Context())
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(cats))
	for _, c := range cats {
		names[c.Code] = c.Name
	}
	return names, cats, nil
}

// requireCitizen sends visitors to the login page and refuses officers,
// whose access to warehouses goes through dossiers.
func (s *Server) requireCitizen(w http.ResponseWriter, r *http.Request) bool {
	if !requireLogin(w, r, "/auth/login") {
		return false
	}
	if principal(r).Kind == motcua.PrincipalOfficer {
		s.renderError(w, r, motcua.Errorf(motcua.EFORBIDDEN, "forbidden",
			"Kho dữ liệu cá nhân, tổ chức dành cho công dân, tổ chức; cán bộ xem giấy tờ trong kho qua hồ sơ đang giải quyết."))
		return false
	}
	return true
}

func (s *Server) warehouseList(w http.ResponseWriter, r *http.Request) {
	if !s.requireCitizen(w, r) {
		return
	}
	q := r.URL.Query()
	search := warehouseSearch{Name: q.Get("name"), Code: q.Get("code"), DecisionNumber: q.Get("decision_number"),
		OwnerName: q.Get("owner_name"), OwnerID: q.Get("owner_id"), Summary: q.Get("summary")}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	docs, total, err := s.cfg.Warehouse.List(r.Context(), principal(r), motcua.DocumentFilter{Name: search.Name, Code: search.Code,
		DecisionNumber: search.DecisionNumber, OwnerName: search.OwnerName, OwnerID: search.OwnerID, Summary: search.Summary,
		Limit: perPage, Offset: (page - 1) * perPage})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	names, _, err := s.categoryNames(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := warehousePage{Title: warehouseTitle, Search: search, Total: total, Page: page, Pages: (total + perPage - 1) / perPage,
		Notice: noticeText(q.Get("tb")), Feedback: s.cfg.Feedback != nil}
	for i, d := range docs {
		p.Rows = append(p.Rows, warehouseRow{No: (page-1)*perPage + i + 1, Doc: d, Category: names[d.CategoryCode]})
	}
	if page > 1 {
		p.PrevURL = search.query(page - 1)
	}
	if page < p.Pages {
		p.NextURL = search.query(page + 1)
	}
	s.render(w, r, http.StatusOK, "warehouse", p)
}

// noticeText turns a post-redirect notice key into its message.
func noticeText(key string) string {
	switch key {
	case "them":
		return "Đã cập nhật tệp tin vào Kho dữ liệu cá nhân, tổ chức."
	case "sua":
		return "Đã cập nhật thông tin giấy tờ."
	case "tep":
		return "Đã thay tệp tin; tệp tin cũ được lưu trong lịch sử."
	case "rut":
		return "Đã rút giấy tờ khỏi kho."
	case "phan-anh":
		return "Đã gửi phản ánh đến cơ quan cấp; giấy tờ ở trạng thái “Đang phản ánh” cho đến khi có trả lời."
	}
	return ""
}

type addForm struct {
	PaperType, Category, Name, DecisionNumber, Summary, IssueDate string
	Visible, Shared                                               bool
}

type addPage struct {
	Title      string
	Form       addForm
	Categories []*motcua.DocumentCategory
	PaperTypes []motcua.PaperType
	Error      string
	Reason     string
	Field      string
	MaxMB      int64
	Samples    bool
}

func (p addPage) title() string { return p.Title }

func (s *Server) addPage(w http.ResponseWriter, r *http.Request, form addForm, status int, err error) {
	_, cats, cerr := s.categoryNames(r)
	if cerr != nil {
		s.renderError(w, r, cerr)
		return
	}
	p := addPage{Title: "Cập nhật dữ liệu kho cá nhân, tổ chức", Form: form, Categories: cats,
		PaperTypes: []motcua.PaperType{motcua.PaperResult, motcua.PaperComponent, motcua.PaperOther},
		MaxMB:      s.cfg.Warehouse.MaxFileSize() >> 20, Samples: s.cfg.Samples != nil}
	if err != nil {
		p.Error, p.Field = motcua.ErrorMessage(err), fieldOf(err)
		if p.Field == "file" {
			p.Reason = motcua.ErrorCode(err)
		}
	}
	s.render(w, r, status, "warehouse_add", p)
}

func (s *Server) warehouseAddPage(w http.ResponseWriter, r *http.Request) {
	if !s.requireCitizen(w, r) {
		return
	}
	s.addPage(w, r, addForm{PaperType: string(motcua.PaperResult), Visible: true, Shared: true}, http.StatusOK, nil)
}

// formUpload reads the "file" field of a multipart form.
func (s *Server) formUpload(w http.ResponseWriter, r *http.Request) (service.Upload, error) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return service.Upload{}, motcua.Invalid("file", "file_required", "Vui lòng chọn tệp tin PDF đã ký số.")
	}
	defer f.Close()
	return s.cfg.Warehouse.ReadUpload(hdr.Filename, f)
}

// parseMultipart bounds and parses an upload form.
func (s *Server) parseMultipart(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.Warehouse.MaxFileSize()+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		return &motcua.Error{Kind: motcua.EINVALID, Code: "too_large", Field: "file",
			Message: fmt.Sprintf("Tệp tin vượt quá dung lượng cho phép (tối đa %d MB).", s.cfg.Warehouse.MaxFileSize()>>20)}
	}
	return nil
}

func (s *Server) warehouseAdd(w http.ResponseWriter, r *http.Request) {
	if !s.requireCitizen(w, r) {
		return
	}
	perr := s.parseMultipart(w, r)
	form := addForm{PaperType: r.FormValue("paper_type"), Category: r.FormValue("category"), Name: r.FormValue("name"),
		DecisionNumber: r.FormValue("decision_number"), Summary: r.FormValue("summary"), IssueDate: r.FormValue("issue_date"),
		Visible: r.FormValue("visible") == "on", Shared: r.FormValue("shared") == "on"}
	fail := func(err error) {
		if httpx.Status(err) >= 500 {
			s.renderError(w, r, err)
			return
		}
		s.addPage(w, r, form, httpx.Status(err), err)
	}
	if perr != nil {
		fail(perr)
		return
	}
	issued, err := parseFormDate("issue_date", form.IssueDate)
	if err != nil {
		fail(err)
		return
	}
	up, err := s.formUpload(w, r)
	if err != nil {
		fail(err)
		return
	}
	d, _, err := s.cfg.Warehouse.Add(r.Context(), principal(r), service.NewDocument{PaperType: motcua.PaperType(form.PaperType),
		CategoryCode: form.Category, Name: form.Name, DecisionNumber: form.DecisionNumber, Summary: form.Summary,
		IssuedOn: issued, Visible: form.Visible, Shared: form.Shared, File: up})
	if err != nil {
		fail(err)
		return
	}
	http.Redirect(w, r, "/kho-du-lieu/"+d.ID+"?tb=them", http.StatusSeeOther)
}

type detailPage struct {
	Title     string
	Doc       *motcua.Document
	Category  string
	Issuer    string
	Versions  []motcua.DocumentVersion
	Uses      []service.DataUse // "Ai đã sử dụng dữ liệu của tôi"
	VerifyURL string
	Notice    string
	Error     string
	Reason    string
	Feedback  *documentFeedback
}

func (p detailPage) title() string { return p.Title }

func (s *Server) detail(w http.ResponseWriter, r *http.Request, id string, status int, notice string, formErr error) {
	ctx, p := r.Context(), principal(r)
	d, err := s.cfg.Warehouse.Get(ctx, p, id, service.Access{})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	vs, err := s.cfg.Warehouse.Versions(ctx, p, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	uses, err := s.cfg.Warehouse.DataUses(ctx, p, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	fb, err := s.documentFeedback(r, d)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page := detailPage{Title: d.Name, Doc: d, Versions: vs, Uses: uses, Notice: notice,
		VerifyURL: s.cfg.PublicURL + "/verify/" + url.PathEscape(d.Code), Feedback: fb}
	if c, err := s.cfg.Store.GetCategory(ctx, d.CategoryCode); err == nil {
		page.Category = c.Name
	}
	if d.IssuerCode != "" {
		if a, err := s.cfg.Store.GetAgency(ctx, d.IssuerCode); err == nil {
			page.Issuer = a.Name
		}
	}
	if formErr != nil {
		page.Error = motcua.ErrorMessage(formErr)
		if fieldOf(formErr) == "file" {
			page.Reason = motcua.ErrorCode(formErr)
		}
	}
	s.render(w, r, status, "warehouse_detail", page)
}

func (s *Server) warehouseDetail(w http.ResponseWriter, r *http.Request) {
	if !s.requireCitizen(w, r) {
		return
	}
	s.detail(w, r, r.PathValue("id"), http.StatusOK, noticeText(r.URL.Query().Get("tb")), nil)
}

func (s *Server) warehouseUpdate(w http.ResponseWriter, r *http.Request) {
	if !s.requireCitizen(w, r) {
		return
	}
	id := r.PathValue("id")
	d, err := s.cfg.Warehouse.Get(r.Context(), principal(r), id, service.Access{})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	visible, shared := r.PostFormValue("visible") == "on", r.PostFormValue("shared") == "on"
	u := service.DocumentUpdate{Visible: &visible, Shared: &shared}
	if d.Warehouse == motcua.WarehousePersonal {
		name, decision, summary := r.PostFormValue("name"), r.PostFormValue("decision_number"), r.PostFormValue("summary")
		u.Name, u.DecisionNumber, u.Summary = &name, &decision, &summary
	}
	if _, err := s.cfg.Warehouse.Update(r.Context(), principal(r), id, u); err != nil {
		if httpx.Status(err) >= 500 {
			s.renderError(w, r, err)
			return
		}
		s.detail(w, r, id, httpx.Status(err), "", err)
		return
	}
	http.Redirect(w, r, "/kho-du-lieu/"+id+"?tb=sua", http.StatusSeeOther)
}

func (s *Server) warehouseReplace(w http.ResponseWriter, r *http.Request) {
	if !s.requireCitizen(w, r) {
		return
	}
	id := r.PathValue("id")
	fail := func(err error) {
		if httpx.Status(err) >= 500 {
			s.renderError(w, r, err)
			return
		}
		s.detail(w, r, id, httpx.Status(err), "", err)
	}
	if err := s.parseMultipart(w, r); err != nil {
		fail(err)
		return
	}
	up, err := s.formUpload(w, r)
	if err != nil {
		fail(err)
		return
	}
	version, _ := strconv.Atoi(r.FormValue("version"))
	if _, _, err := s.cfg.Warehouse.Replace(r.Context(), principal(r), id, version, up); err != nil {
		fail(err)
		return
	}
	http.Redirect(w, r, "/kho-du-lieu/"+id+"?tb=tep", http.StatusSeeOther)
}

func (s *Server) warehouseWithdraw(w http.ResponseWriter, r *http.Request) {
	if !s.requireCitizen(w, r) {
		return
	}
	if r.PostFormValue("confirm") != "on" {
		s.detail(w, r, r.PathValue("id"), http.StatusUnprocessableEntity, "",
			motcua.Invalid("confirm", "confirmation_required", "Vui lòng đánh dấu ô xác nhận trước khi xóa giấy tờ khỏi kho."))
		return
	}
	if err := s.cfg.Warehouse.Withdraw(r.Context(), principal(r), r.PathValue("id")); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/kho-du-lieu?tb=rut", http.StatusSeeOther)
}

func (s *Server) warehouseFile(w http.ResponseWriter, r *http.Request) {
	if !s.requireCitizen(w, r) {
		return
	}
	v, _ := strconv.Atoi(r.URL.Query().Get("v"))
	id := r.PathValue("id")
	rc, file, err := s.cfg.Warehouse.OpenFile(r.Context(), principal(r), id, v, service.Access{})
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	defer rc.Close()
	httpx.StreamPDFRange(w, r, s.cfg.Blobs, rc, file, "attachment", "stream document file", "document", id)
}

type verifyPage struct {
	Title  string
	Code   string
	Result *service.PublicVerification
	Error  string
}

func (p verifyPage) title() string { return p.Title }

// verifyResult is the public page where anyone checks a result code.
func (s *Server) verifyResult(w http.ResponseWriter, r *http.Request) {
	code := strings.TrimSpace(r.PathValue("code"))
	if code == "" {
		code = strings.TrimSpace(r.URL.Query().Get("code"))
	}
	page := verifyPage{Title: "Tra cứu, xác thực kết quả giải quyết thủ tục hành chính", Code: code}
	status := http.StatusOK
	if code != "" {
		v, err := s.cfg.Warehouse.VerifyPublic(r.Context(), code)
		if err != nil {
			if httpx.Status(err) >= 500 {
				s.renderError(w, r, err)
				return
			}
			page.Error, status = motcua.ErrorMessage(err), httpx.Status(err)
		}
		page.Result = v
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "verify", page)
}

// verifyQR is a PNG QR code of the public verification URL of a code.
func (s *Server) verifyQR(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if err := motcua.ValidateWarehouseCode(code); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	png, err := qrcode.Encode(s.cfg.PublicURL+"/verify/"+url.PathEscape(code), qrcode.Medium, 256)
	if err != nil {
		httpx.WriteError(w, r, motcua.Internal(err))
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(png)
}

// sample serves the demo's unsigned and tampered PDFs, to try refusals.
func (s *Server) sample(w http.ResponseWriter, r *http.Request) {
	data, err := s.cfg.Samples(r.PathValue("name"))
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.renderError(w, r, motcua.Internal(err))
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+r.PathValue("name")+`"`)
	_, _ = w.Write(data)
}
