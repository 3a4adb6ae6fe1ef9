package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

// monthlyCell is one indicator of a compiled month: the stored rate and,
// when corrections changed it, today's.
type monthlyCell struct {
	Code, Stored, Live string
	Changed            bool
}

type monthlyRow struct {
	No             string
	Name           string
	Stored, Live   int64 // dossiers received
	Cells          []monthlyCell
	Changed, Total bool
}

type monthlyLink struct {
	Month, URL, TakenAt, TakenBy, Reason string
	Current                              bool
}

type monthlyPage struct {
	Title      string
	Agency     string
	Root       *motcua.Agency
	Months     []monthlyLink
	Month      string // MM/YYYY shown, empty when none is stored
	TakenAt    string
	TakenBy    string
	Reason     string
	Rows       []monthlyRow
	Changed    int
	Indicators []motcua.IndicatorDef
	API        string
}

func (p monthlyPage) title() string { return p.Title }

func monthlyCells(stored, live motcua.AgencyCount) []monthlyCell {
	out := make([]monthlyCell, 0, len(motcua.Indicators))
	for _, d := range motcua.Indicators {
		s, l := d.Rate(stored), d.Rate(live)
		out = append(out, monthlyCell{Code: d.Code, Stored: s.Percent(2, ","), Live: l.Percent(2, ","), Changed: s != l})
	}
	return out
}

// monitorMonthly is the monthly compilation ("tổng hợp hằng tháng", seed
// 002): the stored months, and one month's stored figures beside today's
// live figures for the same month, rows changed since flagged.
func (s *Server) monitorMonthly(w http.ResponseWriter, r *http.Request) {
	if !requireLogin(w, r, "/can-bo/dang-nhap") {
		return
	}
	p := principal(r)
	agency := r.URL.Query().Get("agency")
	if agency == "" {
		agency = p.AgencyCode
	}
	list, err := s.cfg.KPI.Snapshots(r.Context(), p)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page := monthlyPage{Title: "Tổng hợp hằng tháng các chỉ số", Agency: agency, Indicators: motcua.Indicators}
	var month motcua.KPIMonth
	if m := r.URL.Query().Get("month"); m != "" {
		if month, err = motcua.ParseKPIMonth(m); err != nil {
			s.renderError(w, r, err)
			return
		}
	} else if len(list) > 0 {
		month = list[0].Month
	}
	for _, snap := range list {
		page.Months = append(page.Months, monthlyLink{Month: snap.Month.Display(), Current: snap.Month == month,
			URL:     "/theo-doi/tong-hop-thang?" + url.Values{"agency": {agency}, "month": {snap.Month.String()}}.Encode(),
			TakenAt: snap.TakenAt.In(motcua.VietnamLocation()).Format("15:04 02/01/2006"), TakenBy: snap.TakenBy, Reason: snap.Reason})
	}
	root, err := s.cfg.Store.GetAgency(r.Context(), agency)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page.Root = root
	if month == (motcua.KPIMonth{}) {
		// Authorize the agency even when nothing is stored yet.
		if err := service.AuthorizeAt(r.Context(), s.cfg.Store, p, service.OpViewKPI, agency); err != nil {
			s.renderError(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "monitor_monthly", page)
		return
	}
	m, err := s.cfg.KPI.Monthly(r.Context(), p, agency, month)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page.Month, page.Changed = month.Display(), m.Changed
	page.TakenAt = m.Snapshot.TakenAt.In(motcua.VietnamLocation()).Format("15:04 02/01/2006")
	page.TakenBy, page.Reason = m.Snapshot.TakenBy, m.Snapshot.Reason
	page.API = "/api/v1/reports/monthly?" + url.Values{"agency": {agency}, "month": {month.String()}}.Encode()
	for _, row := range m.Rows {
		page.Rows = append(page.Rows, monthlyRow{No: strconv.Itoa(row.Stored.No), Name: row.Stored.Agency.Name, Stored: row.Stored.Received,
			Live: row.Live.Received, Cells: monthlyCells(row.Stored.AgencyCount, row.Live.AgencyCount), Changed: row.Changed})
	}
	page.Rows = append(page.Rows, monthlyRow{Name: "Tổng cộng", Stored: m.Total.Stored.Received, Live: m.Total.Live.Received,
		Cells: monthlyCells(m.Total.Stored.AgencyCount, m.Total.Live.AgencyCount), Changed: m.Total.Changed, Total: true})
	s.render(w, r, http.StatusOK, "monitor_monthly", page)
}
