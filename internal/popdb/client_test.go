package popdb_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/popdb"
	"github.com/motcua/motcua/internal/popdb/popdbsim"
)

// memAudit is an in-memory motcua.AuditAppender: a test double of motcua's
// own interface, not of the population database.
type memAudit struct {
	mu     sync.Mutex
	events []motcua.AuditEvent
	fail   error
}

func (m *memAudit) AppendAudit(_ context.Context, es ...*motcua.AuditEvent) error {
	for _, e := range es {
		if err := e.Validate(); err != nil {
			return err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	for _, e := range es {
		m.events = append(m.events, *e)
	}
	return nil
}

func (m *memAudit) ListAudit(context.Context, motcua.AuditFilter) ([]*motcua.AuditEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*motcua.AuditEvent, len(m.events))
	for i := range m.events {
		e := m.events[len(m.events)-1-i]
		out[i] = &e
	}
	return out, nil
}

func (m *memAudit) all() []motcua.AuditEvent {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]motcua.AuditEvent(nil), m.events...)
}

// counting counts the requests that reach the simulator behind it.
type counting struct {
	n    atomic.Int64
	next http.Handler
}

func (c *counting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	c.next.ServeHTTP(w, r)
}

type testBundle struct {
	sim      *popdbsim.Simulator
	srv      *httptest.Server
	audit    *memAudit
	requests *counting
}

type setupOpts struct {
	citizens []popdb.Citizen
	front    func(http.Handler) http.Handler // wraps the simulator, e.g. to fail once
	config   func(*popdb.Config)
}

// setup starts the real simulator behind an httptest server and returns a
// client for it.
func setup(t *testing.T, o setupOpts) (*popdb.Client, *testBundle) {
	t.Helper()
	citizens := o.citizens
	if citizens == nil {
		citizens = popdbsim.DemoCitizens()
	}
	b := &testBundle{sim: popdbsim.New(citizens, popdbsim.Options{}), audit: &memAudit{}}
	var h http.Handler = b.sim
	if o.front != nil {
		h = o.front(h)
	}
	b.requests = &counting{next: h}
	b.srv = httptest.NewServer(b.requests)
	t.Cleanup(b.srv.Close)
	cfg := popdb.Config{
		BaseURL:      b.srv.URL,
		ClientID:     popdbsim.DefaultClientID,
		ClientSecret: popdbsim.DefaultClientSecret,
		Audit:        b.audit,
	}
	if o.config != nil {
		o.config(&cfg)
	}
	c, err := popdb.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, b
}

func date(y int, m time.Month, d int) motcua.Date { return motcua.Date{Year: y, Month: m, Day: d} }

// counterQuery is an officer's check at the counter.
func counterQuery(id, name string, birth motcua.Date) popdb.Query {
	return popdb.Query{
		ActorID:    "canbo.tiepnhan01",
		AgencyCode: demo.TownCode,
		Purpose:    popdb.PurposeCounter,
		DossierID:  "000.23.01.H08-250301-0001",
		PersonalID: id,
		FullName:   name,
		BirthDate:  birth,
	}
}

func guide() popdb.Query {
	return counterQuery(demo.GuideCitizenID, "Trần Văn Hùng", date(1990, time.March, 15))
}

func wantErr(t *testing.T, err error, kind, code string) *motcua.Error {
	t.Helper()
	var e *motcua.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want *motcua.Error %s/%s", err, err, kind, code)
	}
	if e.Kind != kind || e.Code != code {
		t.Fatalf("err = %v, want kind %s code %s", err, kind, code)
	}
	return e
}

func TestVerifyDemoCitizens(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, setupOpts{})
	for _, s := range demo.Citizens() {
		t.Run(s.Code, func(t *testing.T) {
			t.Parallel()
			ok, err := c.Verify(t.Context(), counterQuery(s.Code, s.Name, s.BirthDate))
			if err != nil || !ok {
				t.Fatalf("Verify(%s %s) = %v, %v; want true", s.Code, s.Name, ok, err)
			}
			if s.LegacyID != "" {
				q := counterQuery("", s.Name, s.BirthDate)
				q.LegacyID = s.LegacyID
				if ok, err := c.Verify(t.Context(), q); err != nil || !ok {
					t.Fatalf("Verify by CMND %s = %v, %v; want true", s.LegacyID, ok, err)
				}
			}
		})
	}
}

func TestVerifyAccentAndCaseInsensitive(t *testing.T) {
	t.Parallel()
	an := popdb.Citizen{PersonalID: "052080123456", FullName: "Nguyễn Văn An", Sex: motcua.SexMale,
		BirthDate: date(1980, time.January, 2)}
	c, _ := setup(t, setupOpts{citizens: append(popdbsim.DemoCitizens(), an)})
	for _, name := range []string{"NGUYEN VAN AN", "nguyen van an", "Nguyễn Văn An", "  nguyễn   VĂN an ",
		"NGUYỄN VĂN AN", "Nguyên Văn Ân",
		"Nguye\u0302\u0303n Va\u0306n An", // decomposed (NFD) marks
	} {
		ok, err := c.Verify(t.Context(), counterQuery(an.PersonalID, name, an.BirthDate))
		if err != nil || !ok {
			t.Errorf("Verify(%q) = %v, %v; want true", name, ok, err)
		}
	}
	for _, name := range []string{"Nguyễn Văn Anh", "Nguyễn An", "Văn An Nguyễn"} {
		ok, err := c.Verify(t.Context(), counterQuery(an.PersonalID, name, an.BirthDate))
		if err != nil || ok {
			t.Errorf("Verify(%q) = %v, %v; want false", name, ok, err)
		}
	}
}

func TestMismatchExamples(t *testing.T) {
	t.Parallel()
	c, b := setup(t, setupOpts{})
	examples := popdbsim.MismatchExamples()
	if len(examples) < 3 {
		t.Fatalf("%d mismatch examples, want at least 3", len(examples))
	}
	for _, ex := range examples {
		t.Run(ex.Name, func(t *testing.T) {
			t.Parallel()
			ok, err := c.Verify(t.Context(), ex.Claim)
			if err != nil || ok {
				t.Fatalf("Verify = %v, %v; want false, nil (%s)", ok, err, ex.Why)
			}
			_, err = c.Lookup(t.Context(), ex.Claim)
			wantErr(t, err, motcua.ENOTFOUND, popdb.CodeCitizenNotFound)
		})
	}
	t.Run("audited as no_match", func(t *testing.T) {
		t.Parallel()
		ex := examples[0]
		ex.Claim.ActorID = "registration-form"
		ex.Claim.RequestID = "mismatch-audit-1"
		if ok, err := c.Verify(t.Context(), ex.Claim); err != nil || ok {
			t.Fatalf("Verify = %v, %v", ok, err)
		}
		e := findEvent(t, b.audit, "mismatch-audit-1")
		if e.ActorKind != "citizen" || !strings.Contains(e.Detail, "purpose=registration") ||
			!strings.Contains(e.Detail, "result=no_match") {
			t.Fatalf("audit event %+v", e)
		}
	})
}

// The third kind of failure in the mismatch examples has a way out: the
// old CMND itself, and MapLegacyID.
func TestLegacyIDPath(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, setupOpts{})
	q := counterQuery("210456789", "NGUYEN VAN BAY", date(1958, time.April, 20)) // CMND typed in the id field
	if ok, err := c.Verify(t.Context(), q); err != nil || !ok {
		t.Fatalf("Verify by CMND = %v, %v; want true", ok, err)
	}
	id, err := c.MapLegacyID(t.Context(), q)
	if err != nil || id != "052058001307" {
		t.Fatalf("MapLegacyID = %q, %v; want 052058001307", id, err)
	}
	id, err = c.MapLegacyID(t.Context(), counterQuery("215432109", "Đỗ Văn Thịnh", date(1998, time.August, 22)))
	if err != nil || id != demo.PetrolOwnerID {
		t.Fatalf("MapLegacyID(petrol owner) = %q, %v", id, err)
	}

	_, err = c.MapLegacyID(t.Context(), counterQuery("219999999", "Nguyễn Văn Bảy", date(1958, time.April, 20)))
	wantErr(t, err, motcua.ENOTFOUND, popdb.CodeLegacyIDNotFound)
	_, err = c.MapLegacyID(t.Context(), counterQuery("210456789", "Nguyễn Văn Bảy", date(1958, time.April, 21)))
	wantErr(t, err, motcua.ENOTFOUND, popdb.CodeLegacyIDNotFound)
	_, err = c.MapLegacyID(t.Context(), guide())
	if e := wantErr(t, err, motcua.EINVALID, "required"); e.Field != "legacy_id" {
		t.Fatalf("field %q, want legacy_id", e.Field)
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	c, b := setup(t, setupOpts{})
	q := guide()
	q.FullName = "tran van hung"
	q.RequestID = "lookup-1"
	got, err := c.Lookup(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	want := popdb.Citizen{
		PersonalID: demo.GuideCitizenID, FullName: "Trần Văn Hùng",
		FamilyName: "Trần", MiddleName: "Văn", GivenName: "Hùng",
		Sex: motcua.SexMale, BirthDate: date(1990, time.March, 15), Nationality: "Việt Nam",
		PermanentAddress: popdb.Address{ProvinceCode: "52", DistrictCode: "542", WardCode: "21609", Detail: "Khu phố 1"},
	}
	if got.PersonalID != want.PersonalID || got.FullName != want.FullName || got.FamilyName != want.FamilyName ||
		got.MiddleName != want.MiddleName || got.GivenName != want.GivenName || got.Sex != want.Sex ||
		got.BirthDate != want.BirthDate || got.Nationality != want.Nationality ||
		got.PermanentAddress != want.PermanentAddress || got.CurrentAddress != want.PermanentAddress {
		t.Fatalf("Lookup = %+v\nwant at least %+v", got, want)
	}
	if got.Ethnicity == "" || got.Religion == "" || got.MaritalStatus == "" || got.HomeTown == "" ||
		got.BirthRegistrationPlace == "" || got.Father.Name == "" || got.Mother.Name == "" || got.HouseholdHead.Name == "" {
		t.Fatalf("Lookup record incomplete: %+v", got)
	}
	e := findEvent(t, b.audit, "lookup-1")
	if e.Action != "popdb.lookup" || e.SubjectCode != demo.GuideCitizenID ||
		!strings.Contains(e.Detail, "result=found") {
		t.Fatalf("audit event %+v", e)
	}

	// By CMND: the record carries both numbers.
	q = counterQuery("", "Lê Văn Phúc", date(1985, time.November, 2))
	q.LegacyID = "211234567"
	got, err = c.Lookup(t.Context(), q)
	if err != nil || got.PersonalID != "052085007263" || got.LegacyID != "211234567" {
		t.Fatalf("Lookup by CMND = %+v, %v", got, err)
	}
}

func TestUnknownCitizen(t *testing.T) {
	t.Parallel()
	c, b := setup(t, setupOpts{})
	q := counterQuery("052099123456", "Không Có Thật", date(1999, time.May, 5))
	q.RequestID = "unknown-1"
	if ok, err := c.Verify(t.Context(), q); err != nil || ok {
		t.Fatalf("Verify(unknown) = %v, %v; want false, nil", ok, err)
	}
	_, err := c.Lookup(t.Context(), q)
	e := wantErr(t, err, motcua.ENOTFOUND, popdb.CodeCitizenNotFound)
	if !strings.Contains(e.Message, "Cơ sở dữ liệu quốc gia về dân cư") {
		t.Fatalf("message %q", e.Message)
	}
	if ev := findEvent(t, b.audit, "unknown-1"); !strings.Contains(ev.Detail, "result=no_match") {
		t.Fatalf("audit event %+v", ev)
	}
}

func TestInvalidInput(t *testing.T) {
	t.Parallel()
	c, b := setup(t, setupOpts{})
	tomorrow := motcua.DateOf(time.Now()).AddDays(1)
	cases := []struct {
		name  string
		edit  func(*popdb.Query)
		field string
	}{
		{"empty name", func(q *popdb.Query) { q.FullName = "   " }, "full_name"},
		{"short id", func(q *popdb.Query) { q.PersonalID = "12345" }, "personal_id"},
		{"unknown province", func(q *popdb.Query) { q.PersonalID = "999090000495" }, "personal_id"},
		{"letters", func(q *popdb.Query) { q.PersonalID = "05209000049A" }, "personal_id"},
		{"no id", func(q *popdb.Query) { q.PersonalID = "" }, "personal_id"},
		{"bad CMND", func(q *popdb.Query) { q.LegacyID = "21123456" }, "legacy_id"},
		{"two CMNDs", func(q *popdb.Query) { q.PersonalID, q.LegacyID = "211234567", "215432109" }, "legacy_id"},
		{"no birth date", func(q *popdb.Query) { q.BirthDate = motcua.Date{} }, "birth_date"},
		{"impossible date", func(q *popdb.Query) { q.BirthDate = date(1990, time.February, 30) }, "birth_date"},
		{"future birth", func(q *popdb.Query) { q.BirthDate = tomorrow }, "birth_date"},
		{"no purpose", func(q *popdb.Query) { q.Purpose = "" }, "purpose"},
		{"unknown purpose", func(q *popdb.Query) { q.Purpose = "curiosity" }, "purpose"},
		{"officer without id", func(q *popdb.Query) { q.ActorID = "" }, "actor_id"},
		{"unknown actor kind", func(q *popdb.Query) { q.ActorKind = "neighbour" }, "actor_kind"},
		{"integrator without id", func(q *popdb.Query) { q.Purpose, q.ActorKind, q.ActorID = popdb.PurposeResultPush, "", "" }, "actor_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q := guide()
			tc.edit(&q)
			_, err := c.Verify(t.Context(), q)
			var e *motcua.Error
			if !errors.As(err, &e) || e.Kind != motcua.EINVALID || e.Field != tc.field {
				t.Fatalf("Verify err = %v, want EINVALID on %s", err, tc.field)
			}
			if e.Message == "" || e.Code == "" {
				t.Fatalf("error without code or message: %#v", e)
			}
			_, err = c.Lookup(t.Context(), q)
			if !errors.As(err, &e) || e.Kind != motcua.EINVALID || e.Field != tc.field {
				t.Fatalf("Lookup err = %v, want EINVALID on %s", err, tc.field)
			}
		})
	}
	t.Cleanup(func() {
		// Bad input is never sent, so nothing was read and nothing logged.
		if n := b.requests.n.Load(); n != 0 {
			t.Errorf("%d requests reached the database", n)
		}
		if n := len(b.audit.all()); n != 0 {
			t.Errorf("%d audit events", n)
		}
	})
}

func TestWrongCredentials(t *testing.T) {
	t.Parallel()
	c, b := setup(t, setupOpts{config: func(cfg *popdb.Config) { cfg.ClientSecret = "wrong" }})
	q := guide()
	q.RequestID = "creds-1"
	ok, err := c.Verify(t.Context(), q)
	if ok {
		t.Fatal("Verify = true with wrong credentials")
	}
	wantErr(t, err, motcua.EINTERNAL, popdb.CodeUnauthorized)
	if n := b.requests.n.Load(); n != 1 {
		t.Fatalf("%d requests, want 1 (401 is not retried)", n)
	}
	if e := findEvent(t, b.audit, "creds-1"); !strings.Contains(e.Detail, "result=error") {
		t.Fatalf("audit event %+v", e)
	}
}

func TestOutage(t *testing.T) {
	t.Parallel()
	c, b := setup(t, setupOpts{})
	b.sim.SetOutage(true)
	q := guide()
	q.RequestID = "outage-1"
	ok, err := c.Verify(t.Context(), q)
	if ok {
		t.Fatal("Verify = true during an outage")
	}
	e := wantErr(t, err, motcua.EUNAVAILABLE, popdb.CodeUnavailable)
	if e.Message != popdb.UnavailableMessage {
		t.Fatalf("message %q", e.Message)
	}
	if n := b.requests.n.Load(); n != 3 {
		t.Fatalf("%d requests, want 3 (2 retries)", n)
	}
	if ev := findEvent(t, b.audit, "outage-1"); !strings.Contains(ev.Detail, "result=unavailable") ||
		!strings.Contains(ev.Detail, "purpose=counter") {
		t.Fatalf("audit event %+v", ev)
	}
	_, err = c.Lookup(t.Context(), q)
	wantErr(t, err, motcua.EUNAVAILABLE, popdb.CodeUnavailable)
	_, err = c.MapLegacyID(t.Context(), counterQuery("215432109", "Đỗ Văn Thịnh", date(1998, time.August, 22)))
	wantErr(t, err, motcua.EUNAVAILABLE, popdb.CodeUnavailable)

	b.sim.SetOutage(false)
	if ok, err := c.Verify(t.Context(), guide()); err != nil || !ok {
		t.Fatalf("after the outage: Verify = %v, %v", ok, err)
	}
}

func TestUnreachable(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	c, err := popdb.NewClient(popdb.Config{BaseURL: url, ClientID: "a", ClientSecret: "b"})
	if err != nil {
		t.Fatal(err)
	}
	ok, err := c.Verify(t.Context(), guide())
	if ok {
		t.Fatal("Verify = true with no server")
	}
	wantErr(t, err, motcua.EUNAVAILABLE, popdb.CodeUnavailable)
}

func TestLatencyBeyondTimeout(t *testing.T) {
	t.Parallel()
	c, b := setup(t, setupOpts{config: func(cfg *popdb.Config) { cfg.Timeout = 300 * time.Millisecond }})
	b.sim.SetLatency(5 * time.Second)
	start := time.Now()
	ok, err := c.Verify(t.Context(), guide())
	if ok {
		t.Fatal("Verify = true on timeout")
	}
	wantErr(t, err, motcua.EUNAVAILABLE, popdb.CodeUnavailable)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want it to wrap context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Verify took %s; the timeout covers retries", d)
	}

	b.sim.SetLatency(50 * time.Millisecond) // slow but within the timeout
	if ok, err := c.Verify(t.Context(), guide()); err != nil || !ok {
		t.Fatalf("Verify with latency within timeout = %v, %v", ok, err)
	}
}

func TestCallerCancel(t *testing.T) {
	t.Parallel()
	c, b := setup(t, setupOpts{})
	b.sim.SetLatency(5 * time.Second)
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	q := guide()
	q.RequestID = "cancel-1"
	ok, err := c.Verify(ctx, q)
	if ok || err == nil {
		t.Fatalf("Verify = %v, %v; want an error", ok, err)
	}
	// The audit write outlives the caller's context.
	findEvent(t, b.audit, "cancel-1")
}

// failFirst answers 503 to the first n requests, then lets them through.
func failFirst(n int64, status int) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		var seen atomic.Int64
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if seen.Add(1) <= n {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				w.Write([]byte(`{"error":{"code":"service_unavailable","message":"transient"}}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func TestRetry(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			c, b := setup(t, setupOpts{front: failFirst(1, status)})
			ok, err := c.Verify(t.Context(), guide())
			if err != nil || !ok {
				t.Fatalf("Verify after one %d = %v, %v; want true", status, ok, err)
			}
			if n := b.requests.n.Load(); n != 2 {
				t.Fatalf("%d requests, want 2", n)
			}
		})
	}
	t.Run("three failures", func(t *testing.T) {
		t.Parallel()
		c, b := setup(t, setupOpts{front: failFirst(3, http.StatusServiceUnavailable)})
		_, err := c.Verify(t.Context(), guide())
		wantErr(t, err, motcua.EUNAVAILABLE, popdb.CodeUnavailable)
		if n := b.requests.n.Load(); n != 3 {
			t.Fatalf("%d requests, want 3", n)
		}
	})
	t.Run("500 is not retried", func(t *testing.T) {
		t.Parallel()
		c, b := setup(t, setupOpts{front: failFirst(1, http.StatusInternalServerError)})
		_, err := c.Verify(t.Context(), guide())
		wantErr(t, err, motcua.EUNAVAILABLE, popdb.CodeUnavailable)
		if n := b.requests.n.Load(); n != 1 {
			t.Fatalf("%d requests, want 1", n)
		}
	})
}

// Answers outside the contract are errors, never "no match".
func TestProtocolErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		front func(http.Handler) http.Handler
		base  string
	}{
		{name: "wrong base path", base: "/not-the-service"},
		{name: "empty object", front: answer(http.StatusOK, `{}`)},
		{name: "html page", front: answer(http.StatusOK, `<html>Cổng dịch vụ công</html>`)},
		{name: "other request id", front: answer(http.StatusOK, `{"request_id":"someone-else","exists":false}`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _ := setup(t, setupOpts{front: tc.front, config: func(cfg *popdb.Config) { cfg.BaseURL += tc.base }})
			ok, err := c.Verify(t.Context(), guide())
			if ok {
				t.Fatal("Verify = true")
			}
			wantErr(t, err, motcua.EINTERNAL, popdb.CodeProtocol)
		})
	}
}

func answer(status int, body string) func(http.Handler) http.Handler {
	return func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			w.Write([]byte(body))
		})
	}
}

func TestAudit(t *testing.T) {
	t.Parallel()
	c, b := setup(t, setupOpts{})

	q := guide()
	q.RequestID = "audit-verify"
	q.ServiceCode = "1.001193.000.00.00.H08"
	if ok, err := c.Verify(t.Context(), q); err != nil || !ok {
		t.Fatalf("Verify = %v, %v", ok, err)
	}
	e := findEvent(t, b.audit, "audit-verify")
	want := motcua.AuditEvent{
		ActorKind: "officer", ActorID: "canbo.tiepnhan01", AgencyCode: demo.TownCode,
		Action: "popdb.verify", ObjectKind: "citizen", ObjectID: demo.GuideCitizenID,
		SubjectCode: demo.GuideCitizenID, DossierID: "000.23.01.H08-250301-0001",
		Detail: "purpose=counter result=match request_id=audit-verify service_code=1.001193.000.00.00.H08",
	}
	if e != want {
		t.Fatalf("audit event\n got %+v\nwant %+v", e, want)
	}

	// A check by old CMND is still logged against the owner's personal id.
	q = popdb.Query{Purpose: popdb.PurposeOnlineSubmission, ActorID: "citizen-42", RequestID: "audit-cmnd",
		LegacyID: "215432109", FullName: "Đỗ Văn Thịnh", BirthDate: date(1998, time.August, 22)}
	if ok, err := c.Verify(t.Context(), q); err != nil || !ok {
		t.Fatalf("Verify = %v, %v", ok, err)
	}
	e = findEvent(t, b.audit, "audit-cmnd")
	if e.ActorKind != "citizen" || e.ObjectID != "215432109" || e.SubjectCode != demo.PetrolOwnerID ||
		e.Detail != "purpose=online_submission result=match request_id=audit-cmnd" {
		t.Fatalf("audit event %+v", e)
	}

	// An agency system's result push for a person motcua has not met.
	q = guide()
	q.RequestID, q.Purpose, q.ActorKind, q.ActorID, q.DossierID = "audit-push", popdb.PurposeResultPush, "", "client:hotich.thitran", ""
	if c, err := c.Lookup(t.Context(), q); err != nil || c.PersonalID != demo.GuideCitizenID {
		t.Fatalf("Lookup for a result push = %+v, %v", c, err)
	}
	if e := findEvent(t, b.audit, "audit-push"); e.ActorKind != popdb.ActorIntegrator || e.ActorID != "client:hotich.thitran" ||
		e.Action != "popdb.lookup" || e.SubjectCode != demo.GuideCitizenID || !strings.HasPrefix(e.Detail, "purpose=result_push result=found") {
		t.Fatalf("audit event %+v", e)
	}

	q = popdb.Query{Purpose: popdb.PurposeOnlineSubmission, ActorID: "citizen-42", RequestID: "audit-map",
		LegacyID: "215432109", FullName: "Đỗ Văn Thịnh", BirthDate: date(1998, time.August, 22)}
	if _, err := c.MapLegacyID(t.Context(), q); err != nil {
		t.Fatal(err)
	}
	if e := findEvent(t, b.audit, "audit-map"); e.Action != "popdb.map_legacy_id" || e.SubjectCode != demo.PetrolOwnerID ||
		!strings.Contains(e.Detail, "result=found") {
		t.Fatalf("audit event %+v", e)
	}

	q.RequestID = "audit-map-unknown"
	q.LegacyID = "219999999"
	if _, err := c.MapLegacyID(t.Context(), q); !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatalf("err = %v", err)
	}
	if e := findEvent(t, b.audit, "audit-map-unknown"); !strings.Contains(e.Detail, "result=not_found") {
		t.Fatalf("audit event %+v", e)
	}

	// Generated request ids are unique.
	before := len(b.audit.all())
	for range 2 {
		if _, err := c.Lookup(t.Context(), guide()); err != nil {
			t.Fatal(err)
		}
	}
	events := b.audit.all()[before:]
	if len(events) != 2 || events[0].Detail == events[1].Detail || !strings.Contains(events[0].Detail, "request_id=") {
		t.Fatalf("events %+v", events)
	}
}

func TestAuditFailureWithholdsAnswer(t *testing.T) {
	t.Parallel()
	c, b := setup(t, setupOpts{})
	b.audit.fail = errors.New("disk full")
	ok, err := c.Verify(t.Context(), guide())
	if ok {
		t.Fatal("Verify = true although the read could not be logged")
	}
	wantErr(t, err, motcua.EINTERNAL, popdb.CodeAuditFailed)
	got, err := c.Lookup(t.Context(), guide())
	if got != nil {
		t.Fatal("Lookup returned a record although the read could not be logged")
	}
	wantErr(t, err, motcua.EINTERNAL, popdb.CodeAuditFailed)
}

func TestNoAuditStore(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, setupOpts{config: func(cfg *popdb.Config) { cfg.Audit = nil }})
	if ok, err := c.Verify(t.Context(), guide()); err != nil || !ok {
		t.Fatalf("Verify = %v, %v", ok, err)
	}
}

func TestNewClientConfig(t *testing.T) {
	t.Parallel()
	for _, cfg := range []popdb.Config{
		{BaseURL: "", ClientID: "a", ClientSecret: "b"},
		{BaseURL: "lgsp.example.gov.vn", ClientID: "a", ClientSecret: "b"},
		{BaseURL: "ftp://lgsp.example.gov.vn", ClientID: "a", ClientSecret: "b"},
		{BaseURL: "https://lgsp.example.gov.vn", ClientID: "", ClientSecret: "b"},
		{BaseURL: "https://lgsp.example.gov.vn", ClientID: "a", ClientSecret: ""},
		{BaseURL: "https://lgsp.example.gov.vn", ClientID: "a", ClientSecret: "b", Timeout: -time.Second},
	} {
		if _, err := popdb.NewClient(cfg); err == nil {
			t.Errorf("NewClient(%+v) succeeded", cfg)
		}
	}
}

func TestSplitFullName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ full, family, middle, given string }{
		{"Trần Văn Hùng", "Trần", "Văn", "Hùng"},
		{"Phạm Thị Hồng Nhung", "Phạm", "Thị Hồng", "Nhung"},
		{"  Lê   Lợi ", "Lê", "", "Lợi"},
		{"Bảy", "", "", "Bảy"},
		{"", "", "", ""},
	} {
		f, m, g := popdb.SplitFullName(tc.full)
		if f != tc.family || m != tc.middle || g != tc.given {
			t.Errorf("SplitFullName(%q) = %q, %q, %q", tc.full, f, m, g)
		}
	}
}

func findEvent(t *testing.T, a *memAudit, requestID string) motcua.AuditEvent {
	t.Helper()
	for _, e := range a.all() {
		if strings.Contains(e.Detail+" ", "request_id="+requestID+" ") {
			return e
		}
	}
	t.Fatalf("no audit event for request %s in %+v", requestID, a.all())
	return motcua.AuditEvent{}
}
