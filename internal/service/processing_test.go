package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/service"
)

// TestProcessingAndResult: forwarding, drafting, the leader's signature
// with the agency's key and the return of the signed result into the
// owner's warehouse, with every refusal on the way.
// resultFixture: a dossier of a procedure that issues a result (a birth
// certificate), every component digitized, and a reception service that
// signs with the fixture's agency certificate.
func resultFixture(t *testing.T) (*submissionFixture, *service.Reception, *motcua.Dossier) {
	t.Helper()
	f, _, d := receptionFixture(t)
	ctx := context.Background()
	proc := *f.proc
	proc.Code, proc.ResultCategory = "1.000895.000.00.00.H08", f.catKS
	if err := f.store.CreateProcedure(ctx, &proc); err != nil {
		t.Fatal(err)
	}
	d.ID, d.Code, d.ProcedureCode = "", "", proc.Code
	d.Components[2].Digitization = motcua.Digitized
	d.Components[2].Attachments = d.Components[0].Attachments
	if err := f.store.CreateDossier(ctx, d); err != nil {
		t.Fatal(err)
	}
	keys := service.NewKeys()
	leaf := f.sig.h.Agency
	keys.Set(agencyCode, &service.AgencySigner{Key: leaf.Key, Cert: leaf.Cert, Chain: leaf.Chain, Location: "An Hòa"})
	rec := service.NewReception(f.store, nil, "http://motcua.test", f.clock.Now).WithResults(f.w, keys).
		WithResultTemplate(report.WriteResultPDF)
	return f, rec, d
}

func TestProcessingAndResult(t *testing.T) {
	t.Parallel()
	f, rec, d := resultFixture(t)
	ctx := context.Background()
	desk := officerOf(agencyCode, "tiepnhan.anhoa", motcua.RoleReception)
	handler := officerOf(agencyCode, "xuly.anhoa", motcua.RoleProcessing)
	leader := officerOf(agencyCode, "lanhdao.anhoa", motcua.RoleLeader)
	leader.Name = "Nguyễn Thị Mai"
	for _, to := range []motcua.DossierStatus{motcua.StatusReceived, motcua.StatusProcessing} {
		if _, err := rec.Transition(ctx, desk, d.Code, to, ""); err != nil {
			t.Fatal(err)
		}
	}
	draft := service.Upload{Name: "ket-qua.pdf", Data: pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "giay chung nhan ket hon"})}

	// Refusals before a draft.
	_, err := rec.DraftResult(ctx, desk, d.Code, "KH-125", "", draft)
	wantCode(t, err, "forbidden")
	_, err = rec.SignResult(ctx, leader, d.Code)
	wantCode(t, err, "result_not_drafted")
	_, err = rec.DraftResult(ctx, handler, d.Code, "12.5", "", draft)
	wantCode(t, err, "invalid_document_number")
	_, err = rec.DraftResult(ctx, handler, d.Code, "KH-125", "", service.Upload{Name: "a.pdf", Data: []byte("không phải PDF")})
	wantCode(t, err, "not_pdf")
	_, err = rec.DraftResult(ctx, handler, d.Code, "KH-125", "", service.Upload{Name: "da-ky.pdf", Data: f.sig.pdf(t, "da ky san")})
	wantCode(t, err, "draft_signed")
	_, err = rec.DraftResult(ctx, handler, d.Code, "125/2024", "", draft)
	wantCode(t, err, "invalid_document_number")
	_, err = rec.DraftResult(ctx, handler, d.Code, "KH-125", strings.Repeat("x", 2001), draft)
	wantCode(t, err, "too_long")
	_, err = rec.Transition(ctx, handler, d.Code, motcua.StatusDone, "")
	wantCode(t, err, "e_result_required")
	unrelated := &motcua.Agency{Code: "000.00.99.H08", Name: "Phòng Tư pháp huyện khác", Level: motcua.LevelDistrict}
	village := &motcua.Agency{Code: "000.23.03.01.H08", Name: "Thôn 1", Level: motcua.LevelCommune, ParentCode: agencyCode}
	for _, a := range []*motcua.Agency{unrelated, village} {
		if err := f.store.CreateAgency(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	_, err = rec.Assign(ctx, handler, d.Code, unrelated.Code, "", "Chuyển đi nơi khác")
	wantCode(t, err, "agency_not_allowed")
	_, err = rec.Assign(ctx, handler, d.Code, village.Code, "", "")
	wantCode(t, err, "reason_required")
	_, err = rec.Assign(ctx, handler, d.Code, "999.99.99.H99", "", "Chuyển đi nơi khác")
	wantCode(t, err, "unknown_agency")
	_, err = rec.Assign(ctx, handler, d.Code, "", "khong.co.ai", "")
	wantCode(t, err, "unknown_assignee")
	_, err = rec.DraftResult(ctx, officerOf("000.23.99.H08", "xuly.khac", motcua.RoleProcessing), d.Code, "KH-125", "", draft)
	wantCode(t, err, "dossier_not_found")

	got, err := rec.DraftResult(ctx, handler, d.Code, "KH-125", "Giấy chứng nhận kết hôn", draft)
	if err != nil {
		t.Fatal(err)
	}
	if got.Result == nil || got.Result.Number != "KH-125" || got.Result.DraftedBy != "xuly.anhoa" || got.Result.Signed != nil {
		t.Fatalf("draft = %+v", got.Result)
	}
	_, err = rec.SignResult(ctx, handler, d.Code)
	wantCode(t, err, "forbidden")
	_, err = rec.SignResult(ctx, officerOf(agencyCode, "lanhdao.khac", motcua.RoleLeader), "KHONG-CO")
	if !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatalf("unknown dossier: %v", err)
	}
	got, err = rec.SignResult(ctx, leader, d.Code)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != motcua.StatusDone || got.Result.Signed == nil || got.Result.SignedBy != "lanhdao.anhoa" ||
		got.Result.Signature.Status != "valid" || got.HasEResult() {
		t.Fatalf("signed = status %d %+v", got.Status, got.Result)
	}
	_, err = rec.SignResult(ctx, leader, d.Code)
	wantCode(t, err, "not_processing")

	// "Trả kết quả": the signed result lands in the owner's warehouse.
	f.clock.Add(time.Hour)
	got, err = rec.Transition(ctx, desk, d.Code, motcua.StatusResultsReturned, "")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != motcua.StatusResultsReturned || len(got.ResultDocIDs) != 1 {
		t.Fatalf("returned = status %d results %v", got.Status, got.ResultDocIDs)
	}
	doc, err := f.store.GetDocument(ctx, got.ResultDocIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	wantCodeStr := d.Owner.Code + "." + f.catKS + ".KH-125"
	if doc.Code != wantCodeStr || doc.OwnerCode != d.Owner.Code || doc.IssuerCode != agencyCode || doc.Warehouse != motcua.WarehouseAgency ||
		doc.File != *got.Result.Signed || !doc.Visible || doc.Status != motcua.DocumentValid || doc.DecisionNumber != "KH-125" {
		t.Fatalf("result document = %+v", doc)
	}
	if !strings.Contains(got.StatusHistory[len(got.StatusHistory)-1].Note, wantCodeStr) {
		t.Fatalf("history does not name the result: %+v", got.StatusHistory)
	}
	// The owner finds it, and the next application reuses it.
	m := motcua.MatchComponent(motcua.ProcedureComponent{Code: "KH", Categories: []string{f.catKS}}, d.Owner.Code,
		[]*motcua.Document{doc}, motcua.DateOf(f.clock.Now()))
	if m.Auto == nil || m.Auto.ID != doc.ID {
		t.Fatalf("the result is not offered for reuse: %+v", m)
	}
	for _, action := range []string{"result.draft", "result.sign", "result.return"} {
		events, err := f.store.ListAudit(ctx, motcua.AuditFilter{SubjectCode: d.Owner.Code, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range events {
			found = found || e.Action == action && e.DossierID == d.ID
		}
		if !found {
			t.Fatalf("no audit event %s", action)
		}
	}
}

// The simple result template makes a draft the leader signs like an
// uploaded one.
func TestDraftResultFromTemplate(t *testing.T) {
	t.Parallel()
	_, rec, d := resultFixture(t)
	ctx := context.Background()
	desk := officerOf(agencyCode, "tiepnhan.anhoa", motcua.RoleReception)
	handler := officerOf(agencyCode, "xuly.anhoa", motcua.RoleProcessing)
	for _, to := range []motcua.DossierStatus{motcua.StatusReceived, motcua.StatusProcessing} {
		if _, err := rec.Transition(ctx, desk, d.Code, to, ""); err != nil {
			t.Fatal(err)
		}
	}
	_, err := rec.DraftResultForm(ctx, handler, d.Code, "KS-9", "", service.ResultForm{Title: "Giấy khai sinh"})
	wantCode(t, err, "required")
	_, err = rec.DraftResultForm(ctx, desk, d.Code, "KS-9", "", service.ResultForm{Title: "Giấy khai sinh", Body: "Nội dung"})
	wantCode(t, err, "forbidden")
	got, err := rec.DraftResultForm(ctx, handler, d.Code, "KS-9", "Giấy khai sinh", service.ResultForm{Title: "Giấy khai sinh",
		Body: "Họ và tên người được khai sinh: Nguyễn Văn An."})
	if err != nil {
		t.Fatal(err)
	}
	if got.Result == nil || got.Result.Number != "KS-9" || got.Result.Draft.Size == 0 {
		t.Fatalf("draft = %+v", got.Result)
	}
	got, err = rec.SignResult(ctx, officerOf(agencyCode, "lanhdao.anhoa", motcua.RoleLeader), d.Code)
	if err != nil || got.Result.Signature.Status != "valid" {
		t.Fatalf("sign: %v %+v", err, got)
	}
}
