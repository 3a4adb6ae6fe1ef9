package pdfsigtest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"math/rand/v2"
	"sort"
)

// PDFOptions configures NewPDF.
type PDFOptions struct {
	// Text is shown on the single page (default "Kết quả giải quyết thủ tục hành chính").
	Text string
	// Padding adds an incompressible stream of about this many bytes, to
	// reach a target file size.
	Padding int
	// ObjectStreams stores the non-stream objects in an object stream and
	// uses a cross-reference stream, as PDF 1.5+ writers do.
	ObjectStreams bool
	// Seed makes the padding deterministic.
	Seed uint64
}

// NewPDF builds a minimal valid one-page PDF.
func NewPDF(o PDFOptions) []byte {
	if o.Text == "" {
		o.Text = "Ket qua giai quyet thu tuc hanh chinh"
	}
	content := fmt.Sprintf("BT /F1 18 Tf 72 760 Td (%s) Tj ET", o.Text)
	objs := map[int]string{
		1: "<</Type/Catalog/Pages 2 0 R>>",
		2: "<</Type/Pages/Kids[3 0 R]/Count 1>>",
		3: "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
		4: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content), content),
		5: "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
		6: "<</Producer(motcua pdfsigtest)>>",
	}
	if o.Padding > 0 {
		r := rand.New(rand.NewPCG(o.Seed, 42))
		pad := make([]byte, o.Padding)
		for i := range pad {
			pad[i] = byte(r.Uint32())
		}
		objs[7] = fmt.Sprintf("<</Type/XObject/Subtype/Image/Width %d/Height 1/ColorSpace/DeviceGray/BitsPerComponent 8/Length %d>>\nstream\n%s\nendstream", o.Padding, o.Padding, pad)
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	if !o.ObjectStreams {
		offs := writeObjects(&b, objs)
		size := maxKey(objs) + 1
		xref := b.Len()
		writeXref(&b, offs, size)
		fmt.Fprintf(&b, "trailer\n<</Size %d/Root 1 0 R/Info 6 0 R>>\nstartxref\n%d\n%%%%EOF\n", size, xref)
		return b.Bytes()
	}
	// Objects 1,2,3,5,6 go into object stream 8; xref stream is 9.
	inStm := []int{1, 2, 3, 5, 6}
	var hdr, body bytes.Buffer
	for _, n := range inStm {
		fmt.Fprintf(&hdr, "%d %d ", n, body.Len())
		body.WriteString(objs[n])
		body.WriteByte('\n')
		delete(objs, n)
	}
	stm := deflate(append(hdr.Bytes(), body.Bytes()...))
	objs[8] = fmt.Sprintf("<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n%s\nendstream", len(inStm), hdr.Len(), len(stm), stm)
	offs := writeObjects(&b, objs)
	xrefOff := b.Len()
	size := 10
	var rows bytes.Buffer
	for n := 0; n < size; n++ {
		switch {
		case n == 0:
			rows.Write([]byte{0, 0, 0, 0, 0xff, 0xff})
		case n == 9:
			rows.Write(row(1, xrefOff, 0))
		case contains(inStm, n):
			rows.Write(row(2, 8, indexOf(inStm, n)))
		default:
			if off, ok := offs[n]; ok {
				rows.Write(row(1, off, 0))
			} else {
				rows.Write([]byte{0, 0, 0, 0, 0, 0})
			}
		}
	}
	// PNG Up predictor, as most writers use.
	var pred bytes.Buffer
	prev := make([]byte, 6)
	raw := rows.Bytes()
	for i := 0; i+6 <= len(raw); i += 6 {
		pred.WriteByte(2)
		for j := 0; j < 6; j++ {
			pred.WriteByte(raw[i+j] - prev[j])
		}
		copy(prev, raw[i:i+6])
	}
	z := deflate(pred.Bytes())
	fmt.Fprintf(&b, "9 0 obj\n<</Type/XRef/Size %d/W[1 4 1]/Root 1 0 R/Info 6 0 R/Filter/FlateDecode/DecodeParms<</Predictor 12/Columns 6>>/Length %d>>\nstream\n%s\nendstream\nendobj\n", size, len(z), z)
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", xrefOff)
	return b.Bytes()
}

func row(typ, f2, f3 int) []byte {
	return []byte{byte(typ), byte(f2 >> 24), byte(f2 >> 16), byte(f2 >> 8), byte(f2), byte(f3)}
}

func contains(s []int, n int) bool { return indexOf(s, n) >= 0 }

func indexOf(s []int, n int) int {
	for i, x := range s {
		if x == n {
			return i
		}
	}
	return -1
}

func deflate(b []byte) []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(b)
	w.Close()
	return z.Bytes()
}

func maxKey(m map[int]string) int {
	k := 0
	for n := range m {
		if n > k {
			k = n
		}
	}
	return k
}

func writeObjects(b *bytes.Buffer, objs map[int]string) map[int]int {
	nums := make([]int, 0, len(objs))
	for n := range objs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	offs := map[int]int{}
	for _, n := range nums {
		offs[n] = b.Len()
		fmt.Fprintf(b, "%d 0 obj\n%s\nendobj\n", n, objs[n])
	}
	return offs
}

func writeXref(b *bytes.Buffer, offs map[int]int, size int) {
	fmt.Fprintf(b, "xref\n0 %d\n0000000000 65535 f\r\n", size)
	for n := 1; n < size; n++ {
		if off, ok := offs[n]; ok {
			fmt.Fprintf(b, "%010d 00000 n\r\n", off)
		} else {
			b.WriteString("0000000000 00000 f\r\n")
		}
	}
}

// Object is an indirect object for AppendUpdate: its number and the text
// between "N 0 obj" and "endobj".
type Object struct {
	Num  int
	Body string
}

// AppendUpdate appends an incremental update defining objs to pdf, the way
// an attacker (or a legitimate tool) would. root is the catalog's object
// number and size the new /Size; extra is appended inside the trailer.
func AppendUpdate(pdf []byte, root, size int, extra string, objs ...Object) []byte {
	b := bytes.NewBuffer(append([]byte(nil), pdf...))
	if len(pdf) > 0 && pdf[len(pdf)-1] != '\n' {
		b.WriteByte('\n')
	}
	offs := map[int]int{}
	for _, o := range objs {
		offs[o.Num] = b.Len()
		fmt.Fprintf(b, "%d 0 obj\n%s\nendobj\n", o.Num, o.Body)
	}
	xref := b.Len()
	b.WriteString("xref\n")
	nums := make([]int, 0, len(offs))
	for n := range offs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	for _, n := range nums {
		fmt.Fprintf(b, "%d 1\n%010d 00000 n\r\n", n, offs[n])
	}
	fmt.Fprintf(b, "trailer\n<</Size %d/Root %d 0 R/Prev %d%s>>\nstartxref\n%d\n%%%%EOF\n", size, root, LastStartXref(pdf), extra, xref)
	return b.Bytes()
}

// LastStartXref returns the offset named by the last startxref in pdf.
func LastStartXref(pdf []byte) int {
	i := bytes.LastIndex(pdf, []byte("startxref"))
	if i < 0 {
		return 0
	}
	var n int
	fmt.Sscan(string(pdf[i+len("startxref"):]), &n)
	return n
}

// AppendUpdateObjStm appends an incremental update in the PDF 1.5 style:
// objs (which must not be streams) inside a compressed object stream, and a
// cross-reference stream instead of a table. The new /Size is size+2 (the
// object stream and the xref stream take numbers size and size+1).
func AppendUpdateObjStm(pdf []byte, root, size int, objs ...Object) []byte {
	b := bytes.NewBuffer(append([]byte(nil), pdf...))
	if len(pdf) > 0 && pdf[len(pdf)-1] != '\n' {
		b.WriteByte('\n')
	}
	var hdr, body bytes.Buffer
	for _, o := range objs {
		fmt.Fprintf(&hdr, "%d %d ", o.Num, body.Len())
		body.WriteString(o.Body)
		body.WriteByte('\n')
	}
	stm := deflate(append(hdr.Bytes(), body.Bytes()...))
	stmNum, xrefNum := size, size+1
	stmOff := b.Len()
	fmt.Fprintf(b, "%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n%s\nendstream\nendobj\n", stmNum, len(objs), hdr.Len(), len(stm), stm)
	xrefOff := b.Len()
	var rows bytes.Buffer
	var index bytes.Buffer
	for i, o := range objs {
		fmt.Fprintf(&index, "%d 1 ", o.Num)
		rows.Write(row(2, stmNum, i))
	}
	fmt.Fprintf(&index, "%d 2", stmNum)
	rows.Write(row(1, stmOff, 0))
	rows.Write(row(1, xrefOff, 0))
	fmt.Fprintf(b, "%d 0 obj\n<</Type/XRef/Size %d/Root %d 0 R/Prev %d/Index[%s]/W[1 4 1]/Length %d>>\nstream\n%s\nendstream\nendobj\n", xrefNum, size+2, root, LastStartXref(pdf), index.String(), rows.Len(), rows.Bytes())
	fmt.Fprintf(b, "startxref\n%d\n%%%%EOF\n", xrefOff)
	return b.Bytes()
}
