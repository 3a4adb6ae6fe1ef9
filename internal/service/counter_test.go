package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/service"
)

// The counter shows the owner's warehouse before scanning, scans only
// what is missing, receives at once, and keeps the scans in the owner's
// warehouse for next time.
func TestCounterReception(t *testing.T) {
	t.Parallel()
	f := setupSubmission(t)
	ctx := context.Background()
	counter := service.NewCounter(f.subs)
	desk := officerOf(agencyCode, "tiepnhan.anhoa", motcua.RoleReception)
	c := demoCitizen(t)
	check := service.CounterCheck{FullName: c.FullName, IDNumber: c.PersonalID, BirthDate: c.BirthDate}
	start := service.CounterStart{ProcedureCode: f.proc.Code, CaseCode: "TH1", Submitter: check, Phone: "0905999888"}

	// Refusals: not a reception officer, a wrong identity, a bad phone.
	_, err := counter.Start(ctx, f.owner, start)
	wantCode(t, err, "forbidden")
	_, err = counter.Start(ctx, officerOf(agencyCode, "xuly", motcua.RoleProcessing), start)
	wantCode(t, err, "forbidden")
	bad := start
	bad.Submitter.FullName = "Người Khác"
	_, err = counter.Start(ctx, desk, bad)
	wantCode(t, err, "identity_mismatch")
	bad = start
	bad.Phone = "12345"
	_, err = counter.Start(ctx, desk, bad)
	wantCode(t, err, "invalid_phone")

	d, err := counter.Start(ctx, desk, start)
	if err != nil {
		t.Fatal(err)
	}
	if d.Submitter.Code != c.PersonalID || d.Owner.Code != c.PersonalID || d.Submitter.Phone != "0905999888" {
		t.Fatalf("draft people: %+v / %+v", d.Submitter, d.Owner)
	}
	looked, err := f.store.ListAudit(ctx, motcua.AuditFilter{SubjectCode: c.PersonalID, ObjectKind: "draft", ObjectID: d.ID})
	if err != nil || len(looked) != 1 || looked[0].Action != "warehouse.counter_matches" || !strings.Contains(looked[0].Detail, f.ksDoc.Code) {
		t.Fatalf("the counter's look into the warehouse is not audited: %v %+v", err, looked)
	}
	// Before any scan: the birth certificate is attached, the identity
	// paper offers two documents.
	v, err := counter.View(ctx, desk, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ks, ok := v.Draft.Component("KS"); !ok || ks.DocumentID != f.ksDoc.ID {
		t.Fatalf("KS not attached: %+v", v.Draft.Components)
	}
	if len(v.Matches[2].Suggestions) != 2 {
		t.Fatalf("GT suggestions = %d", len(v.Matches[2].Suggestions))
	}
	_, err = counter.View(ctx, officerOf(agencyCode, "tiepnhan.khac", motcua.RoleReception), d.ID)
	wantCode(t, err, "draft_not_found")
	// The officer checks a suggested file before taking it; a document the
	// matches do not offer (another person's) is not found, and the read
	// is in the owner's audit log.
	rc, file, err := counter.DocumentFile(ctx, desk, d.ID, f.idNew.ID)
	if err != nil || file.SHA256 != f.idNew.File.SHA256 {
		t.Fatalf("preview: %v", err)
	}
	rc.Close()
	_, _, err = counter.DocumentFile(ctx, desk, d.ID, f.theirsID)
	if !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatalf("another person's document: %v", err)
	}
	_, _, err = counter.DocumentFile(ctx, officerOf(agencyCode, "tiepnhan.khac", motcua.RoleReception), d.ID, f.idNew.ID)
	wantCode(t, err, "draft_not_found")
	reads, err := f.store.ListAudit(ctx, motcua.AuditFilter{SubjectCode: c.PersonalID, ObjectKind: "document", ObjectID: f.idNew.ID})
	downloads := 0
	for _, e := range reads {
		if e.Action == "document.download" && e.ActorID == "tiepnhan.anhoa" {
			downloads++
		}
	}
	if err != nil || downloads != 1 {
		t.Fatalf("preview not audited: %v %d", err, downloads)
	}

	scan := service.Upload{Name: "scan.pdf", Data: pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "ban quet"})}
	_, err = counter.Scan(ctx, desk, d.ID, "TK", service.Upload{Name: "x.txt", Data: []byte("not a pdf")})
	wantCode(t, err, "not_pdf")
	_, err = counter.Scan(ctx, desk, d.ID, "XX", scan)
	wantCode(t, err, "unknown_component")
	// The identity paper is scanned although the warehouse held two:
	// missed reuse.
	if _, err := counter.Scan(ctx, desk, d.ID, "GT", scan); err != nil {
		t.Fatal(err)
	}
	got, err := counter.Receive(ctx, desk, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Channel != motcua.ChannelCounter || got.Status != motcua.StatusReceived || got.ReceivedBy != "tiepnhan.anhoa" ||
		got.ReceivedAt.IsZero() || got.DueAt.IsZero() || !got.Reused() || !got.MissedReuse || len(got.StatusHistory) != 1 ||
		got.Components[0].Digitization != motcua.NotDigitized {
		t.Fatalf("dossier = %+v", got)
	}
	// The form was received on paper only: the dossier cannot be forwarded
	// until the desk scans it.
	rec := service.NewReception(f.store, nil, "http://motcua.test", f.clock.Now).WithResults(f.w, service.NewKeys())
	_, err = rec.Transition(ctx, desk, got.Code, motcua.StatusProcessing, "")
	wantCode(t, err, "components_not_digitized")
	_, err = rec.DigitizeComponent(ctx, officerOf(agencyCode, "xuly", motcua.RoleProcessing), got.Code, "TK", scan)
	wantCode(t, err, "forbidden")
	_, err = rec.DigitizeComponent(ctx, desk, got.Code, "KS", scan)
	wantCode(t, err, "already_digitized")
	_, err = rec.DigitizeComponent(ctx, desk, got.Code, "XX", scan)
	wantCode(t, err, "unknown_component")
	if got, err = rec.DigitizeComponent(ctx, desk, got.Code, "TK", scan); err != nil {
		t.Fatal(err)
	}
	if _, err := rec.Transition(ctx, desk, got.Code, motcua.StatusProcessing, ""); err != nil {
		t.Fatal(err)
	}
	if got.Components[0].Digitization != motcua.Digitized || got.Components[1].Digitization != motcua.ReusedFromWarehouse ||
		got.Components[2].Digitization != motcua.Digitized || len(got.Components[2].MissedCodes) != 2 {
		t.Fatalf("components = %+v", got.Components)
	}
	again, err := counter.Receive(ctx, desk, d.ID)
	if err != nil || again.ID != got.ID || again.Status != motcua.StatusProcessing {
		t.Fatalf("second receive: %v", err)
	}
	ks, _ := f.store.GetDocument(ctx, f.ksDoc.ID)
	if ks.UsageCount != f.ksDoc.UsageCount+1 {
		t.Fatalf("usage = %d, want %d", ks.UsageCount, f.ksDoc.UsageCount+1)
	}

	// The scanned identity paper is now in the owner's warehouse under its
	// component code; the form (no document category) is not.
	code := motcua.ComponentCode(c.PersonalID, f.proc.Code, "GT", 0)
	doc, err := f.store.GetDocumentByCode(ctx, code)
	if err != nil {
		t.Fatalf("scanned component not in the warehouse: %v", err)
	}
	if doc.PaperType != motcua.PaperComponent || doc.IssuerCode != agencyCode || doc.OwnerCode != c.PersonalID {
		t.Fatalf("component document = %+v", doc)
	}
	if _, err := f.store.GetDocumentByCode(ctx, motcua.ComponentCode(c.PersonalID, f.proc.Code, "TK", 0)); !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatalf("form stored: %v", err)
	}
	// Next time it is offered, and a second scan gets the .01 code.
	d2, err := counter.Start(ctx, desk, start)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := counter.View(ctx, desk, d2.ID)
	if err != nil || len(v2.Matches[2].Suggestions) != 3 || v2.Matches[2].Candidate(doc.ID) == nil {
		t.Fatalf("the scan is not offered next time: %v", err)
	}
	for _, comp := range []string{"TK", "GT"} {
		if _, err := counter.Scan(ctx, desk, d2.ID, comp, scan); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := counter.Receive(ctx, desk, d2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.GetDocumentByCode(ctx, motcua.ComponentCode(c.PersonalID, f.proc.Code, "GT", 1)); err != nil {
		t.Fatalf("second scan: %v", err)
	}

	// The audit log names the dossier.
	events, err := f.store.ListAudit(ctx, motcua.AuditFilter{ObjectKind: "dossier", ObjectID: got.ID})
	if err != nil || len(events) != 3 {
		t.Fatalf("audit = %v %+v", err, events)
	}
	actions := map[string]bool{}
	for _, e := range events {
		actions[e.Action] = e.ActorID != ""
	}
	if !actions["dossier.receive_counter"] || !actions["dossier.digitize"] || !actions["dossier.status"] {
		t.Fatalf("audit = %v %+v", err, events)
	}
}
