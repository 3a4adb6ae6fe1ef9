package motcua

import (
	"strings"
	"unicode"
)

// FoldText returns s in the form used to compare and search Vietnamese text
// accent- and case-insensitively: lowercased, with every tone and vowel
// mark removed (đ and Đ become d), runs of white space collapsed to one
// space, and leading and trailing space trimmed. "ĐẮK LẮK" folds to
// "dak lak".
//
// Both precomposed (NFC) letters and letters followed by combining marks
// (NFD, as some word processors and macOS produce) fold the same way.
// Letters outside Vietnamese and the common Latin-1 accented letters are
// only lowercased.
func FoldText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			pendingSpace = b.Len() > 0
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			// Combining marks of decomposed text: the tone and vowel marks.
			continue
		}
		if pendingSpace {
			b.WriteByte(' ')
			pendingSpace = false
		}
		b.WriteRune(foldRune(unicode.ToLower(r)))
	}
	return b.String()
}

// ContainsFolded reports whether needle occurs in haystack once both are
// folded with FoldText. An empty needle is contained in every haystack.
func ContainsFolded(haystack, needle string) bool {
	return strings.Contains(FoldText(haystack), FoldText(needle))
}

// EqualFolded reports whether a and b are equal once folded with FoldText,
// the comparison the population database uses for names.
func EqualFolded(a, b string) bool { return FoldText(a) == FoldText(b) }

// foldRune maps a lowercase accented letter to its ASCII base letter. It is
// the hand-written equivalent of NFD decomposition followed by dropping the
// marks, for Vietnamese and the common Latin-1 letters, so that no Unicode
// normalization tables are needed.
func foldRune(r rune) rune {
	if r < 0x80 {
		return r
	}
	switch r {
	case 'à', 'á', 'ả', 'ã', 'ạ',
		'ă', 'ằ', 'ắ', 'ẳ', 'ẵ', 'ặ',
		'â', 'ầ', 'ấ', 'ẩ', 'ẫ', 'ậ',
		'ä', 'å', 'ā':
		return 'a'
	case 'è', 'é', 'ẻ', 'ẽ', 'ẹ',
		'ê', 'ề', 'ế', 'ể', 'ễ', 'ệ',
		'ë', 'ē':
		return 'e'
	case 'ì', 'í', 'ỉ', 'ĩ', 'ị',
		'î', 'ï', 'ī':
		return 'i'
	case 'ò', 'ó', 'ỏ', 'õ', 'ọ',
		'ô', 'ồ', 'ố', 'ổ', 'ỗ', 'ộ',
		'ơ', 'ờ', 'ớ', 'ở', 'ỡ', 'ợ',
		'ö', 'ō':
		return 'o'
	case 'ù', 'ú', 'ủ', 'ũ', 'ụ',
		'ư', 'ừ', 'ứ', 'ử', 'ữ', 'ự',
		'û', 'ü', 'ū':
		return 'u'
	case 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ', 'ÿ':
		return 'y'
	case 'đ':
		return 'd'
	case 'ç':
		return 'c'
	case 'ñ':
		return 'n'
	}
	return r
}
