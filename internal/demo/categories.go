package demo

import "github.com/motcua/motcua"

// Document category codes the demo procedures refer to.
//
// The five KQ.Gnn codes are the national result-catalogue codes seen in the
// seeds and in deployed systems (SPEC §3). Every other category's national
// code is unknown, so it gets a clearly local KQ.DEMO code instead of an
// invented national-looking one; KQ.DEMO numbers follow the order of the
// portal's list in seeds 002/003.
const (
	CategoryIDCard              = "KQ.G01.000023" // Thẻ căn cước công dân
	CategoryPetrolRetailer      = "KQ.G02.000144" // Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu
	CategoryCertifiedCopy       = "KQ.G15.000021" // Bản sao được chứng thực từ bản chính
	CategoryBirthCertificate    = "KQ.G15.000031" // Giấy khai sinh
	CategoryMarriageCertificate = "KQ.G15.000032" // Giấy chứng nhận kết hôn

	CategoryLandTitle       = "KQ.DEMO.000003" // Giấy chứng nhận quyền sử dụng đất, …
	CategoryMaritalStatus   = "KQ.DEMO.000007" // Giấy xác nhận tình trạng hôn nhân
	CategoryJudicialRecord1 = "KQ.DEMO.000009" // Phiếu lý lịch tư pháp số 1
	CategoryJudicialRecord2 = "KQ.DEMO.000010" // Phiếu lý lịch tư pháp số 2
	CategoryDeathExtract    = "KQ.DEMO.000012" // Trích lục khai tử
)

// validityDaysSixMonths is how long the demo lets a judicial record
// certificate or a marital status certificate be reused. Agencies commonly
// ask for one issued within the last 6 months (for the marital status
// certificate Decree 123/2015/NĐ-CP is understood to set 6 months; for the
// judicial record it is practice, not a term in the law). It is catalogue
// data that administrators edit, not a rule in code.
const validityDaysSixMonths = 180

// Categories returns every category SPEC §3 lists, all of paper type
// "Kết quả giải quyết": the national codes first, then the local ones.
func Categories() []motcua.DocumentCategory {
	result := func(code, name string, validityDays int) motcua.DocumentCategory {
		return motcua.DocumentCategory{Code: code, Name: name, PaperType: motcua.PaperResult, ValidityDays: validityDays}
	}
	return []motcua.DocumentCategory{
		result(CategoryIDCard, "Thẻ căn cước công dân", 0),
		result(CategoryPetrolRetailer, "Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", 0),
		result(CategoryCertifiedCopy, "Bản sao được chứng thực từ bản chính", 0),
		result(CategoryBirthCertificate, "Giấy khai sinh", 0),
		result(CategoryMarriageCertificate, "Giấy chứng nhận kết hôn", 0),
		result("KQ.DEMO.000001", "Chứng chỉ hành nghề hoạt động xây dựng", 0),
		result("KQ.DEMO.000002", "Công văn cho phép hội tổ chức đại hội nhiệm kỳ, đại hội bất thường", 0),
		result(CategoryLandTitle, "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất", 0),
		result("KQ.DEMO.000004", "Giấy phép lái xe cơ giới đường bộ", 0),
		result("KQ.DEMO.000005", "Giấy phép sử dụng vật liệu nổ công nghiệp hoặc văn bản trả lời đối với trường hợp không cấp", 0),
		result("KQ.DEMO.000006", "Giấy phép thiết lập trang thông tin điện tử tổng hợp", 0),
		result(CategoryMaritalStatus, "Giấy xác nhận tình trạng hôn nhân", validityDaysSixMonths),
		result("KQ.DEMO.000008", "Mệnh lệnh vận chuyển vật liệu nổ công nghiệp, tiền chất thuốc nổ hoặc văn bản trả lời đối với trường hợp không cấp", 0),
		result(CategoryJudicialRecord1, "Phiếu lý lịch tư pháp số 1", validityDaysSixMonths),
		result(CategoryJudicialRecord2, "Phiếu lý lịch tư pháp số 2", validityDaysSixMonths),
		result("KQ.DEMO.000011", "Thông báo cấp mã ngân hàng", 0),
		result(CategoryDeathExtract, "Trích lục khai tử", 0),
		result("KQ.DEMO.000013", "Chứng chỉ hành nghề dược", 0),
	}
}
