package main

import (
	"strings"
	"testing"
)

// The demo's sample files, to try the refusals of unsigned and tampered
// PDFs, are served in demo mode only.
func TestDemoSamples(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	b := newBrowser(t)
	for _, name := range []string{"chua-ky.pdf", "da-sua-sau-khi-ky.pdf"} {
		if resp, body := b.get(ts.url + "/mau/" + name); resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
			t.Fatalf("sample %s: %d", name, resp.StatusCode)
		}
	}
	if resp, _ := b.get(ts.url + "/mau/khac.pdf"); resp.StatusCode != 404 {
		t.Fatalf("unknown sample: %d", resp.StatusCode)
	}
	if resp, _ := newBrowser(t).get(startServer(t, "--migrate", "--data-dir", t.TempDir()).url + "/mau/chua-ky.pdf"); resp.StatusCode != 404 {
		t.Fatalf("sample outside demo mode: %d", resp.StatusCode)
	}
}
