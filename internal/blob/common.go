package blob

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/motcua/motcua"
)

// Object is a stored blob as listing sees it.
type Object struct {
	SHA256   string
	Size     int64
	Modified time.Time // last write, or last Put of the same content
}

// Lister enumerates a store's blobs; garbage collection, copy and verify
// use it. Both FS and S3 implement it.
type Lister interface {
	Walk(ctx context.Context, fn func(Object) error) error
}

// TempKeeper is a store's bookkeeping of interrupted uploads: FS keeps them
// in dir/tmp, S3 under PREFIX/tmp/.
type TempKeeper interface {
	// RemoveStaleTemp deletes temporary uploads older than StaleTempAge.
	RemoveStaleTemp(now time.Time) (int, error)
	// TempFiles counts temporary uploads: in progress or left behind.
	TempFiles() (int, error)
	// TempRemoved counts the stale ones this store deleted.
	TempRemoved() uint64
}

// Store is what the commands need of a blob backend.
type Store interface {
	motcua.BlobStore
	Lister
	TempKeeper
	// Location names the store for messages (a path or s3:// URL).
	Location() string
}

var (
	_ Store = (*FS)(nil)
	_ Store = (*S3)(nil)
)

// Location implements Store.
func (s *FS) Location() string { return s.dir }

func checkRange(offset, length, size int64) error {
	if offset < 0 || length < 0 || offset+length > size {
		return motcua.Errorf(motcua.EINVALID, "invalid_range",
			"Khoảng dữ liệu yêu cầu nằm ngoài tệp tin (%d byte).", size)
	}
	return nil
}

// rangeReader serves part of a blob. A part cannot be checked against the
// blob's hash without reading all of it; what it checks is that exactly
// the requested bytes arrive (a truncated object is blob_corrupt). Whole
// reads (Open) check the hash, and `motcua blobs verify` finds corrupt
// objects ahead of time.
type rangeReader struct {
	r    io.Reader
	c    io.Closer
	want string
	size int64
	n    int64
	err  error
}

func (r *rangeReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if rem := r.size - r.n; int64(len(p)) > rem {
		p = p[:rem]
	}
	if len(p) == 0 {
		r.err = io.EOF
		if r.n != r.size {
			r.err = corrupt(r.want, fmt.Errorf("range read %d bytes, want %d", r.n, r.size))
		}
		return 0, r.err
	}
	n, err := r.r.Read(p)
	r.n += int64(n)
	if err == io.EOF && r.n != r.size {
		err = corrupt(r.want, fmt.Errorf("range read %d bytes, want %d", r.n, r.size))
	}
	if err == io.EOF {
		err = nil // the next call reports EOF once size bytes arrived
	}
	if err != nil {
		r.err = err
	}
	return n, err
}

func (r *rangeReader) Close() error { return r.c.Close() }
