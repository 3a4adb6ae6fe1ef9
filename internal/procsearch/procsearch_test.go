package procsearch_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/procsearch"
)

var (
	province = &motcua.Agency{Code: "000.00.00.H08", Name: "Sở Tư pháp tỉnh Bình Định", Level: motcua.LevelProvince}
	district = &motcua.Agency{Code: "000.00.23.H08", Name: "UBND huyện Phù Cát", Level: motcua.LevelDistrict}
	commune  = &motcua.Agency{Code: "000.23.01.H08", Name: "UBND xã Cát Hanh", Level: motcua.LevelCommune}
	idle     = &motcua.Agency{Code: "000.23.02.H08", Name: "UBND xã Cát Tài", Level: motcua.LevelCommune}
)

func proc(code, name, field string, level motcua.AgencyLevel, online motcua.OnlineLevel, agencies ...string) *motcua.Procedure {
	return &motcua.Procedure{Code: code, Name: name, Field: field, Levels: []motcua.AgencyLevel{level}, OnlineLevel: online, AgencyCodes: agencies}
}

func testIndex() *procsearch.Index {
	procs := []*motcua.Procedure{
		proc("1.001193.000.00.00.H08", "Đăng ký khai sinh", "Hộ tịch", motcua.LevelCommune, motcua.OnlineFull, commune.Code),
		proc("1.000656.000.00.00.H08", "Đăng ký kết hôn", "Hộ tịch", motcua.LevelCommune, motcua.OnlinePartial, commune.Code),
		proc("2.000635.000.00.00.H08", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", motcua.LevelDistrict, motcua.OnlineFull, district.Code),
		proc("2.001157.000.00.00.H08", "Chứng thực bản sao từ bản chính", "Chứng thực", motcua.LevelDistrict, motcua.OnlineFull, district.Code, commune.Code),
		proc("1.001156.000.00.00.H08", "Cấp Phiếu lý lịch tư pháp", "Lý lịch tư pháp", motcua.LevelProvince, motcua.OnlineNone, province.Code),
		proc("1.000001.000.00.00.H08", "Đăng ký lại khai sinh", "Hộ tịch", motcua.LevelCommune, motcua.OnlinePartial, commune.Code),
	}
	return procsearch.Build("s1", procs, []*motcua.Agency{province, district, commune, idle})
}

func TestProcedure(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	for _, code := range []string{"1.000001.000.00.00.H08", "2.001157.000.00.00.H08"} {
		if p, ok := ix.Procedure(code); !ok || p.Code != code {
			t.Errorf("Procedure(%s) = %v, %v", code, p, ok)
		}
	}
	if p, ok := ix.Procedure("1.999999"); ok {
		t.Errorf("Procedure of an unknown code = %v", p)
	}
}

func codes(r procsearch.Result) []string {
	var out []string
	for _, p := range r.Procedures {
		out = append(out, p.Code)
	}
	return out
}

func TestSearch(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	cases := []struct {
		name string
		q    procsearch.Query
		want []string
	}{
		{"all in code order", procsearch.Query{}, []string{"1.000001.000.00.00.H08", "1.000656.000.00.00.H08", "1.001156.000.00.00.H08",
			"1.001193.000.00.00.H08", "2.000635.000.00.00.H08", "2.001157.000.00.00.H08"}},
		// The phrase in the name first, then the rest in code order.
		{"without diacritics, phrase first", procsearch.Query{Text: "ky khai sinh"}, []string{"1.001193.000.00.00.H08", "1.000001.000.00.00.H08"}},
		{"without diacritics", procsearch.Query{Text: "khai sinh"}, []string{"1.000001.000.00.00.H08", "1.001193.000.00.00.H08"}},
		{"upper case with diacritics", procsearch.Query{Text: "ĐĂNG KÝ KẾT HÔN"}, []string{"1.000656.000.00.00.H08"}},
		{"field, folded", procsearch.Query{Text: "ho tich"}, []string{"2.000635.000.00.00.H08", "1.000001.000.00.00.H08", "1.000656.000.00.00.H08",
			"1.001193.000.00.00.H08"}},
		{"code prefix first", procsearch.Query{Text: "1.001"}, []string{"1.001156.000.00.00.H08", "1.001193.000.00.00.H08"}},
		{"full code", procsearch.Query{Text: "2.001157.000.00.00.H08"}, []string{"2.001157.000.00.00.H08"}},
		{"agency name", procsearch.Query{Text: "phu cat"}, []string{"2.000635.000.00.00.H08", "2.001157.000.00.00.H08"}},
		{"words from name and agency", procsearch.Query{Text: "chung thuc cat hanh"}, []string{"2.001157.000.00.00.H08"}},
		{"level label", procsearch.Query{Text: "cấp tỉnh"}, []string{"1.001156.000.00.00.H08"}},
		{"online level label", procsearch.Query{Text: "mot phan"}, []string{"1.000001.000.00.00.H08", "1.000656.000.00.00.H08"}},
		{"no match", procsearch.Query{Text: "xây dựng"}, nil},
		{"field filter", procsearch.Query{Field: "chứng thực"}, []string{"2.001157.000.00.00.H08"}},
		{"agency filter", procsearch.Query{Agency: district.Code}, []string{"2.000635.000.00.00.H08", "2.001157.000.00.00.H08"}},
		{"agency with no procedure", procsearch.Query{Agency: idle.Code}, nil},
		{"unknown agency", procsearch.Query{Agency: "999.99.99.H08"}, nil},
		{"agencies: any of them", procsearch.Query{Agencies: []string{province.Code, district.Code}}, []string{"1.001156.000.00.00.H08",
			"2.000635.000.00.00.H08", "2.001157.000.00.00.H08"}},
		{"agencies and agency", procsearch.Query{Agency: commune.Code, Agencies: []string{district.Code}}, []string{"2.001157.000.00.00.H08"}},
		{"agencies, none known", procsearch.Query{Agencies: []string{"999.99.99.H08"}}, nil},
		{"level filter", procsearch.Query{Level: motcua.LevelProvince}, []string{"1.001156.000.00.00.H08"}},
		{"filters and text", procsearch.Query{Text: "ban sao", Agency: commune.Code, Level: motcua.LevelDistrict}, []string{"2.001157.000.00.00.H08"}},
		{"filters exclude text match", procsearch.Query{Text: "khai sinh", Field: "Chứng thực"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := ix.Search(c.q)
			if got := codes(r); !slices.Equal(got, c.want) || r.Total != len(c.want) {
				t.Fatalf("Search(%+v) = %v (total %d), want %v", c.q, got, r.Total, c.want)
			}
		})
	}
}

func TestPaging(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	var seen []string
	for page := 1; page <= 3; page++ {
		r := ix.Search(procsearch.Query{Page: page, PerPage: 4})
		if r.Total != 6 || r.Pages != 2 || r.PerPage != 4 {
			t.Fatalf("page %d: total %d, pages %d, per page %d", page, r.Total, r.Pages, r.PerPage)
		}
		want := min(page, 2) // past the end: the last page
		if r.Page != want {
			t.Fatalf("page %d returned page %d", page, r.Page)
		}
		if page <= 2 {
			seen = append(seen, codes(r)...)
		}
	}
	all := codes(ix.Search(procsearch.Query{PerPage: 100}))
	if !slices.Equal(seen, all) || len(all) != 6 {
		t.Fatalf("pages gave %v, all %v", seen, all)
	}
	if r := ix.Search(procsearch.Query{Page: -3}); r.Page != 1 || len(r.Procedures) != 6 || r.PerPage != procsearch.DefaultPerPage {
		t.Fatalf("page -3: %+v", r)
	}
	if r := ix.Search(procsearch.Query{Text: "không có"}); r.Pages != 1 || r.Page != 1 || r.Total != 0 {
		t.Fatalf("empty result: %+v", r)
	}
}

func TestChoices(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	if got := ix.Fields(); !slices.Equal(got, []string{"Chứng thực", "Hộ tịch", "Lý lịch tư pháp"}) {
		t.Fatalf("Fields = %v", got)
	}
	var ag []string
	for _, a := range ix.Agencies() {
		ag = append(ag, a.Code)
	}
	if !slices.Equal(ag, []string{province.Code, district.Code, commune.Code}) {
		t.Fatalf("Agencies = %v (the agency with no procedure must be left out)", ag)
	}
	if a, ok := ix.Agency(idle.Code); !ok || a.Name != idle.Name {
		t.Fatalf("Agency(%s) = %v, %v", idle.Code, a, ok)
	}
}

// fakeSource counts how often the catalogue is read.
type fakeSource struct {
	stamp string
	procs []*motcua.Procedure
	lists int
	err   error
}

func (f *fakeSource) CatalogueStamp(context.Context) (string, error) { return f.stamp, f.err }
func (f *fakeSource) ListProcedures(context.Context, string) ([]*motcua.Procedure, error) {
	f.lists++
	return f.procs, nil
}
func (f *fakeSource) ListAgencies(context.Context, motcua.AgencyFilter) ([]*motcua.Agency, error) {
	return []*motcua.Agency{commune}, nil
}

func TestCatalogueRebuildsOnStampChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := &fakeSource{stamp: "a", procs: []*motcua.Procedure{proc("1.001193.000.00.00.H08", "Đăng ký khai sinh", "Hộ tịch", motcua.LevelCommune, motcua.OnlineFull, commune.Code)}}
	c := procsearch.NewCatalogue(src)
	for range 3 {
		ix, err := c.Index(ctx)
		if err != nil || ix.Len() != 1 || ix.Stamp() != "a" {
			t.Fatalf("Index = %v, %v", ix, err)
		}
	}
	if src.lists != 1 {
		t.Fatalf("the catalogue was read %d times for an unchanged stamp", src.lists)
	}
	src.stamp = "b"
	src.procs = append(src.procs, proc("1.000656.000.00.00.H08", "Đăng ký kết hôn", "Hộ tịch", motcua.LevelCommune, motcua.OnlinePartial, commune.Code))
	ix, err := c.Index(ctx)
	if err != nil || ix.Len() != 2 || src.lists != 2 {
		t.Fatalf("after a change: %d procedures, %d reads, %v", ix.Len(), src.lists, err)
	}
	if r := ix.Search(procsearch.Query{Text: "ket hon"}); r.Total != 1 {
		t.Fatalf("the new procedure is not searchable: %+v", r)
	}
	src.err = errors.New("database down")
	if _, err := c.Index(ctx); err == nil {
		t.Fatal("a failing stamp read was not reported")
	}
}

func ExampleIndex_Search() {
	r := testIndex().Search(procsearch.Query{Text: "dang ky khai sinh"})
	for _, p := range r.Procedures {
		fmt.Println(p.Code, p.Name)
	}
	// Output:
	// 1.001193.000.00.00.H08 Đăng ký khai sinh
	// 1.000001.000.00.00.H08 Đăng ký lại khai sinh
}
