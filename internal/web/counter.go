package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/procsearch"
	"github.com/motcua/motcua/internal/service"
)

// counterStartForm is the counter's first form as typed.
type counterStartForm struct {
	Choice                               string // "<procedure>|<case>"
	FullName, IDNumber, BirthDate, Phone string
	OwnerName, OwnerID, OwnerBirthDate   string
	// Manual: "Đối chiếu thủ công với giấy tờ bản gốc", offered once the
	// population database is found unreachable.
	Manual       bool
	ManualReason string
}

type counterChoice struct {
	Value, Label string
}

type counterStartPage struct {
	Title   string
	Form    counterStartForm
	Choices []counterChoice
	// Search is the officer's search of the procedures (?tim=); Shown of
	// Total procedures match it and are in Choices.
	Search       string
	Shown, Total int
	Error        string
	// Outage: the population database could not be reached; the form
	// offers the manual verification.
	Outage bool
}

func (p counterStartPage) title() string { return p.Title }

const counterStartTitle = "Tiếp nhận hồ sơ trực tiếp"

// counterListSize bounds the procedures the counter's choice lists: a
// district desk receives for hundreds; the officer searches them.
const counterListSize = 50

// counterStartData fills the page's choices: the procedures and cases of
// the agencies the officer's desk receives for (service.DeskAgencies: the
// officer's agency and those naming it as their reception desk) that
// match the search (name or code, without diacritics), at most
// counterListSize procedures from the catalogue index, plus the chosen
// one. A choice for another agency than the officer's names it.
func (s *Server) counterStartData(r *http.Request, page counterStartPage) counterStartPage {
	page.Title = counterStartTitle
	p := principal(r)
	if p == nil || p.AgencyCode == "" {
		return page
	}
	desk, err := service.DeskAgencies(r.Context(), s.cfg.Store, p.AgencyCode)
	if err != nil || len(desk) == 0 {
		return page
	}
	codes := make([]string, len(desk))
	for i, a := range desk {
		codes[i] = a.Code
	}
	ix, err := s.catalogue.Index(r.Context())
	if err != nil {
		return page
	}
	res := ix.Search(procsearch.Query{Agencies: codes, Text: page.Search, PerPage: counterListSize})
	page.Shown, page.Total = len(res.Procedures), res.Total
	procs := res.Procedures
	if code, _, ok := strings.Cut(page.Form.Choice, "|"); ok && !slices.ContainsFunc(procs, func(p *motcua.Procedure) bool { return p.Code == code }) {
		if chosen, ok := ix.Procedure(code); ok && slices.ContainsFunc(chosen.AgencyCodes, func(a string) bool { return slices.Contains(codes, a) }) {
			procs = append([]*motcua.Procedure{chosen}, procs...)
		}
	}
	for _, proc := range procs {
		for _, a := range desk {
			if !slices.Contains(proc.AgencyCodes, a.Code) {
				continue
			}
			for _, c := range proc.Cases {
				ch := counterChoice{Value: proc.Code + "|" + c.Code, Label: proc.Name + " — " + c.Name}
				if a.Code != p.AgencyCode {
					ch.Value += "|" + a.Code
					ch.Label += " (" + a.Name + ")"
				}
				page.Choices = append(page.Choices, ch)
			}
		}
	}
	return page
}

// counterStartPage is the counter's first step, pre-filled from the
// identity check ("Tiếp nhận hồ sơ cho người này").
func (s *Server) counterStartPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := counterStartForm{FullName: q.Get("full_name"), IDNumber: q.Get("id_number"), BirthDate: q.Get("birth_date")}
	// From "Kiểm tra danh tính số" during an outage: the manual
	// verification is offered at once.
	manual := q.Get("doi-chieu-thu-cong") == "1"
	page := counterStartPage{Form: f, Search: strings.TrimSpace(q.Get("tim")), Outage: manual}
	s.render(w, r, http.StatusOK, "counter_start", s.counterStartData(r, page))
}

// counterStart checks the identities and opens the counter draft.
func (s *Server) counterStart(w http.ResponseWriter, r *http.Request) {
	f := counterStartForm{Choice: r.PostFormValue("choice"), FullName: r.PostFormValue("full_name"),
		IDNumber: strings.TrimSpace(r.PostFormValue("id_number")), BirthDate: r.PostFormValue("birth_date"),
		Phone: strings.TrimSpace(r.PostFormValue("phone")), OwnerName: r.PostFormValue("owner_name"),
		OwnerID: strings.TrimSpace(r.PostFormValue("owner_id")), OwnerBirthDate: r.PostFormValue("owner_birth_date"),
		Manual: r.PostFormValue("manual") == "1", ManualReason: r.PostFormValue("manual_reason")}
	fail := func(err error) {
		if httpx.Status(err) >= 500 && !motcua.IsKind(err, motcua.EUNAVAILABLE) {
			s.renderError(w, r, err)
			return
		}
		s.formError(w, r, err, "counter_start", s.counterStartData(r, counterStartPage{Form: f,
			Search: strings.TrimSpace(r.PostFormValue("tim")), Error: motcua.ErrorMessage(err),
			Outage: f.Manual || motcua.PopulationUnavailable(err)}))
	}
	proc, cs, _ := strings.Cut(f.Choice, "|")
	cs, agency, _ := strings.Cut(cs, "|")
	if proc == "" || cs == "" {
		fail(motcua.Invalid("choice", "required", "Vui lòng chọn thủ tục và trường hợp giải quyết."))
		return
	}
	birth, err := parseFormDate("birth_date", f.BirthDate)
	if err != nil {
		fail(err)
		return
	}
	in := service.CounterStart{ProcedureCode: proc, CaseCode: cs, AgencyCode: agency, Phone: f.Phone, Manual: f.Manual, ManualReason: f.ManualReason,
		Submitter: service.CounterCheck{FullName: f.FullName, IDNumber: f.IDNumber, BirthDate: birth}}
	if f.OwnerID != "" {
		ob, err := parseFormDate("owner_birth_date", f.OwnerBirthDate)
		if err != nil {
			fail(err)
			return
		}
		in.Owner = &service.CounterCheck{FullName: f.OwnerName, IDNumber: f.OwnerID, BirthDate: ob}
	}
	d, err := s.cfg.Counter.Start(r.Context(), principal(r), in)
	if err != nil {
		fail(err)
		return
	}
	http.Redirect(w, r, "/can-bo/tiep-nhan/"+d.ID, http.StatusSeeOther)
}

// counterDraft shows, for each component, what the owner's warehouse
// holds before offering to scan.
func (s *Server) counterDraftPage(w http.ResponseWriter, r *http.Request, status int, errFor string, formErr error) {
	ctx := r.Context()
	v, err := s.cfg.Counter.View(ctx, principal(r), r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if v.DossierCode != "" {
		http.Redirect(w, r, "/can-bo/ho-so/"+url.PathEscape(v.DossierCode), http.StatusSeeOther)
		return
	}
	page := draftPage{Title: counterStartTitle, View: v, Pick: r.URL.Query().Get("lay-tu-kho"), ErrorFor: errFor}
	page.fill(v, formErr)
	if a, err := s.cfg.Store.GetAgency(ctx, v.Draft.AgencyCode); err == nil {
		page.Agency = a
	}
	s.render(w, r, status, "counter_draft", page)
}

func (s *Server) counterDraft(w http.ResponseWriter, r *http.Request) {
	s.counterDraftPage(w, r, http.StatusOK, "", nil)
}

// counterComponent takes a warehouse document or a scan for a component.
func (s *Server) counterComponent(w http.ResponseWriter, r *http.Request) {
	ctx, p := r.Context(), principal(r)
	id, comp := r.PathValue("id"), r.PathValue("component")
	err := s.componentChoice(w, r,
		func(docID string) error { _, err := s.cfg.Counter.Attach(ctx, p, id, comp, docID); return err },
		func(up service.Upload) error { _, err := s.cfg.Counter.Scan(ctx, p, id, comp, up); return err })
	if err != nil {
		if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.ENOTFOUND) {
			s.renderError(w, r, err)
			return
		}
		s.counterDraftPage(w, r, httpx.Status(err), comp, err)
		return
	}
	http.Redirect(w, r, "/can-bo/tiep-nhan/"+id+"#tp-"+comp, http.StatusSeeOther)
}

// counterReceive is "Tiếp nhận hồ sơ": the dossier is received at once.
func (s *Server) counterReceive(w http.ResponseWriter, r *http.Request) {
	d, err := s.cfg.Counter.Receive(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.ENOTFOUND) {
			s.renderError(w, r, err)
			return
		}
		s.counterDraftPage(w, r, httpx.Status(err), "", err)
		return
	}
	http.Redirect(w, r, "/can-bo/ho-so/"+url.PathEscape(d.Code)+"?da-chuyen=2", http.StatusSeeOther)
}

// counterDocumentFile shows the officer a warehouse document offered for
// a component of the counter draft.
func (s *Server) counterDocumentFile(w http.ResponseWriter, r *http.Request) {
	rc, file, err := s.cfg.Counter.DocumentFile(r.Context(), principal(r), r.PathValue("id"), r.PathValue("doc"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	defer rc.Close()
	httpx.StreamPDF(w, r, rc, file, "inline", "stream counter document", "draft", r.PathValue("id"), "document", r.PathValue("doc"))
}
