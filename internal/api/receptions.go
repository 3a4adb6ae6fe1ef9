package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/pdfsig"
	"github.com/motcua/motcua/internal/service"
)

// Counter reception through the API (POST /api/v1/agency/receptions), for
// integrators and kiosks: the web desk's steps in one request, through
// the same service (service.Counter.ReceiveAtOnce).

type receptionPerson struct {
	FullName  string      `json:"full_name"`
	IDNumber  string      `json:"id_number"`
	BirthDate motcua.Date `json:"birth_date"`
}

type receptionComponent struct {
	Component  string `json:"component"`
	DocumentID string `json:"document_id,omitempty"`
	// Scan names the multipart file part holding the scan.
	Scan string `json:"scan,omitempty"`
}

type receptionRequest struct {
	Procedure  string               `json:"procedure"`
	Case       string               `json:"case"`
	Agency     string               `json:"agency"`
	Submitter  *receptionPerson     `json:"submitter"`
	Owner      *receptionPerson     `json:"owner"`
	Phone      string               `json:"phone"`
	Components []receptionComponent `json:"components"`
}

func (p *receptionPerson) check(field string) error {
	if p == nil {
		return motcua.Invalid(field, "required", "Vui lòng nhập thông tin người nộp hồ sơ.")
	}
	switch {
	case strings.TrimSpace(p.FullName) == "":
		return motcua.Invalid(field+".full_name", "required", "Họ và tên không được để trống.")
	case strings.TrimSpace(p.IDNumber) == "":
		return motcua.Invalid(field+".id_number", "required", "Vui lòng nhập số định danh cá nhân hoặc CMND.")
	case p.BirthDate.IsZero():
		return motcua.Invalid(field+".birth_date", "required", "Vui lòng nhập ngày sinh (YYYY-MM-DD).")
	}
	return nil
}

func (p *receptionPerson) counterCheck() service.CounterCheck {
	return service.CounterCheck{FullName: p.FullName, IDNumber: strings.TrimSpace(p.IDNumber), BirthDate: p.BirthDate}
}

// agencyReceive receives a dossier at the counter: application/json
// when every component comes from the warehouse, multipart/form-data
// (a "reception" part with the JSON, one file part per scan) otherwise.
// 201 with the dossier; 200 with the same dossier for a repeated
// Idempotency-Key.
func (a *api) agencyReceive(w http.ResponseWriter, r *http.Request) {
	in, scans, err := a.readReception(w, r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	if in.Procedure == "" {
		httpx.WriteError(w, r, motcua.Invalid("procedure", "required", "Vui lòng chọn thủ tục hành chính."))
		return
	}
	if in.Case == "" {
		httpx.WriteError(w, r, motcua.Invalid("case", "required", "Vui lòng chọn trường hợp giải quyết."))
		return
	}
	if err := in.Submitter.check("submitter"); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	rec := service.CounterReception{CounterStart: service.CounterStart{ProcedureCode: strings.TrimSpace(in.Procedure),
		CaseCode: strings.TrimSpace(in.Case), AgencyCode: strings.TrimSpace(in.Agency), Phone: in.Phone,
		Submitter: in.Submitter.counterCheck()}, IdempotencyKey: r.Header.Get("Idempotency-Key")}
	if in.Owner != nil {
		if err := in.Owner.check("owner"); err != nil {
			httpx.WriteError(w, r, err)
			return
		}
		oc := in.Owner.counterCheck()
		rec.Owner = &oc
	}
	used := map[string]bool{}
	for i, c := range in.Components {
		comp := service.CounterComponent{Code: strings.TrimSpace(c.Component), DocumentID: strings.TrimSpace(c.DocumentID)}
		if c.Scan != "" {
			up, ok := scans[c.Scan]
			if !ok {
				httpx.WriteError(w, r, motcua.Invalid(fmt.Sprintf("components[%d].scan", i), "scan_missing",
					fmt.Sprintf("Không có tệp quét %q trong yêu cầu (multipart/form-data).", c.Scan)))
				return
			}
			used[c.Scan] = true
			comp.Scan = &up
		}
		rec.Components = append(rec.Components, comp)
	}
	for name := range scans {
		if !used[name] {
			httpx.WriteError(w, r, motcua.Invalid(name, "unused_scan", fmt.Sprintf("Tệp %q không gắn với thành phần hồ sơ nào.", name)))
			return
		}
	}
	d, created, err := a.cfg.Counter.ReceiveAtOnce(r.Context(), principal(r), rec)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	w.Header().Set("Location", "/api/v1/agency/dossiers/"+d.Code)
	httpx.WriteJSON(w, status, toAgencyDossierJSON(d))
}

// readReception reads the request's JSON and its scans.
func (a *api) readReception(w http.ResponseWriter, r *http.Request) (receptionRequest, map[string]service.Upload, error) {
	var in receptionRequest
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if !strings.HasPrefix(ct, "multipart/") {
		return in, nil, decodeJSON(r, &in)
	}
	// A reception carries a few scans of at most the warehouse's size.
	const maxScans = 20
	limit := a.cfg.Warehouse.MaxFileSize()
	r.Body = http.MaxBytesReader(w, r.Body, maxScans*limit+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return in, nil, &motcua.Error{Kind: motcua.EINVALID, Code: string(pdfsig.ReasonTooLarge), Field: "file",
				Message: pdfsig.ReasonTooLarge.Message()}
		}
		return in, nil, invalidField("body", "Yêu cầu multipart/form-data không hợp lệ.")
	}
	dec := json.NewDecoder(strings.NewReader(r.FormValue("reception")))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, nil, invalidField("reception", "Phần reception phải là JSON hợp lệ của yêu cầu tiếp nhận.")
	}
	scans := map[string]service.Upload{}
	for name, hdrs := range r.MultipartForm.File {
		if len(scans) >= maxScans || len(hdrs) != 1 {
			return in, nil, invalidField(name, "Mỗi tệp quét có một phần riêng, tối đa 20 tệp.")
		}
		f, err := hdrs[0].Open()
		if err != nil {
			return in, nil, err
		}
		up, err := a.cfg.Warehouse.ReadUpload(hdrs[0].Filename, f)
		f.Close()
		if err != nil {
			return in, nil, err
		}
		scans[name] = up
	}
	return in, scans, nil
}
