package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/procsearch"
	"github.com/motcua/motcua/internal/service"
)

type proceduresPage struct {
	Title      string
	Query      string
	Procedures []*motcua.Procedure
	// Total is the number of matching procedures; a province's catalogue
	// shows the first page here and the rest at /thu-tuc.
	Total int
}

func (p proceduresPage) title() string { return p.Title }

// onlineListSize bounds the "Nộp trực tuyến" list; /thu-tuc pages through
// the rest.
const onlineListSize = 100

// procedures is "Nộp trực tuyến": find the public service.
func (s *Server) procedures(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	ix, err := s.catalogue.Index(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	res := ix.Search(procsearch.Query{Text: q, PerPage: onlineListSize})
	s.render(w, r, http.StatusOK, "procedures", proceduresPage{Title: "Nộp trực tuyến", Query: q, Procedures: res.Procedures, Total: res.Total})
}

type chooseCasePage struct {
	Title     string
	Procedure *motcua.Procedure
	Agencies  []*motcua.Agency
	Owner     *motcua.Subject
	Form      service.DraftInput
	Error     string
}

func (p chooseCasePage) title() string { return p.Title }

func (s *Server) chooseCase(w http.ResponseWriter, r *http.Request, form service.DraftInput, status int, formErr error) {
	ctx, p := r.Context(), principal(r)
	proc, err := s.cfg.Store.GetProcedure(ctx, r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if p.Kind == motcua.PrincipalOfficer {
		s.renderError(w, r, service.Authorize(p, service.OpSubmitDossier, service.Resource{}))
		return
	}
	owner, err := s.cfg.Store.GetSubject(ctx, p.SubjectCode)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page := chooseCasePage{Title: "Chọn trường hợp hồ sơ", Procedure: proc, Owner: owner, Form: form}
	for _, code := range proc.AgencyCodes {
		if a, err := s.cfg.Store.GetAgency(ctx, code); err == nil {
			page.Agencies = append(page.Agencies, a)
		}
	}
	if formErr != nil {
		page.Error = motcua.ErrorMessage(formErr)
	}
	s.render(w, r, status, "apply_case", page)
}

func (s *Server) applyCasePage(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	s.chooseCase(w, r, service.DraftInput{}, http.StatusOK, nil)
}

// applyStart is "Đồng ý và tiếp tục": the identity check, then the draft.
func (s *Server) applyStart(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	in := service.DraftInput{ProcedureCode: r.PathValue("code"), CaseCode: r.PostFormValue("case"),
		AgencyCode: r.PostFormValue("agency"), District: r.PostFormValue("district"), Ward: r.PostFormValue("ward")}
	if r.PostFormValue("for_other") == "on" {
		birth, err := parseFormDate("owner.birth_date", r.PostFormValue("owner_birth_date"))
		if err != nil {
			s.chooseCase(w, r, in, httpx.Status(err), err)
			return
		}
		in.Owner = &motcua.Person{Code: strings.TrimSpace(r.PostFormValue("owner_code")), Name: r.PostFormValue("owner_name"), BirthDate: birth}
	}
	d, err := s.cfg.Submissions.CreateDraft(r.Context(), principal(r), in)
	if err != nil {
		if httpx.Status(err) >= 500 && !motcua.IsKind(err, motcua.EUNAVAILABLE) || motcua.IsKind(err, motcua.EFORBIDDEN) {
			s.renderError(w, r, err)
			return
		}
		s.chooseCase(w, r, in, httpx.Status(err), err)
		return
	}
	http.Redirect(w, r, "/ho-so-nhap/"+d.ID, http.StatusSeeOther)
}

type draftComponentView struct {
	Match  motcua.ComponentMatch
	Chosen *motcua.DraftComponent
	// ChosenDoc is the warehouse document taken, when one was.
	ChosenDoc *motcua.Document
	Picking   bool
}

type draftPage struct {
	Title      string
	View       *service.DraftView
	Components []draftComponentView
	Agency     *motcua.Agency
	Error      string
	ErrorFor   string
	Key        string
	Pick       string
}

func (p draftPage) title() string { return p.Title }

func (s *Server) draftPage(w http.ResponseWriter, r *http.Request, status int, errFor string, formErr error) {
	ctx := r.Context()
	v, err := s.cfg.Submissions.View(ctx, principal(r), r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if v.DossierCode != "" {
		http.Redirect(w, r, "/ho-so/"+url.PathEscape(v.DossierCode), http.StatusSeeOther)
		return
	}
	page := draftPage{Title: "Thông tin hồ sơ", View: v, Key: service.NewSecret(16), Pick: r.URL.Query().Get("lay-tu-kho"), ErrorFor: errFor}
	if a, err := s.cfg.Store.GetAgency(ctx, v.Draft.AgencyCode); err == nil {
		page.Agency = a
	}
	page.fill(v, formErr)
	s.render(w, r, status, "apply_draft", page)
}

// fill lists each component with what was chosen and the form error.
func (page *draftPage) fill(v *service.DraftView, formErr error) {
	for _, m := range v.Matches {
		cv := draftComponentView{Match: m, Picking: page.Pick == m.Component.Code}
		if c, ok := v.Draft.Component(m.Component.Code); ok {
			cv.Chosen = &c
			cv.ChosenDoc = m.Candidate(c.DocumentID)
		}
		page.Components = append(page.Components, cv)
	}
	if formErr != nil {
		page.Error = motcua.ErrorMessage(formErr)
	}
}

func (s *Server) applyDraft(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	s.draftPage(w, r, http.StatusOK, "", nil)
}

// applyComponent takes a warehouse document ("Lấy từ kho" → "Cập nhật")
// or an uploaded file for one component.
func (s *Server) applyComponent(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	ctx, p := r.Context(), principal(r)
	id, comp := r.PathValue("id"), r.PathValue("component")
	err := s.componentChoice(w, r,
		func(docID string) error { _, err := s.cfg.Submissions.Attach(ctx, p, id, comp, docID); return err },
		func(up service.Upload) error { _, err := s.cfg.Submissions.Upload(ctx, p, id, comp, up); return err })
	if err != nil {
		if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.ENOTFOUND) {
			s.renderError(w, r, err)
			return
		}
		s.draftPage(w, r, httpx.Status(err), comp, err)
		return
	}
	http.Redirect(w, r, "/ho-so-nhap/"+id+"#tp-"+comp, http.StatusSeeOther)
}

// componentChoice reads a component form: a multipart upload goes to
// upload, a picked warehouse document to attach.
func (s *Server) componentChoice(w http.ResponseWriter, r *http.Request, attach func(docID string) error, upload func(service.Upload) error) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if err := s.parseMultipart(w, r); err != nil {
			return err
		}
		up, err := s.formUpload(w, r)
		if err != nil {
			return err
		}
		return upload(up)
	}
	docID := r.PostFormValue("document_id")
	if docID == "" {
		return motcua.Invalid("document_id", "required", "Vui lòng chọn một giấy tờ trong danh sách gợi ý.")
	}
	return attach(docID)
}

// applyComponentFile shows the file uploaded (or scanned) for a draft
// component ("Xem tệp"), to the draft's creator, in the browser's PDF
// viewer.
func (s *Server) applyComponentFile(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	id, component := r.PathValue("id"), r.PathValue("component")
	rc, file, err := s.cfg.Submissions.DraftFile(r.Context(), principal(r), id, component)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	defer rc.Close()
	httpx.StreamPDF(w, r, rc, file, "inline", "stream draft file", "draft", id, "component", component)
}

// applySubmit is "Nộp hồ sơ".
func (s *Server) applySubmit(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	d, _, err := s.cfg.Submissions.Submit(r.Context(), principal(r), r.PathValue("id"), service.SubmitOptions{
		ResultMethod: motcua.ResultMethod(r.PostFormValue("result_method")), PostAddress: r.PostFormValue("post_address"),
		IdempotencyKey: r.PostFormValue("idempotency_key")})
	if err != nil {
		if httpx.Status(err) >= 500 && !motcua.IsKind(err, motcua.EUNAVAILABLE) || motcua.IsKind(err, motcua.ENOTFOUND) {
			s.renderError(w, r, err)
			return
		}
		s.draftPage(w, r, httpx.Status(err), "", err)
		return
	}
	http.Redirect(w, r, "/ho-so/"+url.PathEscape(d.Code)+"?moi=1", http.StatusSeeOther)
}

type receiptPage struct {
	Title     string
	Dossier   *motcua.Dossier
	Procedure *motcua.Procedure
	Agency    *motcua.Agency
	New       bool
	Demo      bool
	// Rating is the owner's satisfaction rating, once given; CanRate
	// offers the form (result returned, not rated yet).
	Rating    *motcua.DossierRating
	CanRate   bool
	Levels    []motcua.SatisfactionLevel
	Rated     bool   // just rated
	RateError string // the refused rating's reason
}

func (p receiptPage) title() string { return p.Title }

// receipt is the dossier's page: the receipt right after submission.
func (s *Server) receipt(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	s.renderReceipt(w, r, http.StatusOK, receiptPage{New: r.URL.Query().Get("moi") == "1", Rated: r.URL.Query().Get("da-danh-gia") == "1"})
}

// renderReceipt shows the dossier's page with what page already says
// (a new submission, a rating just given or refused).
func (s *Server) renderReceipt(w http.ResponseWriter, r *http.Request, status int, page receiptPage) {
	ctx := r.Context()
	d, err := s.cfg.Submissions.MyDossier(ctx, principal(r), r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page.Title, page.Dossier, page.Demo = "Hồ sơ "+d.Code, d, s.cfg.Demo
	if d.Status == motcua.StatusResultsReturned {
		rating, err := s.cfg.Store.GetRating(ctx, d.ID)
		switch {
		case err == nil:
			page.Rating = rating
		case motcua.IsKind(err, motcua.ENOTFOUND):
			page.CanRate, page.Levels = true, motcua.SatisfactionLevels()
		default:
			s.renderError(w, r, err)
			return
		}
	}
	if page.Procedure, err = s.cfg.Store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion); err != nil {
		s.renderError(w, r, err)
		return
	}
	if page.Agency, err = s.cfg.Store.GetAgency(ctx, d.AgencyCode); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, status, "receipt", page)
}

// rateDossier is "Đánh giá mức độ hài lòng" after the result was returned.
func (s *Server) rateDossier(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	code := r.PathValue("code")
	level, _ := strconv.Atoi(r.PostFormValue("muc-do"))
	_, err := s.cfg.Submissions.Rate(r.Context(), principal(r), code, motcua.SatisfactionLevel(level), r.PostFormValue("y-kien"))
	if err == nil {
		http.Redirect(w, r, "/ho-so/"+url.PathEscape(code)+"?da-danh-gia=1#danh-gia", http.StatusSeeOther)
		return
	}
	if st := httpx.Status(err); st >= 500 || st == http.StatusNotFound || st == http.StatusUnauthorized || st == http.StatusForbidden {
		s.renderError(w, r, err)
		return
	}
	s.renderReceipt(w, r, httpx.Status(err), receiptPage{RateError: motcua.ErrorMessage(err)})
}

// dossierQR is the QR code printed on receipts: the dossier's public
// look-up address (/tra-cuu-ho-so with the code filled in).
func (s *Server) dossierQR(w http.ResponseWriter, r *http.Request) {
	s.lookupQR(w, r, r.PathValue("code"), 200)
}

type myDossiersPage struct {
	Title    string
	Dossiers []*motcua.Dossier
	Total    int
}

func (p myDossiersPage) title() string { return p.Title }

// myDossiers is "Quản lý hồ sơ đã nộp".
func (s *Server) myDossiers(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	ds, total, err := s.cfg.Submissions.MyDossiers(r.Context(), principal(r), 100, 0)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "my_dossiers", myDossiersPage{Title: "Quản lý hồ sơ đã nộp", Dossiers: ds, Total: total})
}
