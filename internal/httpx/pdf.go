package httpx

import (
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/motcua/motcua"
)

// StreamPDF sends a stored PDF: as a download ("attachment") or, for
// "inline", shown by the browser's PDF viewer in a sandbox (no scripts,
// no same-origin access, no framing). logArgs name the file in the log
// line of a failed copy.
func StreamPDF(w http.ResponseWriter, r *http.Request, rc io.Reader, file motcua.File, disposition, what string, logArgs ...any) {
	pdfHeaders(w, file, disposition)
	w.Header().Set("Content-Length", strconv.FormatInt(file.Size, 10))
	if _, err := io.Copy(w, rc); err != nil {
		// Headers are gone; a corrupt blob aborts the response instead of
		// ending it cleanly, so the client sees a broken file.
		Logger(r.Context()).Error(what, append(logArgs, "err", err)...)
		panic(http.ErrAbortHandler)
	}
}

// StreamPDFRange is StreamPDF that also answers a single byte range
// ("Range: bytes=…", 206 read with the blob store's OpenRange, or 416),
// so that a PDF viewer or an interrupted download fetches only a part.
// An If-Range naming another version gets the whole file. rc, opened by
// the caller after its access checks, is then left unread.
func StreamPDFRange(w http.ResponseWriter, r *http.Request, blobs motcua.BlobStore, rc io.Reader, file motcua.File,
	disposition, what string, logArgs ...any) {
	if blobs == nil {
		StreamPDF(w, r, rc, file, disposition, what, logArgs...)
		return
	}
	w.Header().Set("Accept-Ranges", "bytes")
	if r.Header.Get("Range") != "" {
		if ir := r.Header.Get("If-Range"); ir == "" || ir == `"`+file.SHA256+`"` {
			pdfHeaders(w, file, disposition)
			done, err := ServeBlobRange(w, r, blobs, file.SHA256)
			if err != nil {
				for _, k := range []string{"Content-Type", "Content-Disposition", "X-Content-Type-Options", "Content-Security-Policy",
					"Cache-Control", "ETag", "Accept-Ranges"} {
					w.Header().Del(k)
				}
				WriteError(w, r, err)
				return
			}
			if done {
				return
			}
		}
	}
	StreamPDF(w, r, rc, file, disposition, what, logArgs...)
}

// pdfHeaders are the headers of a stored PDF, but its length.
func pdfHeaders(w http.ResponseWriter, file motcua.File, disposition string) {
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	// FormatMediaType quotes the name, or encodes it as RFC 2231
	// filename*=utf-8''… when it is not plain ASCII.
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": file.Name}))
	if disposition == "inline" {
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox")
	}
	h.Set("Cache-Control", "private, no-store")
	h.Set("ETag", `"`+file.SHA256+`"`)
}
