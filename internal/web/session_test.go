package web

import "testing"

func TestSafeReturn(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/kho-du-lieu":          "/kho-du-lieu",
		"/tai-khoan?x=1":        "/tai-khoan?x=1",
		"":                      "/tai-khoan",
		"//evil.example/x":      "/tai-khoan",
		"/\\evil.example":       "/tai-khoan",
		"https://evil.example/": "/tai-khoan",
		"javascript:alert(1)":   "/tai-khoan",
	} {
		if got := safeReturn(in); got != want {
			t.Errorf("safeReturn(%q) = %q, want %q", in, got, want)
		}
	}
}
