package httpx

import "testing"

func TestSafeLocalPath(t *testing.T) {
	t.Parallel()
	ok := map[string]string{
		"/":                          "/",
		"/kho-du-lieu":               "/kho-du-lieu",
		"/tai-khoan?x=1&y=%C4%91":    "/tai-khoan?x=1&y=%C4%91",
		"/can-bo/ho-so/":             "/can-bo/ho-so/",
		"/a/./b/../c":                "/a/c",
		"/../../etc":                 "/etc",
		"/ho-so/H%E1%BB%93":          "/ho-so/H%E1%BB%93",
		"/kho-du-lieu/x#tp-1":        "/kho-du-lieu/x",
		"/dev-notify/?a=b":           "/dev-notify/?a=b",
		"/can-bo/tiep-nhan?x=a+b":    "/can-bo/tiep-nhan?x=a+b",
		"/nop-truc-tuyen/1.000123":   "/nop-truc-tuyen/1.000123",
		"/theo-doi?agency=H.01&to=2": "/theo-doi?agency=H.01&to=2",
	}
	for in, want := range ok {
		if got, valid := SafeLocalPath(in); !valid || got != want {
			t.Errorf("SafeLocalPath(%q) = %q, %v; want %q", in, got, valid, want)
		}
	}
	hostile := []string{
		"",
		"/\t/evil.example/x",
		"/\n/evil.example/x",
		"/\r/evil.example/x",
		"/%09/evil.example/x",
		"/%0A/evil.example/x",
		"/%0d/evil.example/x",
		"/%0D%0ASet-Cookie:%20x=1",
		"/x?a=%0Ab",
		"/x\x00",
		"/x%00",
		"/x\x7f",
		"/x%C2%85",
		"/\u2028/evil.example",
		"//evil.example/x",
		"///evil.example/x",
		"/%2Fevil.example/x",
		"/%2F%2Fevil.example",
		"/\\evil.example",
		"/%5Cevil.example",
		"\\\\evil.example",
		"/x\\y",
		"https://evil.example/",
		"HTTPS://evil.example/",
		"//user@evil.example",
		"javascript:alert(1)",
		"evil.example/x",
		" /x",
		"./x",
		"/%zz",
		"/" + string(make([]byte, 3000)),
	}
	for _, in := range hostile {
		if got, valid := SafeLocalPath(in); valid {
			t.Errorf("SafeLocalPath(%q) = %q, accepted", in, got)
		}
	}
}
