package web

import (
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/procsearch"
)

// The public procedure catalogue (/thu-tuc), open to everyone like the
// national portal's: search and filter, then one procedure's full
// description with the way into online application.

type publicProceduresPage struct {
	Title                string
	Query, Field, Agency string
	Level                motcua.AgencyLevel
	Result               procsearch.Result
	// Offset is the number of procedures on earlier pages (for STT).
	Offset   int
	Catalog  int // procedures in the whole catalogue
	Fields   []string
	Agencies []*motcua.Agency
	Levels   []motcua.AgencyLevel
	Prev     string // URL of the previous page, empty on the first
	Next     string // URL of the next page, empty on the last
}

func (p publicProceduresPage) title() string { return p.Title }

// publicProcedures is GET /thu-tuc: ?q= text, ?linh-vuc= field,
// ?co-quan= agency code, ?cap= level (province, district, commune),
// ?trang= page.
func (s *Server) publicProcedures(w http.ResponseWriter, r *http.Request) {
	ix, err := s.catalogue.Index(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	in := r.URL.Query()
	page, _ := strconv.Atoi(in.Get("trang"))
	q := procsearch.Query{
		Text:   strings.TrimSpace(in.Get("q")),
		Field:  strings.TrimSpace(in.Get("linh-vuc")),
		Agency: strings.TrimSpace(in.Get("co-quan")),
		Level:  motcua.AgencyLevel(in.Get("cap")),
		Page:   page,
	}
	levels := []motcua.AgencyLevel{motcua.LevelProvince, motcua.LevelDistrict, motcua.LevelCommune}
	res := ix.Search(q)
	data := publicProceduresPage{
		Title: "Thủ tục hành chính", Query: q.Text, Field: q.Field, Agency: q.Agency, Level: q.Level,
		Result: res, Offset: (res.Page - 1) * res.PerPage, Catalog: ix.Len(),
		Fields: ix.Fields(), Agencies: ix.Agencies(), Levels: levels,
	}
	link := func(page int) string {
		v := url.Values{}
		for key, val := range map[string]string{"q": q.Text, "linh-vuc": q.Field, "co-quan": q.Agency, "cap": string(q.Level)} {
			if val != "" {
				v.Set(key, val)
			}
		}
		if page > 1 {
			v.Set("trang", strconv.Itoa(page))
		}
		if len(v) == 0 {
			return "/thu-tuc"
		}
		return "/thu-tuc?" + v.Encode()
	}
	if res.Page > 1 {
		data.Prev = link(res.Page - 1)
	}
	if res.Page < res.Pages {
		data.Next = link(res.Page + 1)
	}
	s.render(w, r, http.StatusOK, "public_procedures", data)
}

type publicComponent struct {
	motcua.ProcedureComponent
	// CategoryNames are the names of the accepted document categories.
	CategoryNames []string
	// TemplateURL downloads the blank form, when its file is stored.
	TemplateURL string
}

type publicCase struct {
	motcua.ProcedureCase
	Components []publicComponent
}

type publicProcedurePage struct {
	Title          string
	Procedure      *motcua.Procedure
	Cases          []publicCase
	Agencies       []*motcua.Agency
	ResultCategory string // name, or code when unknown
	// CanApply shows the "Nộp trực tuyến" button: online application is
	// served and the procedure offers it.
	CanApply bool
}

func (p publicProcedurePage) title() string { return p.Title }

// publicProcedure is GET /thu-tuc/{code}.
func (s *Server) publicProcedure(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.cfg.Store.GetProcedure(ctx, r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	cats, err := s.cfg.Store.ListCategories(ctx)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	catName := make(map[string]string, len(cats))
	for _, c := range cats {
		catName[c.Code] = c.Name
	}
	name := func(code string) string {
		if n, ok := catName[code]; ok {
			return n
		}
		return code
	}
	// The index holds every agency already; a commune procedure lists
	// hundreds.
	ix, err := s.catalogue.Index(ctx)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	data := publicProcedurePage{Title: p.Name, Procedure: p,
		CanApply: s.cfg.Submissions != nil && p.OnlineLevel != motcua.OnlineNone}
	if p.ResultCategory != "" {
		data.ResultCategory = name(p.ResultCategory)
	}
	for _, code := range p.AgencyCodes {
		a, ok := ix.Agency(code)
		if !ok {
			a = &motcua.Agency{Code: code, Name: code}
		}
		data.Agencies = append(data.Agencies, a)
	}
	for _, c := range p.Cases {
		pc := publicCase{ProcedureCase: c}
		for _, comp := range p.ComponentsFor(c.Code) {
			v := publicComponent{ProcedureComponent: comp}
			if comp.FormTemplateSHA256 != "" {
				v.TemplateURL = "/thu-tuc/" + url.PathEscape(p.Code) + "/mau/" + comp.FormTemplateSHA256
			}
			for _, code := range comp.Categories {
				v.CategoryNames = append(v.CategoryNames, name(code))
			}
			pc.Components = append(pc.Components, v)
		}
		data.Cases = append(data.Cases, pc)
	}
	s.render(w, r, http.StatusOK, "public_procedure", data)
}

// procedureFormTemplate is GET /thu-tuc/{code}/mau/{sha256}: the blank
// form of one of the procedure's components. Only a hash that the
// procedure names as a form template is served, so that the blob store
// is never readable by address alone.
func (s *Server) procedureFormTemplate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.cfg.Store.GetProcedure(ctx, r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	sum := r.PathValue("sha256")
	var name string
	for _, c := range p.AllComponents() {
		if c.FormTemplateSHA256 != "" && c.FormTemplateSHA256 == sum {
			name = c.FormTemplate
		}
	}
	if name == "" || s.cfg.Blobs == nil {
		s.renderError(w, r, motcua.NotFound("form_template", sum))
		return
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": path.Base(name)}))
	w.Header().Set("Cache-Control", "public, max-age=86400, immutable")
	w.Header().Set("Accept-Ranges", "bytes")
	// A resumed download asks for the rest only.
	if done, err := httpx.ServeBlobRange(w, r, s.cfg.Blobs, sum); done || err != nil {
		if err != nil {
			for _, k := range []string{"Content-Type", "Content-Disposition", "Cache-Control", "Accept-Ranges"} {
				w.Header().Del(k)
			}
			s.renderError(w, r, err)
		}
		return
	}
	f, err := s.cfg.Blobs.Open(ctx, sum)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		httpx.Logger(ctx).Warn("serve form template", "procedure", p.Code, "sha256", sum, "err", err)
	}
}
