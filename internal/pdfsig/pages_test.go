package pdfsig_test

import (
	"errors"
	"testing"

	"github.com/motcua/motcua/internal/pdfsig"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

func TestPageCount(t *testing.T) {
	t.Parallel()
	pdf := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Ban chinh"})
	if n, err := pdfsig.PageCount(pdf); err != nil || n != 1 {
		t.Fatalf("PageCount = %d, %v; want 1", n, err)
	}
	for name, data := range map[string][]byte{
		"empty":     nil,
		"not a pdf": []byte("GIF89a……"),
		"truncated": pdf[:len(pdf)/3],
		"header":    []byte("%PDF-1.7\n%%EOF\n"),
	} {
		if _, err := pdfsig.PageCount(data); !errors.Is(err, pdfsig.ErrUnreadablePDF) {
			t.Errorf("%s: PageCount error %v, want ErrUnreadablePDF", name, err)
		}
	}
}
