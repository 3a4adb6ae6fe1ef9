package api

import (
	"net/http"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

type reuseRowJSON struct {
	AgencyCode string  `json:"agency_code"`
	AgencyName string  `json:"agency_name"`
	Level      string  `json:"level"`
	Received   int64   `json:"received"`
	Reused     int64   `json:"reused"`
	Rate       string  `json:"rate"`
	RateValue  float64 `json:"rate_value"`
	// Indicators 3.3 (online) and 4.5 (owner verified), in percent.
	OnlineRate   string `json:"online_rate"`
	VerifiedRate string `json:"verified_rate"`
}

func reuseRow(r motcua.ReuseRow, decimals int) reuseRowJSON {
	out := reuseRowJSON{Received: r.Received, Reused: r.Reused, Rate: r.Rate().Percent(decimals, "."), RateValue: r.Rate().Float(),
		OnlineRate: r.OnlineRate().Percent(decimals, "."), VerifiedRate: r.VerifiedRate().Percent(decimals, ".")}
	if r.Agency != nil {
		out.AgencyCode, out.AgencyName, out.Level = r.Agency.Code, r.Agency.Name, string(r.Agency.Level)
	}
	return out
}

// reuseReport is GET /api/v1/reports/reuse?from=&to=[&agency=]: Appendix I
// as JSON, for monitors.
func (a *api) reuseReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, err := dateField(r, "from")
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	to, err := dateField(r, "to")
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	decimals, err := intParam(q, "decimals", 2, 0, 6)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	p := principal(r)
	agency := q.Get("agency")
	if agency == "" && p != nil {
		agency = p.AgencyCode
	}
	if p == nil {
		httpx.WriteError(w, r, service.Authorize(nil, service.OpViewKPI, service.Resource{}))
		return
	}
	t, err := a.cfg.KPI.ReuseTable(r.Context(), p, agency, service.Period{From: from, To: to})
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	type section struct {
		Title string         `json:"title"`
		Rows  []reuseRowJSON `json:"rows"`
		Total reuseRowJSON   `json:"total"`
	}
	out := struct {
		Agency   string       `json:"agency"`
		From     string       `json:"from"`
		To       string       `json:"to"`
		Sections []section    `json:"sections"`
		Total    reuseRowJSON `json:"total"`
		Target   int          `json:"target"`
	}{Agency: t.Root.Code, From: from.String(), To: to.String(), Total: reuseRow(t.Total, decimals), Target: motcua.ReuseTarget}
	for _, s := range t.Sections {
		sec := section{Title: s.Title, Total: reuseRow(s.Total, decimals), Rows: []reuseRowJSON{}}
		for _, row := range s.Rows {
			sec.Rows = append(sec.Rows, reuseRow(row, decimals))
		}
		out.Sections = append(out.Sections, sec)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
