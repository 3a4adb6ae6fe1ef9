package popdbsim

import (
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/popdb"
)

// MaxGenerate bounds Generate; far more than any test or demo needs.
const MaxGenerate = 1_000_000

// Name lists for synthetic citizens: common Vietnamese family names,
// middle names and given names, with their diacritics.
var (
	familyNames = [...]string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Vũ", "Võ", "Đặng",
		"Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Đào", "Cao"}
	maleMiddleNames   = [...]string{"Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Ngọc", "Xuân", "Quang"}
	femaleMiddleNames = [...]string{"Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Hồng", "Minh", "Bảo", "Thùy"}
	maleGivenNames    = [...]string{"An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khang", "Long", "Nam", "Phúc",
		"Quang", "Sơn", "Tài", "Thắng", "Trung", "Tuấn", "Việt", "Vinh", "Đạt", "Hiếu"}
	femaleGivenNames = [...]string{"Anh", "Châu", "Diệp", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai",
		"My", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Trang", "Uyên", "Yến"}
)

// GenerateCSV writes n synthetic citizens (Generate) as CSV (WriteCSV).
func GenerateCSV(w io.Writer, n int, seed int64) error {
	citizens, err := Generate(n, seed)
	if err != nil {
		return err
	}
	return WriteCSV(w, citizens)
}

// Generate returns n synthetic citizens of An Lão district, the same for
// the same seed. Personal ids are valid for Bình Định (prefix 052) with
// the century-and-sex digit and the birth year digits of the birth date;
// their last six digits are 100000 or more, so they never collide with
// DemoCitizens, whose ids and CMND numbers are also avoided. People born
// before 1995 often hold an old CMND (21 followed by 7 digits). Births run
// from 1940 to 2012; minors (in referenceYear) have their father as
// representative.
func Generate(n int, seed int64) ([]popdb.Citizen, error) {
	if n < 0 || n > MaxGenerate {
		return nil, fmt.Errorf("popdbsim: cannot generate %d citizens (0..%d)", n, MaxGenerate)
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0x706f7064622d73)) // "popdb-s"
	usedIDs := make(map[string]bool, n)
	usedLegacy := make(map[string]bool)
	for _, c := range DemoCitizens() {
		usedIDs[c.PersonalID] = true
		if c.LegacyID != "" {
			usedLegacy[c.LegacyID] = true
		}
	}
	pick := func(list []string) string { return list[r.IntN(len(list))] }

	out := make([]popdb.Citizen, 0, n)
	for range n {
		female := r.IntN(2) == 1
		year := 1940 + r.IntN(2012-1940+1)
		days := 365
		if time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC).YearDay() == 366 {
			days = 366
		}
		birth := time.Date(year, time.January, 1+r.IntN(days), 0, 0, 0, 0, time.UTC)

		sexDigit := 2 * (year/100 - 19)
		sex := motcua.SexMale
		if female {
			sexDigit++
			sex = motcua.SexFemale
		}
		var id string
		for id == "" || usedIDs[id] {
			id = fmt.Sprintf("052%d%02d%06d", sexDigit, year%100, 100000+r.IntN(900000))
		}
		usedIDs[id] = true

		family := pick(familyNames[:])
		middle, given := pick(maleMiddleNames[:]), pick(maleGivenNames[:])
		if female {
			middle, given = pick(femaleMiddleNames[:]), pick(femaleGivenNames[:])
		}
		w := anLaoWards[r.IntN(len(anLaoWards))]
		detail := fmt.Sprintf("Thôn %d", 1+r.IntN(6))
		if w.code == anLaoWards[0].code {
			detail = fmt.Sprintf("Khu phố %d", 1+r.IntN(4))
		}
		addr := popdb.Address{ProvinceCode: binhDinhProvinceCode, DistrictCode: anLaoDistrictCode, WardCode: w.code, Detail: detail}

		c := popdb.Citizen{
			PersonalID:             id,
			FullName:               family + " " + middle + " " + given,
			FamilyName:             family,
			MiddleName:             middle,
			GivenName:              given,
			Sex:                    sex,
			BirthDate:              motcua.Date{Year: birth.Year(), Month: birth.Month(), Day: birth.Day()},
			Ethnicity:              "Kinh",
			Religion:               "Không",
			MaritalStatus:          "Chưa kết hôn",
			BirthRegistrationPlace: w.place(),
			HomeTown:               w.place(),
			PermanentAddress:       addr,
			CurrentAddress:         addr,
			Nationality:            "Việt Nam",
			Father:                 popdb.Relative{Name: family + " Văn " + pick(maleGivenNames[:])},
			Mother:                 popdb.Relative{Name: pick(familyNames[:]) + " Thị " + pick(femaleGivenNames[:])},
		}
		if year < 1995 && r.IntN(10) < 6 {
			var legacy string
			for legacy == "" || usedLegacy[legacy] {
				legacy = fmt.Sprintf("21%07d", r.IntN(10_000_000))
			}
			usedLegacy[legacy] = true
			c.LegacyID = legacy
		}
		c.HouseholdHead = c.Father
		age := referenceYear - year
		switch {
		case age < 18:
			c.Representative = c.Father
		case age >= 22 && r.IntN(10) < 7:
			c.MaritalStatus = "Đã kết hôn"
			if female {
				c.Spouse = popdb.Relative{Name: pick(familyNames[:]) + " " + pick(maleMiddleNames[:]) + " " + pick(maleGivenNames[:])}
				c.HouseholdHead = c.Spouse
			} else {
				c.Spouse = popdb.Relative{Name: pick(familyNames[:]) + " " + pick(femaleMiddleNames[:]) + " " + pick(femaleGivenNames[:])}
				c.HouseholdHead = popdb.Relative{Name: c.FullName, PersonalID: id}
			}
		}
		out = append(out, c)
	}
	return out, nil
}
