package service_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/service"
)

type certificationFixture struct {
	*warehouseFixture
	c       *service.Certification
	officer *motcua.Principal
	scan    []byte // an unsigned one-page scan
}

func setupCertification(t *testing.T) *certificationFixture {
	t.Helper()
	return setupCertificationOn(t, setupWarehouse(t))
}

func setupCertificationOn(t *testing.T, wf *warehouseFixture) *certificationFixture {
	t.Helper()
	keys := service.NewKeys()
	leaf := wf.sig.h.Agency
	keys.Set(agencyCode, &service.AgencySigner{Key: leaf.Key, Cert: leaf.Cert, Chain: leaf.Chain, Location: "An Lão, Bình Định"})
	// The test CA's certificates are valid around today: sign at today's time.
	c, err := service.NewCertification(wf.store, wf.w, keys, service.CertificationConfig{Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &certificationFixture{warehouseFixture: wf, c: c,
		officer: &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "chungthuc.anhoa", Name: "Võ Minh Tuấn",
			AgencyCode: agencyCode, Roles: []motcua.Role{motcua.RoleCertification}},
		scan: pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay khai sinh ban chinh"})}
}

func leafName(f *certificationFixture) string { return f.sig.h.Agency.Cert.Subject.CommonName }

func (f *certificationFixture) request() service.CertifyRequest {
	return service.CertifyRequest{RequesterCode: "052090000495", OriginalName: "Giấy khai sinh", OriginalCategory: f.catKS,
		OriginalNumber: "123/2019", Pages: 1, Scan: service.Upload{Name: "scan.pdf", Data: f.scan}}
}

func TestCertificationIssue(t *testing.T) {
	t.Parallel()
	f := setupCertification(t)
	ctx := context.Background()
	got, err := f.c.Issue(ctx, f.officer, f.request())
	if err != nil {
		t.Fatal(err)
	}
	d, e := got.Document, got.Entry
	today := motcua.DateOf(time.Now())
	if d.Code != "052090000495.KQ.G15.000031.123-2019.STP-SCT.01" || d.CategoryCode != motcua.CertifiedCopyCategory ||
		d.Warehouse != motcua.WarehouseAgency || d.IssuerCode != agencyCode || !d.Visible || !d.Shared ||
		d.OwnerName != "Nguyễn Văn An" || d.IssuedOn != today ||
		d.ExpiresOn != motcua.DateOf(today.Time().AddDate(0, 6, 0)) || d.Signature.Status != "valid" {
		t.Fatalf("document = %+v", d)
	}
	if e.Number != 1 || e.Year != motcua.LocalDay(time.Now()).Year() || e.FeeVND != 2000 || e.DocumentID != d.ID ||
		e.OriginalCode != "KQ.G15.000031.123-2019" || e.OfficerName != "Võ Minh Tuấn" || e.RequesterName != "Nguyễn Văn An" {
		t.Fatalf("entry = %+v", e)
	}
	// The copy is in the owner's warehouse, signed by the agency in the
	// officer's name.
	stored, err := f.store.GetDocumentByCode(ctx, d.Code)
	if err != nil || stored.OwnerCode != "052090000495" || stored.DecisionNumber != "Số chứng thực "+e.BookReference() {
		t.Fatalf("stored copy %+v, %v", stored, err)
	}
	rc, err := f.blobs.Open(ctx, stored.File.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(rc)
	rc.Close()
	rep, err := f.sig.verifier.VerifyBytes(ctx, data)
	if err != nil || rep.Status != pdfsig.StatusValid || len(rep.Signatures) != 1 || rep.Signatures[0].SignerName != leafName(f) {
		t.Fatalf("signature of the copy: %+v, %v", rep, err)
	}
	// The book and the audit log record it.
	book, err := f.c.Book(ctx, f.officer, e.Year)
	if err != nil || len(book) != 1 || book[0].DocumentCode != d.Code {
		t.Fatalf("book = %v, %v", book, err)
	}
	events, err := f.store.ListAudit(ctx, motcua.AuditFilter{ObjectID: d.ID})
	if err != nil || len(events) != 1 || events[0].Action != "certification.issue" || events[0].ActorID != "chungthuc.anhoa" {
		t.Fatalf("audit = %v, %v", events, err)
	}

	// A second copy of the same original gets the next counter and number.
	r := f.request()
	r.Pages = 1
	again, err := f.c.Issue(ctx, f.officer, r)
	if err != nil {
		t.Fatal(err)
	}
	if again.Document.Code != "052090000495.KQ.G15.000031.123-2019.STP-SCT.02" || again.Entry.Number != 2 {
		t.Fatalf("second copy %s number %d", again.Document.Code, again.Entry.Number)
	}
}

func TestCertificationRefusals(t *testing.T) {
	t.Parallel()
	f := setupCertification(t)
	ctx := context.Background()
	reception := &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "tiepnhan", Name: "Lê Thị Hoa",
		AgencyCode: agencyCode, Roles: []motcua.Role{motcua.RoleReception}}
	noKey := *f.officer
	noKey.AgencyCode = "000.23.04.H08"
	if err := f.store.CreateAgency(ctx, &motcua.Agency{Code: noKey.AgencyCode, Name: "UBND xã An Dũng", Level: motcua.LevelCommune}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		p      *motcua.Principal
		change func(r *service.CertifyRequest)
		code   string
	}{
		{"not logged in", nil, nil, "login_required"},
		{"citizen", f.owner, nil, "forbidden"},
		{"wrong role", reception, nil, "forbidden"},
		{"no requester", f.officer, func(r *service.CertifyRequest) { r.RequesterCode = " " }, "requester_required"},
		{"bad requester", f.officer, func(r *service.CertifyRequest) { r.RequesterCode = "12345" }, "invalid_requester_code"},
		{"unknown requester", f.officer, func(r *service.CertifyRequest) { r.RequesterCode = "052090000999" }, "unknown_requester"},
		{"no original name", f.officer, func(r *service.CertifyRequest) { r.OriginalName = "" }, "original_name_required"},
		{"unknown category", f.officer, func(r *service.CertifyRequest) { r.OriginalCategory = "KQ.G99.000001" }, "unknown_category"},
		{"no number", f.officer, func(r *service.CertifyRequest) { r.OriginalNumber = "  " }, "original_number_required"},
		{"zero pages", f.officer, func(r *service.CertifyRequest) { r.Pages = 0 }, "invalid_pages"},
		{"no file", f.officer, func(r *service.CertifyRequest) { r.Scan = service.Upload{} }, "file_required"},
		{"not a pdf", f.officer, func(r *service.CertifyRequest) {
			r.Scan = service.Upload{Name: "anh.jpg", Data: []byte("\xff\xd8\xff\xe0 JFIF")}
		}, "not_pdf"},
		{"broken pdf", f.officer, func(r *service.CertifyRequest) {
			r.Scan = service.Upload{Name: "hong.pdf", Data: f.scan[:len(f.scan)/2]}
		}, "unreadable_pdf"},
		{"too large", f.officer, func(r *service.CertifyRequest) {
			r.Scan = service.Upload{Name: "lon.pdf", Data: append([]byte("%PDF-1.7\n"), make([]byte, 3<<20)...)}
		}, "too_large"},
		{"pages differ", f.officer, func(r *service.CertifyRequest) { r.Pages = 3 }, "pages_mismatch"},
		{"no signing key", &noKey, nil, "signing_key_missing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := f.request()
			if c.change != nil {
				c.change(&r)
			}
			_, err := f.c.Issue(ctx, c.p, r)
			wantCode(t, err, c.code)
			if msg := motcua.ErrorMessage(err); msg == "" || strings.Contains(msg, "internal") {
				t.Fatalf("message %q", msg)
			}
		})
	}
	// Nothing was issued or recorded.
	_, total, err := f.store.ListDocuments(ctx, motcua.DocumentFilter{OwnerCode: "052090000495"})
	if err != nil || total != 0 {
		t.Fatalf("refusals left %d documents (%v)", total, err)
	}
	book, err := f.c.Book(ctx, f.officer, motcua.LocalDay(time.Now()).Year())
	if err != nil || len(book) != 0 {
		t.Fatalf("refusals left %d book entries (%v)", len(book), err)
	}
	// Only certifying officers read the book.
	_, err = f.c.Book(ctx, reception, 2026)
	wantCode(t, err, "forbidden")
}

// failingBook is a store whose certification book fails to write, as a
// crash between the two writes would.
type failingBook struct{ motcua.Store }

var errCrash = errors.New("crash")

func (s failingBook) InTx(ctx context.Context, fn func(tx motcua.Store) error) error {
	return s.Store.InTx(ctx, func(tx motcua.Store) error { return fn(failingBook{tx}) })
}

func (s failingBook) CreateCertificationEntry(context.Context, *motcua.CertificationEntry) error {
	return motcua.Internal(errCrash)
}

// TestCertificationAtomic: when the book entry cannot be written, the
// copy is not in the warehouse either.
func TestCertificationAtomic(t *testing.T) {
	t.Parallel()
	wf := setupWarehouse(t)
	wf.store = failingBook{wf.store}
	wf.w = service.NewWarehouse(wf.store, wf.blobs, wf.sig.verifier, service.WarehouseConfig{MaxFileSize: 2 << 20})
	f := setupCertificationOn(t, wf)
	ctx := context.Background()
	if _, err := f.c.Issue(ctx, f.officer, f.request()); !errors.Is(err, errCrash) {
		t.Fatalf("Issue = %v, want the crash", err)
	}
	_, total, err := f.store.ListDocuments(ctx, motcua.DocumentFilter{OwnerCode: "052090000495"})
	if err != nil || total != 0 {
		t.Fatalf("a copy without its book entry is in the warehouse (%d, %v)", total, err)
	}
	events, err := f.store.ListAudit(ctx, motcua.AuditFilter{SubjectCode: "052090000495"})
	if err != nil || len(events) != 0 {
		t.Fatalf("audit of a failed issue: %v, %v", events, err)
	}
}

func TestCertificationConfig(t *testing.T) {
	t.Parallel()
	f := setupWarehouse(t)
	bad := motcua.CertificationFees{FirstPageVND: -5}
	if _, err := service.NewCertification(f.store, f.w, service.NewKeys(), service.CertificationConfig{Fees: &bad}); err == nil {
		t.Fatal("a negative fee was accepted")
	}
	fees := motcua.CertificationFees{FirstPages: 1, FirstPageVND: 5000, LaterPageVND: 100, MaxPerCopyVND: 5050}
	c, err := service.NewCertification(f.store, f.w, service.NewKeys(), service.CertificationConfig{Fees: &fees})
	if err != nil || c.Fees().Fee(3) != 5050 {
		t.Fatalf("configured fees: %v", err)
	}
}
