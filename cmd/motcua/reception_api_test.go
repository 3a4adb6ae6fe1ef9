package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// receptionBody is a multipart reception request: the JSON in the
// "reception" part and each scan in the part its key names.
func receptionBody(t *testing.T, reception any, scans map[string][]byte) (io.Reader, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	js, _ := json.Marshal(reception)
	_ = w.WriteField("reception", string(js))
	for name, data := range scans {
		fw, _ := w.CreateFormFile(name, name+".pdf")
		_, _ = fw.Write(data)
	}
	_ = w.Close()
	return &b, w.FormDataContentType()
}

func officerNamed(t *testing.T, username string) demo.DemoOfficer {
	t.Helper()
	for _, o := range demo.Officers() {
		if o.Username == username {
			return o
		}
	}
	t.Fatalf("no demo officer %s", username)
	return demo.DemoOfficer{}
}

// TestReceptionAPI: the district desk's officer receives a judicial-record
// dossier of Phòng Tư pháp through POST /api/v1/agency/receptions (a scan
// and a document of the owner's warehouse), a repeated Idempotency-Key
// answers the same dossier, another desk is refused, and bad input gets
// a precise code; on both backends.
func TestReceptionAPI(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		owner := demo.Citizens()[0]
		citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, owner.Code)}
		_, docs, raw := citizen.do("GET", "/api/v1/warehouse/documents", nil, "")
		var idCard string
		for _, it := range docs["items"].([]any) {
			// Two certified copies match TP02: nothing is attached on its
			// own, the request chooses the identity card's.
			if doc := it.(map[string]any); doc["category"] == demo.CategoryCertifiedCopy && doc["summary"] == "Chứng thực bản sao Thẻ căn cước công dân" {
				idCard = doc["id"].(string)
			}
		}
		if idCard == "" {
			t.Fatalf("the demo citizen has no identity card in the warehouse: %s", raw)
		}

		desk := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, officerNamed(t, "tiepnhan.huyen"))}
		// The web desk offers the units' procedures, naming the unit.
		web := officerLogin(t, ts, "tiepnhan.huyen", demo.OfficerPassword, officerNamed(t, "tiepnhan.huyen").TOTPSecret)
		if _, body := web.get(ts.url + "/can-bo/tiep-nhan"); !strings.Contains(body, `value="`+demo.ProcedureJudicialRecord+`|TH01|`+demo.JusticeOfficeCode+`"`) ||
			!strings.Contains(body, "(Phòng Tư pháp)") {
			t.Fatalf("the district desk's counter form does not offer Phòng Tư pháp's procedures:\n%s", body)
		}
		town := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, officerNamed(t, "tiepnhan.thitran"))}
		justice := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, officerNamed(t, "xuly.tuphap"))}
		submitter := map[string]any{"full_name": owner.Name, "id_number": owner.Code, "birth_date": owner.BirthDate.String()}
		request := func(extra map[string]any) map[string]any {
			r := map[string]any{"procedure": demo.ProcedureJudicialRecord, "case": "TH01", "submitter": submitter,
				"components": []map[string]any{{"component": "TP01", "scan": "to-khai"}, {"component": "TP02", "document_id": idCard}}}
			for k, v := range extra {
				r[k] = v
			}
			return r
		}
		scan := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "to khai ly lich tu phap"})
		post := func(c *apiClient, req map[string]any, scans map[string][]byte, key string) (int, map[string]any, []byte) {
			body, ct := receptionBody(t, req, scans)
			h := map[string]string{}
			if key != "" {
				h["Idempotency-Key"] = key
			}
			return c.doWith("POST", "/api/v1/agency/receptions", body, ct, h)
		}

		status, d, raw := post(desk, request(nil), map[string][]byte{"to-khai": scan}, "kiosk-1")
		if status != 201 || d["agency"] != demo.JusticeOfficeCode || d["status"] != float64(2) || d["channel"] != float64(1) {
			t.Fatalf("receive at the district desk: %d %s", status, raw)
		}
		code := d["code"].(string)
		states := map[string]float64{}
		for _, c := range d["components"].([]any) {
			cj := c.(map[string]any)
			states[cj["id"].(string)] = cj["state"].(float64)
		}
		if states["TP01"] != 1 || states["TP02"] != 2 || d["reused"] != true {
			t.Fatalf("components: %v (%s)", states, raw)
		}
		// The same key answers the same dossier, without a second one.
		status, again, raw := post(desk, request(nil), map[string][]byte{"to-khai": scan}, "kiosk-1")
		if status != 200 || again["code"] != code {
			t.Fatalf("idempotent replay: %d %s", status, raw)
		}
		_, queue, _ := desk.do("GET", "/api/v1/agency/dossiers?status=2", nil, "")
		n := 0
		for _, it := range queue["items"].([]any) {
			if it.(map[string]any)["code"] == code {
				n++
			}
		}
		if n != 1 || queue["total"].(float64) != 1 {
			t.Fatalf("the desk's queue of received dossiers: %v", queue)
		}
		// Phòng Tư pháp processes what its desk received.
		if status, _, raw := justice.do("GET", "/api/v1/agency/dossiers/"+code, nil, ""); status != 200 {
			t.Fatalf("Phòng Tư pháp reads its dossier: %d %s", status, raw)
		}

		type refusal struct {
			name   string
			c      *apiClient
			req    map[string]any
			scans  map[string][]byte
			status int
			code   string
			field  string
		}
		scans := map[string][]byte{"to-khai": scan}
		for _, r := range []refusal{
			{"the town's desk for Phòng Tư pháp", town, request(map[string]any{"agency": demo.JusticeOfficeCode}), scans, 403, "forbidden", ""},
			{"the district desk for the town", desk, request(map[string]any{"agency": demo.TownCode,
				"procedure": demo.ProcedureCertifiedCopy, "components": []any{}}), nil, 403, "forbidden", ""},
			{"a procedure the town does not handle", town, request(nil), scans, 422, "agency_not_handling", "agency"},
			{"no submitter", desk, request(map[string]any{"submitter": nil}), scans, 422, "required", "submitter"},
			{"no birth date", desk, request(map[string]any{"submitter": map[string]any{"full_name": owner.Name, "id_number": owner.Code}}),
				scans, 422, "required", "submitter.birth_date"},
			{"no procedure", desk, request(map[string]any{"procedure": ""}), scans, 422, "required", "procedure"},
			{"unknown procedure", desk, request(map[string]any{"procedure": "9.999999.000.00.00.H08"}), scans, 422, "unknown_procedure", "procedure"},
			{"unknown case", desk, request(map[string]any{"case": "TH09"}), scans, 422, "unknown_case", "case"},
			{"malformed agency", desk, request(map[string]any{"agency": "phòng tư pháp"}), scans, 422, "invalid_agency_code", "agency"},
			{"unknown component", desk, request(map[string]any{"components": []map[string]any{{"component": "TP09", "document_id": idCard}}}),
				nil, 422, "unknown_component", "components[0].component"},
			{"a document and a scan", desk, request(map[string]any{"components": []map[string]any{{"component": "TP01", "document_id": idCard, "scan": "to-khai"}}}),
				scans, 422, "document_or_scan", "components[0]"},
			{"a scan not sent", desk, request(nil), nil, 422, "scan_missing", "components[0].scan"},
			{"another owner's document", desk, request(map[string]any{"submitter": map[string]any{"full_name": demo.Citizens()[2].Name,
				"id_number": demo.Citizens()[2].Code, "birth_date": demo.Citizens()[2].BirthDate.String()}}), scans, 422, "", "components[1]"},
		} {
			status, prob, raw := post(r.c, r.req, r.scans, "")
			if status != r.status || r.code != "" && prob["code"] != r.code || r.field != "" && !fieldIs(prob, r.field) {
				t.Errorf("%s: %d %s, want %d %s at %s", r.name, status, raw, r.status, r.code, r.field)
			}
		}
		// Nothing refused made a dossier.
		_, queue, _ = desk.do("GET", "/api/v1/agency/dossiers?status=2", nil, "")
		if queue["total"].(float64) != 1 {
			t.Fatalf("refused requests received dossiers: %v", queue)
		}
	})
}

// fieldIs reports whether a problem names field (or a field under it).
func fieldIs(prob map[string]any, field string) bool {
	f, _ := prob["field"].(string)
	return f == field || len(f) > len(field) && f[:len(field)] == field && slices.Contains([]byte{'.', '['}, f[len(field)])
}
