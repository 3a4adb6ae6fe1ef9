package api

import (
	"net/http"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// Two-party procedures: the applicant names a co-applicant; the
// co-applicant lists and answers the requests addressed to them.

func (a *api) coApplicantRoutes(mux routes) {
	mux.HandleFunc("POST /api/v1/dossiers/drafts/{id}/co-applicants", a.addCoApplicant)
	mux.HandleFunc("GET /api/v1/consent-requests", a.consentRequests)
	mux.HandleFunc("POST /api/v1/consent-requests/{draft_id}", a.decideConsent)
}

func (a *api) addCoApplicant(w http.ResponseWriter, r *http.Request) {
	var in struct {
		SubjectID string      `json:"subject_id"`
		Name      string      `json:"name"`
		BirthDate motcua.Date `json:"birth_date"`
	}
	if err := decodeJSON(r, &in); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	d, err := a.cfg.Submissions.AddCoApplicant(r.Context(), principal(r), r.PathValue("id"),
		motcua.CoApplicant{SubjectID: in.SubjectID, Name: in.Name, BirthDate: in.BirthDate})
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	writeDraft(w, http.StatusCreated, d)
}

type consentRequestJSON struct {
	DraftID   string `json:"draft_id"`
	Applicant struct {
		SubjectID string `json:"subject_id"`
		Name      string `json:"name"`
	} `json:"applicant"`
	Procedure struct {
		Code string `json:"code"`
		Name string `json:"name"`
	} `json:"procedure"`
	Agency    string         `json:"agency"`
	Consent   motcua.Consent `json:"consent"`
	AskedAt   time.Time      `json:"asked_at"`
	DecidedAt *time.Time     `json:"decided_at,omitempty"`
}

func consentRequestOf(c service.ConsentRequest) consentRequestJSON {
	var out consentRequestJSON
	out.DraftID = c.DraftID
	out.Applicant.SubjectID, out.Applicant.Name = c.Applicant.Code, c.Applicant.Name
	out.Procedure.Code, out.Procedure.Name = c.ProcedureCode, c.ProcedureName
	out.Agency, out.Consent = c.Agency, c.CoApplicant.Consent
	out.AskedAt, out.DecidedAt = c.CoApplicant.AskedAt, c.CoApplicant.DecidedAt
	return out
}

func (a *api) consentRequests(w http.ResponseWriter, r *http.Request) {
	status := r.URL.Query().Get("status")
	if status != "" && status != string(motcua.ConsentPending) {
		httpx.WriteError(w, r, motcua.Invalid("status", "invalid_status", "Trạng thái lọc chỉ có thể là pending."))
		return
	}
	reqs, err := a.cfg.Submissions.ConsentRequests(r.Context(), principal(r), status != "")
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	out := make([]consentRequestJSON, 0, len(reqs))
	for _, c := range reqs {
		out = append(out, consentRequestOf(c))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (a *api) decideConsent(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Consent motcua.Consent `json:"consent"`
	}
	if err := decodeJSON(r, &in); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	c, err := a.cfg.Submissions.DecideConsent(r.Context(), principal(r), r.PathValue("draft_id"), in.Consent)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, consentRequestOf(*c))
}
