package procsearch_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/procsearch"
)

// provinceCatalogue builds a catalogue of issue 15's scale with the shape of
// bench/cataloguegen (one province, its departments, districts with 8
// units and their communes; a commune procedure handled by every commune,
// ~226,000 procedure–agency links at 2,000 procedures and 500 agencies),
// but with names made of real procedure words, so that searches hit and
// miss as on a real catalogue.
func provinceCatalogue(procedures, fields, agencies int) ([]*motcua.Procedure, []*motcua.Agency) {
	rng := rand.New(rand.NewPCG(1, 2))
	fieldNames := []string{"Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Lưu thông hàng hóa trong nước", "Lý lịch tư pháp",
		"Giáo dục và Đào tạo", "Y tế", "Lao động", "Người có công", "Bảo trợ xã hội", "Đăng ký kinh doanh", "Thành lập và hoạt động doanh nghiệp",
		"Môi trường", "Tài nguyên nước", "Giao thông đường bộ", "Văn hóa", "Thể thao", "Du lịch", "Nông nghiệp", "Thủy lợi",
		"Lâm nghiệp", "Nội vụ", "Tôn giáo", "Thi đua khen thưởng", "Tư pháp", "Nuôi con nuôi", "Hòa giải ở cơ sở", "Phổ biến giáo dục pháp luật", "Quốc tịch"}
	for len(fieldNames) < fields {
		fieldNames = append(fieldNames, fmt.Sprintf("Lĩnh vực %d", len(fieldNames)+1))
	}
	fieldNames = fieldNames[:fields]
	verbs := []string{"Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Đăng ký", "Đăng ký lại", "Thu hồi", "Công nhận", "Thẩm định", "Phê duyệt", "Xác nhận"}
	objects := []string{"giấy phép", "giấy chứng nhận", "khai sinh", "kết hôn", "khai tử", "bản sao trích lục", "chứng chỉ hành nghề", "quyết định",
		"hồ sơ", "danh hiệu", "trợ cấp", "hợp đồng", "thông báo", "phương án", "dự án đầu tư"}
	suffixes := []string{"", " cho tổ chức", " cho cá nhân", " có yếu tố nước ngoài", " trong trường hợp bị mất, hỏng", " đối với nhà ở riêng lẻ", " tại cấp xã"}

	root := &motcua.Agency{Code: "000.00.00.H08", Name: "UBND tỉnh Bình Định", Level: motcua.LevelProvince}
	as := []*motcua.Agency{root}
	const units = 8
	districts := max(1, agencies/33)
	departments := max(1, agencies/12)
	communes := max(0, agencies-1-departments-districts*(1+units))
	var depts, unitCodes, communeCodes []string
	for i := range departments {
		a := &motcua.Agency{Code: fmt.Sprintf("%03d.00.00.H08", i+1), Name: fmt.Sprintf("Sở %s", fieldNames[i%len(fieldNames)]), Level: motcua.LevelProvince, ParentCode: root.Code}
		depts = append(depts, a.Code)
		as = append(as, a)
	}
	for i := range districts {
		dc := fmt.Sprintf("000.00.%02d.H08", i+10)
		as = append(as, &motcua.Agency{Code: dc, Name: fmt.Sprintf("UBND huyện Số %d", i+1), Level: motcua.LevelDistrict, ParentCode: root.Code})
		for u := range units {
			code := fmt.Sprintf("000.%02d.%02d.H08", u+1, i+10)
			unitCodes = append(unitCodes, code)
			as = append(as, &motcua.Agency{Code: code, Name: fmt.Sprintf("Phòng %d huyện Số %d", u+1, i+1), Level: motcua.LevelDistrict, ParentCode: dc})
		}
		for c := i; c < communes; c += districts {
			code := fmt.Sprintf("%03d.%02d.%02d.H08", c/districts+1, i+10, 99)
			communeCodes = append(communeCodes, code)
			as = append(as, &motcua.Agency{Code: code, Name: fmt.Sprintf("UBND xã Phước %d huyện Số %d", c/districts+1, i+1), Level: motcua.LevelCommune, ParentCode: dc})
		}
	}
	var ps []*motcua.Procedure
	for i := range procedures {
		p := &motcua.Procedure{Code: fmt.Sprintf("%d.%06d.000.00.00.H08", 1+i%2, 100000+i),
			Name:        verbs[rng.IntN(len(verbs))] + " " + objects[rng.IntN(len(objects))] + suffixes[rng.IntN(len(suffixes))],
			Field:       fieldNames[i%len(fieldNames)],
			OnlineLevel: []motcua.OnlineLevel{motcua.OnlineFull, motcua.OnlinePartial, motcua.OnlineNone}[i%3]}
		switch i % 3 {
		case 0:
			p.Levels, p.AgencyCodes = []motcua.AgencyLevel{motcua.LevelProvince}, []string{depts[i%len(depts)]}
		case 1:
			p.Levels = []motcua.AgencyLevel{motcua.LevelDistrict}
			for j := i % units; j < len(unitCodes); j += units {
				p.AgencyCodes = append(p.AgencyCodes, unitCodes[j])
			}
		default:
			p.Levels, p.AgencyCodes = []motcua.AgencyLevel{motcua.LevelCommune}, slices.Clone(communeCodes)
		}
		ps = append(ps, p)
	}
	return ps, as
}

// benchQueries are what citizens type, with and without diacritics, and
// the portal's filters.
func benchQueries(ix *procsearch.Index) []procsearch.Query {
	someAgency := ix.Agencies()[len(ix.Agencies())/2].Code
	return []procsearch.Query{
		{},
		{Text: "ho tich"},
		{Text: "khai sinh"},
		{Text: "Đăng ký kết hôn"},
		{Text: "cap lai giay phep"},
		{Text: "giấy chứng nhận cho tổ chức"},
		{Text: "1.1001"},
		{Text: "2.100999.000.00.00.H08"},
		{Text: "xa phuoc 3"},
		{Text: "toan trinh"},
		{Text: "không có thủ tục này"},
		{Field: "Đất đai"},
		{Level: motcua.LevelCommune, Page: 5},
		{Agency: someAgency},
		{Text: "cap", Field: "Xây dựng", Level: motcua.LevelProvince},
		{Text: "giay phep", Page: 3},
	}
}

// BenchmarkSearch measures one search over a province catalogue (2,000
// procedures, 30 fields, 500 agencies) and reports the p50 and p99 of the
// calls, cycling through benchQueries.
func BenchmarkSearch(b *testing.B) {
	procs, agencies := provinceCatalogue(2000, 30, 500)
	ix := procsearch.Build("bench", procs, agencies)
	qs := benchQueries(ix)
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		ix.Search(qs[i%len(qs)])
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durs)
	if len(durs) > 0 {
		b.ReportMetric(float64(durs[len(durs)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(durs[len(durs)*99/100].Microseconds()), "p99-µs")
		b.ReportMetric(float64(durs[len(durs)-1].Microseconds()), "max-µs")
	}
}

// BenchmarkBuild measures rebuilding the index after a catalogue change.
func BenchmarkBuild(b *testing.B) {
	procs, agencies := provinceCatalogue(2000, 30, 500)
	links := 0
	for _, p := range procs {
		links += len(p.AgencyCodes)
	}
	b.ReportMetric(float64(links), "links")
	for b.Loop() {
		procsearch.Build("bench", procs, agencies)
	}
}

// TestBenchCatalogue: the benchmark's catalogue has the size and
// its queries find something (a benchmark of empty answers would measure
// little).
func TestBenchCatalogue(t *testing.T) {
	t.Parallel()
	procs, agencies := provinceCatalogue(2000, 30, 500)
	if len(procs) != 2000 || len(agencies) != 500 {
		t.Fatalf("%d procedures, %d agencies", len(procs), len(agencies))
	}
	ix := procsearch.Build("bench", procs, agencies)
	if n := len(ix.Fields()); n != 30 {
		t.Fatalf("%d fields", n)
	}
	hits := 0
	for _, q := range benchQueries(ix) {
		if ix.Search(q).Total > 0 {
			hits++
		}
	}
	if hits < len(benchQueries(ix))-1 {
		t.Fatalf("only %d of %d benchmark queries find something", hits, len(benchQueries(ix)))
	}
}
