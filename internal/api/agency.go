package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// token is the OAuth2 token endpoint for integrators (client credentials
// grant, RFC 6749 §4.4). Its errors follow RFC 6749 §5.2, not problem+json.
func (a *api) token(w http.ResponseWriter, r *http.Request) {
	oauthErr := func(status int, code, desc string) {
		w.Header().Set("Cache-Control", "no-store")
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Basic realm="motcua"`)
		}
		httpx.WriteJSON(w, status, map[string]string{"error": code, "error_description": desc})
	}
	if a.cfg.Clients == nil {
		oauthErr(http.StatusBadRequest, "unsupported_grant_type", "Integrator access is not configured.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		oauthErr(http.StatusBadRequest, "invalid_request", "The body must be application/x-www-form-urlencoded.")
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		oauthErr(http.StatusBadRequest, "unsupported_grant_type", "Only grant_type=client_credentials is supported.")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	token, ttl, err := a.cfg.Clients.IssueToken(r.Context(), id, secret)
	if err != nil {
		if motcua.IsKind(err, motcua.EUNAUTH) {
			oauthErr(http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
			return
		}
		httpx.WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"access_token": token, "token_type": "Bearer", "expires_in": int(ttl.Seconds())})
}

// pushResult is POST /api/v1/agency/results: an agency system puts a signed
// result into its owner's warehouse.
func (a *api) pushResult(w http.ResponseWriter, r *http.Request) {
	client := httpx.Client(r.Context())
	if client == nil {
		err := &motcua.Error{Kind: motcua.EUNAUTH, Code: "client_token_required",
			Message: "Cần mã truy cập của ứng dụng tích hợp (OAuth2 client credentials)."}
		if principal(r) != nil {
			err = &motcua.Error{Kind: motcua.EFORBIDDEN, Code: "forbidden", Message: "Chỉ ứng dụng của cơ quan nhà nước mới được trả kết quả vào kho."}
		}
		httpx.WriteError(w, r, err)
		return
	}
	up, err := a.readFile(w, r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	issued, err := dateField(r, "issue_date")
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	birth, err := dateField(r, "owner_birth_date")
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	d, created, rep, err := a.cfg.Warehouse.PushResult(r.Context(), client, service.AgencyResult{
		Code: strings.TrimSpace(r.FormValue("code")), OwnerName: r.FormValue("owner_name"), OwnerBirthDate: birth,
		DecisionNumber: r.FormValue("decision_number"), Summary: r.FormValue("summary"), IssuedOn: issued, File: up})
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	w.Header().Set("Location", "/api/v1/verify/"+d.Code)
	httpx.WriteJSON(w, status, toJSON(d, rep))
}

// verify is GET /api/v1/verify/{code}: public, no login.
func (a *api) verify(w http.ResponseWriter, r *http.Request) {
	if a.cfg.Warehouse == nil {
		httpx.WriteError(w, r, motcua.Errorf(motcua.ENOTFOUND, "result_not_found", "Không tìm thấy kết quả."))
		return
	}
	v, err := a.cfg.Warehouse.VerifyPublic(r.Context(), r.PathValue("code"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}
