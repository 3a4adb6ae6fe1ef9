package web

import (
	"bytes"
	"net/http"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
)

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	var buf bytes.Buffer
	if err := s.pages[page].Execute(&buf, data); err != nil {
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

type homePage struct {
	Title      string
	Version    string
	Agencies   int
	Categories []*motcua.DocumentCategory
	Procedures []*motcua.Procedure
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
	procs, err := s.cfg.Store.ListProcedures(ctx, "")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", homePage{
		Title: "Hệ thống thông tin giải quyết thủ tục hành chính", Version: s.cfg.Version,
		Agencies: len(agencies), Categories: cats, Procedures: procs,
	})
}
