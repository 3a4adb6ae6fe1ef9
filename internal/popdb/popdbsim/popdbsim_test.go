package popdbsim_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/popdb"
	"github.com/motcua/motcua/internal/popdb/popdbsim"
)

func TestDemoCitizensMatchDemoSubjects(t *testing.T) {
	t.Parallel()
	citizens := popdbsim.DemoCitizens()
	byID := make(map[string]popdb.Citizen)
	for _, c := range citizens {
		if _, dup := byID[c.PersonalID]; dup {
			t.Fatalf("personal id %s twice", c.PersonalID)
		}
		byID[c.PersonalID] = c
	}
	subjects := demo.Citizens()
	for _, s := range subjects {
		c, ok := byID[s.Code]
		if !ok {
			t.Errorf("demo citizen %s %s missing", s.Code, s.Name)
			continue
		}
		if c.FullName != s.Name || c.BirthDate != s.BirthDate || c.LegacyID != s.LegacyID {
			t.Errorf("%s: simulator has %q %s %q, demo has %q %s %q", s.Code,
				c.FullName, c.BirthDate, c.LegacyID, s.Name, s.BirthDate, s.LegacyID)
		}
		if c.PermanentAddress.WardCode == "" {
			t.Errorf("%s: address %q not mapped to a ward", s.Code, s.Address)
		}
	}
	if extra := len(citizens) - len(subjects); extra < 3 {
		t.Fatalf("%d extra people, want at least 3", extra)
	}
	// Every record round-trips through the CSV format, so they are all valid.
	var buf bytes.Buffer
	if err := popdbsim.WriteCSV(&buf, citizens); err != nil {
		t.Fatal(err)
	}
	back, err := popdbsim.LoadCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(citizens) {
		t.Fatalf("%d citizens back, want %d", len(back), len(citizens))
	}
	for i := range back {
		if back[i] != citizens[i] {
			t.Fatalf("row %d:\n got %+v\nwant %+v", i, back[i], citizens[i])
		}
	}
}

func TestMismatchExamplesAreDocumented(t *testing.T) {
	t.Parallel()
	names := make(map[string]bool)
	for _, ex := range popdbsim.MismatchExamples() {
		if ex.Name == "" || ex.Why == "" || names[ex.Name] {
			t.Errorf("example %+v: needs a unique name and a reason", ex)
		}
		names[ex.Name] = true
		if ex.Claim.FullName == "" || ex.Claim.BirthDate.IsZero() || ex.Claim.Purpose == "" {
			t.Errorf("example %s: incomplete claim %+v", ex.Name, ex.Claim)
		}
		// Claims are well-formed, so they reach the database and fail there
		// rather than in input validation.
		if ex.Claim.PersonalID != "" {
			if err := motcua.ValidatePersonalID(ex.Claim.PersonalID); err != nil {
				t.Errorf("example %s: %v", ex.Name, err)
			}
		}
	}
}

func TestGenerateCSVRoundTrip(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	if err := popdbsim.GenerateCSV(&a, 500, 7); err != nil {
		t.Fatal(err)
	}
	if err := popdbsim.GenerateCSV(&b, 500, 7); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Fatal("GenerateCSV is not deterministic for a seed")
	}
	citizens, err := popdbsim.LoadCSV(&a)
	if err != nil {
		t.Fatal(err)
	}
	if len(citizens) != 500 {
		t.Fatalf("%d citizens, want 500", len(citizens))
	}
	demoIDs := make(map[string]bool)
	for _, c := range popdbsim.DemoCitizens() {
		demoIDs[c.PersonalID], demoIDs[c.LegacyID] = true, true
	}
	var legacy, accented, female, minors int
	for _, c := range citizens {
		id, err := motcua.ParsePersonalID(c.PersonalID)
		if err != nil {
			t.Fatalf("%s: %v", c.PersonalID, err)
		}
		if id.ProvinceCode != "052" || id.BirthYear != c.BirthDate.Year || id.Sex != c.Sex {
			t.Fatalf("%s: province %s, year %d, sex %s; record born %s, %s", c.PersonalID,
				id.ProvinceCode, id.BirthYear, id.Sex, c.BirthDate, c.Sex)
		}
		if demoIDs[c.PersonalID] || (c.LegacyID != "" && demoIDs[c.LegacyID]) {
			t.Fatalf("%s collides with a demo citizen", c.PersonalID)
		}
		if c.FullName != c.FamilyName+" "+c.MiddleName+" "+c.GivenName {
			t.Fatalf("%q does not join %q %q %q", c.FullName, c.FamilyName, c.MiddleName, c.GivenName)
		}
		if c.LegacyID != "" {
			legacy++
			if !motcua.IsLegacyCMND(c.LegacyID) {
				t.Fatalf("legacy id %q", c.LegacyID)
			}
		}
		if motcua.FoldText(c.FullName) != strings.ToLower(c.FullName) {
			accented++
		}
		if c.Sex == motcua.SexFemale {
			female++
		}
		if c.Representative.Name != "" {
			minors++
		}
	}
	if legacy == 0 || accented < 250 || female < 150 || female > 350 || minors == 0 {
		t.Fatalf("legacy %d, accented %d, female %d, minors %d of 500", legacy, accented, female, minors)
	}

	// A generated citizen passes the identity check.
	c := citizens[123]
	srv := httptest.NewServer(popdbsim.New(citizens, popdbsim.Options{}))
	t.Cleanup(srv.Close)
	client, err := popdb.NewClient(popdb.Config{BaseURL: srv.URL,
		ClientID: popdbsim.DefaultClientID, ClientSecret: popdbsim.DefaultClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	ok, err := client.Verify(t.Context(), popdb.Query{Purpose: popdb.PurposeRegistration,
		PersonalID: c.PersonalID, FullName: motcua.FoldText(c.FullName), BirthDate: c.BirthDate})
	if err != nil || !ok {
		t.Fatalf("Verify(generated %s) = %v, %v", c.PersonalID, ok, err)
	}
}

func TestGenerateLimits(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := popdbsim.GenerateCSV(&buf, 0, 1); err != nil {
		t.Fatal(err)
	}
	if got, err := popdbsim.LoadCSV(&buf); err != nil || len(got) != 0 {
		t.Fatalf("LoadCSV(empty generated) = %d, %v", len(got), err)
	}
	for _, n := range []int{-1, popdbsim.MaxGenerate + 1} {
		if err := popdbsim.GenerateCSV(io.Discard, n, 1); err == nil {
			t.Errorf("GenerateCSV(%d) succeeded", n)
		}
	}
}

func TestLoadCSV(t *testing.T) {
	t.Parallel()
	const header = "personal_id,full_name,birth_date,sex,legacy_id\n"
	t.Run("minimal columns", func(t *testing.T) {
		t.Parallel()
		in := "\ufeffPersonal_ID, full_name ,birth_date\n" +
			"052090000495,  Trần  Văn Hùng ,15/03/1990\n" +
			"052192004817,Nguyễn Thị Mai,1992-07-21\n"
		got, err := popdbsim.LoadCSV(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		want := popdb.Citizen{PersonalID: "052090000495", FullName: "Trần Văn Hùng", FamilyName: "Trần",
			MiddleName: "Văn", GivenName: "Hùng", Sex: motcua.SexMale,
			BirthDate: motcua.Date{Year: 1990, Month: time.March, Day: 15}}
		if len(got) != 2 || got[0] != want || got[1].Sex != motcua.SexFemale {
			t.Fatalf("LoadCSV = %+v", got)
		}
	})
	bad := []struct{ name, in, want string }{
		{"empty", "", "empty file"},
		{"unknown column", "personal_id,full_name,birth_date,shoe_size\n", "unknown column"},
		{"missing column", "personal_id,full_name\n", `missing required column "birth_date"`},
		{"bad id", header + "052090000A95,Trần Văn Hùng,1990-03-15,,\n", "line 2"},
		{"unknown province", header + "999090000495,Trần Văn Hùng,1990-03-15,,\n", "personal_id"},
		{"year mismatch", header + "052090000495,Trần Văn Hùng,1991-03-15,,\n", "birth year 1990"},
		{"sex mismatch", header + "052090000495,Trần Văn Hùng,1990-03-15,female,\n", "encodes male"},
		{"bad sex", header + "052090000495,Trần Văn Hùng,1990-03-15,x,\n", "want male or female"},
		{"no name", header + "052090000495, ,1990-03-15,,\n", "full_name"},
		{"no date", header + "052090000495,Trần Văn Hùng,,,\n", "birth_date is empty"},
		{"bad date", header + "052090000495,Trần Văn Hùng,1990-02-30,,\n", "birth_date"},
		{"bad CMND", header + "052090000495,Trần Văn Hùng,1990-03-15,,2154321\n", "legacy_id"},
		{"duplicate id", header + "052090000495,Trần Văn Hùng,1990-03-15,,\n052090000495,Trần Văn Hùng,1990-03-15,,\n",
			"already on line 2"},
		{"duplicate CMND", header + "052090000495,Trần Văn Hùng,1990-03-15,,215432109\n" +
			"052098000814,Đỗ Văn Thịnh,1998-08-22,nam,215432109\n", "legacy_id 215432109 already"},
		{"short row", header + "052090000495,Trần Văn Hùng\n", "wrong number of fields"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := popdbsim.LoadCSV(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("LoadCSV err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// do sends a request to the simulator and decodes a JSON answer.
func do(t *testing.T, h http.Handler, method, path, body string, auth bool) (*http.Response, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth {
		req.SetBasicAuth(popdbsim.DefaultClientID, popdbsim.DefaultClientSecret)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := rec.Result()
	var m map[string]any
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatalf("%s %s: decode: %v", method, path, err)
		}
	}
	return resp, m
}

const guideBody = `{"request_id":"r1","purpose":"counter","actor_kind":"officer","actor_id":"cb01",
	"personal_id":"052090000495","full_name":"TRAN VAN HUNG","birth_date":"1990-03-15"}`

func TestSimulatorContract(t *testing.T) {
	t.Parallel()
	sim := popdbsim.New(popdbsim.DemoCitizens(), popdbsim.Options{})

	resp, m := do(t, sim, http.MethodPost, popdb.PathVerify, guideBody, true)
	if resp.StatusCode != 200 || m["exists"] != true || m["request_id"] != "r1" || m["personal_id"] != demo.GuideCitizenID {
		t.Fatalf("verify: %d %v", resp.StatusCode, m)
	}
	resp, m = do(t, sim, http.MethodPost, popdb.PathLookup, guideBody, true)
	if c, _ := m["citizen"].(map[string]any); resp.StatusCode != 200 || m["found"] != true || c["full_name"] != "Trần Văn Hùng" ||
		c["birth_date"] != "1990-03-15" {
		t.Fatalf("lookup: %d %v", resp.StatusCode, m)
	}
	resp, m = do(t, sim, http.MethodPost, popdb.PathMapLegacyID, guideBody, true)
	if resp.StatusCode != 200 || m["found"] != false {
		t.Fatalf("map without CMND: %d %v", resp.StatusCode, m)
	}
	// An agency system's result push for an owner motcua has not met.
	push := strings.NewReplacer(`"counter"`, `"result_push"`, `"officer"`, `"integrator"`, `"cb01"`, `"client:hotich.thitran"`).Replace(guideBody)
	resp, m = do(t, sim, http.MethodPost, popdb.PathLookup, push, true)
	if resp.StatusCode != 200 || m["found"] != true {
		t.Fatalf("lookup for a result push: %d %v", resp.StatusCode, m)
	}

	for _, tc := range []struct {
		name, method, path, body string
		auth                     bool
		status                   int
		code                     string
	}{
		{"no credentials", "POST", popdb.PathVerify, guideBody, false, 401, popdb.WireUnauthorized},
		{"GET", "GET", popdb.PathVerify, "", true, 405, popdb.WireMethodNotAllowed},
		{"unknown path", "POST", "/v1/citizens/delete", guideBody, true, 404, popdb.WireNotFound},
		{"not JSON", "POST", popdb.PathVerify, "{", true, 400, popdb.WireInvalidRequest},
		{"unknown field", "POST", popdb.PathVerify, `{"request_id":"r","shoe":1}`, true, 400, popdb.WireInvalidRequest},
		{"no id", "POST", popdb.PathVerify,
			`{"request_id":"r","purpose":"counter","actor_kind":"officer","full_name":"A","birth_date":"1990-01-01"}`,
			true, 400, popdb.WireInvalidRequest},
		{"bad purpose", "POST", popdb.PathVerify, strings.Replace(guideBody, `"counter"`, `"curiosity"`, 1),
			true, 400, popdb.WireInvalidRequest},
		{"bad actor kind", "POST", popdb.PathVerify, strings.Replace(guideBody, `"officer"`, `"neighbour"`, 1),
			true, 400, popdb.WireInvalidRequest},
		{"integrator without actor id", "POST", popdb.PathVerify,
			strings.NewReplacer(`"officer"`, `"integrator"`, `"actor_id":"cb01",`, "").Replace(guideBody),
			true, 400, popdb.WireInvalidRequest},
		{"admin without credentials", "POST", "/admin/outage", `{"enabled":true}`, false, 401, popdb.WireUnauthorized},
		{"bad admin body", "POST", "/admin/latency", `{"ms":-5}`, true, 400, popdb.WireInvalidRequest},
	} {
		resp, m := do(t, sim, tc.method, tc.path, tc.body, tc.auth)
		e, _ := m["error"].(map[string]any)
		if resp.StatusCode != tc.status || e["code"] != tc.code {
			t.Errorf("%s: %d %v, want %d %s", tc.name, resp.StatusCode, m, tc.status, tc.code)
		}
		if tc.status == 401 && resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: 401 without WWW-Authenticate", tc.name)
		}
	}
	if s := sim.State(); s.Outage || s.LatencyMS != 0 {
		t.Fatalf("rejected admin calls changed the state: %+v", s)
	}
}

func TestAdminSwitches(t *testing.T) {
	t.Parallel()
	sim := popdbsim.New(popdbsim.DemoCitizens(), popdbsim.Options{ClientID: "id", ClientSecret: "secret"})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	post := func(path, body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth("id", "secret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	if status, body := post("/admin/outage", `{"enabled":true}`); status != 200 || !strings.Contains(body, `"outage":true`) {
		t.Fatalf("outage on: %d %s", status, body)
	}
	status, body := post(popdb.PathVerify, guideBody)
	if status != 503 || !strings.Contains(body, popdb.WireUnavailable) {
		t.Fatalf("verify during outage: %d %s", status, body)
	}
	post("/admin/outage", `{"enabled":false}`)
	if status, body := post(popdb.PathVerify, guideBody); status != 200 || !strings.Contains(body, `"exists":true`) {
		t.Fatalf("verify after outage: %d %s", status, body)
	}

	if status, body := post("/admin/latency", `{"ms":150}`); status != 200 || !strings.Contains(body, `"latency_ms":150`) {
		t.Fatalf("latency: %d %s", status, body)
	}
	start := time.Now()
	post(popdb.PathVerify, guideBody)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("answer after %s, want ≥ 150ms", d)
	}
	if sim.State().LatencyMS != 150 {
		t.Fatalf("state %+v", sim.State())
	}
}

// The switches are flipped while requests run; -race checks the guards.
func TestSwitchesConcurrently(t *testing.T) {
	t.Parallel()
	sim := popdbsim.New(popdbsim.DemoCitizens(), popdbsim.Options{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 20 {
				sim.SetOutage((i+j)%2 == 0)
				sim.SetLatency(time.Duration(j%2) * time.Microsecond)
				req := httptest.NewRequest(http.MethodPost, popdb.PathVerify, strings.NewReader(guideBody))
				req.Header.Set("Content-Type", "application/json")
				req.SetBasicAuth(popdbsim.DefaultClientID, popdbsim.DefaultClientSecret)
				rec := httptest.NewRecorder()
				sim.ServeHTTP(rec, req)
				if rec.Code != 200 && rec.Code != 503 {
					t.Errorf("status %d", rec.Code)
				}
				_ = sim.State()
			}
		})
	}
	wg.Wait()
}
