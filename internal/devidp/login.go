package devidp

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageNames are the pages, each parsed with the layout.
var pageNames = []string{"login", "index", "message"}

func parsePages() (map[string]*template.Template, error) {
	pages := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := template.ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("devidp: parse page %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// page is what every template receives.
type page struct {
	Title     string // the provider's title
	PageTitle string
	Password  string
	Users     []userRow

	// login
	RequestID string
	Client    string
	Level     string
	Username  string
	Error     string

	// index
	Issuer    string
	Discovery string

	// message
	Message string
	Alert   bool // the message reports a failure
}

type userRow struct {
	Name, Username, Kind, BirthDate string
	PickURL                         string // the login page with the username filled in
}

const msgWrongCredentials = "Sai số định danh hoặc mật khẩu."

func (p *Provider) newPage(pageTitle, requestID string) *page {
	pg := &page{Title: p.title, PageTitle: pageTitle, Password: p.password, RequestID: requestID}
	for _, u := range p.users {
		row := userRow{Name: u.Name, Username: u.Username(), Kind: "Công dân", BirthDate: u.BirthDate.Display()}
		if u.AccountType == AccountOrganisation {
			row.Kind = "Tổ chức"
		}
		if requestID != "" {
			// Relative to the login page, so it works whatever path the
			// provider is mounted at.
			row.PickURL = "?" + url.Values{authRequestParam: {requestID}, "username": {row.Username}}.Encode()
		}
		pg.Users = append(pg.Users, row)
	}
	return pg
}

// render executes a page into a buffer first, so that a template error
// never leaves half a page behind.
func (p *Provider) render(w http.ResponseWriter, r *http.Request, status int, name string, data *page) {
	var buf bytes.Buffer
	if err := p.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		p.logger.ErrorContext(r.Context(), "dev-idp: render page", "page", name, "error", err)
		http.Error(w, "Lỗi hệ thống.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	// No form-action: browsers apply it to the redirects that follow the
	// login POST, and the last one leaves for the relying party.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

func (p *Provider) message(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	pg := &page{Title: p.title, PageTitle: title, Message: msg, Alert: status >= 400}
	p.render(w, r, status, "message", pg)
}

func (p *Provider) requestGone(w http.ResponseWriter, r *http.Request) {
	p.message(w, r, http.StatusBadRequest, "Không tìm thấy yêu cầu đăng nhập",
		"Yêu cầu đăng nhập không tồn tại, đã hết hạn hoặc đã được dùng. Hãy quay lại ứng dụng và đăng nhập lại.")
}

// loginPage shows the login form for the auth request named in the URL.
func (p *Provider) loginPage(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get(authRequestParam)
	req, err := p.store.pendingRequest(id)
	if err != nil {
		p.requestGone(w, r)
		return
	}
	pg := p.loginForm(req)
	pg.Username = r.URL.Query().Get("username")
	if pg.Username == "" {
		pg.Username = req.loginHint
	}
	p.render(w, r, http.StatusOK, "login", pg)
}

func (p *Provider) loginForm(req *authRequest) *page {
	pg := p.newPage("Đăng nhập", req.id)
	pg.Client = req.clientID
	pg.Level = req.acr
	return pg
}

// loginSubmit checks the username and password, then sends the browser to
// op's callback, which redirects to the relying party with the code.
func (p *Provider) loginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		p.message(w, r, http.StatusBadRequest, "Yêu cầu không hợp lệ", "Không đọc được dữ liệu gửi lên.")
		return
	}
	id := r.FormValue(authRequestParam)
	req, err := p.store.pendingRequest(id)
	if err != nil {
		p.requestGone(w, r)
		return
	}
	if r.PostForm.Get("action") == "cancel" {
		p.logger.InfoContext(r.Context(), "dev-idp: login cancelled", "client_id", req.clientID)
		_ = p.store.DeleteAuthRequest(r.Context(), req.id)
		op.AuthRequestError(w, r, req, oidc.ErrAccessDenied().WithDescription("the user cancelled the login"), p.op)
		return
	}
	username := strings.TrimSpace(r.PostForm.Get("username"))
	user, known := p.store.users[username]
	// Both checks always run, and one message covers both failures, so the
	// page does not tell which accounts exist.
	if passwordOK := checkPassword(r.PostForm.Get("password"), p.password); !known || !passwordOK {
		p.logger.InfoContext(r.Context(), "dev-idp: login refused", "client_id", req.clientID, "username", username)
		pg := p.loginForm(req)
		pg.Username = username
		pg.Error = msgWrongCredentials
		p.render(w, r, http.StatusOK, "login", pg)
		return
	}
	if err := p.store.completeLogin(req.id, user.Username()); err != nil {
		p.requestGone(w, r)
		return
	}
	p.logger.InfoContext(r.Context(), "dev-idp: login", "client_id", req.clientID, "sub", user.Username(),
		"account_type", user.AccountType, "acr", req.acr)
	callback := op.AuthCallbackURL(p.op)(op.ContextWithIssuer(r.Context(), p.issuer), req.id)
	http.Redirect(w, r, callback, http.StatusSeeOther)
}

func (p *Provider) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	p.message(w, r, http.StatusForbidden, "Yêu cầu bị từ chối",
		"Biểu mẫu đăng nhập được gửi từ một trang web khác. Hãy mở lại trang đăng nhập và thử lại.")
}

func (p *Provider) loggedOutPage(w http.ResponseWriter, r *http.Request) {
	p.message(w, r, http.StatusOK, "Đã đăng xuất", "Bạn đã đăng xuất khỏi "+p.title+".")
}

func (p *Provider) indexPage(w http.ResponseWriter, r *http.Request) {
	pg := p.newPage("Giới thiệu", "")
	pg.Issuer = p.issuer
	pg.Discovery = p.issuer + oidc.DiscoveryEndpoint
	p.render(w, r, http.StatusOK, "index", pg)
}
