package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// feedbackPages are the templates of feedback on results.
var feedbackPages = []string{"feedback_report", "feedback_queue", "feedback_detail", "feedback_monitor"}

// registerFeedback adds the pages of feedback on results: the owner's
// report, the agency's queue and answers, the monitors' counts.
func (s *Server) registerFeedback(mux *routeMux) {
	mux.HandleFunc("GET /kho-du-lieu/{id}/phan-anh", s.feedbackReportPage)
	mux.HandleFunc("POST /kho-du-lieu/{id}/phan-anh", s.feedbackReport)
	mux.HandleFunc("GET /can-bo/phan-anh", s.feedbackQueue)
	mux.HandleFunc("GET /can-bo/phan-anh/{id}", s.feedbackDetail)
	mux.HandleFunc("GET /can-bo/phan-anh/{id}/tep", s.feedbackFile)
	mux.HandleFunc("POST /can-bo/phan-anh/{id}/dinh-chinh", s.feedbackCorrect)
	mux.HandleFunc("POST /can-bo/phan-anh/{id}/tu-choi", s.feedbackReject)
	mux.HandleFunc("GET /theo-doi/phan-anh", s.feedbackMonitor)
}

// documentFeedback is what a document's page shows of its feedback.
type documentFeedback struct {
	Latest     *motcua.Feedback
	Corrected  *motcua.Document // the result the latest feedback brought
	CanReport  bool
	Superseder *motcua.Document // the result that superseded the document
}

// documentFeedback loads the feedback shown on the owner's document page.
// The corrected and superseding results are read through the warehouse,
// with the owner's authorization; one that is gone is left out.
func (s *Server) documentFeedback(r *http.Request, d *motcua.Document) (*documentFeedback, error) {
	if s.cfg.Feedback == nil {
		return nil, nil
	}
	ctx, p := r.Context(), principal(r)
	out := &documentFeedback{CanReport: motcua.CheckReportable(d) == nil}
	read := func(id string) (*motcua.Document, error) {
		if id == "" {
			return nil, nil
		}
		doc, err := s.cfg.Warehouse.Get(ctx, p, id, service.Access{})
		if motcua.IsKind(err, motcua.ENOTFOUND) {
			return nil, nil
		}
		return doc, err
	}
	fs, err := s.cfg.Feedback.ForDocument(ctx, p, d.ID)
	if err != nil {
		return nil, err
	}
	if len(fs) > 0 {
		out.Latest = fs[0]
		if out.Corrected, err = read(fs[0].CorrectedDocumentID); err != nil {
			return nil, err
		}
	}
	if out.Superseder, err = read(d.SupersededBy); err != nil {
		return nil, err
	}
	return out, nil
}

type feedbackReportPage struct {
	Title   string
	Doc     *motcua.Document
	Reasons []motcua.FeedbackReason
	Reason  string
	Comment string
	Back    string
	Error   string
}

func (p feedbackReportPage) title() string { return p.Title }

// backPath keeps a return address inside the warehouse or a draft, never
// another site.
func backPath(v string) string {
	v, ok := httpx.SafeLocalPath(v)
	if ok && (strings.HasPrefix(v, "/ho-so-nhap/") || v == "/kho-du-lieu" || strings.HasPrefix(v, "/kho-du-lieu/") ||
		strings.HasPrefix(v, "/kho-du-lieu?")) {
		return v
	}
	return ""
}

func (s *Server) feedbackForm(w http.ResponseWriter, r *http.Request, status int, page feedbackReportPage) {
	d, err := s.cfg.Warehouse.Get(r.Context(), principal(r), r.PathValue("id"), service.Access{})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := motcua.CheckReportable(d); err != nil && page.Error == "" {
		s.renderError(w, r, err)
		return
	}
	page.Title, page.Doc, page.Reasons = "Phản ánh về kết quả giải quyết", d, motcua.FeedbackReasons()
	s.render(w, r, status, "feedback_report", page)
}

func (s *Server) feedbackReportPage(w http.ResponseWriter, r *http.Request) {
	if !s.requireCitizen(w, r) {
		return
	}
	s.feedbackForm(w, r, http.StatusOK, feedbackReportPage{Back: backPath(r.URL.Query().Get("ve"))})
}

func (s *Server) feedbackReport(w http.ResponseWriter, r *http.Request) {
	if !s.requireCitizen(w, r) {
		return
	}
	id := r.PathValue("id")
	reason, comment, back := r.PostFormValue("reason"), r.PostFormValue("comment"), backPath(r.PostFormValue("ve"))
	_, err := s.cfg.Feedback.Report(r.Context(), principal(r), service.FeedbackReport{DocumentID: id,
		Reason: motcua.FeedbackReason(reason), Comment: comment})
	if err != nil {
		if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.ENOTFOUND) {
			s.renderError(w, r, err)
			return
		}
		s.feedbackForm(w, r, httpx.Status(err), feedbackReportPage{Reason: reason, Comment: comment, Back: back,
			Error: motcua.ErrorMessage(err)})
		return
	}
	if back != "" {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/kho-du-lieu/"+url.PathEscape(id)+"?tb=phan-anh", http.StatusSeeOther)
}

type feedbackRow struct {
	F       *motcua.Feedback
	Overdue bool
}

type feedbackQueuePage struct {
	Title  string
	Rows   []feedbackRow
	Total  int
	Status motcua.FeedbackStatus
	Tabs   []receptionTab
	Days   int
}

func (p feedbackQueuePage) title() string { return p.Title }

// feedbackQueue is the agency's list of feedback on its results, open
// ones first by deadline, the overdue ones highlighted.
func (s *Server) feedbackQueue(w http.ResponseWriter, r *http.Request) {
	status := motcua.FeedbackStatus(r.URL.Query().Get("trang-thai"))
	if status != motcua.FeedbackCorrected && status != motcua.FeedbackRejected {
		status = motcua.FeedbackOpen
	}
	fs, total, err := s.cfg.Feedback.Queue(r.Context(), principal(r), status, 200, 0)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	now := s.cfg.Feedback.Now()
	page := feedbackQueuePage{Title: "Phản ánh về kết quả giải quyết", Total: total, Status: status,
		Days: motcua.FeedbackWorkingDays}
	for _, f := range fs {
		page.Rows = append(page.Rows, feedbackRow{F: f, Overdue: f.Overdue(now)})
	}
	for _, st := range []motcua.FeedbackStatus{motcua.FeedbackOpen, motcua.FeedbackCorrected, motcua.FeedbackRejected} {
		page.Tabs = append(page.Tabs, receptionTab{Label: st.Label(), URL: "/can-bo/phan-anh?trang-thai=" + string(st), Active: st == status})
	}
	s.render(w, r, http.StatusOK, "feedback_queue", page)
}

type feedbackDetailPage struct {
	Title     string
	F         *motcua.Feedback
	Doc       *motcua.Document
	Corrected *motcua.Document
	Overdue   bool
	Error     string
	ErrorFor  string // "correct" or "reject"
	Note      string
	Done      string
}

func (p feedbackDetailPage) title() string { return p.Title }

func (s *Server) feedbackPage(w http.ResponseWriter, r *http.Request, status int, page feedbackDetailPage) {
	c, err := s.cfg.Feedback.Get(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page.Title, page.F, page.Doc, page.Corrected = "Phản ánh về kết quả "+c.Document.Code, c.Feedback, c.Document, c.Corrected
	page.Overdue = c.Feedback.Overdue(s.cfg.Feedback.Now())
	s.render(w, r, status, "feedback_detail", page)
}

func (s *Server) feedbackDetail(w http.ResponseWriter, r *http.Request) {
	page := feedbackDetailPage{}
	switch r.URL.Query().Get("tb") {
	case "dinh-chinh":
		page.Done = "Đã ban hành kết quả đính chính vào kho dữ liệu của công dân; kết quả cũ được đánh dấu đã được thay thế."
	case "tu-choi":
		page.Done = "Đã từ chối phản ánh; công dân được thông báo lý do."
	}
	s.feedbackPage(w, r, http.StatusOK, page)
}

func (s *Server) feedbackFile(w http.ResponseWriter, r *http.Request) {
	rc, file, err := s.cfg.Feedback.OpenFile(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	defer rc.Close()
	// Like every stored PDF: sandboxed inline, and a failed copy is logged
	// and aborts the response rather than ending a truncated file cleanly.
	httpx.StreamPDF(w, r, rc, file, "inline", "stream feedback file", "feedback", r.PathValue("id"))
}

// feedbackFail shows a refused answer on the feedback's page.
func (s *Server) feedbackFail(w http.ResponseWriter, r *http.Request, err error, form, note string) {
	if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.ENOTFOUND) || motcua.IsKind(err, motcua.EFORBIDDEN) ||
		motcua.IsKind(err, motcua.EUNAUTH) {
		s.renderError(w, r, err)
		return
	}
	s.feedbackPage(w, r, httpx.Status(err), feedbackDetailPage{Error: motcua.ErrorMessage(err), ErrorFor: form, Note: note})
}

func (s *Server) feedbackCorrect(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := s.parseMultipart(w, r); err != nil {
		s.feedbackFail(w, r, err, "correct", "")
		return
	}
	note := r.FormValue("note")
	up, err := s.formUpload(w, r)
	if err != nil {
		s.feedbackFail(w, r, err, "correct", note)
		return
	}
	if _, _, err := s.cfg.Feedback.Correct(r.Context(), principal(r), id, service.Correction{File: up,
		DecisionNumber: r.FormValue("decision_number"), Note: note}); err != nil {
		s.feedbackFail(w, r, err, "correct", note)
		return
	}
	http.Redirect(w, r, "/can-bo/phan-anh/"+url.PathEscape(id)+"?tb=dinh-chinh", http.StatusSeeOther)
}

func (s *Server) feedbackReject(w http.ResponseWriter, r *http.Request) {
	id, reason := r.PathValue("id"), r.PostFormValue("resolution")
	if _, err := s.cfg.Feedback.Reject(r.Context(), principal(r), id, reason); err != nil {
		s.feedbackFail(w, r, err, "reject", reason)
		return
	}
	http.Redirect(w, r, "/can-bo/phan-anh/"+url.PathEscape(id)+"?tb=tu-choi", http.StatusSeeOther)
}

type feedbackMonitorPage struct {
	Title   string
	Agency  string
	Rows    []service.FeedbackAgencyCount
	Open    int
	Overdue int
	At      time.Time
	Days    int
}

func (p feedbackMonitorPage) title() string { return p.Title }

// feedbackMonitor shows monitors the open and overdue feedback per agency
// under theirs.
func (s *Server) feedbackMonitor(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	agency := r.URL.Query().Get("agency")
	if agency == "" {
		agency = p.AgencyCode
	}
	rows, err := s.cfg.Feedback.Counts(r.Context(), p, agency)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page := feedbackMonitorPage{Title: "Phản ánh về kết quả giải quyết theo cơ quan", Agency: agency, Rows: rows,
		At: s.cfg.Feedback.Now(), Days: motcua.FeedbackWorkingDays}
	for _, c := range rows {
		page.Open += c.Open
		page.Overdue += c.Overdue
	}
	s.render(w, r, http.StatusOK, "feedback_monitor", page)
}
