package web

import (
	"net/http"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
)

// dossierPDF writes a printable notice of a dossier: the receipt (Giấy
// tiếp nhận hồ sơ), the supplement notice (Phiếu yêu cầu bổ sung).
type dossierPDF func(w http.ResponseWriter, r *http.Request, d *motcua.Dossier)

// citizenPDF serves write for the applicant's own dossier
// (/ho-so/{code}/…).
func (s *Server) citizenPDF(write dossierPDF) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !requireLogin(w, r, "/auth/login") {
			return
		}
		d, err := s.cfg.Submissions.MyDossier(r.Context(), principal(r), r.PathValue("code"))
		if err != nil {
			httpx.WriteError(w, r, err)
			return
		}
		write(w, r, d)
	}
}

// officerPDF serves write at the desk, for a dossier the officer may see
// (/can-bo/ho-so/{code}/…).
func (s *Server) officerPDF(write dossierPDF) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := s.cfg.Reception.Dossier(r.Context(), principal(r), r.PathValue("code"))
		if err != nil {
			httpx.WriteError(w, r, err)
			return
		}
		write(w, r, d)
	}
}
