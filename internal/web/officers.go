package web

import (
	"net/http"
	"net/url"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

type officersPage struct {
	Title    string
	Officers []*motcua.Officer
	Agencies []*motcua.Agency
	Roles    []motcua.Role
	Error    string
	Form     service.NewOfficer
}

func (p officersPage) title() string { return p.Title }

type officerPage struct {
	Title   string
	Officer *motcua.Officer
	Roles   []motcua.Role
	Error   string
}

func (p officerPage) title() string { return p.Title }

type officerSecretPage struct {
	Title   string
	Officer *motcua.Officer
	Secret  string
	URI     string
}

func (p officerSecretPage) title() string { return p.Title }

// requireLogin redirects visitors to the login page and reports whether
// the request may go on.
func requireLogin(w http.ResponseWriter, r *http.Request, loginPath string) bool {
	if principal(r) != nil {
		return true
	}
	http.Redirect(w, r, loginPath+"?return_to="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	return false
}

func (s *Server) officersList(w http.ResponseWriter, r *http.Request, form service.NewOfficer, formErr error) {
	ctx, p := r.Context(), principal(r)
	agencies, err := s.officers.Manageable(ctx, p)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	list, err := s.officers.List(ctx, p)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page := officersPage{Title: "Quản lý cán bộ", Officers: list, Agencies: agencies, Roles: motcua.Roles(), Form: form}
	status := http.StatusOK
	if formErr != nil {
		page.Error, status = motcua.ErrorMessage(formErr), httpx.Status(formErr)
	}
	s.render(w, r, status, "officers", page)
}

func (s *Server) officersPage(w http.ResponseWriter, r *http.Request) {
	s.officersList(w, r, service.NewOfficer{}, nil)
}

func formRoles(r *http.Request) []motcua.Role {
	var roles []motcua.Role
	for _, v := range r.PostForm["roles"] {
		roles = append(roles, motcua.Role(v))
	}
	return roles
}

func (s *Server) createOfficer(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.renderError(w, r, err)
		return
	}
	n := service.NewOfficer{Username: r.PostForm.Get("username"), Name: r.PostForm.Get("name"),
		AgencyCode: r.PostForm.Get("agency_code"), Roles: formRoles(r), Password: r.PostForm.Get("password")}
	o, secret, err := s.officers.Create(r.Context(), principal(r), n)
	if err != nil {
		if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.EFORBIDDEN) {
			s.renderError(w, r, err)
			return
		}
		n.Password = ""
		s.officersList(w, r, n, err)
		return
	}
	s.showSecret(w, r, o, secret)
}

func (s *Server) showSecret(w http.ResponseWriter, r *http.Request, o *motcua.Officer, secret string) {
	uri := service.TOTPURI(o.Username, secret)
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "officer_secret", officerSecretPage{Title: "Mã khóa xác thực hai lớp", Officer: o, Secret: secret, URI: uri})
}

func (s *Server) editOfficerPage(w http.ResponseWriter, r *http.Request) {
	o, err := s.officers.Get(r.Context(), principal(r), r.PathValue("username"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "officer_edit", officerPage{Title: "Cán bộ " + o.Name, Officer: o, Roles: motcua.Roles()})
}

func (s *Server) updateOfficer(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.renderError(w, r, err)
		return
	}
	u := service.OfficerUpdate{Name: r.PostForm.Get("name"), Roles: formRoles(r), Disabled: r.PostForm.Get("disabled") == "on",
		NewPassword: r.PostForm.Get("new_password"), ResetTOTP: r.PostForm.Get("reset_totp") == "on"}
	o, secret, err := s.officers.Update(r.Context(), principal(r), r.PathValue("username"), u)
	if err != nil {
		if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.EFORBIDDEN) || motcua.IsKind(err, motcua.ENOTFOUND) {
			s.renderError(w, r, err)
			return
		}
		cur, gerr := s.officers.Get(r.Context(), principal(r), r.PathValue("username"))
		if gerr != nil {
			s.renderError(w, r, gerr)
			return
		}
		s.render(w, r, httpx.Status(err), "officer_edit", officerPage{Title: "Cán bộ " + cur.Name, Officer: cur, Roles: motcua.Roles(),
			Error: motcua.ErrorMessage(err)})
		return
	}
	if secret != "" {
		s.showSecret(w, r, o, secret)
		return
	}
	http.Redirect(w, r, "/quan-tri/can-bo", http.StatusSeeOther)
}
