package web

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// errCrossOrigin is the refusal of an unsafe request sent from another
// site (a form elsewhere posting into a logged-in session).
var errCrossOrigin = &motcua.Error{Kind: motcua.EFORBIDDEN, Code: "cross_origin_refused",
	Message: "Yêu cầu bị từ chối vì được gửi từ một trang web khác. Vui lòng mở lại trang trên Cổng và thử lại."}

// crossOriginRefused answers http.CrossOriginProtection's refusals like
// every other error: problem+json under /api/, the error page elsewhere.
func (s *Server) crossOriginRefused(w http.ResponseWriter, r *http.Request) {
	httpx.Logger(r.Context()).Info("cross-origin request refused", "method", r.Method, "path", r.URL.Path,
		"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
	if strings.HasPrefix(r.URL.Path, "/api/") {
		httpx.WriteError(w, r, errCrossOrigin)
		return
	}
	s.renderError(w, r, errCrossOrigin)
}

// officerArea is a part of the site kept for officers: every route under
// prefix, whatever its method, needs a role one of ops allows at the
// officer's own agency. The handlers and services still decide on the
// object itself (this dossier, that agency's report); the area only keeps
// pages and forms from being shown to whoever may not use them.
type officerArea struct {
	prefix string
	ops    []service.Operation
}

// officerAreas is the one table of who may open which officer pages. A
// route registered under an officer root (officerRoots) without an entry
// here makes New fail, so that a new page cannot be left unguarded.
var officerAreas = []officerArea{
	{"/can-bo/kiem-tra-danh-tinh", []service.Operation{service.OpCounterIdentityCheck}},
	{"/can-bo/tiep-nhan", []service.Operation{service.OpReceiveDossier}},
	{"/can-bo/ho-so", []service.Operation{service.OpReceiveDossier, service.OpProcessDossier}},
	{"/can-bo/chung-thuc", []service.Operation{service.OpCertifyCopy}},
	{"/can-bo/phan-anh", []service.Operation{service.OpHandleFeedback}},
	{"/theo-doi", []service.Operation{service.OpViewKPI}},
	{"/quan-tri/can-bo", []service.Operation{service.OpManageOfficers}},
	{"/quan-tri/chung-thu-so", []service.Operation{service.OpManageTrustAnchors}},
	{"/quan-tri/ngay-nghi", []service.Operation{service.OpManageHolidays}},
	{"/quan-tri/ung-dung", []service.Operation{service.OpManageAPIClients}},
	{"/quan-tri/thu-tuc", []service.Operation{service.OpManageCatalogue}},
	{"/quan-tri/danh-muc", []service.Operation{service.OpManageCatalogue}},
	{"/quan-tri/co-quan", []service.Operation{service.OpManageCatalogue}},
}

// officerRoots are the path roots of officers' and administrators' pages;
// publicOfficerPaths are the pages under them anyone may open.
var (
	officerRoots       = []string{"/can-bo", "/quan-tri", "/theo-doi"}
	publicOfficerPaths = []string{"/can-bo/dang-nhap"}
)

func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// OfficerRoute is a registered route of an officer area and the
// operations of which the officer needs one.
type OfficerRoute struct {
	Method, Path string
	Ops          []service.Operation
}

// routeMux is the page mux: it puts the officer-area check in front of
// every route under an officer root and remembers those routes.
type routeMux struct {
	*http.ServeMux
	s       *Server
	officer []OfficerRoute
	err     error
}

func newRouteMux(s *Server) *routeMux { return &routeMux{ServeMux: http.NewServeMux(), s: s} }

// HandleFunc registers h for pattern, behind the officer check when the
// pattern is in an officer area.
func (m *routeMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(h))
}

// Handle registers h for pattern, behind the officer check when the
// pattern is in an officer area.
func (m *routeMux) Handle(pattern string, h http.Handler) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	if i := strings.IndexByte(path, '/'); i > 0 {
		path = path[i:] // a host in the pattern
	}
	if slices.ContainsFunc(officerRoots, func(root string) bool { return under(path, root) }) &&
		!slices.ContainsFunc(publicOfficerPaths, func(p string) bool { return under(path, p) }) {
		i := slices.IndexFunc(officerAreas, func(a officerArea) bool { return under(path, a.prefix) })
		if i < 0 {
			m.err = errors.Join(m.err, fmt.Errorf("web: route %q is under an officer root but no officer area says who may use it", pattern))
		} else {
			m.officer = append(m.officer, OfficerRoute{Method: method, Path: path, Ops: officerAreas[i].ops})
			h = m.s.officerOnly(officerAreas[i].ops, h)
		}
	}
	m.ServeMux.Handle(pattern, h)
}

// officerOnly lets a request through only from an officer with a role
// one of ops allows at the officer's own agency: visitors are sent to the
// officers' login page, everyone else is refused (403).
func (s *Server) officerOnly(ops []service.Operation, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := principal(r)
		if p == nil {
			requireLogin(w, r, "/can-bo/dang-nhap")
			return
		}
		if err := authorizeAny(p, ops); err != nil {
			s.renderError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authorizeAny is nil when p may perform one of ops on its own agency's
// work (the agency itself is enough for Authorize: it is the first entry
// of its own path, so no store read is needed).
func authorizeAny(p *motcua.Principal, ops []service.Operation) error {
	res := service.Resource{}
	if p != nil && p.Kind == motcua.PrincipalOfficer {
		res.AgencyPath = []string{p.AgencyCode}
	}
	err := service.Authorize(p, ops[0], res)
	for _, op := range ops[1:] {
		if err == nil {
			break
		}
		err = service.Authorize(p, op, res)
	}
	return err
}

// OfficerRoutes lists the officer-area routes of a server with every
// optional feature on (as in demo mode), with the operations each needs:
// the route table the tests walk, role by role.
func OfficerRoutes() ([]OfficerRoute, error) {
	// Every optional feature is a pointer to one of motcua's services; a
	// zero value is enough to register its routes (none is called).
	cfg := Config{Registry: prometheus.NewRegistry()}
	v := reflect.ValueOf(&cfg).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Kind() == reflect.Pointer && f.IsNil() && f.Type().Elem().Kind() == reflect.Struct &&
			strings.HasPrefix(f.Type().Elem().PkgPath(), "github.com/motcua/motcua/") {
			f.Set(reflect.New(f.Type().Elem()))
		}
	}
	s := &Server{cfg: cfg}
	mux := newRouteMux(s)
	s.routes(mux)
	return mux.officer, mux.err
}
