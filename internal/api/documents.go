package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/pdfsig"
	"github.com/motcua/motcua/internal/service"
)

// documentJSON is a warehouse document as the API shows it.
type documentJSON struct {
	ID             string                  `json:"id"`
	Code           string                  `json:"code"`
	Name           string                  `json:"name"`
	Category       string                  `json:"category"`
	PaperType      string                  `json:"paper_type"`
	WarehouseKind  string                  `json:"warehouse_kind"`
	OwnerID        string                  `json:"owner_id"`
	OwnerName      string                  `json:"owner_name"`
	DecisionNumber string                  `json:"decision_number"`
	Summary        string                  `json:"summary"`
	Issuer         string                  `json:"issuer,omitempty"`
	IssuedOn       motcua.Date             `json:"issued_on"`
	ExpiresOn      motcua.Date             `json:"expires_on"`
	File           motcua.File             `json:"file"`
	Signature      motcua.SignatureSummary `json:"signature"`
	Visible        bool                    `json:"visible"`
	Shared         bool                    `json:"shared"`
	UsageCount     int                     `json:"usage_count"`
	Status         string                  `json:"status"`
	Version        int                     `json:"version"`
	CreatedAt      time.Time               `json:"created_at"`
	UpdatedAt      time.Time               `json:"updated_at"`
	// Report is the verifier's full report, on the answer to an upload.
	Report *verificationJSON `json:"verification,omitempty"`
}

// verificationJSON is the wire form of a signature check. Its fields,
// their order and tags are those internal/pdfsig's Report had when the
// API served it directly: clients depend on them. The technical detail is
// for logs only and is never sent.
type verificationJSON struct {
	File       string          `json:"file"`
	Status     string          `json:"status"`
	Reason     string          `json:"reason"`
	Message    string          `json:"message"`
	Signatures []signatureJSON `json:"signatures"`
	Warnings   []string        `json:"warnings,omitempty"`
}

type signatureJSON struct {
	Field     string `json:"field,omitempty"`
	Kind      string `json:"kind"`
	SubFilter string `json:"sub_filter"`
	Status    string `json:"status"`
	Reason    string `json:"reason"`
	Message   string `json:"message"`

	SignerName         string `json:"signer_name,omitempty"`
	SignerOrganization string `json:"signer_organization,omitempty"`
	Issuer             string `json:"issuer,omitempty"`
	Serial             string `json:"serial,omitempty"`

	SigningTime       *time.Time `json:"signing_time,omitempty"`
	SigningTimeSource string     `json:"signing_time_source"`
	SelfAsserted      bool       `json:"signing_time_self_asserted"`

	DigestAlgorithm    string `json:"digest_algorithm,omitempty"`
	SignatureAlgorithm string `json:"signature_algorithm,omitempty"`

	ByteRange    []int64 `json:"byte_range,omitempty"`
	CoveredBytes int64   `json:"covered_bytes"`
	WholeFile    bool    `json:"whole_file"`

	Revocation       string `json:"revocation"`
	RevocationSource string `json:"revocation_source,omitempty"`
}

func verificationToJSON(c *motcua.SignatureCheck) *verificationJSON {
	if c == nil {
		return nil
	}
	v := &verificationJSON{File: c.File, Status: c.Status, Reason: c.Reason, Message: c.Message, Warnings: c.Warnings}
	if c.Signatures != nil {
		v.Signatures = make([]signatureJSON, len(c.Signatures))
	}
	for i, s := range c.Signatures {
		v.Signatures[i] = signatureJSON{Field: s.Field, Kind: s.Kind, SubFilter: s.SubFilter, Status: s.Status,
			Reason: s.Reason, Message: s.Message, SignerName: s.SignerName, SignerOrganization: s.SignerOrganization,
			Issuer: s.Issuer, Serial: s.Serial, SigningTime: s.SigningTime, SigningTimeSource: s.SigningTimeSource,
			SelfAsserted: s.SelfAsserted, DigestAlgorithm: s.DigestAlgorithm, SignatureAlgorithm: s.SignatureAlgorithm,
			ByteRange: s.ByteRange, CoveredBytes: s.CoveredBytes, WholeFile: s.WholeFile, Revocation: s.Revocation,
			RevocationSource: s.RevocationSource}
	}
	return v
}

func toJSON(d *motcua.Document, rep *motcua.SignatureCheck) documentJSON {
	return documentJSON{ID: d.ID, Code: d.Code, Name: d.Name, Category: d.CategoryCode, PaperType: string(d.PaperType),
		WarehouseKind: string(d.Warehouse), OwnerID: d.OwnerCode, OwnerName: d.OwnerName, DecisionNumber: d.DecisionNumber,
		Summary: d.Summary, Issuer: d.IssuerCode, IssuedOn: d.IssuedOn, ExpiresOn: d.ExpiresOn, File: d.File,
		Signature: d.Signature, Visible: d.Visible, Shared: d.Shared, UsageCount: d.UsageCount, Status: string(d.Status),
		Version: d.Version, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Report: verificationToJSON(rep)}
}

func principal(r *http.Request) *motcua.Principal { return httpx.Principal(r.Context()) }

func invalidField(field, message string) error {
	return motcua.Invalid(field, "invalid_field", message)
}

func boolField(r *http.Request, name string, def bool) (bool, error) {
	v := strings.TrimSpace(r.FormValue(name))
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, invalidField(name, fmt.Sprintf("Trường %s phải là true hoặc false.", name))
	}
	return b, nil
}

// readFile reads the multipart field "file" within the warehouse's limit.
func (a *api) readFile(w http.ResponseWriter, r *http.Request) (service.Upload, error) {
	limit := a.cfg.Warehouse.MaxFileSize()
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return service.Upload{}, &motcua.Error{Kind: motcua.EINVALID, Code: string(pdfsig.ReasonTooLarge), Field: "file",
				Message: pdfsig.ReasonTooLarge.Message()}
		}
		return service.Upload{}, invalidField("file", "Yêu cầu phải là multipart/form-data có trường file.")
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return service.Upload{}, motcua.Invalid("file", "file_required", "Vui lòng chọn tệp tin PDF đã ký số.")
	}
	defer f.Close()
	return a.cfg.Warehouse.ReadUpload(hdr.Filename, f)
}

func (a *api) addDocument(w http.ResponseWriter, r *http.Request) {
	up, err := a.readFile(w, r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	visible, err := boolField(r, "visible", true)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	shared, err := boolField(r, "shared", true)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	issued, err := dateField(r, "issue_date")
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	pt := motcua.PaperType(r.FormValue("paper_type"))
	if pt != "" && pt != motcua.PaperResult && pt != motcua.PaperComponent && pt != motcua.PaperOther {
		httpx.WriteError(w, r, invalidField("paper_type", "Loại giấy tờ phải là result, component hoặc other."))
		return
	}
	d, rep, err := a.cfg.Warehouse.Add(r.Context(), principal(r), service.NewDocument{PaperType: pt,
		CategoryCode: r.FormValue("category"), Name: r.FormValue("name"), DecisionNumber: r.FormValue("decision_number"),
		Summary: r.FormValue("summary"), IssuedOn: issued, Visible: visible, Shared: shared, File: up})
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/warehouse/documents/"+d.ID)
	httpx.WriteJSON(w, http.StatusCreated, toJSON(d, rep))
}

func dateField(r *http.Request, name string) (motcua.Date, error) {
	v := strings.TrimSpace(r.FormValue(name))
	if v == "" {
		return motcua.Date{}, nil
	}
	d, err := motcua.ParseDate(v)
	if err != nil {
		return d, invalidField(name, "Ngày không hợp lệ; dùng dạng yyyy-mm-dd hoặc dd/mm/yyyy.")
	}
	return d, nil
}

func intParam(q url.Values, name string, def, min, max int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		return 0, invalidField(name, fmt.Sprintf("Tham số %s phải là số nguyên từ %d đến %d.", name, min, max))
	}
	return n, nil
}

func (a *api) listDocuments(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, err := intParam(q, "page", 1, 1, 1_000_000)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	per, err := intParam(q, "per_page", 20, 1, 100)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	docs, total, err := a.cfg.Warehouse.List(r.Context(), principal(r), motcua.DocumentFilter{
		Name: q.Get("name"), Code: q.Get("code"), DecisionNumber: q.Get("decision_number"), OwnerName: q.Get("owner_name"),
		OwnerID: q.Get("owner_id"), Summary: q.Get("summary"), Query: q.Get("q"),
		Limit: per, Offset: (page - 1) * per,
	})
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	items := make([]documentJSON, 0, len(docs))
	for _, d := range docs {
		items = append(items, toJSON(d, nil))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "total": total, "page": page, "per_page": per})
}

// access reads the optional dossier context of an officer's read.
func access(r *http.Request) service.Access {
	return service.Access{DossierID: r.URL.Query().Get("dossier_id"), Purpose: r.URL.Query().Get("purpose")}
}

func (a *api) getDocument(w http.ResponseWriter, r *http.Request) {
	d, err := a.cfg.Warehouse.Get(r.Context(), principal(r), r.PathValue("id"), access(r))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toJSON(d, nil))
}

func (a *api) updateDocument(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name           *string `json:"name"`
		DecisionNumber *string `json:"decision_number"`
		Summary        *string `json:"summary"`
		Visible        *bool   `json:"visible"`
		Shared         *bool   `json:"shared"`
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		httpx.WriteError(w, r, invalidField("body", "Nội dung yêu cầu phải là JSON với các trường name, decision_number, summary, visible, shared."))
		return
	}
	d, err := a.cfg.Warehouse.Update(r.Context(), principal(r), r.PathValue("id"), service.DocumentUpdate{
		Name: body.Name, DecisionNumber: body.DecisionNumber, Summary: body.Summary, Visible: body.Visible, Shared: body.Shared})
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toJSON(d, nil))
}

func (a *api) withdrawDocument(w http.ResponseWriter, r *http.Request) {
	if err := a.cfg.Warehouse.Withdraw(r.Context(), principal(r), r.PathValue("id")); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *api) downloadFile(w http.ResponseWriter, r *http.Request) {
	version := 0
	if v := r.PathValue("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			httpx.WriteError(w, r, invalidField("version", "Số phiên bản không hợp lệ."))
			return
		}
		version = n
	}
	id := r.PathValue("id")
	rc, file, err := a.cfg.Warehouse.OpenFile(r.Context(), httpx.Principal(r.Context()), id, version, access(r))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	defer rc.Close()
	httpx.StreamPDFRange(w, r, a.cfg.Blobs, rc, file, "attachment", "stream document file", "document", id)
}

func (a *api) replaceFile(w http.ResponseWriter, r *http.Request) {
	var up service.Upload
	var err error
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/pdf" {
		r.Body = http.MaxBytesReader(w, r.Body, a.cfg.Warehouse.MaxFileSize()+1)
		name := r.URL.Query().Get("filename")
		up, err = a.cfg.Warehouse.ReadUpload(name, r.Body)
	} else {
		up, err = a.readFile(w, r)
	}
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	expected, err := intParam(r.URL.Query(), "version", 0, 1, 1_000_000)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	if v := r.Header.Get("If-Match"); v != "" && expected == 0 {
		if n, err := strconv.Atoi(strings.Trim(v, `"`)); err == nil {
			expected = n
		}
	}
	d, rep, err := a.cfg.Warehouse.Replace(r.Context(), principal(r), r.PathValue("id"), expected, up)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toJSON(d, rep))
}

func (a *api) versions(w http.ResponseWriter, r *http.Request) {
	vs, err := a.cfg.Warehouse.Versions(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	type versionJSON struct {
		Version    int                     `json:"version"`
		File       motcua.File             `json:"file"`
		Signature  motcua.SignatureSummary `json:"signature"`
		ReplacedAt time.Time               `json:"replaced_at"`
		ReplacedBy string                  `json:"replaced_by"`
		Download   string                  `json:"download"`
	}
	out := make([]versionJSON, 0, len(vs))
	for _, v := range vs {
		out = append(out, versionJSON{Version: v.Version, File: v.File, Signature: v.Signature, ReplacedAt: v.ReplacedAt,
			ReplacedBy: v.ReplacedBy, Download: fmt.Sprintf("/api/v1/warehouse/documents/%s/versions/%d/file", v.DocumentID, v.Version)})
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

// dataUses answers "Ai đã sử dụng dữ liệu của tôi" for the owner.
func (a *api) dataUses(w http.ResponseWriter, r *http.Request) {
	uses, err := a.cfg.Warehouse.DataUses(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	type entry struct {
		At          time.Time `json:"at"`
		AgencyName  string    `json:"agency_name,omitempty"`
		OfficerName string    `json:"officer_name,omitempty"`
		Purpose     string    `json:"purpose"`
		DossierCode string    `json:"dossier_code,omitempty"`
		Procedure   string    `json:"procedure,omitempty"`
	}
	out := make([]entry, 0, len(uses))
	for _, u := range uses {
		out = append(out, entry{At: u.At, AgencyName: u.AgencyName, OfficerName: u.OfficerName, Purpose: u.Purpose,
			DossierCode: u.DossierCode, Procedure: u.Procedure})
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (a *api) accessLog(w http.ResponseWriter, r *http.Request) {
	events, err := a.cfg.Warehouse.AccessLog(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	type entry struct {
		At        time.Time `json:"at"`
		Action    string    `json:"action"`
		Actor     string    `json:"actor"`
		Agency    string    `json:"agency,omitempty"`
		DossierID string    `json:"dossier_id,omitempty"`
		Purpose   string    `json:"purpose,omitempty"`
	}
	out := make([]entry, 0, len(events))
	for _, e := range events {
		out = append(out, entry{At: e.At, Action: e.Action, Actor: e.ActorID, Agency: e.AgencyCode, DossierID: e.DossierID, Purpose: e.Detail})
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}
