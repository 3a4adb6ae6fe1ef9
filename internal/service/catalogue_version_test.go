package service_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

// TestDraftKeepsProcedureVersion: a draft started before the catalogue
// changes is viewed and submitted with the version it started with; the
// dossier records that version; a new draft takes the new version, and a
// case with its own components asks for those.
func TestDraftKeepsProcedureVersion(t *testing.T) {
	t.Parallel()
	f := setupSubmission(t)
	ctx := context.Background()
	d, err := f.subs.CreateDraft(ctx, f.owner, service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: agencyCode})
	if err != nil {
		t.Fatal(err)
	}
	if d.ProcedureVersion != 1 {
		t.Fatalf("draft procedure version = %d", d.ProcedureVersion)
	}
	if _, err := f.subs.Attach(ctx, f.owner, d.ID, "GT", f.idNew.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.subs.Upload(ctx, f.owner, d.ID, "TK", service.Upload{Name: "to-khai.pdf", Data: f.sig.pdf(t, "To khai")}); err != nil {
		t.Fatal(err)
	}

	// The province adds a required component and a case with its own.
	v2 := *f.proc
	v2.Components = append(append([]motcua.ProcedureComponent{}, f.proc.Components...),
		motcua.ProcedureComponent{Code: "XN", Name: "Giấy xác nhận tình trạng hôn nhân", Required: true, Form: motcua.FormOriginal})
	v2.Cases = []motcua.ProcedureCase{f.proc.Cases[0], {Code: "TH2", Name: "5 ngày làm việc – có xác minh", ProcessingDays: 5,
		Components: []motcua.ProcedureComponent{{Code: "TK2", Name: "Tờ khai có xác minh", Required: true, Form: motcua.FormOriginal}}}}
	if err := f.store.UpdateProcedure(ctx, &v2); err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 {
		t.Fatalf("version = %d", v2.Version)
	}

	v, err := f.subs.View(ctx, f.owner, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Procedure.Version != 1 || len(v.Matches) != 3 {
		t.Fatalf("old draft sees version %d with %d components", v.Procedure.Version, len(v.Matches))
	}
	if _, err := f.subs.Upload(ctx, f.owner, d.ID, "XN", service.Upload{Name: "xn.pdf", Data: f.sig.pdf(t, "XN")}); motcua.ErrorCode(err) != "unknown_component" {
		t.Fatalf("a component of the new version was accepted on an old draft: %v", err)
	}
	dos, _, err := f.subs.Submit(ctx, f.owner, d.ID, service.SubmitOptions{ResultMethod: motcua.ResultAtCounter})
	if err != nil {
		t.Fatalf("submitting the old draft: %v", err)
	}
	if dos.ProcedureVersion != 1 || len(dos.Components) != 3 {
		t.Fatalf("dossier: version %d, %d components", dos.ProcedureVersion, len(dos.Components))
	}
	stored, err := f.store.GetDossier(ctx, dos.ID)
	if err != nil || stored.ProcedureVersion != 1 {
		t.Fatalf("stored dossier version = %+v, %v", stored, err)
	}

	d2, err := f.subs.CreateDraft(ctx, f.owner, service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: agencyCode})
	if err != nil {
		t.Fatal(err)
	}
	v, err = f.subs.View(ctx, f.owner, d2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d2.ProcedureVersion != 2 || len(v.Matches) != 4 {
		t.Fatalf("new draft: version %d, %d components", d2.ProcedureVersion, len(v.Matches))
	}
	d3, err := f.subs.CreateDraft(ctx, f.owner, service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH2", AgencyCode: agencyCode})
	if err != nil {
		t.Fatal(err)
	}
	if v, err = f.subs.View(ctx, f.owner, d3.ID); err != nil {
		t.Fatal(err)
	}
	if len(v.Matches) != 1 || v.Matches[0].Component.Code != "TK2" {
		t.Fatalf("case TH2 components = %+v", v.Matches)
	}
}
