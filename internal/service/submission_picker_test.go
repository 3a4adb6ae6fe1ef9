package service_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

// TestPickerWholeWarehouse: "Lấy từ kho" offers the owner's whole
// warehouse, 20 a page, for any component (a form without categories
// too); a component that takes two documents gets two, not a third; the
// choices survive to the dossier as reuse.
func TestPickerWholeWarehouse(t *testing.T) {
	t.Parallel()
	f := setupSubmission(t)
	ctx := context.Background()
	// The identity papers of both spouses: two documents.
	f.proc.Components[2].MaxDocuments = 2
	if err := f.store.UpdateProcedure(ctx, f.proc); err != nil {
		t.Fatal(err)
	}
	d, err := f.subs.CreateDraft(ctx, f.owner, service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: agencyCode})
	if err != nil {
		t.Fatal(err)
	}
	// 4 documents from the fixture plus 19: two pages.
	for i := range 19 {
		num := fmt.Sprintf("EXTRA-%02d", i)
		if _, _, err := f.w.Add(ctx, f.owner, service.NewDocument{CategoryCode: f.catKS, DecisionNumber: num, IssuedOn: motcua.DateOf(f.clock.Now()),
			Visible: true, Shared: true, File: service.Upload{Name: num + ".pdf", Data: f.sig.pdf(t, num)}}); err != nil {
			t.Fatal(err)
		}
	}
	docs, total, err := f.subs.Browse(ctx, f.owner, d.ID, "", 1)
	if err != nil || len(docs) != service.PickerPageSize || total != 23 {
		t.Fatalf("page 1: %d documents of %d, %v", len(docs), total, err)
	}
	docs, _, err = f.subs.Browse(ctx, f.owner, d.ID, "", 2)
	if err != nil || len(docs) != 3 {
		t.Fatalf("page 2: %d documents, %v", len(docs), err)
	}
	for _, doc := range docs {
		if doc.OwnerCode != f.owner.SubjectCode {
			t.Fatalf("another owner's document %s in the picker", doc.Code)
		}
	}
	docs, total, err = f.subs.Browse(ctx, f.owner, d.ID, "CCCD-OLD", 1)
	if err != nil || total != 1 || docs[0].ID != f.idOld.ID {
		t.Fatalf("search: %d %v", total, err)
	}
	// Nobody browses through someone else's draft.
	_, _, err = f.subs.Browse(ctx, f.other, d.ID, "", 1)
	wantCode(t, err, "draft_not_found")

	// The form (no categories) takes a document of the warehouse.
	if _, err := f.subs.Attach(ctx, f.owner, d.ID, "TK", f.idOld.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.subs.Attach(ctx, f.owner, d.ID, "TK", f.theirsID)
	wantCode(t, err, "document_not_matching")
	_, err = f.subs.Attach(ctx, f.owner, d.ID, "TK", f.expired.ID)
	wantCode(t, err, "document_expired")

	// Two identity papers; a third is refused; the same one twice counts once.
	for _, id := range []string{f.idNew.ID, f.idOld.ID, f.idNew.ID} {
		if _, err := f.subs.Attach(ctx, f.owner, d.ID, "GT", id); err != nil {
			t.Fatal(err)
		}
	}
	_, err = f.subs.Attach(ctx, f.owner, d.ID, "GT", f.ksDoc.ID)
	wantCode(t, err, "too_many_documents")
	got, _ := f.store.GetDraft(ctx, d.ID)
	if gt := got.ComponentDocuments("GT"); len(gt) != 2 || gt[0].DocumentID != f.idNew.ID || gt[1].DocumentID != f.idOld.ID {
		t.Fatalf("GT = %+v", gt)
	}
	// "Bỏ" takes one back; another may then be added.
	if _, err := f.subs.RemoveDocument(ctx, f.owner, d.ID, "GT", 1); err != nil {
		t.Fatal(err)
	}
	_, err = f.subs.RemoveDocument(ctx, f.owner, d.ID, "GT", 5)
	wantCode(t, err, "component_file_not_found")
	if _, err := f.subs.Attach(ctx, f.owner, d.ID, "GT", f.ksDoc.ID); err != nil {
		t.Fatal(err)
	}

	dos, created, err := f.subs.Submit(ctx, f.owner, d.ID, service.SubmitOptions{})
	if err != nil || !created {
		t.Fatal(err)
	}
	comps := map[string]motcua.DossierComponent{}
	for _, c := range dos.Components {
		comps[c.Code] = c
	}
	if tk := comps["TK"]; tk.Digitization != motcua.ReusedFromWarehouse || len(tk.Attachments) != 1 || tk.Attachments[0].DocumentID != f.idOld.ID {
		t.Fatalf("TK = %+v", tk)
	}
	if gt := comps["GT"]; gt.Digitization != motcua.ReusedFromWarehouse || len(gt.Attachments) != 2 {
		t.Fatalf("GT = %+v", gt)
	}
}

// TestPickerForSomeoneElse: applying for another person, their warehouse
// is not browsed.
func TestPickerForSomeoneElse(t *testing.T) {
	t.Parallel()
	f := setupSubmission(t)
	ctx := context.Background()
	d := &motcua.Draft{Creator: f.owner.ActorID(), ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: agencyCode,
		Submitter: motcua.Person{Code: f.owner.SubjectCode}, Owner: motcua.Person{Code: f.other.SubjectCode}}
	if err := f.store.CreateDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
	_, _, err := f.subs.Browse(ctx, f.owner, d.ID, "", 1)
	wantCode(t, err, "warehouse_not_owner")
	_, err = f.subs.Attach(ctx, f.owner, d.ID, "TK", f.theirsID)
	wantCode(t, err, "document_not_matching")
	_, err = f.subs.Attach(ctx, f.owner, d.ID, "TK", f.idOld.ID)
	wantCode(t, err, "document_not_matching")
}

// TestDelivery: step 8's methods and the postal address.
func TestDelivery(t *testing.T) {
	t.Parallel()
	f := setupSubmission(t)
	ctx := context.Background()
	d, err := f.subs.CreateDraft(ctx, f.owner, service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: agencyCode})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		in   service.Delivery
		code string
	}{
		{service.Delivery{SubmitMethod: "fax", ResultMethod: motcua.ResultOnline}, "invalid_submit_method"},
		{service.Delivery{SubmitMethod: motcua.SubmitOnline, ResultMethod: ""}, "invalid_result_method"},
		{service.Delivery{SubmitMethod: motcua.SubmitOnline, ResultMethod: motcua.ResultByPost, PostAddress: "  "}, "required"},
		{service.Delivery{SubmitMethod: motcua.SubmitByPost, ResultMethod: motcua.ResultOnline}, "required"},
	} {
		_, err := f.subs.SetDelivery(ctx, f.owner, d.ID, c.in)
		wantCode(t, err, c.code)
	}
	_, err = f.subs.SetDelivery(ctx, f.other, d.ID, service.Delivery{SubmitMethod: motcua.SubmitOnline, ResultMethod: motcua.ResultOnline})
	wantCode(t, err, "draft_not_found")
	got, err := f.subs.SetDelivery(ctx, f.owner, d.ID, service.Delivery{SubmitMethod: motcua.SubmitByPost, ResultMethod: motcua.ResultByPost,
		PostAddress: " Thôn 1,  xã An Hòa "})
	if err != nil || got.PostAddress != "Thôn 1, xã An Hòa" {
		t.Fatalf("%+v %v", got, err)
	}
	stored, _ := f.store.GetDraft(ctx, d.ID)
	if stored.SubmitMethod != motcua.SubmitByPost || stored.ResultMethod != motcua.ResultByPost || stored.PostAddress != "Thôn 1, xã An Hòa" {
		t.Fatalf("stored draft = %+v", stored)
	}
	// Nothing is submitted while a required component is missing.
	_, _, err = f.subs.Submit(ctx, f.owner, d.ID, service.SubmitOptions{})
	wantCode(t, err, "component_missing")
	if _, err := f.subs.Attach(ctx, f.owner, d.ID, "GT", f.idNew.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.subs.Upload(ctx, f.owner, d.ID, "TK", service.Upload{Name: "to-khai.pdf", Data: f.sig.pdf(t, "To khai")}); err != nil {
		t.Fatal(err)
	}
	dos, _, err := f.subs.Submit(ctx, f.owner, d.ID, service.SubmitOptions{})
	if err != nil || dos.ResultMethod != motcua.ResultByPost || dos.Owner.Address != "Thôn 1, xã An Hòa" {
		t.Fatalf("dossier = %+v, %v", dos, err)
	}
}
