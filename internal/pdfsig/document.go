package pdfsig

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// xrefEntry locates one object: in the file (kind 1), inside an object
// stream (kind 2), or free (kind 0).
type xrefEntry struct {
	kind   byte
	gen    int
	off    int64 // kind 1: file offset; kind 2: object stream number
	idx    int   // kind 2: index inside the object stream
	source int   // index of the xref section that defined it (0 = newest)
}

// document is a read-only view of a PDF revision: the bytes data[:len(data)]
// interpreted through the newest xref section found in them.
type document struct {
	data     []byte
	b        *budget
	xref     map[int]xrefEntry
	trailer  Dict // newest trailer
	sections []int64
	cache    map[int]any
	active   map[int]bool // objects being resolved, to break reference cycles
	objStms  map[int]*objStm
	maxObjs  int
}

type objStm struct {
	data    []byte
	offsets map[int]int // object number -> offset in data
	order   []int
}

var errNotPDF = errors.New("pdf: not a PDF file")

// hasPDFHeader reports whether data starts like a PDF. Some producers put a
// little garbage before the header; readers accept it within the first KiB.
func hasPDFHeader(data []byte) bool {
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	return bytes.Contains(head, []byte("%PDF-"))
}

// openDocument parses the xref chain ending at the last startxref in data.
func openDocument(data []byte, b *budget, maxObjs int) (*document, error) {
	if !hasPDFHeader(data) {
		return nil, errNotPDF
	}
	d := &document{data: data, b: b, xref: map[int]xrefEntry{}, cache: map[int]any{}, active: map[int]bool{}, objStms: map[int]*objStm{}, maxObjs: maxObjs}
	sx := bytes.LastIndex(data, []byte("startxref"))
	if sx < 0 {
		return nil, &syntaxError{off: int64(len(data)), msg: "no startxref"}
	}
	l := &lexer{buf: data, pos: sx + len("startxref"), base: 0, b: b}
	off, err := l.readInt()
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for i := 0; ; i++ {
		if off <= 0 || off >= int64(len(data)) {
			return nil, &syntaxError{off: off, msg: "xref offset out of range"}
		}
		if seen[off] {
			return nil, &syntaxError{off: off, msg: "xref /Prev loop"}
		}
		if i > 4096 {
			return nil, errBudget
		}
		seen[off] = true
		d.sections = append(d.sections, off)
		trailer, err := d.readXrefSection(off, i)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			d.trailer = trailer
		}
		prev, ok := trailer["Prev"]
		if !ok {
			break
		}
		p, ok := prev.(int64)
		if !ok {
			return nil, &syntaxError{off: off, msg: "bad /Prev"}
		}
		off = p
	}
	if _, ok := d.trailer["Root"].(Ref); !ok {
		return nil, &syntaxError{off: int64(len(data)), msg: "trailer without /Root"}
	}
	return d, nil
}

func (d *document) setEntry(num int, e xrefEntry) error {
	if num < 0 || num > maxObjNum {
		return &syntaxError{off: -1, msg: "object number out of range"}
	}
	if _, ok := d.xref[num]; ok {
		return nil // a newer section already defined it
	}
	if len(d.xref) >= d.maxObjs {
		return errBudget
	}
	d.xref[num] = e
	return nil
}

// readXrefSection reads a classic xref table or an xref stream at off.
func (d *document) readXrefSection(off int64, source int) (Dict, error) {
	l := &lexer{buf: d.data, pos: int(off), base: 0, b: d.b}
	if l.peekKeyword("xref") {
		_ = l.expectKeyword("xref")
		if err := d.readXrefTable(l, source); err != nil {
			return nil, err
		}
		if err := l.expectKeyword("trailer"); err != nil {
			return nil, err
		}
		t, err := l.object(0)
		if err != nil {
			return nil, err
		}
		trailer, ok := t.(Dict)
		if !ok {
			return nil, l.errorf("trailer is not a dictionary")
		}
		// Hybrid files: the table's section also points at an xref stream
		// holding the objects that pre-1.5 readers must not see.
		if xs, ok := trailer["XRefStm"].(int64); ok && xs > 0 && xs < int64(len(d.data)) {
			if _, err := d.readXrefStream(xs, source); err != nil {
				return nil, err
			}
		}
		return trailer, nil
	}
	return d.readXrefStream(off, source)
}

func (d *document) readXrefTable(l *lexer, source int) error {
	for {
		l.skipSpace()
		if l.peekKeyword("trailer") {
			return nil
		}
		first, err := l.readInt()
		if err != nil {
			return err
		}
		count, err := l.readInt()
		if err != nil {
			return err
		}
		if first < 0 || count < 0 || first+count > maxObjNum+1 {
			return l.errorf("bad xref subsection")
		}
		if err := d.b.step(count); err != nil {
			return err
		}
		for i := int64(0); i < count; i++ {
			l.skipSpace()
			// Fast path for the canonical 20-byte entry.
			var offv, genv int64
			var kind byte
			if p := l.pos; p+18 <= len(l.buf) && l.buf[p+10] == ' ' && l.buf[p+16] == ' ' && allDigits(l.buf[p:p+10]) && allDigits(l.buf[p+11:p+16]) {
				offv = atoiDigits(l.buf[p : p+10])
				genv = atoiDigits(l.buf[p+11 : p+16])
				kind = l.buf[p+17]
				l.pos = p + 18
			} else {
				if offv, err = l.readInt(); err != nil {
					return err
				}
				if genv, err = l.readInt(); err != nil {
					return err
				}
				l.skipSpace()
				if l.pos >= len(l.buf) {
					return l.errorf("truncated xref")
				}
				kind = l.buf[l.pos]
				l.pos++
			}
			num := int(first + i)
			switch kind {
			case 'n':
				if offv == 0 && genv == 0 {
					// Some writers emit "0000000000 00000 n" for unused numbers.
					if err := d.setEntry(num, xrefEntry{kind: 0, source: source}); err != nil {
						return err
					}
					continue
				}
				if err := d.setEntry(num, xrefEntry{kind: 1, off: offv, gen: int(genv), source: source}); err != nil {
					return err
				}
			case 'f':
				if err := d.setEntry(num, xrefEntry{kind: 0, gen: int(genv), source: source}); err != nil {
					return err
				}
			default:
				return l.errorf("bad xref entry type %q", kind)
			}
		}
	}
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func atoiDigits(b []byte) int64 {
	var n int64
	for _, c := range b {
		n = n*10 + int64(c-'0')
	}
	return n
}

func (d *document) readXrefStream(off int64, source int) (Dict, error) {
	_, obj, err := d.parseIndirectAt(off)
	if err != nil {
		return nil, err
	}
	s, ok := obj.(*Stream)
	if !ok || s.Dict.name("Type") != "XRef" {
		return nil, &syntaxError{off: off, msg: "xref stream expected"}
	}
	data, err := d.decode(s)
	if err != nil {
		return nil, err
	}
	w, ok := s.Dict["W"].(Array)
	if !ok || len(w) != 3 {
		return nil, &syntaxError{off: off, msg: "bad /W"}
	}
	var widths [3]int
	rowLen := 0
	for i, v := range w {
		n, ok := v.(int64)
		if !ok || n < 0 || n > 8 {
			return nil, &syntaxError{off: off, msg: "bad /W"}
		}
		widths[i] = int(n)
		rowLen += int(n)
	}
	if rowLen == 0 {
		return nil, &syntaxError{off: off, msg: "bad /W"}
	}
	size, _ := s.Dict.int("Size")
	index := Array{int64(0), size}
	if ix, ok := s.Dict["Index"].(Array); ok {
		index = ix
	}
	if len(index)%2 != 0 {
		return nil, &syntaxError{off: off, msg: "bad /Index"}
	}
	pos := 0
	field := func(i int) int64 {
		var v int64
		for k := 0; k < widths[i]; k++ {
			v = v<<8 | int64(data[pos])
			pos++
		}
		return v
	}
	for k := 0; k < len(index); k += 2 {
		first, ok1 := index[k].(int64)
		count, ok2 := index[k+1].(int64)
		if !ok1 || !ok2 || first < 0 || count < 0 || first+count > maxObjNum+1 {
			return nil, &syntaxError{off: off, msg: "bad /Index"}
		}
		if err := d.b.step(count); err != nil {
			return nil, err
		}
		for i := int64(0); i < count; i++ {
			if pos+rowLen > len(data) {
				return nil, &syntaxError{off: off, msg: "xref stream too short"}
			}
			typ := int64(1)
			if widths[0] > 0 {
				typ = field(0)
			}
			f2 := field(1)
			f3 := field(2)
			num := int(first + i)
			var e xrefEntry
			switch typ {
			case 0:
				e = xrefEntry{kind: 0, source: source}
			case 1:
				e = xrefEntry{kind: 1, off: f2, gen: int(f3), source: source}
			case 2:
				e = xrefEntry{kind: 2, off: f2, idx: int(f3), source: source}
			default:
				continue // reserved types are treated as null objects
			}
			if err := d.setEntry(num, e); err != nil {
				return nil, err
			}
		}
	}
	return s.Dict, nil
}

// parseIndirectAt parses "n g obj ... endobj" at off.
func (d *document) parseIndirectAt(off int64) (Ref, any, error) {
	if off < 0 || off >= int64(len(d.data)) {
		return Ref{}, nil, &syntaxError{off: off, msg: "object offset out of range"}
	}
	l := &lexer{buf: d.data, pos: int(off), base: 0, b: d.b}
	return d.parseIndirect(l)
}

func (d *document) parseIndirect(l *lexer) (Ref, any, error) {
	num, err := l.readInt()
	if err != nil {
		return Ref{}, nil, err
	}
	gen, err := l.readInt()
	if err != nil {
		return Ref{}, nil, err
	}
	if num < 0 || num > maxObjNum || gen < 0 || gen > 65535 {
		return Ref{}, nil, l.errorf("bad object number")
	}
	if err := l.expectKeyword("obj"); err != nil {
		return Ref{}, nil, err
	}
	obj, err := l.object(0)
	if err != nil {
		return Ref{}, nil, err
	}
	ref := Ref{Num: int(num), Gen: int(gen)}
	dict, isDict := obj.(Dict)
	if isDict && l.peekKeyword("stream") {
		_ = l.expectKeyword("stream")
		// The keyword is followed by CRLF or LF (a lone CR is tolerated).
		if l.pos < len(l.buf) && l.buf[l.pos] == '\r' {
			l.pos++
		}
		if l.pos < len(l.buf) && l.buf[l.pos] == '\n' {
			l.pos++
		}
		start := l.pos
		end := -1
		length := int64(-1)
		switch v := dict["Length"].(type) {
		case int64:
			length = v
		case Ref:
			if v.Num != ref.Num {
				if lv, err := d.resolve(v); err == nil {
					if n, ok := lv.(int64); ok {
						length = n
					}
				}
			}
		}
		if length >= 0 && int64(start)+length <= int64(len(l.buf)) {
			e := start + int(length)
			ll := &lexer{buf: l.buf, pos: e, b: l.b}
			if ll.peekKeyword("endstream") {
				end = e
			}
		}
		if end < 0 {
			// Wrong or indirect /Length: fall back to the keyword.
			i := bytes.Index(l.buf[start:], []byte("endstream"))
			if i < 0 {
				return Ref{}, nil, l.errorf("unterminated stream")
			}
			end = start + i
			for end > start && (l.buf[end-1] == '\n' || l.buf[end-1] == '\r') {
				end--
			}
		}
		l.pos = end
		if err := l.expectKeyword("endstream"); err != nil {
			return Ref{}, nil, err
		}
		obj = &Stream{Dict: dict, Raw: l.buf[start:end], Offset: l.fileOff(start)}
	}
	if err := l.expectKeyword("endobj"); err != nil {
		// Tolerated by every mainstream reader; the object is already complete.
		_ = err
	}
	return ref, obj, nil
}

// resolve follows references until a direct object is reached.
func (d *document) resolve(v any) (any, error) {
	for i := 0; i < 32; i++ {
		r, ok := v.(Ref)
		if !ok {
			return v, nil
		}
		o, err := d.object(r.Num)
		if err != nil {
			return nil, err
		}
		v = o
	}
	return nil, &syntaxError{off: -1, msg: "reference chain too long"}
}

// dict resolves v and returns it as a dictionary (a stream's dictionary counts).
func (d *document) dict(v any) Dict {
	o, err := d.resolve(v)
	if err != nil {
		return nil
	}
	switch t := o.(type) {
	case Dict:
		return t
	case *Stream:
		return t.Dict
	}
	return nil
}

// dictErr is dict that tells a missing or mistyped value (nil, nil) from
// an object that could not be read (nil, err).
func (d *document) dictErr(v any) (Dict, error) {
	o, err := d.resolve(v)
	if err != nil {
		return nil, err
	}
	switch t := o.(type) {
	case Dict:
		return t, nil
	case *Stream:
		return t.Dict, nil
	}
	return nil, nil
}

// object returns object num of this revision (nil when free or missing).
func (d *document) object(num int) (any, error) {
	if o, ok := d.cache[num]; ok {
		return o, nil
	}
	e, ok := d.xref[num]
	if !ok || e.kind == 0 {
		return nil, nil
	}
	if d.active[num] {
		return nil, &syntaxError{off: -1, msg: "reference cycle"}
	}
	d.active[num] = true
	defer delete(d.active, num)
	var obj any
	switch e.kind {
	case 1:
		ref, o, err := d.parseIndirectAt(e.off)
		if err != nil {
			return nil, err
		}
		if ref.Num != num {
			return nil, &syntaxError{off: e.off, msg: "xref points at object " + strconv.Itoa(ref.Num) + ", want " + strconv.Itoa(num)}
		}
		obj = o
	case 2:
		o, err := d.fromObjStm(int(e.off), num)
		if err != nil {
			return nil, err
		}
		obj = o
	}
	d.cache[num] = obj
	return obj, nil
}

func (d *document) loadObjStm(stmNum int) (*objStm, error) {
	if os, ok := d.objStms[stmNum]; ok {
		return os, nil
	}
	o, err := d.object(stmNum)
	if err != nil {
		return nil, err
	}
	s, ok := o.(*Stream)
	if !ok || s.Dict.name("Type") != "ObjStm" {
		return nil, &syntaxError{off: -1, msg: "not an object stream"}
	}
	os, err := d.parseObjStm(s)
	if err != nil {
		return nil, err
	}
	d.objStms[stmNum] = os
	return os, nil
}

func (d *document) parseObjStm(s *Stream) (*objStm, error) {
	data, err := d.decode(s)
	if err != nil {
		return nil, err
	}
	n, _ := s.Dict.int("N")
	first, _ := s.Dict.int("First")
	if n < 0 || first < 0 || first > int64(len(data)) || n > int64(len(data)) {
		return nil, &syntaxError{off: -1, msg: "bad object stream header"}
	}
	os := &objStm{data: data, offsets: map[int]int{}}
	l := &lexer{buf: data[:first], base: -1, b: d.b}
	for i := int64(0); i < n; i++ {
		num, err := l.readInt()
		if err != nil {
			return nil, err
		}
		rel, err := l.readInt()
		if err != nil {
			return nil, err
		}
		if num < 0 || num > maxObjNum || rel < 0 || first+rel > int64(len(data)) {
			return nil, &syntaxError{off: -1, msg: "bad object stream entry"}
		}
		if _, dup := os.offsets[int(num)]; !dup {
			os.offsets[int(num)] = int(first + rel)
			os.order = append(os.order, int(num))
		}
	}
	return os, nil
}

func (os *objStm) parse(num int, b *budget) (any, error) {
	p, ok := os.offsets[num]
	if !ok {
		return nil, nil
	}
	l := &lexer{buf: os.data, pos: p, base: -1, b: b}
	return l.object(0)
}

func (d *document) fromObjStm(stmNum, num int) (any, error) {
	if stmNum == num {
		return nil, &syntaxError{off: -1, msg: "object stream contains itself"}
	}
	os, err := d.loadObjStm(stmNum)
	if err != nil {
		return nil, err
	}
	return os.parse(num, d.b)
}

// decode applies the stream's filters. Only FlateDecode (with PNG/TIFF
// predictors) is needed for the structures a signature check reads.
func (d *document) decode(s *Stream) ([]byte, error) {
	var filters []Name
	switch f := s.Dict["Filter"].(type) {
	case nil:
	case Name:
		filters = []Name{f}
	case Array:
		for _, x := range f {
			n, ok := x.(Name)
			if !ok {
				return nil, &syntaxError{off: s.Offset, msg: "bad /Filter"}
			}
			filters = append(filters, n)
		}
	default:
		return nil, &syntaxError{off: s.Offset, msg: "bad /Filter"}
	}
	var parms []Dict
	switch p := s.Dict["DecodeParms"].(type) {
	case Dict:
		parms = []Dict{p}
	case Array:
		for _, x := range p {
			dp, _ := x.(Dict)
			parms = append(parms, dp)
		}
	}
	data := s.Raw
	for i, f := range filters {
		var dp Dict
		if i < len(parms) {
			dp = parms[i]
		}
		switch f {
		case "FlateDecode", "Fl":
			out, err := d.inflate(data)
			if err != nil {
				return nil, err
			}
			out, err = unpredict(out, dp)
			if err != nil {
				return nil, err
			}
			data = out
		default:
			return nil, &syntaxError{off: s.Offset, msg: "unsupported filter " + string(f)}
		}
	}
	return data, nil
}

func (d *document) inflate(in []byte) ([]byte, error) {
	if err := d.b.checkTime(); err != nil {
		return nil, err
	}
	zr, err := zlib.NewReader(bytes.NewReader(in))
	if err != nil {
		return nil, &syntaxError{off: -1, msg: "flate: " + err.Error()}
	}
	defer zr.Close()
	limit := d.b.streamLimit()
	out, err := readCapped(zr, limit, 4*int64(len(in))+4096)
	if int64(len(out)) > limit {
		return nil, fmt.Errorf("%w: a stream decodes to more than %d bytes", errBudget, limit)
	}
	if err2 := d.b.addDecoded(int64(len(out))); err2 != nil {
		return nil, err2
	}
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, &syntaxError{off: -1, msg: "flate: " + err.Error()}
	}
	return out, nil
}

// readCapped reads r to its end or to limit+1 bytes, whichever comes
// first, starting with a buffer of guess bytes and never growing it past
// limit+1, so a bomb costs at most about twice the limit in allocations.
func readCapped(r io.Reader, limit, guess int64) ([]byte, error) {
	buf := make([]byte, 0, max(min(guess, limit+1), 512))
	for int64(len(buf)) <= limit {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(2*int64(cap(buf)), limit+1))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

func unpredict(data []byte, dp Dict) ([]byte, error) {
	if dp == nil {
		return data, nil
	}
	pred, _ := dp.int("Predictor")
	if pred <= 1 {
		return data, nil
	}
	cols := int64(1)
	if c, ok := dp.int("Columns"); ok {
		cols = c
	}
	colors := int64(1)
	if c, ok := dp.int("Colors"); ok {
		colors = c
	}
	bpc := int64(8)
	if c, ok := dp.int("BitsPerComponent"); ok {
		bpc = c
	}
	if cols < 1 || cols > 1<<20 || colors < 1 || colors > 32 || (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16) {
		return nil, &syntaxError{off: -1, msg: "bad predictor parameters"}
	}
	bpp := int((colors*bpc + 7) / 8)
	rowLen := int((cols*colors*bpc + 7) / 8)
	if rowLen > len(data) {
		// Not even one row: refuse rather than allocate for the claimed width.
		return nil, &syntaxError{off: -1, msg: "predictor row longer than the data"}
	}
	if pred == 2 {
		if bpc != 8 {
			return nil, &syntaxError{off: -1, msg: "unsupported TIFF predictor"}
		}
		out := append([]byte(nil), data...)
		for r := 0; r+rowLen <= len(out); r += rowLen {
			for i := bpp; i < rowLen; i++ {
				out[r+i] += out[r+i-bpp]
			}
		}
		return out, nil
	}
	if pred < 10 {
		return nil, &syntaxError{off: -1, msg: "unsupported predictor"}
	}
	stride := rowLen + 1
	out := make([]byte, 0, len(data)/stride*rowLen)
	prev := make([]byte, rowLen)
	for r := 0; r+stride <= len(data); r += stride {
		typ := data[r]
		row := append([]byte(nil), data[r+1:r+stride]...)
		for i := range row {
			var left, upLeft byte
			if i >= bpp {
				left = row[i-bpp]
				upLeft = prev[i-bpp]
			}
			up := prev[i]
			switch typ {
			case 0:
			case 1:
				row[i] += left
			case 2:
				row[i] += up
			case 3:
				row[i] += byte((int(left) + int(up)) / 2)
			case 4:
				row[i] += paeth(left, up, upLeft)
			default:
				return nil, &syntaxError{off: -1, msg: "bad PNG predictor row"}
			}
		}
		out = append(out, row...)
		prev = row
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	if pa <= pb && pa <= pc {
		return a
	}
	if pb <= pc {
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
