package api

import (
	"errors"
	"mime"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/pdfsig"
	"github.com/motcua/motcua/internal/service"
)

// The citizen's dossier in detail: the supplement request, the status
// history and the answers (issue 16).

type supplementComponentJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type supplementJSON struct {
	Seq         int                       `json:"seq"`
	Reason      string                    `json:"reason"`
	Components  []supplementComponentJSON `json:"components"` // empty: any component may be replaced
	RequestedAt time.Time                 `json:"requested_at"`
	Open        bool                      `json:"open"`
	AnsweredAt  *time.Time                `json:"answered_at"`
}

type historyJSON struct {
	From      int       `json:"from"`
	To        int       `json:"to"`
	FromLabel string    `json:"from_label"`
	ToLabel   string    `json:"to_label"`
	At        time.Time `json:"at"`
	By        string    `json:"by,omitempty"`
	Note      string    `json:"note"`
}

// dossierDetailJSON is GET /api/v1/dossiers/{code}: the list's fields and
// the procedure's name, the latest supplement request (null when none),
// the status history, oldest first, and whether it may be withdrawn.
type dossierDetailJSON struct {
	dossierJSON
	ProcedureName string          `json:"procedure_name"`
	Supplement    *supplementJSON `json:"supplement"`
	History       []historyJSON   `json:"history"`
	Withdrawable  bool            `json:"withdrawable"`
}

func (a *api) dossierDetail(r *http.Request, d *motcua.Dossier) dossierDetailJSON {
	out := dossierDetailJSON{dossierJSON: toDossierJSON(d), History: []historyJSON{}, Withdrawable: d.Withdrawable()}
	if p, err := a.cfg.Store.GetProcedureVersion(r.Context(), d.ProcedureCode, d.ProcedureVersion); err == nil {
		out.ProcedureName = p.Name
	}
	out.Supplement = toSupplementJSON(d)
	for _, h := range d.StatusHistory {
		if h.From == h.To {
			continue // forwarding between officers is not a status change
		}
		out.History = append(out.History, historyJSON{From: int(h.From), To: int(h.To), FromLabel: h.From.Label(),
			ToLabel: h.To.Label(), At: h.At, By: h.Actor, Note: h.Note})
	}
	return out
}

// answerSupplement is POST /api/v1/dossiers/{code}/supplement: a JSON
// body {"components": [{"id", "document_id"}]} takes warehouse
// documents; a multipart/form-data body carries, per component, a file
// part named by the component id (an upload) or a text field of that
// name (a warehouse document id). Idempotency-Key makes a retry return
// the same answer without applying it twice.
func (a *api) answerSupplement(w http.ResponseWriter, r *http.Request) {
	parts, err := a.supplementParts(w, r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	d, _, err := a.cfg.Submissions.AnswerSupplement(r.Context(), principal(r), r.PathValue("code"), parts,
		r.Header.Get("Idempotency-Key"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, a.dossierDetail(r, d))
}

func (a *api) supplementParts(w http.ResponseWriter, r *http.Request) ([]service.SupplementPart, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if !strings.HasPrefix(ct, "multipart/") {
		var in struct {
			Components []struct {
				ID         string `json:"id"`
				DocumentID string `json:"document_id"`
			} `json:"components"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return nil, err
		}
		parts := make([]service.SupplementPart, 0, len(in.Components))
		for _, c := range in.Components {
			parts = append(parts, service.SupplementPart{Component: c.ID, DocumentID: c.DocumentID})
		}
		return parts, nil
	}
	limit := a.cfg.Warehouse.MaxFileSize()
	r.Body = http.MaxBytesReader(w, r.Body, maxSupplementFiles*limit+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &motcua.Error{Kind: motcua.EINVALID, Code: string(pdfsig.ReasonTooLarge), Field: "file",
				Message: pdfsig.ReasonTooLarge.Message()}
		}
		return nil, invalidField("body", "Yêu cầu phải là multipart/form-data, mỗi thành phần một trường mang mã thành phần.")
	}
	var parts []service.SupplementPart
	for name, values := range r.MultipartForm.Value {
		for _, v := range values {
			parts = append(parts, service.SupplementPart{Component: name, DocumentID: strings.TrimSpace(v)})
		}
	}
	for name, files := range r.MultipartForm.File {
		for _, hdr := range files {
			f, err := hdr.Open()
			if err != nil {
				return nil, motcua.Invalid("components."+name, "upload_failed", "Không nhận được đầy đủ tệp tin; vui lòng tải lên lại.")
			}
			up, err := a.cfg.Warehouse.ReadUpload(hdr.Filename, f)
			f.Close()
			if err != nil {
				return nil, err
			}
			parts = append(parts, service.SupplementPart{Component: name, Upload: &up})
		}
	}
	// Map order is random: answer in a stable order, so that the same
	// request meets the same first error.
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].Component < parts[j].Component })
	return parts, nil
}

// maxSupplementFiles bounds the files of one supplement answer.
const maxSupplementFiles = 10

// withdrawDossier is POST /api/v1/dossiers/{code}/withdraw {"reason"}.
func (a *api) withdrawDossier(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	d, err := a.cfg.Submissions.Withdraw(r.Context(), principal(r), r.PathValue("code"), in.Reason)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, a.dossierDetail(r, d))
}

// toSupplementJSON is d's latest supplement request, nil when none.
func toSupplementJSON(d *motcua.Dossier) *supplementJSON {
	s := d.Supplement()
	if s == nil {
		return nil
	}
	sj := &supplementJSON{Seq: s.Seq, Reason: s.Reason, Components: []supplementComponentJSON{}, RequestedAt: s.RequestedAt,
		Open: s.Open() && d.Status == motcua.StatusSupplement}
	for _, code := range s.Components {
		c := supplementComponentJSON{ID: code, Name: code}
		if dc, ok := d.Component(code); ok {
			c.Name = dc.Name
		}
		sj.Components = append(sj.Components, c)
	}
	if !s.AnsweredAt.IsZero() {
		at := s.AnsweredAt
		sj.AnsweredAt = &at
	}
	return sj
}
