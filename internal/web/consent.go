package web

import (
	"net/http"
	"net/url"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// Two-party procedures: the applicant names the co-applicant on the
// draft page; the co-applicant answers on "Yêu cầu đồng ý sử dụng dữ
// liệu".

// applyCoApplicant is the draft's "Thêm người cùng nộp hồ sơ".
func (s *Server) applyCoApplicant(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	id := r.PathValue("id")
	birth, err := motcua.ParseDate(r.PostFormValue("birth_date"))
	if err != nil && r.PostFormValue("birth_date") != "" {
		s.draftPage(w, r, http.StatusUnprocessableEntity, "nguoi-cung-nop",
			motcua.Invalid("birth_date", "invalid_date", "Ngày sinh không hợp lệ (dd/mm/yyyy)."))
		return
	}
	_, err = s.cfg.Submissions.AddCoApplicant(r.Context(), principal(r), id, motcua.CoApplicant{
		SubjectID: r.PostFormValue("subject_id"), Name: r.PostFormValue("name"), BirthDate: birth})
	if err != nil {
		if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.ENOTFOUND) {
			s.renderError(w, r, err)
			return
		}
		s.draftPage(w, r, httpx.Status(err), "nguoi-cung-nop", err)
		return
	}
	http.Redirect(w, r, "/ho-so-nhap/"+url.PathEscape(id)+"#nguoi-cung-nop", http.StatusSeeOther)
}

type consentPage struct {
	Title    string
	Requests []service.ConsentRequest
	Notice   string
	Error    string
}

func (p consentPage) title() string { return p.Title }

// consentRequests lists the requests addressed to the logged-in person.
func (s *Server) consentRequests(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	s.consentPage(w, r, http.StatusOK, nil)
}

func (s *Server) consentPage(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	reqs, err := s.cfg.Submissions.ConsentRequests(r.Context(), principal(r), false)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page := consentPage{Title: "Yêu cầu đồng ý sử dụng dữ liệu", Requests: reqs}
	switch r.URL.Query().Get("da") {
	case string(motcua.ConsentGranted):
		page.Notice = "Đã đồng ý: hồ sơ được sử dụng giấy tờ phù hợp trong Kho dữ liệu của bạn; mỗi lần sử dụng được ghi vào nhật ký."
	case string(motcua.ConsentRefused):
		page.Notice = "Đã từ chối: hồ sơ không được sử dụng giấy tờ trong Kho dữ liệu của bạn."
	}
	if formErr != nil {
		page.Error = motcua.ErrorMessage(formErr)
	}
	s.render(w, r, status, "consent_requests", page)
}

// consentAnswer is "Đồng ý" or "Từ chối".
func (s *Server) consentAnswer(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	answer := motcua.Consent(r.PostFormValue("consent"))
	if _, err := s.cfg.Submissions.DecideConsent(r.Context(), principal(r), r.PathValue("id"), answer); err != nil {
		if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.ENOTFOUND) {
			s.renderError(w, r, err)
			return
		}
		s.consentPage(w, r, httpx.Status(err), err)
		return
	}
	http.Redirect(w, r, service.ConsentPagePath+"?da="+url.QueryEscape(string(answer)), http.StatusSeeOther)
}
