package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// testReferencedBlobs checks that every kind of row naming a blob keeps it:
// blob garbage collection deletes what ReferencedBlobs leaves out.
func testReferencedBlobs(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	h := func(n int) string { return fmt.Sprintf("%064x", 0xb10b000+n) }

	// The form template of the current catalogue version, and of a past one.
	p, err := s.GetProcedure(ctx, b.marriage.Code)
	must(t, err)
	p.Components[0].FormTemplateSHA256 = h(1)
	must(t, s.UpdateProcedure(ctx, p))
	p.Components[0].FormTemplateSHA256 = h(2)
	must(t, s.UpdateProcedure(ctx, p))

	// A document and its replaced version.
	d := newDocument(b, b.citizen, b.birthCert, "101")
	d.File.SHA256 = h(3)
	must(t, s.CreateDocument(ctx, d))
	_, err = s.ReplaceDocumentFile(ctx, motcua.FileReplacement{DocumentID: d.ID, ExpectedVersion: d.Version,
		File: motcua.File{Name: "moi.pdf", Size: 5, SHA256: h(4)}, Signature: d.Signature, ReplacedBy: "officer", At: time.Now()})
	must(t, err)

	// A dossier's component and its result (draft and signed).
	dos := newDossier(b, time.Date(2024, 4, 1, 2, 0, 0, 0, time.UTC))
	dos.Components[0].Attachments[0].File.SHA256 = h(5)
	must(t, s.CreateDossier(ctx, dos))
	got, err := s.GetDossier(ctx, dos.ID)
	must(t, err)
	must(t, s.SetDossierResult(ctx, dos.ID, got.Version, &motcua.DossierResult{Number: "1-2024", Category: b.birthCert.Code,
		Draft: motcua.File{Name: "duthao.pdf", Size: 1, SHA256: h(6)}, Signed: &motcua.File{Name: "ky.pdf", Size: 1, SHA256: h(7)},
		DraftedBy: "officer", DraftedAt: time.Now()}))

	// A draft's uploaded file.
	pr := motcua.Person{Code: b.citizen.Code, Name: b.citizen.Name}
	must(t, s.CreateDraft(ctx, &motcua.Draft{Creator: "person:" + b.citizen.Code, ProcedureCode: b.marriage.Code, CaseCode: "TH1",
		AgencyCode: b.commune.Code, Submitter: pr, Owner: pr,
		Components: []motcua.DraftComponent{{Code: "TK", Source: motcua.Uploaded, File: motcua.File{Name: "tk.pdf", Size: 1, SHA256: h(8)}}}}))

	refs, err := s.ReferencedBlobs(ctx)
	must(t, err)
	for i := 1; i <= 8; i++ {
		if !refs[h(i)] {
			t.Errorf("ReferencedBlobs misses reference %d (%s); got %d hashes", i, h(i), len(refs))
		}
	}
	if refs[h(9)] {
		t.Errorf("ReferencedBlobs has a hash no row names")
	}
}
