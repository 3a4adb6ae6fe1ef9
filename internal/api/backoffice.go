package api

import (
	"net/http"

	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
)

// The officers' API on their agency's dossiers: the queue, status changes,
// forwarding, scans of paper components, the result draft and the
// leader's signature. Officers authenticate with their session.

func (a *api) registerBackOffice(mux routes) {
	mux.HandleFunc("GET /api/v1/agency/dossiers", a.agencyQueue)
	mux.HandleFunc("GET /api/v1/agency/dossiers/{code}", a.agencyDossier)
	mux.HandleFunc("POST /api/v1/agency/dossiers/{code}/status", a.agencyTransition)
	mux.HandleFunc("POST /api/v1/agency/dossiers/{code}/assign", a.agencyAssign)
	mux.HandleFunc("PUT /api/v1/agency/dossiers/{code}/components/{component}", a.agencyDigitize)
	mux.HandleFunc("PUT /api/v1/agency/dossiers/{code}/result", a.agencyDraftResult)
	mux.HandleFunc("POST /api/v1/agency/dossiers/{code}/result/sign", a.agencySignResult)
	mux.HandleFunc("GET /api/v1/agency/identity-alerts", a.identityAlerts)
}

// agencyDossierJSON is a dossier as the agency sees it.
type agencyDossierJSON struct {
	dossierJSON
	OwnerCode string `json:"owner_code"`
	// CoApplicants are the other parties of a two-party procedure, who
	// receive the result too.
	CoApplicants []partyJSON `json:"co_applicants"`
	// SubmitMethod is the online applicant's "Hình thức nộp hồ sơ"
	// (online, counter, post); empty for counter receptions.
	SubmitMethod   string         `json:"submit_method"`
	ReceivedAt     time.Time      `json:"received_at,omitzero"`
	HandlingAgency string         `json:"handling_agency"`
	Assignee       string         `json:"assignee,omitempty"`
	Overdue        bool           `json:"overdue"`
	Result         *resultJSON    `json:"result,omitempty"`
	ResultDocIDs   []string       `json:"result_document_ids"`
	History        []historyEntry `json:"history"`
	// Supplement is the latest supplement request, null when none.
	Supplement *supplementJSON `json:"supplement"`
}

type partyJSON struct {
	SubjectID string `json:"subject_id"`
	Name      string `json:"name"`
}

type resultJSON struct {
	Number   string    `json:"number"`
	Summary  string    `json:"summary,omitempty"`
	Signed   bool      `json:"signed"`
	SignedBy string    `json:"signed_by,omitempty"`
	SignedAt time.Time `json:"signed_at,omitzero"`
}

type historyEntry struct {
	From  int       `json:"from"`
	To    int       `json:"to"`
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	Note  string    `json:"note,omitempty"`
}

func toAgencyDossierJSON(d *motcua.Dossier) agencyDossierJSON {
	out := agencyDossierJSON{dossierJSON: toDossierJSON(d), OwnerCode: d.Owner.Code, ReceivedAt: d.ReceivedAt,
		HandlingAgency: d.HandlingAgency, Assignee: d.Assignee, Overdue: d.Overdue(time.Now()),
		ResultDocIDs: append([]string{}, d.ResultDocIDs...), History: []historyEntry{}, Supplement: toSupplementJSON(d),
		CoApplicants: []partyJSON{}, SubmitMethod: string(d.SubmitMethod)}
	for _, c := range d.CoApplicants {
		out.CoApplicants = append(out.CoApplicants, partyJSON{SubjectID: c.Code, Name: c.Name})
	}
	out.IdentityCheck = toIdentityCheckJSON(d.IdentityCheck, true)
	if r := d.Result; r != nil {
		out.Result = &resultJSON{Number: r.Number, Summary: r.Summary, Signed: r.Signed != nil, SignedBy: r.SignedBy, SignedAt: r.SignedAt}
	}
	for _, h := range d.StatusHistory {
		out.History = append(out.History, historyEntry{From: int(h.From), To: int(h.To), At: h.At, Actor: h.Actor, Note: h.Note})
	}
	return out
}

func (a *api) writeAgencyDossier(w http.ResponseWriter, r *http.Request, d *motcua.Dossier, err error) {
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toAgencyDossierJSON(d))
}

func (a *api) agencyQueue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	status, err := intParam(q, "status", int(motcua.StatusRegistered), 1, 10)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	page, err := intParam(q, "page", 1, 1, 1_000_000)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	ds, total, err := a.cfg.Reception.Queue(r.Context(), principal(r), motcua.DossierStatus(status), 50, (page-1)*50)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	items := make([]agencyDossierJSON, 0, len(ds))
	for _, d := range ds {
		items = append(items, toAgencyDossierJSON(d))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "total": total})
}

func (a *api) agencyDossier(w http.ResponseWriter, r *http.Request) {
	d, err := a.cfg.Reception.Dossier(r.Context(), principal(r), r.PathValue("code"))
	a.writeAgencyDossier(w, r, d, err)
}

func (a *api) agencyTransition(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Status int    `json:"status"`
		Note   string `json:"note"`
		// Components, with status 5, are the codes of the components
		// the citizen must fix.
		Components []string `json:"components"`
	}
	if err := decodeJSON(r, &in); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	if !motcua.DossierStatus(in.Status).Valid() {
		httpx.WriteError(w, r, motcua.Invalid("status", "invalid_dossier_status", "Trạng thái hồ sơ phải là một số từ 1 đến 10."))
		return
	}
	var d *motcua.Dossier
	var err error
	switch {
	case motcua.DossierStatus(in.Status) == motcua.StatusSupplement:
		d, err = a.cfg.Reception.RequestSupplement(r.Context(), principal(r), r.PathValue("code"), in.Note, in.Components)
	case len(in.Components) > 0:
		err = motcua.Invalid("components", "components_not_allowed", "Chỉ nêu thành phần hồ sơ khi yêu cầu bổ sung (trạng thái 5).")
	default:
		d, err = a.cfg.Reception.Transition(r.Context(), principal(r), r.PathValue("code"), motcua.DossierStatus(in.Status), in.Note)
	}
	a.writeAgencyDossier(w, r, d, err)
}

func (a *api) agencyAssign(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Agency   string `json:"agency"`
		Assignee string `json:"assignee"`
		Note     string `json:"note"`
	}
	if err := decodeJSON(r, &in); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	d, err := a.cfg.Reception.Assign(r.Context(), principal(r), r.PathValue("code"), in.Agency, in.Assignee, in.Note)
	a.writeAgencyDossier(w, r, d, err)
}

func (a *api) agencyDigitize(w http.ResponseWriter, r *http.Request) {
	up, err := a.readFile(w, r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	d, err := a.cfg.Reception.DigitizeComponent(r.Context(), principal(r), r.PathValue("code"), r.PathValue("component"), up)
	a.writeAgencyDossier(w, r, d, err)
}

func (a *api) agencyDraftResult(w http.ResponseWriter, r *http.Request) {
	up, err := a.readFile(w, r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	d, err := a.cfg.Reception.DraftResult(r.Context(), principal(r), r.PathValue("code"), r.FormValue("number"), r.FormValue("summary"), up)
	a.writeAgencyDossier(w, r, d, err)
}

func (a *api) agencySignResult(w http.ResponseWriter, r *http.Request) {
	d, err := a.cfg.Reception.SignResult(r.Context(), principal(r), r.PathValue("code"))
	a.writeAgencyDossier(w, r, d, err)
}
