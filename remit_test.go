package motcua_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func TestOwnerKind(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]string{
		"052090000495":   "person",
		"4100259564":     "organisation",
		"4100259236-001": "organisation",
		"000.00.23.H08":  "organisation",
		"999090000495":   "unknown_province_code", // used to become an organisation
		"000000000000":   "unknown_province_code",
		"052990000495":   "invalid_birth_year", // born in 2390
		"12345":          "invalid_subject_code",
	} {
		kind, err := motcua.OwnerKind(code)
		if got := string(kind) + motcua.ErrorCode(err); got != want {
			t.Errorf("OwnerKind(%s) = %q, want %q", code, got, want)
		}
	}
	org := motcua.Subject{Code: "052090000495", Kind: motcua.SubjectOrganisation, Name: "Công ty giả"}
	if err := org.Validate(); motcua.ErrorCode(err) != "invalid_subject_kind" {
		t.Errorf("organisation with a personal id: %v", err)
	}
}

func TestValidateIssueDate(t *testing.T) {
	t.Parallel()
	today := motcua.Date{Year: 2026, Month: time.March, Day: 10}
	for d, want := range map[motcua.Date]string{
		{}:                        "",
		today:                     "",
		{1900, time.January, 1}:   "",
		{2026, time.March, 11}:    "issue_date_in_future",
		{2099, time.January, 1}:   "issue_date_in_future",
		{9999, 12, 31}:            "issue_date_in_future",
		{1899, 12, 31}:            "issue_date_too_early",
		{1800, time.January, 1}:   "issue_date_too_early",
		{0, time.January, 1}:      "issue_date_too_early",
		{2024, time.February, 30}: "invalid_issue_date",
	} {
		if got := motcua.ErrorCode(motcua.ValidateIssueDate(d, today)); got != want {
			t.Errorf("ValidateIssueDate(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestDossierMayUse(t *testing.T) {
	t.Parallel()
	day := motcua.Date{Year: 2026, Month: time.March, Day: 10}
	proc := &motcua.Procedure{Components: []motcua.ProcedureComponent{{Code: "KS", Categories: []string{"KQ.G15.000031"}}}}
	dos := &motcua.Dossier{Owner: motcua.Person{Code: "052090000495"}, Components: []motcua.DossierComponent{
		{Code: "TP09", Attachments: []motcua.Attachment{{Source: motcua.FromWarehouse, DocumentID: "attached"}}}}}
	doc := func(id, owner, cat string, status motcua.DocumentStatus, visible bool) *motcua.Document {
		return &motcua.Document{ID: id, OwnerCode: owner, CategoryCode: cat, Status: status, Visible: visible, Shared: true}
	}
	for _, c := range []struct {
		d    *motcua.Document
		want bool
	}{
		{doc("attached", "052090000495", "KQ.DEMO.000004", motcua.DocumentValid, true), true},
		{doc("ks", "052090000495", "KQ.G15.000031", motcua.DocumentValid, true), true},
		{doc("ks-hidden", "052090000495", "KQ.G15.000031", motcua.DocumentValid, false), false},
		{doc("ks-revoked", "052090000495", "KQ.G15.000031", motcua.DocumentRevoked, true), false},
		{doc("ks-other", "052198000814", "KQ.G15.000031", motcua.DocumentValid, true), false},
		{doc("licence", "052090000495", "KQ.DEMO.000004", motcua.DocumentValid, true), false},
	} {
		if got := motcua.DossierMayUse(dos, proc, c.d, day); got != c.want {
			t.Errorf("DossierMayUse(%s) = %v, want %v", c.d.ID, got, c.want)
		}
	}
	for s := motcua.StatusRegistered; s <= motcua.StatusResultsReturned; s++ {
		open := s != motcua.StatusRejected && s != motcua.StatusWithdrawn && s != motcua.StatusStopped && s != motcua.StatusDone &&
			s != motcua.StatusResultsReturned
		if s.Open() != open {
			t.Errorf("%v.Open() = %v", s, s.Open())
		}
	}
}
