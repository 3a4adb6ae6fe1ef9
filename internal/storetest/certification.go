package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/sqldb"
)

// certify stores a certified copy of owner's original number and its
// book entry of agency in one transaction, as the service does; fail
// makes the transaction roll back after both writes.
func certify(ctx context.Context, s motcua.Store, b *bundle, agency string, at time.Time, number string, fail bool) (*motcua.CertificationEntry, error) {
	original := b.birthCert.Code + "." + number
	d := newDocument(b, b.citizen, b.certCopy, number)
	d.Code = motcua.CertifiedCopyCode(b.citizen.Code, original, 1)
	d.Name = motcua.DefaultDocumentName(d.Code, b.certCopy.Name)
	d.IssuerCode = agency
	e := &motcua.CertificationEntry{AgencyCode: agency, Year: motcua.LocalDay(at).Year(), CertifiedAt: at,
		OfficerUsername: "chungthuc", OfficerName: "Võ Minh Tuấn", RequesterCode: b.citizen.Code, RequesterName: b.citizen.Name,
		OriginalName: "Giấy khai sinh", OriginalCode: original, Pages: 3, FeeVND: 5000, DocumentCode: d.Code}
	err := s.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.CreateDocument(ctx, d); err != nil {
			return err
		}
		e.DocumentID = d.ID
		if err := e.Validate(); err != nil {
			return err
		}
		if err := tx.CreateCertificationEntry(ctx, e); err != nil {
			return err
		}
		if fail {
			return errRollback
		}
		return nil
	})
	return e, err
}

func testCertificationBook(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	at := time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)
	first, err := certify(ctx, s, b, b.commune.Code, at, "KS-1", false)
	must(t, err)
	second, err := certify(ctx, s, b, b.commune.Code, at.Add(time.Minute), "KS-2", false)
	must(t, err)
	if first.Number != 1 || second.Number != 2 || first.ID == "" {
		t.Fatalf("numbers %d, %d; want 1, 2", first.Number, second.Number)
	}
	// A rolled back issue gives its number back.
	if _, err := certify(ctx, s, b, b.commune.Code, at, "KS-3", true); !errors.Is(err, errRollback) {
		t.Fatalf("rolled back issue: %v", err)
	}
	third, err := certify(ctx, s, b, b.commune.Code, at, "KS-4", false)
	must(t, err)
	if third.Number != 3 {
		t.Fatalf("after a rollback the number is %d, want 3", third.Number)
	}
	// Each agency and each year has its own book.
	other, err := certify(ctx, s, b, b.district.Code, at, "KS-5", false)
	must(t, err)
	nextYear, err := certify(ctx, s, b, b.commune.Code, time.Date(2026, 12, 31, 18, 0, 0, 0, time.UTC), "KS-6", false) // 1/1/2027 in Việt Nam
	must(t, err)
	if other.Number != 1 || nextYear.Number != 1 || nextYear.Year != 2027 {
		t.Fatalf("other book %d, next year %d (%d); want 1, 1", other.Number, nextYear.Number, nextYear.Year)
	}

	got, err := s.ListCertificationEntries(ctx, motcua.CertificationFilter{AgencyCode: b.commune.Code, Year: 2026})
	must(t, err)
	if len(got) != 3 || got[0].Number != 1 || got[2].Number != 3 {
		t.Fatalf("book 2026 lists %d entries", len(got))
	}
	if g := got[0]; g.ID != first.ID || g.DocumentID != first.DocumentID || g.DocumentCode != first.DocumentCode ||
		!g.CertifiedAt.Equal(at) || g.OfficerName != "Võ Minh Tuấn" || g.RequesterName != b.citizen.Name ||
		g.OriginalCode != first.OriginalCode || g.Pages != 3 || g.FeeVND != 5000 || g.Year != 2026 {
		t.Fatalf("entry read back as %+v, stored %+v", g, first)
	}
	page, err := s.ListCertificationEntries(ctx, motcua.CertificationFilter{AgencyCode: b.commune.Code, Year: 2026, Limit: 1, Offset: 1})
	must(t, err)
	if len(page) != 1 || page[0].Number != 2 {
		t.Fatalf("second page: %+v", page)
	}
	byDoc, err := s.GetCertificationEntryByDocument(ctx, second.DocumentID)
	must(t, err)
	if byDoc.Number != 2 {
		t.Fatalf("entry of the second copy: %d", byDoc.Number)
	}
	_, err = s.GetCertificationEntryByDocument(ctx, "missing")
	wantErr(t, err, motcua.ENOTFOUND, "certification_entry_not_found")

	// A document has one entry; references must exist.
	dup := *first
	dup.ID = ""
	wantErr(t, s.CreateCertificationEntry(ctx, &dup), motcua.ECONFLICT, "certification_entry_exists")
	bad := *first
	bad.ID, bad.AgencyCode = "", "000.99.99.H08"
	wantErr(t, s.CreateCertificationEntry(ctx, &bad), motcua.EINVALID, "unknown_agency")
	bad = *first
	bad.ID, bad.DocumentID = "", "missing"
	wantErr(t, s.CreateCertificationEntry(ctx, &bad), motcua.EINVALID, "document_not_found")
	// The refused calls took no number.
	fourth, err := certify(ctx, s, b, b.commune.Code, at, "KS-7", false)
	must(t, err)
	if fourth.Number != 4 {
		t.Fatalf("after refusals the number is %d, want 4", fourth.Number)
	}

	// The book cannot be changed or emptied behind the store's back.
	if raw, ok := s.(*sqldb.Store); ok {
		db, d := raw.DB(), raw.Dialect()
		for _, q := range []string{
			"UPDATE certification_entries SET fee_vnd = 0 WHERE id = ?",
			"DELETE FROM certification_entries WHERE id = ?",
			"UPDATE certification_books SET last = 1 WHERE agency_code = (SELECT agency_code FROM certification_entries WHERE id = ?)",
			"DELETE FROM certification_books WHERE agency_code = (SELECT agency_code FROM certification_entries WHERE id = ?)",
		} {
			if _, err := db.ExecContext(ctx, d.Rebind(q), first.ID); err == nil {
				t.Errorf("%s: accepted; the certification book must be append-only", q)
			}
		}
		again, err := s.ListCertificationEntries(ctx, motcua.CertificationFilter{AgencyCode: b.commune.Code, Year: 2026})
		must(t, err)
		if len(again) != 4 || again[0].FeeVND != 5000 {
			t.Fatalf("book changed: %d entries, first fee %d", len(again), again[0].FeeVND)
		}
	}
}

// testCertificationConcurrency issues copies into one book from many
// goroutines, a third of which roll back after taking a number: the
// committed entries must be numbered 1..n without gaps or repeats.
func testCertificationConcurrency(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	at := time.Date(2026, 5, 6, 3, 0, 0, 0, time.UTC)
	const n = 30
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = certify(ctx, s, b, b.commune.Code, at, fmt.Sprintf("C-%02d", i), i%3 == 0)
		}()
	}
	wg.Wait()
	committed := 0
	for i, err := range errs {
		switch {
		case i%3 == 0 && errors.Is(err, errRollback):
		case i%3 != 0 && err == nil:
			committed++
		default:
			t.Fatalf("issue %d: %v", i, err)
		}
	}
	got, err := s.ListCertificationEntries(ctx, motcua.CertificationFilter{AgencyCode: b.commune.Code, Year: 2026})
	must(t, err)
	numbers := make([]int, len(got))
	for i, e := range got {
		numbers[i] = e.Number
	}
	want := make([]int, committed)
	for i := range want {
		want[i] = i + 1
	}
	if !slices.Equal(numbers, want) {
		t.Fatalf("book numbers %v, want %v (gap-free and unique)", numbers, want)
	}
}

// testCertifiedCopyReturn: a copy certified through an online dossier is
// booked in the transaction that returns it (document, book entry,
// e-result, status 10): when the return is refused (another officer
// returned it first) nothing of it stays and the book's number is given
// back.
func testCertifiedCopyReturn(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	at := time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)
	dos := newDossier(b, at)
	dos.ResultExpected = true
	must(t, s.CreateDossier(ctx, dos))
	for _, step := range [][2]motcua.DossierStatus{
		{motcua.StatusRegistered, motcua.StatusReceived}, {motcua.StatusReceived, motcua.StatusProcessing},
		{motcua.StatusProcessing, motcua.StatusDone}} {
		must(t, s.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: dos.ID, From: step[0], To: step[1], At: at}))
	}
	ret := func(number string, from motcua.DossierStatus) (*motcua.CertificationEntry, error) {
		original := b.birthCert.Code + "." + number
		d := newDocument(b, b.citizen, b.certCopy, number)
		d.Code = motcua.CertifiedCopyCode(b.citizen.Code, original, 1)
		d.Name = motcua.DefaultDocumentName(d.Code, b.certCopy.Name)
		d.IssuerCode = b.commune.Code
		e := &motcua.CertificationEntry{AgencyCode: b.commune.Code, Year: 2026, CertifiedAt: at,
			OfficerUsername: "lanhdao.xa", OfficerName: "Nguyễn Văn Lãnh", RequesterCode: b.citizen.Code, RequesterName: b.citizen.Name,
			OriginalName: "Giấy khai sinh", OriginalCode: original, Pages: 1, FeeVND: 2000, DocumentCode: d.Code}
		return e, s.InTx(ctx, func(tx motcua.Store) error {
			if err := tx.CreateDocument(ctx, d); err != nil {
				return err
			}
			e.DocumentID = d.ID
			if err := tx.CreateCertificationEntry(ctx, e); err != nil {
				return err
			}
			d.DecisionNumber = "Số chứng thực " + e.BookReference()
			if err := tx.UpdateDocumentMetadata(ctx, d); err != nil {
				return err
			}
			if err := tx.AddDossierResultDocument(ctx, dos.ID, d.ID); err != nil {
				return err
			}
			return tx.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: dos.ID, From: from, To: motcua.StatusResultsReturned, At: at})
		})
	}
	refused, err := ret("KS-1", motcua.StatusProcessing)
	wantErr(t, err, motcua.ECONFLICT, "stale_status")
	if _, err := s.GetDocument(ctx, refused.DocumentID); !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatalf("the refused return left its copy: %v", err)
	}
	e, err := ret("KS-2", motcua.StatusDone)
	must(t, err)
	if e.Number != 1 {
		t.Fatalf("returned copy booked as %d, want 1 (the refused return gives its number back)", e.Number)
	}
	got, err := s.GetDossier(ctx, dos.ID)
	must(t, err)
	booked, err := s.GetCertificationEntryByDocument(ctx, e.DocumentID)
	must(t, err)
	doc, err := s.GetDocument(ctx, e.DocumentID)
	must(t, err)
	if got.Status != motcua.StatusResultsReturned || len(got.ResultDocIDs) != 1 || got.ResultDocIDs[0] != e.DocumentID ||
		booked.Number != 1 || booked.OfficerName != "Nguyễn Văn Lãnh" || doc.DecisionNumber != "Số chứng thực 1/2026" {
		t.Fatalf("after the return: status %d results %v entry %+v decision %q", got.Status, got.ResultDocIDs, booked, doc.DecisionNumber)
	}
}
