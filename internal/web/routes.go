// Package web serves motcua's HTML pages and operational endpoints.
package web

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/procsearch"
	"github.com/motcua/motcua/internal/service"
	"github.com/motcua/motcua/internal/sso"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what the web layer needs from the program.
type Config struct {
	Store    motcua.Store
	Blobs    motcua.BlobStore
	Logger   *slog.Logger
	Registry *prometheus.Registry
	Version  string
	// ReadyTimeout bounds each /readyz dependency check.
	ReadyTimeout time.Duration
	// Procedures is the searchable index of the current catalogue (the
	// public /thu-tuc, the application list); nil: New builds one over
	// Store. Pass the API's to share one index.
	Procedures *procsearch.Catalogue

	Auth      *service.Auth
	Warehouse *service.Warehouse
	Clients   *service.Clients
	KPI       *service.KPI
	// Submissions is online application ("Nộp trực tuyến").
	Submissions *service.Submissions
	// Reception is the officers' work on dossiers: receive, refuse, ask
	// for a supplement, forward.
	Reception *service.Reception
	// Counter is reception at the counter (channel 1).
	Counter *service.Counter
	// Feedback is feedback on wrong results: the owner's reports, the
	// issuing agency's answers.
	Feedback *service.Feedbacks
	// Certification is the certifying officer's desk and book.
	Certification *service.Certification
	// TrustAnchors are the CA certificates signed PDFs may chain to
	// (/quan-tri/chung-thu-so); nil hides the page.
	TrustAnchors *service.TrustAnchors
	// Holidays is the holiday calendar of due dates (/quan-tri/ngay-nghi);
	// nil hides the page.
	Holidays *service.Holidays
	// APIClients is the administration of agencies' API clients
	// (/quan-tri/ung-dung); nil hides the page.
	APIClients *service.APIClients
	// Catalogue is the catalogue's administration (/quan-tri/thu-tuc,
	// /quan-tri/danh-muc, /quan-tri/co-quan); nil disables those pages.
	Catalogue *service.CatalogueAdmin
	// Demo marks demo mode: pages link the development simulators.
	Demo bool
	// Samples, in demo mode, makes the sample file of a name (an unsigned
	// PDF, a PDF changed after signing) to try refusals; ENOTFOUND for
	// an unknown name.
	Samples func(name string) ([]byte, error)
	// Routes registers more routes on the site's mux, behind the same
	// middleware (principal, cross-origin protection): the JSON API.
	Routes func(*http.ServeMux)
	// Keyring holds the agencies' signing keys (results, certified copies).
	Keyring   service.Keyring
	Identity  *service.Identity
	Providers []*sso.Provider
	// PublicURL is the site's external base URL, without a trailing slash.
	PublicURL string
	// SecureCookies marks cookies Secure even when TLS ends at a proxy.
	SecureCookies bool
	// Password sets the cost of new password hashes (default: service.DefaultPasswordParams).
	Password service.PasswordParams
	// Mounts serves extra handlers under path prefixes (the development
	// identity provider and population-database simulator in demo mode).
	// Each handler sees paths with its prefix stripped.
	Mounts map[string]http.Handler
}

// Server holds the parsed templates and dependencies of the handlers.
type Server struct {
	cfg      Config
	pages    map[string]*template.Template
	officers *service.Officers
	// catalogue is the public procedure search (/thu-tuc), rebuilt when
	// the catalogue changes.
	catalogue *procsearch.Catalogue
}

// pageNames lists every page template; New fails when one is missing, so
// a typo is caught at start-up instead of on a citizen's request.
var pageNames = []string{"home", "error", "login", "officer_login", "account", "officers", "officer_edit", "officer_secret", "register", "counter_check", "profile",
	"warehouse", "warehouse_add", "warehouse_detail", "verify",
	"procedures", "apply_case", "apply_draft", "receipt", "my_dossiers", "monitor", "monitor_dossiers", "monitor_missed", "monitor_monthly", "public_results", "officer_queue", "officer_dossier",
	"consent_requests", "counter_start", "counter_draft", "trust_anchors", "holidays", "api_clients", "api_client_secret",
	"public_procedures", "public_procedure", "dossier_lookup"}

// New parses the templates once and returns the complete handler.
func New(cfg Config) (http.Handler, error) {
	if cfg.ReadyTimeout == 0 {
		cfg.ReadyTimeout = 2 * time.Second
	}
	s := &Server{cfg: cfg, pages: map[string]*template.Template{}, officers: service.NewOfficers(cfg.Store, cfg.Password),
		catalogue: cfg.Procedures}
	if s.catalogue == nil {
		s.catalogue = procsearch.NewCatalogue(cfg.Store)
	}
	names := slices.Concat(pageNames, certificationPageNames)
	if cfg.Feedback != nil {
		names = append(names, feedbackPages...)
	}
	if cfg.Catalogue != nil {
		names = append(names, catalogueAdminPages...)
	}
	for _, name := range names {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("page %s defines no content block", name)
		}
		s.pages[name] = t
	}
	mux := newRouteMux(s)
	s.routes(mux)
	if mux.err != nil {
		return nil, mux.err
	}

	metrics := httpx.NewMetrics(cfg.Registry)
	// Unsafe cross-origin requests (a form on another site posting into a
	// logged-in citizen's session) are refused before any handler runs.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginRefused))
	// The mounted development services (identity provider, simulators)
	// bring their own authentication: they sit beside the session and
	// bearer-token resolution, not behind it.
	top := http.NewServeMux()
	top.Handle("/", cop.Handler(s.withPrincipal(mux)))
	for prefix, h := range cfg.Mounts {
		prefix = strings.TrimSuffix(prefix, "/")
		top.Handle(prefix+"/", http.StripPrefix(prefix, h))
	}
	return httpx.Observe(cfg.Logger, metrics, httpx.SecurityHeaders(top)), nil
}

// routes registers every page and the API; routes under an officer root
// go behind the officer-area check (guard.go).
func (s *Server) routes(mux *routeMux) {
	cfg := s.cfg
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		mux.err = errors.Join(mux.err, err)
		return
	}
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /hien-thi", s.setDisplay)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{Registry: cfg.Registry}))
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /thu-tuc", s.publicProcedures)
	mux.HandleFunc("GET /thu-tuc/{code}", s.publicProcedure)
	mux.HandleFunc("GET /thu-tuc/{code}/mau/{sha256}", s.procedureFormTemplate)
	mux.HandleFunc("GET /auth/login", s.loginPage)
	mux.HandleFunc("GET /auth/login/{provider}", s.startLogin)
	mux.HandleFunc("GET /auth/callback/{provider}", s.callback)
	mux.HandleFunc("POST /auth/local", s.localLogin)
	mux.HandleFunc("POST /auth/logout", s.logout)
	mux.HandleFunc("GET /can-bo/dang-nhap", s.officerLoginPage)
	mux.HandleFunc("POST /can-bo/dang-nhap", s.officerLogin)
	mux.HandleFunc("GET /tai-khoan", s.account)
	mux.HandleFunc("GET /tai-khoan/chinh-sua", s.profilePage)
	mux.HandleFunc("POST /tai-khoan/chinh-sua", s.updateProfile)
	mux.HandleFunc("GET /dang-ky", s.registerPage)
	mux.HandleFunc("POST /dang-ky", s.register)
	mux.HandleFunc("GET /can-bo/kiem-tra-danh-tinh", s.counterCheckPage)
	mux.HandleFunc("POST /can-bo/kiem-tra-danh-tinh", s.counterCheck)
	mux.HandleFunc("GET /api/v1/me", s.me)
	mux.HandleFunc("GET /quan-tri/can-bo", s.officersPage)
	mux.HandleFunc("POST /quan-tri/can-bo", s.createOfficer)
	mux.HandleFunc("GET /quan-tri/can-bo/{username}", s.editOfficerPage)
	mux.HandleFunc("POST /quan-tri/can-bo/{username}", s.updateOfficer)
	if cfg.TrustAnchors != nil {
		mux.HandleFunc("GET /quan-tri/chung-thu-so", s.trustAnchorsPage)
		mux.HandleFunc("POST /quan-tri/chung-thu-so", s.addTrustAnchor)
		mux.HandleFunc("POST /quan-tri/chung-thu-so/{fingerprint}/vo-hieu", s.setTrustAnchor(true))
		mux.HandleFunc("POST /quan-tri/chung-thu-so/{fingerprint}/kich-hoat", s.setTrustAnchor(false))
	}
	if cfg.Holidays != nil {
		mux.HandleFunc("GET /quan-tri/ngay-nghi", s.holidaysPage)
		mux.HandleFunc("POST /quan-tri/ngay-nghi", s.putHoliday)
		mux.HandleFunc("POST /quan-tri/ngay-nghi/{date}/xoa", s.deleteHoliday)
	}
	if cfg.APIClients != nil {
		mux.HandleFunc("GET /quan-tri/ung-dung", s.apiClientsPage)
		mux.HandleFunc("POST /quan-tri/ung-dung", s.createAPIClient)
		mux.HandleFunc("POST /quan-tri/ung-dung/{id}/doi-khoa", s.rotateAPIClient)
		mux.HandleFunc("POST /quan-tri/ung-dung/{id}/thu-hoi", s.revokeAPIClient)
	}
	if cfg.Catalogue != nil {
		mux.HandleFunc("GET /quan-tri/thu-tuc", s.adminProceduresPage)
		mux.HandleFunc("GET /quan-tri/thu-tuc/moi", s.newProcedurePage)
		mux.HandleFunc("POST /quan-tri/thu-tuc", s.saveProcedure(true))
		mux.HandleFunc("GET /quan-tri/thu-tuc/{code}", s.editProcedurePage)
		mux.HandleFunc("POST /quan-tri/thu-tuc/{code}", s.saveProcedure(false))
		mux.HandleFunc("GET /quan-tri/danh-muc", s.adminCategoriesPage)
		mux.HandleFunc("POST /quan-tri/danh-muc", s.saveCategory(true))
		mux.HandleFunc("GET /quan-tri/danh-muc/{code}", s.editCategoryPage)
		mux.HandleFunc("POST /quan-tri/danh-muc/{code}", s.saveCategory(false))
		mux.HandleFunc("GET /quan-tri/co-quan", s.adminAgenciesPage)
		mux.HandleFunc("POST /quan-tri/co-quan", s.saveAgency(true))
		mux.HandleFunc("GET /quan-tri/co-quan/{code}", s.editAgencyPage)
		mux.HandleFunc("POST /quan-tri/co-quan/{code}", s.saveAgency(false))
	}
	if cfg.Warehouse != nil {
		mux.HandleFunc("GET /kho-du-lieu", s.warehouseList)
		mux.HandleFunc("GET /kho-du-lieu/them-moi", s.warehouseAddPage)
		mux.HandleFunc("POST /kho-du-lieu", s.warehouseAdd)
		mux.HandleFunc("GET /kho-du-lieu/{id}", s.warehouseDetail)
		mux.HandleFunc("POST /kho-du-lieu/{id}", s.warehouseUpdate)
		mux.HandleFunc("POST /kho-du-lieu/{id}/tep", s.warehouseReplace)
		mux.HandleFunc("POST /kho-du-lieu/{id}/rut", s.warehouseWithdraw)
		mux.HandleFunc("GET /kho-du-lieu/{id}/tep", s.warehouseFile)
		mux.HandleFunc("GET /verify", s.verifyResult)
		mux.HandleFunc("GET /verify/{code}", s.verifyResult)
		mux.HandleFunc("GET /verify/{code}/qr.png", s.verifyQR)
	}
	if cfg.Submissions != nil {
		mux.HandleFunc("GET /nop-truc-tuyen", s.procedures)
		mux.HandleFunc("GET /nop-truc-tuyen/{code}", s.applyCasePage)
		mux.HandleFunc("POST /nop-truc-tuyen/{code}", s.applyStart)
		mux.HandleFunc("GET /ho-so-nhap/{id}", s.applyDraft)
		mux.HandleFunc("POST /ho-so-nhap/{id}/thanh-phan/{component}", s.applyComponent)
		mux.HandleFunc("POST /ho-so-nhap/{id}/thanh-phan/{component}/bo", s.applyRemove)
		mux.HandleFunc("GET /ho-so-nhap/{id}/thanh-phan/{component}/tep", s.applyComponentFile)
		mux.HandleFunc("POST /ho-so-nhap/{id}/hinh-thuc", s.applyDelivery)
		mux.HandleFunc("POST /ho-so-nhap/{id}/nop", s.applySubmit)
		mux.HandleFunc("POST /ho-so-nhap/{id}/nguoi-cung-nop", s.applyCoApplicant)
		mux.HandleFunc("GET "+service.ConsentPagePath, s.consentRequests)
		mux.HandleFunc("POST "+service.ConsentPagePath+"/{id}", s.consentAnswer)
		mux.HandleFunc("GET /ho-so", s.myDossiers)
		mux.HandleFunc("GET /ho-so/{code}", s.receipt)
		mux.HandleFunc("GET /ho-so/{code}/qr.png", s.dossierQR)
		mux.HandleFunc("GET /ho-so/{code}/phieu.pdf", s.citizenPDF(s.writeReceiptPDF))
		mux.HandleFunc("GET /ho-so/{code}/phieu-bo-sung.pdf", s.citizenPDF(s.writeSupplementPDF))
		mux.HandleFunc("POST /ho-so/{code}/bo-sung", s.supplementAnswer)
		mux.HandleFunc("POST /ho-so/{code}/rut", s.withdraw)
		mux.HandleFunc("POST /ho-so/{code}/danh-gia", s.rateDossier)
		mux.HandleFunc("GET /tra-cuu-ho-so", s.dossierLookup)
		mux.HandleFunc("POST /tra-cuu-ho-so", s.dossierLookup)
	}
	if cfg.Counter != nil {
		mux.HandleFunc("GET /can-bo/tiep-nhan", s.counterStartPage)
		mux.HandleFunc("POST /can-bo/tiep-nhan", s.counterStart)
		mux.HandleFunc("GET /can-bo/tiep-nhan/{id}", s.counterDraft)
		mux.HandleFunc("POST /can-bo/tiep-nhan/{id}/thanh-phan/{component}", s.counterComponent)
		mux.HandleFunc("POST /can-bo/tiep-nhan/{id}/tiep-nhan", s.counterReceive)
		mux.HandleFunc("GET /can-bo/tiep-nhan/{id}/giay-to/{doc}", s.counterDocumentFile)
	}
	if cfg.Reception != nil {
		mux.HandleFunc("GET /can-bo/ho-so", s.receptionQueue)
		mux.HandleFunc("GET /can-bo/ho-so/{code}", s.officerDossier)
		mux.HandleFunc("POST /can-bo/ho-so/{code}/trang-thai", s.officerTransition)
		mux.HandleFunc("GET /can-bo/ho-so/{code}/phieu.pdf", s.officerPDF(s.writeReceiptPDF))
		mux.HandleFunc("GET /can-bo/ho-so/{code}/phieu-bo-sung.pdf", s.officerPDF(s.writeSupplementPDF))
		mux.HandleFunc("POST /can-bo/ho-so/{code}/chuyen", s.officerAssign)
		mux.HandleFunc("POST /can-bo/ho-so/{code}/thanh-phan/{component}", s.officerDigitize)
		mux.HandleFunc("POST /can-bo/ho-so/{code}/ket-qua", s.officerDraftResult)
		mux.HandleFunc("POST /can-bo/ho-so/{code}/ket-qua-mau", s.officerDraftResultForm)
		mux.HandleFunc("GET /can-bo/ho-so/{code}/ket-qua.pdf", s.officerResultFile)
		mux.HandleFunc("POST /can-bo/ho-so/{code}/ky-so", s.officerSignResult)
	}
	if cfg.Feedback != nil && cfg.Warehouse != nil {
		s.registerFeedback(mux)
	}
	if cfg.KPI != nil {
		mux.HandleFunc("GET /theo-doi", s.monitor)
		mux.HandleFunc("GET /theo-doi/ty-le.csv", s.monitorCSV)
		mux.HandleFunc("GET /theo-doi/ty-le.xlsx", s.monitorCSV)
		mux.HandleFunc("GET /theo-doi/ty-le.pdf", s.monitorCSV)
		mux.HandleFunc("GET /theo-doi/chi-so.csv", s.monitorCSV)
		mux.HandleFunc("GET /theo-doi/chi-so.xlsx", s.monitorCSV)
		mux.HandleFunc("GET /theo-doi/chi-so.pdf", s.monitorCSV)
		mux.HandleFunc("GET /theo-doi/tong-hop-thang", s.monitorMonthly)
		mux.HandleFunc("GET /cong-khai", s.publicResults)
		mux.HandleFunc("GET /theo-doi/bo-lo", s.monitorMissed)
		mux.HandleFunc("GET /theo-doi/ho-so", s.monitorDossiers)
	}
	if cfg.Certification != nil {
		s.certificationRoutes(mux)
	}
	if cfg.Samples != nil {
		mux.HandleFunc("GET /mau/{name}", s.sample)
	}
	if cfg.Routes != nil {
		cfg.Routes(mux.ServeMux)
	}
	mux.HandleFunc("/", s.notFound)
}

var funcs = template.FuncMap{
	"date":       func(d motcua.Date) string { return d.Display() },
	"overdue":    func(d *motcua.Dossier) bool { return d.Overdue(time.Now()) },
	"docstatus":  func(d *motcua.Document) string { return d.StatusLabel(motcua.DateOf(time.Now())) },
	"expired":    func(d *motcua.Document) bool { return d.Expired(motcua.DateOf(time.Now())) },
	"inc":        func(i int) int { return i + 1 },
	"add":        func(a, b int) int { return a + b },
	"lower":      strings.ToLower,
	"size":       humanSize,
	"scopeLabel": motcua.APIScopeLabel,
	"count":      motcua.FormatCount,
	"count64":    func(n int) string { return motcua.FormatCount(int64(n)) },
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(motcua.VietnamLocation()).Format("15:04 02/01/2006")
	},
}

// humanSize shows a file size the Vietnamese way: "33,6 KB".
func humanSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d byte", n)
	case n < 1<<20:
		return strings.Replace(fmt.Sprintf("%.1f KB", float64(n)/1024), ".", ",", 1)
	}
	return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1<<20)), ".", ",", 1)
}
