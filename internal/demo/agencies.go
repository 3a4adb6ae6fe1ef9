package demo

import (
	"fmt"

	"github.com/motcua/motcua"
)

// Agency electronic codes of the demo tree.
//
// These are DEMO codes. The real QCVN 102:2016 codes of Bình Định's
// agencies were not available, so the tree uses one visible pattern that
// only has the right dotted shape: H08 for the province, 23 for An Lão
// district, "000.NN.23.H08" for the district's units and "000.23.NN.H08"
// for its communes, NN following the order of seed 002 Appendix I. Ordering
// by code (as ListAgencies does) therefore reproduces the Appendix's rows.
// Replace them with the catalogue's codes before any real use.
const (
	ProvinceCode = "000.00.00.H08" // UBND tỉnh Bình Định
	DistrictCode = "000.00.23.H08" // UBND huyện An Lão

	// District-level units, Appendix I part I.
	JusticeOfficeCode         = "000.01.23.H08" // Phòng Tư pháp
	HomeAffairsOfficeCode     = "000.02.23.H08" // Phòng Nội vụ
	LandRegistryBranchCode    = "000.03.23.H08" // Chi nhánh VPĐKĐĐ huyện
	EnvironmentOfficeCode     = "000.04.23.H08" // Phòng TN&MT
	EducationOfficeCode       = "000.05.23.H08" // Phòng GD&ĐT
	HealthOfficeCode          = "000.06.23.H08" // Phòng Y tế
	EconomyOfficeCode         = "000.07.23.H08" // Phòng KT&HT
	ForestRangerCode          = "000.08.23.H08" // Hạt Kiểm lâm huyện
	FinancePlanningOfficeCode = "000.09.23.H08" // Phòng TC-KH

	// TownCode is the first commune of Appendix I part II, UBND Thị trấn
	// An Lão; the others are in Communes.
	TownCode = "000.23.01.H08"
)

// Province returns the root of the demo tree.
func Province() motcua.Agency {
	return motcua.Agency{Code: ProvinceCode, Name: "UBND tỉnh Bình Định", Level: motcua.LevelProvince}
}

// District returns the An Lão district People's Committee.
func District() motcua.Agency {
	return motcua.Agency{Code: DistrictCode, Name: "UBND huyện An Lão", Level: motcua.LevelDistrict, ParentCode: ProvinceCode}
}

// DistrictUnits returns the 9 district-level units of seed 002 Appendix I
// part I, in the Appendix's order. Names are spelled out; AppendixI keeps
// the abbreviations the Appendix prints. None has its own reception
// officers: their dossiers are received at the one-stop desk of UBND
// huyện An Lão (Bộ phận Tiếp nhận và Trả kết quả), ReceptionDesk.
func DistrictUnits() []motcua.Agency {
	unit := func(code, name string) motcua.Agency {
		return motcua.Agency{Code: code, Name: name, Level: motcua.LevelDistrict, ParentCode: DistrictCode, ReceptionDesk: DistrictCode}
	}
	return []motcua.Agency{
		unit(JusticeOfficeCode, "Phòng Tư pháp"),
		unit(HomeAffairsOfficeCode, "Phòng Nội vụ"),
		unit(LandRegistryBranchCode, "Chi nhánh Văn phòng đăng ký đất đai huyện An Lão"),
		unit(EnvironmentOfficeCode, "Phòng Tài nguyên và Môi trường"),
		unit(EducationOfficeCode, "Phòng Giáo dục và Đào tạo"),
		unit(HealthOfficeCode, "Phòng Y tế"),
		unit(EconomyOfficeCode, "Phòng Kinh tế và Hạ tầng"),
		unit(ForestRangerCode, "Hạt Kiểm lâm huyện An Lão"),
		unit(FinancePlanningOfficeCode, "Phòng Tài chính – Kế hoạch"),
	}
}

// Communes returns the 10 communes of seed 002 Appendix I part II, in the
// Appendix's order (the town first).
func Communes() []motcua.Agency {
	names := []string{
		"UBND Thị trấn An Lão",
		"UBND xã An Dũng",
		"UBND xã An Hòa",
		"UBND xã An Hưng",
		"UBND xã An Nghĩa",
		"UBND xã An Quang",
		"UBND xã An Tân",
		"UBND xã An Trung",
		"UBND xã An Toàn",
		"UBND xã An Vinh",
	}
	out := make([]motcua.Agency, len(names))
	for i, name := range names {
		out[i] = motcua.Agency{
			Code:       communeCode(i + 1),
			Name:       name,
			Level:      motcua.LevelCommune,
			ParentCode: DistrictCode,
		}
	}
	return out
}

// communeCode returns the demo code of the n-th commune (1-based).
func communeCode(n int) string {
	return fmt.Sprintf("000.23.%02d.H08", n)
}

// CommuneCodes returns the codes of Communes, in the same order.
func CommuneCodes() []string {
	cs := Communes()
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Code
	}
	return out
}

// Agencies returns the whole tree, parents before children: the province,
// the district, its units, then its communes.
func Agencies() []motcua.Agency {
	out := []motcua.Agency{Province(), District()}
	out = append(out, DistrictUnits()...)
	return append(out, Communes()...)
}

// AppendixIRow is one row of seed 002 Appendix I, the reuse-rate table of
// An Lão district as of 20/3/2024: dossiers received and dossiers that
// reused digitized data.
type AppendixIRow struct {
	AgencyCode string
	Label      string // the unit as the Appendix prints it
	Received   int    // Tổng hồ sơ tiếp nhận
	Reused     int    // Hồ sơ sử dụng lại dữ liệu số hóa
}

// AppendixI returns the Appendix's rows, district units first then
// communes, without the total rows (Σ 1.246 / 21 and 2.234 / 135), which
// are the sums of these. The Appendix prints 0.32% for Phòng Tư pháp
// where 1/306 rounds to 0.33%: its rates look truncated, not rounded.
func AppendixI() []AppendixIRow {
	return []AppendixIRow{
		{JusticeOfficeCode, "Phòng Tư pháp", 306, 1},
		{HomeAffairsOfficeCode, "Phòng Nội vụ", 3, 0},
		{LandRegistryBranchCode, "Chi nhánh VPĐKĐĐ huyện", 818, 20},
		{EnvironmentOfficeCode, "Phòng TN&MT", 37, 0},
		{EducationOfficeCode, "Phòng GD&ĐT", 15, 0},
		{HealthOfficeCode, "Phòng Y tế", 1, 0},
		{EconomyOfficeCode, "Phòng KT&HT", 44, 0},
		{ForestRangerCode, "Hạt Kiểm lâm huyện", 0, 0},
		{FinancePlanningOfficeCode, "Phòng TC-KH", 22, 0},
		{communeCode(1), "UBND Thị Trấn An Lão", 399, 50},
		{communeCode(2), "UBND xã An Dũng", 98, 0},
		{communeCode(3), "UBND xã An Hòa", 461, 66},
		{communeCode(4), "UBND xã An Hưng", 168, 0},
		{communeCode(5), "UBND xã An Nghĩa", 91, 0},
		{communeCode(6), "UBND xã An Quang", 126, 0},
		{communeCode(7), "UBND xã An Tân", 400, 2},
		{communeCode(8), "UBND xã An Trung", 179, 17},
		{communeCode(9), "UBND xã An Toàn", 47, 0},
		{communeCode(10), "UBND xã An Vinh", 265, 0},
	}
}
