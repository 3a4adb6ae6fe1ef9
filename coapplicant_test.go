package motcua

import (
	"testing"
	"time"
)

func TestCoApplicantRules(t *testing.T) {
	now := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	one := &Procedure{Code: "P1"}
	two := &Procedure{Code: "P2", Parties: 2}
	owner := Person{Code: "052090000001", Name: "Trần Văn Hùng"}
	b := CoApplicant{SubjectID: "052092000002", Name: " Nguyễn  Thị Mai ", BirthDate: Date{1992, 7, 21}}
	d := &Draft{Owner: owner, Submitter: owner}
	for name, c := range map[string]struct {
		p    *Procedure
		in   CoApplicant
		code string
	}{
		"one-party procedure": {one, b, "not_two_party"},
		"no id":               {two, CoApplicant{Name: "X", BirthDate: b.BirthDate}, "required"},
		"no name":             {two, CoApplicant{SubjectID: b.SubjectID, BirthDate: b.BirthDate}, "required"},
		"no birth date":       {two, CoApplicant{SubjectID: b.SubjectID, Name: "X"}, "required"},
		"the owner":           {two, CoApplicant{SubjectID: owner.Code, Name: owner.Name, BirthDate: b.BirthDate}, "co_applicant_is_owner"},
	} {
		if err := d.AddCoApplicant(c.p, c.in, now); ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %s", name, err, c.code)
		}
	}
	if err := d.AddCoApplicant(two, b, now); err != nil {
		t.Fatal(err)
	}
	if c := d.CoApplicants[0]; c.Name != "Nguyễn Thị Mai" || c.Consent != ConsentPending || !c.AskedAt.Equal(now) || len(d.Consented()) != 0 {
		t.Fatalf("added %+v", c)
	}
	if err := d.AddCoApplicant(two, b, now); ErrorCode(err) != "co_applicant_exists" {
		t.Errorf("twice: %v", err)
	}
	if err := d.AddCoApplicant(two, CoApplicant{SubjectID: "052092000003", Name: "Y", BirthDate: b.BirthDate}, now); ErrorCode(err) != "too_many_co_applicants" {
		t.Errorf("a third party: %v", err)
	}
	if err := d.DecideConsent("052092000009", ConsentGranted, now); ErrorCode(err) != "consent_request_not_found" {
		t.Errorf("a stranger consents: %v", err)
	}
	if err := d.DecideConsent(b.SubjectID, "maybe", now); ErrorCode(err) != "invalid_consent" {
		t.Errorf("invalid answer: %v", err)
	}
	if err := d.DecideConsent(b.SubjectID, ConsentGranted, now); err != nil || len(d.Consented()) != 1 || d.CoApplicants[0].DecidedAt == nil {
		t.Fatalf("consent: %v %+v", err, d.CoApplicants)
	}
	d.Components = []DraftComponent{{Code: "TP03", Source: FromWarehouse, DocumentID: "mine"}, {Code: "TP03", Source: FromWarehouse, DocumentID: "theirs"},
		{Code: "TP01", Source: Uploaded}}
	if err := d.DecideConsent(b.SubjectID, ConsentRefused, now); err != nil || len(d.Consented()) != 0 {
		t.Fatalf("refusal: %v", err)
	}
	if !d.DropDocumentsOf(b.SubjectID, map[string]string{"mine": owner.Code, "theirs": b.SubjectID}) || len(d.Components) != 2 ||
		d.Components[0].DocumentID != "mine" {
		t.Fatalf("after dropping: %+v", d.Components)
	}
	d.DossierID = "dos-1"
	if err := d.DecideConsent(b.SubjectID, ConsentGranted, now); ErrorCode(err) != "draft_submitted" {
		t.Errorf("after submission: %v", err)
	}
}

func TestMergeMatches(t *testing.T) {
	comp := ProcedureComponent{Code: "TP03"}
	mine := &Document{ID: "a", IssuedOn: Date{2020, 1, 1}}
	theirs := &Document{ID: "b", IssuedOn: Date{2021, 1, 1}}
	got := MergeMatches([]ComponentMatch{{Component: comp, Auto: mine}, {Component: ProcedureComponent{Code: "TP01"}}},
		[]ComponentMatch{{Component: comp, Auto: theirs}, {Component: ProcedureComponent{Code: "TP01"}}})
	if got[0].Auto != nil || len(got[0].Suggestions) != 2 || got[0].Suggestions[0] != theirs || got[1].Matches() {
		t.Fatalf("merged = %+v", got)
	}
	// Another person's only candidate is suggested, never automatic.
	only := MergeMatches([]ComponentMatch{{Component: comp}}, []ComponentMatch{{Component: comp, Auto: theirs}})
	if only[0].Auto != nil || len(only[0].Suggestions) != 1 || only[0].Suggestions[0] != theirs {
		t.Fatalf("one candidate = %+v", only[0])
	}
	// The owner's own automatic match stays when the co-applicant has none.
	kept := MergeMatches([]ComponentMatch{{Component: comp, Auto: mine}}, []ComponentMatch{{Component: comp}})
	if kept[0].Auto != mine {
		t.Fatalf("owner's automatic match = %+v", kept[0])
	}
}
