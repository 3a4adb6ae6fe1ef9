package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/service"
)

// receptionTabs are the queue's views: new online dossiers, received ones
// waiting to be forwarded, those waiting for a supplement, and those in
// processing.
var receptionTabs = []motcua.DossierStatus{motcua.StatusRegistered, motcua.StatusReceived, motcua.StatusSupplement,
	motcua.StatusProcessing, motcua.StatusDone}

// processingTabs are the views of a desk that does not receive: the
// agency's dossiers in processing, waiting for a supplement, and done.
var processingTabs = []motcua.DossierStatus{motcua.StatusProcessing, motcua.StatusSupplement, motcua.StatusDone}

type receptionTab struct {
	Label  string
	URL    string
	Active bool
}

type receptionPage struct {
	Title    string
	Tabs     []receptionTab
	Status   motcua.DossierStatus
	Dossiers []*motcua.Dossier
	Total    int
	Mine     bool // only those forwarded to the officer by name
	// IdentityAlerts are the dossiers received with a manual identity
	// verification that the population database did not confirm.
	IdentityAlerts []*motcua.Dossier
}

func (p receptionPage) title() string { return p.Title }

// receptionQueue lists the officer's agency's dossiers in one status.
func (s *Server) receptionQueue(w http.ResponseWriter, r *http.Request) {
	status := motcua.StatusRegistered
	if authorizeAny(principal(r), []service.Operation{service.OpReceiveDossier}) != nil {
		// Processing officers and leaders start on the dossiers in processing.
		status = motcua.StatusProcessing
	}
	if v, err := strconv.Atoi(r.URL.Query().Get("trang-thai")); err == nil && motcua.DossierStatus(v).Valid() {
		status = motcua.DossierStatus(v)
	}
	mine := r.URL.Query().Get("giao-cho-toi") == "1"
	var ds []*motcua.Dossier
	var total int
	var err error
	if mine {
		status = motcua.StatusProcessing
		ds, total, err = s.cfg.Reception.AssignedToMe(r.Context(), principal(r), 200, 0)
	} else {
		ds, total, err = s.cfg.Reception.Queue(r.Context(), principal(r), status, 200, 0)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page := receptionPage{Title: "Hồ sơ của cơ quan", Status: status, Dossiers: ds, Total: total, Mine: mine}
	if authorizeAny(principal(r), []service.Operation{service.OpReceiveDossier}) == nil {
		if page.IdentityAlerts, err = s.cfg.Reception.IdentityAlerts(r.Context(), principal(r)); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	tabs := receptionTabs
	if authorizeAny(principal(r), []service.Operation{service.OpReceiveDossier}) != nil {
		// A processing officer's or leader's desk: only the tabs he may open.
		tabs = processingTabs
	}
	for _, st := range tabs {
		if st == motcua.StatusProcessing && authorizeAny(principal(r), []service.Operation{service.OpProcessDossier}) != nil {
			continue // a reception officer does not list the processing desks' dossiers
		}
		page.Tabs = append(page.Tabs, receptionTab{Label: st.Label(), URL: "/can-bo/ho-so?trang-thai=" + strconv.Itoa(int(st)),
			Active: st == status && !mine})
	}
	s.render(w, r, http.StatusOK, "officer_queue", page)
}

type transitionChoice struct {
	motcua.Choice
	Label string
}

type officerDossierPage struct {
	Title   string
	Dossier *motcua.Dossier
	Choices []transitionChoice
	Error   string
	Note    string
	Done    string
	// Processing: the viewer may forward the dossier and draft its
	// result; CanSign: the viewer is a leader who may sign it.
	Processing, CanSign bool
	// CanDigitize: the viewer is at the receiving desk and may scan the
	// components not digitized yet.
	CanDigitize bool
	Agencies    []*motcua.Agency
	Handling    *motcua.Agency
	Procedure   *motcua.Procedure
	// ResultCategory names the result the procedure issues.
	ResultCategory *motcua.DocumentCategory
	// Supplement is the latest supplement request, SupplementNames the
	// components it names; Resupply the components the desk may scan
	// again while the request waits.
	Supplement      *motcua.SupplementRequest
	SupplementNames []string
	Resupply        map[string]bool
}

func (p officerDossierPage) title() string { return p.Title }

// actionLabels name the buttons of each transition, as the desk says it.
var actionLabels = map[motcua.DossierStatus]string{
	motcua.StatusReceived:        "Tiếp nhận hồ sơ",
	motcua.StatusRejected:        "Từ chối tiếp nhận",
	motcua.StatusSupplement:      "Yêu cầu bổ sung",
	motcua.StatusProcessing:      "Chuyển xử lý",
	motcua.StatusFinancialDuty:   "Yêu cầu nghĩa vụ tài chính",
	motcua.StatusStopped:         "Dừng xử lý",
	motcua.StatusDone:            "Hoàn thành xử lý",
	motcua.StatusResultsReturned: "Trả kết quả",
	motcua.StatusWithdrawn:       "Công dân rút hồ sơ",
}

// officerDossierData gathers what the dossier page shows besides the
// dossier. A reference row that has gone (ENOTFOUND) is left out; any
// other failure is the page's error.
func (s *Server) officerDossierData(r *http.Request, d *motcua.Dossier) (officerDossierPage, error) {
	ctx := r.Context()
	page := officerDossierPage{Title: "Hồ sơ " + d.Code, Dossier: d}
	can := s.cfg.Reception.Abilities(ctx, principal(r), d)
	page.Processing, page.CanSign, page.CanDigitize = can.Process, can.Sign, can.Digitize
	var err error
	if page.Processing {
		if page.Agencies, err = s.cfg.Reception.ForwardTargets(ctx, d); err != nil {
			return page, err
		}
	}
	if page.Procedure, err = s.cfg.Store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion); ignoreNotFound(err) != nil {
		return page, err
	}
	if page.Procedure != nil && page.Procedure.ResultCategory != "" {
		if page.ResultCategory, err = s.cfg.Store.GetCategory(ctx, page.Procedure.ResultCategory); ignoreNotFound(err) != nil {
			return page, err
		}
	}
	if page.Handling, err = s.cfg.Store.GetAgency(ctx, d.HandlingAgency); ignoreNotFound(err) != nil {
		return page, err
	}
	for _, c := range d.Choices() {
		page.Choices = append(page.Choices, transitionChoice{Choice: c, Label: actionLabels[c.To]})
	}
	if page.Supplement = d.Supplement(); page.Supplement != nil {
		page.SupplementNames = supplementNames(d)
		if d.Status == motcua.StatusSupplement && page.Supplement.Open() && page.CanDigitize {
			page.Resupply = map[string]bool{}
			for _, c := range d.Components {
				page.Resupply[c.Code] = page.Supplement.Names(c.Code)
			}
		}
	}
	return page, nil
}

// ignoreNotFound is err unless it says the row does not exist.
func ignoreNotFound(err error) error {
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil
	}
	return err
}

// officerDossier shows a dossier of the officer's agency with its
// components, history and the status changes it allows.
func (s *Server) officerDossier(w http.ResponseWriter, r *http.Request) {
	d, err := s.cfg.Reception.Dossier(r.Context(), principal(r), r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page, err := s.officerDossierData(r, d)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if to, err := strconv.Atoi(r.URL.Query().Get("da-chuyen")); err == nil {
		page.Done = "Đã chuyển hồ sơ sang trạng thái “" + motcua.DossierStatus(to).Label() + "”."
	}
	if msg := doneMessage(r.URL.Query().Get("xong")); msg != "" {
		page.Done = msg
	}
	s.render(w, r, http.StatusOK, "officer_dossier", page)
}

// officerTransition applies one status change from the dossier's page.
func (s *Server) officerTransition(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	to, _ := strconv.Atoi(r.PostFormValue("to"))
	note := r.PostFormValue("note")
	var d *motcua.Dossier
	var err error
	if motcua.DossierStatus(to) == motcua.StatusSupplement {
		d, err = s.cfg.Reception.RequestSupplement(r.Context(), principal(r), code, note, r.PostForm["component"])
	} else {
		d, err = s.cfg.Reception.Transition(r.Context(), principal(r), code, motcua.DossierStatus(to), note)
	}
	if err != nil {
		cur, gerr := s.cfg.Reception.Dossier(r.Context(), principal(r), code)
		if gerr != nil {
			s.renderError(w, r, gerr)
			return
		}
		page, perr := s.officerDossierData(r, cur)
		if perr != nil {
			s.renderError(w, r, perr)
			return
		}
		page.Error, page.Note = motcua.ErrorMessage(err), note
		s.formError(w, r, err, "officer_dossier", page)
		return
	}
	http.Redirect(w, r, "/can-bo/ho-so/"+url.PathEscape(d.Code)+"?da-chuyen="+strconv.Itoa(int(d.Status)), http.StatusSeeOther)
}

// writeReceiptPDF sends the printable "Giấy tiếp nhận hồ sơ và hẹn trả
// kết quả" of d, with the QR code of its public look-up address as on
// the receipt page.
func (s *Server) writeReceiptPDF(w http.ResponseWriter, r *http.Request, d *motcua.Dossier) {
	ctx := r.Context()
	rc := report.Receipt{Dossier: d, AgencyName: d.AgencyCode, ProcedureName: d.ProcedureCode, Officer: s.officerName(ctx, d.ReceivedBy)}
	if a, err := s.cfg.Store.GetAgency(ctx, d.AgencyCode); err == nil {
		rc.AgencyName = a.Name
	}
	if p, err := s.cfg.Store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion); err == nil {
		rc.ProcedureName = p.Name
	}
	png, err := qrcode.Encode(s.lookupURL(d.Code), qrcode.Medium, 256)
	if err != nil {
		httpx.WriteError(w, r, motcua.Internal(err))
		return
	}
	rc.QRPNG = png
	var buf bytes.Buffer
	if err := report.WriteReceiptPDF(&buf, rc); err != nil {
		httpx.WriteError(w, r, motcua.Internal(err))
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="phieu-tiep-nhan-`+d.Code+`.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}
