package popdbsim

import (
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/popdb"
)

// Administrative unit codes of the General Statistics Office for the demo's
// district, An Lão (Bình Định), as published in public address datasets
// before the 2025 reorganisation. They only make the synthetic records
// look like real ones; check them against the current list before relying
// on them.
const (
	binhDinhProvinceCode = "52"
	anLaoDistrictCode    = "542"
)

type ward struct {
	code string
	name string // as written in addresses, e.g. "xã An Hòa"
}

var anLaoWards = [...]ward{
	{"21609", "thị trấn An Lão"},
	{"21610", "xã An Hưng"},
	{"21613", "xã An Trung"},
	{"21616", "xã An Dũng"},
	{"21619", "xã An Vinh"},
	{"21622", "xã An Toàn"},
	{"21625", "xã An Tân"},
	{"21628", "xã An Hòa"},
	{"21631", "xã An Quang"},
	{"21634", "xã An Nghĩa"},
}

const districtSuffix = ", huyện An Lão, tỉnh Bình Định"

// anLaoAddress splits an address of the demo's form "Thôn 1, xã An Hòa,
// huyện An Lão, tỉnh Bình Định" into the database's codes and detail. An
// address outside An Lão keeps everything as detail.
func anLaoAddress(s string) popdb.Address {
	detail, rest, ok := strings.Cut(s, ", ")
	if ok {
		wardName, _ := strings.CutSuffix(rest, districtSuffix)
		for _, w := range anLaoWards {
			if motcua.EqualFolded(w.name, wardName) {
				return popdb.Address{ProvinceCode: binhDinhProvinceCode, DistrictCode: anLaoDistrictCode,
					WardCode: w.code, Detail: detail}
			}
		}
	}
	return popdb.Address{Detail: s}
}

// place is the text the database shows for a home town or a birth
// registration place: "Xã An Hòa, huyện An Lão, tỉnh Bình Định".
func (w ward) place() string {
	return strings.ToUpper(w.name[:1]) + w.name[1:] + districtSuffix
}

func wardByCode(code string) ward {
	for _, w := range anLaoWards {
		if w.code == code {
			return w
		}
	}
	return anLaoWards[0]
}

// referenceYear is the year ages are computed from in synthetic data
// (marital status, minors' representatives), fixed so that the data does
// not change with the clock.
const referenceYear = 2025

// DemoCitizens returns the simulator's default population: every person of
// demo.Citizens() with exactly the same personal id, old CMND, full name
// and date of birth (so the demo's logins and registrations pass the
// identity check), completed into full records with invented relatives,
// followed by the people of MismatchExamples.
func DemoCitizens() []popdb.Citizen {
	subjects := demo.Citizens()
	out := make([]popdb.Citizen, 0, len(subjects)+len(mismatchPeople))
	for i, s := range subjects {
		out = append(out, fromSubject(i, s))
	}
	return append(out, mismatchPeople[:]...)
}

// Invented relatives of the demo people, picked by position.
var (
	demoFatherGiven  = [...]string{"Thành", "Lộc", "Bình", "Tư", "Hòa", "Khánh", "Đông", "Lợi"}
	demoMotherFamily = [...]string{"Lê", "Phạm", "Huỳnh", "Võ", "Nguyễn", "Trần", "Đặng", "Bùi"}
	demoMotherGiven  = [...]string{"Hoa", "Lý", "Sen", "Cúc", "Mận", "Hương", "Thắm", "Nga"}
	demoSpouseFamily = [...]string{"Phan", "Ngô", "Trương", "Hồ", "Đào", "Cao", "Dương", "Lý"}
	demoSpouseGiven  = [...]string{"Hạnh", "Quý", "Tâm", "Thủy", "Lực", "Trí", "Vân", "Hiền"}
)

func fromSubject(i int, s motcua.Subject) popdb.Citizen {
	c := popdb.Citizen{
		PersonalID:  s.Code,
		LegacyID:    s.LegacyID,
		FullName:    s.Name,
		BirthDate:   s.BirthDate,
		Ethnicity:   "Kinh",
		Religion:    "Không",
		Nationality: "Việt Nam",
	}
	c.FamilyName, c.MiddleName, c.GivenName = popdb.SplitFullName(s.Name)
	if id, err := motcua.ParsePersonalID(s.Code); err == nil {
		c.Sex = id.Sex
	}
	c.PermanentAddress = anLaoAddress(s.Address)
	c.CurrentAddress = c.PermanentAddress
	if c.PermanentAddress.WardCode != "" {
		place := wardByCode(c.PermanentAddress.WardCode).place()
		c.HomeTown, c.BirthRegistrationPlace = place, place
	}

	n := len(demoFatherGiven)
	c.Father = popdb.Relative{Name: c.FamilyName + " Văn " + demoFatherGiven[i%n]}
	c.Mother = popdb.Relative{Name: demoMotherFamily[i%n] + " Thị " + demoMotherGiven[i%n]}
	c.MaritalStatus = "Chưa kết hôn"
	c.HouseholdHead = c.Father
	if s.BirthDate.Year <= referenceYear-30 {
		c.MaritalStatus = "Đã kết hôn"
		if c.Sex == motcua.SexFemale {
			c.Spouse = popdb.Relative{Name: demoSpouseFamily[i%n] + " Văn " + demoSpouseGiven[i%n]}
			c.HouseholdHead = c.Spouse
		} else {
			c.Spouse = popdb.Relative{Name: demoSpouseFamily[i%n] + " Thị " + demoSpouseGiven[i%n]}
			c.HouseholdHead = popdb.Relative{Name: c.FullName, PersonalID: c.PersonalID}
		}
	}
	return c
}

// MismatchExample is a claim that a login, a registration or a counter
// check could plausibly make and that the database must reject (Verify
// false, Lookup and MapLegacyID not found). Tests and the README use them
// to show the failure path ("xác thực thất bại").
type MismatchExample struct {
	Name  string      // short key, e.g. "birth_date_off_by_one"
	Claim popdb.Query // what is sent
	Why   string      // what differs from the database, in English
}

// The extra people of DemoCitizens behind MismatchExamples. Their records
// deliberately differ from what they would claim.
var mismatchPeople = [...]popdb.Citizen{
	// Registered born on 14/06/1987; she remembers (and her school
	// records say) the 15th.
	syntheticPerson("052187005519", "", "Trương Thị Ngọc Lan", motcua.SexFemale,
		motcua.Date{Year: 1987, Month: time.June, Day: 14}, "21628", "Thôn 3", "Đã kết hôn"),
	// Registered with two middle names; he uses only "Minh".
	syntheticPerson("052091006642", "", "Phan Văn Minh Tuấn", motcua.SexMale,
		motcua.Date{Year: 1991, Month: time.October, Day: 3}, "21609", "Khu phố 3", "Chưa kết hôn"),
	// An elderly man who only ever held a 9-digit CMND and does not know
	// his personal id.
	syntheticPerson("052058001307", "210456789", "Nguyễn Văn Bảy", motcua.SexMale,
		motcua.Date{Year: 1958, Month: time.April, Day: 20}, "21616", "Thôn 2", "Đã kết hôn"),
}

// MismatchExamples returns claims that fail the identity check against
// DemoCitizens, one per way a real claim goes wrong.
func MismatchExamples() []MismatchExample {
	claim := func(id, legacy, name string, birth motcua.Date) popdb.Query {
		return popdb.Query{
			Purpose:    popdb.PurposeRegistration,
			ActorKind:  "citizen",
			PersonalID: id,
			LegacyID:   legacy,
			FullName:   name,
			BirthDate:  birth,
		}
	}
	return []MismatchExample{
		{
			Name:  "birth_date_off_by_one",
			Claim: claim("052187005519", "", "Trương Thị Ngọc Lan", motcua.Date{Year: 1987, Month: time.June, Day: 15}),
			Why:   "the database records her birth on 14/06/1987, one day before the claimed date",
		},
		{
			Name:  "missing_middle_name",
			Claim: claim("052091006642", "", "Phan Minh Tuấn", motcua.Date{Year: 1991, Month: time.October, Day: 3}),
			Why:   `the database records the full name "Phan Văn Minh Tuấn"; the claim drops the middle name "Văn"`,
		},
		{
			Name:  "legacy_id_typed_as_personal_id",
			Claim: claim("052210456789", "", "Nguyễn Văn Bảy", motcua.Date{Year: 1958, Month: time.April, Day: 20}),
			Why: "he is known by his old CMND 210456789 and typed it behind the province code 052 as if it were " +
				"his personal id (052058001307); the claim with the CMND itself, or MapLegacyID, succeeds",
		},
		{
			Name: "transposed_digits",
			Claim: claim("052090000459", "", "Trần Văn Hùng",
				motcua.Date{Year: 1990, Month: time.March, Day: 15}),
			Why: "the last two digits of the personal id 052090000495 are swapped; no citizen has the typed number",
		},
		{
			Name:  "legacy_id_of_someone_else",
			Claim: claim(demo.PetrolOwnerID, "210456789", "Đỗ Văn Thịnh", motcua.Date{Year: 1998, Month: time.August, Day: 22}),
			Why:   "the personal id and the CMND both exist but belong to two different citizens",
		},
	}
}

func syntheticPerson(id, legacy, name string, sex motcua.Sex, birth motcua.Date, wardCode, detail, marital string) popdb.Citizen {
	w := wardByCode(wardCode)
	addr := popdb.Address{ProvinceCode: binhDinhProvinceCode, DistrictCode: anLaoDistrictCode, WardCode: w.code, Detail: detail}
	c := popdb.Citizen{
		PersonalID:             id,
		LegacyID:               legacy,
		FullName:               name,
		Sex:                    sex,
		BirthDate:              birth,
		Ethnicity:              "Kinh",
		Religion:               "Không",
		MaritalStatus:          marital,
		BirthRegistrationPlace: w.place(),
		HomeTown:               w.place(),
		PermanentAddress:       addr,
		CurrentAddress:         addr,
		Nationality:            "Việt Nam",
	}
	c.FamilyName, c.MiddleName, c.GivenName = popdb.SplitFullName(name)
	c.Father = popdb.Relative{Name: c.FamilyName + " Văn Lực"}
	c.Mother = popdb.Relative{Name: "Lê Thị Sáu"}
	c.HouseholdHead = c.Father
	if marital == "Đã kết hôn" && sex == motcua.SexMale {
		c.HouseholdHead = popdb.Relative{Name: name, PersonalID: id}
	}
	return c
}
