package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestDisplayPreferences: the header's A- / A / A+ and contrast links
// (seed 000) work without JavaScript: /hien-thi sets a cookie and goes
// back to the page, which then carries the class; a return address off
// the site is refused.
func TestDisplayPreferences(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	b := newBrowser(t)
	_, body := b.get(ts.url + "/thu-tuc")
	for _, want := range []string{`aria-label="Cỡ chữ và độ tương phản"`, `aria-label="Giảm cỡ chữ"`, `aria-label="Tăng cỡ chữ"`,
		">A-</a>", ">A+</a>", "Tăng tương phản", `href="/hien-thi?co-chu=lon&amp;quay-lai=%2Fthu-tuc"`} {
		if !strings.Contains(body, want) {
			t.Errorf("header lacks %q", want)
		}
	}
	if strings.Contains(body, `<html lang="vi" class=`) {
		t.Errorf("a class on <html> before any choice")
	}

	resp, body := b.get(ts.url + "/hien-thi?co-chu=lon&quay-lai=%2Fthu-tuc")
	if resp.Request.URL.Path != "/thu-tuc" || !strings.Contains(body, `<html lang="vi" class="chu-lon">`) {
		t.Fatalf("after A+: at %s, html %q", resp.Request.URL, firstLine(body, "<html"))
	}
	if !strings.Contains(body, `aria-label="Tăng cỡ chữ" aria-current="true"`) {
		t.Errorf("A+ is not marked current")
	}
	_, body = b.get(ts.url + "/hien-thi?tuong-phan=cao&quay-lai=%2F")
	if !strings.Contains(body, `class="chu-lon tuong-phan-cao"`) || !strings.Contains(body, "Giảm tương phản") {
		t.Fatalf("after contrast: html %q", firstLine(body, "<html"))
	}
	_, body = b.get(ts.url + "/hien-thi?co-chu=vua&tuong-phan=thuong&quay-lai=%2F")
	if strings.Contains(body, `<html lang="vi" class=`) {
		t.Fatalf("after A and Giảm tương phản: html %q", firstLine(body, "<html"))
	}

	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, back := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example"} {
		resp, err := noRedirect.Get(ts.url + "/hien-thi?co-chu=nho&quay-lai=" + back)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
			t.Errorf("quay-lai=%s: %d to %q, want 303 to /", back, resp.StatusCode, loc)
		}
	}
}

func firstLine(body, prefix string) string {
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}
