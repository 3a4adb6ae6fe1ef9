package api

import (
	"net/http"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

// reportPrincipal is who reads a report: the logged-in officer, or an
// integrator client acting with its scopes (authorization decides
// whether its reports:read scope covers the agency); nil when neither.
func reportPrincipal(r *http.Request) *motcua.Principal {
	if p := principal(r); p != nil {
		return p
	}
	if c := httpx.Client(r.Context()); c != nil {
		return c.Principal()
	}
	return nil
}

// indicatorJSON is one Decision 766 indicator of one agency (or total).
type indicatorJSON struct {
	Code        string  `json:"code"`
	Key         string  `json:"key"`
	Name        string  `json:"name"`
	Numerator   int64   `json:"numerator"`
	Denominator int64   `json:"denominator"`
	Rate        string  `json:"rate"`
	RateValue   float64 `json:"rate_value"`
	// Score is out of 1, rounded by motcua.Score's one rule.
	Score  float64 `json:"score"`
	FullAt int64   `json:"full_at"`
}

func indicatorsJSON(c motcua.AgencyCount, decimals int) []indicatorJSON {
	out := make([]indicatorJSON, 0, len(motcua.Indicators))
	for _, d := range motcua.Indicators {
		r := d.Rate(c)
		out = append(out, indicatorJSON{Code: d.Code, Key: d.Key, Name: d.Name, Numerator: r.Num, Denominator: r.Den,
			Rate: r.Percent(decimals, "."), RateValue: r.Float(), Score: d.Score(c).Rounded(), FullAt: d.FullAt})
	}
	return out
}

type agencyIndicatorsJSON struct {
	AgencyCode string          `json:"agency_code"`
	AgencyName string          `json:"agency_name"`
	Level      string          `json:"level"`
	Indicators []indicatorJSON `json:"indicators"`
}

type indicatorsReportJSON struct {
	Agency     string                 `json:"agency"`
	AgencyName string                 `json:"agency_name"`
	From       string                 `json:"from"`
	To         string                 `json:"to"`
	Indicators []indicatorJSON        `json:"indicators"`
	Agencies   []agencyIndicatorsJSON `json:"agencies"`
}

func indicatorsReport(t *motcua.ReuseTable, from, to motcua.Date, decimals int) indicatorsReportJSON {
	out := indicatorsReportJSON{Agency: t.Root.Code, AgencyName: t.Root.Name, From: from.String(), To: to.String(),
		Indicators: indicatorsJSON(t.Total.AgencyCount, decimals), Agencies: []agencyIndicatorsJSON{}}
	for _, s := range t.Sections {
		for _, r := range s.Rows {
			out.Agencies = append(out.Agencies, agencyIndicatorsJSON{AgencyCode: r.Agency.Code, AgencyName: r.Agency.Name,
				Level: string(r.Agency.Level), Indicators: indicatorsJSON(r.AgencyCount, decimals)})
		}
	}
	return out
}

// indicatorsReport is GET /api/v1/reports/indicators?from=&to=[&agency=]
// [&decimals=]: every Decision 766 indicator with its numerator,
// denominator, rate and score, for the agency and each agency under it.
func (a *api) indicatorsReport(w http.ResponseWriter, r *http.Request) {
	t, q, ok := a.periodTable(w, r)
	if !ok {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, indicatorsReport(t, q.from, q.to, q.decimals))
}

type countsJSON struct {
	Received       int64 `json:"received"`
	Reused         int64 `json:"reused"`
	Online         int64 `json:"online"`
	Verified       int64 `json:"verified"`
	Digitized      int64 `json:"digitized"`
	ResultExpected int64 `json:"result_expected"`
	EResult        int64 `json:"e_result"`
	Shared         int64 `json:"shared"`
	Late           int64 `json:"late"`
	Missed         int64 `json:"missed"`
	Finished       int64 `json:"finished"`
	FinishedLate   int64 `json:"finished_late"`
}

func countsOf(c motcua.AgencyCount) countsJSON {
	return countsJSON{Received: c.Received, Reused: c.Reused, Online: c.Online, Verified: c.Verified, Digitized: c.Digitized,
		ResultExpected: c.ResultExpected, EResult: c.EResult, Shared: c.Shared, Late: c.Late, Missed: c.Missed,
		Finished: c.Finished, FinishedLate: c.FinishedLate}
}

type monthlyAgencyJSON struct {
	AgencyCode string          `json:"agency_code"`
	AgencyName string          `json:"agency_name"`
	Level      string          `json:"level"`
	Counts     countsJSON      `json:"counts"`
	Indicators []indicatorJSON `json:"indicators"`
	// ChangedSince is set when corrections after the compilation changed
	// the agency's live figures for the month.
	ChangedSince bool `json:"changed_since"`
}

// monthlyReport is GET /api/v1/reports/monthly?month=YYYY-MM[&agency=]:
// the month's stored compilation; 404 snapshot_not_found when the month
// was not compiled.
func (a *api) monthlyReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	month, err := motcua.ParseKPIMonth(q.Get("month"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	p := reportPrincipal(r)
	if p == nil {
		httpx.WriteError(w, r, service.Authorize(nil, service.OpViewKPI, service.Resource{}))
		return
	}
	agency := q.Get("agency")
	if agency == "" {
		agency = p.AgencyCode
	}
	m, err := a.cfg.KPI.Monthly(r.Context(), p, agency, month)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	out := struct {
		Month        string              `json:"month"`
		Agency       string              `json:"agency"`
		AgencyName   string              `json:"agency_name"`
		TakenAt      time.Time           `json:"taken_at"`
		TakenBy      string              `json:"taken_by"`
		Reason       string              `json:"reason"`
		Counts       countsJSON          `json:"counts"`
		Indicators   []indicatorJSON     `json:"indicators"`
		ChangedSince bool                `json:"changed_since"`
		Agencies     []monthlyAgencyJSON `json:"agencies"`
	}{Month: month.String(), Agency: m.Stored.Root.Code, AgencyName: m.Stored.Root.Name, TakenAt: m.Snapshot.TakenAt,
		TakenBy: m.Snapshot.TakenBy, Reason: m.Snapshot.Reason, Counts: countsOf(m.Total.Stored.AgencyCount),
		Indicators: indicatorsJSON(m.Total.Stored.AgencyCount, 2), ChangedSince: m.Total.Changed, Agencies: []monthlyAgencyJSON{}}
	for _, row := range m.Rows {
		ag := row.Stored.Agency
		out.Agencies = append(out.Agencies, monthlyAgencyJSON{AgencyCode: ag.Code, AgencyName: ag.Name, Level: string(ag.Level),
			Counts: countsOf(row.Stored.AgencyCount), Indicators: indicatorsJSON(row.Stored.AgencyCount, 2), ChangedSince: row.Changed})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
