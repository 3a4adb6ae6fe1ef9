package service_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/pdfsig"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/service"
)

// signer makes signed PDFs with the test CA, which the verifier trusts.
type signer struct {
	h        *pdfsigtest.Hierarchy
	verifier *pdfsig.Verifier
}

var (
	signerOnce sync.Once
	shared     *signer
)

func newSigner(t testing.TB) *signer {
	t.Helper()
	signerOnce.Do(func() {
		h := pdfsigtest.NewHierarchy(t, time.Now())
		v, err := pdfsig.NewVerifier(pdfsig.Options{TrustAnchors: []*x509.Certificate{h.Root.Cert}, Revocation: pdfsig.RevocationOff})
		if err != nil {
			t.Fatal(err)
		}
		shared = &signer{h: h, verifier: v}
	})
	return shared
}

func (s *signer) pdf(t testing.TB, text string) []byte {
	t.Helper()
	return s.sign(t, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: text}))
}

func (s *signer) sign(t testing.TB, in []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	leaf := s.h.Agency
	if err := pdfsig.Sign(&out, bytes.NewReader(in), int64(len(in)), pdfsig.SignOptions{Key: leaf.Key, Cert: leaf.Cert,
		Chain: leaf.Chain}); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

type warehouseFixture struct {
	*fixture
	w      *service.Warehouse
	sig    *signer
	owner  *motcua.Principal
	other  *motcua.Principal
	blobs  motcua.BlobStore
	catKS  string
	catBSC string
}

func setupWarehouse(t testing.TB) *warehouseFixture {
	t.Helper()
	return setupWarehouseOn(t, setup(t))
}

func setupWarehouseOn(t testing.TB, f *fixture) *warehouseFixture {
	t.Helper()
	ctx := context.Background()
	blobs, err := blob.OpenFS(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	sig := newSigner(t)
	for _, c := range []*motcua.DocumentCategory{
		{Code: "KQ.G15.000031", Name: "Giấy khai sinh", PaperType: motcua.PaperResult},
		{Code: "KQ.G15.000021", Name: "Bản sao được chứng thực từ bản chính", PaperType: motcua.PaperResult, ValidityDays: 180},
	} {
		if err := f.store.CreateCategory(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []*motcua.Subject{
		{Code: "052090000495", Kind: motcua.SubjectPerson, Name: "Nguyễn Văn An"},
		{Code: "052198000814", Kind: motcua.SubjectPerson, Name: "Trần Thị Bình"},
	} {
		if err := f.store.CreateSubject(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	return &warehouseFixture{fixture: f, sig: sig, blobs: blobs, catKS: "KQ.G15.000031", catBSC: "KQ.G15.000021",
		w:     service.NewWarehouse(f.store, blobs, sig.verifier, service.WarehouseConfig{MaxFileSize: 2 << 20, Now: f.clock.Now}),
		owner: &motcua.Principal{Kind: motcua.PrincipalPerson, SubjectCode: "052090000495", Name: "Nguyễn Văn An"},
		other: &motcua.Principal{Kind: motcua.PrincipalPerson, SubjectCode: "052198000814", Name: "Trần Thị Bình"}}
}

func TestWarehouseAdd(t *testing.T) {
	t.Parallel()
	f := setupWarehouse(t)
	ctx := context.Background()
	pdf := f.sig.pdf(t, "Ban sao chung thuc")
	d, rep, err := f.w.Add(ctx, f.owner, service.NewDocument{CategoryCode: f.catBSC, Summary: "Bản sao giấy khai sinh",
		IssuedOn: motcua.Date{Year: 2024, Month: 2, Day: 2}, Visible: true, Shared: true,
		File: service.Upload{Name: `C:\Users\an\20CVCC01022024signed.pdf`, Data: pdf}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Code != "052090000495.KQ.G15.000021.02022024" ||
		d.Name != "052090000495.KQ.G15.000021.02022024.Bản sao được chứng thực từ bản chính" ||
		d.Warehouse != motcua.WarehousePersonal || d.File.Name != "20CVCC01022024signed.pdf" || d.File.Size != int64(len(pdf)) ||
		d.Signature.Status != "valid" || d.Signature.Signer == "" || !rep.Valid() ||
		d.ExpiresOn != (motcua.Date{Year: 2024, Month: 7, Day: 31}) {
		t.Fatalf("document = %+v", d)
	}
	// The same number again gets the .01 suffix.
	d2, _, err := f.w.Add(ctx, f.owner, service.NewDocument{CategoryCode: f.catBSC, IssuedOn: motcua.Date{Year: 2024, Month: 2, Day: 2},
		File: service.Upload{Name: "lan2.pdf", Data: f.sig.pdf(t, "Lan 2")}})
	if err != nil || d2.Code != d.Code+".01" {
		t.Fatalf("second code = %q, %v", d2.Code, err)
	}
	// A decision number becomes the code's number.
	d3, _, err := f.w.Add(ctx, f.owner, service.NewDocument{CategoryCode: f.catKS, DecisionNumber: "Số 12/QĐ-UBND",
		File: service.Upload{Name: "ks.pdf", Data: f.sig.pdf(t, "Khai sinh")}})
	if err != nil || d3.Code != "052090000495.KQ.G15.000031.SO-12-QD-UBND" {
		t.Fatalf("decision-number code = %q, %v", d3.Code, err)
	}

	rc, file, err := f.w.OpenFile(ctx, f.owner, d.ID, 0, service.Access{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, pdf) || file.SHA256 != d.File.SHA256 {
		t.Fatal("downloaded file differs from the upload")
	}
}

func TestWarehouseRefusals(t *testing.T) {
	t.Parallel()
	f := setupWarehouse(t)
	ctx := context.Background()
	good := f.sig.pdf(t, "Hop le")
	tampered := bytes.Clone(good)
	i := bytes.Index(tampered, []byte("Hop le"))
	tampered[i] = 'X'
	unsigned := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Chua ky"})
	appended := append(bytes.Clone(good), []byte("\nthem noi dung sau khi ky 123\n")...)
	cases := []struct {
		name string
		data []byte
		code string
	}{
		{"not a pdf", []byte("GIF89a day khong phai PDF"), "not_pdf"},
		{"unsigned", unsigned, "unsigned"},
		{"one byte changed", tampered, "digest_mismatch"},
		{"trailing data", appended, "modified_after_signing"},
		{"oversize", bytes.Repeat([]byte{'%'}, 2<<20+1), "too_large"},
		{"empty", nil, "file_required"},
	}
	for _, c := range cases {
		_, rep, err := f.w.Add(ctx, f.owner, service.NewDocument{CategoryCode: f.catKS, File: service.Upload{Name: "x.pdf", Data: c.data}})
		if motcua.ErrorCode(err) != c.code || motcua.ErrorKind(err) != motcua.EINVALID {
			t.Errorf("%s: got %v (code %s), want %s", c.name, err, motcua.ErrorCode(err), c.code)
			continue
		}
		if c.code != "file_required" && (rep == nil || string(rep.Reason) != c.code || !strings.Contains(motcua.ErrorMessage(err), " ")) {
			t.Errorf("%s: report %+v", c.name, rep)
		}
	}
	if _, total, _ := f.w.List(ctx, f.owner, motcua.DocumentFilter{}); total != 0 {
		t.Fatalf("refused files were stored: %d documents", total)
	}
	_, _, err := f.w.Add(ctx, f.owner, service.NewDocument{CategoryCode: "KQ.G99.000001", File: service.Upload{Name: "x.pdf", Data: good}})
	wantCode(t, err, "unknown_category")
	_, _, err = f.w.Add(ctx, f.owner, service.NewDocument{File: service.Upload{Name: "x.pdf", Data: good}})
	wantCode(t, err, "required")
	_, _, err = f.w.Add(ctx, nil, service.NewDocument{CategoryCode: f.catKS, File: service.Upload{Name: "x.pdf", Data: good}})
	wantCode(t, err, "login_required")
}

func TestWarehouseOwnership(t *testing.T) {
	t.Parallel()
	f := setupWarehouse(t)
	ctx := context.Background()
	d, _, err := f.w.Add(ctx, f.owner, service.NewDocument{CategoryCode: f.catKS, Visible: true, Shared: true,
		File: service.Upload{Name: "ks.pdf", Data: f.sig.pdf(t, "Khai sinh")}})
	if err != nil {
		t.Fatal(err)
	}
	officer := &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "cb", AgencyCode: agencyCode, Roles: []motcua.Role{motcua.RoleReception}}
	org := &motcua.Principal{Kind: motcua.PrincipalOrganisation, SubjectCode: "4100259564", Representative: f.owner.SubjectCode}
	for who, p := range map[string]*motcua.Principal{"other citizen": f.other, "officer without dossier": officer, "organisation": org} {
		_, err := f.w.Get(ctx, p, d.ID, service.Access{})
		wantCode(t, err, "document_not_found") // no existence leak
		_, _, err = f.w.OpenFile(ctx, p, d.ID, 0, service.Access{})
		wantCode(t, err, "document_not_found")
		_, err = f.w.Update(ctx, p, d.ID, service.DocumentUpdate{Summary: ptr("x")})
		wantCode(t, err, "document_not_found")
		err = f.w.Withdraw(ctx, p, d.ID)
		wantCode(t, err, "document_not_found")
		_, _, err = f.w.Replace(ctx, p, d.ID, 0, service.Upload{Name: "y.pdf", Data: f.sig.pdf(t, "y")})
		wantCode(t, err, "document_not_found")
		if _, err := f.w.AccessLog(ctx, p, d.ID); motcua.ErrorCode(err) != "document_not_found" {
			t.Errorf("%s read the access log: %v", who, err)
		}
	}
	_, err = f.w.Get(ctx, nil, d.ID, service.Access{})
	wantCode(t, err, "login_required")
	list, total, err := f.w.List(ctx, f.other, motcua.DocumentFilter{OwnerCode: f.owner.SubjectCode})
	if err != nil || total != 0 || len(list) != 0 {
		t.Fatalf("another citizen listed the owner's warehouse: %d", total)
	}
}

func ptr[T any](v T) *T { return &v }

func TestWarehouseReplaceUpdateWithdraw(t *testing.T) {
	t.Parallel()
	f := setupWarehouse(t)
	ctx := context.Background()
	first := f.sig.pdf(t, "Ban dau")
	d, _, err := f.w.Add(ctx, f.owner, service.NewDocument{CategoryCode: f.catKS, Visible: true,
		File: service.Upload{Name: "sai.pdf", Data: first}})
	if err != nil {
		t.Fatal(err)
	}
	// A tampered replacement is refused and the old file stays current.
	bad := bytes.Clone(first)
	bad[len(bad)/3] ^= 0x20
	_, _, err = f.w.Replace(ctx, f.owner, d.ID, 1, service.Upload{Name: "moi.pdf", Data: bad})
	if motcua.ErrorKind(err) != motcua.EINVALID {
		t.Fatalf("tampered replacement: %v", err)
	}
	second := f.sig.pdf(t, "Dung")
	nd, _, err := f.w.Replace(ctx, f.owner, d.ID, 1, service.Upload{Name: "dung.pdf", Data: second})
	if err != nil || nd.Version != 2 || nd.File.Name != "dung.pdf" {
		t.Fatalf("replace = %+v, %v", nd, err)
	}
	_, _, err = f.w.Replace(ctx, f.owner, d.ID, 1, service.Upload{Name: "cu.pdf", Data: f.sig.pdf(t, "cu")})
	wantCode(t, err, "stale_version")
	vs, err := f.w.Versions(ctx, f.owner, d.ID)
	if err != nil || len(vs) != 1 || vs[0].File.Name != "sai.pdf" {
		t.Fatalf("versions = %+v, %v", vs, err)
	}
	// The old version stays downloadable by the owner.
	rc, _, err := f.w.OpenFile(ctx, f.owner, d.ID, 1, service.Access{})
	if err != nil {
		t.Fatal(err)
	}
	old, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(old, first) {
		t.Fatal("version 1 content lost")
	}
	_, _, err = f.w.OpenFile(ctx, f.owner, d.ID, 7, service.Access{})
	wantCode(t, err, "version_not_found")

	up, err := f.w.Update(ctx, f.owner, d.ID, service.DocumentUpdate{Name: ptr("Giấy khai sinh của tôi"), Shared: ptr(true)})
	if err != nil || up.Name != "Giấy khai sinh của tôi" || !up.Shared {
		t.Fatalf("update = %+v, %v", up, err)
	}
	_, err = f.w.Update(ctx, f.owner, d.ID, service.DocumentUpdate{Name: ptr("  ")})
	wantCode(t, err, "required")

	if err := f.w.Withdraw(ctx, f.owner, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := f.w.List(ctx, f.owner, motcua.DocumentFilter{}); total != 0 {
		t.Fatal("a withdrawn document is still listed")
	}
	_, err = f.w.Get(ctx, f.owner, d.ID, service.Access{})
	wantCode(t, err, "document_not_found")
	if row, err := f.store.GetDocument(ctx, d.ID); err != nil || row.Status != motcua.DocumentWithdrawn {
		t.Fatalf("withdrawn row must stay for audit: %+v, %v", row, err)
	}
}

func TestAgencyPushAndPublicVerify(t *testing.T) {
	t.Parallel()
	f := setupWarehouse(t)
	ctx := context.Background()
	client := &motcua.APIClient{ID: "hotich.anhoa", Name: "Hộ tịch", AgencyCode: agencyCode, Categories: []string{"KQ.G15.000031"}}
	pdf := f.sig.pdf(t, "Giay khai sinh")
	r := service.AgencyResult{Code: "052090000495.KQ.G15.000031.KS-2024-15", OwnerName: "Nguyễn Văn An",
		DecisionNumber: "15/2024", Summary: "Đăng ký khai sinh", IssuedOn: motcua.Date{Year: 2024, Month: 3, Day: 1},
		File: service.Upload{Name: "ks.pdf", Data: pdf}}
	d, created, _, err := f.w.PushResult(ctx, client, r)
	if err != nil || !created || d.Warehouse != motcua.WarehouseAgency || d.IssuerCode != agencyCode {
		t.Fatalf("push = %+v, %v, %v", d, created, err)
	}
	again, created, _, err := f.w.PushResult(ctx, client, r)
	if err != nil || created || again.ID != d.ID {
		t.Fatalf("repeat push = %+v, %v, %v", again, created, err)
	}
	r2 := r
	r2.File.Data = f.sig.pdf(t, "Khac")
	_, _, _, err = f.w.PushResult(ctx, client, r2)
	wantCode(t, err, "result_code_exists")
	r3 := r
	r3.Code = "052090000495.KQ.G15.000031.KS-2024-16"
	r3.File.Data = []byte("%PDF-1.7 not signed")
	_, _, _, err = f.w.PushResult(ctx, client, r3)
	if motcua.ErrorKind(err) != motcua.EINVALID {
		t.Fatalf("unsigned push: %v", err)
	}
	// An API push does not create owners; an import does.
	r4 := r
	r4.Code, r4.OwnerName = "052187005519.KQ.G15.000031.KS-1", "Trương Thị Ngọc Lan"
	_, _, _, err = f.w.PushResult(ctx, client, r4)
	wantCode(t, err, "owner_unknown")
	if _, err := f.store.GetSubject(ctx, "052187005519"); !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatalf("a refused push created its owner: %v", err)
	}
	if _, _, _, err := f.w.ImportResult(ctx, agencyCode, r4); err != nil {
		t.Fatal(err)
	}
	if s, err := f.store.GetSubject(ctx, "052187005519"); err != nil || s.Name != "Trương Thị Ngọc Lan" {
		t.Fatalf("new owner = %+v, %v", s, err)
	}

	// The owner may hide, not edit or delete, an agency document.
	_, err = f.w.Update(ctx, f.owner, d.ID, service.DocumentUpdate{Summary: ptr("sửa")})
	wantCode(t, err, "agency_document_readonly")
	wantCode(t, f.w.Withdraw(ctx, f.owner, d.ID), "agency_document_readonly")
	_, _, err = f.w.Replace(ctx, f.owner, d.ID, 0, service.Upload{Name: "x.pdf", Data: pdf})
	wantCode(t, err, "agency_document_readonly")
	if up, err := f.w.Update(ctx, f.owner, d.ID, service.DocumentUpdate{Visible: ptr(false)}); err != nil || up.Visible {
		t.Fatalf("hide = %+v, %v", up, err)
	}

	v, err := f.w.VerifyPublic(ctx, d.Code)
	if err != nil || v.OwnerMasked != "N*** V** A" || v.Status != "valid" || v.IssuerName != "UBND xã An Hòa" ||
		v.Category != "Giấy khai sinh" || v.Signature != "valid" {
		t.Fatalf("public verification = %+v, %v", v, err)
	}
	_, err = f.w.VerifyPublic(ctx, "052090000495.KQ.G15.000031.KHONGCO")
	wantCode(t, err, "result_not_found")
	_, err = f.w.VerifyPublic(ctx, "rác")
	wantCode(t, err, "invalid_result_code")
}

func TestMaskName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Nguyễn Văn An": "N*** V** A", "Đỗ Trọng Thi": "Đ*** T** T", "An": "A", "": "",
		"Trương Thị Ngọc Lan": "T*** T** N** L"} {
		if got := service.MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOfficerReadsWithDossierIsLogged(t *testing.T) {
	t.Parallel()
	f := setupWarehouse(t)
	ctx := context.Background()
	d, _, err := f.w.Add(ctx, f.owner, service.NewDocument{CategoryCode: f.catKS, Visible: true, Shared: true,
		File: service.Upload{Name: "ks.pdf", Data: f.sig.pdf(t, "Khai sinh")}})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.store.CreateCategory(ctx, &motcua.DocumentCategory{Code: "KQ.G15.000032", Name: "Giấy chứng nhận kết hôn", PaperType: motcua.PaperResult}))
	proc := &motcua.Procedure{Code: "1.000894.000.00.00.H08", Name: "Đăng ký kết hôn", AgencyCodes: []string{agencyCode},
		Cases:      []motcua.ProcedureCase{{Code: "TH1", Name: "1 ngày", ProcessingDays: 1}},
		Components: []motcua.ProcedureComponent{{Code: "KS", Name: "Giấy khai sinh", Form: motcua.FormCopy, Categories: []string{f.catKS}}}}
	must(f.store.CreateProcedure(ctx, proc))
	person := motcua.Person{Code: f.owner.SubjectCode, Name: f.owner.Name}
	dos := &motcua.Dossier{ProcedureCode: proc.Code, CaseCode: "TH1", AgencyCode: agencyCode, Submitter: person, Owner: person,
		Channel: motcua.ChannelCounter, ResultMethod: motcua.ResultAtCounter, Status: motcua.StatusRegistered}
	must(f.store.CreateDossier(ctx, dos))
	reception := &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "tiepnhan.anhoa", AgencyCode: agencyCode,
		Roles: []motcua.Role{motcua.RoleReception}}
	if _, err := f.w.Get(ctx, reception, d.ID, service.Access{DossierID: dos.ID, Purpose: "Kiểm tra kho khi tiếp nhận"}); err != nil {
		t.Fatal(err)
	}
	log, err := f.w.AccessLog(ctx, f.owner, d.ID)
	if err != nil || len(log) != 1 || log[0].ActorID != "officer:tiepnhan.anhoa" || log[0].DossierID != dos.ID ||
		log[0].AgencyCode != agencyCode || log[0].Detail != "Kiểm tra kho khi tiếp nhận" {
		t.Fatalf("access log = %+v, %v", log, err)
	}
	// Not shared: invisible even with a dossier.
	_, _ = f.w.Update(ctx, f.owner, d.ID, service.DocumentUpdate{Shared: ptr(false)})
	_, err = f.w.Get(ctx, reception, d.ID, service.Access{DossierID: dos.ID})
	wantCode(t, err, "document_not_found")
}
