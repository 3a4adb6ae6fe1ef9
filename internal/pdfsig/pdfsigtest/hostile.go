package pdfsigtest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
)

// Hostile PDFs, built in memory so that no large or malicious fixture is
// committed. Each one is a structurally plausible file that a reader
// following the catalog and the page tree (as a signer does) chokes on.

// BombPDF returns a PDF of about decoded/1000 bytes whose page tree lives
// in an object stream that inflates to decoded bytes (zlib of zeros
// compresses about 1000:1). The catalog is outside the stream, so a
// reader that never walks the page tree never notices.
func BombPDF(decoded int) []byte {
	var hdr, body bytes.Buffer
	objs := []string{
		"<</Type/Pages/Kids[3 0 R]/Count 1>>",
		"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
	}
	for i, o := range objs {
		fmt.Fprintf(&hdr, "%d %d ", 2+i, body.Len())
		body.WriteString(o)
		body.WriteByte('\n')
	}
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	w.Write(hdr.Bytes())
	w.Write(body.Bytes())
	zeros := make([]byte, 1<<20)
	for n := hdr.Len() + body.Len(); n < decoded; n += len(zeros) {
		w.Write(zeros[:min(len(zeros), decoded-n)])
	}
	w.Close()

	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	off1 := b.Len()
	b.WriteString("1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n")
	off4 := b.Len()
	fmt.Fprintf(&b, "4 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n", len(objs), hdr.Len(), z.Len())
	b.Write(z.Bytes())
	b.WriteString("\nendstream\nendobj\n")
	off5 := b.Len()
	var rows bytes.Buffer
	rows.Write([]byte{0, 0, 0, 0, 0, 0xff, 0xff})
	rows.Write(row7(1, off1, 0))
	rows.Write(row7(2, 4, 0))
	rows.Write(row7(2, 4, 1))
	rows.Write(row7(1, off4, 0))
	rows.Write(row7(1, off5, 0))
	fmt.Fprintf(&b, "5 0 obj\n<</Type/XRef/Size 6/W[1 4 2]/Root 1 0 R/Length %d>>\nstream\n", rows.Len())
	b.Write(rows.Bytes())
	b.WriteString("\nendstream\nendobj\n")
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", off5)
	return b.Bytes()
}

func row7(typ, f2, f3 int) []byte {
	return []byte{byte(typ), byte(f2 >> 24), byte(f2 >> 16), byte(f2 >> 8), byte(f2), byte(f3 >> 8), byte(f3)}
}

// HeaderOnlyPDF is "%PDF-1.7\n" and nothing else.
func HeaderOnlyPDF() []byte { return []byte("%PDF-1.7\n") }

// BrokenPageTreePDF has a catalog whose page tree names an object that
// does not exist.
func BrokenPageTreePDF() []byte {
	return classicPDF(map[int]string{
		1: "<</Type/Catalog/Pages 2 0 R>>",
		2: "<</Type/Pages/Kids[7 0 R]/Count 1>>",
	})
}

// NestedArraysPDF has a catalog holding arrays nested depth deep.
func NestedArraysPDF(depth int) []byte {
	return classicPDF(map[int]string{
		1: "<</Type/Catalog/Pages 2 0 R/Nest " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + ">>",
		2: "<</Type/Pages/Kids[3 0 R]/Count 1>>",
		3: "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
	})
}

// HostilePDFs names every hostile file, with a bomb inflating to
// bombBytes. The names are stable, for test output.
func HostilePDFs(bombBytes int) map[string][]byte {
	return map[string][]byte{
		"bomb":             BombPDF(bombBytes),
		"header only":      HeaderOnlyPDF(),
		"broken page tree": BrokenPageTreePDF(),
		"nested arrays":    NestedArraysPDF(10_000),
	}
}

func classicPDF(objs map[int]string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := writeObjects(&b, objs)
	size := maxKey(objs) + 1
	xref := b.Len()
	writeXref(&b, offs, size)
	fmt.Fprintf(&b, "trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", size, xref)
	return b.Bytes()
}
