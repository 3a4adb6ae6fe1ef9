package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/service"
)

// certificationPageNames are the certifying officer's pages (parsed with
// the others at start-up).
var certificationPageNames = []string{"certification", "certification_done", "certification_book"}

// certificationRoutes registers the certifying officer's desk
// (/can-bo/chung-thuc) and the electronic certification book.
func (s *Server) certificationRoutes(mux *routeMux) {
	mux.HandleFunc("GET /can-bo/chung-thuc", s.certificationForm)
	mux.HandleFunc("POST /can-bo/chung-thuc", s.certificationIssue)
	mux.HandleFunc("GET /can-bo/chung-thuc/so", s.certificationBook)
	mux.HandleFunc("GET /can-bo/chung-thuc/so.csv", s.certificationBookExport)
	mux.HandleFunc("GET /can-bo/chung-thuc/so.xlsx", s.certificationBookExport)
}

type certificationForm struct {
	RequesterCode, OriginalName, OriginalCategory, OriginalNumber, Pages string
}

type certificationPage struct {
	Title      string
	Form       certificationForm
	Requester  *motcua.Subject
	Categories []*motcua.DocumentCategory
	FeeRule    string
	Fee        string // the fee for the pages entered, when known
	Error      string
	Field      string
	Reason     string
	MaxMB      int64
	Year       int
}

func (p certificationPage) title() string { return p.Title }

// feeRule reads the fee rule out in words.
func feeRule(f motcua.CertificationFees) string {
	s := motcua.FormatVND(f.FirstPageVND) + "/trang đối với trang thứ nhất"
	if f.FirstPages > 1 {
		s += " đến trang thứ " + strconv.Itoa(f.FirstPages)
	}
	s += "; từ trang thứ " + strconv.Itoa(f.FirstPages+1) + " trở lên " + motcua.FormatVND(f.LaterPageVND) + "/trang"
	if f.MaxPerCopyVND > 0 {
		s += "; tối đa " + motcua.FormatVND(f.MaxPerCopyVND) + "/bản"
	}
	return s + "."
}

func (s *Server) certificationData(r *http.Request, form certificationForm, formErr error) certificationPage {
	c := s.cfg.Certification
	page := certificationPage{Title: "Chứng thực bản sao điện tử từ bản chính", Form: form, FeeRule: feeRule(c.Fees()),
		MaxMB: s.cfg.Warehouse.MaxFileSize() >> 20, Year: motcua.LocalDay(time.Now()).Year()}
	if cats, err := s.cfg.Store.ListCategories(r.Context()); err == nil {
		page.Categories = cats
	}
	if n, err := strconv.Atoi(strings.TrimSpace(form.Pages)); err == nil && n > 0 {
		page.Fee = motcua.FormatVND(c.Fees().Fee(n))
	}
	if code := strings.TrimSpace(form.RequesterCode); code != "" && formErr == nil {
		sub, err := c.Requester(r.Context(), principal(r), code)
		if err == nil {
			page.Requester = sub
		} else {
			formErr = err
		}
	}
	if formErr != nil {
		page.Error = motcua.ErrorMessage(formErr)
		page.Reason = motcua.ErrorCode(formErr)
		var e *motcua.Error
		if errors.As(formErr, &e) {
			page.Field = e.Field
		}
	}
	return page
}

func formOf(r *http.Request) certificationForm {
	return certificationForm{RequesterCode: strings.TrimSpace(r.FormValue("requester_code")), OriginalName: r.FormValue("original_name"),
		OriginalCategory: r.FormValue("original_category"), OriginalNumber: r.FormValue("original_number"),
		Pages: strings.TrimSpace(r.FormValue("pages"))}
}

// certificationForm shows the desk's form. Given a requester's number
// (the "Tra cứu" button) it shows who that is and the fee for the pages
// entered.
func (s *Server) certificationForm(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Certification.Authorize(r.Context(), principal(r)); err != nil {
		s.renderError(w, r, err)
		return
	}
	page := s.certificationData(r, formOf(r), nil)
	status := http.StatusOK
	if page.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "certification", page)
}

type certificationDonePage struct {
	Title    string
	Entry    *motcua.CertificationEntry
	Document *motcua.Document
	Fee      string
}

func (p certificationDonePage) title() string { return p.Title }

// certificationIssue issues the copy and shows its code, book number and
// fee; a refusal shows the form again with the reason.
func (s *Server) certificationIssue(w http.ResponseWriter, r *http.Request) {
	perr := s.parseMultipart(w, r)
	form := formOf(r)
	fail := func(err error) {
		if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.EFORBIDDEN) {
			s.renderError(w, r, err)
			return
		}
		page := s.certificationData(r, form, err)
		s.render(w, r, httpx.Status(err), "certification", page)
	}
	if perr != nil {
		fail(perr)
		return
	}
	pages, err := strconv.Atoi(form.Pages)
	if err != nil {
		fail(motcua.Invalid("pages", "invalid_pages", "Số trang của bản chính phải là một số nguyên từ 1 trở lên."))
		return
	}
	up, err := s.formUpload(w, r)
	if err != nil {
		fail(motcua.Invalid("file", "file_required", "Vui lòng chọn tệp quét bản chính (PDF)."))
		return
	}
	got, err := s.cfg.Certification.Issue(r.Context(), principal(r), service.CertifyRequest{RequesterCode: form.RequesterCode,
		OriginalName: form.OriginalName, OriginalCategory: form.OriginalCategory, OriginalNumber: form.OriginalNumber,
		Pages: pages, Scan: up})
	if err != nil {
		fail(err)
		return
	}
	s.render(w, r, http.StatusOK, "certification_done", certificationDonePage{Title: "Đã chứng thực bản sao điện tử",
		Entry: got.Entry, Document: got.Document, Fee: motcua.FormatVND(got.Entry.FeeVND)})
}

type certificationBookPage struct {
	Title   string
	Year    int
	Years   []int
	Entries []*motcua.CertificationEntry
	Total   string
	CSV     string
	XLSX    string
}

func (p certificationBookPage) title() string { return p.Title }

func bookYear(r *http.Request) int {
	if y, err := strconv.Atoi(r.URL.Query().Get("nam")); err == nil {
		return y
	}
	return motcua.LocalDay(time.Now()).Year()
}

// certificationBook lists a year's entries of the officer's agency's book.
func (s *Server) certificationBook(w http.ResponseWriter, r *http.Request) {
	year := bookYear(r)
	es, err := s.cfg.Certification.Book(r.Context(), principal(r), year)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var total int64
	for _, e := range es {
		total += e.FeeVND
	}
	page := certificationBookPage{Title: "Sổ chứng thực bản sao điện tử năm " + strconv.Itoa(year), Year: year, Entries: es,
		Total: motcua.FormatVND(total), CSV: "/can-bo/chung-thuc/so.csv?nam=" + strconv.Itoa(year),
		XLSX: "/can-bo/chung-thuc/so.xlsx?nam=" + strconv.Itoa(year)}
	for y := motcua.LocalDay(time.Now()).Year(); y >= motcua.LocalDay(time.Now()).Year()-4; y-- {
		page.Years = append(page.Years, y)
	}
	s.render(w, r, http.StatusOK, "certification_book", page)
}

// certificationBookExport downloads a year's book as CSV or XLSX.
func (s *Server) certificationBookExport(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	year := bookYear(r)
	es, err := s.cfg.Certification.Book(r.Context(), p, year)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	name := "so-chung-thuc-dien-tu-" + p.AgencyCode + "-" + strconv.Itoa(year)
	if strings.HasSuffix(r.URL.Path, ".xlsx") {
		agency := p.AgencyCode
		if a, err := s.cfg.Store.GetAgency(r.Context(), p.AgencyCode); err == nil {
			agency = a.Name
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
		if err := report.WriteCertificationBookXLSX(w, agency, year, es); err != nil {
			httpx.Logger(r.Context()).Error("write certification book xlsx", "err", err)
		}
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	_, _ = w.Write([]byte("\uFEFF")) // Excel reads UTF-8 CSV with a BOM
	if err := report.WriteCertificationBookCSV(w, es); err != nil {
		httpx.Logger(r.Context()).Error("write certification book csv", "err", err)
	}
}
