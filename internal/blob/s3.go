package blob

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/motcua/motcua"
)

// s3PartSize is the part size of multipart uploads of unknown length: the
// client buffers one part in memory, so this bounds Put's memory per
// upload (a 5 GiB blob still fits in the 10,000 parts S3 allows).
const s3PartSize = 16 << 20

// S3 is a BlobStore in an S3 bucket. A blob lives at PREFIX/ab/cd/<hash>
// like in the folder store. Put streams the upload to PREFIX/tmp/<random>
// while hashing it (its address is known only at the end), then copies it
// server-side to its address and deletes the temporary object. S3
// acknowledges a PUT or COPY only once the object is durably stored.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string // "" or ending with "/"
	url    string

	tempRemoved atomic.Uint64
}

// S3Config is a parsed s3:// URL.
type S3Config struct {
	Bucket    string
	Prefix    string
	Endpoint  string // host:port
	Secure    bool
	Region    string
	PathStyle bool
}

// ParseS3URL parses s3://BUCKET/PREFIX?endpoint=http://HOST:PORT&region=REGION&path_style=true.
// Without endpoint the store is AWS S3 itself over HTTPS.
func ParseS3URL(raw string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return S3Config{}, fmt.Errorf("blob URL %q: want s3://BUCKET/PREFIX?endpoint=…&region=…&path_style=true", raw)
	}
	c := S3Config{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/"), Endpoint: "s3.amazonaws.com", Secure: true}
	if c.Prefix != "" {
		c.Prefix += "/"
	}
	q := u.Query()
	for k := range q {
		switch k {
		case "endpoint", "region", "path_style":
		default:
			return S3Config{}, fmt.Errorf("blob URL %q: unknown parameter %q (endpoint, region, path_style)", raw, k)
		}
	}
	if e := q.Get("endpoint"); e != "" {
		eu, err := url.Parse(e)
		if err != nil || (eu.Scheme != "http" && eu.Scheme != "https") || eu.Host == "" {
			return S3Config{}, fmt.Errorf("blob URL %q: endpoint must be http://HOST:PORT or https://HOST", raw)
		}
		c.Endpoint, c.Secure = eu.Host, eu.Scheme == "https"
	}
	c.Region = q.Get("region")
	switch q.Get("path_style") {
	case "", "false", "0":
	case "true", "1":
		c.PathStyle = true
	default:
		return S3Config{}, fmt.Errorf("blob URL %q: path_style must be true or false", raw)
	}
	return c, nil
}

// OpenS3 connects to the bucket of an s3:// URL with the credentials of the
// standard AWS environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN), else ~/.aws/credentials, else the instance role. It
// checks that the bucket exists.
func OpenS3(ctx context.Context, raw string) (*S3, error) {
	c, err := ParseS3URL(raw)
	if err != nil {
		return nil, err
	}
	creds := credentials.NewChainCredentials([]credentials.Provider{
		&credentials.EnvAWS{},
		&credentials.FileAWSCredentials{},
		&credentials.IAM{Client: &http.Client{Transport: http.DefaultTransport}},
	})
	opts := &minio.Options{Creds: creds, Secure: c.Secure, Region: c.Region}
	if c.PathStyle {
		opts.BucketLookup = minio.BucketLookupPath
	}
	client, err := minio.New(c.Endpoint, opts)
	if err != nil {
		return nil, fmt.Errorf("open blob bucket %s: %w", raw, err)
	}
	s := &S3{client: client, bucket: c.Bucket, prefix: c.Prefix, url: raw}
	ok, err := client.BucketExists(ctx, c.Bucket)
	if err != nil {
		return nil, fmt.Errorf("open blob bucket %s: %w", raw, err)
	}
	if !ok {
		return nil, fmt.Errorf("open blob bucket %s: bucket %q does not exist", raw, c.Bucket)
	}
	return s, nil
}

// Location implements Store.
func (s *S3) Location() string { return s.url }

func (s *S3) key(sum string) string { return s.prefix + sum[0:2] + "/" + sum[2:4] + "/" + sum }

func (s *S3) tmpPrefix() string { return s.prefix + "tmp/" }

func randomName(kind string) string {
	var b [12]byte
	rand.Read(b[:])
	return kind + "-" + hex.EncodeToString(b[:])
}

// s3Error wraps the error of an S3 request. When the server cannot be
// reached or answers with a server error, the blob store is unavailable
// (503): the request may be tried again later. Other errors (access
// denied, a missing bucket) are the deployment's and stay internal.
func s3Error(what string, err error) error {
	var netErr net.Error
	if minio.ToErrorResponse(err).StatusCode >= 500 || errors.As(err, &netErr) {
		e := motcua.Errorf(motcua.EUNAVAILABLE, "blob_store_unavailable",
			"Kho lưu trữ tệp tin tạm thời không truy cập được. Vui lòng thử lại sau ít phút.")
		e.Err = fmt.Errorf("%s: %w", what, err)
		return e
	}
	return fmt.Errorf("%s: %w", what, err)
}

func isNoSuchKey(err error) bool {
	r := minio.ToErrorResponse(err)
	return r.Code == "NoSuchKey" || r.StatusCode == http.StatusNotFound
}

// Put implements motcua.BlobStore.
func (s *S3) Put(ctx context.Context, r io.Reader, maxSize int64) (motcua.BlobRef, error) {
	if err := ctx.Err(); err != nil {
		return motcua.BlobRef{}, fmt.Errorf("put blob: %w", err)
	}
	if sec, ok := unread(r); ok && sec.Size() <= s3PartSize {
		return s.putKnown(ctx, sec, maxSize)
	}
	tmp := s.tmpPrefix() + randomName("put")
	h := sha256.New()
	var src io.Reader = ctxReader{ctx: ctx, r: r}
	if maxSize > 0 {
		src = io.LimitReader(src, maxSize+1)
	}
	counted := &countingReader{r: io.TeeReader(src, h)}
	// Whatever happens, the temporary object goes; with a fresh context
	// since ctx may be what failed.
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		s.client.RemoveObject(cctx, s.bucket, tmp, minio.RemoveObjectOptions{})
	}()
	_, err := s.client.PutObject(ctx, s.bucket, tmp, counted, -1, minio.PutObjectOptions{
		PartSize: s3PartSize, ContentType: "application/octet-stream", DisableContentSha256: false,
	})
	if err != nil {
		return motcua.BlobRef{}, putError(ctx, "put blob", err)
	}
	if maxSize > 0 && counted.n > maxSize {
		return motcua.BlobRef{}, tooLarge(maxSize)
	}
	ref := motcua.BlobRef{SHA256: hex.EncodeToString(h.Sum(nil)), Size: counted.n}
	// Copying even when the address exists refreshes its last-modified
	// time, which garbage collection's grace period goes by, and replaces
	// a damaged copy with the verified bytes.
	_, err = s.client.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: s.bucket, Object: s.key(ref.SHA256)},
		minio.CopySrcOptions{Bucket: s.bucket, Object: tmp})
	if err != nil {
		return motcua.BlobRef{}, s3Error("put blob "+ref.SHA256, err)
	}
	return ref, nil
}

// unread returns the rest of an upload whose bytes can be read twice (a
// bytes.Reader, a file) as a section of known size, without reading it.
func unread(r io.Reader) (*io.SectionReader, bool) {
	ra, ok := r.(interface {
		io.Seeker
		io.ReaderAt
	})
	if !ok {
		return nil, false
	}
	start, err := ra.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, false
	}
	end, err := ra.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, false
	}
	if _, err := ra.Seek(start, io.SeekStart); err != nil {
		return nil, false
	}
	return io.NewSectionReader(ra, start, end-start), true
}

// putKnown stores a section of known size (an upload already in memory,
// the common case) in one request: the content is hashed first, then
// sent straight to its address with its MD5 for the server to check, so
// no temporary object, multipart buffer, copy or delete is needed. A PUT
// is atomic: readers see the whole object or none.
func (s *S3) putKnown(ctx context.Context, sec *io.SectionReader, maxSize int64) (motcua.BlobRef, error) {
	if maxSize > 0 && sec.Size() > maxSize {
		return motcua.BlobRef{}, tooLarge(maxSize)
	}
	h := sha256.New()
	if _, err := io.Copy(h, ctxReader{ctx: ctx, r: sec}); err != nil {
		return motcua.BlobRef{}, fmt.Errorf("put blob: %w", err)
	}
	if _, err := sec.Seek(0, io.SeekStart); err != nil {
		return motcua.BlobRef{}, fmt.Errorf("put blob: %w", err)
	}
	ref := motcua.BlobRef{SHA256: hex.EncodeToString(h.Sum(nil)), Size: sec.Size()}
	_, err := s.client.PutObject(ctx, s.bucket, s.key(ref.SHA256), sec, sec.Size(),
		minio.PutObjectOptions{ContentType: "application/octet-stream", SendContentMd5: true})
	if err != nil {
		return motcua.BlobRef{}, putError(ctx, "put blob "+ref.SHA256, err)
	}
	return ref, nil
}

// putError is the error of a failed upload: the context's when it ended
// (the client went away), else the S3 request's.
func putError(ctx context.Context, what string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("put blob: %w", cerr)
	}
	return s3Error(what, err)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Open implements motcua.BlobStore. The returned reader verifies the
// content against its address as it is read.
func (s *S3) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	if err := checkHash(sum); err != nil {
		return nil, err
	}
	obj, info, err := s.get(ctx, sum, minio.GetObjectOptions{})
	if err != nil {
		return nil, err
	}
	return &verifyingReader{f: obj, h: sha256.New(), want: sum, size: info.Size}, nil
}

// OpenRange implements motcua.BlobStore.
func (s *S3) OpenRange(ctx context.Context, sum string, offset, length int64) (io.ReadCloser, error) {
	info, err := s.Stat(ctx, sum)
	if err != nil {
		return nil, err
	}
	if err := checkRange(offset, length, info.Size); err != nil {
		return nil, err
	}
	if offset == 0 && length == info.Size {
		return s.Open(ctx, sum)
	}
	if length == 0 {
		return &rangeReader{r: strings.NewReader(""), c: io.NopCloser(nil), want: sum}, nil
	}
	opts := minio.GetObjectOptions{}
	if err := opts.SetRange(offset, offset+length-1); err != nil {
		return nil, fmt.Errorf("open blob %s: %w", sum, err)
	}
	obj, _, err := s.get(ctx, sum, opts)
	if err != nil {
		return nil, err
	}
	return &rangeReader{r: obj, c: obj, want: sum, size: length}, nil
}

// get starts a download; the object's Stat makes the request, so that an
// unknown blob is reported here and not at the first Read.
func (s *S3) get(ctx context.Context, sum string, opts minio.GetObjectOptions) (*minio.Object, minio.ObjectInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, minio.ObjectInfo{}, fmt.Errorf("open blob %s: %w", sum, err)
	}
	obj, err := s.client.GetObject(ctx, s.bucket, s.key(sum), opts)
	if err != nil {
		return nil, minio.ObjectInfo{}, s3Error("open blob "+sum, err)
	}
	info, err := obj.Stat()
	if err != nil {
		obj.Close()
		if isNoSuchKey(err) {
			return nil, minio.ObjectInfo{}, motcua.NotFound("blob", sum)
		}
		return nil, minio.ObjectInfo{}, s3Error("open blob "+sum, err)
	}
	return obj, info, nil
}

// Stat implements motcua.BlobStore.
func (s *S3) Stat(ctx context.Context, sum string) (motcua.BlobRef, error) {
	if err := checkHash(sum); err != nil {
		return motcua.BlobRef{}, err
	}
	if err := ctx.Err(); err != nil {
		return motcua.BlobRef{}, fmt.Errorf("stat blob %s: %w", sum, err)
	}
	info, err := s.client.StatObject(ctx, s.bucket, s.key(sum), minio.StatObjectOptions{})
	if isNoSuchKey(err) {
		return motcua.BlobRef{}, motcua.NotFound("blob", sum)
	}
	if err != nil {
		return motcua.BlobRef{}, s3Error("stat blob "+sum, err)
	}
	return motcua.BlobRef{SHA256: sum, Size: info.Size}, nil
}

// Delete implements motcua.BlobStore.
func (s *S3) Delete(ctx context.Context, sum string) error {
	if _, err := s.Stat(ctx, sum); err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, s.key(sum), minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("delete blob %s: %w", sum, err)
	}
	return nil
}

// Ping implements motcua.BlobStore by writing and removing a probe object
// under PREFIX/tmp/, which proves the bucket is reachable and writable.
func (s *S3) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("ping blob bucket: %w", err)
	}
	key := s.tmpPrefix() + randomName("ping")
	_, err := s.client.PutObject(ctx, s.bucket, key, strings.NewReader("ping"), 4, minio.PutObjectOptions{})
	if err != nil {
		return fmt.Errorf("ping blob bucket: %w", err)
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("ping blob bucket: %w", err)
	}
	return nil
}

// Walk implements Lister.
func (s *S3) Walk(ctx context.Context, fn func(Object) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the listing when fn fails
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if obj.Err != nil {
			return fmt.Errorf("list blobs: %w", obj.Err)
		}
		name := obj.Key[strings.LastIndexByte(obj.Key, '/')+1:]
		if checkHash(name) != nil || obj.Key != s.key(name) {
			continue
		}
		if err := fn(Object{SHA256: name, Size: obj.Size, Modified: obj.LastModified}); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// RemoveStaleTemp implements TempKeeper: it deletes temporary objects of
// interrupted Puts older than StaleTempAge.
func (s *S3) RemoveStaleTemp(now time.Time) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cutoff := now.Add(-StaleTempAge)
	removed := 0
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.tmpPrefix(), Recursive: true}) {
		if obj.Err != nil {
			return removed, fmt.Errorf("remove stale temporary objects: %w", obj.Err)
		}
		if !obj.LastModified.Before(cutoff) {
			continue
		}
		err := s.client.RemoveObject(ctx, s.bucket, obj.Key, minio.RemoveObjectOptions{})
		if err != nil && !isNoSuchKey(err) {
			return removed, fmt.Errorf("remove stale temporary object: %w", err)
		}
		removed++
		s.tempRemoved.Add(1)
	}
	return removed, nil
}

// TempFiles implements TempKeeper.
func (s *S3) TempFiles() (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	n := 0
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.tmpPrefix(), Recursive: true}) {
		if obj.Err != nil {
			return 0, fmt.Errorf("count temporary objects: %w", obj.Err)
		}
		n++
	}
	return n, nil
}

// TempRemoved implements TempKeeper.
func (s *S3) TempRemoved() uint64 { return s.tempRemoved.Load() }

// PutRaw writes bytes under a blob's address without hashing them: tests
// use it to damage a stored blob behind the store's back.
func (s *S3) PutRaw(ctx context.Context, sum string, b []byte) error {
	if err := checkHash(sum); err != nil {
		return err
	}
	_, err := s.client.PutObject(ctx, s.bucket, s.key(sum), strings.NewReader(string(b)), int64(len(b)), minio.PutObjectOptions{})
	if err != nil {
		return fmt.Errorf("put raw %s: %w", sum, err)
	}
	return nil
}
