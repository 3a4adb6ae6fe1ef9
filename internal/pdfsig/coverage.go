package pdfsig

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
)

// errModified describes a change made after signing that PAdES does not allow.
type errModified struct{ msg string }

func (e *errModified) Error() string { return e.msg }

func modified(format string, args ...any) error {
	return &errModified{msg: fmt.Sprintf(format, args...)}
}

// checkLaterUpdates decides whether everything in the file after the signed
// revision (which ends at end) is something PAdES allows after signing:
// a DSS dictionary with its validation data, document timestamps and further
// signatures (each verified on its own), the catalog, AcroForm and page
// /Annots changes needed to reference them, and document metadata. Anything
// else, including bytes that are not part of an incremental update, is a
// modification.
func (st *verifyState) checkLaterUpdates(end int64) error {
	signed, err := st.signedDoc(end)
	if err != nil {
		return modified("signed revision ending at %d does not parse on its own: %v", end, err)
	}
	cur := st.doc
	objs, err := scanUpdates(st.data, end, cur)
	if err != nil {
		return err
	}
	// Objects whose current xref entry differs from the signed revision's,
	// even if the definition itself lies in signed bytes: a later xref (or
	// a /Prev chain that skips the signed section) can point an object back
	// at a superseded body.
	changed := map[int]bool{}
	for num, e := range cur.xref {
		if !sameEntry(e, signed.xref[num]) {
			changed[num] = true
		}
	}
	for num, e := range signed.xref {
		if !sameEntry(e, cur.xref[num]) {
			changed[num] = true
		}
	}
	for _, o := range objs {
		changed[o.ref.Num] = true
	}

	rootCur, _ := cur.trailer["Root"].(Ref)
	rootOld, _ := signed.trailer["Root"].(Ref)
	if rootCur.Num != rootOld.Num {
		return modified("the catalog was replaced (object %d, was %d)", rootCur.Num, rootOld.Num)
	}
	perm := st.permitted(signed, cur)
	al := perm.newObjs

	check := func(num int, newObj any, where string) error {
		if err := st.b.step(1); err != nil {
			return err
		}
		if num == 0 {
			return nil
		}
		if s, ok := newObj.(*Stream); ok {
			switch s.Dict.name("Type") {
			case "XRef", "ObjStm":
				// Containers; what they define is checked object by object.
				if _, existed := signed.xref[num]; !existed || signed.xref[num].kind == 0 {
					return nil
				}
			}
		}
		oldObj, err := signed.object(num)
		if err != nil {
			return err
		}
		existed := oldObj != nil
		if !existed {
			if newObj == nil {
				return nil
			}
			if al[num] {
				return nil
			}
			return modified("object %d added after signing (%s) is not validation data or a signature", num, where)
		}
		if equalObj(oldObj, newObj, 0) {
			return nil
		}
		if newObj == nil {
			return modified("object %d deleted after signing", num)
		}
		switch {
		case num == rootCur.Num:
			return st.checkCatalog(signed, cur, oldObj, newObj, perm.sigObjs)
		}
		od, _ := oldObj.(Dict)
		nd, _ := newObj.(Dict)
		if od != nil && nd != nil {
			if isRef(signed.trailer["Info"], num) {
				return nil // document information is not rendered
			}
			if perm.oldDSS[num] {
				return nil // validation data (DSS, VRI) may be extended
			}
			if od.name("Type") == "Page" && nd.name("Type") == "Page" {
				return checkOnlyKeysChanged(signed, cur, od, nd, map[Name]bool{"Annots": true}, perm.sigObjs, fmt.Sprintf("page object %d", num))
			}
			if isRef(dictOf(signed, signed.trailer["Root"])["AcroForm"], num) {
				return checkAcroForm(signed, cur, od, nd, perm.sigObjs)
			}
		}
		if oa, ok := oldObj.(Array); ok {
			// An indirect /Annots or /Fields array may gain signature fields;
			// an array of the validation data may gain validation data.
			add := perm.sigObjs
			if perm.oldDSS[num] {
				add = al
			}
			if na, ok := newObj.(Array); ok && arrayExtendedWith(oa, na, add) {
				return nil
			}
		}
		if os, ok := oldObj.(*Stream); ok && os.Dict.name("Type") == "Metadata" {
			if ns, ok := newObj.(*Stream); ok && ns.Dict.name("Type") == "Metadata" {
				return nil // XMP metadata is not rendered
			}
		}
		return modified("object %d changed after signing (%s)", num, where)
	}

	for _, o := range objs {
		if err := check(o.ref.Num, o.obj, fmt.Sprintf("at offset %d", o.off)); err != nil {
			return err
		}
	}
	nums := make([]int, 0, len(changed))
	for num := range changed {
		nums = append(nums, num)
	}
	sort.Ints(nums)
	for _, num := range nums {
		obj, err := cur.object(num)
		if err != nil {
			return modified("object %d changed after signing does not parse: %v", num, err)
		}
		if err := check(num, obj, "via a later xref section"); err != nil {
			return err
		}
	}
	return nil
}

func sameEntry(a, b xrefEntry) bool {
	if a.kind == 0 && b.kind == 0 {
		return true // free and absent are the same thing
	}
	return a.kind == b.kind && a.off == b.off && a.idx == b.idx && a.gen == b.gen
}

func (st *verifyState) signedDoc(end int64) (*document, error) {
	if d, ok := st.signedDocs[end]; ok {
		return d, nil
	}
	d, err := openDocument(st.data[:end], st.b, st.v.opts.MaxObjects)
	if err != nil {
		return nil, err
	}
	if st.signedDocs == nil {
		st.signedDocs = map[int64]*document{}
	}
	st.signedDocs[end] = d
	return d, nil
}

func isRef(v any, num int) bool {
	r, ok := v.(Ref)
	return ok && r.Num == num
}

func dictOf(d *document, v any) Dict {
	dd := d.dict(v)
	if dd == nil {
		return Dict{}
	}
	return dd
}

type scannedObj struct {
	ref Ref
	obj any
	off int64
}

// scanUpdates reads data[end:] as a sequence of incremental updates:
// indirect objects, xref tables with trailers, startxref and %%EOF. Any other
// byte is trailing data that a reader may interpret, so it is refused. Objects
// inside object streams are returned individually.
func scanUpdates(data []byte, end int64, cur *document) ([]scannedObj, error) {
	var out []scannedObj
	l := &lexer{buf: data, pos: int(end), base: 0, b: cur.b}
	scratch := &document{data: data, b: cur.b, xref: map[int]xrefEntry{}, maxObjs: cur.maxObjs}
	for {
		if err := cur.b.step(1); err != nil {
			return nil, err
		}
		l.skipSpace()
		if l.pos >= len(data) {
			return out, nil
		}
		start := l.pos
		switch {
		case l.peekKeyword("xref"):
			_ = l.expectKeyword("xref")
			if err := scratch.readXrefTable(l, 0); err != nil {
				return nil, modified("unreadable xref table after signing: %v", err)
			}
			if err := l.expectKeyword("trailer"); err != nil {
				return nil, modified("xref table without trailer after signing")
			}
			t, err := l.object(0)
			if err != nil {
				return nil, modified("unreadable trailer after signing: %v", err)
			}
			if _, ok := t.(Dict); !ok {
				return nil, modified("trailer after signing is not a dictionary")
			}
		case l.peekKeyword("startxref"):
			_ = l.expectKeyword("startxref")
			if _, err := l.readInt(); err != nil {
				return nil, modified("bad startxref after signing")
			}
		default:
			ref, obj, err := cur.parseIndirect(l)
			if err != nil {
				if errors.Is(err, errBudget) {
					return nil, err
				}
				return nil, modified("data after the signed revision at offset %d is not a PDF object: %v", start, err)
			}
			out = append(out, scannedObj{ref: ref, obj: obj, off: int64(start)})
			if s, ok := obj.(*Stream); ok && s.Dict.name("Type") == "ObjStm" {
				os, err := cur.parseObjStm(s)
				if err != nil {
					return nil, modified("unreadable object stream %d after signing: %v", ref.Num, err)
				}
				for _, num := range os.order {
					o, err := os.parse(num, cur.b)
					if err != nil {
						return nil, modified("unreadable object %d in object stream %d: %v", num, ref.Num, err)
					}
					out = append(out, scannedObj{ref: Ref{Num: num}, obj: o, off: int64(start)})
				}
			}
		}
	}
}

// permissions says what the updates after a signature may contain.
type permissions struct {
	// newObjs may be created: the DSS and what it references, signature
	// fields with their signature dictionaries and appearances, document
	// information and metadata.
	newObjs map[int]bool
	// sigObjs are the signature fields and widgets, the only things that may
	// be added to existing /Annots and /Fields arrays.
	sigObjs map[int]bool
	// oldDSS is the validation data present at signing time, which may be
	// extended.
	oldDSS map[int]bool
}

func (st *verifyState) permitted(signed, cur *document) permissions {
	p := permissions{newObjs: st.allowedNew(cur), sigObjs: map[int]bool{}, oldDSS: map[int]bool{}}
	for _, s := range st.sigs {
		if s.fieldNum != 0 {
			p.sigObjs[s.fieldNum] = true
		}
		for _, w := range s.widgets {
			p.sigObjs[w] = true
		}
	}
	reach(signed, dictOf(signed, signed.trailer["Root"])["DSS"], p.oldDSS, 0)
	return p
}

func (st *verifyState) allowedNew(cur *document) map[int]bool {
	al := map[int]bool{}
	root := dictOf(cur, cur.trailer["Root"])
	reach(cur, root["DSS"], al, 0)
	reach(cur, cur.trailer["Info"], al, 0)
	if r, ok := root["Metadata"].(Ref); ok {
		if s, ok := cur.dict(r).name("Type"), true; ok && s == "Metadata" {
			al[r.Num] = true
		}
	}
	if r, ok := root["AcroForm"].(Ref); ok {
		al[r.Num] = true // its content is checked by checkCatalog/checkAcroForm
	}
	for _, s := range st.sigs {
		if s.fieldNum != 0 {
			al[s.fieldNum] = true
		}
		if s.dictNum != 0 {
			al[s.dictNum] = true
		}
		for _, w := range s.widgets {
			al[w] = true
			reach(cur, dictOf(cur, Ref{Num: w})["AP"], al, 0)
		}
		if s.fieldNum != 0 {
			reach(cur, dictOf(cur, Ref{Num: s.fieldNum})["AP"], al, 0)
		}
	}
	return al
}

// reach marks every object reachable from v.
func reach(d *document, v any, seen map[int]bool, depth int) {
	if depth > 64 || d.b.step(1) != nil {
		return
	}
	switch t := v.(type) {
	case Ref:
		if seen[t.Num] {
			return
		}
		seen[t.Num] = true
		o, err := d.object(t.Num)
		if err != nil {
			return
		}
		reach(d, o, seen, depth+1)
	case Dict:
		for k, x := range t {
			if k == "Parent" || k == "P" {
				continue // back-pointers lead to the rest of the document
			}
			reach(d, x, seen, depth+1)
		}
	case Array:
		for _, x := range t {
			reach(d, x, seen, depth+1)
		}
	case *Stream:
		reach(d, t.Dict, seen, depth+1)
	}
}

func (st *verifyState) checkCatalog(signed, cur *document, oldObj, newObj any, al map[int]bool) error {
	od, ok1 := oldObj.(Dict)
	nd, ok2 := newObj.(Dict)
	if !ok1 || !ok2 {
		return modified("catalog is not a dictionary")
	}
	allowed := map[Name]bool{"DSS": true, "AcroForm": true, "Metadata": true, "Extensions": true}
	if err := checkOnlyKeysChanged(signed, cur, od, nd, allowed, al, "catalog"); err != nil {
		return err
	}
	oa, na := od["AcroForm"], nd["AcroForm"]
	if equalObj(oa, na, 0) {
		// Same reference: the AcroForm object itself is checked on its own if
		// it changed.
		return nil
	}
	oaf := signed.dict(oa)
	naf := cur.dict(na)
	if naf == nil {
		return modified("AcroForm removed after signing")
	}
	if oaf == nil {
		oaf = Dict{}
	}
	return checkAcroForm(signed, cur, oaf, naf, al)
}

func checkAcroForm(signed, cur *document, od, nd Dict, al map[int]bool) error {
	allowed := map[Name]bool{"Fields": true, "SigFlags": true}
	if err := checkOnlyKeysChanged(signed, cur, od, nd, allowed, al, "AcroForm"); err != nil {
		return err
	}
	of, _ := signed.resolve(od["Fields"])
	nf, _ := cur.resolve(nd["Fields"])
	oa, _ := of.(Array)
	na, _ := nf.(Array)
	if !arrayExtendedWith(oa, na, al) {
		return modified("AcroForm fields changed after signing other than by adding signatures")
	}
	return nil
}

// checkOnlyKeysChanged compares two versions of a dictionary; keys in
// allowed may differ, except that an /Annots array may only gain allowed
// new objects.
func checkOnlyKeysChanged(signed, cur *document, od, nd Dict, allowed map[Name]bool, al map[int]bool, what string) error {
	for k, nv := range nd {
		ov, had := od[k]
		if had && equalObj(ov, nv, 0) {
			continue
		}
		if !allowed[k] {
			return modified("%s: /%s changed after signing", what, k)
		}
		if k == "Annots" {
			oa, _ := signed.resolve(ov)
			na, _ := cur.resolve(nv)
			o, _ := oa.(Array)
			n, _ := na.(Array)
			if !arrayExtendedWith(o, n, al) {
				return modified("%s: annotations changed after signing", what)
			}
		}
	}
	for k := range od {
		if _, ok := nd[k]; !ok && !allowed[k] {
			return modified("%s: /%s removed after signing", what, k)
		}
	}
	return nil
}

// arrayExtendedWith reports whether n is o followed by references to
// allowed new objects.
func arrayExtendedWith(o, n Array, al map[int]bool) bool {
	if len(n) < len(o) {
		return false
	}
	for i := range o {
		if !equalObj(o[i], n[i], 0) {
			return false
		}
	}
	for _, x := range n[len(o):] {
		r, ok := x.(Ref)
		if !ok || !al[r.Num] {
			return false
		}
	}
	return true
}

// equalObj compares two objects structurally (references by number).
func equalObj(a, b any, depth int) bool {
	if depth > 100 {
		return false
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case Name:
		y, ok := b.(Name)
		return ok && x == y
	case String:
		y, ok := b.(String)
		return ok && bytes.Equal(x.Value, y.Value)
	case Ref:
		y, ok := b.(Ref)
		return ok && x == y
	case Array:
		y, ok := b.(Array)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalObj(x[i], y[i], depth+1) {
				return false
			}
		}
		return true
	case Dict:
		y, ok := b.(Dict)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !equalObj(v, w, depth+1) {
				return false
			}
		}
		return true
	case *Stream:
		y, ok := b.(*Stream)
		return ok && bytes.Equal(x.Raw, y.Raw) && equalObj(x.Dict, y.Dict, depth+1)
	}
	return false
}
