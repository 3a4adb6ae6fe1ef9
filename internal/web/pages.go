package web

import (
	"bytes"
	"net/http"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/procsearch"
)

// view is what every page template receives: the layout's fields and the
// page's own Data.
type view struct {
	Title   string
	Viewer  *motcua.Principal
	Data    any
	Display display
}

// titled is implemented by page data that carry their own title.
type titled interface{ title() string }

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data titled) {
	var buf bytes.Buffer
	v := view{Title: data.title(), Viewer: principal(r), Data: data, Display: displayOf(r)}
	if err := s.pages[page].Execute(&buf, v); err != nil {
		httpx.Logger(r.Context()).Error("render page", "page", page, "err", err)
		http.Error(w, "Hệ thống gặp lỗi, vui lòng thử lại sau.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

type errorPage struct {
	Title     string
	Status    int
	Message   string
	RequestID string
}

// renderError shows an application error as a page with its safe message.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	status := httpx.Status(err)
	if status >= 500 {
		httpx.Logger(r.Context()).Error("page failed", "err", err)
	}
	s.render(w, r, status, "error", errorPage{
		Title: "Có lỗi xảy ra", Status: status, Message: motcua.ErrorMessage(err), RequestID: httpx.RequestID(r.Context()),
	})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "error", errorPage{
		Title: "Không tìm thấy trang", Status: http.StatusNotFound,
		Message:   "Trang bạn yêu cầu không tồn tại hoặc đã được chuyển đi.",
		RequestID: httpx.RequestID(r.Context()),
	})
}

func (p errorPage) title() string { return p.Title }
func (p homePage) title() string  { return p.Title }

type homePage struct {
	Title      string
	Version    string
	Agencies   int
	Categories []*motcua.DocumentCategory
	// Procedures are the first of the catalogue, out of AllProcedures;
	// /thu-tuc searches them all.
	Procedures    []*motcua.Procedure
	AllProcedures int
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	agencies, err := s.cfg.Store.ListAgencies(ctx, motcua.AgencyFilter{})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	cats, err := s.cfg.Store.ListCategories(ctx)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	ix, err := s.catalogue.Index(ctx)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", homePage{
		Title: "Hệ thống thông tin giải quyết thủ tục hành chính", Version: s.cfg.Version,
		Agencies: len(agencies), Categories: cats, Procedures: ix.Search(procsearch.Query{PerPage: 10}).Procedures,
		AllProcedures: ix.Len(),
	})
}
