package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/blob/blobtest"
	"github.com/motcua/motcua/internal/testenv"
)

// testS3URL returns a URL of the test S3 server (scripts/test starts one)
// under a prefix of its own, so that parallel tests share no objects.
func testS3URL(t *testing.T) string {
	t.Helper()
	base := testenv.Var(t, "MOTCUA_REQUIRE_S3", "MOTCUA_TEST_S3_URL", "scripts/test starts an S3 server and sets it")
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/" + randomName("t")
	return u.String()
}

func openTestS3(t *testing.T) *S3 {
	t.Helper()
	s, err := OpenS3(t.Context(), testS3URL(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestS3(t *testing.T) {
	blobtest.Run(t, blobtest.Harness{
		New: func(t *testing.T) motcua.BlobStore { return openTestS3(t) },
		Corrupt: func(t *testing.T, s motcua.BlobStore, sha256 string) {
			s3 := s.(*S3)
			rc, err := s3.Open(t.Context(), sha256)
			if err != nil {
				t.Fatal(err)
			}
			b := make([]byte, 1)
			if _, err := rc.Read(b); err != nil {
				t.Fatal(err)
			}
			rc.Close()
			ref, err := s3.Stat(t.Context(), sha256)
			if err != nil {
				t.Fatal(err)
			}
			// Same size, one byte changed: only the hash can tell.
			damaged := bytes.Repeat([]byte{b[0] ^ 0xff}, int(ref.Size))
			if err := s3.PutRaw(t.Context(), sha256, damaged); err != nil {
				t.Fatal(err)
			}
		},
	})
}

func TestS3Walk(t *testing.T) { testWalk(t, openTestS3(t)) }

func TestS3TempCleanup(t *testing.T) {
	s := openTestS3(t)
	ctx := t.Context()
	put := func(content string) {
		if _, err := s.Put(ctx, strings.NewReader(content), 0); err != nil {
			t.Fatal(err)
		}
	}
	put("one")
	// Put removes its temporary object.
	if n, err := s.TempFiles(); err != nil || n != 0 {
		t.Fatalf("TempFiles after Put = %d, %v; want 0", n, err)
	}
	// A Put that failed midway (here: too large) leaves none either.
	if _, err := s.Put(ctx, strings.NewReader("too long"), 3); err == nil {
		t.Fatal("Put of 8 bytes with maxSize 3 succeeded")
	}
	if n, err := s.TempFiles(); err != nil || n != 0 {
		t.Fatalf("TempFiles after a refused Put = %d, %v; want 0", n, err)
	}
}

func TestParseS3URL(t *testing.T) {
	c, err := ParseS3URL("s3://docs/motcua/blobs?endpoint=http://127.0.0.1:9000&region=vn-1&path_style=true")
	if err != nil {
		t.Fatal(err)
	}
	want := S3Config{Bucket: "docs", Prefix: "motcua/blobs/", Endpoint: "127.0.0.1:9000", Region: "vn-1", PathStyle: true}
	if c != want {
		t.Fatalf("ParseS3URL = %+v, want %+v", c, want)
	}
	c, err = ParseS3URL("s3://docs")
	if err != nil || c != (S3Config{Bucket: "docs", Endpoint: "s3.amazonaws.com", Secure: true}) {
		t.Fatalf("ParseS3URL(s3://docs) = %+v, %v", c, err)
	}
	for _, bad := range []string{"s3:///x", "http://b/x", "s3://b?endpoint=ftp://h", "s3://b?path_style=maybe", "s3://b?acl=public"} {
		if _, err := ParseS3URL(bad); err == nil {
			t.Errorf("ParseS3URL(%q) accepted", bad)
		}
	}
}

// TestS3Multipart: an upload of unknown length larger than a part goes up
// as a multipart upload, one part in memory at a time, and reads back
// verified.
func TestS3Multipart(t *testing.T) {
	s := openTestS3(t)
	const size = 2*s3PartSize + 12345
	h := sha256.New()
	ref, err := s.Put(t.Context(), io.TeeReader(io.LimitReader(&patternReader{}, size), h), 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := hex.EncodeToString(h.Sum(nil)); ref.SHA256 != want || ref.Size != size {
		t.Fatalf("Put = %+v, want %s/%d", ref, want, size)
	}
	rc, err := s.Open(t.Context(), ref.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if n, err := io.Copy(io.Discard, rc); err != nil || n != size {
		t.Fatalf("read back %d bytes, %v", n, err)
	}
	if n, err := s.TempFiles(); err != nil || n != 0 {
		t.Fatalf("TempFiles after Put = %d, %v", n, err)
	}
}

// patternReader yields a non-repeating byte stream without WriterTo or a
// length, as a network upload is.
type patternReader struct{ n uint64 }

func (p *patternReader) Read(b []byte) (int, error) {
	for i := range b {
		p.n++
		b[i] = byte(p.n*2654435761>>13) ^ byte(p.n>>8)
	}
	return len(b), nil
}

// TestS3ErrorUnavailable: an S3 server that cannot be reached or answers
// with a server error makes the blob store unavailable (503, to be tried
// again); a refusal such as access denied stays an internal error.
func TestS3ErrorUnavailable(t *testing.T) {
	refused := &url.Error{Op: "Put", URL: "http://127.0.0.1:1/b/k", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	for _, c := range []struct {
		name string
		err  error
		kind string
	}{
		{"connection refused", refused, motcua.EUNAVAILABLE},
		{"503 Slow Down", minio.ErrorResponse{StatusCode: 503, Code: "SlowDown"}, motcua.EUNAVAILABLE},
		{"500 Internal Error", minio.ErrorResponse{StatusCode: 500, Code: "InternalError"}, motcua.EUNAVAILABLE},
		{"403 Access Denied", minio.ErrorResponse{StatusCode: 403, Code: "AccessDenied"}, motcua.EINTERNAL},
	} {
		err := s3Error("put blob", c.err)
		if motcua.ErrorKind(err) != c.kind {
			t.Errorf("%s: %v is %q, want %q", c.name, err, motcua.ErrorKind(err), c.kind)
		}
		if c.kind == motcua.EUNAVAILABLE && motcua.ErrorCode(err) != "blob_store_unavailable" {
			t.Errorf("%s: code %q", c.name, motcua.ErrorCode(err))
		}
	}
}
