package httpx

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/blob"
)

// StreamPDFRange answers one byte range from the blob store, the whole
// file without a Range or with an If-Range of another version, and 416
// for a range past the end.
func TestStreamPDFRange(t *testing.T) {
	store, err := blob.OpenFS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	content := []byte("%PDF-1.7 nội dung thử nghiệm %%EOF")
	ref, err := store.Put(context.Background(), bytes.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	file := motcua.File{Name: "giấy tờ.pdf", Size: ref.Size, SHA256: ref.SHA256}
	serve := func(headers map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/kho-du-lieu/1/tep", nil)
		for k, v := range headers {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		StreamPDFRange(w, r, store, bytes.NewReader(content), file, "attachment", "test")
		return w
	}
	w := serve(nil)
	if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), content) || w.Header().Get("Accept-Ranges") != "bytes" {
		t.Fatalf("whole file: %d %q %v", w.Code, w.Body, w.Header())
	}
	w = serve(map[string]string{"Range": "bytes=2-5"})
	if w.Code != 206 || w.Body.String() != string(content[2:6]) || w.Header().Get("Content-Range") != "bytes 2-5/"+itoa(len(content)) ||
		w.Header().Get("Content-Type") != "application/pdf" || w.Header().Get("Content-Length") != "4" {
		t.Fatalf("range: %d %q %v", w.Code, w.Body, w.Header())
	}
	w = serve(map[string]string{"Range": "bytes=-4", "If-Range": `"` + ref.SHA256 + `"`})
	if w.Code != 206 || w.Body.String() != "%EOF" {
		t.Fatalf("suffix range with a matching If-Range: %d %q", w.Code, w.Body)
	}
	w = serve(map[string]string{"Range": "bytes=2-5", "If-Range": `"another"`})
	if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), content) {
		t.Fatalf("If-Range of another version: %d %q", w.Code, w.Body)
	}
	w = serve(map[string]string{"Range": "bytes=9999-"})
	if w.Code != 416 || w.Header().Get("Content-Range") != "bytes */"+itoa(len(content)) ||
		w.Header().Get("Content-Disposition") != "" || !strings.Contains(w.Body.String(), `"code":"range_not_satisfiable"`) {
		t.Fatalf("range past the end: %d %v %s", w.Code, w.Header(), w.Body)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
