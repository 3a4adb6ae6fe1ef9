// Package api is motcua's JSON API under /api/v1. Errors are
// application/problem+json with a stable code (internal/httpx).
package api

import (
	_ "embed"
	"net/http"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/catalogue"
	"github.com/motcua/motcua/internal/procsearch"
	"github.com/motcua/motcua/internal/service"
)

//go:embed openapi.json
var openAPI []byte

// Config is what the API handlers need.
type Config struct {
	Store     motcua.Store
	Warehouse *service.Warehouse
	Clients   *service.Clients
	KPI       *service.KPI
	// Submissions is online application; nil disables those routes.
	Submissions *service.Submissions
	// Reception is the officers' work on dossiers; nil disables the
	// /api/v1/agency/dossiers routes.
	Reception *service.Reception
	// Certification is the certifying officer's desk; nil disables its
	// routes.
	Certification *service.Certification
	// Feedback is feedback on results; nil disables those routes.
	Feedback *service.Feedbacks
	// TrustAnchors and Holidays are the administrators' shared settings;
	// nil disables their /api/v1/admin routes.
	TrustAnchors *service.TrustAnchors
	Holidays     *service.Holidays
	// APIClients is the administration of agencies' API clients; nil
	// disables /api/v1/admin/api-clients.
	APIClients *service.APIClients
	// Counter is reception at the counter; nil disables
	// POST /api/v1/agency/receptions.
	Counter *service.Counter
	// Catalogue is the catalogue's administration (procedures, categories,
	// agencies); nil disables /api/v1/admin/{procedures,categories,agencies}.
	Catalogue *service.CatalogueAdmin
	// Procedures is the searchable index of the current catalogue behind
	// GET /api/v1/procedures; nil: Register builds one over Store. Pass
	// the web's to share one index.
	Procedures *procsearch.Catalogue
	// PublicURL is the site's external base URL (links in answers).
	PublicURL string
	// Blobs answers byte ranges of file downloads; nil: whole files only.
	Blobs motcua.BlobStore
}

type api struct{ cfg Config }

// Register adds the API routes to serveMux. Operations the document
// declares deprecated answer with the Deprecation, Sunset and Link
// headers (deprecation.go).
func Register(serveMux *http.ServeMux, cfg Config) {
	deprecated, err := deprecationsIn(openAPI)
	if err != nil {
		panic("api: " + err.Error()) // the embedded document is checked by the tests
	}
	mux := routes{mux: serveMux, deprecated: deprecated}
	if cfg.Procedures == nil {
		cfg.Procedures = procsearch.NewCatalogue(cfg.Store)
	}
	a := &api{cfg: cfg}
	mux.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(openAPI)
	})
	mux.HandleFunc("GET /api/v1/catalogue.schema.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/schema+json")
		_, _ = w.Write(catalogue.Schema)
	})
	mux.HandleFunc("POST /api/v1/oauth/token", a.token)
	mux.HandleFunc("GET /api/v1/verify/{code}", a.verify)
	a.registerAdmin(mux)
	a.registerCatalogueAdmin(mux)
	if cfg.Warehouse == nil {
		return
	}
	mux.HandleFunc("GET /api/v1/warehouse/documents", a.listDocuments)
	mux.HandleFunc("POST /api/v1/warehouse/documents", a.addDocument)
	mux.HandleFunc("GET /api/v1/warehouse/documents/{id}", a.getDocument)
	mux.HandleFunc("PATCH /api/v1/warehouse/documents/{id}", a.updateDocument)
	mux.HandleFunc("DELETE /api/v1/warehouse/documents/{id}", a.withdrawDocument)
	mux.HandleFunc("GET /api/v1/warehouse/documents/{id}/file", a.downloadFile)
	mux.HandleFunc("PUT /api/v1/warehouse/documents/{id}/file", a.replaceFile)
	mux.HandleFunc("GET /api/v1/warehouse/documents/{id}/versions", a.versions)
	mux.HandleFunc("GET /api/v1/warehouse/documents/{id}/versions/{version}/file", a.downloadFile)
	mux.HandleFunc("GET /api/v1/warehouse/documents/{id}/access-log", a.accessLog)
	mux.HandleFunc("GET /api/v1/warehouse/documents/{id}/uses", a.dataUses)
	mux.HandleFunc("POST /api/v1/agency/results", a.pushResult)
	mux.HandleFunc("GET /api/v1/procedures", a.listProcedures)
	if cfg.KPI != nil {
		mux.HandleFunc("GET /api/v1/reports/reuse", a.reuseReport)
		mux.HandleFunc("GET /api/v1/reports/indicators", a.indicatorsReport)
		mux.HandleFunc("GET /api/v1/reports/monthly", a.monthlyReport)
	}
	mux.HandleFunc("GET /api/v1/procedures/{code}", a.getProcedure)
	if cfg.Feedback != nil {
		a.registerFeedback(mux)
	}
	if cfg.Reception != nil {
		a.registerBackOffice(mux)
	}
	if cfg.Counter != nil {
		mux.HandleFunc("POST /api/v1/agency/receptions", a.agencyReceive)
	}
	if cfg.Certification != nil {
		a.registerCertification(mux)
	}
	if cfg.Submissions == nil {
		return
	}
	mux.HandleFunc("POST /api/v1/dossiers/drafts", a.createDraft)
	mux.HandleFunc("GET /api/v1/dossiers/drafts/{id}", a.getDraft)
	mux.HandleFunc("GET /api/v1/dossiers/drafts/{id}/matches", a.draftMatches)
	mux.HandleFunc("PUT /api/v1/dossiers/drafts/{id}/delivery", a.putDelivery)
	mux.HandleFunc("GET /api/v1/dossiers/drafts/{id}/warehouse", a.draftWarehouse)
	mux.HandleFunc("PUT /api/v1/dossiers/drafts/{id}/components/{component}", a.putComponent)
	mux.HandleFunc("DELETE /api/v1/dossiers/drafts/{id}/components/{component}", a.deleteComponent)
	mux.HandleFunc("GET /api/v1/dossiers/drafts/{id}/components/{component}/file", a.draftFile)
	mux.HandleFunc("POST /api/v1/dossiers/drafts/{id}/submit", a.submitDraft)
	a.coApplicantRoutes(mux)
	mux.HandleFunc("GET /api/v1/dossiers", a.listDossiers)
	mux.HandleFunc("GET /api/v1/dossiers/{code}", a.getDossier)
	mux.HandleFunc("POST /api/v1/dossiers/{code}/supplement", a.answerSupplement)
	mux.HandleFunc("POST /api/v1/dossiers/{code}/withdraw", a.withdrawDossier)
}
