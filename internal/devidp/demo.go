package devidp

import (
	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
)

// DemoUsers returns the demo's citizens and organisations as accounts, so
// that whoever logs in finds their warehouse and dossiers. Citizens log in
// with their personal id. An organisation logs in with its own account,
// named by its enterprise code (mã số doanh nghiệp), rather than through a
// representative's personal id: the demo data names no representatives.
func DemoUsers() []User {
	var users []User
	for _, s := range demo.Subjects() {
		u := User{Name: s.Name, Phone: s.Phone, Email: s.Email}
		switch s.Kind {
		case motcua.SubjectOrganisation:
			u.AccountType = AccountOrganisation
			u.OrgCode = s.Code
		default:
			u.AccountType = AccountCitizen
			u.PersonalID = s.Code
			u.BirthDate = s.BirthDate
		}
		users = append(users, u)
	}
	return users
}
