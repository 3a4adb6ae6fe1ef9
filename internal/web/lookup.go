package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// "Tra cứu hồ sơ": anyone looks a dossier up by its code and its owner's
// personal id, without login, and sees its status and dates only.

type lookupPage struct {
	Title   string
	Code    string
	OwnerID string
	Result  *service.DossierLookup
	Error   string
}

func (p lookupPage) title() string { return p.Title }

const lookupTitle = "Tra cứu hồ sơ"

// dossierLookup answers GET (the form, or the look-up when both fields
// are in the query; the receipt's QR gives the code) and POST (the form
// sent, so that the personal id stays out of addresses and logs).
func (s *Server) dossierLookup(w http.ResponseWriter, r *http.Request) {
	page := lookupPage{Title: lookupTitle}
	if r.Method == http.MethodPost {
		page.Code, page.OwnerID = strings.TrimSpace(r.PostFormValue("ma-ho-so")), strings.TrimSpace(r.PostFormValue("so-dinh-danh"))
	} else {
		q := r.URL.Query()
		page.Code, page.OwnerID = strings.TrimSpace(q.Get("ma-ho-so")), strings.TrimSpace(q.Get("so-dinh-danh"))
	}
	status := http.StatusOK
	if r.Method == http.MethodPost || page.Code != "" && page.OwnerID != "" {
		res, err := s.cfg.Submissions.Lookup(r.Context(), page.Code, page.OwnerID, client(r).RemoteAddr)
		if err != nil {
			if httpx.Status(err) >= 500 {
				s.renderError(w, r, err)
				return
			}
			page.Error, status = motcua.ErrorMessage(err), httpx.Status(err)
		}
		page.Result = res
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.render(w, r, status, "dossier_lookup", page)
}

// lookupURL is the public look-up address of a dossier code: what the
// receipts' QR codes hold (the personal id is typed, not printed).
func (s *Server) lookupURL(code string) string {
	return s.cfg.PublicURL + "/tra-cuu-ho-so?ma-ho-so=" + url.QueryEscape(code)
}

// lookupQR is a PNG QR code of a dossier's look-up address.
func (s *Server) lookupQR(w http.ResponseWriter, r *http.Request, code string, size int) {
	if _, err := motcua.ParseDossierCode(code); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	png, err := qrcode.Encode(s.lookupURL(code), qrcode.Medium, size)
	if err != nil {
		httpx.WriteError(w, r, motcua.Internal(err))
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	_, _ = w.Write(png)
}
