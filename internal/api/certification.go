package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// The certifying officer's API: issue an electronic certified copy from a
// scan of the original, and read the electronic certification book.

func (a *api) registerCertification(mux routes) {
	mux.HandleFunc("POST /api/v1/agency/certifications", a.certify)
	mux.HandleFunc("GET /api/v1/agency/certifications", a.certificationBook)
}

type certificationJSON struct {
	Number        int       `json:"number"`
	Year          int       `json:"year"`
	Reference     string    `json:"reference"`
	CertifiedAt   time.Time `json:"certified_at"`
	Officer       string    `json:"officer"`
	RequesterCode string    `json:"requester_code"`
	RequesterName string    `json:"requester_name"`
	OriginalName  string    `json:"original_name"`
	OriginalCode  string    `json:"original_code"`
	Pages         int       `json:"pages"`
	FeeVND        int64     `json:"fee_vnd"`
	DocumentID    string    `json:"document_id"`
	DocumentCode  string    `json:"document_code"`
}

func toCertificationJSON(e *motcua.CertificationEntry) certificationJSON {
	return certificationJSON{Number: e.Number, Year: e.Year, Reference: e.BookReference(), CertifiedAt: e.CertifiedAt,
		Officer: e.OfficerUsername, RequesterCode: e.RequesterCode, RequesterName: e.RequesterName, OriginalName: e.OriginalName,
		OriginalCode: e.OriginalCode, Pages: e.Pages, FeeVND: e.FeeVND, DocumentID: e.DocumentID, DocumentCode: e.DocumentCode}
}

// certify takes multipart fields requester_code, original_name,
// original_category, original_number, pages and the scan as file.
func (a *api) certify(w http.ResponseWriter, r *http.Request) {
	up, err := a.readFile(w, r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	pages, err := strconv.Atoi(r.FormValue("pages"))
	if err != nil {
		httpx.WriteError(w, r, motcua.Invalid("pages", "invalid_pages", "Số trang phải là một số nguyên dương."))
		return
	}
	c, err := a.cfg.Certification.Issue(r.Context(), principal(r), service.CertifyRequest{RequesterCode: r.FormValue("requester_code"),
		OriginalName: r.FormValue("original_name"), OriginalCategory: r.FormValue("original_category"),
		OriginalNumber: r.FormValue("original_number"), Pages: pages, Scan: up})
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/warehouse/documents/"+c.Document.ID)
	httpx.WriteJSON(w, http.StatusCreated, toCertificationJSON(c.Entry))
}

func (a *api) certificationBook(w http.ResponseWriter, r *http.Request) {
	year, err := intParam(r.URL.Query(), "year", time.Now().In(motcua.VietnamLocation()).Year(), 2000, 2999)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	entries, err := a.cfg.Certification.Book(r.Context(), principal(r), year)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	items := make([]certificationJSON, 0, len(entries))
	for _, e := range entries {
		items = append(items, toCertificationJSON(e))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"year": year, "items": items})
}
