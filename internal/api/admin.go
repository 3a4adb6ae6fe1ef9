package api

import (
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// The administrators' API: the province's shared settings (trust anchors,
// the holiday calendar) and the agencies' API clients (within the
// administrator's subtree). Officers authenticate with their
// session (cookie or bearer token); every administrator may read, only
// the province's administrator may change (province_admin_only).

func (a *api) registerAdmin(mux routes) {
	if a.cfg.TrustAnchors != nil {
		mux.HandleFunc("GET /api/v1/admin/trust-anchors", a.listTrustAnchors)
		mux.HandleFunc("POST /api/v1/admin/trust-anchors", a.addTrustAnchor)
		mux.HandleFunc("POST /api/v1/admin/trust-anchors/{fingerprint}/disable", a.setTrustAnchor(true))
		mux.HandleFunc("POST /api/v1/admin/trust-anchors/{fingerprint}/enable", a.setTrustAnchor(false))
	}
	if a.cfg.Holidays != nil {
		mux.HandleFunc("GET /api/v1/admin/holidays", a.listHolidays)
		mux.HandleFunc("POST /api/v1/admin/holidays", a.putHoliday)
		mux.HandleFunc("DELETE /api/v1/admin/holidays/{date}", a.deleteHoliday)
	}
	if a.cfg.APIClients != nil {
		mux.HandleFunc("GET /api/v1/admin/api-clients", a.listAPIClients)
		mux.HandleFunc("POST /api/v1/admin/api-clients", a.createAPIClient)
		mux.HandleFunc("POST /api/v1/admin/api-clients/{id}/rotate-secret", a.rotateAPIClient)
		mux.HandleFunc("POST /api/v1/admin/api-clients/{id}/revoke", a.revokeAPIClient)
	}
}

type trustAnchorJSON struct {
	Fingerprint string    `json:"fingerprint"`
	Subject     string    `json:"subject"`
	Issuer      string    `json:"issuer"`
	Serial      string    `json:"serial"`
	NotBefore   time.Time `json:"not_before"`
	NotAfter    time.Time `json:"not_after"`
	Enabled     bool      `json:"enabled"`
	AddedBy     string    `json:"added_by"`
	AddedAt     time.Time `json:"added_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func toTrustAnchorJSON(t *motcua.TrustAnchor) trustAnchorJSON {
	return trustAnchorJSON{Fingerprint: t.Fingerprint, Subject: t.Subject, Issuer: t.Issuer, Serial: t.Serial, NotBefore: t.NotBefore,
		NotAfter: t.NotAfter, Enabled: !t.Disabled, AddedBy: t.AddedBy, AddedAt: t.AddedAt, UpdatedAt: t.UpdatedAt}
}

func (a *api) listTrustAnchors(w http.ResponseWriter, r *http.Request) {
	list, err := a.cfg.TrustAnchors.List(r.Context(), principal(r))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	items := make([]trustAnchorJSON, 0, len(list))
	for _, t := range list {
		items = append(items, toTrustAnchorJSON(t))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

// addTrustAnchor takes the certificate as the body (PEM or DER, any
// content type) or as the "certificate" file of a multipart form.
func (a *api) addTrustAnchor(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, motcua.MaxTrustAnchorSize+64<<10)
	var data []byte
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		if err = r.ParseMultipartForm(1 << 20); err == nil {
			f, _, ferr := r.FormFile("certificate")
			if ferr == nil {
				data, err = io.ReadAll(io.LimitReader(f, motcua.MaxTrustAnchorSize+1))
				f.Close()
			}
		}
	} else {
		data, err = io.ReadAll(io.LimitReader(r.Body, motcua.MaxTrustAnchorSize+1))
	}
	if err != nil {
		if strings.Contains(err.Error(), "too large") {
			data = make([]byte, motcua.MaxTrustAnchorSize+1) // refused as too large
		} else {
			httpx.WriteError(w, r, invalidField("certificate", "Không nhận được đầy đủ tệp chứng thư số; vui lòng gửi lại."))
			return
		}
	}
	t, err := a.cfg.TrustAnchors.Add(r.Context(), principal(r), data)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, toTrustAnchorJSON(t))
}

func (a *api) setTrustAnchor(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, err := a.cfg.TrustAnchors.SetDisabled(r.Context(), principal(r), r.PathValue("fingerprint"), disabled)
		if err != nil {
			httpx.WriteError(w, r, err)
			return
		}
		httpx.WriteJSON(w, http.StatusOK, toTrustAnchorJSON(t))
	}
}

type holidayJSON struct {
	Date      motcua.Date `json:"date"`
	Kind      string      `json:"kind"` // off | work
	Name      string      `json:"name"`
	UpdatedBy string      `json:"updated_by,omitempty"`
	UpdatedAt time.Time   `json:"updated_at,omitzero"`
}

func toHolidayJSON(h *motcua.Holiday) holidayJSON {
	kind := "off"
	if h.Working {
		kind = "work"
	}
	return holidayJSON{Date: h.Date, Kind: kind, Name: h.Name, UpdatedBy: h.UpdatedBy, UpdatedAt: h.UpdatedAt}
}

func (a *api) listHolidays(w http.ResponseWriter, r *http.Request) {
	year, err := intParam(r.URL.Query(), "year", motcua.DateOf(time.Now()).Year, 2000, 2100)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	y, err := a.cfg.Holidays.Year(r.Context(), principal(r), year)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	items := make([]holidayJSON, 0, len(y.Entries))
	for _, e := range y.Entries {
		items = append(items, toHolidayJSON(e))
	}
	dates := func(ds []motcua.Date) []motcua.Date {
		if ds == nil {
			return []motcua.Date{}
		}
		return ds
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"year": year, "items": items, "days_off": dates(y.DaysOff),
		"working_weekends": dates(y.WorkingWeekends)})
}

func (a *api) putHoliday(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Date string `json:"date"`
		Kind string `json:"kind"`
		Name string `json:"name"`
	}
	if err := decodeJSON(r, &in); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	h := motcua.Holiday{Name: in.Name}
	if strings.TrimSpace(in.Date) != "" {
		d, err := motcua.ParseDate(strings.TrimSpace(in.Date))
		if err != nil {
			httpx.WriteError(w, r, motcua.Invalid("date", "invalid_date", "Ngày phải có dạng YYYY-MM-DD (hoặc dd/mm/yyyy) và có thật."))
			return
		}
		h.Date = d
	}
	switch in.Kind {
	case "off", "":
	case "work":
		h.Working = true
	default:
		httpx.WriteError(w, r, motcua.Invalid("kind", "invalid_holiday_kind", "Loại ngày phải là off (ngày nghỉ) hoặc work (ngày làm việc, làm bù)."))
		return
	}
	saved, err := a.cfg.Holidays.Put(r.Context(), principal(r), h)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toHolidayJSON(saved))
}

func (a *api) deleteHoliday(w http.ResponseWriter, r *http.Request) {
	d, err := motcua.ParseDate(r.PathValue("date"))
	if err != nil {
		httpx.WriteError(w, r, motcua.Invalid("date", "invalid_date", "Ngày phải có dạng YYYY-MM-DD và có thật."))
		return
	}
	if err := a.cfg.Holidays.Delete(r.Context(), principal(r), d); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type apiClientJSON struct {
	ID                 string    `json:"client_id"`
	Name               string    `json:"name"`
	AgencyCode         string    `json:"agency_code"`
	Categories         []string  `json:"categories"`
	Scopes             []string  `json:"scopes"`
	OrganisationOwners bool      `json:"organisation_owners"`
	Revoked            bool      `json:"revoked"`
	CreatedAt          time.Time `json:"created_at,omitzero"`
	// ClientSecret is set only in the answer that created or rotated it.
	ClientSecret string `json:"client_secret,omitempty"`
}

func toAPIClientJSON(c *motcua.APIClient, secret string) apiClientJSON {
	out := apiClientJSON{ID: c.ID, Name: c.Name, AgencyCode: c.AgencyCode, Categories: append([]string{}, c.Categories...),
		Scopes: append([]string{}, c.Scopes...), OrganisationOwners: c.OrganisationOwners, Revoked: c.Disabled, CreatedAt: c.CreatedAt, ClientSecret: secret}
	return out
}

func (a *api) listAPIClients(w http.ResponseWriter, r *http.Request) {
	list, err := a.cfg.APIClients.List(r.Context(), principal(r))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	items := make([]apiClientJSON, 0, len(list))
	for _, c := range list {
		items = append(items, toAPIClientJSON(c, ""))
	}
	scopes := []map[string]string{}
	for _, s := range motcua.APIScopes {
		scopes = append(scopes, map[string]string{"scope": s, "label": motcua.APIScopeLabel(s)})
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "scopes": scopes})
}

func (a *api) createAPIClient(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ID                 string   `json:"client_id"`
		Name               string   `json:"name"`
		AgencyCode         string   `json:"agency_code"`
		Categories         []string `json:"categories"`
		Scopes             []string `json:"scopes"`
		OrganisationOwners bool     `json:"organisation_owners"`
	}
	if err := decodeJSON(r, &in); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	n := service.NewAPIClient{ID: in.ID, Name: in.Name, AgencyCode: in.AgencyCode, Categories: in.Categories, Scopes: in.Scopes,
		OrganisationOwners: in.OrganisationOwners}
	c, secret, err := a.cfg.APIClients.Create(r.Context(), principal(r), n)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusCreated, toAPIClientJSON(c, secret))
}

func (a *api) rotateAPIClient(w http.ResponseWriter, r *http.Request) {
	c, secret, err := a.cfg.APIClients.RotateSecret(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, toAPIClientJSON(c, secret))
}

func (a *api) revokeAPIClient(w http.ResponseWriter, r *http.Request) {
	c, err := a.cfg.APIClients.Revoke(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toAPIClientJSON(c, ""))
}
