package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/catalogue"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/testenv"
)

// seedWithTemplates makes a demo database in dir whose birth and marriage
// procedures name a blank form each, stored with `catalogue import
// --templates` in the blob store of blobArgs; it returns their SHA-256,
// the birth procedure's first.
func seedWithTemplates(t *testing.T, dir string, blobArgs ...string) []string {
	t.Helper()
	ctx := context.Background()
	if code := run(ctx, []string{"seed-demo", "--data-dir", dir}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("seed-demo exit %d", code)
	}
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"catalogue", "export", "--data-dir", dir}, &out, &errb); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errb.String())
	}
	doc, err := catalogue.Decode(&out)
	if err != nil {
		t.Fatal(err)
	}
	forms := t.TempDir()
	sums := make([]string, 2)
	for i := range doc.Procedures {
		p := &doc.Procedures[i]
		if p.Code != demo.ProcedureBirth && p.Code != demo.ProcedureMarriage {
			continue
		}
		name := "mau-" + p.Code + ".docx"
		content := []byte("PK\x03\x04 tờ khai " + p.Name + strings.Repeat(" mẫu", 5000))
		if err := os.WriteFile(filepath.Join(forms, name), content, 0o600); err != nil {
			t.Fatal(err)
		}
		p.Components[0].FormTemplate = name
		sum := sha256.Sum256(content)
		if p.Code == demo.ProcedureBirth {
			sums[0] = hex.EncodeToString(sum[:])
		} else {
			sums[1] = hex.EncodeToString(sum[:])
		}
	}
	var b bytes.Buffer
	if err := doc.Encode(&b); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "catalogue.json")
	if err := os.WriteFile(file, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"catalogue", "import", "--data-dir", dir, "--templates", forms}, blobArgs...)
	if code := run(ctx, append(args, file), &out, &errb); code != 0 {
		t.Fatalf("import with templates: exit %d\n%s", code, errb.String())
	}
	return sums
}

func runCmd(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := run(context.Background(), args, &out, &out)
	return code, out.String()
}

// TestBlobsGCFile: `blobs gc` deletes an unreferenced blob only once it is
// older than --grace, never a referenced one; --dry-run deletes nothing.
func TestBlobsGCFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	refs := seedWithTemplates(t, dir)
	fs, err := blob.OpenFS(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	orphan, err := fs.Put(ctx, strings.NewReader("nobody refers to this"), 0)
	if err != nil {
		t.Fatal(err)
	}
	// Make every blob old: only references keep the templates now.
	old := time.Now().Add(-2 * time.Hour)
	for _, h := range append([]string{orphan.SHA256}, refs...) {
		if err := os.Chtimes(filepath.Join(dir, "blobs", h[0:2], h[2:4], h), old, old); err != nil {
			t.Fatal(err)
		}
	}
	// Within the grace period: kept.
	code, out := runCmd(t, "blobs", "gc", "--data-dir", dir, "--grace", "3h")
	if code != 0 || !strings.Contains(out, "deleted 0 unreferenced blobs") || !strings.Contains(out, "kept 2 referenced and 1 unreferenced") {
		t.Fatalf("gc --grace 3h: exit %d\n%s", code, out)
	}
	// Past it, in a dry run: listed, kept.
	code, out = runCmd(t, "blobs", "gc", "--data-dir", dir, "--grace", "1h", "--dry-run")
	if code != 0 || !strings.Contains(out, "unreferenced "+orphan.SHA256) || !strings.Contains(out, "would delete 1 unreferenced blobs") {
		t.Fatalf("gc --dry-run: exit %d\n%s", code, out)
	}
	if _, err := fs.Stat(ctx, orphan.SHA256); err != nil {
		t.Fatalf("the dry run deleted the orphan: %v", err)
	}
	// Past it: deleted; the referenced ones stay.
	code, out = runCmd(t, "blobs", "gc", "--data-dir", dir, "--grace", "1h")
	if code != 0 || !strings.Contains(out, "deleted 1 unreferenced blobs") {
		t.Fatalf("gc: exit %d\n%s", code, out)
	}
	if _, err := fs.Stat(ctx, orphan.SHA256); !isCode(err, "blob_not_found") {
		t.Fatalf("orphan after gc: %v, want blob_not_found", err)
	}
	for _, h := range refs {
		if _, err := fs.Stat(ctx, h); err != nil {
			t.Fatalf("referenced blob %s after gc: %v", h, err)
		}
	}
	// A grace period too short to cover an upload is refused.
	code, out = runCmd(t, "blobs", "gc", "--data-dir", dir, "--grace", "0s")
	if code != 2 || !strings.Contains(out, "--grace must be at least 1m") {
		t.Fatalf("gc --grace 0s: exit %d\n%s", code, out)
	}
}

// TestBlobsPutRefreshesAge: putting content that is already stored resets
// its age, so gc spares a re-upload of an unreferenced blob.
func TestBlobsPutRefreshesAge(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seedWithTemplates(t, dir)
	fs, err := blob.OpenFS(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ref, err := fs.Put(ctx, strings.NewReader("uploaded twice"), 0)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "blobs", ref.SHA256[0:2], ref.SHA256[2:4], ref.SHA256), old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Put(ctx, strings.NewReader("uploaded twice"), 0); err != nil {
		t.Fatal(err)
	}
	code, out := runCmd(t, "blobs", "gc", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "deleted 0 unreferenced blobs") {
		t.Fatalf("gc: exit %d\n%s", code, out)
	}
}

// TestBlobsVerifyFile: `blobs verify` reads every referenced blob and
// reports the corrupt and missing ones, exiting 1.
func TestBlobsVerifyFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	refs := seedWithTemplates(t, dir)
	code, out := runCmd(t, "blobs", "verify", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "2 referenced blobs") || !strings.Contains(out, "0 missing, 0 corrupt") {
		t.Fatalf("verify: exit %d\n%s", code, out)
	}
	path := func(h string) string { return filepath.Join(dir, "blobs", h[0:2], h[2:4], h) }
	b, err := os.ReadFile(path(refs[0]))
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(path(refs[0]), b, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path(refs[1])); err != nil {
		t.Fatal(err)
	}
	code, out = runCmd(t, "blobs", "verify", "--data-dir", dir)
	if code != 1 || !strings.Contains(out, "corrupt "+refs[0]) || !strings.Contains(out, "missing "+refs[1]) ||
		!strings.Contains(out, "1 missing, 1 corrupt") {
		t.Fatalf("verify of a damaged store: exit %d\n%s", code, out)
	}
}

// testS3URL returns a URL of the test S3 server under a fresh prefix.
func testS3URL(t *testing.T) string {
	t.Helper()
	base := testenv.Var(t, "MOTCUA_REQUIRE_S3", "MOTCUA_TEST_S3_URL", "scripts/test starts an S3 server and sets it")
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + fmt.Sprintf("/cmd-%s-%d", strings.ReplaceAll(t.Name(), "/", "-"), time.Now().UnixNano())
	return u.String()
}

// TestBlobsS3: the whole life of an S3 blob store: the catalogue import
// stores templates in it (--blob-url), serve downloads them from it and
// reports it ready, copy migrates file → S3 (resumable) and back, verify
// finds a corrupt object, gc removes an orphan only after the grace.
func TestBlobsS3(t *testing.T) {
	t.Parallel()
	s3url := testS3URL(t)
	ctx := context.Background()

	// Templates stored straight into S3 by the import.
	dir := t.TempDir()
	refs := seedWithTemplates(t, dir, "--blob-url", s3url)
	s3, err := blob.OpenS3(ctx, s3url)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range refs {
		if _, err := s3.Stat(ctx, h); err != nil {
			t.Fatalf("template %s not in S3: %v", h, err)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "blobs")); len(entries) > 1 {
		t.Fatalf("the file store was written to: %v", entries)
	}
	code, out := runCmd(t, "blobs", "verify", "--data-dir", dir, "--blob-url", s3url)
	if code != 0 || !strings.Contains(out, "2 referenced blobs") || !strings.Contains(out, "0 missing, 0 corrupt") {
		t.Fatalf("verify on S3: exit %d\n%s", code, out)
	}

	// serve reads them from S3, and /readyz checks the bucket.
	ts := startServer(t, "--data-dir", dir, "--blob-url", s3url)
	resp, body := get(t, ts.url+"/readyz")
	if resp.StatusCode != 200 || !strings.Contains(body, `"blobs":"ok"`) {
		t.Fatalf("/readyz: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, ts.url+"/thu-tuc/"+demo.ProcedureBirth+"/mau/"+refs[0])
	resp2, body2 := get(t, ts.url+"/thu-tuc/"+demo.ProcedureMarriage+"/mau/"+refs[1])
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "PK") || resp2.StatusCode != 200 || !strings.HasPrefix(body2, "PK") {
		t.Fatalf("template download from S3: %d, %d", resp.StatusCode, resp2.StatusCode)
	}
	checkRangeDownload(t, ts.url+"/thu-tuc/"+demo.ProcedureBirth+"/mau/"+refs[0], body)
	ts.stop()

	// Copy S3 → a folder, then the folder → another S3 prefix, twice.
	local := filepath.Join(t.TempDir(), "blobs")
	code, out = runCmd(t, "blobs", "copy", "--from", s3url, "--to", "file://"+local)
	if code != 0 || !strings.Contains(out, "copied 2") {
		t.Fatalf("copy S3 → file: exit %d\n%s", code, out)
	}
	other := testS3URL(t)
	code, out = runCmd(t, "blobs", "copy", "--from", "file://"+local, "--to", other)
	if code != 0 || !strings.Contains(out, "copied 2") {
		t.Fatalf("copy file → S3: exit %d\n%s", code, out)
	}
	code, out = runCmd(t, "blobs", "copy", "--from", "file://"+local, "--to", other)
	if code != 0 || !strings.Contains(out, "copied 0 (0 B), already there 2") {
		t.Fatalf("copy resumed: exit %d\n%s", code, out)
	}
	code, out = runCmd(t, "blobs", "verify", "--data-dir", dir, "--blob-url", other)
	if code != 0 || !strings.Contains(out, "0 missing, 0 corrupt") {
		t.Fatalf("verify of the copy: exit %d\n%s", code, out)
	}

	// A damaged object: verify reports it, copy refuses it.
	if err := s3.PutRaw(ctx, refs[0], []byte("not the template")); err != nil {
		t.Fatal(err)
	}
	code, out = runCmd(t, "blobs", "verify", "--data-dir", dir, "--blob-url", s3url)
	if code != 1 || !strings.Contains(out, "corrupt "+refs[0]) || !strings.Contains(out, "0 missing, 1 corrupt") {
		t.Fatalf("verify of a corrupt S3 object: exit %d\n%s", code, out)
	}
	third := "file://" + filepath.Join(t.TempDir(), "blobs")
	code, out = runCmd(t, "blobs", "copy", "--from", s3url, "--to", third)
	if code != 1 || !strings.Contains(out, "corrupt "+refs[0]+": not copied") || !strings.Contains(out, "copied 1") {
		t.Fatalf("copy of a corrupt object: exit %d\n%s", code, out)
	}

	// gc: an orphan survives the grace period, then goes.
	orphan, err := s3.Put(ctx, strings.NewReader("an upload whose row never came"), 0)
	if err != nil {
		t.Fatal(err)
	}
	code, out = runCmd(t, "blobs", "gc", "--data-dir", dir, "--blob-url", s3url)
	if code != 0 || !strings.Contains(out, "deleted 0 unreferenced blobs") || !strings.Contains(out, "1 unreferenced within the grace period") {
		t.Fatalf("gc within the grace: exit %d\n%s", code, out)
	}
	cfg := commonConfig{DataDir: dir, BlobURL: s3url}
	store, blobs, err := openStoreAndBlobs(ctx, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	// The clock two hours on: the orphan is past a one-hour grace.
	res, err := collectGarbage(ctx, store, blobs, time.Now().Add(2*time.Hour), time.Hour, false, io.Discard)
	if err != nil || res.deleted != 1 || res.referenced != 2 {
		t.Fatalf("gc two hours later: %+v, %v", res, err)
	}
	if _, err := s3.Stat(ctx, orphan.SHA256); !isCode(err, "blob_not_found") {
		t.Fatalf("orphan after gc: %v", err)
	}
	for _, h := range refs {
		if _, err := s3.Stat(ctx, h); err != nil {
			t.Fatalf("referenced %s after gc: %v", h, err)
		}
	}
}

// checkRangeDownload asks url for parts of whole (its full content): a
// middle range, an open-ended one, a suffix, and one past the end.
func checkRangeDownload(t *testing.T, url, whole string) {
	t.Helper()
	size := len(whole)
	for _, c := range []struct {
		spec   string
		status int
		want   string
		cr     string
	}{
		{"bytes=10-19", 206, whole[10:20], fmt.Sprintf("bytes 10-19/%d", size)},
		{"bytes=100-", 206, whole[100:], fmt.Sprintf("bytes 100-%d/%d", size-1, size)},
		{"bytes=-7", 206, whole[size-7:], fmt.Sprintf("bytes %d-%d/%d", size-7, size-1, size)},
		{fmt.Sprintf("bytes=%d-", size), 416, "", fmt.Sprintf("bytes */%d", size)},
	} {
		req, err := http.NewRequest("GET", url, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Range", c.spec)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != c.status || resp.Header.Get("Content-Range") != c.cr || (c.status == 206 && string(b) != c.want) {
			t.Fatalf("Range %s: %d %q, %d bytes; want %d %q, %d bytes", c.spec, resp.StatusCode, resp.Header.Get("Content-Range"), len(b), c.status, c.cr, len(c.want))
		}
	}
}

// TestFormTemplateRangeFile: the blank form download answers range
// requests from the folder store too.
func TestFormTemplateRangeFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	refs := seedWithTemplates(t, dir)
	ts := startServer(t, "--data-dir", dir)
	url := ts.url + "/thu-tuc/" + demo.ProcedureBirth + "/mau/" + refs[0]
	resp, body := get(t, url)
	if resp.StatusCode != 200 || resp.Header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("download: %d, Accept-Ranges %q", resp.StatusCode, resp.Header.Get("Accept-Ranges"))
	}
	checkRangeDownload(t, url, body)
}

// TestBlobURLEnv: MOTCUA_BLOB_URL selects the store like --blob-url; a
// malformed URL or a missing copy source is refused.
func TestBlobURLEnv(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(t.TempDir(), "elsewhere")
	seedWithTemplates(t, dir, "--blob-url", "file://"+store)
	t.Setenv("MOTCUA_BLOB_URL", "file://"+store)
	code, out := runCmd(t, "blobs", "verify", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "2 referenced blobs") || !strings.Contains(out, "checked in "+store) {
		t.Fatalf("verify with MOTCUA_BLOB_URL: exit %d\n%s", code, out)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "blobs")); len(entries) > 0 {
		t.Fatalf("the default folder was used: %v", entries)
	}
	for _, bad := range []string{"ftp://x/y", "file://relative/path", "s3:///nobucket"} {
		t.Setenv("MOTCUA_BLOB_URL", bad)
		if code, out := runCmd(t, "blobs", "verify", "--data-dir", dir); code != 1 || !strings.Contains(out, "blob URL") {
			t.Fatalf("MOTCUA_BLOB_URL=%s: exit %d\n%s", bad, code, out)
		}
	}
	code, out = runCmd(t, "blobs", "copy", "--from", "file://"+filepath.Join(dir, "missing"), "--to", "file://"+store)
	if code != 1 || !strings.Contains(out, "no such file") {
		t.Fatalf("copy from a missing folder: exit %d\n%s", code, out)
	}
}
