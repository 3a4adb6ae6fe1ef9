package api

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/procsearch"
	"github.com/motcua/motcua/internal/service"
)

type componentJSON struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	Required           bool     `json:"required"`
	Original           bool     `json:"original"`
	Originals          int      `json:"originals"` // how many originals a paper dossier brings; 0 when not stated
	Copies             int      `json:"copies"`
	AcceptedCategories []string `json:"accepted_categories"`
	FormTemplate       string   `json:"form_template,omitempty"` // file name of the blank form
	// FormTemplateSHA256 and FormTemplateURL address the blank form's file
	// when the province uploaded it (catalogue import --templates, or the
	// administration page); absent otherwise.
	FormTemplateSHA256 string `json:"form_template_sha256,omitempty"`
	FormTemplateURL    string `json:"form_template_url,omitempty"`
	// MaxDocuments is how many documents the component takes (at least 1).
	MaxDocuments int `json:"max_documents"`
}

type caseJSON struct {
	ID             string          `json:"id"`
	Name           string          `json:"name"`
	ProcessingDays int             `json:"processing_days"`
	Agencies       []string        `json:"agencies"`
	Components     []componentJSON `json:"components"`
}

type agencyRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type procedureJSON struct {
	Code           string      `json:"code"`
	Name           string      `json:"name"`
	Field          string      `json:"field"`
	Levels         []string    `json:"levels"` // province, district, commune
	Agencies       []agencyRef `json:"agencies"`
	ResultCategory string      `json:"result_category,omitempty"`
	FeeVND         int64       `json:"fee_vnd"` // the sum of fees
	Fees           []feeJSON   `json:"fees"`
	Version        int         `json:"version"`
	OnlineLevel    string      `json:"online_level"`
	LegalBasis     string      `json:"legal_basis,omitempty"`
	// Parties is how many people apply together: 2 for a two-party
	// procedure, whose draft names a co-applicant.
	Parties int        `json:"parties"`
	Cases   []caseJSON `json:"cases"`
}

type feeJSON struct {
	Name      string `json:"name"`
	AmountVND int64  `json:"amount_vnd"`
	Note      string `json:"note,omitempty"`
}

// procedureJSON is a procedure as the API shows it; the agencies' names
// come from the catalogue index ix.
func (a *api) procedureJSON(ix *procsearch.Index, p *motcua.Procedure) procedureJSON {
	out := procedureJSON{Code: p.Code, Name: p.Name, Field: p.Field, ResultCategory: p.ResultCategory, FeeVND: p.TotalFeeVND(),
		Fees: []feeJSON{}, Version: p.Version, OnlineLevel: cmp.Or(string(p.OnlineLevel), "none"), LegalBasis: p.LegalBasis,
		Agencies: []agencyRef{}, Cases: []caseJSON{}, Levels: []string{}, Parties: p.PartyCount()}
	for _, l := range p.Levels {
		out.Levels = append(out.Levels, string(l))
	}
	for _, f := range p.Fees {
		out.Fees = append(out.Fees, feeJSON{Name: f.Name, AmountVND: f.AmountVND, Note: f.Note})
	}
	for _, code := range p.AgencyCodes {
		ref := agencyRef{Code: code}
		if ag, ok := ix.Agency(code); ok {
			ref.Name = ag.Name
		}
		out.Agencies = append(out.Agencies, ref)
	}
	for _, c := range p.Cases {
		comps := []componentJSON{}
		for _, c := range p.ComponentsFor(c.Code) {
			cj := componentJSON{ID: c.Code, Name: c.Name, Required: c.Required, Original: c.Form == motcua.FormOriginal,
				Originals: c.Originals, Copies: c.Copies, FormTemplate: c.FormTemplate, MaxDocuments: c.Limit(),
				AcceptedCategories: append([]string{}, c.Categories...)}
			if c.FormTemplateSHA256 != "" {
				cj.FormTemplateSHA256 = c.FormTemplateSHA256
				cj.FormTemplateURL = a.cfg.PublicURL + "/thu-tuc/" + url.PathEscape(p.Code) + "/mau/" + c.FormTemplateSHA256
			}
			comps = append(comps, cj)
		}
		out.Cases = append(out.Cases, caseJSON{ID: c.Code, Name: c.Name, ProcessingDays: c.ProcessingDays,
			Agencies: append([]string{}, p.AgencyCodes...), Components: comps})
	}
	return out
}

// listProcedures is GET /api/v1/procedures: the current catalogue,
// searched and paged by the same index as the public /thu-tuc pages. q
// is matched like there (every word, diacritic-insensitively, in the
// name, code, field, level or a handling agency's name); agency, field
// and level filter; page (1-based) and per_page (default and at most
// 100) page.
func (a *api) listProcedures(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	query := procsearch.Query{Text: strings.TrimSpace(q.Get("q")), Field: strings.TrimSpace(q.Get("field")),
		Agency: strings.TrimSpace(q.Get("agency")), Level: motcua.AgencyLevel(q.Get("level")), PerPage: procsearch.MaxPerPage}
	if query.Level != "" && !query.Level.Valid() {
		httpx.WriteError(w, r, motcua.Invalid("level", "invalid_level", "Cấp thực hiện phải là province, district hoặc commune."))
		return
	}
	var err error
	if query.Page, err = queryInt(q, "page", 1, math.MaxInt32); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	if query.PerPage, err = queryInt(q, "per_page", procsearch.MaxPerPage, procsearch.MaxPerPage); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	ix, err := a.cfg.Procedures.Index(r.Context())
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	res := ix.Search(query)
	items := make([]procedureJSON, 0, len(res.Procedures))
	for _, p := range res.Procedures {
		items = append(items, a.procedureJSON(ix, p))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "total": res.Total, "page": res.Page,
		"pages": res.Pages, "per_page": res.PerPage})
}

// queryInt reads the optional integer parameter name, between 1 and max;
// def when absent. Errors: EINVALID invalid_<name>.
func queryInt(q url.Values, name string, def, max int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, motcua.Invalid(name, "invalid_"+name, fmt.Sprintf("Tham số %s phải là số nguyên từ 1 đến %d.", name, max))
	}
	return n, nil
}

func (a *api) getProcedure(w http.ResponseWriter, r *http.Request) {
	p, err := a.cfg.Store.GetProcedure(r.Context(), r.PathValue("code"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	ix, err := a.cfg.Procedures.Index(r.Context())
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, a.procedureJSON(ix, p))
}

// decodeJSON reads a small JSON body strictly.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalidField("body", "Nội dung yêu cầu không phải JSON hợp lệ hoặc có trường không được hỗ trợ.")
	}
	return nil
}

func (a *api) createDraft(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Procedure string `json:"procedure"`
		Case      string `json:"case"`
		Agency    string `json:"agency"`
		District  string `json:"district"`
		Ward      string `json:"ward"`
		// Owner, when the dossier is for someone else (a child).
		Owner *struct {
			SubjectID string      `json:"subject_id"`
			Name      string      `json:"name"`
			BirthDate motcua.Date `json:"birth_date"`
		} `json:"owner"`
	}
	if err := decodeJSON(r, &in); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	di := service.DraftInput{ProcedureCode: in.Procedure, CaseCode: in.Case, AgencyCode: in.Agency, District: in.District, Ward: in.Ward}
	if in.Owner != nil {
		di.Owner = &motcua.Person{Code: in.Owner.SubjectID, Name: in.Owner.Name, BirthDate: in.Owner.BirthDate}
	}
	d, err := a.cfg.Submissions.CreateDraft(r.Context(), principal(r), di)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/dossiers/drafts/"+d.ID)
	writeDraft(w, http.StatusCreated, d)
}

// writeDraft answers with a draft; a draft with nothing attached has
// "components": [], never null.
func writeDraft(w http.ResponseWriter, status int, d *motcua.Draft) {
	out := *d
	if out.Components == nil {
		out.Components = []motcua.DraftComponent{}
	}
	if out.CoApplicants == nil {
		out.CoApplicants = []motcua.CoApplicant{}
	}
	httpx.WriteJSON(w, status, &out)
}

func (a *api) getDraft(w http.ResponseWriter, r *http.Request) {
	v, err := a.cfg.Submissions.View(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	writeDraft(w, http.StatusOK, v.Draft)
}

// putDelivery is step 8: "Hình thức nộp hồ sơ", "Hình thức nhận kết quả"
// and the postal address.
func (a *api) putDelivery(w http.ResponseWriter, r *http.Request) {
	var in struct {
		SubmitMethod string `json:"submit_method"`
		ResultMethod string `json:"result_method"`
		PostAddress  string `json:"post_address"`
	}
	if err := decodeJSON(r, &in); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	d, err := a.cfg.Submissions.SetDelivery(r.Context(), principal(r), r.PathValue("id"), service.Delivery{
		SubmitMethod: motcua.SubmitMethod(in.SubmitMethod), ResultMethod: motcua.ResultMethod(in.ResultMethod), PostAddress: in.PostAddress})
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	writeDraft(w, http.StatusOK, d)
}

// draftWarehouse is the "Kho cá nhân, tổ chức" tab of "Lấy từ kho": the
// owner's whole warehouse, 20 a page, searched by q.
func (a *api) draftWarehouse(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, err := intParam(q, "page", 1, 1, 100_000)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	docs, total, err := a.cfg.Submissions.Browse(r.Context(), principal(r), r.PathValue("id"), q.Get("q"), page)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	items := make([]documentJSON, 0, len(docs))
	for _, d := range docs {
		items = append(items, toJSON(d, nil))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "total": total, "page": page, "per_page": service.PickerPageSize})
}

// deleteComponent takes back one document of a component (?index=N,
// 0-based) or all of them.
func (a *api) deleteComponent(w http.ResponseWriter, r *http.Request) {
	index, err := intParam(r.URL.Query(), "index", -1, 0, 1000)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	d, err := a.cfg.Submissions.RemoveDocument(r.Context(), principal(r), r.PathValue("id"), r.PathValue("component"), index)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	writeDraft(w, http.StatusOK, d)
}

func (a *api) draftMatches(w http.ResponseWriter, r *http.Request) {
	v, err := a.cfg.Submissions.View(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	type unusable struct {
		documentJSON
		Reason string `json:"reason"`
	}
	type match struct {
		ComponentID  string         `json:"component_id"`
		Name         string         `json:"name"`
		Required     bool           `json:"required"`
		AutoAttached *documentJSON  `json:"auto_attached"`
		Suggestions  []documentJSON `json:"suggestions"`
		Expired      []unusable     `json:"expired"`
		Chosen       *string        `json:"chosen_document_id"`
		// ChosenAll lists every warehouse document chosen, for a
		// component that takes several (MaxDocuments).
		ChosenAll    []string `json:"chosen_document_ids"`
		MaxDocuments int      `json:"max_documents"`
	}
	out := make([]match, 0, len(v.Matches))
	for _, m := range v.Matches {
		mj := match{ComponentID: m.Component.Code, Name: m.Component.Name, Required: m.Component.Required,
			Suggestions: []documentJSON{}, Expired: []unusable{}, ChosenAll: []string{}, MaxDocuments: m.Component.Limit()}
		if m.Auto != nil {
			j := toJSON(m.Auto, nil)
			mj.AutoAttached = &j
		}
		for _, d := range m.Suggestions {
			mj.Suggestions = append(mj.Suggestions, toJSON(d, nil))
		}
		for _, u := range m.Unusable {
			mj.Expired = append(mj.Expired, unusable{toJSON(u.Document, nil), u.Reason})
		}
		for _, c := range v.Draft.ComponentDocuments(m.Component.Code) {
			if c.DocumentID == "" {
				continue
			}
			if mj.Chosen == nil {
				id := c.DocumentID
				mj.Chosen = &id
			}
			mj.ChosenAll = append(mj.ChosenAll, c.DocumentID)
		}
		out = append(out, mj)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"components": out})
}

func (a *api) putComponent(w http.ResponseWriter, r *http.Request) {
	ctx, p := r.Context(), principal(r)
	id, comp := r.PathValue("id"), r.PathValue("component")
	var d *motcua.Draft
	var err error
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if strings.HasPrefix(ct, "multipart/") {
		var up service.Upload
		if up, err = a.readFile(w, r); err == nil {
			d, err = a.cfg.Submissions.Upload(ctx, p, id, comp, up)
		}
	} else {
		var in struct {
			DocumentID string `json:"document_id"`
		}
		if err = decodeJSON(r, &in); err == nil {
			d, err = a.cfg.Submissions.Attach(ctx, p, id, comp, in.DocumentID)
		}
	}
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	writeDraft(w, http.StatusOK, d)
}

// draftFile serves the file of a draft component (what "Nộp hồ sơ" will
// send) to the draft's creator.
func (a *api) draftFile(w http.ResponseWriter, r *http.Request) {
	index, err := intParam(r.URL.Query(), "index", 0, 0, 1000)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	serveDraftFile(w, r, a.cfg.Submissions, r.PathValue("id"), r.PathValue("component"), index, httpx.WriteError)
}

// serveDraftFile streams the file of a draft component as a PDF shown in
// the browser, for the draft's creator only. Errors before the first byte
// go to writeErr (a problem+json answer for the API, an HTML page for the
// web). Shared with the web pages.
func serveDraftFile(w http.ResponseWriter, r *http.Request, subs *service.Submissions, draftID, component string, index int,
	writeErr func(http.ResponseWriter, *http.Request, error)) {
	rc, file, err := subs.DraftFile(r.Context(), httpx.Principal(r.Context()), draftID, component, index)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	defer rc.Close()
	httpx.StreamPDF(w, r, rc, file, "inline", "stream draft file", "draft", draftID, "component", component)
}

type dossierJSON struct {
	ID        string `json:"id"`
	Code      string `json:"code"`
	Procedure string `json:"procedure"`
	// ProcedureVersion is the catalogue version the dossier was made with.
	ProcedureVersion int                    `json:"procedure_version"`
	Case             string                 `json:"case"`
	Agency           string                 `json:"agency"`
	Status           int                    `json:"status"`
	StatusLabel      string                 `json:"status_label"`
	Channel          int                    `json:"channel"`
	Reused           bool                   `json:"reused"`
	MissedReuse      bool                   `json:"missed_reuse"`
	SubmittedAt      time.Time              `json:"submitted_at"`
	DueDate          string                 `json:"due_date"`
	Components       []dossierComponentJSON `json:"components"`
	IdentityCheck    *identityCheckJSON     `json:"identity_check,omitempty"`
}

type dossierComponentJSON struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	State      int    `json:"state"`
	DocumentID string `json:"document_id,omitempty"`
}

func toDossierJSON(d *motcua.Dossier) dossierJSON {
	out := dossierJSON{ID: d.ID, Code: d.Code, Procedure: d.ProcedureCode, ProcedureVersion: d.ProcedureVersion, Case: d.CaseCode, Agency: d.AgencyCode,
		Status: int(d.Status), StatusLabel: d.Status.Label(), Channel: int(d.Channel), Reused: d.Reused(),
		MissedReuse: d.MissedReuse, SubmittedAt: d.SubmittedAt, DueDate: motcua.DateOf(d.DueAt).String(), Components: []dossierComponentJSON{},
		IdentityCheck: toIdentityCheckJSON(d.IdentityCheck, false)}
	for _, c := range d.Components {
		cj := dossierComponentJSON{ID: c.Code, Name: c.Name, State: int(c.Digitization)}
		for _, at := range c.Attachments {
			if at.DocumentID != "" {
				cj.DocumentID = at.DocumentID
			}
		}
		out.Components = append(out.Components, cj)
	}
	return out
}

func (a *api) submitDraft(w http.ResponseWriter, r *http.Request) {
	var in struct {
		SubmitMethod string `json:"submit_method"`
		ResultMethod string `json:"result_method"`
		PostAddress  string `json:"post_address"`
	}
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &in); err != nil {
			httpx.WriteError(w, r, err)
			return
		}
	}
	d, created, err := a.cfg.Submissions.Submit(r.Context(), principal(r), r.PathValue("id"), service.SubmitOptions{
		SubmitMethod: motcua.SubmitMethod(in.SubmitMethod), ResultMethod: motcua.ResultMethod(in.ResultMethod), PostAddress: in.PostAddress,
		IdempotencyKey: r.Header.Get("Idempotency-Key")})
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	w.Header().Set("Location", "/api/v1/dossiers/"+d.Code)
	httpx.WriteJSON(w, status, toDossierJSON(d))
}

func (a *api) listDossiers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, err := intParam(q, "page", 1, 1, 1_000_000)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	ds, total, err := a.cfg.Submissions.MyDossiers(r.Context(), principal(r), 20, (page-1)*20)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	items := make([]dossierJSON, 0, len(ds))
	for _, d := range ds {
		items = append(items, toDossierJSON(d))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "total": total})
}

func (a *api) getDossier(w http.ResponseWriter, r *http.Request) {
	d, err := a.cfg.Submissions.MyDossier(r.Context(), principal(r), r.PathValue("code"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, a.dossierDetail(r, d))
}
