package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/service"
)

// The citizen's side of a supplement request on the dossier's page
// (/ho-so/{code}): the answer, the withdrawal and the printable notice;
// and the notice at the desk.

// supplementRow is one component the citizen answers for.
type supplementRow struct {
	Component motcua.DossierComponent
	Offers    []*motcua.Document // from the owner's warehouse
	AllowScan bool
}

// receiptDone are the confirmations after a redirect (?xong=…).
var receiptDone = map[string]string{
	"bo-sung": "Đã gửi hồ sơ bổ sung. Hồ sơ đã được chuyển lại cho cơ quan giải quyết.",
	"rut":     "Đã rút hồ sơ.",
}

// supplementRows are the components d's open supplement request asks
// for (all of them when it names none), with the warehouse's offers.
func (s *Server) supplementRows(r *http.Request, d *motcua.Dossier) ([]supplementRow, error) {
	req := d.Supplement()
	if d.Status != motcua.StatusSupplement {
		return nil, nil
	}
	offers, err := s.cfg.Submissions.SupplementOffers(r.Context(), principal(r), d)
	if err != nil {
		return nil, err
	}
	proc, err := s.cfg.Store.GetProcedureVersion(r.Context(), d.ProcedureCode, d.ProcedureVersion)
	if err != nil {
		return nil, err
	}
	var rows []supplementRow
	for _, c := range d.Components {
		if req.Open() && !req.Names(c.Code) {
			continue
		}
		row := supplementRow{Component: c}
		if pc, ok := proc.Component(d.CaseCode, c.Code); ok {
			row.AllowScan = pc.AllowScan
		}
		for _, m := range offers {
			if m.Component.Code == c.Code {
				row.Offers = m.Candidates()
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// receiptError shows the dossier's page again with err next to the form
// it is about.
func (s *Server) receiptError(w http.ResponseWriter, r *http.Request, code, form string, err error) {
	if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.ENOTFOUND) || motcua.IsKind(err, motcua.EFORBIDDEN) {
		s.renderError(w, r, err)
		return
	}
	d, gerr := s.cfg.Submissions.MyDossier(r.Context(), principal(r), code)
	if gerr != nil {
		s.renderError(w, r, gerr)
		return
	}
	page, perr := s.receiptData(r, d)
	if perr != nil {
		s.renderError(w, r, perr)
		return
	}
	page.Error, page.ErrorFor, page.Reason = motcua.ErrorMessage(err), form, r.PostFormValue("reason")
	s.formError(w, r, err, "receipt", page)
}

// supplementAnswer is "Gửi hồ sơ bổ sung": per component, a file
// (tep-<code>) or a warehouse document (kho-<code>).
func (s *Server) supplementAnswer(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	code := r.PathValue("code")
	r.Body = http.MaxBytesReader(w, r.Body, maxAnswerFiles*s.cfg.Warehouse.MaxFileSize()+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = &motcua.Error{Kind: motcua.EINVALID, Code: "too_large", Field: "file",
				Message: fmt.Sprintf("Tệp tin vượt quá dung lượng cho phép (tối đa %d MB mỗi tệp).", s.cfg.Warehouse.MaxFileSize()>>20)}
		} else {
			err = motcua.Invalid("file", "upload_failed", "Không nhận được đầy đủ biểu mẫu; vui lòng gửi lại.")
		}
		s.receiptError(w, r, code, "bo-sung", err)
		return
	}
	parts, err := s.answerParts(r)
	if err != nil {
		s.receiptError(w, r, code, "bo-sung", err)
		return
	}
	d, _, err := s.cfg.Submissions.AnswerSupplement(r.Context(), principal(r), code, parts, r.PostFormValue("idempotency_key"))
	if err != nil {
		s.receiptError(w, r, code, "bo-sung", err)
		return
	}
	http.Redirect(w, r, "/ho-so/"+url.PathEscape(d.Code)+"?xong=bo-sung", http.StatusSeeOther)
}

// maxAnswerFiles bounds the files of one answer form.
const maxAnswerFiles = 10

// answerParts reads the answer form: a non-empty file tep-<code>, or a
// chosen document kho-<code>; a component with neither is left out (the
// service names it if the request asked for it).
func (s *Server) answerParts(r *http.Request) ([]service.SupplementPart, error) {
	var parts []service.SupplementPart
	seen := map[string]bool{}
	var codes []string
	for name := range r.MultipartForm.File {
		if c, ok := strings.CutPrefix(name, "tep-"); ok && !seen[c] {
			seen[c] = true
			codes = append(codes, c)
		}
	}
	for name := range r.MultipartForm.Value {
		if c, ok := strings.CutPrefix(name, "kho-"); ok && !seen[c] {
			seen[c] = true
			codes = append(codes, c)
		}
	}
	slices.Sort(codes)
	for _, c := range codes {
		part := service.SupplementPart{Component: c, DocumentID: strings.TrimSpace(r.PostFormValue("kho-" + c))}
		if f, hdr, err := r.FormFile("tep-" + c); err == nil {
			up, rerr := s.cfg.Warehouse.ReadUpload(hdr.Filename, f)
			f.Close()
			if rerr != nil {
				return nil, rerr
			}
			if len(up.Data) > 0 {
				part.Upload = &up
			}
		}
		if part.Upload != nil || part.DocumentID != "" {
			parts = append(parts, part)
		}
	}
	return parts, nil
}

// withdraw is "Rút hồ sơ": a reason and a ticked confirmation.
func (s *Server) withdraw(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/auth/login") {
		return
	}
	code := r.PathValue("code")
	if r.PostFormValue("xac-nhan") != "on" {
		s.receiptError(w, r, code, "rut", motcua.Invalid("xac-nhan", "confirmation_required",
			"Vui lòng đánh dấu ô xác nhận rút hồ sơ."))
		return
	}
	d, err := s.cfg.Submissions.Withdraw(r.Context(), principal(r), code, r.PostFormValue("reason"))
	if err != nil {
		s.receiptError(w, r, code, "rut", err)
		return
	}
	http.Redirect(w, r, "/ho-so/"+url.PathEscape(d.Code)+"?xong=rut", http.StatusSeeOther)
}

// writeSupplementPDF sends the printable "Phiếu yêu cầu bổ sung, hoàn
// thiện hồ sơ" of d's latest request.
func (s *Server) writeSupplementPDF(w http.ResponseWriter, r *http.Request, d *motcua.Dossier) {
	if d.Supplement() == nil {
		httpx.WriteError(w, r, motcua.Errorf(motcua.ENOTFOUND, "supplement_not_found", "Hồ sơ chưa có yêu cầu bổ sung nào."))
		return
	}
	n := report.SupplementNotice{Dossier: d, AgencyName: d.AgencyCode, ProcedureName: d.ProcedureCode}
	s.names(r.Context(), d, &n.AgencyName, &n.ProcedureName)
	n.Officer = s.officerName(r.Context(), d.Supplement().RequestedBy)
	var buf bytes.Buffer
	if err := report.WriteSupplementPDF(&buf, n); err != nil {
		httpx.WriteError(w, r, motcua.Internal(err))
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="phieu-yeu-cau-bo-sung-`+d.Code+`.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// names fills in the dossier's agency and procedure names, when found.
// officerName is the full name of the officer with username, as printed
// on receipts and notices; the username when there is no such officer.
func (s *Server) officerName(ctx context.Context, username string) string {
	if username == "" {
		return ""
	}
	if o, err := s.cfg.Store.GetOfficer(ctx, strings.TrimPrefix(username, "officer:")); err == nil && o.Name != "" {
		return o.Name
	}
	return username
}

func (s *Server) names(ctx context.Context, d *motcua.Dossier, agency, procedure *string) {
	if a, err := s.cfg.Store.GetAgency(ctx, d.AgencyCode); err == nil {
		*agency = a.Name
	}
	if p, err := s.cfg.Store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion); err == nil {
		*procedure = p.Name
	}
}

// supplementNames are the names of the components d's latest supplement
// request names.
func supplementNames(d *motcua.Dossier) []string {
	var names []string
	if req := d.Supplement(); req != nil {
		for _, code := range req.Components {
			if c, ok := d.Component(code); ok {
				names = append(names, c.Name)
			} else {
				names = append(names, code)
			}
		}
	}
	return names
}
