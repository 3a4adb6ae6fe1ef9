package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// officerAction runs one processing action from the dossier's page and
// shows the page again: with the error, or with done as the message.
func (s *Server) officerAction(w http.ResponseWriter, r *http.Request, done string, act func(code string) error) {
	code := r.PathValue("code")
	if err := act(code); err != nil {
		cur, gerr := s.cfg.Reception.Dossier(r.Context(), principal(r), code)
		if gerr != nil || httpx.Status(err) >= 500 {
			s.renderError(w, r, err)
			return
		}
		page, perr := s.officerDossierData(r, cur)
		if perr != nil {
			s.renderError(w, r, perr)
			return
		}
		page.Error = motcua.ErrorMessage(err)
		s.formError(w, r, err, "officer_dossier", page)
		return
	}
	http.Redirect(w, r, "/can-bo/ho-so/"+url.PathEscape(code)+"?xong="+url.QueryEscape(done), http.StatusSeeOther)
}

// officerAssign is "Chuyển xử lý" between officers and agencies.
func (s *Server) officerAssign(w http.ResponseWriter, r *http.Request) {
	s.officerAction(w, r, "chuyen", func(code string) error {
		_, err := s.cfg.Reception.Assign(r.Context(), principal(r), code, r.PostFormValue("agency"),
			r.PostFormValue("assignee"), r.PostFormValue("note"))
		return err
	})
}

// officerDraftResult uploads the draft result ("Dự thảo kết quả").
func (s *Server) officerDraftResult(w http.ResponseWriter, r *http.Request) {
	s.officerAction(w, r, "du-thao", func(code string) error {
		if err := s.parseMultipart(w, r); err != nil {
			return err
		}
		up, err := s.formUpload(w, r)
		if err != nil {
			return err
		}
		_, err = s.cfg.Reception.DraftResult(r.Context(), principal(r), code, r.PostFormValue("number"), r.PostFormValue("summary"), up)
		return err
	})
}

// officerDraftResultForm fills in the simple result template.
func (s *Server) officerDraftResultForm(w http.ResponseWriter, r *http.Request) {
	s.officerAction(w, r, "du-thao", func(code string) error {
		_, err := s.cfg.Reception.DraftResultForm(r.Context(), principal(r), code, r.PostFormValue("number"), r.PostFormValue("summary"),
			service.ResultForm{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), Place: r.PostFormValue("place"),
				Signer: r.PostFormValue("signer")})
		return err
	})
}

// officerSignResult is the leader's "Ký số kết quả".
func (s *Server) officerSignResult(w http.ResponseWriter, r *http.Request) {
	s.officerAction(w, r, "ky-so", func(code string) error {
		_, err := s.cfg.Reception.SignResult(r.Context(), principal(r), code)
		return err
	})
}

// officerResultFile shows the draft or signed result in the browser.
func (s *Server) officerResultFile(w http.ResponseWriter, r *http.Request) {
	rc, file, err := s.cfg.Reception.ResultFile(r.Context(), principal(r), r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	defer rc.Close()
	httpx.StreamPDFRange(w, r, s.cfg.Blobs, rc, file, "inline", "stream result", "dossier", r.PathValue("code"))
}

// officerDigitize scans a component of a received paper dossier.
func (s *Server) officerDigitize(w http.ResponseWriter, r *http.Request) {
	s.officerAction(w, r, "so-hoa", func(code string) error {
		if err := s.parseMultipart(w, r); err != nil {
			return err
		}
		up, err := s.formUpload(w, r)
		if err != nil {
			return err
		}
		_, err = s.cfg.Reception.DigitizeComponent(r.Context(), principal(r), code, r.PathValue("component"), up)
		return err
	})
}

// doneMessages are the confirmations of the processing actions.
var doneMessages = map[string]string{
	"chuyen":  "Đã chuyển xử lý hồ sơ.",
	"so-hoa":  "Đã số hóa thành phần hồ sơ.",
	"du-thao": "Đã lưu dự thảo kết quả; lãnh đạo có thể ký số.",
	"ky-so":   "Đã ký số kết quả; hồ sơ đã xử lý xong, chờ trả kết quả.",
}

func doneMessage(key string) string { return doneMessages[strings.TrimSpace(key)] }
