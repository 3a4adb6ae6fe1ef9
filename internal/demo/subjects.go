package demo

import (
	"time"

	"github.com/motcua/motcua"
)

// Subject codes other packages refer to.
const (
	// GuideCitizenID is the personal id in the seeds' upload guide
	// (052090000495.KQ.G15.000021.02022024): a man born in 1990.
	GuideCitizenID = "052090000495"
	// PetrolOwnerID owns the seeds' petrol retailer certificate
	// (052098000814.KQ.G02.000144.CS10387): a man born in 1998.
	PetrolOwnerID = "052098000814"

	PetrolCompanyCode = "4101596283" // Công ty TNHH Thương mại Xăng dầu An Lão
	CooperativeCode   = "4101128457" // Hợp tác xã Nông nghiệp An Hòa
)

// Citizens returns the synthetic persons of the demo. They are invented:
// apart from the two personal ids the seeds show (GuideCitizenID,
// PetrolOwnerID), which come with no name there, every name, number, date
// and address is made up. Personal ids follow TT 07/2016/TT-BCA: 052
// (Bình Định), then the century and sex digit and the two-digit year that
// match BirthDate. Legacy CMND numbers are made-up 9-digit numbers
// starting with 21 (believed to be the prefix Bình Định used); only their
// shape is checked anywhere.
//
// The population-database simulator serves the same people, so change them
// together.
func Citizens() []motcua.Subject {
	person := func(id, name string, birth motcua.Date, legacy, phone, email, address string) motcua.Subject {
		return motcua.Subject{
			Code:      id,
			Kind:      motcua.SubjectPerson,
			Name:      name,
			BirthDate: birth,
			LegacyID:  legacy,
			Phone:     phone,
			Email:     email,
			Address:   address,
		}
	}
	return []motcua.Subject{
		person(GuideCitizenID, "Trần Văn Hùng", date(1990, time.March, 15), "", "0905123456",
			"tranvanhung@example.com", "Khu phố 1, thị trấn An Lão, huyện An Lão, tỉnh Bình Định"),
		person(PetrolOwnerID, "Đỗ Văn Thịnh", date(1998, time.August, 22), "215432109", "0935246810",
			"", "Thôn 2, xã An Tân, huyện An Lão, tỉnh Bình Định"),
		person("052192004817", "Nguyễn Thị Mai", date(1992, time.July, 21), "", "0914385726",
			"nguyenthimai@example.com", "Thôn 1, xã An Hòa, huyện An Lão, tỉnh Bình Định"),
		person("052085007263", "Lê Văn Phúc", date(1985, time.November, 2), "211234567", "0983456120",
			"", "Thôn 3, xã An Trung, huyện An Lão, tỉnh Bình Định"),
		person("052195003581", "Phạm Thị Hồng Nhung", date(1995, time.January, 30), "", "0368291047",
			"", "Khu phố 2, thị trấn An Lão, huyện An Lão, tỉnh Bình Định"),
		person("052078001926", "Đinh Văn Sơn", date(1978, time.May, 9), "211876543", "0977640318",
			"", "Thôn 1, xã An Vinh, huyện An Lão, tỉnh Bình Định"),
		person("052169000732", "Võ Thị Thu Hà", date(1969, time.December, 12), "", "0905778123",
			"", "Thôn 4, xã An Hưng, huyện An Lão, tỉnh Bình Định"),
		person("052303001458", "Huỳnh Ngọc Bảo Anh", date(2003, time.April, 18), "", "0388612459",
			"baoanh.huynh@example.com", "Thôn 2, xã An Hòa, huyện An Lão, tỉnh Bình Định"),
		person("052205002671", "Nguyễn Minh Khang", date(2005, time.September, 5), "", "0342197865",
			"", "Thôn 1, xã An Dũng, huyện An Lão, tỉnh Bình Định"),
		person("052188006034", "Đinh Thị Lanh", date(1988, time.February, 27), "", "0912034587",
			"", "Thôn 3, xã An Toàn, huyện An Lão, tỉnh Bình Định"),
	}
}

// Organisations returns the synthetic organisations of the demo. Their
// 10-digit tax codes use Bình Định's 41 prefix and are made up (the check
// digit is not computed).
func Organisations() []motcua.Subject {
	return []motcua.Subject{
		{
			Code:    PetrolCompanyCode,
			Kind:    motcua.SubjectOrganisation,
			Name:    "Công ty TNHH Thương mại Xăng dầu An Lão",
			Phone:   "0905661188",
			Email:   "xangdauanlao@example.com",
			Address: "Thôn 2, xã An Tân, huyện An Lão, tỉnh Bình Định",
		},
		{
			Code:    CooperativeCode,
			Kind:    motcua.SubjectOrganisation,
			Name:    "Hợp tác xã Nông nghiệp An Hòa",
			Phone:   "0983117722",
			Address: "Thôn 1, xã An Hòa, huyện An Lão, tỉnh Bình Định",
		},
	}
}

// Subjects returns Citizens followed by Organisations.
func Subjects() []motcua.Subject {
	return append(Citizens(), Organisations()...)
}

func date(year int, month time.Month, day int) motcua.Date {
	return motcua.Date{Year: year, Month: month, Day: day}
}
