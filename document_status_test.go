package motcua

import "testing"

// TestDocumentStatusLabelExpired: a valid document past its expiry date
// reads "Hết hiệu lực", never "Còn hiệu lực" next to a past date (issue 16
// point 7).
func TestDocumentStatusLabelExpired(t *testing.T) {
	today := Date{2026, 12, 7}
	for _, c := range []struct {
		name string
		d    Document
		want string
	}{
		{"no expiry", Document{Status: DocumentValid}, "Còn hiệu lực"},
		{"expires today", Document{Status: DocumentValid, ExpiresOn: today}, "Còn hiệu lực"},
		{"expired yesterday", Document{Status: DocumentValid, ExpiresOn: Date{2026, 12, 6}}, "Hết hiệu lực"},
		{"revoked and expired", Document{Status: DocumentRevoked, ExpiresOn: Date{2020, 1, 1}}, "Đã thu hồi"},
	} {
		if got := c.d.StatusLabel(today); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
