package web

import "testing"

// A refusal's path in the document maps back to the form row the user
// filled, blank rows having been left out of the document.
func TestFormPath(t *testing.T) {
	rows := map[string][]int{"cases": {0, 2}, "components": {1}}
	for path, want := range map[string]string{
		"cases[1].name":                        "cases[2].name",
		"cases[0].code":                        "cases[0].code",
		"components[0].accepted_categories[1]": "components[1].accepted_categories[1]",
		"fees[0].name":                         "fees[0].name", // no blank fee rows: unchanged
		"cases":                                "cases",
		"agencies[0]":                          "agencies[0]",
		"":                                     "",
		"components[3].code":                   "components[3].code", // out of range: as is
	} {
		if got := formPath(path, rows); got != want {
			t.Errorf("formPath(%q) = %q, want %q", path, got, want)
		}
	}
	if got := fieldLabel("components[1].accepted_categories[0]"); got != "Thành phần hồ sơ 2 › loại giấy tờ chấp nhận 1" {
		t.Errorf("label: %q", got)
	}
}
