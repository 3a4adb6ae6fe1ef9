package service_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/service"
)

// adminTree adds a district under the fixture's agency (the root of its
// tree, so its administrator is the province's) and returns the province
// administrator, a district administrator and a province officer without
// the role.
func adminTree(t *testing.T, f *fixture) (province, district, desk *motcua.Principal) {
	t.Helper()
	const districtCode = "000.00.31.H08"
	if err := f.store.CreateAgency(context.Background(), &motcua.Agency{Code: districtCode, Name: "UBND huyện Hoài Ân",
		Level: motcua.LevelDistrict, ParentCode: agencyCode}); err != nil {
		t.Fatal(err)
	}
	return officerOf(agencyCode, "quantri.tinh", motcua.RoleAdmin), officerOf(districtCode, "quantri.huyen", motcua.RoleAdmin),
		officerOf(agencyCode, "tiepnhan.tinh", motcua.RoleReception)
}

func signWith(t *testing.T, leaf *pdfsigtest.Leaf, text string) []byte {
	t.Helper()
	in := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: text})
	var out bytes.Buffer
	if err := pdfsig.Sign(&out, bytes.NewReader(in), int64(len(in)), pdfsig.SignOptions{Key: leaf.Key, Cert: leaf.Cert, Chain: leaf.Chain}); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func checkReason(t *testing.T, v service.PDFVerifier, pdf []byte) string {
	t.Helper()
	c, err := v.Check(context.Background(), pdf)
	if err != nil {
		t.Fatal(err)
	}
	if c.Valid() {
		return "valid"
	}
	return c.Reason
}

// TestTrustAnchorsTakeEffect: a CA uploaded by the province administrator
// makes the PDFs signed under it trusted at once on the node that took
// it and, after the refresh interval, on another node sharing the
// database; disabling it makes them untrusted again; the configured
// anchors keep working throughout; every change is audited with its
// before and after.
func TestTrustAnchorsTakeEffect(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	province, district, desk := adminTree(t, f)
	configured := pdfsigtest.NewHierarchy(t, time.Now())
	uploaded := pdfsigtest.NewHierarchy(t, time.Now())
	base := pdfsig.Options{TrustAnchors: []*x509.Certificate{configured.Root.Cert}, Revocation: pdfsig.RevocationOff}
	clk := &clock{t: time.Now()}
	nodeA, err := service.NewTrustAnchors(f.store, base, service.TrustAnchorsConfig{Refresh: time.Minute, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	nodeB, err := service.NewTrustAnchors(f.store, base, service.TrustAnchorsConfig{Refresh: time.Minute, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	configuredPDF := signWith(t, configured.Agency, "configured")
	pdf := signWith(t, uploaded.Agency, "uploaded")
	both := func(want string) {
		t.Helper()
		for name, v := range map[string]service.PDFVerifier{"node A": nodeA, "node B": nodeB} {
			if got := checkReason(t, v, pdf); got != want {
				t.Fatalf("%s: PDF under the uploaded CA = %s, want %s", name, got, want)
			}
			if got := checkReason(t, v, configuredPDF); got != "valid" {
				t.Fatalf("%s: PDF under the configured CA = %s", name, got)
			}
		}
	}
	both("untrusted_signer")

	rootPEM := pdfsigtest.CertPEM(uploaded.Root.Cert)
	refusals := []struct {
		name string
		p    *motcua.Principal
		data []byte
		code string
	}{
		{"district administrator", district, rootPEM, "province_admin_only"},
		{"officer without the role", desk, rootPEM, "forbidden"},
		{"anonymous", nil, rootPEM, "login_required"},
		{"signer's certificate", province, pdfsigtest.CertPEM(uploaded.Agency.Cert), "not_a_ca_certificate"},
		{"garbage", province, []byte("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"), "certificate_unreadable"},
		{"a PDF", province, pdf, "certificate_unreadable"},
		{"nothing", province, nil, "certificate_required"},
		{"two certificates", province, pdfsigtest.CertPEM(uploaded.Root.Cert, uploaded.Intermediate.Cert), "several_certificates"},
	}
	for _, r := range refusals {
		if _, err := nodeA.Add(ctx, r.p, r.data); motcua.ErrorCode(err) != r.code {
			t.Fatalf("%s: %v, want %s", r.name, err, r.code)
		}
	}
	if _, err := nodeA.Add(ctx, province, pdfsigtest.CertPEM(uploaded.Agency.Cert)); !strings.Contains(motcua.ErrorMessage(err), "không phải là chứng thư của tổ chức cung cấp dịch vụ chứng thực") {
		t.Fatalf("non-CA message = %q", motcua.ErrorMessage(err))
	}
	both("untrusted_signer")

	a, err := nodeA.Add(ctx, province, rootPEM)
	if err != nil {
		t.Fatal(err)
	}
	if a.Fingerprint != motcua.CertificateFingerprint(uploaded.Root.Cert.Raw) || !strings.Contains(a.Subject, "RootCA chuyên dùng Chính phủ G2") ||
		a.Subject != a.Issuer || a.Serial == "" || !a.NotAfter.After(a.NotBefore) || a.AddedBy != "officer:quantri.tinh" || a.Disabled {
		t.Fatalf("anchor = %+v", a)
	}
	_, err = nodeA.Add(ctx, province, uploaded.Root.Cert.Raw) // the same, as DER
	wantCode(t, err, "trust_anchor_exists")
	if got := checkReason(t, nodeA, pdf); got != "valid" {
		t.Fatalf("node A after the upload: %s", got)
	}
	if got := checkReason(t, nodeB, pdf); got != "untrusted_signer" {
		t.Fatalf("node B before its refresh: %s", got)
	}
	clk.Add(time.Minute)
	both("valid")

	// A district administrator sees the list but cannot change it.
	list, err := nodeB.List(ctx, district)
	if err != nil || len(list) != 1 || list[0].Fingerprint != a.Fingerprint {
		t.Fatalf("district list = %+v, %v", list, err)
	}
	_, err = nodeB.List(ctx, desk)
	wantCode(t, err, "forbidden")
	_, err = nodeB.SetDisabled(ctx, district, a.Fingerprint, true)
	wantCode(t, err, "province_admin_only")
	_, err = nodeB.SetDisabled(ctx, province, strings.Repeat("0", 64), true)
	wantCode(t, err, "trust_anchor_not_found")

	got, err := nodeB.SetDisabled(ctx, province, strings.ToUpper(a.Fingerprint), true)
	if err != nil || !got.Disabled {
		t.Fatalf("disable = %+v, %v", got, err)
	}
	if got := checkReason(t, nodeB, pdf); got != "untrusted_signer" {
		t.Fatalf("node B after disabling: %s", got)
	}
	clk.Add(time.Minute)
	both("untrusted_signer")
	if _, err := nodeA.SetDisabled(ctx, province, a.Fingerprint, false); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Minute)
	both("valid")

	// An intermediate CA alone is enough as an anchor.
	other := pdfsigtest.NewHierarchy(t, time.Now())
	otherPDF := signWith(t, other.Agency, "intermediate")
	if got := checkReason(t, nodeA, otherPDF); got != "untrusted_signer" {
		t.Fatalf("before the intermediate: %s", got)
	}
	if _, err := nodeA.Add(ctx, province, other.Intermediate.Cert.Raw); err != nil {
		t.Fatal(err)
	}
	if got := checkReason(t, nodeA, otherPDF); got != "valid" {
		t.Fatalf("after the intermediate: %s", got)
	}

	events, err := f.store.ListAudit(ctx, motcua.AuditFilter{ObjectKind: "trust_anchor"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, " ") != "trust_anchor.add trust_anchor.enable trust_anchor.disable trust_anchor.add" {
		t.Fatalf("audit = %v", actions)
	}
	if d := events[2].Detail; !strings.Contains(d, `"before":{`) || !strings.Contains(d, `"enabled":true`) || !strings.Contains(d, `"enabled":false`) ||
		events[2].ActorID != "officer:quantri.tinh" || events[2].ObjectID != a.Fingerprint {
		t.Fatalf("disable audit = %+v", events[2])
	}
	if d := events[3].Detail; !strings.Contains(d, `"before":null`) || !strings.Contains(d, "RootCA chuyên dùng Chính phủ G2") {
		t.Fatalf("add audit = %s", d)
	}
}

// TestHolidaysMoveDueDates: a day off added by the province administrator
// moves the due date of the next receipt, on the node that added it at
// once and on another after its refresh; removing it moves it back.
func TestHolidaysMoveDueDates(t *testing.T) {
	t.Parallel()
	f, _, d := receptionFixture(t)
	ctx := context.Background()
	province, district, _ := adminTree(t, f.fixture)
	clk := &clock{t: time.Now()}
	nodeA := service.NewHolidays(f.store, motcua.NewCalendar(nil, nil), service.HolidaysConfig{Refresh: time.Minute, Now: clk.Now})
	nodeB := service.NewHolidays(f.store, motcua.NewCalendar(nil, nil), service.HolidaysConfig{Refresh: time.Minute, Now: clk.Now})
	// Received on Wednesday 20/03/2024 at 15:00 with one working day to go.
	received := f.clock.Now()
	thursday := motcua.Date{Year: 2024, Month: 3, Day: 21}
	due := func(src motcua.CalendarSource) motcua.Date {
		return motcua.DateOf(src.Calendar(ctx).AddWorkingDays(received, 1))
	}
	if due(nodeA) != thursday || due(nodeB) != thursday {
		t.Fatalf("due before the holiday = %s / %s", due(nodeA), due(nodeB))
	}

	_, err := nodeA.Put(ctx, district, motcua.Holiday{Date: thursday, Name: "Ngày nghỉ bù"})
	wantCode(t, err, "province_admin_only")
	_, err = nodeA.Put(ctx, province, motcua.Holiday{Name: "Không có ngày"})
	wantCode(t, err, "date_required")
	if _, err := nodeA.Put(ctx, province, motcua.Holiday{Date: thursday, Name: " Ngày nghỉ bù "}); err != nil {
		t.Fatal(err)
	}
	friday := motcua.Date{Year: 2024, Month: 3, Day: 22}
	if due(nodeA) != friday || due(nodeB) != thursday {
		t.Fatalf("due after the holiday: node A %s, node B before its refresh %s", due(nodeA), due(nodeB))
	}
	clk.Add(time.Minute)
	if due(nodeB) != friday {
		t.Fatalf("node B after its refresh: %s", due(nodeB))
	}

	// The receipt itself takes the calendar in force.
	rec := service.NewReception(f.store, nodeB, "http://motcua.test", f.clock.Now)
	got, err := rec.Transition(ctx, officerOf(agencyCode, "tiepnhan.anhoa", motcua.RoleReception), d.Code, motcua.StatusReceived, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 3, 22, 15, 0, 0, 0, motcua.VietnamLocation()); !got.DueAt.Equal(want) {
		t.Fatalf("due date of the receipt = %s, want %s", got.DueAt.In(motcua.VietnamLocation()), want)
	}

	// A make-up Saturday counts as a working day.
	saturday := motcua.Date{Year: 2024, Month: 3, Day: 23}
	if _, err := nodeA.Put(ctx, province, motcua.Holiday{Date: saturday, Working: true, Name: "Làm bù"}); err != nil {
		t.Fatal(err)
	}
	if got := motcua.DateOf(nodeA.Calendar(ctx).AddWorkingDays(received, 2)); got != saturday {
		t.Fatalf("two working days with the make-up Saturday = %s", got)
	}
	year, err := nodeA.Year(ctx, district, 2024)
	if err != nil || len(year.Entries) != 2 || len(year.DaysOff) != 1 || year.DaysOff[0] != thursday ||
		len(year.WorkingWeekends) != 1 || year.WorkingWeekends[0] != saturday || year.Entries[0].Name != "Ngày nghỉ bù" {
		t.Fatalf("year = %+v, %v", year, err)
	}

	err = nodeA.Delete(ctx, district, thursday)
	wantCode(t, err, "province_admin_only")
	if err := nodeA.Delete(ctx, province, thursday); err != nil {
		t.Fatal(err)
	}
	wantCode(t, nodeA.Delete(ctx, province, thursday), "holiday_not_found")
	if due(nodeA) != thursday {
		t.Fatalf("due after removing the holiday = %s", due(nodeA))
	}
	events, err := f.store.ListAudit(ctx, motcua.AuditFilter{ObjectKind: "holiday"})
	if err != nil || len(events) != 3 || events[0].Action != "holiday.delete" || !strings.Contains(events[0].Detail, `"after":null`) ||
		!strings.Contains(events[0].Detail, "Ngày nghỉ bù") || events[2].Action != "holiday.put" || !strings.Contains(events[2].Detail, `"before":null`) {
		t.Fatalf("audit = %+v, %v", events, err)
	}
}
