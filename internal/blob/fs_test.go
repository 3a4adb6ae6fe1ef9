package blob

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/blob/blobtest"
)

func TestFS(t *testing.T) {
	blobtest.Run(t, blobtest.Harness{
		New: func(t *testing.T) motcua.BlobStore {
			s, _ := setup(t)
			return s
		},
		Corrupt: func(t *testing.T, s motcua.BlobStore, sha256 string) {
			flipByte(t, s.(*FS).path(sha256))
		},
	})
}

// setup returns an FS in a fresh temporary folder and that folder.
func setup(t *testing.T) (*FS, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := OpenFS(dir)
	if err != nil {
		t.Fatalf("OpenFS: %v", err)
	}
	return s, dir
}

func flipByte(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("corrupt: %v", err)
	}
	if len(b) == 0 {
		b = []byte{0}
	} else {
		b[len(b)/2] ^= 0x01
	}
	if err := os.WriteFile(path, b, 0o640); err != nil {
		t.Fatalf("corrupt: %v", err)
	}
}

func TestFSLeavesNoTempFiles(t *testing.T) {
	t.Parallel()
	s, dir := setup(t)
	ctx := t.Context()
	content := bytes.Repeat([]byte("giấy tờ "), 20_000)

	if _, err := s.Put(ctx, bytes.NewReader(content), 0); err != nil {
		t.Fatalf("Put: %v", err)
	}
	// Same content again: the temp copy is dropped in favour of the stored one.
	if _, err := s.Put(ctx, bytes.NewReader(content), 0); err != nil {
		t.Fatalf("second Put: %v", err)
	}
	if _, err := s.Put(ctx, bytes.NewReader(content), 100); motcua.ErrorCode(err) != "too_large" {
		t.Fatalf("Put over maxSize = %v, want too_large", err)
	}
	errBroken := errors.New("broken upload")
	if _, err := s.Put(ctx, io.MultiReader(bytes.NewReader(content), errReader{errBroken}), 0); !errors.Is(err, errBroken) {
		t.Fatalf("Put of failing reader = %v, want %v", err, errBroken)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Put(canceled, bytes.NewReader(content), 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with canceled context = %v, want context.Canceled", err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}

	entries, err := os.ReadDir(filepath.Join(dir, "tmp"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left in tmp: %s", e.Name())
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestOpenFSRemovesStaleTempFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o750); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(tmp, "put-stale")
	fresh := filepath.Join(tmp, "put-fresh")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("half an upload"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	recent := time.Now().Add(-50 * time.Minute)
	if err := os.Chtimes(fresh, recent, recent); err != nil {
		t.Fatal(err)
	}

	s, err := OpenFS(dir)
	if err != nil {
		t.Fatalf("OpenFS: %v", err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale temp file: Stat = %v, want not exist", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("fresh temp file (a Put may be running): %v", err)
	}
	if n, err := s.TempFiles(); n != 1 || err != nil || s.TempRemoved() != 1 {
		t.Errorf("after open: %d temp files (%v), %d removed; want 1 and 1", n, err, s.TempRemoved())
	}

	// A process that runs for long sweeps again: the file left fresh at
	// the start goes once it is past the grace period.
	if n, err := s.RemoveStaleTemp(time.Now()); n != 0 || err != nil {
		t.Fatalf("sweep within the grace period: removed %d, %v", n, err)
	}
	if n, err := s.RemoveStaleTemp(time.Now().Add(20 * time.Minute)); n != 1 || err != nil {
		t.Fatalf("sweep past the grace period: removed %d, %v", n, err)
	}
	if n, err := s.TempFiles(); n != 0 || err != nil || s.TempRemoved() != 2 {
		t.Errorf("after the sweep: %d temp files (%v), %d removed; want 0 and 2", n, err, s.TempRemoved())
	}
}

func TestOpenFSCreatesFolder(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "var", "blobs")
	s, err := OpenFS(dir)
	if err != nil {
		t.Fatalf("OpenFS: %v", err)
	}
	if info, err := os.Stat(filepath.Join(dir, "tmp")); err != nil || !info.IsDir() {
		t.Fatalf("tmp folder: %v", err)
	}
	if err := s.Ping(t.Context()); err != nil {
		t.Errorf("Ping: %v", err)
	}
	if _, err := OpenFS(""); err == nil {
		t.Error("OpenFS(\"\") succeeded")
	}
}

func TestFSLayout(t *testing.T) {
	t.Parallel()
	s, dir := setup(t)
	ref, err := s.Put(t.Context(), strings.NewReader("Giấy khai sinh"), 0)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}

	want := filepath.Join(ref.SHA256[0:2], ref.SHA256[2:4], ref.SHA256)
	var files []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, err := filepath.Rel(dir, path)
			if err != nil {
				return err
			}
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0] != want {
		t.Errorf("files = %q, want [%q]", files, want)
	}
	b, err := os.ReadFile(filepath.Join(dir, want))
	if err != nil || string(b) != "Giấy khai sinh" {
		t.Errorf("blob file = %q, %v", b, err)
	}
}

// A file cut short while it is being read must not end in a clean EOF.
func TestFSOpenDetectsTruncationDuringRead(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	content := bytes.Repeat([]byte("0123456789"), 10_000)
	ref, err := s.Put(t.Context(), bytes.NewReader(content), 0)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	rc, err := s.Open(t.Context(), ref.SHA256)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer rc.Close()
	if err := os.Truncate(s.path(ref.SHA256), 1000); err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(rc)
	if motcua.ErrorCode(err) != "blob_corrupt" || motcua.ErrorKind(err) != motcua.EINTERNAL {
		t.Fatalf("read = %v, want internal blob_corrupt", err)
	}
	// The failure is sticky.
	if n, err2 := rc.Read(make([]byte, 10)); n != 0 || motcua.ErrorCode(err2) != "blob_corrupt" {
		t.Errorf("Read after failure = %d, %v; want 0, blob_corrupt", n, err2)
	}
}

func TestFSTooLargeMessage(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	_, err := s.Put(t.Context(), io.LimitReader(zeros{}, 10<<20+1), 10<<20)
	var e *motcua.Error
	if !errors.As(err, &e) || e.Kind != motcua.EINVALID || e.Code != "too_large" {
		t.Fatalf("Put = %v, want invalid too_large", err)
	}
	if want := "Tệp tin vượt quá dung lượng cho phép (tối đa 10 MB)."; e.Message != want {
		t.Errorf("Message = %q, want %q", e.Message, want)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestFormatMB(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		n    int64
		want string
	}{
		{20 << 20, "20"},
		{1 << 20, "1"},
		{3 << 19, "1,5"},
		{1<<20 + 1, "1"},
		{256 << 10, "0,25"},
		{10, "0,01"},
	} {
		if got := formatMB(tt.n); got != tt.want {
			t.Errorf("formatMB(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func BenchmarkFSPut(b *testing.B) {
	dir := b.TempDir()
	s, err := OpenFS(dir)
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	content := bytes.Repeat([]byte("hồ sơ một cửa "), (1<<20)/len("hồ sơ một cửa ")+1)[:1<<20]
	b.SetBytes(int64(len(content)))
	var i uint64
	for b.Loop() {
		// Distinct content each time, so every Put writes a new blob.
		i++
		binary.LittleEndian.PutUint64(content, i)
		if _, err := s.Put(ctx, bytes.NewReader(content), 0); err != nil {
			b.Fatal(err)
		}
	}
}

func TestFSWalk(t *testing.T) {
	s, dir := setup(t)
	// A temporary upload is not a blob.
	if err := os.WriteFile(filepath.Join(dir, "tmp", "put-123"), []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	testWalk(t, s)
}
