package web

import (
	"net/http"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

type registerForm struct {
	FullName, PersonalID, BirthDate, Phone, Email string
}

type registerPage struct {
	Title string
	Form  registerForm
	Error string
	Field string
}

func (p registerPage) title() string { return p.Title }

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "register", registerPage{Title: "Đăng ký tài khoản"})
}

// parseFormDate reads a dd/mm/yyyy (or ISO) date field; empty stays zero.
func parseFormDate(field, v string) (motcua.Date, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return motcua.Date{}, nil
	}
	d, err := motcua.ParseDate(v)
	if err != nil {
		return d, motcua.Invalid(field, "invalid_date", "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 03/02/1990.")
	}
	return d, nil
}

// formError re-renders a form with the error when the user can fix it,
// and shows the error page otherwise.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, err error, page string, data titled) {
	if httpx.Status(err) >= 500 && !motcua.IsKind(err, motcua.EUNAVAILABLE) || motcua.IsKind(err, motcua.EFORBIDDEN) {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, httpx.Status(err), page, data)
}

func fieldOf(err error) string {
	if e, ok := err.(*motcua.Error); ok {
		return e.Field
	}
	return ""
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	f := registerForm{FullName: r.PostFormValue("full_name"), PersonalID: strings.TrimSpace(r.PostFormValue("personal_id")),
		BirthDate: r.PostFormValue("birth_date"), Phone: strings.TrimSpace(r.PostFormValue("phone")), Email: strings.TrimSpace(r.PostFormValue("email"))}
	fail := func(err error) {
		s.formError(w, r, err, "register", registerPage{Title: "Đăng ký tài khoản", Form: f, Error: motcua.ErrorMessage(err), Field: fieldOf(err)})
	}
	birth, err := parseFormDate("birth_date", f.BirthDate)
	if err != nil {
		fail(err)
		return
	}
	token, err := s.cfg.Identity.Register(r.Context(), service.Registration{FullName: f.FullName, PersonalID: f.PersonalID,
		BirthDate: birth, Phone: f.Phone, Email: f.Email, Password: r.PostFormValue("password"),
		PasswordConfirm: r.PostFormValue("password_confirm")}, client(r))
	if err != nil {
		fail(err)
		return
	}
	s.setCookie(w, r, sessionCookie, token, "/", 0)
	http.Redirect(w, r, "/tai-khoan", http.StatusSeeOther)
}

type counterForm struct {
	FullName, IDNumber, BirthDate string
}

type counterCheckPage struct {
	Title   string
	Form    counterForm
	Error   string
	Citizen *motcua.RegisteredCitizen
	// Outage: the population database could not be reached; the page
	// links to the reception form with the manual verification.
	Outage bool
}

func (p counterCheckPage) title() string { return p.Title }

const counterCheckTitle = "Kiểm tra danh tính số"

func (s *Server) counterCheckPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "counter_check", counterCheckPage{Title: counterCheckTitle})
}

// counterCheck is the counter's "Kiểm tra danh tính số": on success the
// submitter's details are shown as the population database holds them.
func (s *Server) counterCheck(w http.ResponseWriter, r *http.Request) {
	f := counterForm{FullName: r.PostFormValue("full_name"), IDNumber: strings.TrimSpace(r.PostFormValue("id_number")),
		BirthDate: r.PostFormValue("birth_date")}
	fail := func(err error) {
		s.formError(w, r, err, "counter_check", counterCheckPage{Title: counterCheckTitle, Form: f, Error: motcua.ErrorMessage(err),
			Outage: motcua.PopulationUnavailable(err)})
	}
	birth, err := parseFormDate("birth_date", f.BirthDate)
	if err != nil {
		fail(err)
		return
	}
	citizen, err := s.cfg.Identity.CheckAtCounter(r.Context(), principal(r), service.CounterCheck{FullName: f.FullName,
		IDNumber: f.IDNumber, BirthDate: birth})
	if err != nil {
		fail(err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "counter_check", counterCheckPage{Title: counterCheckTitle, Form: f, Citizen: citizen})
}
