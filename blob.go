package motcua

import (
	"context"
	"io"
)

// BlobRef identifies stored content: its lowercase hex SHA-256 and size in bytes.
type BlobRef struct {
	SHA256 string
	Size   int64
}

// BlobStore keeps file content (PDFs) addressed by its SHA-256.
//
// Implementations: a local folder and an S3 bucket (internal/blob). Both pass
// the same conformance suite (internal/blob/blobtest).
//
// Error contract:
//   - Open, Stat and Delete of an unknown hash return ENOTFOUND (code "blob_not_found").
//   - A malformed hash (not 64 lowercase hex digits) is EINVALID (code "invalid_blob_hash").
//   - Content whose hash no longer matches its address is detected on read:
//     the reader returned by Open fails, at the latest at EOF, with an
//     EINTERNAL error whose code is "blob_corrupt"; no caller sees corrupt
//     bytes followed by a clean io.EOF.
type BlobStore interface {
	// Put stores all of r and returns its address. When Put returns nil the
	// content is durable (synced to stable storage); on error nothing
	// partial is visible under any address. Putting content that already
	// exists is cheap and returns the same ref. If maxSize > 0 and r yields
	// more than maxSize bytes, Put stores nothing and returns EINVALID with
	// code "too_large".
	Put(ctx context.Context, r io.Reader, maxSize int64) (BlobRef, error)

	// Open returns the content of a blob. The caller closes it.
	Open(ctx context.Context, sha256 string) (io.ReadCloser, error)

	// OpenRange returns length bytes of a blob from offset, for HTTP range
	// requests. A range outside the blob is EINVALID ("invalid_range"). A
	// part cannot be hashed against the address; the reader fails with
	// "blob_corrupt" when fewer or more bytes arrive, and a range covering
	// the whole blob is verified like Open.
	OpenRange(ctx context.Context, sha256 string, offset, length int64) (io.ReadCloser, error)

	// Stat returns the ref of a stored blob.
	Stat(ctx context.Context, sha256 string) (BlobRef, error)

	// Delete removes a blob. Only garbage collection of unreferenced blobs
	// calls it; documents keep their old versions' blobs.
	Delete(ctx context.Context, sha256 string) error

	// Ping reports whether the store is reachable and writable; /readyz uses it.
	Ping(ctx context.Context) error
}

// BlobReferenceStore tells which blobs the database refers to; blob garbage
// collection keeps those.
type BlobReferenceStore interface {
	// ReferencedBlobs returns every SHA-256 that a row refers to:
	// documents and their versions, dossier components and results,
	// drafts' attachments and procedures' form templates (current and
	// past catalogue versions). Rows committed after the call started may
	// be missing.
	ReferencedBlobs(ctx context.Context) (map[string]bool, error)
}
