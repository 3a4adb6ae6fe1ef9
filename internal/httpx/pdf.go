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
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Length", strconv.FormatInt(file.Size, 10))
	// FormatMediaType quotes the name, or encodes it as RFC 2231
	// filename*=utf-8''… when it is not plain ASCII.
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": file.Name}))
	if disposition == "inline" {
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox")
	}
	h.Set("Cache-Control", "private, no-store")
	h.Set("ETag", `"`+file.SHA256+`"`)
	if _, err := io.Copy(w, rc); err != nil {
		// Headers are gone; a corrupt blob aborts the response instead of
		// ending it cleanly, so the client sees a broken file.
		Logger(r.Context()).Error(what, append(logArgs, "err", err)...)
		panic(http.ErrAbortHandler)
	}
}
