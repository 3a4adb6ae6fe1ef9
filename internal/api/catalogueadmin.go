package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/catalogue"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// The catalogue's administration, one entity at a time, in the format of
// one entity of the catalogue document (docs/catalogue.md): GET lists and
// reads, POST creates, PUT {code} updates. The scope is the service's
// (service.CatalogueAdmin): a district administrator sees and changes its
// subtree's agencies and procedures; categories change province-wide only.

func (a *api) registerCatalogueAdmin(mux routes) {
	c := a.cfg.Catalogue
	if c == nil {
		return
	}
	mux.HandleFunc("GET /api/v1/admin/procedures", func(w http.ResponseWriter, r *http.Request) {
		items, err := c.Procedures(r.Context(), principal(r))
		writeItems(w, r, items, err)
	})
	mux.HandleFunc("GET /api/v1/admin/procedures/{code}", func(w http.ResponseWriter, r *http.Request) {
		p, err := c.Procedure(r.Context(), principal(r), r.PathValue("code"))
		writeOne(w, r, http.StatusOK, p, err)
	})
	saveProcedure := func(create bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			var in catalogue.Procedure
			if !decodeEntity(w, r, &in, create) {
				return
			}
			p, err := c.SaveProcedure(r.Context(), principal(r), in, create)
			writeOne(w, r, savedStatus(create), p, err)
		}
	}
	mux.HandleFunc("POST /api/v1/admin/procedures", saveProcedure(true))
	mux.HandleFunc("PUT /api/v1/admin/procedures/{code}", saveProcedure(false))

	mux.HandleFunc("GET /api/v1/admin/categories", func(w http.ResponseWriter, r *http.Request) {
		items, err := c.Categories(r.Context(), principal(r))
		writeItems(w, r, items, err)
	})
	mux.HandleFunc("GET /api/v1/admin/categories/{code}", func(w http.ResponseWriter, r *http.Request) {
		v, err := c.Category(r.Context(), principal(r), r.PathValue("code"))
		writeOne(w, r, http.StatusOK, v, err)
	})
	saveCategory := func(create bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			var in catalogue.Category
			if !decodeEntity(w, r, &in, create) {
				return
			}
			v, err := c.SaveCategory(r.Context(), principal(r), in, create)
			writeOne(w, r, savedStatus(create), v, err)
		}
	}
	mux.HandleFunc("POST /api/v1/admin/categories", saveCategory(true))
	mux.HandleFunc("PUT /api/v1/admin/categories/{code}", saveCategory(false))

	mux.HandleFunc("GET /api/v1/admin/agencies", func(w http.ResponseWriter, r *http.Request) {
		items, err := c.Agencies(r.Context(), principal(r))
		writeItems(w, r, items, err)
	})
	mux.HandleFunc("GET /api/v1/admin/agencies/{code}", func(w http.ResponseWriter, r *http.Request) {
		v, err := c.Agency(r.Context(), principal(r), r.PathValue("code"))
		writeOne(w, r, http.StatusOK, v, err)
	})
	saveAgency := func(create bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			var in catalogue.Agency
			if !decodeEntity(w, r, &in, create) {
				return
			}
			v, err := c.SaveAgency(r.Context(), principal(r), in, create)
			writeOne(w, r, savedStatus(create), v, err)
		}
	}
	mux.HandleFunc("POST /api/v1/admin/agencies", saveAgency(true))
	mux.HandleFunc("PUT /api/v1/admin/agencies/{code}", saveAgency(false))
}

func savedStatus(create bool) int {
	if create {
		return http.StatusCreated
	}
	return http.StatusOK
}

// decodeEntity reads one entity strictly (unknown fields refused, as the
// import refuses them). On PUT the code is the path's; a body naming
// another code is refused.
func decodeEntity(w http.ResponseWriter, r *http.Request, v any, create bool) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		httpx.WriteError(w, r, motcua.Invalid("body", "invalid_json", "Nội dung gửi lên không phải JSON hợp lệ theo định dạng danh mục: "+err.Error()))
		return false
	}
	if create {
		return true
	}
	code := r.PathValue("code")
	var body *string
	switch e := v.(type) {
	case *catalogue.Procedure:
		body = &e.Code
	case *catalogue.Category:
		body = &e.Code
	case *catalogue.Agency:
		body = &e.Code
	}
	if *body != "" && strings.TrimSpace(*body) != code {
		httpx.WriteError(w, r, motcua.Invalid("code", "code_mismatch", "Mã trong nội dung khác mã trên đường dẫn; không thể đổi mã bằng PUT."))
		return false
	}
	*body = code
	return true
}

func writeItems[T any](w http.ResponseWriter, r *http.Request, items []T, err error) {
	if err != nil {
		writeCatalogueError(w, r, err)
		return
	}
	if items == nil {
		items = []T{}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func writeOne(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		writeCatalogueError(w, r, err)
		return
	}
	httpx.WriteJSON(w, status, v)
}

// catalogueProblem is a refusal with every problem of the entity at its
// JSON path: reason as the import command says it, message in Vietnamese.
type catalogueProblem struct {
	httpx.Problem
	Errors []catalogueProblemItem `json:"errors"`
}

type catalogueProblemItem struct {
	Path    string `json:"path"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

func writeCatalogueError(w http.ResponseWriter, r *http.Request, err error) {
	var verr *catalogue.ValidationError
	if !errors.As(err, &verr) {
		httpx.WriteError(w, r, err)
		return
	}
	p := catalogueProblem{Problem: httpx.Problem{Type: "about:blank", Title: http.StatusText(http.StatusUnprocessableEntity),
		Status: http.StatusUnprocessableEntity, Code: motcua.ErrorCode(err), Detail: motcua.ErrorMessage(err),
		RequestID: httpx.RequestID(r.Context())}}
	var e *motcua.Error
	if errors.As(err, &e) {
		p.Field = e.Field
	}
	for _, pr := range verr.Problems {
		p.Errors = append(p.Errors, catalogueProblemItem{Path: pr.Path, Reason: pr.Reason, Message: service.CatalogueReasonVI(pr.Reason)})
	}
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
