// Package storetest is the one conformance suite every motcua.Store
// implementation runs: each backend's test only opens a fresh, migrated
// store and calls Run.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// NewStore returns a fresh, migrated, empty store; it registers its own cleanup.
type NewStore func(t testing.TB) motcua.Store

// Run exercises every Store method and error contract.
func Run(t *testing.T, newStore NewStore) {
	t.Run("Agencies", func(t *testing.T) { t.Parallel(); testAgencies(t, newStore) })
	t.Run("Subjects", func(t *testing.T) { t.Parallel(); testSubjects(t, newStore) })
	t.Run("Categories", func(t *testing.T) { t.Parallel(); testCategories(t, newStore) })
	t.Run("Procedures", func(t *testing.T) { t.Parallel(); testProcedures(t, newStore) })
	t.Run("ProcedureVersions", func(t *testing.T) { t.Parallel(); testProcedureVersions(t, newStore) })
	t.Run("CategoryValidity", func(t *testing.T) { t.Parallel(); testCategoryValidity(t, newStore) })
	t.Run("Documents", func(t *testing.T) { t.Parallel(); testDocuments(t, newStore) })
	t.Run("DocumentSearch", func(t *testing.T) { t.Parallel(); testDocumentSearch(t, newStore) })
	t.Run("DocumentVersions", func(t *testing.T) { t.Parallel(); testDocumentVersions(t, newStore) })
	t.Run("Dossiers", func(t *testing.T) { t.Parallel(); testDossiers(t, newStore) })
	t.Run("DossierCodeConcurrency", func(t *testing.T) { t.Parallel(); testDossierCodeConcurrency(t, newStore) })
	t.Run("DossierStatus", func(t *testing.T) { t.Parallel(); testDossierStatus(t, newStore) })
	t.Run("DossierProcessing", func(t *testing.T) { t.Parallel(); testDossierProcessing(t, newStore) })
	t.Run("Supplements", func(t *testing.T) { t.Parallel(); testSupplements(t, newStore) })
	t.Run("Audit", func(t *testing.T) { t.Parallel(); testAudit(t, newStore) })
	t.Run("AuditChain", func(t *testing.T) { t.Parallel(); testAuditChain(t, newStore) })
	t.Run("AuditTamper", func(t *testing.T) { t.Parallel(); testAuditTamper(t, newStore) })
	t.Run("Officers", func(t *testing.T) { t.Parallel(); testOfficers(t, newStore) })
	t.Run("Sessions", func(t *testing.T) { t.Parallel(); testSessions(t, newStore) })
	t.Run("LoginStates", func(t *testing.T) { t.Parallel(); testLoginStates(t, newStore) })
	t.Run("TOTPSteps", func(t *testing.T) { t.Parallel(); testTOTPSteps(t, newStore) })
	t.Run("LoginFailures", func(t *testing.T) { t.Parallel(); testLoginFailures(t, newStore) })
	t.Run("APIClients", func(t *testing.T) { t.Parallel(); testAPIClients(t, newStore) })
	t.Run("Outbox", func(t *testing.T) { t.Parallel(); testOutbox(t, newStore) })
	t.Run("OutboxConcurrentClaims", func(t *testing.T) { t.Parallel(); testOutboxConcurrentClaims(t, newStore) })
	t.Run("Drafts", func(t *testing.T) { t.Parallel(); testDrafts(t, newStore) })
	t.Run("CoApplicants", func(t *testing.T) { t.Parallel(); testCoApplicants(t, newStore) })
	t.Run("ReuseCounts", func(t *testing.T) { t.Parallel(); testReuseCounts(t, newStore) })
	t.Run("KPISnapshots", func(t *testing.T) { t.Parallel(); testKPISnapshots(t, newStore) })
	t.Run("CertificationBook", func(t *testing.T) { t.Parallel(); testCertificationBook(t, newStore) })
	t.Run("CertificationConcurrency", func(t *testing.T) { t.Parallel(); testCertificationConcurrency(t, newStore) })
	t.Run("CertifiedCopyReturn", func(t *testing.T) { t.Parallel(); testCertifiedCopyReturn(t, newStore) })
	t.Run("Transactions", func(t *testing.T) { t.Parallel(); testTransactions(t, newStore) })
	t.Run("Feedback", func(t *testing.T) { t.Parallel(); testFeedback(t, newStore) })
	t.Run("TrustAnchors", func(t *testing.T) { t.Parallel(); testTrustAnchors(t, newStore) })
	t.Run("Holidays", func(t *testing.T) { t.Parallel(); testHolidays(t, newStore) })
	t.Run("IdentityChecks", func(t *testing.T) { t.Parallel(); testIdentityChecks(t, newStore) })
	t.Run("IdentityRecheckVerifies", func(t *testing.T) { t.Parallel(); testIdentityRecheckVerifies(t, newStore) })
	t.Run("APIClientAdmin", func(t *testing.T) { t.Parallel(); testAPIClientAdmin(t, newStore) })
	t.Run("Ratings", func(t *testing.T) { t.Parallel(); testRatings(t, newStore) })
	t.Run("DemoKeys", func(t *testing.T) { t.Parallel(); testDemoKeys(t, newStore) })
	t.Run("JobLeases", func(t *testing.T) { t.Parallel(); testJobLeases(t, newStore) })
	t.Run("ReferenceDataVersion", func(t *testing.T) { t.Parallel(); testReferenceDataVersion(t, newStore) })
	t.Run("ReferencedBlobs", func(t *testing.T) { t.Parallel(); testReferencedBlobs(t, newStore) })
	t.Run("Ping", func(t *testing.T) {
		t.Parallel()
		if err := newStore(t).Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
}

// bundle is the reference data most tests need.
type bundle struct {
	province, district, commune *motcua.Agency
	citizen, other              *motcua.Subject
	birthCert, certCopy         *motcua.DocumentCategory
	marriage                    *motcua.Procedure
}

func setup(t testing.TB, newStore NewStore) (motcua.Store, *bundle) {
	t.Helper()
	s := newStore(t)
	ctx := context.Background()
	b := &bundle{
		province: &motcua.Agency{Code: "000.00.00.H08", Name: "UBND tỉnh Bình Định", Level: motcua.LevelProvince},
		district: &motcua.Agency{Code: "000.00.23.H08", Name: "UBND huyện An Lão", Level: motcua.LevelDistrict, ParentCode: "000.00.00.H08"},
		commune:  &motcua.Agency{Code: "000.23.01.H08", Name: "UBND xã An Hòa", Level: motcua.LevelCommune, ParentCode: "000.00.23.H08"},
		citizen: &motcua.Subject{Code: "052090000495", Kind: motcua.SubjectPerson, Name: "Nguyễn Văn An",
			BirthDate: motcua.Date{Year: 1990, Month: 2, Day: 3}, Phone: "0905123456"},
		other:     &motcua.Subject{Code: "052198000814", Kind: motcua.SubjectPerson, Name: "Trần Thị Bình"},
		birthCert: &motcua.DocumentCategory{Code: "KQ.G15.000031", Name: "Giấy khai sinh", PaperType: motcua.PaperResult},
		certCopy: &motcua.DocumentCategory{Code: "KQ.G15.000021", Name: "Bản sao được chứng thực từ bản chính",
			PaperType: motcua.PaperResult, ValidityDays: 180},
	}
	b.marriage = &motcua.Procedure{
		Code: "1.000894.000.00.00.H08", Name: "Đăng ký kết hôn", Field: "Hộ tịch",
		AgencyCodes: []string{b.commune.Code},
		Cases:       []motcua.ProcedureCase{{Code: "TH1", Name: "1 ngày làm việc – KHÔNG xác minh", ProcessingDays: 1}},
		Components: []motcua.ProcedureComponent{
			{Code: "TK", Name: "Tờ khai đăng ký kết hôn", Required: true, Form: motcua.FormOriginal},
			{Code: "KS", Name: "Giấy khai sinh", Required: false, Form: motcua.FormCopy,
				Categories: []string{b.birthCert.Code, b.certCopy.Code}},
		},
	}
	for _, a := range []*motcua.Agency{b.province, b.district, b.commune} {
		must(t, s.CreateAgency(ctx, a))
	}
	for _, sub := range []*motcua.Subject{b.citizen, b.other} {
		must(t, s.CreateSubject(ctx, sub))
	}
	for _, c := range []*motcua.DocumentCategory{b.birthCert, b.certCopy} {
		must(t, s.CreateCategory(ctx, c))
	}
	must(t, s.CreateProcedure(ctx, b.marriage))
	return s, b
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantErr fails unless err is an *motcua.Error of kind with code (code "" = any).
func wantErr(t *testing.T, err error, kind, code string) {
	t.Helper()
	var e *motcua.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v (%T), want *motcua.Error kind %s code %s", err, err, kind, code)
	}
	if e.Kind != kind || (code != "" && e.Code != code) {
		t.Fatalf("got error kind %s code %s (%v), want kind %s code %s", e.Kind, e.Code, e, kind, code)
	}
	if e.Message == "" {
		t.Fatalf("error %v has no user message", e)
	}
}

// fileCounter makes each test document's file distinct.
var fileCounter atomic.Int64

// newDocument returns a valid, not yet stored document of owner.
func newDocument(b *bundle, owner *motcua.Subject, cat *motcua.DocumentCategory, number string) *motcua.Document {
	code := owner.Code + "." + cat.Code + "." + number
	n := fileCounter.Add(1)
	return &motcua.Document{
		Code: code, OwnerCode: owner.Code, OwnerName: owner.Name,
		Warehouse: motcua.WarehouseAgency, PaperType: motcua.PaperResult, CategoryCode: cat.Code,
		Name:           motcua.DefaultDocumentName(code, cat.Name),
		DecisionNumber: "QĐ-" + number, Summary: "Trích yếu " + cat.Name,
		IssuerCode: b.commune.Code, IssuedOn: motcua.Date{Year: 2024, Month: 2, Day: 2},
		File:      motcua.File{Name: number + ".pdf", Size: 1000 + n, SHA256: fmt.Sprintf("%064x", n)},
		Signature: motcua.SignatureSummary{Status: "valid", Signer: "UBND xã An Hòa", SigningTime: time.Date(2024, 2, 2, 3, 4, 5, 0, time.UTC)},
		Visible:   true, Shared: true, Status: motcua.DocumentValid,
	}
}

func newDossier(b *bundle, at time.Time) *motcua.Dossier {
	p := motcua.Person{Code: b.citizen.Code, Name: b.citizen.Name, BirthDate: b.citizen.BirthDate}
	return &motcua.Dossier{
		ProcedureCode: b.marriage.Code, CaseCode: "TH1", AgencyCode: b.commune.Code,
		District: "Huyện An Lão", Ward: "Xã An Hòa", Submitter: p, Owner: p,
		Channel: motcua.ChannelOnline, ResultMethod: motcua.ResultOnline, Status: motcua.StatusRegistered,
		Components: []motcua.DossierComponent{
			{Code: "TK", Name: "Tờ khai", Required: true, Digitization: motcua.Digitized,
				Attachments: []motcua.Attachment{{Source: motcua.Uploaded, File: motcua.File{Name: "tk.pdf", Size: 10, SHA256: strings.Repeat("a", 64)}}}},
		},
		SubmittedAt: at,
	}
}
