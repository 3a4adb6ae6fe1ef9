// Package blobtest is the conformance suite every motcua.BlobStore
// implementation runs from its own tests:
//
//	blobtest.Run(t, blobtest.Harness{New: newStore, Corrupt: corrupt})
package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/motcua/motcua"
)

// Harness is what a backend provides to the suite.
type Harness struct {
	// New returns an empty store for one subtest. Subtests run in parallel,
	// so each call must return an independent store; New registers any
	// cleanup with t.Cleanup.
	New func(t *testing.T) motcua.BlobStore

	// Corrupt damages the stored content of the blob sha256 in s behind the
	// store's back, so that it no longer matches its address. It may be nil
	// when the backend offers no way to do so; the corruption subtest is
	// then skipped.
	Corrupt func(t *testing.T, s motcua.BlobStore, sha256 string)
}

// Run runs the suite against the stores h builds.
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.New == nil {
		t.Fatal("blobtest: Harness.New is nil")
	}
	tests := []struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{
		{"RoundTrip", testRoundTrip},
		{"Empty", testEmpty},
		{"Large", testLarge},
		{"MaxSizeBoundary", testMaxSizeBoundary},
		{"Idempotent", testIdempotent},
		{"TooLarge", testTooLarge},
		{"Unknown", testUnknown},
		{"MalformedHash", testMalformedHash},
		{"DeleteThenOpen", testDeleteThenOpen},
		{"Concurrent", testConcurrent},
		{"FailingReader", testFailingReader},
		{"CanceledBeforePut", testCanceledBeforePut},
		{"CanceledDuringPut", testCanceledDuringPut},
		{"Ping", testPing},
		{"Corrupt", testCorrupt},
		{"Range", testRange},
		{"RangeErrors", testRangeErrors},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, h)
		})
	}
}

func testRoundTrip(t *testing.T, h Harness) {
	s := h.New(t)
	ctx := t.Context()
	content := randomBytes(1, 100_000)

	ref := put(t, s, bytes.NewReader(content), 0)
	want := motcua.BlobRef{SHA256: sum(content), Size: int64(len(content))}
	if ref != want {
		t.Fatalf("Put = %+v, want %+v", ref, want)
	}
	got, err := s.Stat(ctx, ref.SHA256)
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	if got != want {
		t.Errorf("Stat = %+v, want %+v", got, want)
	}
	if b := readAll(t, s, ref.SHA256); !bytes.Equal(b, content) {
		t.Errorf("Open read %d bytes that differ from the %d put", len(b), len(content))
	}

	// Small reads, zero-length reads and reads after EOF behave.
	rc, err := s.Open(ctx, ref.SHA256)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer rc.Close()
	if err := iotest.TestReader(rc, content); err != nil {
		t.Errorf("reader from Open: %v", err)
	}
}

func testEmpty(t *testing.T, h Harness) {
	s := h.New(t)
	ref := put(t, s, strings.NewReader(""), 0)
	want := motcua.BlobRef{SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Size: 0}
	if ref != want {
		t.Fatalf("Put = %+v, want %+v", ref, want)
	}
	got, err := s.Stat(t.Context(), ref.SHA256)
	if err != nil || got != want {
		t.Errorf("Stat = %+v, %v; want %+v, nil", got, err, want)
	}
	if b := readAll(t, s, ref.SHA256); len(b) != 0 {
		t.Errorf("Open read %d bytes, want 0", len(b))
	}
}

func testLarge(t *testing.T, h Harness) {
	s := h.New(t)
	const size = 5 << 20
	want := sum(randomBytes(2, size))

	// A reader without WriterTo or a known length, as a network upload is.
	ref := put(t, s, newGenerator(2, size), 0)
	if ref.SHA256 != want || ref.Size != size {
		t.Fatalf("Put = %+v, want {%s %d}", ref, want, size)
	}

	rc, err := s.Open(t.Context(), ref.SHA256)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer rc.Close()
	hh := sha256.New()
	n, err := io.Copy(hh, rc)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if got := hex.EncodeToString(hh.Sum(nil)); got != want || n != size {
		t.Errorf("read %d bytes hashing to %s, want %d bytes hashing to %s", n, got, size, want)
	}
}

func testMaxSizeBoundary(t *testing.T, h Harness) {
	s := h.New(t)
	content := randomBytes(3, 1000)
	ref := put(t, s, bytes.NewReader(content), int64(len(content)))
	if ref.Size != int64(len(content)) {
		t.Errorf("Put with maxSize = size: Size = %d, want %d", ref.Size, len(content))
	}
	_, err := s.Put(t.Context(), bytes.NewReader(content), int64(len(content))-1)
	wantError(t, err, motcua.EINVALID, "too_large")
}

func testIdempotent(t *testing.T, h Harness) {
	s := h.New(t)
	content := randomBytes(4, 70_000)
	first := put(t, s, bytes.NewReader(content), 0)
	second := put(t, s, iotest.HalfReader(bytes.NewReader(content)), 0)
	if first != second {
		t.Errorf("second Put = %+v, want %+v", second, first)
	}
	if b := readAll(t, s, first.SHA256); !bytes.Equal(b, content) {
		t.Error("content differs after the second Put")
	}
}

func testTooLarge(t *testing.T, h Harness) {
	s := h.New(t)
	content := randomBytes(5, 11)
	_, err := s.Put(t.Context(), bytes.NewReader(content), 10)
	e := wantError(t, err, motcua.EINVALID, "too_large")
	if e != nil && e.Message == "" {
		t.Error("too_large error has no user message")
	}
	wantAbsent(t, s, sum(content))

	// Far beyond the limit, streamed: the store must stop, not buffer it all.
	_, err = s.Put(t.Context(), newGenerator(5, 3<<20), 1<<20)
	wantError(t, err, motcua.EINVALID, "too_large")
	wantAbsent(t, s, sum(randomBytes(5, 3<<20)))
}

func testUnknown(t *testing.T, h Harness) {
	s := h.New(t)
	ctx := t.Context()
	unknown := sum([]byte("never stored"))

	rc, err := s.Open(ctx, unknown)
	if err == nil {
		rc.Close()
	}
	wantError(t, err, motcua.ENOTFOUND, "blob_not_found")
	_, err = s.Stat(ctx, unknown)
	wantError(t, err, motcua.ENOTFOUND, "blob_not_found")
	wantError(t, s.Delete(ctx, unknown), motcua.ENOTFOUND, "blob_not_found")
}

func testMalformedHash(t *testing.T, h Harness) {
	s := h.New(t)
	ctx := t.Context()
	valid := put(t, s, strings.NewReader("hồ sơ"), 0).SHA256

	for _, bad := range []string{
		strings.ToUpper(valid),
		valid[:63],
		valid + "0",
		"",
		"../../etc/passwd",
		"../" + valid[3:],
		valid[:2] + "/" + valid[3:],
		strings.Repeat("g", 64),
		" " + valid[1:],
	} {
		rc, err := s.Open(ctx, bad)
		if err == nil {
			rc.Close()
		}
		wantError(t, err, motcua.EINVALID, "invalid_blob_hash")
		_, err = s.Stat(ctx, bad)
		wantError(t, err, motcua.EINVALID, "invalid_blob_hash")
		wantError(t, s.Delete(ctx, bad), motcua.EINVALID, "invalid_blob_hash")
	}
	// Rejecting the upper-case spelling must not have touched the blob.
	if _, err := s.Stat(ctx, valid); err != nil {
		t.Errorf("Stat after malformed calls: %v", err)
	}
}

func testDeleteThenOpen(t *testing.T, h Harness) {
	s := h.New(t)
	ctx := t.Context()
	content := randomBytes(6, 5000)
	ref := put(t, s, bytes.NewReader(content), 0)

	if err := s.Delete(ctx, ref.SHA256); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	wantAbsent(t, s, ref.SHA256)
	wantError(t, s.Delete(ctx, ref.SHA256), motcua.ENOTFOUND, "blob_not_found")

	// The address is usable again.
	if again := put(t, s, bytes.NewReader(content), 0); again != ref {
		t.Errorf("Put after Delete = %+v, want %+v", again, ref)
	}
	if b := readAll(t, s, ref.SHA256); !bytes.Equal(b, content) {
		t.Error("content differs after Put following Delete")
	}
}

func testConcurrent(t *testing.T, h Harness) {
	s := h.New(t)
	ctx := t.Context()
	const workers = 32
	same := randomBytes(7, 200_000)
	contents := make([][]byte, workers)
	for i := range contents {
		if i%2 == 0 {
			contents[i] = same
		} else {
			contents[i] = randomBytes(uint64(100+i), 50_000+i)
		}
	}

	refs := make([]motcua.BlobRef, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			refs[i], errs[i] = s.Put(ctx, iotest.HalfReader(bytes.NewReader(contents[i])), 0)
		})
	}
	wg.Wait()

	for i, c := range contents {
		if errs[i] != nil {
			t.Errorf("Put %d: %v", i, errs[i])
			continue
		}
		want := motcua.BlobRef{SHA256: sum(c), Size: int64(len(c))}
		if refs[i] != want {
			t.Errorf("Put %d = %+v, want %+v", i, refs[i], want)
			continue
		}
		if b := readAll(t, s, want.SHA256); !bytes.Equal(b, c) {
			t.Errorf("blob %d: read content differs", i)
		}
	}
}

func testFailingReader(t *testing.T, h Harness) {
	s := h.New(t)
	content := randomBytes(8, 300_000)
	const failAfter = 150_000
	errBroken := errors.New("connection reset by citizen")

	_, err := s.Put(t.Context(), &failingReader{r: bytes.NewReader(content), left: failAfter, err: errBroken}, 0)
	if !errors.Is(err, errBroken) {
		t.Fatalf("Put = %v, want an error wrapping %v", err, errBroken)
	}
	wantAbsent(t, s, sum(content[:failAfter]))
	wantAbsent(t, s, sum(content))
}

func testCanceledBeforePut(t *testing.T, h Harness) {
	s := h.New(t)
	content := randomBytes(9, 1000)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()

	_, err := s.Put(ctx, bytes.NewReader(content), 0)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Put = %v, want an error wrapping context.Canceled", err)
	}
	wantAbsent(t, s, sum(content))
}

func testCanceledDuringPut(t *testing.T, h Harness) {
	s := h.New(t)
	const size = 2 << 20
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()

	// The reader never fails; only the store's own ctx checks can stop it.
	r := &cancelingReader{r: newGenerator(10, size), left: 256 << 10, cancel: cancel}
	_, err := s.Put(ctx, r, 0)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Put = %v, want an error wrapping context.Canceled", err)
	}
	wantAbsent(t, s, sum(randomBytes(10, size)))
}

func testPing(t *testing.T, h Harness) {
	s := h.New(t)
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func testCorrupt(t *testing.T, h Harness) {
	if h.Corrupt == nil {
		t.Skip("Harness.Corrupt is nil: this backend cannot damage stored content, so corruption detection is untested")
	}
	s := h.New(t)
	content := randomBytes(11, 100_000)
	ref := put(t, s, bytes.NewReader(content), 0)
	h.Corrupt(t, s, ref.SHA256)

	// Failing at Open is allowed too; what must not happen is a clean EOF.
	rc, err := s.Open(t.Context(), ref.SHA256)
	if err == nil {
		defer rc.Close()
		_, err = io.ReadAll(rc)
	}
	wantError(t, err, motcua.EINTERNAL, "blob_corrupt")

	// A range covering the whole blob is verified like Open.
	rc, err = s.OpenRange(t.Context(), ref.SHA256, 0, ref.Size)
	if err == nil {
		defer rc.Close()
		_, err = io.ReadAll(rc)
	}
	wantError(t, err, motcua.EINTERNAL, "blob_corrupt")
}

func testRange(t *testing.T, h Harness) {
	s := h.New(t)
	content := randomBytes(12, 3<<20+17)
	ref := put(t, s, bytes.NewReader(content), 0)
	for _, r := range [][2]int64{{0, 1}, {5, 100}, {1 << 20, 1 << 20}, {int64(len(content)) - 17, 17}, {0, int64(len(content))}, {100, 0}} {
		rc, err := s.OpenRange(t.Context(), ref.SHA256, r[0], r[1])
		if err != nil {
			t.Fatalf("OpenRange(%d, %d): %v", r[0], r[1], err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("OpenRange(%d, %d): read: %v", r[0], r[1], err)
		}
		if want := content[r[0] : r[0]+r[1]]; !bytes.Equal(got, want) {
			t.Fatalf("OpenRange(%d, %d) returned %d bytes, not the %d of the blob's range", r[0], r[1], len(got), len(want))
		}
	}
}

func testRangeErrors(t *testing.T, h Harness) {
	s := h.New(t)
	content := randomBytes(13, 1000)
	ref := put(t, s, bytes.NewReader(content), 0)
	for _, r := range [][2]int64{{-1, 10}, {0, 1001}, {1000, 1}, {990, 11}, {5, -1}} {
		rc, err := s.OpenRange(t.Context(), ref.SHA256, r[0], r[1])
		if err == nil {
			rc.Close()
		}
		wantError(t, err, motcua.EINVALID, "invalid_range")
	}
	_, err := s.OpenRange(t.Context(), sum([]byte("never stored")), 0, 1)
	wantError(t, err, motcua.ENOTFOUND, "blob_not_found")
	_, err = s.OpenRange(t.Context(), "../etc/passwd", 0, 1)
	wantError(t, err, motcua.EINVALID, "invalid_blob_hash")
}

// put stores r and fails the test on error.
func put(t *testing.T, s motcua.BlobStore, r io.Reader, maxSize int64) motcua.BlobRef {
	t.Helper()
	ref, err := s.Put(t.Context(), r, maxSize)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	return ref
}

// readAll returns the whole content of a blob.
func readAll(t *testing.T, s motcua.BlobStore, hash string) []byte {
	t.Helper()
	rc, err := s.Open(t.Context(), hash)
	if err != nil {
		t.Fatalf("Open %s: %v", hash, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", hash, err)
	}
	return b
}

// wantAbsent checks that no blob is stored under hash.
func wantAbsent(t *testing.T, s motcua.BlobStore, hash string) {
	t.Helper()
	_, err := s.Stat(t.Context(), hash)
	wantError(t, err, motcua.ENOTFOUND, "blob_not_found")
	rc, err := s.Open(t.Context(), hash)
	if err == nil {
		rc.Close()
	}
	wantError(t, err, motcua.ENOTFOUND, "blob_not_found")
}

// wantError checks that err is an *motcua.Error of the given kind and code
// and returns it, or nil after reporting the mismatch.
func wantError(t *testing.T, err error, kind, code string) *motcua.Error {
	t.Helper()
	var e *motcua.Error
	if !errors.As(err, &e) {
		t.Errorf("error = %v, want *motcua.Error %s/%s", err, kind, code)
		return nil
	}
	if e.Kind != kind || e.Code != code {
		t.Errorf("error = %v (kind %q, code %q), want kind %q, code %q", err, e.Kind, e.Code, kind, code)
		return nil
	}
	return e
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// randomBytes returns n deterministic pseudo-random bytes; the same seed
// gives the same bytes as newGenerator.
func randomBytes(seed uint64, n int) []byte {
	b, err := io.ReadAll(newGenerator(seed, int64(n)))
	if err != nil {
		panic(fmt.Sprintf("blobtest: generate: %v", err))
	}
	return b
}

// newGenerator streams n deterministic pseudo-random bytes.
func newGenerator(seed uint64, n int64) io.Reader {
	var key [32]byte
	key[0] = byte(seed)
	key[1] = byte(seed >> 8)
	return io.LimitReader(rand.NewChaCha8(key), n)
}

// failingReader yields left bytes of r, then fails with err.
type failingReader struct {
	r    io.Reader
	left int
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.left <= 0 {
		return 0, f.err
	}
	if len(p) > f.left {
		p = p[:f.left]
	}
	n, err := f.r.Read(p)
	f.left -= n
	return n, err
}

// cancelingReader calls cancel once it has yielded left bytes and keeps
// reading from r afterwards.
type cancelingReader struct {
	r      io.Reader
	left   int
	cancel context.CancelFunc
}

func (c *cancelingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.left -= n
	if c.left <= 0 {
		c.cancel()
	}
	return n, err
}
