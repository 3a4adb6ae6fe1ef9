package popdb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/popdb"
)

// The domain's purposes and actor kinds are sent to the database as they
// are: they must stay the contract's values.
func TestDomainConstantsAreTheContracts(t *testing.T) {
	for domain, contract := range map[string]string{
		string(motcua.PurposeCounter): string(popdb.PurposeCounter), string(motcua.PurposeRegistration): string(popdb.PurposeRegistration),
		string(motcua.PurposeOnlineSubmission): string(popdb.PurposeOnlineSubmission),
		string(motcua.PurposeResultPush):       string(popdb.PurposeResultPush),
		motcua.ActorOfficer:                    popdb.ActorOfficer, motcua.ActorCitizen: popdb.ActorCitizen,
		motcua.ActorSystem: popdb.ActorSystem, motcua.ActorIntegrator: popdb.ActorIntegrator,
	} {
		if domain != contract {
			t.Errorf("domain %q, contract %q", domain, contract)
		}
	}
}

func TestDomainQuery(t *testing.T) {
	t.Parallel()
	c, b := setup(t, setupOpts{})
	q := motcua.IdentityQuery{ActorKind: motcua.ActorOfficer, ActorID: "canbo.tiepnhan01", AgencyCode: demo.TownCode,
		Purpose: motcua.PurposeCounter, ServiceCode: "1.001", DossierID: "000.23.01.H08-250301-0001",
		PersonalID: demo.GuideCitizenID, FullName: "tran van hung", BirthDate: date(1990, time.March, 15)}
	want := popdb.Query{ActorKind: popdb.ActorOfficer, ActorID: q.ActorID, AgencyCode: q.AgencyCode,
		Purpose: popdb.PurposeCounter, ServiceCode: q.ServiceCode, DossierID: q.DossierID, PersonalID: q.PersonalID,
		FullName: q.FullName, BirthDate: q.BirthDate}
	if got := popdb.QueryFrom(q); got != want {
		t.Fatalf("QueryFrom = %+v, want %+v", got, want)
	}

	got, err := c.LookupCitizen(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	if got.PersonalID != demo.GuideCitizenID || got.FullName != "Trần Văn Hùng" || got.Sex != motcua.SexMale ||
		got.BirthDate != q.BirthDate || got.Nationality != "Việt Nam" || got.PermanentAddress != "Khu phố 1" ||
		got.CurrentAddress != "Khu phố 1" || got.Ethnicity == "" {
		t.Fatalf("LookupCitizen = %+v", got)
	}
	ok, err := c.CheckIdentity(t.Context(), q)
	if err != nil || !ok {
		t.Fatalf("CheckIdentity = %t, %v", ok, err)
	}
	q.BirthDate = date(1991, time.March, 15)
	if ok, err := c.CheckIdentity(t.Context(), q); err != nil || ok {
		t.Fatalf("CheckIdentity with a wrong birth date = %t, %v", ok, err)
	}
	if _, err := c.LookupCitizen(t.Context(), q); !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatalf("LookupCitizen with a wrong birth date: %v", err)
	}
	for _, e := range b.audit.all() {
		if e.ActorKind != motcua.ActorOfficer || e.ActorID != q.ActorID || !strings.Contains(e.Detail, "counter") {
			t.Fatalf("audit event %+v", e)
		}
	}
}
