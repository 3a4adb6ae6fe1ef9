package service_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

// TestAuthorize is the permission table: every operation × principal ×
// ownership case, and the expected verdict.
func TestAuthorize(t *testing.T) {
	t.Parallel()
	const (
		me       = "052090000495"
		other    = "052198000814"
		commune  = "000.23.03.H08"
		commune2 = "000.23.04.H08"
		district = "000.00.23.H08"
		province = "000.00.00.H08"
	)
	citizen := &motcua.Principal{Kind: motcua.PrincipalPerson, SubjectCode: me}
	org := &motcua.Principal{Kind: motcua.PrincipalOrganisation, SubjectCode: "4100259564", Representative: me}
	officer := func(agency string, roles ...motcua.Role) *motcua.Principal {
		return &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "cb", AgencyCode: agency, Roles: roles}
	}
	reception := officer(commune, motcua.RoleReception)
	processing := officer(commune, motcua.RoleProcessing)
	leader := officer(commune, motcua.RoleLeader)
	certifier := officer(commune, motcua.RoleCertification)
	districtMonitor := officer(district, motcua.RoleMonitor)
	provinceAdmin := officer(province, motcua.RoleAdmin)
	communeAdmin := officer(commune, motcua.RoleAdmin)
	reportsClient := (&motcua.APIClient{ID: "baocao", AgencyCode: district, Scopes: []string{motcua.ScopeReportsRead}}).Principal()
	pushClient := (&motcua.APIClient{ID: "hotich", AgencyCode: district, Categories: []string{"KQ.G15.000031"}}).Principal()

	atCommune := []string{commune, district, province}
	atCommune2 := []string{commune2, district, province}
	atDistrict := []string{district, province}
	mine := service.Resource{OwnerCode: me}
	theirs := service.Resource{OwnerCode: other}
	orgs := service.Resource{OwnerCode: "4100259564"}
	dossierHere := service.Resource{OwnerCode: other, AgencyPath: atCommune, InDossier: true}
	dossierThere := service.Resource{OwnerCode: other, AgencyPath: atCommune2, InDossier: true}
	browseHere := service.Resource{OwnerCode: other, AgencyPath: atCommune}
	workHere := service.Resource{AgencyPath: atCommune}
	workThere := service.Resource{AgencyPath: atCommune2}
	districtWork := service.Resource{AgencyPath: atDistrict}
	// A district unit received at the district's one-stop desk.
	unit := "000.01.23.H08"
	unitWork := service.Resource{AgencyPath: []string{unit, district, province}, Desk: district}
	unitDossier := service.Resource{OwnerCode: other, AgencyPath: []string{unit, district, province}, Desk: district, InDossier: true}
	deskOfficer := officer(district, motcua.RoleReception)
	deskProcessing := officer(district, motcua.RoleProcessing)

	const allow, deny, login = "allow", "forbidden", "login_required"
	cases := []struct {
		who  string
		p    *motcua.Principal
		op   service.Operation
		res  service.Resource
		want string
	}{
		{"anonymous", nil, service.OpReadWarehouse, mine, login},
		{"anonymous", nil, service.OpViewKPI, workHere, login},

		{"citizen", citizen, service.OpReadOwnProfile, mine, allow},
		{"citizen", citizen, service.OpReadWarehouse, mine, allow},
		{"citizen", citizen, service.OpWriteWarehouse, mine, allow},
		{"citizen", citizen, service.OpSubmitDossier, mine, allow},
		{"citizen", citizen, service.OpReadWarehouse, theirs, deny},
		{"citizen", citizen, service.OpWriteWarehouse, theirs, deny},
		{"citizen", citizen, service.OpSubmitDossier, theirs, deny},
		{"citizen", citizen, service.OpReadWarehouse, service.Resource{}, deny},
		{"citizen", citizen, service.OpReceiveDossier, workHere, deny},
		{"citizen", citizen, service.OpViewKPI, workHere, deny},
		{"citizen", citizen, service.OpManageOfficers, workHere, deny},
		{"org", org, service.OpReadWarehouse, orgs, allow},
		{"org", org, service.OpReadWarehouse, mine, deny},

		{"reception", reception, service.OpReadWarehouse, dossierHere, allow},
		{"reception", reception, service.OpReadWarehouse, dossierThere, deny},
		{"reception", reception, service.OpReadWarehouse, browseHere, deny},
		{"reception", reception, service.OpWriteWarehouse, dossierHere, deny},
		{"reception", reception, service.OpCounterIdentityCheck, workHere, allow},
		{"reception", reception, service.OpCounterIdentityCheck, workThere, deny},
		{"reception", reception, service.OpReceiveDossier, workHere, allow},
		{"reception", reception, service.OpReceiveDossier, workThere, deny},
		{"desk", deskOfficer, service.OpReceiveDossier, unitWork, allow},
		{"desk", deskOfficer, service.OpReceiveDossier, districtWork, allow},
		{"desk", deskOfficer, service.OpReadWarehouse, unitDossier, allow},
		{"desk", deskOfficer, service.OpCounterIdentityCheck, unitWork, allow},
		{"desk", deskOfficer, service.OpProcessDossier, unitWork, deny},
		{"desk", deskOfficer, service.OpReceiveDossier, workHere, deny},
		{"desk", deskProcessing, service.OpProcessDossier, unitWork, deny},
		{"desk", deskProcessing, service.OpReceiveDossier, unitWork, deny},
		{"desk", reception, service.OpReceiveDossier, unitWork, deny},
		{"reception", reception, service.OpProcessDossier, workHere, deny},
		{"reception", reception, service.OpSignResult, workHere, deny},
		{"reception", reception, service.OpViewKPI, workHere, deny},
		{"reception", reception, service.OpReadOwnProfile, service.Resource{}, allow},

		{"processing", processing, service.OpProcessDossier, workHere, allow},
		{"processing", processing, service.OpProcessDossier, workThere, deny},
		{"processing", processing, service.OpReadWarehouse, dossierHere, allow},
		{"processing", processing, service.OpReceiveDossier, workHere, deny},
		{"processing", processing, service.OpSignResult, workHere, deny},

		{"leader", leader, service.OpSignResult, workHere, allow},
		{"leader", leader, service.OpSignResult, workThere, deny},
		{"leader", leader, service.OpProcessDossier, workHere, allow},
		{"leader", leader, service.OpViewKPI, workHere, allow},
		{"leader", leader, service.OpViewKPI, districtWork, deny},

		{"certifier", certifier, service.OpCertifyCopy, workHere, allow},
		{"certifier", certifier, service.OpCertifyCopy, workThere, deny},
		{"certifier", certifier, service.OpCounterIdentityCheck, workHere, allow},
		{"certifier", certifier, service.OpSignResult, workHere, deny},

		{"district monitor", districtMonitor, service.OpViewKPI, districtWork, allow},
		{"district monitor", districtMonitor, service.OpViewKPI, workHere, allow},
		{"district monitor", districtMonitor, service.OpViewKPI, service.Resource{AgencyPath: []string{province}}, deny},
		{"reports:read client", reportsClient, service.OpViewKPI, districtWork, allow},
		{"reports:read client", reportsClient, service.OpViewKPI, workHere, allow},
		{"reports:read client", reportsClient, service.OpViewKPI, service.Resource{AgencyPath: []string{province}}, deny},
		{"reports:read client", reportsClient, service.OpReadWarehouse, browseHere, deny},
		{"reports:read client", reportsClient, service.OpProcessDossier, districtWork, deny},
		{"reports:read client", reportsClient, service.OpManageOfficers, districtWork, deny},
		{"client without scope", pushClient, service.OpViewKPI, districtWork, deny},
		{"district monitor", districtMonitor, service.OpReadWarehouse, dossierHere, deny},
		{"district monitor", districtMonitor, service.OpReceiveDossier, districtWork, deny},
		{"district monitor", districtMonitor, service.OpManageOfficers, districtWork, deny},

		{"province admin", provinceAdmin, service.OpManageOfficers, workHere, allow},
		{"province admin", provinceAdmin, service.OpManageCatalogue, districtWork, allow},
		{"province admin", provinceAdmin, service.OpReadWarehouse, dossierHere, deny},
		{"province admin", provinceAdmin, service.OpSignResult, workHere, deny},
		{"commune admin", communeAdmin, service.OpManageOfficers, workHere, allow},
		{"commune admin", communeAdmin, service.OpManageOfficers, districtWork, deny},
		{"commune admin", communeAdmin, service.OpManageOfficers, workThere, deny},
		{"officer, no agency path", reception, service.OpReceiveDossier, service.Resource{}, deny},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%s/%v", c.who, c.op, c.res.AgencyPath), func(t *testing.T) {
			err := service.Authorize(c.p, c.op, c.res)
			got := allow
			if err != nil {
				got = motcua.ErrorCode(err)
			}
			if got != c.want {
				t.Fatalf("%s %s on %+v = %s, want %s", c.who, c.op, c.res, got, c.want)
			}
		})
	}
}

// TestAuthorizeProvince: the province-wide settings are the root
// agency's administrator's; an administrator lower in the tree gets
// province_admin_only, anyone else the plain refusal.
func TestAuthorizeProvince(t *testing.T) {
	t.Parallel()
	f := setup(t) // agencyCode is a root: its administrator is the province's
	ctx := context.Background()
	province, district, desk := adminTree(t, f)
	const commune = "000.31.01.H08"
	if err := f.store.CreateAgency(ctx, &motcua.Agency{Code: commune, Name: "UBND xã Ân Hảo", Level: motcua.LevelCommune, ParentCode: "000.00.31.H08"}); err != nil {
		t.Fatal(err)
	}
	communeAdmin := officerOf(commune, "quantri.xa", motcua.RoleAdmin)
	citizen := &motcua.Principal{Kind: motcua.PrincipalPerson, SubjectCode: "052090000495"}
	for _, op := range []service.Operation{service.OpManageTrustAnchors, service.OpManageHolidays} {
		for _, c := range []struct {
			name string
			p    *motcua.Principal
			code string
		}{
			{"province administrator", province, ""},
			{"district administrator", district, "province_admin_only"},
			{"commune administrator", communeAdmin, "province_admin_only"},
			{"province officer without the role", desk, "forbidden"},
			{"citizen", citizen, "forbidden"},
			{"visitor", nil, "login_required"},
		} {
			if got := motcua.ErrorCode(service.AuthorizeProvince(ctx, f.store, c.p, op)); got != c.code {
				t.Errorf("%s, %s: %q, want %q", op, c.name, got, c.code)
			}
		}
	}
}
