package main

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
)

// weighted picks one of items with probability proportional to its weight.
type weighted[T any] struct {
	items []T
	cum   []float64
}

func newWeighted[T any](items []T, weights []float64) *weighted[T] {
	if len(items) != len(weights) {
		panic("weighted: items and weights differ in length")
	}
	w := &weighted[T]{items: items, cum: make([]float64, len(weights))}
	sum := 0.0
	for i, x := range weights {
		sum += x
		w.cum[i] = sum
	}
	for i := range w.cum {
		w.cum[i] /= sum
	}
	return w
}

func (w *weighted[T]) pick(r *rand.Rand) T {
	x := r.Float64()
	for i, c := range w.cum {
		if x < c {
			return w.items[i]
		}
	}
	return w.items[len(w.items)-1]
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// Vietnamese family names with their approximate share of the population.
var familyNames = newWeighted(
	[]string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Vũ", "Đặng", "Bùi", "Đỗ",
		"Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lương", "Mai", "Cao", "Đoàn", "Tô", "Lâm", "Châu"},
	[]float64{38, 11, 9.5, 7, 4, 1.5, 4.5, 3, 1, 2, 2, 1.4, 1.3, 1.3, 1, 0.5, 1.2, 1, 0.5, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3})

var (
	maleMiddle   = []string{"Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Ngọc", "Công", "Xuân", "Hoàng", "Đình", "Tấn"}
	femaleMiddle = []string{"Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ", "Bích", "Hồng", "Phương", "Minh", "Diệu"}
	maleGiven    = []string{"Hùng", "Dũng", "Tuấn", "Hải", "Long", "Nam", "Phúc", "Sơn", "Thịnh", "Khang", "Bảo", "Đạt",
		"Hiếu", "Huy", "Khôi", "Lâm", "Lộc", "Nghĩa", "Quang", "Tài", "Thắng", "Trung", "Tùng", "Vinh", "Vũ",
		"Cường", "Đông", "Hòa", "Nhân", "Tín", "Trí", "Tâm", "An", "Bình", "Châu", "Định", "Toàn", "Thành", "Phước"}
	femaleGiven = []string{"Mai", "Lan", "Hương", "Hà", "Hạnh", "Hoa", "Hồng", "Huyền", "Linh", "Ly", "Nga", "Ngọc",
		"Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thủy", "Trang", "Trinh", "Uyên", "Vân", "Yến", "Anh", "Dung",
		"Giang", "Hằng", "Khánh", "Loan", "My", "Nhi", "Tâm", "Thư", "Tuyết", "Xuân", "Diễm", "Lành", "Lanh", "Ánh"}
)

// personName builds a full name: family, one or two middle names, given name.
func personName(r *rand.Rand, female bool) string {
	middle, given := maleMiddle, maleGiven
	if female {
		middle, given = femaleMiddle, femaleGiven
	}
	parts := []string{familyNames.pick(r), pick(r, middle)}
	if r.IntN(4) == 0 {
		parts = append(parts, pick(r, given))
	}
	return strings.Join(append(parts, pick(r, given)), " ")
}

// Places of Bình Định: district → a few of its communes and wards. An Lão
// (the demo district) uses the demo's communes.
type district struct {
	name     string
	communes []string
}

var districts = func() *weighted[district] {
	var anLao []string
	for _, c := range demo.Communes() {
		anLao = append(anLao, strings.TrimPrefix(strings.TrimPrefix(c.Name, "UBND "), "Thị trấn "))
	}
	for i, c := range anLao {
		if !strings.HasPrefix(c, "xã ") {
			anLao[i] = "thị trấn " + c
		}
	}
	ds := []district{
		{"huyện An Lão", anLao},
		{"thành phố Quy Nhơn", []string{"phường Ghềnh Ráng", "phường Nguyễn Văn Cừ", "phường Trần Phú", "phường Lê Lợi", "phường Nhơn Bình", "phường Quang Trung", "xã Nhơn Lý"}},
		{"thị xã An Nhơn", []string{"phường Bình Định", "phường Đập Đá", "xã Nhơn Hậu", "xã Nhơn Lộc"}},
		{"thị xã Hoài Nhơn", []string{"phường Bồng Sơn", "phường Tam Quan", "xã Hoài Mỹ"}},
		{"huyện Phù Cát", []string{"thị trấn Ngô Mây", "xã Cát Hanh", "xã Cát Tiến"}},
		{"huyện Tây Sơn", []string{"thị trấn Phú Phong", "xã Bình Tường", "xã Tây Vinh"}},
		{"huyện Tuy Phước", []string{"thị trấn Tuy Phước", "xã Phước Lộc", "xã Phước Sơn"}},
		{"huyện Phù Mỹ", []string{"thị trấn Phù Mỹ", "xã Mỹ Chánh", "xã Mỹ Thắng"}},
		{"huyện Hoài Ân", []string{"thị trấn Tăng Bạt Hổ", "xã Ân Phong"}},
		{"huyện Vân Canh", []string{"thị trấn Vân Canh", "xã Canh Thuận"}},
		{"huyện Vĩnh Thạnh", []string{"thị trấn Vĩnh Thạnh", "xã Vĩnh Quang"}},
	}
	return newWeighted(ds, []float64{30, 20, 10, 10, 6, 6, 6, 5, 3, 2, 2})
}()

func address(r *rand.Rand) (commune, full string) {
	d := districts.pick(r)
	commune = pick(r, d.communes)
	hamlet := fmt.Sprintf("Thôn %d", 1+r.IntN(6))
	if strings.HasPrefix(commune, "phường") || strings.HasPrefix(commune, "thị trấn") {
		hamlet = fmt.Sprintf("Khu phố %d", 1+r.IntN(8))
	}
	return commune, hamlet + ", " + commune + ", " + d.name + ", tỉnh Bình Định"
}

// categoryWeights: how common each demo category is in warehouses.
var categoryWeights = map[string]float64{
	demo.CategoryCertifiedCopy:       25,
	demo.CategoryBirthCertificate:    15,
	demo.CategoryIDCard:              12,
	demo.CategoryMarriageCertificate: 6,
	demo.CategoryLandTitle:           8,
	demo.CategoryMaritalStatus:       6,
	demo.CategoryJudicialRecord1:     5,
	demo.CategoryJudicialRecord2:     3,
	demo.CategoryDeathExtract:        1.5,
	"KQ.DEMO.000004":                 6, // driving licence
	"KQ.DEMO.000001":                 1.5,
	"KQ.DEMO.000013":                 1,
	demo.CategoryPetrolRetailer:      0.3,
}

func categoryPicker() *weighted[motcua.DocumentCategory] {
	var cats []motcua.DocumentCategory
	var ws []float64
	for _, c := range demo.Categories() {
		w, ok := categoryWeights[c.Code]
		if !ok {
			w = 0.3
		}
		cats = append(cats, c)
		ws = append(ws, w)
	}
	return newWeighted(cats, ws)
}

func minorCategoryPicker() *weighted[motcua.DocumentCategory] {
	var cats []motcua.DocumentCategory
	var ws []float64
	for _, c := range demo.Categories() {
		switch c.Code {
		case demo.CategoryBirthCertificate:
			cats, ws = append(cats, c), append(ws, 2)
		case demo.CategoryCertifiedCopy:
			cats, ws = append(cats, c), append(ws, 3)
		}
	}
	return newWeighted(cats, ws)
}

// issuerFor returns the agency of the demo tree that issues a category,
// empty when it is issued outside the tree (police, courts, other
// provinces).
func issuerFor(r *rand.Rand, category string) string {
	switch category {
	case demo.CategoryBirthCertificate, demo.CategoryMaritalStatus, demo.CategoryDeathExtract,
		demo.CategoryMarriageCertificate:
		return pick(r, demo.CommuneCodes())
	case demo.CategoryCertifiedCopy:
		if r.IntN(3) == 0 {
			return demo.JusticeOfficeCode
		}
		return pick(r, demo.CommuneCodes())
	case demo.CategoryLandTitle:
		return demo.LandRegistryBranchCode
	case demo.CategoryPetrolRetailer:
		return demo.EconomyOfficeCode
	case "KQ.DEMO.000001":
		return demo.EconomyOfficeCode
	case "KQ.DEMO.000013":
		return demo.HealthOfficeCode
	}
	return ""
}

// documentNumber is the part of the result code after the category: the
// issue date ddmmyyyy as in the seeds, or a register number.
func documentNumber(r *rand.Rand, category string, issued motcua.Date) string {
	switch category {
	case demo.CategoryPetrolRetailer:
		return fmt.Sprintf("CS%05d", r.IntN(100000))
	case demo.CategoryLandTitle:
		return fmt.Sprintf("%s%06d", pick(r, []string{"CS", "DA", "DB", "CT"}), r.IntN(1000000))
	case "KQ.DEMO.000004":
		return fmt.Sprintf("%012d", r.Int64N(1_000_000_000_000))
	}
	return fmt.Sprintf("%02d%02d%04d", issued.Day, issued.Month, issued.Year)
}

// decisionNumber is the số quyết định / số vào sổ printed on the paper.
func decisionNumber(r *rand.Rand, category string, issued motcua.Date) string {
	n := 1 + r.IntN(2500)
	switch category {
	case demo.CategoryCertifiedCopy:
		return fmt.Sprintf("%d/%d/SCT/BS", n, issued.Year)
	case demo.CategoryBirthCertificate:
		return fmt.Sprintf("%d/%d/KS", n, issued.Year)
	case demo.CategoryMarriageCertificate:
		return fmt.Sprintf("%d/%d/KH", n, issued.Year)
	case demo.CategoryDeathExtract:
		return fmt.Sprintf("%d/%d/KT", n, issued.Year)
	case demo.CategoryMaritalStatus:
		return fmt.Sprintf("%d/%d/XNTTHN", n, issued.Year)
	case demo.CategoryLandTitle:
		return fmt.Sprintf("%d/QĐ-UBND", n)
	case demo.CategoryJudicialRecord1, demo.CategoryJudicialRecord2:
		return fmt.Sprintf("%d/%d/LLTP", n, issued.Year)
	case demo.CategoryIDCard, "KQ.DEMO.000004":
		return ""
	}
	return fmt.Sprintf("%d/QĐ-%s", n, pick(r, []string{"UBND", "SYT", "SXD", "SCT", "SKHĐT"}))
}

var maritalPurposes = []string{"đăng ký kết hôn", "bổ sung hồ sơ vay vốn ngân hàng", "mua bán nhà đất",
	"xuất khẩu lao động", "bổ túc hồ sơ xin việc"}

var (
	copiedPapers = []string{"Giấy khai sinh", "Bằng tốt nghiệp trung học phổ thông", "Sổ hộ khẩu",
		"Giấy chứng nhận quyền sử dụng đất", "Bằng tốt nghiệp đại học", "Hợp đồng lao động", "Học bạ"}
	minorCopiedPapers = []string{"Giấy khai sinh", "Học bạ", "Sổ hộ khẩu", "Giấy chứng nhận tốt nghiệp trung học cơ sở"}
)

// summary is the trích yếu of a document.
func summary(r *rand.Rand, cat motcua.DocumentCategory, owner *motcua.Subject, commune string, issued motcua.Date) string {
	switch cat.Code {
	case demo.CategoryCertifiedCopy:
		papers := copiedPapers
		if issued.Year-owner.BirthDate.Year < 18 {
			papers = minorCopiedPapers
		}
		return fmt.Sprintf("Chứng thực bản sao từ bản chính %s của %s", pick(r, papers), owner.Name)
	case demo.CategoryBirthCertificate:
		return fmt.Sprintf("Đăng ký khai sinh cho %s, sinh ngày %s tại %s", owner.Name, owner.BirthDate.Display(), commune)
	case demo.CategoryMarriageCertificate:
		return fmt.Sprintf("Đăng ký kết hôn giữa %s và %s", owner.Name, personName(r, r.IntN(2) == 0))
	case demo.CategoryLandTitle:
		return fmt.Sprintf("Cấp Giấy chứng nhận quyền sử dụng đất thửa đất số %d, tờ bản đồ số %d, %s",
			1+r.IntN(900), 1+r.IntN(60), commune)
	case demo.CategoryIDCard:
		return "Cấp thẻ căn cước công dân cho " + owner.Name
	case demo.CategoryMaritalStatus:
		return fmt.Sprintf("Xác nhận tình trạng hôn nhân của %s để %s", owner.Name, pick(r, maritalPurposes))
	case demo.CategoryJudicialRecord1, demo.CategoryJudicialRecord2:
		return fmt.Sprintf("Cấp %s cho %s", cat.Name, owner.Name)
	case demo.CategoryDeathExtract:
		return fmt.Sprintf("Trích lục khai tử cho người thân của %s, đăng ký ngày %s", owner.Name, issued.Display())
	case "KQ.DEMO.000004":
		return fmt.Sprintf("Cấp giấy phép lái xe hạng %s cho %s", pick(r, []string{"A1", "A1", "B2", "B1", "C"}), owner.Name)
	}
	return fmt.Sprintf("Giải quyết thủ tục cấp %s cho %s", cat.Name, owner.Name)
}

var personalFileNames = []string{"scan", "giay-to", "ban-sao", "tai-lieu", "IMG", "Scan_CamScanner", "file"}

var signatureIssuers = []string{"VNPT-CA", "Viettel-CA", "Cục Chứng thực số và Bảo mật thông tin - Ban Cơ yếu Chính phủ", "BKAV-CA", "FPT-CA"}
