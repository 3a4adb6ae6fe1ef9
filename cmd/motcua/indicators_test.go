package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

type indicatorItem struct {
	Code        string  `json:"code"`
	Key         string  `json:"key"`
	Name        string  `json:"name"`
	Numerator   int64   `json:"numerator"`
	Denominator int64   `json:"denominator"`
	Rate        string  `json:"rate"`
	RateValue   float64 `json:"rate_value"`
	Score       float64 `json:"score"`
	FullAt      int64   `json:"full_at"`
}

type indicatorsAnswer struct {
	Agency     string `json:"agency"`
	AgencyName string `json:"agency_name"`
	From, To   string
	Indicators []indicatorItem `json:"indicators"`
	Agencies   []struct {
		AgencyCode string          `json:"agency_code"`
		AgencyName string          `json:"agency_name"`
		Level      string          `json:"level"`
		Indicators []indicatorItem `json:"indicators"`
	} `json:"agencies"`
}

func (a indicatorsAnswer) of(code string) []indicatorItem {
	for _, r := range a.Agencies {
		if r.AgencyCode == code {
			return r.Indicators
		}
	}
	return nil
}

func byKey(items []indicatorItem) map[string]indicatorItem {
	m := map[string]indicatorItem{}
	for _, it := range items {
		m[it.Key] = it
	}
	return m
}

// clientToken gets an integrator's access token.
func clientToken(t *testing.T, ts *testServer, id, secret string) string {
	t.Helper()
	anon := &apiClient{t: t, base: ts.url}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	status, tok, raw := anon.do("POST", "/api/v1/oauth/token", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	if status != 200 {
		t.Fatalf("token for %s: %d %s", id, status, raw)
	}
	return tok["access_token"].(string)
}

// TestIndicatorsAPI: every indicator of the dossiers the test makes, from
// the JSON API, read by the district's monitor and by an integrator with
// the reports:read scope, on both backends; a client without the scope is
// refused.
func TestIndicatorsAPI(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, demo.Citizens()[0].Code)}
		desk := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "reception"))}
		// A: received, processed, signed e-result, returned (on time).
		// B: received, still open. C: submitted, never received (not counted).
		a, _ := applyMarriageOnline(t, citizen)
		b, _ := applyMarriageOnline(t, citizen)
		applyMarriageOnline(t, citizen)
		returnWithEResult(t, ts, a)
		moveDossier(t, desk, b, 2)

		today := motcua.DateOf(time.Now()).String()
		q := "?from=" + today + "&to=" + today
		reports := &apiClient{t: t, base: ts.url, token: clientToken(t, ts, demo.ReportsClientID, demo.ReportsClientSecret)}
		status, _, raw := reports.do("GET", "/api/v1/reports/indicators"+q, nil, "")
		if status != 200 {
			t.Fatalf("indicators with reports:read: %d %s", status, raw)
		}
		var got indicatorsAnswer
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		if got.Agency != demo.DistrictCode || got.From != today || len(got.Indicators) != 7 || len(got.Agencies) == 0 {
			t.Fatalf("answer: %s", raw)
		}
		town := byKey(got.of(demo.TownCode))
		total := byKey(got.Indicators)
		for _, d := range motcua.Indicators {
			if town[d.Key].Code != d.Code || town[d.Key].Name != d.Name || town[d.Key].FullAt != d.FullAt {
				t.Errorf("indicator %s: %+v", d.Code, town[d.Key])
			}
		}
		// Numbers known from the dossiers made above (numerator/denominator,
		// rate, score).
		want := map[string][4]any{
			"on_time":  {int64(2), int64(2), "100.00", 1.0},
			"online":   {int64(2), int64(2), "100.00", 1.0},
			"e_result": {int64(1), int64(2), "50.00", 0.5},
			"reuse":    {int64(2), int64(2), "100.00", 1.0},
			"shared":   {int64(2), int64(2), "100.00", 1.0},
		}
		for key, w := range want {
			for name, it := range map[string]indicatorItem{"town": town[key], "total": total[key]} {
				if it.Numerator != w[0] || it.Denominator != w[1] || it.Rate != w[2] || it.Score != w[3] {
					t.Errorf("%s %s = %+v, want %v", name, key, it, w)
				}
			}
		}
		// 4.2 and 4.5 depend on the procedure's components and the login:
		// the numerator is the number of dossiers the drill-down lists.
		monitor := officerLoginByRole(t, ts, "monitor")
		for _, key := range []string{"digitized", "verified"} {
			it := town[key]
			if it.Denominator != 2 {
				t.Errorf("%s denominator = %d", key, it.Denominator)
			}
			_, page := monitor.get(ts.url + "/theo-doi/ho-so?agency=" + demo.TownCode + "&from=" + today + "&to=" + today + "&chi-so=" + key)
			if !strings.Contains(page, fmt.Sprintf("%d hồ sơ", it.Numerator)) {
				t.Errorf("%s numerator %d does not match the drill-down", key, it.Numerator)
			}
			d, _ := motcua.IndicatorByCode(key)
			if want := d.Score(motcua.AgencyCount{Received: 2, Digitized: it.Numerator, Verified: it.Numerator}).Rounded(); it.Score != want {
				t.Errorf("%s score = %v, want %v", key, it.Score, want)
			}
		}
		// The integrator reads the town (under its district) and the reuse
		// report, but not the province.
		if status, _, raw := reports.do("GET", "/api/v1/reports/indicators"+q+"&agency="+demo.TownCode, nil, ""); status != 200 ||
			!strings.Contains(string(raw), `"agency":"`+demo.TownCode+`"`) {
			t.Errorf("town by the district's client: %d %s", status, raw)
		}
		if status, _, raw := reports.do("GET", "/api/v1/reports/reuse"+q, nil, ""); status != 200 || !strings.Contains(string(raw), `"received":2`) {
			t.Errorf("reuse report by the client: %d %s", status, raw)
		}
		if status, prob, _ := reports.do("GET", "/api/v1/reports/indicators"+q+"&agency="+demo.ProvinceCode, nil, ""); status != 403 || prob["code"] != "forbidden" {
			t.Errorf("province by the district's client: %d %v", status, prob)
		}
		// A client without the scope, an anonymous caller and a citizen are
		// refused.
		civil := &apiClient{t: t, base: ts.url, token: clientToken(t, ts, demo.IntegratorID, demo.IntegratorSecret)}
		if status, prob, _ := civil.do("GET", "/api/v1/reports/indicators"+q, nil, ""); status != 403 || prob["code"] != "forbidden" {
			t.Errorf("client without reports:read: %d %v", status, prob)
		}
		if status, _, _ := civil.do("GET", "/api/v1/reports/reuse"+q, nil, ""); status != 403 {
			t.Errorf("client without reports:read on reuse: %d", status)
		}
		if status, _, _ := (&apiClient{t: t, base: ts.url}).do("GET", "/api/v1/reports/indicators"+q, nil, ""); status != 401 {
			t.Errorf("anonymous: %d", status)
		}
		if status, _, _ := citizen.do("GET", "/api/v1/reports/indicators"+q, nil, ""); status != 403 {
			t.Errorf("citizen: %d", status)
		}
		// The reporting client cannot push results.
		push, pct := multipartBody(t, map[string]string{"code": "x"}, demo.SampleUnsigned())
		if status, _, raw := reports.do("POST", "/api/v1/agency/results", push, pct); status < 400 {
			t.Errorf("reports client pushed a result: %d %s", status, raw)
		}
		// A month never compiled.
		if status, prob, _ := reports.do("GET", "/api/v1/reports/monthly?month=2024-01", nil, ""); status != 404 || prob["code"] != "snapshot_not_found" {
			t.Errorf("monthly without snapshot: %d %v", status, prob)
		}
		if status, prob, _ := reports.do("GET", "/api/v1/reports/monthly?month=2024-13", nil, ""); status != 422 || prob["code"] != "invalid_month" {
			t.Errorf("monthly bad month: %d %v", status, prob)
		}
	})
}

// officerLoginByRole logs in the district's demo officer with role.
func officerLoginByRole(t *testing.T, ts *testServer, role string) *browser {
	t.Helper()
	for _, o := range demo.Officers() {
		if string(o.Roles[0]) == role && o.AgencyCode == demo.DistrictCode {
			return officerLogin(t, ts, o.Username, o.Password, o.TOTPSecret)
		}
	}
	t.Fatalf("no %s officer at the district", role)
	return nil
}

func moveDossier(t *testing.T, c *apiClient, code string, to int) {
	t.Helper()
	if status, _, raw := c.do("POST", "/api/v1/agency/dossiers/"+code+"/status", jsonBody(map[string]any{"status": to}), "application/json"); status != 200 {
		t.Fatalf("%s to %d: %d %s", code, to, status, raw)
	}
}

// returnWithEResult takes a dossier of the town through reception,
// processing, a signed electronic result (a marriage certificate) and its
// return, and returns the result's decision number.
func returnWithEResult(t *testing.T, ts *testServer, code string) (number string) {
	t.Helper()
	desk := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "reception"))}
	handler := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "processing"))}
	leader := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "leader"))}
	moveDossier(t, desk, code, 2)
	moveDossier(t, desk, code, 4)
	number = "KH-" + code[len(code)-4:]
	body, ct := multipartBody(t, map[string]string{"number": number, "summary": "Giấy chứng nhận kết hôn"},
		pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "giay chung nhan ket hon"}))
	if status, _, raw := handler.do("PUT", "/api/v1/agency/dossiers/"+code+"/result", body, ct); status != 200 {
		t.Fatalf("draft: %d %s", status, raw)
	}
	if status, _, raw := leader.do("POST", "/api/v1/agency/dossiers/"+code+"/result/sign", nil, ""); status != 200 {
		t.Fatalf("sign: %d %s", status, raw)
	}
	moveDossier(t, desk, code, 10)
	return number
}
