package blob

import (
	"strings"
	"testing"
	"time"
)

// testWalk checks that Walk lists exactly the stored blobs, with their
// sizes, and no temporary upload.
func testWalk(t *testing.T, s Store) {
	ctx := t.Context()
	want := map[string]int64{}
	for _, c := range []string{"a", "bb", "ccc", strings.Repeat("d", 70_000)} {
		ref, err := s.Put(ctx, strings.NewReader(c), 0)
		if err != nil {
			t.Fatal(err)
		}
		want[ref.SHA256] = ref.Size
	}
	before := time.Now().Add(-time.Hour)
	got := map[string]int64{}
	err := s.Walk(ctx, func(o Object) error {
		if _, dup := got[o.SHA256]; dup {
			t.Errorf("Walk listed %s twice", o.SHA256)
		}
		if o.Modified.Before(before) {
			t.Errorf("Walk: %s modified at %v, before the test started", o.SHA256, o.Modified)
		}
		got[o.SHA256] = o.Size
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("Walk listed %d blobs, want %d: %v", len(got), len(want), got)
	}
	for h, n := range want {
		if got[h] != n {
			t.Errorf("Walk: %s size %d, want %d", h, got[h], n)
		}
	}
}
