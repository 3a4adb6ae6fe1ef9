package main

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
)

// TestCoApplicantAPI: a marriage registration names the partner as
// co-applicant (identity-checked); the partner's documents are offered
// only after they consent (403 consent_required before and after a
// refusal), only those matching a component, and only to the draft; a
// third person cannot answer; the partner's document is used and counted
// and its access log names the applicant; the result lands in both
// warehouses. On both backends.
func TestCoApplicantAPI(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		citizens := demo.Citizens()
		a, b, c := citizens[0], citizens[2], citizens[3]
		me := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, a.Code)}
		partner := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, b.Code)}
		third := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, c.Code)}

		status, proc, raw := me.do("GET", "/api/v1/procedures/"+demo.ProcedureMarriage, nil, "")
		if status != 200 || proc["parties"] != float64(2) {
			t.Fatalf("procedure parties: %d %s", status, raw)
		}
		status, draft, raw := me.do("POST", "/api/v1/dossiers/drafts",
			jsonBody(map[string]string{"procedure": demo.ProcedureMarriage, "case": "TH01", "agency": demo.TownCode}), "application/json")
		if status != 201 || len(draft["co_applicants"].([]any)) != 0 {
			t.Fatalf("draft: %d %s", status, raw)
		}
		id := draft["id"].(string)
		base := "/api/v1/dossiers/drafts/" + id
		add := func(subject, name, birth string) (int, map[string]any, []byte) {
			return me.do("POST", base+"/co-applicants", jsonBody(map[string]string{"subject_id": subject, "name": name, "birth_date": birth}),
				"application/json")
		}
		for name, tc := range map[string]struct {
			subject, name, birth string
			status               int
			code                 string
		}{
			"wrong birth date": {b.Code, b.Name, "1992-07-22", 422, "co_applicant_identity_mismatch"},
			"the applicant":    {a.Code, a.Name, a.BirthDate.String(), 422, "co_applicant_is_owner"},
			"no name":          {b.Code, "", b.BirthDate.String(), 422, "required"},
		} {
			if status, prob, _ := add(tc.subject, tc.name, tc.birth); status != tc.status || prob["code"] != tc.code {
				t.Errorf("%s: %d %v", name, status, prob)
			}
		}
		status, draft, raw = add(b.Code, b.Name, b.BirthDate.String())
		cos := draft["co_applicants"].([]any)
		if status != 201 || len(cos) != 1 || cos[0].(map[string]any)["consent"] != "pending" || cos[0].(map[string]any)["subject_id"] != b.Code {
			t.Fatalf("add co-applicant: %d %s", status, raw)
		}
		if status, prob, _ := add(b.Code, b.Name, b.BirthDate.String()); status != 409 || prob["code"] != "co_applicant_exists" {
			t.Errorf("twice: %d %v", status, prob)
		}
		// A one-party procedure takes no co-applicant.
		_, single, _ := me.do("POST", "/api/v1/dossiers/drafts",
			jsonBody(map[string]string{"procedure": demo.ProcedureJudicialRecord, "case": "TH01", "agency": demo.JusticeOfficeCode}), "application/json")
		if sid, _ := single["id"].(string); sid != "" {
			if status, prob, _ := me.do("POST", "/api/v1/dossiers/drafts/"+sid+"/co-applicants", jsonBody(map[string]string{"subject_id": b.Code,
				"name": b.Name, "birth_date": b.BirthDate.String()}), "application/json"); status != 422 || prob["code"] != "not_two_party" {
				t.Errorf("one-party procedure: %d %v", status, prob)
			}
		}

		// The partner's documents: two certified copies (TP03) and a
		// judicial record no component takes.
		_, theirs, _ := partner.do("GET", "/api/v1/warehouse/documents?code="+demo.CategoryCertifiedCopy, nil, "")
		theirCopy := theirs["items"].([]any)[0].(map[string]any)["id"].(string)
		_, theirs, _ = partner.do("GET", "/api/v1/warehouse/documents?code="+demo.CategoryJudicialRecord1, nil, "")
		theirRecord := theirs["items"].([]any)[0].(map[string]any)["id"].(string)
		take := func(comp, doc string) (int, map[string]any, []byte) {
			return me.do("PUT", base+"/components/"+comp, jsonBody(map[string]string{"document_id": doc}), "application/json")
		}
		offered := func() []string {
			t.Helper()
			_, m, _ := me.do("GET", base+"/matches", nil, "")
			var ids []string
			for _, s := range m["components"].([]any)[2].(map[string]any)["suggestions"].([]any) {
				ids = append(ids, s.(map[string]any)["id"].(string))
			}
			return ids
		}
		if status, prob, _ := take("TP03", theirCopy); status != 403 || prob["code"] != "consent_required" {
			t.Errorf("before consent: %d %v", status, prob)
		}
		if slices.Contains(offered(), theirCopy) {
			t.Errorf("offered before consent")
		}

		// The requests: the partner's, nobody else's.
		status, reqs, raw := partner.do("GET", "/api/v1/consent-requests?status=pending", nil, "")
		items := reqs["items"].([]any)
		if status != 200 || len(items) != 1 || items[0].(map[string]any)["draft_id"] != id ||
			items[0].(map[string]any)["applicant"].(map[string]any)["name"] != a.Name {
			t.Fatalf("pending requests: %d %s", status, raw)
		}
		if _, reqs, _ := third.do("GET", "/api/v1/consent-requests", nil, ""); len(reqs["items"].([]any)) != 0 {
			t.Errorf("a third person's requests: %v", reqs)
		}
		answer := func(cl *apiClient, consent string) (int, map[string]any, []byte) {
			return cl.do("POST", "/api/v1/consent-requests/"+id, jsonBody(map[string]string{"consent": consent}), "application/json")
		}
		for name, cl := range map[string]*apiClient{"third person": third, "the applicant": me} {
			if status, prob, _ := answer(cl, "granted"); status != 404 || prob["code"] != "consent_request_not_found" {
				t.Errorf("%s consents: %d %v", name, status, prob)
			}
		}
		if status, prob, _ := answer(partner, "maybe"); status != 422 || prob["code"] != "invalid_consent" {
			t.Errorf("invalid answer: %d %v", status, prob)
		}
		if status, got, raw := answer(partner, "refused"); status != 200 || got["consent"] != "refused" {
			t.Fatalf("refuse: %d %s", status, raw)
		}
		if status, prob, _ := take("TP03", theirCopy); status != 403 || prob["code"] != "consent_required" {
			t.Errorf("after refusal: %d %v", status, prob)
		}
		if _, reqs, _ := partner.do("GET", "/api/v1/consent-requests?status=pending", nil, ""); len(reqs["items"].([]any)) != 0 {
			t.Errorf("still pending after refusal: %v", reqs)
		}
		if status, got, raw := answer(partner, "granted"); status != 200 || got["consent"] != "granted" || got["decided_at"] == nil {
			t.Fatalf("consent: %d %s", status, raw)
		}
		_, draft, _ = me.do("GET", base, nil, "")
		if draft["co_applicants"].([]any)[0].(map[string]any)["consent"] != "granted" {
			t.Errorf("draft after consent: %v", draft["co_applicants"])
		}

		// Offered now, for its component only; nothing else of the
		// partner's warehouse.
		if ids := offered(); !slices.Contains(ids, theirCopy) {
			t.Errorf("not offered after consent: %v", ids)
		}
		if status, prob, _ := take("TP03", theirRecord); status != 422 || prob["code"] != "document_not_matching" {
			t.Errorf("a partner's document no component takes: %d %v", status, prob)
		}
		if status, prob, _ := take("TP01", theirCopy); status != 422 || prob["code"] != "document_not_matching" {
			t.Errorf("a partner's document for another component: %d %v", status, prob)
		}
		if _, page, raw := me.do("GET", base+"/warehouse", nil, ""); strings.Contains(string(raw), theirCopy) || page == nil {
			t.Errorf("the applicant's warehouse tab lists the partner's documents: %s", raw)
		}
		if status, _, _ := me.do("GET", "/api/v1/warehouse/documents/"+theirCopy, nil, ""); status != 404 {
			t.Errorf("the applicant reads the partner's document directly: %d", status)
		}
		mine := offered()[0]
		for _, doc := range []string{mine, theirCopy} {
			if status, _, raw := take("TP03", doc); status != 200 {
				t.Fatalf("take %s: %d %s", doc, status, raw)
			}
		}
		// The applicant previews the partner's document the draft holds
		// (logged); it is the second TP03 document.
		if status, _, raw := me.do("GET", base+"/components/TP03/file?n=1", nil, ""); status != 200 || !bytes.HasPrefix(raw, []byte("%PDF")) {
			t.Errorf("preview of the partner's document: %d", status)
		}
		_, log, _ := partner.do("GET", "/api/v1/warehouse/documents/"+theirCopy+"/access-log", nil, "")
		previewed := false
		for _, e := range log["items"].([]any) {
			previewed = previewed || e.(map[string]any)["action"] == "document.download"
		}
		if !previewed {
			t.Errorf("the preview is not in the partner's access log: %v", log)
		}
		body, ct := multipartBody(t, nil, demo.SampleUnsigned())
		if status, _, raw := me.do("PUT", base+"/components/TP01", body, ct); status != 200 {
			t.Fatalf("scan: %d %s", status, raw)
		}
		status, dos, raw := me.do("POST", base+"/submit", jsonBody(map[string]string{"submit_method": "counter", "result_method": "online"}),
			"application/json")
		if status != 201 {
			t.Fatalf("submit: %d %s", status, raw)
		}
		code := dos["code"].(string)
		if _, reqs, _ := partner.do("GET", "/api/v1/consent-requests", nil, ""); len(reqs["items"].([]any)) != 0 {
			t.Errorf("request listed after submission: %v", reqs)
		}

		// Used and counted; the access log names the applicant.
		_, doc, _ := partner.do("GET", "/api/v1/warehouse/documents/"+theirCopy, nil, "")
		if doc["usage_count"] != float64(1) {
			t.Errorf("partner's usage count = %v", doc["usage_count"])
		}
		_, log, raw = partner.do("GET", "/api/v1/warehouse/documents/"+theirCopy+"/access-log", nil, "")
		used := false
		for _, e := range log["items"].([]any) {
			e := e.(map[string]any)
			if e["actor"] != "person:"+a.Code {
				t.Errorf("access by %v", e["actor"])
			}
			if e["dossier_id"] == dos["id"] && strings.Contains(e["purpose"].(string), a.Name) {
				used = true
			}
		}
		if !used {
			t.Errorf("access log does not name the submission: %s", raw)
		}
		_, log, _ = partner.do("GET", "/api/v1/warehouse/documents/"+theirRecord+"/access-log", nil, "")
		if n := len(log["items"].([]any)); n != 0 {
			t.Errorf("a document never offered was read %d times", n)
		}

		// The officer sees both parties and the submit method; the result
		// lands in both warehouses.
		path := "/api/v1/agency/dossiers/" + url.PathEscape(code)
		desk := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "reception"))}
		status, ad, raw := desk.do("GET", path, nil, "")
		if cos, _ := ad["co_applicants"].([]any); status != 200 || len(cos) != 1 || cos[0].(map[string]any)["subject_id"] != b.Code ||
			ad["submit_method"] != "counter" {
			t.Fatalf("agency dossier: %d %s", status, raw)
		}
		// The officer's dossier page names the co-applicant and the submit method.
		o := townOfficer(t, "reception")
		officer := officerLogin(t, ts, o.Username, o.Password, o.TOTPSecret)
		if _, page := officer.get(ts.url + "/can-bo/ho-so/" + url.PathEscape(code)); !strings.Contains(page, "Người cùng yêu cầu") ||
			!strings.Contains(page, b.Name) || !strings.Contains(page, "Nộp trực tiếp tại Bộ phận Tiếp nhận và Trả kết quả") {
			t.Errorf("officer dossier page lacks the co-applicant or the submit method:\n%s", page)
		}
		number := returnWithEResult(t, ts, code)
		for who, cl := range map[string]*apiClient{"applicant": me, "partner": partner} {
			_, res, raw := cl.do("GET", "/api/v1/warehouse/documents?code="+demo.CategoryMarriageCertificate, nil, "")
			items := res["items"].([]any)
			if len(items) != 1 || items[0].(map[string]any)["decision_number"] != number {
				t.Errorf("%s's warehouse: %s", who, raw)
			}
		}
		if _, res, _ := third.do("GET", "/api/v1/warehouse/documents?code="+demo.CategoryMarriageCertificate, nil, ""); len(res["items"].([]any)) != 0 {
			t.Errorf("a third person got the result")
		}
	})
}
