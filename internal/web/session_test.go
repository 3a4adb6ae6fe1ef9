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
		"/\t/evil.example/x":    "/tai-khoan",
		"/%09/evil.example/x":   "/tai-khoan",
		"/%0A/evil.example/x":   "/tai-khoan",
		"/%0D/evil.example/x":   "/tai-khoan",
	} {
		if got := safeReturn(in); got != want {
			t.Errorf("safeReturn(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBackPath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/kho-du-lieu/abc":           "/kho-du-lieu/abc",
		"/kho-du-lieu?q=1":           "/kho-du-lieu?q=1",
		"/ho-so-nhap/x#tp-2":         "/ho-so-nhap/x",
		"/kho-du-lieu\t/evil":        "",
		"/kho-du-lieu/..//evil":      "",
		"/kho-du-lieu-khac":          "",
		"/kho-du-lieu/../tai-khoan":  "",
		"/kho-du-lieu/%0A/x":         "",
		"https://evil/kho-du-lieu/x": "",
	} {
		if got := backPath(in); got != want {
			t.Errorf("backPath(%q) = %q, want %q", in, got, want)
		}
	}
}
