package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func testDrafts(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	p := motcua.Person{Code: b.citizen.Code, Name: b.citizen.Name}
	d := &motcua.Draft{Creator: "person:" + b.citizen.Code, ProcedureCode: b.marriage.Code, CaseCode: "TH1",
		AgencyCode: b.commune.Code, Submitter: p, Owner: p, OwnerVerified: true,
		Components: []motcua.DraftComponent{{Code: "KS", Source: motcua.FromWarehouse, DocumentID: "doc-1", Auto: true}}}
	must(t, s.CreateDraft(ctx, d))
	got, err := s.GetDraft(ctx, d.ID)
	must(t, err)
	if got.Owner != p || !got.OwnerVerified || len(got.Components) != 1 || !got.Components[0].Auto || got.DossierID != "" || got.CreatedAt.IsZero() {
		t.Fatalf("GetDraft = %+v", got)
	}
	_, err = s.GetDraft(ctx, "missing")
	wantErr(t, err, motcua.ENOTFOUND, "draft_not_found")

	got.SetComponent(motcua.DraftComponent{Code: "TK", Source: motcua.Uploaded, File: motcua.File{Name: "tk.pdf", Size: 1, SHA256: "x"}})
	// A component that takes several documents holds one entry each.
	got.Components = append(got.Components, motcua.DraftComponent{Code: "GT", Source: motcua.FromWarehouse, DocumentID: "doc-2"},
		motcua.DraftComponent{Code: "GT", Source: motcua.FromWarehouse, DocumentID: "doc-3"})
	must(t, got.SetDelivery(motcua.SubmitByPost, motcua.ResultByPost, "Thôn 1, xã An Hòa"))
	must(t, s.UpdateDraft(ctx, got))
	again, err := s.GetDraft(ctx, d.ID)
	must(t, err)
	if gt := again.ComponentDocuments("GT"); len(again.Components) != 4 || len(gt) != 2 || gt[1].DocumentID != "doc-3" ||
		again.ResultMethod != motcua.ResultByPost || again.SubmitMethod != motcua.SubmitByPost || again.PostAddress != "Thôn 1, xã An Hòa" {
		t.Fatalf("after update = %+v", again)
	}
	missing := *again
	missing.ID = "missing"
	wantErr(t, s.UpdateDraft(ctx, &missing), motcua.ENOTFOUND, "draft_not_found")

	dos := newDossier(b, time.Date(2024, 4, 1, 2, 0, 0, 0, time.UTC))
	dos.IdempotencyKey = "key-1"
	dos.MissedReuse = true
	must(t, s.CreateDossier(ctx, dos))
	byKey, err := s.GetDossierByIdempotencyKey(ctx, "key-1")
	must(t, err)
	if byKey.ID != dos.ID || !byKey.MissedReuse || byKey.IdempotencyKey != "key-1" {
		t.Fatalf("by idempotency key = %+v", byKey)
	}
	_, err = s.GetDossierByIdempotencyKey(ctx, "key-2")
	wantErr(t, err, motcua.ENOTFOUND, "dossier_not_found")
	dup := newDossier(b, time.Date(2024, 4, 1, 2, 0, 0, 0, time.UTC))
	dup.IdempotencyKey = "key-1"
	wantErr(t, s.CreateDossier(ctx, dup), motcua.ECONFLICT, "dossier_exists")

	// Of concurrent submissions of one draft, exactly one wins.
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.MarkDraftSubmitted(ctx, motcua.DraftLink{DraftID: d.ID, DossierID: dos.ID})
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		} else {
			wantErr(t, err, motcua.ECONFLICT, "draft_submitted")
		}
	}
	if wins != 1 {
		t.Fatalf("%d submissions won, want 1", wins)
	}
	after, err := s.GetDraft(ctx, d.ID)
	must(t, err)
	if after.DossierID != dos.ID {
		t.Fatalf("draft dossier = %q", after.DossierID)
	}
	wantErr(t, s.UpdateDraft(ctx, after), motcua.ECONFLICT, "draft_submitted")
	wantErr(t, s.MarkDraftSubmitted(ctx, motcua.DraftLink{DraftID: "missing", DossierID: dos.ID}), motcua.ENOTFOUND, "draft_not_found")

	// Several at once (group commit): all or none.
	fresh := func() *motcua.Draft {
		f := *d
		f.ID, f.DossierID = "", ""
		must(t, s.CreateDraft(ctx, &f))
		return &f
	}
	a, c := fresh(), fresh()
	wantErr(t, s.MarkDraftSubmitted(ctx, motcua.DraftLink{DraftID: a.ID, DossierID: dos.ID},
		motcua.DraftLink{DraftID: d.ID, DossierID: dos.ID}), motcua.ECONFLICT, "draft_submitted")
	if got, err := s.GetDraft(ctx, a.ID); err != nil || got.DossierID != "" {
		t.Fatalf("half a refused batch was linked: %+v, %v", got, err)
	}
	must(t, s.MarkDraftSubmitted(ctx, motcua.DraftLink{DraftID: a.ID, DossierID: dos.ID},
		motcua.DraftLink{DraftID: c.ID, DossierID: dos.ID}))
	for _, id := range []string{a.ID, c.ID} {
		if got, err := s.GetDraft(ctx, id); err != nil || got.DossierID != dos.ID {
			t.Fatalf("batch draft %s = %+v, %v", id, got, err)
		}
	}
}
