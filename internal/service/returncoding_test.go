package service_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/service"
)

// TestReturnCertifiedCopy: the signed result of a certification dossier is
// returned as the desk issues a copy: coded <original>.STP-SCT.NN, valid
// six months, booked in the handling agency's book in the return's
// transaction. A copy signed with a plain number (before the rule) is
// still returned, under its result code, with the copy's validity.
func TestReturnCertifiedCopy(t *testing.T) {
	t.Parallel()
	f, rec, d := resultFixture(t)
	ctx := context.Background()
	proc, err := f.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion)
	if err != nil {
		t.Fatal(err)
	}
	proc.Code, proc.ResultCategory = "2.000815.000.00.00.H08", f.catBSC
	if err := f.store.CreateProcedure(ctx, proc); err != nil {
		t.Fatal(err)
	}
	desk := officerOf(agencyCode, "tiepnhan.anhoa", motcua.RoleReception)
	handler := officerOf(agencyCode, "xuly.anhoa", motcua.RoleProcessing)
	leader := officerOf(agencyCode, "lanhdao.anhoa", motcua.RoleLeader)
	draft := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "giay khai sinh so 7/2001"})
	// signed makes a certification dossier whose copy of the birth
	// certificate 7-2001 is drafted and signed.
	signed := func() *motcua.Dossier {
		t.Helper()
		nd := *d
		nd.ID, nd.Code, nd.ProcedureCode, nd.Components = "", "", proc.Code, slices.Clone(d.Components)
		if err := f.store.CreateDossier(ctx, &nd); err != nil {
			t.Fatal(err)
		}
		for _, to := range []motcua.DossierStatus{motcua.StatusReceived, motcua.StatusProcessing} {
			if _, err := rec.Transition(ctx, desk, nd.Code, to, ""); err != nil {
				t.Fatal(err)
			}
		}
		_, err := rec.DraftResult(ctx, handler, nd.Code, "7-2001", "", service.Upload{Name: "ban-sao.pdf", Data: draft})
		wantCode(t, err, "invalid_original_code")
		if _, err := rec.DraftResult(ctx, handler, nd.Code, f.catKS+".7-2001", "Bản sao Giấy khai sinh", service.Upload{Name: "ban-sao.pdf", Data: draft}); err != nil {
			t.Fatal(err)
		}
		got, err := rec.SignResult(ctx, leader, nd.Code)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	returned := func(code string) *motcua.Document {
		t.Helper()
		got, err := rec.Transition(ctx, desk, code, motcua.StatusResultsReturned, "")
		if err != nil {
			t.Fatal(err)
		}
		doc, err := f.store.GetDocument(ctx, got.ResultDocIDs[0])
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}

	f.clock.Add(time.Hour)
	first, second := returned(signed().Code), returned(signed().Code)
	for i, doc := range []*motcua.Document{first, second} {
		want := d.Owner.Code + "." + f.catKS + ".7-2001.STP-SCT.0" + string(rune('1'+i))
		if doc.Code != want || doc.CategoryCode != f.catBSC || doc.ExpiresOn != motcua.CertifiedCopyExpiry(doc.IssuedOn) || doc.ExpiresOn.IsZero() {
			t.Errorf("copy %d: code %s expires %v (issued %v), want %s six months on", i+1, doc.Code, doc.ExpiresOn, doc.IssuedOn, want)
		}
		e, err := f.store.GetCertificationEntryByDocument(ctx, doc.ID)
		if err != nil {
			t.Fatalf("copy %d is not in the book: %v", i+1, err)
		}
		if e.Number != i+1 || e.AgencyCode != agencyCode || e.OfficerUsername != "lanhdao.anhoa" || e.OriginalCode != f.catKS+".7-2001" ||
			e.Pages != 1 || e.FeeVND != 2000 || e.DocumentCode != doc.Code || doc.DecisionNumber != "Số chứng thực "+e.BookReference() {
			t.Errorf("copy %d: entry %+v, decision %q", i+1, e, doc.DecisionNumber)
		}
	}

	// The province's fee rule, the one the desk charges, is the one booked.
	rec.WithCertificationFees(motcua.CertificationFees{FirstPages: 1, FirstPageVND: 3500, LaterPageVND: 1000})
	third := returned(signed().Code)
	if e, err := f.store.GetCertificationEntryByDocument(ctx, third.ID); err != nil || e.FeeVND != 3500 {
		t.Errorf("copy under the province's fees: entry %+v, %v; want 3.500 đồng", e, err)
	}

	// Signed before the rule, with a plain number.
	legacy := signed()
	res := *legacy.Result
	res.Number = "BS-9"
	if err := f.store.SetDossierResult(ctx, legacy.ID, legacy.Version, &res); err != nil {
		t.Fatal(err)
	}
	doc := returned(legacy.Code)
	if doc.Code != d.Owner.Code+"."+f.catBSC+".BS-9" || doc.ExpiresOn != motcua.CertifiedCopyExpiry(doc.IssuedOn) {
		t.Errorf("legacy copy: code %s expires %v", doc.Code, doc.ExpiresOn)
	}
	if _, err := f.store.GetCertificationEntryByDocument(ctx, doc.ID); !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Errorf("legacy copy booked: %v", err)
	}
}
