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

// chosenView is one document a draft component holds.
type chosenView struct {
	// Index is its position among the component's documents (removal,
	// "Xem tệp").
	Index  int
	Choice motcua.DraftComponent
	// Doc is the warehouse document taken, nil for an upload or a
	// document that can no longer be used.
	Doc *motcua.Document
}

type draftComponentView struct {
	Match motcua.ComponentMatch
	// Chosen is the first document chosen and ChosenDoc the warehouse
	// document it is, if any (the counter's page, one document a
	// component).
	Chosen    *motcua.DraftComponent
	ChosenDoc *motcua.Document
	// Docs are all the documents chosen.
	Docs []chosenView
	// HasDoc: one of Chosen is a usable warehouse document.
	HasDoc bool
	// Full: the component holds as many documents as it takes.
	Full    bool
	Picking bool
	// Tab is the picker's tab: "goi-y" (Gợi ý kết quả cho TPHS) or "kho"
	// (Kho cá nhân, tổ chức).
	Tab    string
	Browse *browseView
}

// browseView is one page of "Kho cá nhân, tổ chức" in the picker.
type browseView struct {
	Docs          []*motcua.Document
	First         int // row number of Docs[0]
	Total         int
	Page, Pages   int
	Query         string
	PrevURL       string
	NextURL       string
	UnavailableTo string // why the tab is not offered, when it is not
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
	Tab        string // the picker's tab asked for
	// CanBrowse: the applicant is the owner and may take any document of
	// their warehouse.
	CanBrowse bool
	// Confirm is step 9, "Nộp hồ sơ" after "Đồng ý và tiếp tục".
	Confirm bool
	// Missing names the required components without a usable file; "Nộp
	// hồ sơ" stays disabled while there is one.
	Missing []string
	// ByPost: the papers or the result go by post.
	ByPost bool
}

func (p draftPage) title() string { return p.Title }

func (s *Server) draftPage(w http.ResponseWriter, r *http.Request, status int, errFor string, formErr error) {
	ctx, p := r.Context(), principal(r)
	v, err := s.cfg.Submissions.View(ctx, p, r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if v.DossierCode != "" {
		http.Redirect(w, r, "/ho-so/"+url.PathEscape(v.DossierCode), http.StatusSeeOther)
		return
	}
	q := r.URL.Query()
	page := draftPage{Title: "Thông tin hồ sơ", View: v, Key: service.NewSecret(16), Pick: q.Get("lay-tu-kho"), Tab: q.Get("tab"), ErrorFor: errFor,
		CanBrowse: v.Draft.Owner.Code == p.SubjectCode, Confirm: q.Get("buoc") == "xac-nhan"}
	if page.Confirm {
		page.Title = "Xác nhận nộp hồ sơ"
	}
	if a, err := s.cfg.Store.GetAgency(ctx, v.Draft.AgencyCode); err == nil {
		page.Agency = a
	}
	page.fill(v, formErr)
	for i := range page.Components {
		c := &page.Components[i]
		if !c.Picking || c.Tab != "kho" {
			continue
		}
		if c.Browse, err = s.browse(r, v.Draft.ID, c.Match.Component.Code); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	s.render(w, r, status, "apply_draft", page)
}

// browse reads the page of the owner's warehouse the picker shows.
func (s *Server) browse(r *http.Request, draftID, component string) (*browseView, error) {
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("trang"))
	n = max(n, 1)
	b := &browseView{Query: strings.TrimSpace(q.Get("q")), Page: n}
	docs, total, err := s.cfg.Submissions.Browse(r.Context(), principal(r), draftID, b.Query, n)
	if motcua.IsKind(err, motcua.EFORBIDDEN) {
		b.UnavailableTo = motcua.ErrorMessage(err)
		return b, nil
	}
	if err != nil {
		return nil, err
	}
	b.Docs, b.Total, b.First = docs, total, (n-1)*service.PickerPageSize+1
	b.Pages = max(1, (total+service.PickerPageSize-1)/service.PickerPageSize)
	link := func(page int) string {
		v := url.Values{"lay-tu-kho": {component}, "tab": {"kho"}, "trang": {strconv.Itoa(page)}}
		if b.Query != "" {
			v.Set("q", b.Query)
		}
		return "/ho-so-nhap/" + url.PathEscape(draftID) + "?" + v.Encode() + "#tp-" + component
	}
	if n > 1 {
		b.PrevURL = link(n - 1)
	}
	if n < b.Pages {
		b.NextURL = link(n + 1)
	}
	return b, nil
}

// fill lists each component with what was chosen and the form error.
func (page *draftPage) fill(v *service.DraftView, formErr error) {
	d := v.Draft
	for _, m := range v.Matches {
		comp := m.Component
		cv := draftComponentView{Match: m, Tab: "goi-y"}
		for i, c := range d.ComponentDocuments(comp.Code) {
			ch := chosenView{Index: i, Choice: c}
			if c.Source == motcua.FromWarehouse {
				if ch.Doc = m.Candidate(c.DocumentID); ch.Doc == nil {
					ch.Doc = v.Picked[c.DocumentID]
				}
				cv.HasDoc = cv.HasDoc || ch.Doc != nil
			}
			if i == 0 {
				cv.Chosen, cv.ChosenDoc = &ch.Choice, ch.Doc
			}
			cv.Docs = append(cv.Docs, ch)
		}
		cv.Full = comp.Multiple() && len(cv.Docs) >= comp.Limit()
		usable := 0
		for _, ch := range cv.Docs {
			if ch.Choice.Source != motcua.FromWarehouse || ch.Doc != nil {
				usable++
			}
		}
		if comp.Required && usable == 0 {
			page.Missing = append(page.Missing, comp.Name)
		}
		switch {
		case page.Pick == comp.Code:
			cv.Picking = true
		case page.Pick == "" && !page.Confirm && len(m.Suggestions) > 0 && len(cv.Docs) == 0:
			// The seeds' "hãy thực hiện lấy TPHS từ Kho dữ liệu!": the
			// suggestions are open until one is taken.
			cv.Picking = true
		}
		if len(m.Suggestions) == 0 && page.CanBrowse {
			cv.Tab = "kho"
		}
		if page.Pick == comp.Code && (page.Tab == "kho" && page.CanBrowse || page.Tab == "goi-y") {
			cv.Tab = page.Tab
		}
		page.Components = append(page.Components, cv)
	}
	page.ByPost = d.SubmitMethod == motcua.SubmitByPost || d.ResultMethod == motcua.ResultByPost
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

// applyComponent takes warehouse documents ("Lấy từ kho" → "Cập nhật",
// several for a component that takes several) or an uploaded file for
// one component.
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

// applyRemove is "Bỏ": takes back one document of a component.
func (s *Server) applyRemove(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	id, comp := r.PathValue("id"), r.PathValue("component")
	n, err := strconv.Atoi(r.PostFormValue("n"))
	if err != nil || n < 0 {
		n = -1
	}
	if _, err := s.cfg.Submissions.RemoveDocument(r.Context(), principal(r), id, comp, n); err != nil {
		if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.ENOTFOUND) && motcua.ErrorCode(err) != "component_file_not_found" {
			s.renderError(w, r, err)
			return
		}
		s.draftPage(w, r, httpx.Status(err), comp, err)
		return
	}
	http.Redirect(w, r, "/ho-so-nhap/"+id+"#tp-"+comp, http.StatusSeeOther)
}

// applyDelivery is step 8's "Đồng ý và tiếp tục": the submit and result
// methods, then the confirmation (step 9).
func (s *Server) applyDelivery(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	id := r.PathValue("id")
	_, err := s.cfg.Submissions.SetDelivery(r.Context(), principal(r), id, service.Delivery{
		SubmitMethod: motcua.SubmitMethod(r.PostFormValue("submit_method")),
		ResultMethod: motcua.ResultMethod(r.PostFormValue("result_method")), PostAddress: r.PostFormValue("post_address")})
	if err != nil {
		if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.ENOTFOUND) {
			s.renderError(w, r, err)
			return
		}
		s.draftPage(w, r, httpx.Status(err), "hinh-thuc", err)
		return
	}
	http.Redirect(w, r, "/ho-so-nhap/"+id+"?buoc=xac-nhan", http.StatusSeeOther)
}

// componentChoice reads a component form: a multipart upload goes to
// upload, each picked warehouse document to attach.
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
	if err := r.ParseForm(); err != nil {
		return motcua.Invalid("document_id", "required", "Vui lòng chọn một giấy tờ trong danh sách.")
	}
	ids := r.PostForm["document_id"]
	if len(ids) == 0 || len(ids) > 20 {
		return motcua.Invalid("document_id", "required", "Vui lòng chọn một giấy tờ trong danh sách.")
	}
	for _, id := range ids {
		if err := attach(id); err != nil {
			return err
		}
	}
	return nil
}

// applyComponentFile shows the file uploaded (or scanned) for a draft
// component ("Xem tệp"), to the draft's creator, in the browser's PDF
// viewer.
func (s *Server) applyComponentFile(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	id, component := r.PathValue("id"), r.PathValue("component")
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	rc, file, err := s.cfg.Submissions.DraftFile(r.Context(), principal(r), id, component, max(n, 0))
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
	// The methods are step 8's, saved on the draft.
	d, _, err := s.cfg.Submissions.Submit(r.Context(), principal(r), r.PathValue("id"), service.SubmitOptions{
		IdempotencyKey: r.PostFormValue("idempotency_key")})
	if err != nil {
		if httpx.Status(err) >= 500 && !motcua.IsKind(err, motcua.EUNAVAILABLE) || motcua.IsKind(err, motcua.ENOTFOUND) {
			s.renderError(w, r, err)
			return
		}
		// The refusal is shown on the confirmation step it came from.
		r.URL.RawQuery = "buoc=xac-nhan"
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
	// The supplement request and the answer form (supplement.go).
	Supplement *motcua.SupplementRequest
	// SupplementNames are the names of the components it names.
	SupplementNames []string
	// Answer lists the components the citizen answers for, with what the
	// warehouse offers for each; empty unless a request waits.
	Answer       []supplementRow
	Key          string // idempotency key of the answer form
	Withdrawable bool
	Error        string
	ErrorFor     string // the form the error is about: "bo-sung" or "rut"
	Reason       string // the withdrawal reason typed, kept on error
	Done         string
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
	q := r.URL.Query()
	s.renderReceipt(w, r, http.StatusOK, receiptPage{New: q.Get("moi") == "1", Rated: q.Get("da-danh-gia") == "1",
		Done: receiptDone[q.Get("xong")]})
}

// renderReceipt shows the dossier's page with what extra already says
// (a new submission, a step done, a rating just given or refused).
func (s *Server) renderReceipt(w http.ResponseWriter, r *http.Request, status int, extra receiptPage) {
	d, err := s.cfg.Submissions.MyDossier(r.Context(), principal(r), r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page, err := s.receiptData(r, d)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page.New, page.Done, page.Rated, page.RateError = extra.New, extra.Done, extra.Rated, extra.RateError
	s.render(w, r, status, "receipt", page)
}

// receiptData is the dossier's page for its applicant: the dossier, its
// procedure and agency, the supplement request and what the warehouse
// offers to answer it, whether it may be withdrawn, and its satisfaction
// rating once the result was returned.
func (s *Server) receiptData(r *http.Request, d *motcua.Dossier) (receiptPage, error) {
	ctx := r.Context()
	page := receiptPage{Title: "Hồ sơ " + d.Code, Dossier: d, Demo: s.cfg.Demo, Supplement: d.Supplement(),
		Withdrawable: d.Withdrawable(), Key: service.NewSecret(16)}
	var err error
	if page.Procedure, err = s.cfg.Store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion); err != nil {
		return page, err
	}
	if page.Agency, err = s.cfg.Store.GetAgency(ctx, d.AgencyCode); err != nil {
		return page, err
	}
	if d.Status == motcua.StatusResultsReturned {
		rating, err := s.cfg.Store.GetRating(ctx, d.ID)
		switch {
		case err == nil:
			page.Rating = rating
		case motcua.IsKind(err, motcua.ENOTFOUND):
			page.CanRate, page.Levels = true, motcua.SatisfactionLevels()
		default:
			return page, err
		}
	}
	if page.Supplement != nil {
		page.SupplementNames = supplementNames(d)
	}
	page.Answer, err = s.supplementRows(r, d)
	return page, err
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
	// ProcedureNames maps "code@version" to the procedure's name.
	ProcedureNames map[string]string
	Total          int
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
	names := map[string]string{}
	for _, d := range ds {
		key := d.ProcedureCode + "@" + strconv.Itoa(d.ProcedureVersion)
		if _, ok := names[key]; ok {
			continue
		}
		names[key] = d.ProcedureCode
		if p, err := s.cfg.Store.GetProcedureVersion(r.Context(), d.ProcedureCode, d.ProcedureVersion); err == nil {
			names[key] = p.Name
		}
	}
	s.render(w, r, http.StatusOK, "my_dossiers", myDossiersPage{Title: "Quản lý hồ sơ đã nộp", Dossiers: ds, Total: total,
		ProcedureNames: names})
}
