package httpx

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
)

// ServeBlobRange answers a request with a single "Range: bytes=…" header
// from the blob store: 206 with the part (read with OpenRange), or 416
// when the range lies outside the blob. It returns false, having written
// nothing, when there is no usable Range header (none, several ranges,
// another unit): the caller then sends the whole blob. Headers the caller
// set (Content-Type, Content-Disposition, caching) are kept.
func ServeBlobRange(w http.ResponseWriter, r *http.Request, blobs motcua.BlobStore, sum string) (bool, error) {
	spec := r.Header.Get("Range")
	if spec == "" || r.Method != http.MethodGet {
		return false, nil
	}
	ctx := r.Context()
	ref, err := blobs.Stat(ctx, sum)
	if err != nil {
		return false, err
	}
	off, n, ok, satisfiable := parseByteRange(spec, ref.Size)
	if !ok {
		return false, nil
	}
	h := w.Header()
	if !satisfiable {
		// A problem document instead of the file's headers.
		h.Del("Content-Disposition")
		h.Set("Content-Range", fmt.Sprintf("bytes */%d", ref.Size))
		h.Set("Content-Type", "application/problem+json; charset=utf-8")
		w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
		_ = json.NewEncoder(w).Encode(Problem{Type: "about:blank", Title: http.StatusText(http.StatusRequestedRangeNotSatisfiable),
			Status: http.StatusRequestedRangeNotSatisfiable, Code: "range_not_satisfiable",
			Detail: fmt.Sprintf("Đoạn dữ liệu yêu cầu nằm ngoài tệp tin (tệp có %d byte).", ref.Size), RequestID: RequestID(ctx)})
		return true, nil
	}
	rc, err := blobs.OpenRange(ctx, sum, off, n)
	if err != nil {
		return false, err
	}
	defer rc.Close()
	h.Set("Accept-Ranges", "bytes")
	h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", off, off+n-1, ref.Size))
	h.Set("Content-Length", strconv.FormatInt(n, 10))
	w.WriteHeader(http.StatusPartialContent)
	copyOrAbort(ctx, w, rc, sum)
	return true, nil
}

// copyOrAbort sends rc; a failure after the headers (a corrupt or
// truncated blob) aborts the response rather than ending it cleanly.
func copyOrAbort(ctx context.Context, w io.Writer, rc io.Reader, sum string) {
	if _, err := io.Copy(w, rc); err != nil {
		Logger(ctx).Error("send blob", "sha256", sum, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// parseByteRange reads one "bytes=a-b", "bytes=a-" or "bytes=-n" range of
// a blob of size bytes. ok is false for anything else (the whole blob is
// then sent, as RFC 9110 allows); satisfiable is false for a range
// starting past the end.
func parseByteRange(spec string, size int64) (off, n int64, ok, satisfiable bool) {
	v, found := strings.CutPrefix(spec, "bytes=")
	if !found || strings.Contains(v, ",") {
		return 0, 0, false, false
	}
	first, last, found := strings.Cut(strings.TrimSpace(v), "-")
	if !found {
		return 0, 0, false, false
	}
	if first == "" {
		suffix, err := strconv.ParseInt(last, 10, 64)
		if err != nil || suffix < 0 {
			return 0, 0, false, false
		}
		if suffix == 0 || size == 0 {
			return 0, 0, true, false
		}
		suffix = min(suffix, size)
		return size - suffix, suffix, true, true
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return 0, 0, false, false
	}
	end := size - 1
	if last != "" {
		if end, err = strconv.ParseInt(last, 10, 64); err != nil || end < start {
			return 0, 0, false, false
		}
		end = min(end, size-1)
	}
	if start >= size {
		return 0, 0, true, false
	}
	return start, end - start + 1, true, true
}
