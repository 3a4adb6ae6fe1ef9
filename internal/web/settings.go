package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// The province's shared settings: trust anchors (/quan-tri/chung-thu-so)
// and the holiday calendar (/quan-tri/ngay-nghi). Every administrator sees
// them; the service lets only the province's administrator change them.

type trustAnchorsPage struct {
	Title      string
	Anchors    []*motcua.TrustAnchor
	Configured []configuredAnchor
	Error      string
	Added      *motcua.TrustAnchor
	CanEdit    bool // the province's administrator
}

func (p trustAnchorsPage) title() string { return p.Title }

// configuredAnchor is an anchor of the configuration, listed for
// information: the database cannot disable it.
type configuredAnchor struct {
	Subject, Fingerprint string
	NotAfter             time.Time
}

func (s *Server) trustAnchorsList(w http.ResponseWriter, r *http.Request, status int, formErr error, added *motcua.TrustAnchor) {
	list, err := s.cfg.TrustAnchors.List(r.Context(), principal(r))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page := trustAnchorsPage{Title: "Chứng thư số tin cậy", Anchors: list, Added: added,
		CanEdit: service.AuthorizeProvince(r.Context(), s.cfg.Store, principal(r), service.OpManageTrustAnchors) == nil}
	for _, c := range s.cfg.TrustAnchors.ConfiguredAnchors() {
		page.Configured = append(page.Configured, configuredAnchor{Subject: c.Subject.String(),
			Fingerprint: motcua.CertificateFingerprint(c.Raw), NotAfter: c.NotAfter})
	}
	if formErr != nil {
		page.Error = motcua.ErrorMessage(formErr)
	}
	s.render(w, r, status, "trust_anchors", page)
}

func (s *Server) trustAnchorsPage(w http.ResponseWriter, r *http.Request) {
	s.trustAnchorsList(w, r, http.StatusOK, nil, nil)
}

func (s *Server) addTrustAnchor(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, motcua.MaxTrustAnchorSize+64<<10)
	var data []byte
	if err := r.ParseMultipartForm(1 << 20); err == nil {
		if f, _, err := r.FormFile("certificate"); err == nil {
			data, err = io.ReadAll(io.LimitReader(f, motcua.MaxTrustAnchorSize+1))
			f.Close()
			if err != nil {
				data = nil
			}
		}
	} else if strings.Contains(err.Error(), "too large") {
		data = make([]byte, motcua.MaxTrustAnchorSize+1) // refused as too large below
	}
	a, err := s.cfg.TrustAnchors.Add(r.Context(), principal(r), data)
	if err != nil {
		if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.EFORBIDDEN) {
			s.renderError(w, r, err)
			return
		}
		s.trustAnchorsList(w, r, httpx.Status(err), err, nil)
		return
	}
	s.trustAnchorsList(w, r, http.StatusOK, nil, a)
}

func (s *Server) setTrustAnchor(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.cfg.TrustAnchors.SetDisabled(r.Context(), principal(r), r.PathValue("fingerprint"), disabled); err != nil {
			s.renderError(w, r, err)
			return
		}
		http.Redirect(w, r, "/quan-tri/chung-thu-so", http.StatusSeeOther)
	}
}

type holidaysPage struct {
	Title    string
	Year     *service.HolidayYear
	Prev     int
	Next     int
	Error    string
	Form     holidayForm
	CanEdit  bool
	Weekdays map[motcua.Date]string
}

type holidayForm struct {
	Date, Kind, Name string
}

func (p holidaysPage) title() string { return p.Title }

var weekdayVI = [...]string{"Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"}

func (s *Server) holidaysList(w http.ResponseWriter, r *http.Request, year, status int, form holidayForm, formErr error) {
	ctx, p := r.Context(), principal(r)
	y, err := s.cfg.Holidays.Year(ctx, p, year)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page := holidaysPage{Title: fmt.Sprintf("Ngày nghỉ, ngày làm bù năm %d", year), Year: y, Prev: year - 1, Next: year + 1, Form: form,
		CanEdit: service.AuthorizeProvince(ctx, s.cfg.Store, p, service.OpManageHolidays) == nil, Weekdays: map[motcua.Date]string{}}
	for _, list := range [][]motcua.Date{y.DaysOff, y.WorkingWeekends} {
		for _, d := range list {
			page.Weekdays[d] = weekdayVI[d.Time().Weekday()]
		}
	}
	for _, e := range y.Entries {
		page.Weekdays[e.Date] = weekdayVI[e.Date.Time().Weekday()]
	}
	if page.Form.Kind == "" {
		page.Form.Kind = "off"
	}
	if formErr != nil {
		page.Error = motcua.ErrorMessage(formErr)
	}
	s.render(w, r, status, "holidays", page)
}

// pageYear is the ?nam= year, the current one by default.
func pageYear(v string) int {
	if y, err := strconv.Atoi(v); err == nil {
		return y
	}
	return motcua.DateOf(time.Now()).Year
}

func (s *Server) holidaysPage(w http.ResponseWriter, r *http.Request) {
	s.holidaysList(w, r, pageYear(r.URL.Query().Get("nam")), http.StatusOK, holidayForm{}, nil)
}

func (s *Server) putHoliday(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.renderError(w, r, err)
		return
	}
	form := holidayForm{Date: strings.TrimSpace(r.PostForm.Get("date")), Kind: r.PostForm.Get("kind"), Name: r.PostForm.Get("name")}
	year := pageYear("")
	h, err := parseHoliday(form.Date, form.Kind, form.Name)
	if err == nil {
		year = h.Date.Year
		_, err = s.cfg.Holidays.Put(r.Context(), principal(r), h)
	}
	if err != nil {
		if httpx.Status(err) >= 500 || motcua.IsKind(err, motcua.EFORBIDDEN) {
			s.renderError(w, r, err)
			return
		}
		s.holidaysList(w, r, year, httpx.Status(err), form, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/quan-tri/ngay-nghi?nam=%d", year), http.StatusSeeOther)
}

// parseHoliday reads a date (dd/mm/yyyy or ISO) and a kind, off or work.
func parseHoliday(date, kind, name string) (motcua.Holiday, error) {
	h := motcua.Holiday{Name: name}
	if strings.TrimSpace(date) != "" {
		d, err := motcua.ParseDate(strings.TrimSpace(date))
		if err != nil {
			return h, motcua.Invalid("date", "invalid_date", fmt.Sprintf("Ngày %q không đúng dạng dd/mm/yyyy hoặc không có thật.", date))
		}
		h.Date = d
	}
	switch kind {
	case "off", "":
	case "work":
		h.Working = true
	default:
		return h, motcua.Invalid("kind", "invalid_holiday_kind", "Loại ngày phải là off (ngày nghỉ) hoặc work (ngày làm việc, làm bù).")
	}
	return h, nil
}

func (s *Server) deleteHoliday(w http.ResponseWriter, r *http.Request) {
	d, err := motcua.ParseDate(r.PathValue("date"))
	if err != nil {
		s.renderError(w, r, motcua.NotFound("holiday", r.PathValue("date")))
		return
	}
	if err := s.cfg.Holidays.Delete(r.Context(), principal(r), d); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/quan-tri/ngay-nghi?nam=%d", d.Year), http.StatusSeeOther)
}
