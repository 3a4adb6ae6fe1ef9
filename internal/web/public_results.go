package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// resolutionWidget is the portal's "Kết quả giải quyết TTHC" box (seed 004).
type resolutionWidget struct {
	Month                   string // "02"
	Resolved                string // "100" (%)
	Processed, OnTime, Late int64
	LateRate                string
	UpdatedAt               string // dd/mm/yyyy hh:mm:ss
}

type publicRow struct {
	No                                string
	Name                              string
	Received, Processed, OnTime, Late int64
	LateRate                          string
	Rates                             []string // the seven indicators, in motcua.Indicators' order
	Section, Total                    bool
}

type publicPage struct {
	Title      string
	Root       string
	From, To   string
	Widget     resolutionWidget
	Rows       []publicRow
	Indicators []motcua.IndicatorDef
	Years      []yearLink
}

type yearLink struct {
	Year    int
	URL     string
	Current bool
}

func (p publicPage) title() string { return p.Title }

// shortPercent writes a rate as the portal does: up to two decimals, no
// trailing zeros ("100", "0", "97,5").
func shortPercent(r motcua.Rate) string {
	s := r.Percent(2, ",")
	if strings.Contains(s, ",") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ",")
	}
	return s
}

func publicRowOf(no, name string, c motcua.AgencyCount) publicRow {
	res := motcua.ResolutionOf(c)
	row := publicRow{No: no, Name: name, Received: c.Received, Processed: res.Processed, OnTime: res.OnTime, Late: res.Late,
		LateRate: shortPercent(res.LateRate())}
	for _, d := range motcua.Indicators {
		row.Rates = append(row.Rates, d.Rate(c).Percent(2, ","))
	}
	return row
}

// publicResults is /cong-khai: the public disclosure of the year's
// results, no login. Each agency's aggregate figures and the province's
// "Kết quả giải quyết TTHC" widget; nothing about a dossier or a person.
func (s *Server) publicResults(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	year := 0
	if v := r.URL.Query().Get("nam"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.renderError(w, r, motcua.Invalid("nam", "invalid_year", "Năm không hợp lệ."))
			return
		}
		year = n
	}
	d, err := s.cfg.KPI.PublicDisclosure(r.Context(), now, year)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	t := d.Table
	res := motcua.ResolutionOf(t.Total.AgencyCount)
	page := publicPage{Title: "Công khai kết quả giải quyết thủ tục hành chính", Root: t.Root.Name, From: d.Period.From.Display(),
		To: d.Period.To.Display(), Indicators: motcua.Indicators,
		Widget: resolutionWidget{Month: fmt.Sprintf("%02d", d.Period.To.Month), Resolved: shortPercent(res.OnTimeRate()),
			Processed: res.Processed, OnTime: res.OnTime, Late: res.Late, LateRate: shortPercent(res.LateRate()),
			UpdatedAt: now.In(motcua.VietnamLocation()).Format("02/01/2006 15:04:05")}}
	thisYear := motcua.DateOf(now).Year
	for y := thisYear; y >= thisYear-3; y-- {
		page.Years = append(page.Years, yearLink{Year: y, URL: "/cong-khai?nam=" + strconv.Itoa(y), Current: y == d.Period.From.Year})
	}
	for _, sec := range t.Sections {
		page.Rows = append(page.Rows, publicRow{Name: sec.Title, Section: true})
		for _, row := range sec.Rows {
			page.Rows = append(page.Rows, publicRowOf(fmt.Sprint(row.No), row.Agency.Name, row.AgencyCount))
		}
		total := publicRowOf("Σ", "Tổng số", sec.Total.AgencyCount)
		total.Total = true
		page.Rows = append(page.Rows, total)
	}
	grand := publicRowOf("", "Tổng cộng "+t.Root.Name, t.Total.AgencyCount)
	grand.Total = true
	page.Rows = append(page.Rows, grand)
	// The same figures for every visitor: caches may keep them briefly.
	w.Header().Set("Cache-Control", "public, max-age=300")
	s.render(w, r, http.StatusOK, "public_results", page)
}
