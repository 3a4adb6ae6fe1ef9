package httpx

import "testing"

func TestParseByteRange(t *testing.T) {
	for _, c := range []struct {
		spec            string
		off, n          int64
		ok, satisfiable bool
	}{
		{"bytes=0-9", 0, 10, true, true},
		{"bytes=90-", 90, 10, true, true},
		{"bytes=95-200", 95, 5, true, true},
		{"bytes=-5", 95, 5, true, true},
		{"bytes=-500", 0, 100, true, true},
		{"bytes=100-", 0, 0, true, false},
		{"bytes=-0", 0, 0, true, false},
		{"bytes=0-1,5-6", 0, 0, false, false},
		{"items=0-1", 0, 0, false, false},
		{"bytes=5-1", 0, 0, false, false},
		{"bytes=x-1", 0, 0, false, false},
		{"bytes=5", 0, 0, false, false},
	} {
		off, n, ok, sat := parseByteRange(c.spec, 100)
		if off != c.off || n != c.n || ok != c.ok || sat != c.satisfiable {
			t.Errorf("parseByteRange(%q, 100) = %d, %d, %v, %v; want %d, %d, %v, %v", c.spec, off, n, ok, sat, c.off, c.n, c.ok, c.satisfiable)
		}
	}
}
