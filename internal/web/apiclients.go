package web

import (
	"net/http"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// /quan-tri/ung-dung: the API clients of the agencies in the
// administrator's subtree.

type apiClientsPage struct {
	Title      string
	Clients    []*motcua.APIClient
	Agencies   []*motcua.Agency
	Categories []*motcua.DocumentCategory
	Scopes     []string
	Form       service.NewAPIClient
	Selected   map[string]bool // categories ticked in the form
	Error      string
}

func (p apiClientsPage) title() string { return p.Title }

type apiClientSecretPage struct {
	Title  string
	Client *motcua.APIClient
	Secret string
}

func (p apiClientSecretPage) title() string { return p.Title }

func (s *Server) apiClientsList(w http.ResponseWriter, r *http.Request, status int, form service.NewAPIClient, formErr error) {
	ctx, p := r.Context(), principal(r)
	agencies, err := s.cfg.APIClients.Agencies(ctx, p)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	list, err := s.cfg.APIClients.List(ctx, p)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	cats, err := s.cfg.Store.ListCategories(ctx)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page := apiClientsPage{Title: "Ứng dụng tích hợp của cơ quan", Clients: list, Agencies: agencies, Categories: cats,
		Scopes: motcua.APIScopes, Form: form, Selected: map[string]bool{}}
	for _, c := range form.Categories {
		page.Selected[c] = true
	}
	for _, sc := range form.Scopes {
		page.Selected[sc] = true
	}
	if formErr != nil {
		page.Error = motcua.ErrorMessage(formErr)
	}
	s.render(w, r, status, "api_clients", page)
}

func (s *Server) apiClientsPage(w http.ResponseWriter, r *http.Request) {
	s.apiClientsList(w, r, http.StatusOK, service.NewAPIClient{}, nil)
}

func (s *Server) createAPIClient(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.renderError(w, r, err)
		return
	}
	n := service.NewAPIClient{ID: r.PostForm.Get("client_id"), Name: r.PostForm.Get("name"), AgencyCode: r.PostForm.Get("agency_code"),
		Categories: r.PostForm["categories"], Scopes: r.PostForm["scopes"], OrganisationOwners: r.PostForm.Get("organisation_owners") == "on"}
	c, secret, err := s.cfg.APIClients.Create(r.Context(), principal(r), n)
	if err != nil {
		if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.EFORBIDDEN) {
			s.renderError(w, r, err)
			return
		}
		s.apiClientsList(w, r, httpx.Status(err), n, err)
		return
	}
	s.showClientSecret(w, r, c, secret)
}

func (s *Server) showClientSecret(w http.ResponseWriter, r *http.Request, c *motcua.APIClient, secret string) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "api_client_secret", apiClientSecretPage{Title: "Khóa bí mật của ứng dụng", Client: c, Secret: secret})
}

func (s *Server) rotateAPIClient(w http.ResponseWriter, r *http.Request) {
	c, secret, err := s.cfg.APIClients.RotateSecret(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.showClientSecret(w, r, c, secret)
}

func (s *Server) revokeAPIClient(w http.ResponseWriter, r *http.Request) {
	if _, err := s.cfg.APIClients.Revoke(r.Context(), principal(r), r.PathValue("id")); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/ung-dung", http.StatusSeeOther)
}
