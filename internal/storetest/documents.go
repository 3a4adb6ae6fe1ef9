package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func testDocuments(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()

	d := newDocument(b, b.citizen, b.certCopy, "02022024")
	d.ExpiresOn = motcua.Date{Year: 2024, Month: 8, Day: 1}
	must(t, s.CreateDocument(ctx, d))
	if d.ID == "" || d.Version != 1 || d.CreatedAt.IsZero() {
		t.Fatalf("CreateDocument did not assign id/version/time: %+v", d)
	}
	got, err := s.GetDocument(ctx, d.ID)
	must(t, err)
	if got.Code != "052090000495.KQ.G15.000021.02022024" || got.Name != d.Name || got.File != d.File ||
		got.IssuedOn != d.IssuedOn || got.ExpiresOn != d.ExpiresOn || got.IssuerCode != b.commune.Code ||
		!got.Visible || !got.Shared || got.Status != motcua.DocumentValid || got.Warehouse != motcua.WarehouseAgency ||
		got.Signature.Signer != d.Signature.Signer || !got.Signature.SigningTime.Equal(d.Signature.SigningTime) ||
		!got.CreatedAt.Equal(d.CreatedAt) {
		t.Fatalf("GetDocument = %+v\nwant %+v", got, d)
	}
	byCode, err := s.GetDocumentByCode(ctx, d.Code)
	must(t, err)
	if byCode.ID != d.ID {
		t.Fatalf("GetDocumentByCode = %s, want %s", byCode.ID, d.ID)
	}
	_, err = s.GetDocument(ctx, "nope")
	wantErr(t, err, motcua.ENOTFOUND, "document_not_found")
	_, err = s.GetDocumentByCode(ctx, d.Code+".01")
	wantErr(t, err, motcua.ENOTFOUND, "document_not_found")

	// Unique code, and references that must exist.
	dup := newDocument(b, b.citizen, b.certCopy, "02022024")
	wantErr(t, s.CreateDocument(ctx, dup), motcua.ECONFLICT, "document_exists")
	orphan := newDocument(b, &motcua.Subject{Code: "052090009999", Name: "Không có"}, b.certCopy, "1")
	wantErr(t, s.CreateDocument(ctx, orphan), motcua.EINVALID, "unknown_subject")
	noCat := newDocument(b, b.citizen, &motcua.DocumentCategory{Code: "KQ.G99.000001"}, "1")
	wantErr(t, s.CreateDocument(ctx, noCat), motcua.EINVALID, "unknown_category")
	noIssuer := newDocument(b, b.citizen, b.certCopy, "3")
	noIssuer.IssuerCode = "000.99.99.H08"
	wantErr(t, s.CreateDocument(ctx, noIssuer), motcua.EINVALID, "unknown_agency")

	// Suffix counting for result-code generation.
	n, err := s.CountDocumentCodes(ctx, d.Code)
	must(t, err)
	if n != 1 {
		t.Fatalf("CountDocumentCodes = %d, want 1", n)
	}
	suffixed := newDocument(b, b.citizen, b.certCopy, "02022024")
	suffixed.Code += ".01"
	must(t, s.CreateDocument(ctx, suffixed))
	longer := newDocument(b, b.citizen, b.certCopy, "020220245")
	must(t, s.CreateDocument(ctx, longer))
	if n, err = s.CountDocumentCodes(ctx, d.Code); err != nil || n != 2 {
		t.Fatalf("CountDocumentCodes after suffix = %d, %v; want 2", n, err)
	}

	// Metadata update leaves the file alone.
	got.Name = "Bản sao khai sinh đã chứng thực"
	got.Visible = false
	got.Status = motcua.DocumentUnderFeedback
	must(t, s.UpdateDocumentMetadata(ctx, got))
	again, err := s.GetDocument(ctx, d.ID)
	must(t, err)
	if again.Name != got.Name || again.Visible || again.Status != motcua.DocumentUnderFeedback || again.File != d.File || again.Version != 1 {
		t.Fatalf("after metadata update = %+v", again)
	}
	ghost := *got
	ghost.ID = "missing"
	wantErr(t, s.UpdateDocumentMetadata(ctx, &ghost), motcua.ENOTFOUND, "document_not_found")

	// Usage counts: all or nothing.
	must(t, s.IncrementDocumentUsage(ctx, []string{d.ID, suffixed.ID}))
	must(t, s.IncrementDocumentUsage(ctx, []string{d.ID}))
	wantErr(t, s.IncrementDocumentUsage(ctx, []string{suffixed.ID, "missing"}), motcua.ENOTFOUND, "document_not_found")
	// Two dossiers of one batch reusing the same document count twice.
	must(t, s.IncrementDocumentUsage(ctx, []string{longer.ID, d.ID, longer.ID}))
	for id, want := range map[string]int{d.ID: 3, suffixed.ID: 1, longer.ID: 2} {
		doc, err := s.GetDocument(ctx, id)
		must(t, err)
		if doc.UsageCount != want {
			t.Errorf("usage of %s = %d, want %d", doc.Code, doc.UsageCount, want)
		}
	}
}

func testDocumentSearch(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	var mine []*motcua.Document
	for i, num := range []string{"100", "101", "102", "103", "104"} {
		cat := b.birthCert
		if i%2 == 1 {
			cat = b.certCopy
		}
		d := newDocument(b, b.citizen, cat, num)
		d.CreatedAt = time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC)
		must(t, s.CreateDocument(ctx, d))
		mine = append(mine, d)
	}
	theirs := newDocument(b, b.other, b.birthCert, "200")
	theirs.Summary = "Giấy khai sinh của con"
	must(t, s.CreateDocument(ctx, theirs))
	hidden := mine[4]
	hidden.Visible = false
	must(t, s.UpdateDocumentMetadata(ctx, hidden))

	ids := func(ds []*motcua.Document) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Code)
		}
		return out
	}
	list := func(f motcua.DocumentFilter) ([]string, int) {
		t.Helper()
		ds, total, err := s.ListDocuments(ctx, f)
		must(t, err)
		return ids(ds), total
	}

	got, total := list(motcua.DocumentFilter{OwnerCode: b.citizen.Code})
	want := []string{mine[4].Code, mine[3].Code, mine[2].Code, mine[1].Code, mine[0].Code}
	if !slices.Equal(got, want) || total != 5 {
		t.Fatalf("owner list = %v (%d), want newest first %v", got, total, want)
	}
	got, total = list(motcua.DocumentFilter{OwnerCode: b.citizen.Code, Limit: 2, Offset: 1})
	if !slices.Equal(got, want[1:3]) || total != 5 {
		t.Fatalf("page = %v (%d), want %v of 5", got, total, want[1:3])
	}
	got, _ = list(motcua.DocumentFilter{OwnerCode: b.citizen.Code, CategoryCodes: []string{b.certCopy.Code}})
	if !slices.Equal(got, []string{mine[3].Code, mine[1].Code}) {
		t.Fatalf("by category = %v", got)
	}
	got, _ = list(motcua.DocumentFilter{OwnerCode: b.citizen.Code, VisibleOnly: true, CategoryCodes: []string{b.birthCert.Code}})
	if !slices.Equal(got, []string{mine[2].Code, mine[0].Code}) {
		t.Fatalf("visible birth certificates = %v", got)
	}
	// Diacritic- and case-insensitive search over name, summary, owner…
	got, _ = list(motcua.DocumentFilter{Query: "GIAY khai sinh cua con"})
	if !slices.Equal(got, []string{theirs.Code}) {
		t.Fatalf("search summary = %v", got)
	}
	got, total = list(motcua.DocumentFilter{Query: "tran thi binh"})
	if total != 1 || got[0] != theirs.Code {
		t.Fatalf("search owner name = %v", got)
	}
	got, _ = list(motcua.DocumentFilter{OwnerCode: b.citizen.Code, Query: "qđ-102"})
	if !slices.Equal(got, []string{mine[2].Code}) {
		t.Fatalf("search decision number = %v", got)
	}
	got, _ = list(motcua.DocumentFilter{Query: "052198"})
	if !slices.Equal(got, []string{theirs.Code}) {
		t.Fatalf("search owner id = %v", got)
	}
	// LIKE wildcards in the query are literal.
	if got, total = list(motcua.DocumentFilter{Query: "%"}); total != 0 {
		t.Fatalf("query %% matched %v", got)
	}
	if got, total = list(motcua.DocumentFilter{Query: "_"}); total != 0 {
		t.Fatalf("query _ matched %v", got)
	}
	mine[0].Status = motcua.DocumentRevoked
	must(t, s.UpdateDocumentMetadata(ctx, mine[0]))
	got, _ = list(motcua.DocumentFilter{Status: motcua.DocumentRevoked})
	if !slices.Equal(got, []string{mine[0].Code}) {
		t.Fatalf("revoked = %v", got)
	}
	if _, total = list(motcua.DocumentFilter{OwnerCode: b.citizen.Code, ExcludeStatus: motcua.DocumentRevoked}); total != 4 {
		t.Fatalf("excluding revoked = %d, want 4", total)
	}

	// The six search boxes of the portal, each diacritic-insensitive, combinable.
	mine[2].Name = "Giấy khai sinh của bé Hòa"
	mine[2].Summary = "Đăng ký khai sinh đúng hạn"
	must(t, s.UpdateDocumentMetadata(ctx, mine[2]))
	boxes := []struct {
		name string
		f    motcua.DocumentFilter
		want []string
	}{
		{"name", motcua.DocumentFilter{Name: "GIAY KHAI SINH cua be hoa"}, []string{mine[2].Code}},
		{"code", motcua.DocumentFilter{Code: "kq.g15.000021.10"}, []string{mine[3].Code, mine[1].Code}},
		{"decision number", motcua.DocumentFilter{DecisionNumber: "qđ-104"}, []string{mine[4].Code}},
		{"owner name", motcua.DocumentFilter{OwnerName: "nguyen van"}, []string{mine[4].Code, mine[3].Code, mine[2].Code, mine[1].Code, mine[0].Code}},
		{"owner id", motcua.DocumentFilter{OwnerID: "052198"}, []string{theirs.Code}},
		{"summary", motcua.DocumentFilter{Summary: "dung han"}, []string{mine[2].Code}},
		{"combined", motcua.DocumentFilter{OwnerName: "an", Code: "000031", Summary: "trich yeu"}, []string{mine[4].Code, mine[0].Code}},
		{"combined, none", motcua.DocumentFilter{Name: "khai sinh", OwnerID: "052198", DecisionNumber: "100"}, nil},
		{"wildcards are literal", motcua.DocumentFilter{Name: "%"}, nil},
	}
	for _, c := range boxes {
		if got, _ := list(c.f); !slices.Equal(got, c.want) {
			t.Errorf("search %s = %v, want %v", c.name, got, c.want)
		}
	}
}

func testDocumentVersions(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	d := newDocument(b, b.citizen, b.certCopy, "30CVCC")
	must(t, s.CreateDocument(ctx, d))
	first := d.File
	vs, err := s.DocumentVersions(ctx, d.ID)
	must(t, err)
	if len(vs) != 0 {
		t.Fatalf("new document has versions %v", vs)
	}
	at := time.Date(2024, 2, 3, 4, 5, 6, 7000, time.UTC)
	second := motcua.File{Name: "30CVCC-v2.pdf", Size: 2048, SHA256: "b0" + first.SHA256[2:]}
	updated, err := s.ReplaceDocumentFile(ctx, motcua.FileReplacement{
		DocumentID: d.ID, ExpectedVersion: 1, File: second,
		Signature: motcua.SignatureSummary{Status: "valid", Signer: "Phòng Tư pháp"}, ReplacedBy: "citizen:" + b.citizen.Code, At: at,
	})
	must(t, err)
	if updated.Version != 2 || updated.File != second || updated.Signature.Signer != "Phòng Tư pháp" || !updated.UpdatedAt.Equal(at) {
		t.Fatalf("after replace = %+v", updated)
	}
	// A second writer that read version 1 loses instead of silently overwriting.
	_, err = s.ReplaceDocumentFile(ctx, motcua.FileReplacement{DocumentID: d.ID, ExpectedVersion: 1, File: first})
	wantErr(t, err, motcua.ECONFLICT, "stale_version")
	_, err = s.ReplaceDocumentFile(ctx, motcua.FileReplacement{DocumentID: "missing", ExpectedVersion: 1, File: first})
	wantErr(t, err, motcua.ENOTFOUND, "document_not_found")

	third := motcua.File{Name: "v3.pdf", Size: 3, SHA256: "c0" + first.SHA256[2:]}
	_, err = s.ReplaceDocumentFile(ctx, motcua.FileReplacement{DocumentID: d.ID, ExpectedVersion: 2, File: third})
	must(t, err)
	vs, err = s.DocumentVersions(ctx, d.ID)
	must(t, err)
	if len(vs) != 2 || vs[0].Version != 1 || vs[0].File != first || vs[0].Signature.Signer != d.Signature.Signer ||
		!vs[0].ReplacedAt.Equal(at) || vs[0].ReplacedBy != "citizen:"+b.citizen.Code || vs[1].Version != 2 || vs[1].File != second {
		t.Fatalf("versions = %+v", vs)
	}
	cur, err := s.GetDocument(ctx, d.ID)
	must(t, err)
	if cur.Version != 3 || cur.File != third {
		t.Fatalf("current = %+v", cur)
	}
}
