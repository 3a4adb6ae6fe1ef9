package httpx

import (
	"net/url"
	"path"
	"strings"
)

// maxLocalPath bounds a return address taken from a request.
const maxLocalPath = 2048

// SafeLocalPath checks a return address taken from a request (a
// return_to parameter, a "back" field) and returns it as a clean path on
// this site, with its query, or false when it is not one. Refused: empty
// or overlong input; anything that is not a path-absolute URL (a scheme,
// a host, "//" or "/\" prefixes, which browsers read as another host);
// backslashes; and control characters (tab, CR, LF… which browsers strip,
// turning "/\t/evil.example" into "//evil.example"), raw or
// percent-encoded. The path is cleaned of dot segments; a fragment is
// dropped.
func SafeLocalPath(s string) (string, bool) {
	if s == "" || len(s) > maxLocalPath || s[0] != '/' {
		return "", false
	}
	decoded, err := url.PathUnescape(s)
	if err != nil {
		return "", false
	}
	for _, v := range []string{s, decoded} {
		if strings.HasPrefix(v, "//") || strings.ContainsRune(v, '\\') || strings.ContainsFunc(v, isControl) {
			return "", false
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "", false
	}
	clean := path.Clean(u.Path)
	if strings.HasSuffix(u.Path, "/") && clean != "/" {
		clean += "/"
	}
	out := (&url.URL{Path: clean, RawQuery: u.RawQuery}).String()
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") || strings.HasPrefix(out, "/\\") {
		return "", false
	}
	return out, true
}

// isControl reports C0 and C1 control characters and DEL, and the Unicode
// line and paragraph separators.
func isControl(r rune) bool {
	return r < 0x20 || r >= 0x7f && r <= 0x9f || r == '\u2028' || r == '\u2029'
}
