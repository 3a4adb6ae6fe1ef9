// Package blob holds BlobStore implementations: a local folder (FS) and an
// S3 bucket (S3). Every implementation passes the conformance suite in
// internal/blob/blobtest.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua"
)

const (
	// StaleTempAge is the grace period of temporary files: how old a file in
	// dir/tmp must be before OpenFS or RemoveStaleTemp deletes it. No Put
	// takes an hour (uploads are at most tens of MB and requests time out
	// after minutes), so an older file was left by a killed process.
	StaleTempAge = time.Hour

	dirPerm  = 0o750
	filePerm = 0o640

	// copyBufSize is the chunk size of Put's copy; ctx is checked between chunks.
	copyBufSize = 128 << 10
)

// FS is a BlobStore in a local folder. A blob lives at dir/ab/cd/<hash>,
// where ab and cd are the first two pairs of hex digits of its SHA-256, so
// that no directory grows beyond 256 entries plus its blobs. Uploads are
// written to dir/tmp first and renamed into place, which is atomic because
// dir/tmp is on the same filesystem.
type FS struct {
	dir string
	tmp string

	// durable records shard directories ("ab" and "ab/cd") whose entry in
	// their parent this process has fsynced. A directory that merely exists
	// may have been created by a concurrent Put that has not synced its
	// parent yet, or by a process killed before it did; the first Put into
	// each shard in this process therefore syncs the parents itself.
	mu      sync.Mutex
	durable map[string]bool

	// tempRemoved counts the stale temporary files this FS deleted.
	tempRemoved atomic.Uint64
}

var _ motcua.BlobStore = (*FS)(nil)

// OpenFS opens the blob folder dir, creating it if needed, and deletes
// temporary files that a killed process left in dir/tmp more than
// StaleTempAge ago. Younger ones may belong to a Put of another process
// sharing the folder; a long-running process calls RemoveStaleTemp now
// and then for them.
func OpenFS(dir string) (*FS, error) {
	if dir == "" {
		return nil, errors.New("open blob folder: empty path")
	}
	s := &FS{
		dir:     dir,
		tmp:     filepath.Join(dir, "tmp"),
		durable: make(map[string]bool),
	}
	if err := os.MkdirAll(s.tmp, dirPerm); err != nil {
		return nil, fmt.Errorf("open blob folder: %w", err)
	}
	if _, err := s.RemoveStaleTemp(time.Now()); err != nil {
		return nil, fmt.Errorf("open blob folder %s: %w", dir, err)
	}
	return s, nil
}

// RemoveStaleTemp deletes the temporary files last modified more than
// StaleTempAge before now and returns how many it deleted.
func (s *FS) RemoveStaleTemp(now time.Time) (int, error) {
	n, err := removeStale(s.tmp, now.Add(-StaleTempAge))
	s.tempRemoved.Add(uint64(n))
	return n, err
}

// TempFiles is the number of files in dir/tmp: uploads being written and
// leftovers not yet old enough to delete.
func (s *FS) TempFiles() (int, error) {
	entries, err := os.ReadDir(s.tmp)
	if err != nil {
		return 0, fmt.Errorf("count temporary files: %w", err)
	}
	n := 0
	for _, e := range entries {
		if e.Type().IsRegular() {
			n++
		}
	}
	return n, nil
}

// TempRemoved is the number of stale temporary files this FS deleted.
func (s *FS) TempRemoved() uint64 { return s.tempRemoved.Load() }

// removeStale deletes the regular files in dir last modified before cutoff
// and returns how many it deleted.
func removeStale(dir string, cutoff time.Time) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("remove stale temporary files: %w", err)
	}
	removed := 0
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return removed, fmt.Errorf("remove stale temporary files: %w", err)
		}
		if !info.ModTime().Before(cutoff) {
			continue
		}
		err = os.Remove(filepath.Join(dir, e.Name()))
		switch {
		case err == nil:
			removed++
		case !errors.Is(err, fs.ErrNotExist):
			return removed, fmt.Errorf("remove stale temporary file: %w", err)
		}
	}
	return removed, nil
}

// Put implements motcua.BlobStore.
func (s *FS) Put(ctx context.Context, r io.Reader, maxSize int64) (motcua.BlobRef, error) {
	if err := ctx.Err(); err != nil {
		return motcua.BlobRef{}, fmt.Errorf("put blob: %w", err)
	}
	f, err := os.CreateTemp(s.tmp, "put-*")
	if err != nil {
		return motcua.BlobRef{}, fmt.Errorf("put blob: %w", err)
	}
	tmpName := f.Name()
	// On every error path the temp file goes; after a successful rename
	// tmpName is cleared and there is nothing left to remove.
	defer func() {
		if f != nil {
			f.Close()
		}
		if tmpName != "" {
			os.Remove(tmpName)
		}
	}()

	h := sha256.New()
	var src io.Reader = ctxReader{ctx: ctx, r: r}
	if maxSize > 0 {
		// One byte more than allowed is enough to know the limit is exceeded.
		src = io.LimitReader(src, maxSize+1)
	}
	n, err := io.CopyBuffer(io.MultiWriter(f, h), src, make([]byte, copyBufSize))
	if err != nil {
		return motcua.BlobRef{}, fmt.Errorf("put blob: %w", err)
	}
	if maxSize > 0 && n > maxSize {
		return motcua.BlobRef{}, tooLarge(maxSize)
	}
	ref := motcua.BlobRef{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}

	if err := f.Chmod(filePerm); err != nil {
		return motcua.BlobRef{}, fmt.Errorf("put blob %s: %w", ref.SHA256, err)
	}
	if err := f.Sync(); err != nil {
		return motcua.BlobRef{}, fmt.Errorf("put blob %s: %w", ref.SHA256, err)
	}
	err = f.Close()
	f = nil
	if err != nil {
		return motcua.BlobRef{}, fmt.Errorf("put blob %s: %w", ref.SHA256, err)
	}

	dst := s.path(ref.SHA256)
	if _, err := os.Stat(dst); err == nil {
		// Same address, same content: keep the stored copy. The deferred
		// cleanup drops the temp file.
		// It may have been renamed by a concurrent Put that has not synced
		// its directory yet.
		if err := s.syncShard(ref.SHA256); err != nil {
			return motcua.BlobRef{}, fmt.Errorf("put blob %s: %w", ref.SHA256, err)
		}
		// Garbage collection spares blobs modified within its grace
		// period: the row about to reference this old copy is not
		// committed yet, so the copy counts as new again.
		now := time.Now()
		if err := os.Chtimes(dst, now, now); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return motcua.BlobRef{}, fmt.Errorf("put blob %s: %w", ref.SHA256, err)
		}
		return ref, nil
	}
	if err := s.makeShard(ref.SHA256); err != nil {
		return motcua.BlobRef{}, fmt.Errorf("put blob %s: %w", ref.SHA256, err)
	}
	// A concurrent Put of the same content may rename first; replacing its
	// file with identical bytes is harmless.
	if err := os.Rename(tmpName, dst); err != nil {
		return motcua.BlobRef{}, fmt.Errorf("put blob %s: %w", ref.SHA256, err)
	}
	tmpName = ""
	if err := s.syncShard(ref.SHA256); err != nil {
		return motcua.BlobRef{}, fmt.Errorf("put blob %s: %w", ref.SHA256, err)
	}
	return ref, nil
}

// makeShard creates the two shard directories of hash if they are missing.
func (s *FS) makeShard(hash string) error {
	for _, d := range []string{filepath.Join(s.dir, hash[0:2]), filepath.Join(s.dir, hash[0:2], hash[2:4])} {
		if err := os.Mkdir(d, dirPerm); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return nil
}

// syncShard makes the blob's directory entry durable: it fsyncs the leaf
// shard directory and, unless this process has done so before, the parents
// holding the shard directories' own entries.
func (s *FS) syncShard(hash string) error {
	outer := hash[0:2]
	inner := filepath.Join(outer, hash[2:4])
	if err := syncDir(filepath.Join(s.dir, inner)); err != nil {
		return err
	}
	s.mu.Lock()
	known := s.durable[inner] && s.durable[outer]
	s.mu.Unlock()
	if known {
		return nil
	}
	if err := syncDir(filepath.Join(s.dir, outer)); err != nil {
		return err
	}
	if err := syncDir(s.dir); err != nil {
		return err
	}
	s.mu.Lock()
	s.durable[inner] = true
	s.durable[outer] = true
	s.mu.Unlock()
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	return nil
}

// Open implements motcua.BlobStore. The returned reader verifies the
// content against its address as it is read.
func (s *FS) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	f, size, err := s.openFile(ctx, sum)
	if err != nil {
		return nil, err
	}
	return &verifyingReader{f: f, h: sha256.New(), want: sum, size: size}, nil
}

// openFile opens the file of blob sum and returns its size.
func (s *FS) openFile(ctx context.Context, sum string) (*os.File, int64, error) {
	if err := checkHash(sum); err != nil {
		return nil, 0, err
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, fmt.Errorf("open blob %s: %w", sum, err)
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, motcua.NotFound("blob", sum)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("open blob %s: %w", sum, err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("open blob %s: %w", sum, err)
	}
	return f, info.Size(), nil
}

// OpenRange implements motcua.BlobStore.
func (s *FS) OpenRange(ctx context.Context, sum string, offset, length int64) (io.ReadCloser, error) {
	f, size, err := s.openFile(ctx, sum)
	if err != nil {
		return nil, err
	}
	if err := checkRange(offset, length, size); err != nil {
		f.Close()
		return nil, err
	}
	if offset == 0 && length == size {
		return &verifyingReader{f: f, h: sha256.New(), want: sum, size: size}, nil
	}
	return &rangeReader{r: io.NewSectionReader(f, offset, length), c: f, want: sum, size: length}, nil
}

// verifyingReader hashes what it reads and, instead of io.EOF, reports
// blob_corrupt when the content does not match its address or its size at
// Open. Errors are sticky, so a caller that retries after the failure
// cannot mistake the stream for clean.
type verifyingReader struct {
	f    io.ReadCloser
	h    hash.Hash
	want string
	size int64
	n    int64
	err  error
}

func (r *verifyingReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.f.Read(p)
	r.h.Write(p[:n])
	r.n += int64(n)
	if err == io.EOF {
		got := hex.EncodeToString(r.h.Sum(nil))
		if got != r.want || r.n != r.size {
			err = corrupt(r.want, fmt.Errorf("read %d bytes hashing to %s, want %d bytes", r.n, got, r.size))
		}
	}
	if err != nil {
		r.err = err
	}
	return n, err
}

func (r *verifyingReader) Close() error { return r.f.Close() }

// Stat implements motcua.BlobStore.
func (s *FS) Stat(ctx context.Context, sum string) (motcua.BlobRef, error) {
	if err := checkHash(sum); err != nil {
		return motcua.BlobRef{}, err
	}
	if err := ctx.Err(); err != nil {
		return motcua.BlobRef{}, fmt.Errorf("stat blob %s: %w", sum, err)
	}
	info, err := os.Stat(s.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return motcua.BlobRef{}, motcua.NotFound("blob", sum)
	}
	if err != nil {
		return motcua.BlobRef{}, fmt.Errorf("stat blob %s: %w", sum, err)
	}
	return motcua.BlobRef{SHA256: sum, Size: info.Size()}, nil
}

// Delete implements motcua.BlobStore. The removal is not fsynced: a blob
// that reappears after a crash is still unreferenced and the next garbage
// collection deletes it again.
func (s *FS) Delete(ctx context.Context, sum string) error {
	if err := checkHash(sum); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete blob %s: %w", sum, err)
	}
	err := os.Remove(s.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return motcua.NotFound("blob", sum)
	}
	if err != nil {
		return fmt.Errorf("delete blob %s: %w", sum, err)
	}
	return nil
}

// Ping implements motcua.BlobStore by writing and removing a probe file in
// dir/tmp, which proves the folder exists and is writable.
func (s *FS) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("ping blob folder: %w", err)
	}
	f, err := os.CreateTemp(s.tmp, "ping-*")
	if err != nil {
		return fmt.Errorf("ping blob folder: %w", err)
	}
	_, err = f.Write([]byte("ping"))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if rerr := os.Remove(f.Name()); err == nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("ping blob folder: %w", err)
	}
	return nil
}

// Walk implements Lister: it calls fn for every stored blob, in no
// particular order. Temporary files are not blobs and are skipped.
func (s *FS) Walk(ctx context.Context, fn func(Object) error) error {
	return filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			if path == s.tmp {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if checkHash(name) != nil || path != s.path(name) || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		return fn(Object{SHA256: name, Size: info.Size(), Modified: info.ModTime()})
	})
}

// path returns where the blob with a valid hash lives.
func (s *FS) path(hash string) string {
	return filepath.Join(s.dir, hash[0:2], hash[2:4], hash)
}

// checkHash rejects anything but 64 lowercase hex digits. Besides enforcing
// the contract, this keeps "../" and separators out of file paths.
func checkHash(h string) error {
	if len(h) != 64 {
		return invalidHash()
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return invalidHash()
		}
	}
	return nil
}

func invalidHash() error {
	return motcua.Invalid("sha256", "invalid_blob_hash", "Mã tệp tin không hợp lệ.")
}

func tooLarge(maxSize int64) error {
	return motcua.Errorf(motcua.EINVALID, "too_large",
		"Tệp tin vượt quá dung lượng cho phép (tối đa %s MB).", formatMB(maxSize))
}

func corrupt(hash string, cause error) error {
	e := motcua.Errorf(motcua.EINTERNAL, "blob_corrupt",
		"Tệp tin đã lưu bị hỏng, vui lòng liên hệ quản trị hệ thống.")
	e.Err = fmt.Errorf("blob %s: %w", hash, cause)
	return e
}

// formatMB writes n bytes as MB (MiB, as upload limits are configured) the
// Vietnamese way: a decimal comma and at most two decimals. A limit below
// 0,01 MB shows as 0,01 rather than a misleading 0.
func formatMB(n int64) string {
	mb := math.Round(float64(n)/(1<<20)*100) / 100
	if mb < 0.01 {
		mb = 0.01
	}
	return strings.Replace(strconv.FormatFloat(mb, 'f', -1, 64), ".", ",", 1)
}

// ctxReader stops a copy between chunks once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
