package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/service"
)

// bar is one agency's bar in the dashboard's chart (SVG coordinates).
type bar struct {
	Short      string // H1…, X1…: section and row number under the bar
	Label      string
	Rate       string
	X, Y, W, H float64
	LabelY     float64
}

type monitorRow struct {
	motcua.ReuseRow
	Rate  string
	Score string // indicator 4.3's score, out of 1
	Link  string // drill-down to the dossiers received
	Used  string // drill-down to the dossiers that reused data
	Miss  string // drill-down to the dossiers that missed a reuse
	// Inds are the Decision 766 indicators in motcua.Indicators' order.
	Inds []indicatorCell
}

// indicatorCell is one indicator of one row: its rate and score, and the
// drill-down to the dossiers of its numerator (2.1: the late ones).
type indicatorCell struct {
	Code, Rate, Score, Link string
	Label                   string // the column's short name, shown beside the value when the table stacks on a phone
}

// indicatorLabels are the short names of the indicator columns.
var indicatorLabels = map[string]string{"2.1": "Đúng hạn", "3.3": "Trực tuyến", "4.1": "Kết quả điện tử",
	"4.2": "Số hóa hồ sơ", "4.3": "Tái sử dụng", "4.4": "Chia sẻ dữ liệu số hóa", "4.5": "Dữ liệu dân cư"}

// reuseDef is indicator 4.3, the dashboard's main table.
var reuseDef, _ = motcua.IndicatorByCode("4.3")

// indicatorCells computes every indicator of c; links are made when
// agency is set (drill-downs need an agency).
func indicatorCells(c motcua.AgencyCount, agency string, per service.Period) []indicatorCell {
	out := make([]indicatorCell, 0, len(motcua.Indicators))
	for _, d := range motcua.Indicators {
		cell := indicatorCell{Code: d.Code, Rate: d.Rate(c).Percent(2, ","), Score: d.Score(c).String(","), Label: indicatorLabels[d.Code]}
		if agency != "" {
			extra := url.Values{"chi-so": {string(d.Drill)}}
			if d.Drill == "" {
				extra = url.Values{"reused": {"1"}}
			}
			cell.Link = "/theo-doi/ho-so?" + reportQuery(agency, per, extra)
		}
		out = append(out, cell)
	}
	return out
}

type monitorSection struct {
	Title string
	Rows  []monitorRow
	Total monitorRow
}

type monitorPage struct {
	Title    string
	Table    *motcua.ReuseTable
	Sections []monitorSection
	Total    monitorRow
	From, To string // dd/mm/yyyy
	Agency   string
	CSV      string
	XLSX     string
	PDF      string
	Missed   string // the missed-reuse list
	// AllCSV, AllXLSX and AllPDF export every indicator.
	AllCSV, AllXLSX, AllPDF string
	Monthly                 string // the monthly compilations
	Charts                  []indicatorChart
	Presets                 []preset
	Error                   string
	Trend                   []trendPoint
	TrendSVG                string // polyline points
	TrendW                  float64
	// IdentityAlerts are the dossiers under the monitor whose manual
	// identity verification the population database did not confirm.
	IdentityAlerts []*motcua.Dossier
}

type preset struct{ Label, URL string }

// trendPoint is one month on the dashboard's trend line.
type trendPoint struct {
	X, Y        float64
	Label, Rate string
}

func (p monitorPage) title() string { return p.Title }

// period reads from/to; the default is the current month.
func period(r *http.Request, now time.Time) (service.Period, error) {
	q := r.URL.Query()
	if q.Get("from") == "" && q.Get("to") == "" {
		today := motcua.DateOf(now)
		first := motcua.Date{Year: today.Year, Month: today.Month, Day: 1}
		return service.Period{From: first, To: motcua.DateOf(first.Time().AddDate(0, 1, -1))}, nil
	}
	from, err := parseFormDate("from", q.Get("from"))
	if err != nil {
		return service.Period{}, err
	}
	to, err := parseFormDate("to", q.Get("to"))
	if err != nil {
		return service.Period{}, err
	}
	return service.Period{From: from, To: to}, nil
}

func reportQuery(agency string, p service.Period, extra url.Values) string {
	v := url.Values{"agency": {agency}, "from": {p.From.String()}, "to": {p.To.String()}}
	for k, vs := range extra {
		v[k] = vs
	}
	return v.Encode()
}

// monitorScope is what every monitor page starts with: an officer logged
// in, the agency asked for (the officer's own by default) and the period.
// ok is false when the answer was already written.
func (s *Server) monitorScope(w http.ResponseWriter, r *http.Request, fail func(http.ResponseWriter, *http.Request, error)) (
	p *motcua.Principal, agency string, per service.Period, ok bool) {
	if !requireLogin(w, r, "/can-bo/dang-nhap") {
		return nil, "", per, false
	}
	p = principal(r)
	agency = r.URL.Query().Get("agency")
	if agency == "" {
		agency = p.AgencyCode
	}
	per, err := period(r, time.Now())
	if err != nil {
		fail(w, r, err)
		return nil, "", per, false
	}
	return p, agency, per, true
}

// monitor is the monitors' dashboard: seed 002's Appendix I for the
// officer's agency and a period, with a chart and drill-downs.
func (s *Server) monitor(w http.ResponseWriter, r *http.Request) {
	p, agency, per, ok := s.monitorScope(w, r, s.renderError)
	if !ok {
		return
	}
	t, err := s.cfg.KPI.ReuseTable(r.Context(), p, agency, per)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	row := func(rr motcua.ReuseRow) monitorRow {
		m := monitorRow{ReuseRow: rr, Rate: rr.Rate().Percent(2, ","), Score: reuseDef.Score(rr.AgencyCount).String(",")}
		code := ""
		if rr.Agency != nil && rr.Agency.Code != "" {
			code = rr.Agency.Code
			m.Link = "/theo-doi/ho-so?" + reportQuery(rr.Agency.Code, per, nil)
			m.Used = "/theo-doi/ho-so?" + reportQuery(rr.Agency.Code, per, url.Values{"reused": {"1"}})
			m.Miss = "/theo-doi/ho-so?" + reportQuery(rr.Agency.Code, per, url.Values{"missed": {"1"}})
		}
		m.Inds = indicatorCells(rr.AgencyCount, code, per)
		return m
	}
	page := monitorPage{Title: "Tỷ lệ khai thác, sử dụng lại thông tin số hóa", Table: t, From: per.From.Display(), To: per.To.Display(),
		Agency: agency, CSV: "/theo-doi/ty-le.csv?" + reportQuery(agency, per, nil),
		XLSX: "/theo-doi/ty-le.xlsx?" + reportQuery(agency, per, nil), PDF: "/theo-doi/ty-le.pdf?" + reportQuery(agency, per, nil),
		Missed: "/theo-doi/bo-lo?" + reportQuery(agency, per, nil), Total: row(t.Total),
		AllCSV: "/theo-doi/chi-so.csv?" + reportQuery(agency, per, nil), AllXLSX: "/theo-doi/chi-so.xlsx?" + reportQuery(agency, per, nil),
		AllPDF: "/theo-doi/chi-so.pdf?" + reportQuery(agency, per, nil), Monthly: "/theo-doi/tong-hop-thang?agency=" + url.QueryEscape(agency)}
	for _, sec := range t.Sections {
		ms := monitorSection{Title: sec.Title, Total: row(sec.Total)}
		for _, rr := range sec.Rows {
			ms.Rows = append(ms.Rows, row(rr))
		}
		page.Sections = append(page.Sections, ms)
	}
	page.Charts = indicatorCharts(t)
	trend, err := s.cfg.KPI.Trend(r.Context(), p, agency, per.To, 12)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page.trend(trend)
	if s.cfg.Reception != nil && p != nil && p.Kind == motcua.PrincipalOfficer {
		if page.IdentityAlerts, err = s.cfg.Reception.IdentityAlerts(r.Context(), p); err != nil && !motcua.IsKind(err, motcua.EFORBIDDEN) {
			s.renderError(w, r, err)
			return
		}
	}
	today := motcua.DateOf(time.Now())
	page.Presets = []preset{
		{"Tháng này", "/theo-doi?" + reportQuery(agency, service.Period{From: motcua.Date{Year: today.Year, Month: today.Month, Day: 1}, To: today}, nil)},
		{"Năm nay", "/theo-doi?" + reportQuery(agency, service.Period{From: motcua.Date{Year: today.Year, Month: 1, Day: 1}, To: today}, nil)},
		{"01/01–20/03/2024 (Phụ lục I)", "/theo-doi?" + reportQuery(agency, service.Period{From: motcua.Date{Year: 2024, Month: 1, Day: 1},
			To: motcua.Date{Year: 2024, Month: 3, Day: 20}}, nil)},
	}
	s.render(w, r, http.StatusOK, "monitor", page)
}

// indicatorChart is one indicator's bar chart: a bar per agency, scaled
// to 100%, with the full-score line (and, for 4.3, the province's target).
type indicatorChart struct {
	ID, Code, Name string
	Bars           []bar
	W, H           float64
	BaseY          float64
	FullY          float64
	FullAt         int64
	TargetY        float64 // 0: no target line
	Target         int
}

// indicatorCharts lays out a chart for every indicator of the table.
func indicatorCharts(t *motcua.ReuseTable) []indicatorChart {
	const top, plotH, barW, gap, left = 20.0, 200.0, 26.0, 10.0, 40.0
	y := func(percent float64) float64 { return top + plotH - percent/100*plotH }
	var out []indicatorChart
	for _, d := range motcua.Indicators {
		c := indicatorChart{ID: "bieu-do-" + strings.ReplaceAll(d.Code, ".", "-"), Code: d.Code, Name: d.Name, FullAt: d.FullAt,
			BaseY: top + plotH, FullY: y(float64(d.FullAt))}
		if d.Code == "4.3" {
			c.Target, c.TargetY = motcua.ReuseTarget, y(motcua.ReuseTarget)
		}
		x := left
		for i, sec := range t.Sections {
			for _, rr := range sec.Rows {
				r := d.Rate(rr.AgencyCount)
				pct := r.Float()
				c.Bars = append(c.Bars, bar{Short: fmt.Sprintf("%c%d", "HX"[min(i, 1)], rr.No), Label: rr.Agency.Name, Rate: r.Percent(1, ","),
					X: x, W: barW, Y: y(pct), H: top + plotH - y(pct), LabelY: y(pct) - 4})
				x += barW + gap
			}
			x += gap * 2
		}
		c.W, c.H = x+left, top+plotH+30
		out = append(out, c)
	}
	return out
}

// trend lays out the monthly rates as a line over the last 12 months.
func (p *monitorPage) trend(pts []service.MonthPoint) {
	const top, plotH, step, left = 20.0, 160.0, 48.0, 40.0
	var b strings.Builder
	for i, m := range pts {
		x, y := left+float64(i)*step, top+plotH-m.Rate().Float()/100*plotH
		p.Trend = append(p.Trend, trendPoint{X: x, Y: y, Label: fmt.Sprintf("%02d/%02d", m.Month.Month, m.Month.Year%100),
			Rate: m.Rate().Percent(1, ",")})
		fmt.Fprintf(&b, "%.1f,%.1f ", x, y)
	}
	p.TrendSVG = strings.TrimSpace(b.String())
	p.TrendW = left*2 + float64(len(pts)-1)*step
}

// monitorCSV downloads the table in the Appendix I layout, as CSV, XLSX or
// PDF.
func (s *Server) monitorCSV(w http.ResponseWriter, r *http.Request) {
	p, agency, per, ok := s.monitorScope(w, r, httpx.WriteError)
	if !ok {
		return
	}
	t, err := s.cfg.KPI.ReuseTable(r.Context(), p, agency, per)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	name := "ty-le-khai-thac-" + per.From.String() + "-" + per.To.String()
	if strings.HasPrefix(r.URL.Path, "/theo-doi/chi-so.") {
		writeIndicatorsExport(w, r, t, "chi-so-766-"+per.From.String()+"-"+per.To.String())
		return
	}
	if strings.HasSuffix(r.URL.Path, ".pdf") {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.pdf"`)
		if err := report.WriteReusePDF(w, t, 2); err != nil {
			httpx.Logger(r.Context()).Error("write pdf", "err", err)
		}
		return
	}
	if strings.HasSuffix(r.URL.Path, ".xlsx") {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
		if err := report.WriteReuseXLSX(w, t, 2); err != nil {
			httpx.Logger(r.Context()).Error("write xlsx", "err", err)
		}
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	_, _ = w.Write([]byte("\uFEFF")) // Excel reads UTF-8 CSV with a BOM
	if err := report.WriteReuseCSV(w, t, 2); err != nil {
		httpx.Logger(r.Context()).Error("write csv", "err", err)
	}
}

// indicatorKinds title the drill-down of each indicator's numerator.
var indicatorKinds = map[motcua.Indicator]string{
	motcua.IndicatorLate:      "Hồ sơ quá hạn (chỉ số 2.1)",
	motcua.IndicatorOnline:    "Hồ sơ tiếp nhận trực tuyến (chỉ số 3.3)",
	motcua.IndicatorEResult:   "Hồ sơ có kết quả điện tử (chỉ số 4.1)",
	motcua.IndicatorDigitized: "Hồ sơ được số hóa đầy đủ (chỉ số 4.2)",
	motcua.IndicatorShared:    "Hồ sơ chia sẻ dữ liệu số hóa (chỉ số 4.4)",
	motcua.IndicatorVerified:  "Hồ sơ có chủ hồ sơ được xác thực dân cư (chỉ số 4.5)",
}

type drillPage struct {
	Title    string
	Agency   *motcua.Agency
	From, To string
	Kind     string
	Dossiers []*motcua.Dossier
	Total    int
	Back     string
}

func (p drillPage) title() string { return p.Title }

// monitorDossiers lists the dossiers behind a number of the table.
func (s *Server) monitorDossiers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	per, err := period(r, time.Now())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	dd := service.DrillDown{AgencyCode: q.Get("agency"), Period: per, MissedReuse: q.Get("missed") == "1", Limit: 500}
	if dd.AgencyCode == "" {
		dd.AgencyCode = principal(r).AgencyCode // as the other monitor pages
	}
	kind := "Hồ sơ tiếp nhận"
	if q.Get("reused") == "1" {
		yes := true
		dd.Reused, kind = &yes, "Hồ sơ sử dụng lại dữ liệu số hóa"
	}
	if dd.MissedReuse {
		kind = "Hồ sơ bỏ lỡ tái sử dụng (trong kho có giấy tờ phù hợp nhưng không được dùng)"
	}
	if i := motcua.Indicator(q.Get("chi-so")); i != "" {
		dd.Indicator = i
		kind = indicatorKinds[i]
	}
	ds, total, err := s.cfg.KPI.Dossiers(r.Context(), principal(r), dd)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	a, err := s.cfg.Store.GetAgency(r.Context(), dd.AgencyCode)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "monitor_dossiers", drillPage{Title: kind + " — " + a.Name, Agency: a, From: per.From.Display(),
		To: per.To.Display(), Kind: kind, Dossiers: ds, Total: total, Back: "/theo-doi?" + reportQuery(a.ParentCode, per, nil)})
}

type missedRow struct {
	No                       int
	Agency                   *motcua.Agency
	Received, Reused, Missed int64
	Rate, RateIfReused, Gain string
	Dossiers                 string // drill-down
	Procedures, Officers     []service.MissedBy
}

type missedPage struct {
	Title    string
	Root     *motcua.Agency
	From, To string
	Rows     []missedRow
	Back     string
}

func (p missedPage) title() string { return p.Title }

// monitorMissed is the actionable list: per agency, the dossiers received
// without reuse although the owner's warehouse held a matching document,
// per procedure and receiving officer, agencies sorted by how much their
// rate would rise.
func (s *Server) monitorMissed(w http.ResponseWriter, r *http.Request) {
	p, agency, per, ok := s.monitorScope(w, r, s.renderError)
	if !ok {
		return
	}
	list, err := s.cfg.KPI.MissedReuse(r.Context(), p, agency, per)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	root, err := s.cfg.Store.GetAgency(r.Context(), agency)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page := missedPage{Title: "Hồ sơ bỏ lỡ tái sử dụng dữ liệu số hóa", Root: root, From: per.From.Display(), To: per.To.Display(),
		Back: "/theo-doi?" + reportQuery(agency, per, nil)}
	for i, m := range list {
		page.Rows = append(page.Rows, missedRow{No: i + 1, Agency: m.Row.Agency, Received: m.Row.Received, Reused: m.Row.Reused,
			Missed: m.Row.Missed, Rate: m.Row.Rate().Percent(2, ","), RateIfReused: m.RateIfReused().Percent(2, ","),
			Gain: m.Row.MissedGain().Percent(2, ","), Procedures: m.Procedures, Officers: m.Officers,
			Dossiers: "/theo-doi/ho-so?" + reportQuery(m.Row.Agency.Code, per, url.Values{"missed": {"1"}})})
	}
	s.render(w, r, http.StatusOK, "monitor_missed", page)
}

// writeIndicatorsExport downloads every indicator of the table as CSV,
// XLSX or PDF, by the path's extension.
func writeIndicatorsExport(w http.ResponseWriter, r *http.Request, t *motcua.ReuseTable, name string) {
	var err error
	switch {
	case strings.HasSuffix(r.URL.Path, ".pdf"):
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.pdf"`)
		err = report.WriteIndicatorsPDF(w, t, 2)
	case strings.HasSuffix(r.URL.Path, ".xlsx"):
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
		err = report.WriteIndicatorsXLSX(w, t, 2)
	default:
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		_, _ = w.Write([]byte("\uFEFF")) // Excel reads UTF-8 CSV with a BOM
		err = report.WriteIndicatorsCSV(w, t, 2)
	}
	if err != nil {
		httpx.Logger(r.Context()).Error("write indicators export", "path", r.URL.Path, "err", err)
	}
}
