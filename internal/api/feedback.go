package api

import (
	"net/http"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// registerFeedback adds feedback on results: the owner reports a document
// of their warehouse; officers of the issuing agency list, reject or
// correct.
func (a *api) registerFeedback(mux routes) {
	mux.HandleFunc("POST /api/v1/warehouse/documents/{id}/feedback", a.reportFeedback)
	mux.HandleFunc("GET /api/v1/warehouse/documents/{id}/feedback", a.documentFeedback)
	mux.HandleFunc("GET /api/v1/feedback", a.feedbackQueue)
	mux.HandleFunc("GET /api/v1/feedback/{id}", a.getFeedback)
	mux.HandleFunc("POST /api/v1/feedback/{id}/reject", a.rejectFeedback)
	mux.HandleFunc("POST /api/v1/feedback/{id}/correct", a.correctFeedback)
}

// feedbackJSON is a feedback as the API shows it.
type feedbackJSON struct {
	ID                  string    `json:"id"`
	DocumentID          string    `json:"document_id"`
	DocumentCode        string    `json:"document_code"`
	OwnerID             string    `json:"owner_id"`
	Agency              string    `json:"agency"`
	Reason              string    `json:"reason"`
	ReasonLabel         string    `json:"reason_label"`
	Comment             string    `json:"comment,omitempty"`
	Status              string    `json:"status"`
	StatusLabel         string    `json:"status_label"`
	CreatedAt           time.Time `json:"created_at"`
	DueAt               time.Time `json:"due_at"`
	Overdue             bool      `json:"overdue"`
	ResolvedAt          time.Time `json:"resolved_at,omitzero"`
	ResolvedBy          string    `json:"resolved_by,omitempty"`
	Resolution          string    `json:"resolution,omitempty"`
	CorrectedDocumentID string    `json:"corrected_document_id,omitempty"`
}

func feedbackToJSON(f *motcua.Feedback, now time.Time) feedbackJSON {
	return feedbackJSON{ID: f.ID, DocumentID: f.DocumentID, DocumentCode: f.DocumentCode, OwnerID: f.OwnerCode, Agency: f.AgencyCode,
		Reason: string(f.Reason), ReasonLabel: f.Reason.Label(), Comment: f.Comment, Status: string(f.Status),
		StatusLabel: f.Status.Label(), CreatedAt: f.CreatedAt, DueAt: f.DueAt, Overdue: f.Overdue(now), ResolvedAt: f.ResolvedAt,
		ResolvedBy: f.ResolvedBy, Resolution: f.Resolution, CorrectedDocumentID: f.CorrectedDocumentID}
}

func (a *api) feedbackList(w http.ResponseWriter, fs []*motcua.Feedback, total int) {
	now := a.cfg.Feedback.Now()
	items := make([]feedbackJSON, len(fs))
	for i, f := range fs {
		items[i] = feedbackToJSON(f, now)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "total": total})
}

func (a *api) reportFeedback(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason  string `json:"reason"`
		Comment string `json:"comment"`
	}
	if err := decodeJSON(r, &in); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	f, err := a.cfg.Feedback.Report(r.Context(), principal(r), service.FeedbackReport{DocumentID: r.PathValue("id"),
		Reason: motcua.FeedbackReason(in.Reason), Comment: in.Comment})
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, feedbackToJSON(f, a.cfg.Feedback.Now()))
}

func (a *api) documentFeedback(w http.ResponseWriter, r *http.Request) {
	fs, err := a.cfg.Feedback.ForDocument(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	a.feedbackList(w, fs, len(fs))
}

func (a *api) feedbackQueue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := intParam(q, "limit", 50, 1, 500)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	offset, err := intParam(q, "offset", 0, 0, 1<<30)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	fs, total, err := a.cfg.Feedback.Queue(r.Context(), principal(r), motcua.FeedbackStatus(q.Get("status")), limit, offset)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	a.feedbackList(w, fs, total)
}

func (a *api) getFeedback(w http.ResponseWriter, r *http.Request) {
	c, err := a.cfg.Feedback.Get(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, feedbackToJSON(c.Feedback, a.cfg.Feedback.Now()))
}

func (a *api) rejectFeedback(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Resolution string `json:"resolution"`
	}
	if err := decodeJSON(r, &in); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	f, err := a.cfg.Feedback.Reject(r.Context(), principal(r), r.PathValue("id"), in.Resolution)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, feedbackToJSON(f, a.cfg.Feedback.Now()))
}

func (a *api) correctFeedback(w http.ResponseWriter, r *http.Request) {
	up, err := a.readFile(w, r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	f, d, err := a.cfg.Feedback.Correct(r.Context(), principal(r), r.PathValue("id"), service.Correction{File: up,
		DecisionNumber: r.FormValue("decision_number"), Note: r.FormValue("note")})
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"feedback": feedbackToJSON(f, a.cfg.Feedback.Now()), "document": toJSON(d, nil)})
}
