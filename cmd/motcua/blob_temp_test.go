package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBlobTempFilesCleanedAndCounted: uploads cut off by a killed process
// leave blobs/tmp/put-* files. The server deletes those past the grace
// period when it starts, keeps younger ones (another process may be
// writing them) and shows both in /metrics.
func TestBlobTempFilesCleanedAndCounted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tmp := filepath.Join(dir, "blobs", "tmp")
	if err := os.MkdirAll(tmp, 0o750); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-3 * time.Hour)
	for i, name := range []string{"put-1", "put-2", "put-3", "put-fresh"} {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte("half an upload"), 0o600); err != nil {
			t.Fatal(err)
		}
		if i < 3 {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	ts := startServer(t, "--migrate", "--data-dir", dir)
	resp, body := get(t, ts.url+"/metrics")
	if resp.StatusCode != 200 || !strings.Contains(body, "\nmotcua_blob_temp_files 1\n") ||
		!strings.Contains(body, "\nmotcua_blob_temp_removed_total 3\n") {
		t.Fatalf("metrics:\n%s", body)
	}
	left, err := os.ReadDir(tmp)
	if err != nil || len(left) != 1 || left[0].Name() != "put-fresh" {
		t.Fatalf("left in blobs/tmp: %v, %v", left, err)
	}
}
