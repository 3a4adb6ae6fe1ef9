package demo

import (
	"github.com/motcua/motcua"
)

// OfficerPassword is every demo officer's password (published in the README).
const OfficerPassword = "motcua-demo"

// DemoOfficer is a demo officer account with its published TOTP secret.
type DemoOfficer struct {
	motcua.Officer
	Password string
}

// Officers returns one demo officer of each role in An Lão; the
// district's reception officer (tiepnhan.huyen) works at the one-stop
// desk of UBND huyện and receives for every district unit. Their TOTP
// secrets are published (README) so that a visitor can compute codes with
// `motcua totp --secret …` or any authenticator app; a real deployment
// enrols a fresh secret per officer.
func Officers() []DemoOfficer {
	mk := func(user, name, agency string, role motcua.Role, secret string) DemoOfficer {
		return DemoOfficer{Officer: motcua.Officer{Username: user, Name: name, AgencyCode: agency,
			Roles: []motcua.Role{role}, TOTPSecret: secret}, Password: OfficerPassword}
	}
	return []DemoOfficer{
		mk("tiepnhan.thitran", "Phạm Thị Lan", TownCode, motcua.RoleReception, "MOTCUADEMOTIEPNHANAAAAAAAAAAAAAA"),
		mk("xuly.tuphap", "Trần Văn Hùng", JusticeOfficeCode, motcua.RoleProcessing, "MOTCUADEMOXULYAAAAAAAAAAAAAAAAAA"),
		mk("lanhdao.tuphap", "Nguyễn Thị Mai", JusticeOfficeCode, motcua.RoleLeader, "MOTCUADEMOLANHDAOAAAAAAAAAAAAAAA"),
		mk("xuly.thitran", "Đặng Văn Long", TownCode, motcua.RoleProcessing, "MOTCUADEMOXULYTHITRANAAAAAAAAAAA"),
		mk("lanhdao.thitran", "Bùi Thị Hạnh", TownCode, motcua.RoleLeader, "MOTCUADEMOLANHDAOTHITRANAAAAAAAA"),
		mk("chungthuc.thitran", "Võ Minh Tuấn", TownCode, motcua.RoleCertification, "MOTCUADEMOCHUNGTHUCAAAAAAAAAAAAA"),
		mk("tiepnhan.huyen", "Ngô Thị Thu", DistrictCode, motcua.RoleReception, "MOTCUADEMOTIEPNHANHUYENAAAAAAAAA"),
		mk("theodoi.huyen", "Huỳnh Văn Phúc", DistrictCode, motcua.RoleMonitor, "MOTCUADEMOTHEODOIAAAAAAAAAAAAAAA"),
		mk("quantri.tinh", "Trương Thị Ngọc", ProvinceCode, motcua.RoleAdmin, "MOTCUADEMOQUANTRITINHAAAAAAAAAAA"),
		mk("quantri.huyen", "Lê Quang Vinh", DistrictCode, motcua.RoleAdmin, "MOTCUADEMOQUANTRIAAAAAAAAAAAAAAA"),
	}
}

// Integrator is the demo's agency system: the civil-status software of
// Thị trấn An Lão, allowed to push results with OAuth2 client credentials.
const (
	IntegratorID     = "hotich.thitran"
	IntegratorSecret = "motcua-demo-secret"
)

// ReportsClient is the demo district's reporting system: an integrator
// client with the reports:read scope and no result category, reading the
// district's indicator reports.
const (
	ReportsClientID     = "baocao.anlao"
	ReportsClientSecret = "motcua-demo-reports-secret"
)

// IntegratorCategories are the results the town's civil-status software
// issues (Luật Hộ tịch 2014): birth, marriage, marital status and death.
// Certified copies are the certification desk's, judicial records the
// Justice Department's and land titles the land registry's: the client
// may push none of them, nor push to organisations.
func IntegratorCategories() []string {
	return []string{CategoryBirthCertificate, CategoryMarriageCertificate, CategoryMaritalStatus, CategoryDeathExtract}
}
