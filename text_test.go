package motcua_test

import (
	"testing"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// vietnameseLetters is every letter of the Vietnamese alphabet with every
// tone, in both cases.
const vietnameseLetters = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ" +
	"AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬBCDĐEÈÉẺẼẸÊỀẾỂỄỆGHIÌÍỈĨỊKLMNOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢPQRSTUÙÚỦŨỤƯỪỨỬỮỰVXYỲÝỶỸỴ" +
	"fjwzFJWZ"

func TestFoldText(t *testing.T) {
	t.Parallel()

	tests := []struct{ in, want string }{
		{"Giấy Khai Sinh", "giay khai sinh"},
		{"ĐẮK LẮK", "dak lak"},
		{"Đắk Nông", "dak nong"},
		{"  Thừa   Thiên\tHuế \n", "thua thien hue"},
		{"Phiếu lý lịch tư pháp số 1", "phieu ly lich tu phap so 1"},
		{"Giấy chứng nhận quyền sử dụng đất", "giay chung nhan quyen su dung dat"},
		{"NGUYỄN VĂN A", "nguyen van a"},
		{"Trần Thị Bưởi", "tran thi buoi"},
		{"Ủy ban nhân dân xã Ỷ La", "uy ban nhan dan xa y la"},
		{"Hòa Bình", "hoa binh"},
		{"Hoà Bình", "hoa binh"}, // old-style tone placement
		// Decomposed (NFD) input: base letter followed by combining marks.
		{"Vie\u0323\u0302t Nam", "viet nam"},
		{"Ha\u0300 No\u0323\u0302i", "ha noi"},
		{"Tru\u031Bo\u031B\u0300ng", "truong"},
		{"Bà Rịa - Vũng Tàu", "ba ria - vung tau"},
		{"KQ.G15.000031", "kq.g15.000031"},
		{"\u00a0Hà\u00a0Nội\u3000", "ha noi"},
		{"", ""},
		{"   ", ""},
		{"Crème Brûlée", "creme brulee"},
		{"日本", "日本"},
	}
	for _, tt := range tests {
		if got := motcua.FoldText(tt.in); got != tt.want {
			t.Errorf("FoldText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFoldTextAllLetters(t *testing.T) {
	t.Parallel()

	for _, r := range vietnameseLetters {
		got := motcua.FoldText(string(r))
		if len(got) != 1 || got[0] < 'a' || got[0] > 'z' {
			t.Errorf("FoldText(%q) = %q, want one ASCII lowercase letter", r, got)
		}
	}
}

func TestContainsFolded(t *testing.T) {
	t.Parallel()

	tests := []struct {
		haystack, needle string
		want             bool
	}{
		{"Giấy khai sinh", "khai sinh", true},
		{"Giấy khai sinh", "KHAI SINH", true},
		{"Giấy khai sinh", "giay", true},
		{"Giấy   khai\nsinh", "khai sinh", true},
		{"Tỉnh Đắk Lắk", "dak lak", true},
		{"Tỉnh Đắk Lắk", "Đắk  Lắk ", true},
		{"Giấy khai sinh", "khai tử", false},
		{"Giấy khai sinh", "", true},
		{"", "a", false},
	}
	for _, tt := range tests {
		if got := motcua.ContainsFolded(tt.haystack, tt.needle); got != tt.want {
			t.Errorf("ContainsFolded(%q, %q) = %v, want %v", tt.haystack, tt.needle, got, tt.want)
		}
	}
}

func TestEqualFolded(t *testing.T) {
	t.Parallel()

	if !motcua.EqualFolded("NGUYỄN  Văn An", "nguyen van an") {
		t.Error("EqualFolded: names differing only in case, accents and spaces should be equal")
	}
	if motcua.EqualFolded("Nguyễn Văn An", "Nguyễn Văn Ân Hai") {
		t.Error("EqualFolded: different names should differ")
	}
}

func FuzzFoldText(f *testing.F) {
	for _, s := range []string{"Giấy Khai Sinh", "ĐẮK LẮK", "  a  b ", "Vie\u0323\u0302t", "\xff\xfe", "İ"} {
		f.Add(s)
	}
	letters := []rune(vietnameseLetters + " \t\n")
	f.Fuzz(func(t *testing.T, s string) {
		got := motcua.FoldText(s)
		if again := motcua.FoldText(got); again != got {
			t.Fatalf("FoldText not idempotent: FoldText(%q) = %q, FoldText of that = %q", s, got, again)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("FoldText(%q) = %q is not valid UTF-8", s, got)
		}

		// Map the fuzz input onto Vietnamese letters and spaces: the result
		// must be plain ASCII.
		vi := make([]rune, 0, len(s))
		for i := 0; i < len(s); i++ {
			vi = append(vi, letters[int(s[i])%len(letters)])
		}
		folded := motcua.FoldText(string(vi))
		for i := 0; i < len(folded); i++ {
			if folded[i] >= utf8.RuneSelf {
				t.Fatalf("FoldText(%q) = %q contains non-ASCII", string(vi), folded)
			}
		}
	})
}
