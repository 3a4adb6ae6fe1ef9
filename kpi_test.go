package motcua_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func TestRatePercent(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		r    motcua.Rate
		d    int
		sep  string
		want string
	}{
		{motcua.Rate{1, 306}, 2, ",", "0,33"}, // the seed prints 0.32: truncated, not rounded
		{motcua.Rate{20, 818}, 2, ",", "2,44"},
		{motcua.Rate{66, 461}, 2, ",", "14,32"},
		{motcua.Rate{66, 461}, 1, ".", "14.3"},
		{motcua.Rate{21, 1246}, 2, ",", "1,69"},
		{motcua.Rate{156, 3480}, 2, ",", "4,48"},
		{motcua.Rate{1, 8}, 2, ".", "12.50"},
		{motcua.Rate{1, 800}, 2, ".", "0.13"}, // 0.125 → half up
		{motcua.Rate{0, 0}, 2, ",", "0,00"},
		{motcua.Rate{3, 3}, 0, ",", "100"},
		{motcua.Rate{2, 3}, 0, ",", "67"},
	} {
		if got := c.r.Percent(c.d, c.sep); got != c.want {
			t.Errorf("%d/%d to %d decimals = %s, want %s", c.r.Num, c.r.Den, c.d, got, c.want)
		}
	}
}

func TestFormatCount(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0", 999: "999", 1246: "1.246", 3480: "3.480", 1234567: "1.234.567", -1000: "-1.000"} {
		if got := motcua.FormatCount(n); got != want {
			t.Errorf("FormatCount(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestBuildReuseTable(t *testing.T) {
	t.Parallel()
	root := &motcua.Agency{Code: "000.00.23.H08", Name: "UBND huyện An Lão", Level: motcua.LevelDistrict}
	under := []*motcua.Agency{
		root,
		{Code: "000.01.23.H08", Name: "Phòng Tư pháp", Level: motcua.LevelDistrict, ParentCode: root.Code},
		{Code: "000.23.03.H08", Name: "UBND xã An Hòa", Level: motcua.LevelCommune, ParentCode: root.Code},
		{Code: "000.08.23.H08", Name: "Hạt Kiểm lâm huyện", Level: motcua.LevelDistrict, ParentCode: root.Code},
	}
	counts := []motcua.AgencyCount{{AgencyCode: "000.01.23.H08", Received: 306, Reused: 1, Online: 100}, {AgencyCode: "000.23.03.H08", Received: 461, Reused: 66, Verified: 400}, {AgencyCode: "000.99.99.H08", Received: 5, Reused: 5}}
	tab := motcua.BuildReuseTable(root, under, counts, time.Time{}, time.Time{})
	if len(tab.Sections) != 2 || len(tab.Sections[0].Rows) != 2 || tab.Sections[0].Rows[1].Received != 0 ||
		tab.Sections[0].Total.Received != 306 || tab.Sections[1].Total.Reused != 66 ||
		tab.Total.Received != 767 || tab.Total.Reused != 67 || tab.Total.Online != 100 || tab.Total.Verified != 400 ||
		tab.Sections[1].Rows[0].VerifiedRate().Percent(1, ",") != "86,8" {
		t.Fatalf("table = %+v", tab)
	}
}
