package web

import (
	"net/http"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

type profileForm struct {
	Name, BirthDate, Phone, Email string
}

type profilePage struct {
	Title string
	Form  profileForm
	Error string
	Field string
}

func (p profilePage) title() string { return p.Title }

const profileTitle = "Chỉnh sửa thông tin cá nhân"

func (s *Server) profilePage(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	p := principal(r)
	if p.Kind != motcua.PrincipalPerson {
		s.renderError(w, r, service.Authorize(p, service.OpWriteWarehouse, service.Resource{}))
		return
	}
	sub, err := s.cfg.Store.GetSubject(r.Context(), p.SubjectCode)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "profile", profilePage{Title: profileTitle,
		Form: profileForm{Name: sub.Name, BirthDate: sub.BirthDate.Display(), Phone: sub.Phone, Email: sub.Email}})
}

func (s *Server) updateProfile(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	f := profileForm{Name: r.PostFormValue("name"), BirthDate: r.PostFormValue("birth_date"), Phone: r.PostFormValue("phone"),
		Email: r.PostFormValue("email")}
	fail := func(err error) {
		s.formError(w, r, err, "profile", profilePage{Title: profileTitle, Form: f, Error: motcua.ErrorMessage(err), Field: fieldOf(err)})
	}
	birth, err := parseFormDate("birth_date", f.BirthDate)
	if err != nil {
		fail(err)
		return
	}
	if _, err := service.UpdateProfile(r.Context(), s.cfg.Store, principal(r), service.ProfileUpdate{Name: f.Name,
		BirthDate: birth, Phone: f.Phone, Email: f.Email}); err != nil {
		fail(err)
		return
	}
	http.Redirect(w, r, "/tai-khoan", http.StatusSeeOther)
}
