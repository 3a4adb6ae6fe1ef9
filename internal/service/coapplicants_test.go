package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/popdb/popdbsim"
	"github.com/motcua/motcua/internal/service"
)

// TestCoApplicantConsent: the co-applicant of a two-party draft is
// identity-checked and asked by SMS with the link to the requests page;
// a third person and the applicant cannot answer; before consent the
// co-applicant's documents are neither offered nor taken; after consent
// only the matching ones are, each read logged for the co-applicant; a
// refusal takes them back out of the draft; the dossier keeps the
// consenting party.
func TestCoApplicantConsent(t *testing.T) {
	t.Parallel()
	f := setupSubmission(t)
	ctx := context.Background()
	f.proc.Parties = 2
	if err := f.store.UpdateProcedure(ctx, f.proc); err != nil {
		t.Fatal(err)
	}
	var partner *motcua.Principal
	for _, c := range popdbsim.DemoCitizens() {
		if c.PersonalID != f.owner.SubjectCode {
			if err := f.store.CreateSubject(ctx, &motcua.Subject{Code: c.PersonalID, Kind: motcua.SubjectPerson, Name: c.FullName,
				BirthDate: c.BirthDate, Phone: "0912000111"}); err != nil {
				t.Fatal(err)
			}
			partner = &motcua.Principal{Kind: motcua.PrincipalPerson, SubjectCode: c.PersonalID, Name: c.FullName}
			break
		}
	}
	pc, _ := f.store.GetSubject(ctx, partner.SubjectCode)
	d, err := f.subs.CreateDraft(ctx, f.owner, service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: agencyCode})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.subs.AddCoApplicant(ctx, f.owner, d.ID, motcua.CoApplicant{SubjectID: pc.Code, Name: "Người Khác", BirthDate: pc.BirthDate})
	wantCode(t, err, "co_applicant_identity_mismatch")
	if _, err := f.subs.AddCoApplicant(ctx, f.owner, d.ID, motcua.CoApplicant{SubjectID: pc.Code, Name: pc.Name, BirthDate: pc.BirthDate}); err != nil {
		t.Fatal(err)
	}
	notes, err := f.store.ListNotifications(ctx, motcua.NotificationFilter{SubjectCode: pc.Code})
	if err != nil || len(notes) == 0 || notes[0].Template != "consent_request" ||
		!strings.HasSuffix(notes[0].Params["url"], service.ConsentPagePath) || notes[0].Recipient != "0912000111" {
		t.Fatalf("consent request notifications: %+v, %v", notes, err)
	}

	// The partner's identity paper (GT) and birth certificate (KS); a
	// document of a category no component takes.
	add := func(cat, num string) string {
		doc, _, err := f.w.Add(ctx, partner, service.NewDocument{CategoryCode: cat, DecisionNumber: num, IssuedOn: motcua.DateOf(f.clock.Now()),
			Visible: true, Shared: true, File: service.Upload{Name: num + ".pdf", Data: f.sig.pdf(t, num)}})
		if err != nil {
			t.Fatal(err)
		}
		return doc.ID
	}
	theirID, theirKS := add(idCardCat, "P-CCCD"), add(f.catKS, "P-KS")
	_, err = f.subs.Attach(ctx, f.owner, d.ID, "GT", theirID)
	wantCode(t, err, "consent_required")

	for name, p := range map[string]*motcua.Principal{"a third person": f.other, "the applicant": f.owner} {
		if _, err := f.subs.DecideConsent(ctx, p, d.ID, motcua.ConsentGranted); motcua.ErrorCode(err) != "consent_request_not_found" {
			t.Fatalf("%s consents: %v", name, err)
		}
	}
	if reqs, err := f.subs.ConsentRequests(ctx, f.other, false); err != nil || len(reqs) != 0 {
		t.Fatalf("a third person's requests: %d, %v", len(reqs), err)
	}
	reqs, err := f.subs.ConsentRequests(ctx, partner, true)
	if err != nil || len(reqs) != 1 || reqs[0].DraftID != d.ID || reqs[0].Applicant.Code != f.owner.SubjectCode {
		t.Fatalf("pending requests: %+v, %v", reqs, err)
	}
	if _, err := f.subs.DecideConsent(ctx, partner, d.ID, motcua.ConsentGranted); err != nil {
		t.Fatal(err)
	}
	if _, err := f.subs.Attach(ctx, f.owner, d.ID, "GT", theirID); err != nil {
		t.Fatalf("after consent: %v", err)
	}
	// Matching only: the partner's birth certificate is not an identity paper.
	_, err = f.subs.Attach(ctx, f.owner, d.ID, "GT", theirKS)
	wantCode(t, err, "document_not_matching")
	reads, err := f.store.ListAudit(ctx, motcua.AuditFilter{ObjectKind: "document", ObjectID: theirID})
	if err != nil {
		t.Fatal(err)
	}
	logged := 0
	for _, e := range reads {
		if e.Action == "document.read" && e.ActorID == f.owner.ActorID() && e.SubjectCode == partner.SubjectCode {
			logged++
		}
	}
	if logged == 0 {
		t.Fatalf("reads of the partner's document are not logged: %+v", reads)
	}

	// A refusal takes the partner's document out of the draft.
	if _, err := f.subs.DecideConsent(ctx, partner, d.ID, motcua.ConsentRefused); err != nil {
		t.Fatal(err)
	}
	got, _ := f.store.GetDraft(ctx, d.ID)
	for _, c := range got.Components {
		if c.DocumentID == theirID {
			t.Fatalf("the partner's document stayed after the refusal: %+v", got.Components)
		}
	}
	_, err = f.subs.Attach(ctx, f.owner, d.ID, "GT", theirID)
	wantCode(t, err, "consent_required")

	// Consent again; the dossier keeps the partner and counts the use.
	if _, err := f.subs.DecideConsent(ctx, partner, d.ID, motcua.ConsentGranted); err != nil {
		t.Fatal(err)
	}
	for comp, id := range map[string]string{"GT": theirID, "KS": f.ksDoc.ID} {
		if _, err := f.subs.Attach(ctx, f.owner, d.ID, comp, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.subs.Upload(ctx, f.owner, d.ID, "TK", service.Upload{Name: "tk.pdf", Data: f.sig.pdf(t, "TK")}); err != nil {
		t.Fatal(err)
	}
	dos, _, err := f.subs.Submit(ctx, f.owner, d.ID, service.SubmitOptions{SubmitMethod: motcua.SubmitByPost, PostAddress: "Thôn 1"})
	if err != nil {
		t.Fatal(err)
	}
	back, err := f.store.GetDossier(ctx, dos.ID)
	if err != nil || len(back.CoApplicants) != 1 || back.CoApplicants[0].Code != partner.SubjectCode || back.SubmitMethod != motcua.SubmitByPost {
		t.Fatalf("dossier parties %+v, submit method %q, %v", back.CoApplicants, back.SubmitMethod, err)
	}
	// The partner finds the dossier among theirs and reads it, but only
	// the applicant acts on it.
	mine, _, err := f.subs.MyDossiers(ctx, partner, 10, 0)
	if err != nil || len(mine) != 1 || mine[0].ID != dos.ID {
		t.Fatalf("partner's dossiers: %d, %v", len(mine), err)
	}
	if _, err := f.subs.MyDossier(ctx, partner, dos.Code); err != nil {
		t.Fatalf("partner reads the dossier: %v", err)
	}
	_, err = f.subs.MyDossier(ctx, f.other, dos.Code)
	wantCode(t, err, "dossier_not_found")
	_, err = f.subs.Withdraw(ctx, partner, dos.Code, "Không muốn nữa")
	wantCode(t, err, "dossier_not_found")
	doc, _ := f.store.GetDocument(ctx, theirID)
	if doc.UsageCount != 1 {
		t.Fatalf("partner's usage count = %d", doc.UsageCount)
	}
}
