package web

import (
	"errors"
	"fmt"
	"mime"
	"net/http"

	"github.com/motcua/motcua"
)

// maxMultipartForm bounds a posted form with its files (the procedure
// form with its blank forms is the largest).
const maxMultipartForm = 64 << 20

// parseForm reads a posted form, url-encoded or multipart (with files),
// into r.PostForm (and r.MultipartForm). Errors: EINVALID bad_form, or
// too_large for a multipart body over maxMultipartForm.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	bad := motcua.Invalid("form", "bad_form", "Biểu mẫu gửi lên không hợp lệ.")
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxMultipartForm)
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			if errors.As(err, new(*http.MaxBytesError)) {
				return motcua.Invalid("form", "too_large", fmt.Sprintf("Biểu mẫu kèm tệp quá lớn (tối đa %d MB).", maxMultipartForm>>20))
			}
			return bad
		}
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return bad
	}
	return nil
}
