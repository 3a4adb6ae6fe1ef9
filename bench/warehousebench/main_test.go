package main

import (
	"slices"
	"testing"

	"github.com/motcua/motcua/internal/demo"
)

// The benchmark's procedure must be one the catalogue would accept, and
// its categories ones the generator produces.
func TestMatchProcedure(t *testing.T) {
	p := matchProcedure()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(p.Components) != 3 {
		t.Fatalf("%d components, want 3", len(p.Components))
	}
	var known []string
	for _, c := range demo.Categories() {
		known = append(known, c.Code)
	}
	f := matchFilter(p, owner{code: "052190000001"})
	want := []string{demo.CategoryIDCard, demo.CategoryCertifiedCopy, demo.CategoryBirthCertificate, demo.CategoryMaritalStatus}
	if !slices.Equal(f.CategoryCodes, want) {
		t.Errorf("categories %v, want %v", f.CategoryCodes, want)
	}
	for _, c := range f.CategoryCodes {
		if !slices.Contains(known, c) {
			t.Errorf("category %s is not a demo category", c)
		}
	}
	if f.OwnerCode != "052190000001" || f.Limit != 500 || !f.NoTotal {
		t.Errorf("filter %+v differs from the service's", f)
	}
}
