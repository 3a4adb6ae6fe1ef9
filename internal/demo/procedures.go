package demo

import (
	"strings"

	"github.com/motcua/motcua"
)

// Procedure codes of the demo catalogue.
//
// These are DEMO codes with the shape of national ones (procedure number +
// ".000.00.00.H08" for the implementing province). They could not be
// checked against the national procedure database: 1.000894 (kết hôn) and
// 1.001193 (khai sinh) are believed to be the national numbers, the others
// are placeholders that may name a different procedure nationally. Replace
// them all with the published codes before any real use.
const (
	ProcedureMarriage       = "1.000894.000.00.00.H08" // Đăng ký kết hôn
	ProcedureJudicialRecord = "2.000488.000.00.00.H08" // Cấp Phiếu lý lịch tư pháp
	ProcedureCertifiedCopy  = "2.000815.000.00.00.H08" // Chứng thực bản sao điện tử từ bản chính
	ProcedureBirth          = "1.001193.000.00.00.H08" // Đăng ký khai sinh
	ProcedureDeath          = "1.000656.000.00.00.H08" // Đăng ký khai tử
	ProcedureLandTitleRenew = "1.004227.000.00.00.H08" // Cấp đổi Giấy chứng nhận quyền sử dụng đất, …
	ProcedurePetrolRetailer = "2.000648.000.00.00.H08" // Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu
)

const (
	// certifiedCopyFeeVND is the fee for pages 1–2 (SPEC §8); the demo
	// charges one page per request.
	certifiedCopyFeeVND    = 2000
	judicialRecordFeeVND   = 200000
	petrolRetailerFeeVND   = 600000
	landTitleRenewalFeeVND = 50000

	// Certification (Nghị định 23/2015/NĐ-CP) and on-time birth and death
	// registration are done the same day, or the next working day when
	// received after 15:00: one working day bounds both.
	sameDayCaseName = "Trong ngày làm việc; tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo"

	identityOfParents   = "Giấy tờ tùy thân của cha, mẹ (Thẻ căn cước công dân hoặc bản sao được chứng thực)"
	identityOfCouple    = "Giấy tờ tùy thân của hai bên nam, nữ (Thẻ căn cước công dân hoặc bản sao được chứng thực)"
	identityOfApplicant = "Giấy tờ tùy thân của người yêu cầu (Thẻ căn cước công dân hoặc bản sao được chứng thực)"
)

// identityCategories are the warehouse documents that prove identity: the
// citizen identity card itself or a certified copy of it.
func identityCategories() []string {
	return []string{CategoryIDCard, CategoryCertifiedCopy}
}

func component(code, name string, required bool, form motcua.PaperForm, categories ...string) motcua.ProcedureComponent {
	// Forms (tờ khai, đơn) are filled in by the applicant: a scan will do.
	if strings.HasPrefix(name, "Tờ khai") || strings.HasPrefix(name, "Đơn") {
		return motcua.ProcedureComponent{Code: code, Name: name, Required: required, Form: form, Categories: categories, AllowScan: true}
	}
	return motcua.ProcedureComponent{Code: code, Name: name, Required: required, Form: form, Categories: categories}
}

// several lets a component take up to n documents (the papers of both
// spouses).
func several(c motcua.ProcedureComponent, n int) motcua.ProcedureComponent {
	c.MaxDocuments = n
	return c
}

// Procedures returns the demo procedure catalogue. Fees are in VND. Where a
// fee or processing time is marked "demo" below it was not checked against
// the current legal text.
func Procedures() []motcua.Procedure {
	return []motcua.Procedure{
		{
			Code:        ProcedureMarriage,
			Levels:      []motcua.AgencyLevel{motcua.LevelCommune},
			OnlineLevel: motcua.OnlinePartial,
			LegalBasis:  "Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP",
			Name:        "Đăng ký kết hôn",
			Field:       "Hộ tịch",
			// The two spouses apply together: the second consents to the
			// use of their warehouse and receives the result too.
			Parties:     2,
			AgencyCodes: CommuneCodes(),
			Cases: []motcua.ProcedureCase{
				{Code: "TH01", Name: "1 ngày làm việc – KHÔNG xác minh điều kiện kết hôn của hai bên", ProcessingDays: 1},
				{Code: "TH02", Name: "5 ngày làm việc – Có xác minh điều kiện kết hôn của hai bên", ProcessingDays: 5},
			},
			Components: []motcua.ProcedureComponent{
				component("TP01", "Tờ khai đăng ký kết hôn theo mẫu", true, motcua.FormOriginal),
				// Required only when a party is not a permanent resident of
				// the commune and the population database does not already
				// show the marital status, hence optional here (seed 003).
				component("TP02", "Giấy xác nhận tình trạng hôn nhân do Ủy ban nhân dân cấp xã có thẩm quyền cấp trong trường hợp người yêu cầu đăng ký kết hôn không đăng ký thường trú tại địa bàn xã, phường, thị trấn làm thủ tục đăng ký kết hôn",
					false, motcua.FormOriginal, CategoryMaritalStatus),
				several(component("TP03", identityOfCouple, true, motcua.FormCopy, identityCategories()...), 2),
			},
			ResultCategory: CategoryMarriageCertificate,
			Fees:           nil, // Luật Hộ tịch art. 11: no fee for residents in Vietnam
		},
		{
			Code:        ProcedureJudicialRecord,
			Levels:      []motcua.AgencyLevel{motcua.LevelProvince},
			OnlineLevel: motcua.OnlineFull,
			LegalBasis:  "Luật Lý lịch tư pháp số 28/2009/QH12",
			Name:        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
			// Issued by the provincial Department of Justice in reality;
			// the demo gives it to the district justice office so that the
			// An Lão tree can show it.
			Field:       "Lý lịch tư pháp",
			AgencyCodes: []string{JusticeOfficeCode},
			Cases: []motcua.ProcedureCase{
				{Code: "TH01", Name: "10 ngày làm việc", ProcessingDays: 10},
			},
			Components: []motcua.ProcedureComponent{
				component("TP01", "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp theo mẫu", true, motcua.FormOriginal),
				component("TP02", "Bản sao giấy tờ tùy thân của người được cấp Phiếu lý lịch tư pháp (Thẻ căn cước công dân hoặc bản sao được chứng thực)",
					true, motcua.FormCopy, identityCategories()...),
				component("TP03", "Văn bản ủy quyền (trường hợp ủy quyền cho người khác làm thủ tục)", false, motcua.FormOriginal),
			},
			ResultCategory: CategoryJudicialRecord1,
			Fees:           []motcua.Fee{{Name: "Lệ phí", AmountVND: judicialRecordFeeVND}}, // demo: the usual fee, not checked against the current circular
		},
		{
			Code:        ProcedureCertifiedCopy,
			Levels:      []motcua.AgencyLevel{motcua.LevelDistrict, motcua.LevelCommune},
			OnlineLevel: motcua.OnlineFull,
			LegalBasis:  "Nghị định số 23/2015/NĐ-CP",
			Name:        "Chứng thực bản sao điện tử từ bản chính",
			Field:       "Chứng thực",
			AgencyCodes: append([]string{JusticeOfficeCode}, CommuneCodes()...),
			Cases: []motcua.ProcedureCase{
				{Code: "TH01", Name: sameDayCaseName, ProcessingDays: 1},
			},
			Components: []motcua.ProcedureComponent{
				// The original is a paper presented at the counter: no
				// warehouse document can stand in for it.
				component("TP01", "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", true, motcua.FormOriginal),
				component("TP02", identityOfApplicant, false, motcua.FormCopy, identityCategories()...),
			},
			ResultCategory: CategoryCertifiedCopy,
			Fees:           []motcua.Fee{{Name: "Lệ phí", AmountVND: certifiedCopyFeeVND}},
		},
		{
			Code:        ProcedureBirth,
			Levels:      []motcua.AgencyLevel{motcua.LevelCommune},
			OnlineLevel: motcua.OnlineFull,
			LegalBasis:  "Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP",
			Name:        "Đăng ký khai sinh",
			Field:       "Hộ tịch",
			AgencyCodes: CommuneCodes(),
			Cases: []motcua.ProcedureCase{
				{Code: "TH01", Name: sameDayCaseName, ProcessingDays: 1},
			},
			Components: []motcua.ProcedureComponent{
				component("TP01", "Tờ khai đăng ký khai sinh theo mẫu", true, motcua.FormOriginal),
				component("TP02", "Giấy chứng sinh hoặc giấy tờ thay thế Giấy chứng sinh", true, motcua.FormOriginal),
				component("TP03", identityOfParents, true, motcua.FormCopy, identityCategories()...),
				component("TP04", "Giấy chứng nhận kết hôn của cha, mẹ (nếu cha, mẹ đã đăng ký kết hôn)", false, motcua.FormCopy, CategoryMarriageCertificate),
			},
			ResultCategory: CategoryBirthCertificate,
			Fees:           nil, // Luật Hộ tịch art. 11: no fee when registered on time
		},
		{
			Code:        ProcedureDeath,
			Levels:      []motcua.AgencyLevel{motcua.LevelCommune},
			OnlineLevel: motcua.OnlineFull,
			LegalBasis:  "Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP",
			Name:        "Đăng ký khai tử",
			Field:       "Hộ tịch",
			AgencyCodes: CommuneCodes(),
			Cases: []motcua.ProcedureCase{
				{Code: "TH01", Name: sameDayCaseName, ProcessingDays: 1},
			},
			Components: []motcua.ProcedureComponent{
				component("TP01", "Tờ khai đăng ký khai tử theo mẫu", true, motcua.FormOriginal),
				component("TP02", "Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử", true, motcua.FormOriginal),
				component("TP03", identityOfApplicant, true, motcua.FormCopy, identityCategories()...),
			},
			ResultCategory: CategoryDeathExtract,
			Fees:           nil, // Luật Hộ tịch art. 11: no fee when registered on time
		},
		{
			Code:        ProcedureLandTitleRenew,
			Levels:      []motcua.AgencyLevel{motcua.LevelDistrict},
			OnlineLevel: motcua.OnlinePartial,
			LegalBasis:  "Luật Đất đai số 31/2024/QH15",
			Name:        "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
			Field:       "Đất đai",
			AgencyCodes: []string{LandRegistryBranchCode},
			Cases: []motcua.ProcedureCase{
				// Demo: mountain communes such as An Lão's may be allowed
				// more time; check the province's published procedure.
				{Code: "TH01", Name: "7 ngày làm việc", ProcessingDays: 7},
			},
			Components: []motcua.ProcedureComponent{
				component("TP01", "Đơn đề nghị cấp đổi Giấy chứng nhận theo mẫu", true, motcua.FormOriginal),
				component("TP02", "Bản gốc Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất đã cấp",
					true, motcua.FormOriginal, CategoryLandTitle),
				component("TP03", identityOfApplicant, false, motcua.FormCopy, identityCategories()...),
			},
			ResultCategory: CategoryLandTitle,
			Fees:           []motcua.Fee{{Name: "Lệ phí", AmountVND: landTitleRenewalFeeVND}}, // demo: set by the provincial council's resolution
		},
		{
			Code:        ProcedurePetrolRetailer,
			Levels:      []motcua.AgencyLevel{motcua.LevelProvince},
			OnlineLevel: motcua.OnlinePartial,
			LegalBasis:  "Nghị định số 83/2014/NĐ-CP",
			Name:        "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu",
			// A provincial Department of Industry and Trade procedure,
			// delegated to the district economy office in the demo.
			Field:       "Lưu thông hàng hóa trong nước",
			AgencyCodes: []string{EconomyOfficeCode},
			Cases: []motcua.ProcedureCase{
				{Code: "TH01", Name: "15 ngày làm việc", ProcessingDays: 15},
			},
			Components: []motcua.ProcedureComponent{
				component("TP01", "Đơn đề nghị cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu theo mẫu", true, motcua.FormOriginal),
				component("TP02", "Bản sao Giấy chứng nhận đăng ký doanh nghiệp hoặc Giấy chứng nhận đăng ký hộ kinh doanh", true, motcua.FormCopy),
				component("TP03", "Bản sao chứng thực Giấy chứng nhận quyền sử dụng đất nơi đặt cửa hàng",
					true, motcua.FormCopy, CategoryLandTitle, CategoryCertifiedCopy),
				component("TP04", "Bản sao tài liệu chứng minh đáp ứng điều kiện về phòng cháy và chữa cháy", true, motcua.FormCopy),
			},
			ResultCategory: CategoryPetrolRetailer,
			Fees:           []motcua.Fee{{Name: "Phí thẩm định", AmountVND: petrolRetailerFeeVND}}, // demo: appraisal fee outside cities, not checked against the current circular
		},
	}
}
