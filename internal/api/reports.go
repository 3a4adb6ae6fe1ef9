package api

import (
	"net/http"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/service"
)

type reuseRowJSON struct {
	// AgencyCode, AgencyName and Level are the row's agency; a total row
	// (of a section or of the report) has none and leaves them out.
	AgencyCode string  `json:"agency_code,omitempty"`
	AgencyName string  `json:"agency_name,omitempty"`
	Level      string  `json:"level,omitempty"`
	Received   int64   `json:"received"`
	Reused     int64   `json:"reused"`
	Rate       string  `json:"rate"`
	RateValue  float64 `json:"rate_value"`
	// Score766 is indicator 4.3's score out of 1 (full at 80%).
	Score766 float64 `json:"score_766"`
	// Missed counts the dossiers received without reuse although a
	// matching document was in the owner's warehouse.
	Missed int64 `json:"missed"`
	// The other Decision 766 indicators, in percent: 2.1 on time, 3.3
	// online, 4.1 e-result, 4.2 digitized, 4.4 shared, 4.5 owner verified.
	OnTimeRate    string `json:"on_time_rate"`
	OnlineRate    string `json:"online_rate"`
	EResultRate   string `json:"e_result_rate"`
	DigitizedRate string `json:"digitized_rate"`
	SharedRate    string `json:"shared_rate"`
	VerifiedRate  string `json:"verified_rate"`
}

// reuseIndicator is Decision 766 indicator 4.3.
var reuseIndicator, _ = motcua.IndicatorByCode("4.3")

func reuseRow(r motcua.ReuseRow, decimals int) reuseRowJSON {
	out := reuseRowJSON{Received: r.Received, Reused: r.Reused, Rate: r.Rate().Percent(decimals, "."), RateValue: r.Rate().Float(),
		Score766: reuseIndicator.Score(r.AgencyCount).Rounded(), Missed: r.Missed,
		OnTimeRate: r.OnTimeRate().Percent(decimals, "."), OnlineRate: r.OnlineRate().Percent(decimals, "."),
		EResultRate: r.EResultRate().Percent(decimals, "."), DigitizedRate: r.DigitizedRate().Percent(decimals, "."),
		SharedRate: r.SharedRate().Percent(decimals, "."), VerifiedRate: r.VerifiedRate().Percent(decimals, ".")}
	if r.Agency != nil {
		out.AgencyCode, out.AgencyName, out.Level = r.Agency.Code, r.Agency.Name, string(r.Agency.Level)
	}
	return out
}

// periodQuery is what the period reports are asked: from, to (dates,
// inclusive) and the decimals of rates.
type periodQuery struct {
	from, to motcua.Date
	decimals int
}

// periodTable reads a period report's query (from, to, decimals, agency:
// the caller's own by default), authorizes the caller and returns the
// period's table; ok is false when the error was already written.
func (a *api) periodTable(w http.ResponseWriter, r *http.Request) (t *motcua.ReuseTable, q periodQuery, ok bool) {
	var err error
	if q.from, err = dateField(r, "from"); err != nil {
		httpx.WriteError(w, r, err)
		return nil, q, false
	}
	if q.to, err = dateField(r, "to"); err != nil {
		httpx.WriteError(w, r, err)
		return nil, q, false
	}
	if q.decimals, err = intParam(r.URL.Query(), "decimals", 2, 0, 6); err != nil {
		httpx.WriteError(w, r, err)
		return nil, q, false
	}
	p := reportPrincipal(r)
	if p == nil {
		httpx.WriteError(w, r, service.Authorize(nil, service.OpViewKPI, service.Resource{}))
		return nil, q, false
	}
	agency := r.URL.Query().Get("agency")
	if agency == "" {
		agency = p.AgencyCode
	}
	t, err = a.cfg.KPI.ReuseTable(r.Context(), p, agency, service.Period{From: q.from, To: q.to})
	if err != nil {
		httpx.WriteError(w, r, err)
		return nil, q, false
	}
	return t, q, true
}

// reuseReport is GET /api/v1/reports/reuse?from=&to=[&agency=]: Appendix I
// as JSON, for monitors.
func (a *api) reuseReport(w http.ResponseWriter, r *http.Request) {
	t, q, ok := a.periodTable(w, r)
	if !ok {
		return
	}
	from, to, decimals := q.from, q.to, q.decimals
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
