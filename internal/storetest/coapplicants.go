package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// testCoApplicants: drafts are found by co-applicant and consent, the
// consent follows updates, a submitted draft is no longer listed, and a
// procedure's parties and a dossier's co-applicants and submit method
// read back.
func testCoApplicants(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	now := time.Date(2024, 4, 1, 2, 0, 0, 0, time.UTC)

	proc, err := s.GetProcedure(ctx, b.marriage.Code)
	must(t, err)
	proc.Parties = 2
	must(t, s.UpdateProcedure(ctx, proc))
	got, err := s.GetProcedure(ctx, b.marriage.Code)
	must(t, err)
	if got.Parties != 2 || !got.TwoParty() {
		t.Fatalf("parties = %d", got.Parties)
	}
	// A one-party procedure reads back as 0 (one party), whatever was written.
	got.Parties = 1
	must(t, s.UpdateProcedure(ctx, got))
	if again, err := s.GetProcedure(ctx, b.marriage.Code); err != nil || again.Parties != 0 || again.TwoParty() {
		t.Fatalf("one party = %+v, %v", again, err)
	}
	must(t, s.UpdateProcedure(ctx, proc))

	owner := motcua.Person{Code: b.citizen.Code, Name: b.citizen.Name}
	const partner = "079190000777"
	d := &motcua.Draft{Creator: "person:" + owner.Code, ProcedureCode: b.marriage.Code, CaseCode: "TH1", AgencyCode: b.commune.Code,
		Submitter: owner, Owner: owner}
	must(t, d.AddCoApplicant(proc, motcua.CoApplicant{SubjectID: partner, Name: "Lê Thị Hoa", BirthDate: motcua.Date{Year: 1990, Month: 1, Day: 2}}, now))
	must(t, s.CreateDraft(ctx, d))
	other := &motcua.Draft{Creator: "person:" + owner.Code, ProcedureCode: b.marriage.Code, CaseCode: "TH1", AgencyCode: b.commune.Code,
		Submitter: owner, Owner: owner}
	must(t, s.CreateDraft(ctx, other))

	list := func(subject string, c motcua.Consent) []*motcua.Draft {
		t.Helper()
		ds, err := s.ListCoApplicantDrafts(ctx, subject, c)
		must(t, err)
		return ds
	}
	if ds := list(partner, motcua.ConsentPending); len(ds) != 1 || ds[0].ID != d.ID || len(ds[0].CoApplicants) != 1 ||
		ds[0].CoApplicants[0].Consent != motcua.ConsentPending || ds[0].CoApplicants[0].Name != "Lê Thị Hoa" {
		t.Fatalf("pending = %+v", ds)
	}
	if ds := list(owner.Code, ""); len(ds) != 0 {
		t.Fatalf("the owner is nobody's co-applicant: %+v", ds)
	}
	if ds := list(partner, motcua.ConsentGranted); len(ds) != 0 {
		t.Fatalf("granted before consent: %+v", ds)
	}

	must(t, d.DecideConsent(partner, motcua.ConsentGranted, now.Add(time.Hour)))
	must(t, s.UpdateDraft(ctx, d))
	if ds := list(partner, motcua.ConsentPending); len(ds) != 0 {
		t.Fatalf("pending after consent: %+v", ds)
	}
	ds := list(partner, motcua.ConsentGranted)
	if len(ds) != 1 || ds[0].CoApplicants[0].DecidedAt == nil || len(ds[0].Consented()) != 1 {
		t.Fatalf("granted = %+v", ds)
	}
	if all := list(partner, ""); len(all) != 1 {
		t.Fatalf("all = %+v", all)
	}

	dos := newDossier(b, now)
	dos.CoApplicants = []motcua.Person{{Code: partner, Name: "Lê Thị Hoa", BirthDate: motcua.Date{Year: 1990, Month: 1, Day: 2}}}
	dos.SubmitMethod = motcua.SubmitByPost
	must(t, s.CreateDossier(ctx, dos))
	back, err := s.GetDossier(ctx, dos.ID)
	must(t, err)
	if len(back.CoApplicants) != 1 || back.CoApplicants[0] != dos.CoApplicants[0] || back.SubmitMethod != motcua.SubmitByPost {
		t.Fatalf("dossier parties = %+v, submit method %q", back.CoApplicants, back.SubmitMethod)
	}
	// The co-applicant finds the dossier among theirs.
	if got, n, err := s.ListDossiers(ctx, motcua.DossierFilter{Party: partner}); err != nil || n != 1 || len(got) != 1 || got[0].ID != dos.ID {
		t.Fatalf("co-applicant's dossiers: %d, %v", n, err)
	}
	single := newDossier(b, now)
	must(t, s.CreateDossier(ctx, single))
	if back, err := s.GetDossier(ctx, single.ID); err != nil || back.CoApplicants != nil || back.SubmitMethod != "" {
		t.Fatalf("one-party dossier = %+v, %v", back, err)
	}

	// Once submitted, the draft is no longer a request.
	must(t, s.MarkDraftSubmitted(ctx, motcua.DraftLink{DraftID: d.ID, DossierID: dos.ID}))
	if all := list(partner, ""); len(all) != 0 {
		t.Fatalf("submitted draft still listed: %+v", all)
	}
}
