package pdfsig

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"sort"
	"strconv"
	"time"
	"unicode/utf16"
)

// SignOptions configures Sign.
type SignOptions struct {
	// Key signs; its public key must match Cert. RSA (≥ 2048 bits) or ECDSA.
	Key  crypto.Signer
	Cert *x509.Certificate
	// Chain holds the intermediates, leaf-most first (the root may be omitted).
	Chain []*x509.Certificate
	// TSAURL, when set, is an RFC 3161 time-stamping service whose token is
	// embedded in the signature.
	TSAURL     string
	HTTPClient *http.Client
	// Reason, Name, Location appear in the signature dictionary.
	Reason, Name, Location string
	// Time is the claimed signing time (default time.Now()).
	Time time.Time
	// SubFilter is ETSI.CAdES.detached (default) or adbe.pkcs7.detached.
	SubFilter string
	// FieldName names the new signature field (default "Signature<N>").
	FieldName string
	// PSS selects RSASSA-PSS instead of PKCS#1 v1.5 for RSA keys.
	PSS bool
	// ContentsSize is the space reserved for the CMS structure in bytes
	// (default 16 KiB, more with a timestamp).
	ContentsSize int

	// Limits bound the parse of the input (zero fields: DefaultLimits).
	Limits Limits

	// Test hooks for building deliberately weak or broken signatures.
	hash    crypto.Hash
	noAttrs bool
	// docTimestamp makes the signature a document timestamp from TSAURL.
	docTimestamp bool
}

// AddDocumentTimestamp appends a PAdES document timestamp (SubFilter
// ETSI.RFC3161) obtained from the RFC 3161 service at tsaURL, as done to
// extend the life of existing signatures.
func AddDocumentTimestamp(ctx context.Context, w io.Writer, in io.ReaderAt, size int64, tsaURL string, client *http.Client) error {
	if tsaURL == "" {
		return errors.New("pdfsig: a TSA URL is required")
	}
	data, err := readInput(in, size, Limits{})
	if err != nil {
		return err
	}
	out, err := signBytes(ctx, data, SignOptions{TSAURL: tsaURL, HTTPClient: client, docTimestamp: true, FieldName: "DocTimeStamp"})
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// Sign appends a signature to the PDF in in as an incremental update and
// writes the complete signed file to w.
func Sign(w io.Writer, in io.ReaderAt, size int64, opts SignOptions) error {
	return SignContext(context.Background(), w, in, size, opts)
}

// SignContext is Sign with a context for the timestamp request.
func SignContext(ctx context.Context, w io.Writer, in io.ReaderAt, size int64, opts SignOptions) error {
	if opts.Key == nil || opts.Cert == nil {
		return errors.New("pdfsig: Key and Cert are required")
	}
	data, err := readInput(in, size, opts.Limits)
	if err != nil {
		return err
	}
	out, err := signBytes(ctx, data, opts)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// readInput reads the file to sign, refusing one over the size limit
// before allocating for it.
func readInput(in io.ReaderAt, size int64, lim Limits) ([]byte, error) {
	lim = lim.withDefaults()
	if size < 0 {
		return nil, errors.New("pdfsig: bad input size")
	}
	if size > lim.MaxSize {
		return nil, &InputError{Reason: ReasonTooLarge, Detail: fmt.Sprintf("file has %d bytes, limit is %d", size, lim.MaxSize)}
	}
	data := make([]byte, size)
	if n, err := in.ReadAt(data, 0); n != len(data) {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("pdfsig: read input: %w", err)
	}
	return data, nil
}

// CheckSignable runs on data the parse Sign would run, within lim, and
// returns the error Sign would return for the file itself (an
// *InputError): a file it accepts can be signed. Use it to refuse a
// document when it is uploaded rather than when someone signs it.
func CheckSignable(ctx context.Context, data []byte, lim Limits) error {
	lim = lim.withDefaults()
	if int64(len(data)) > lim.MaxSize {
		return &InputError{Reason: ReasonTooLarge, Detail: fmt.Sprintf("file has %d bytes, limit is %d", len(data), lim.MaxSize)}
	}
	_, err := prepareSign(ctx, data, lim)
	return err
}

// signTarget is what signing needs from the input document.
type signTarget struct {
	doc      *document
	rootRef  Ref
	root     Dict // a copy, free to modify
	pageRef  Ref
	page     Dict
	existing []sigRef
}

// openForSigning opens the newest revision of data and its catalog within
// lim. Errors are *InputError.
func openForSigning(ctx context.Context, data []byte, lim Limits) (*document, Dict, error) {
	lim = lim.withDefaults()
	doc, err := openDocument(data, lim.budget(ctx), lim.MaxObjects)
	if err != nil {
		return nil, nil, inputError(err, "parse input")
	}
	if _, enc := doc.trailer["Encrypt"]; enc {
		return nil, nil, &InputError{Reason: ReasonEncrypted, Detail: "cannot process an encrypted PDF"}
	}
	root, err := doc.dictErr(doc.trailer["Root"])
	if err != nil || root == nil {
		return nil, nil, inputError(err, "no catalog")
	}
	return doc, root, nil
}

// prepareSign reads everything signing reads from the input. Errors are
// *InputError.
func prepareSign(ctx context.Context, data []byte, lim Limits) (*signTarget, error) {
	doc, root, err := openForSigning(ctx, data, lim)
	if err != nil {
		return nil, err
	}
	t := &signTarget{doc: doc, rootRef: doc.trailer["Root"].(Ref), root: copyDict(root)}
	if t.pageRef, t.page, err = firstPage(doc, t.root); err != nil {
		return nil, inputError(err, "page tree")
	}
	if acro, ok := t.root["AcroForm"].(Ref); ok {
		if _, err := doc.dictErr(acro); err != nil {
			return nil, inputError(err, "AcroForm")
		}
	}
	t.existing, err = findSignatures(doc)
	if err != nil && errors.Is(err, errBudget) {
		return nil, inputError(err, "signature fields")
	}
	if a, ok := t.page["Annots"].(Ref); ok {
		if _, err := doc.resolve(a); err != nil {
			return nil, inputError(err, "page annotations")
		}
	}
	if acro := doc.dict(t.root["AcroForm"]); acro != nil {
		if f, ok := acro["Fields"].(Ref); ok {
			if _, err := doc.resolve(f); err != nil {
				return nil, inputError(err, "form fields")
			}
		}
	}
	return t, nil
}

func signBytes(ctx context.Context, data []byte, opts SignOptions) ([]byte, error) {
	if opts.Time.IsZero() {
		opts.Time = time.Now()
	}
	if opts.SubFilter == "" {
		opts.SubFilter = "ETSI.CAdES.detached"
	}
	if opts.docTimestamp {
		opts.SubFilter = "ETSI.RFC3161"
	} else if opts.Key == nil || opts.Cert == nil {
		return nil, errors.New("pdfsig: Key and Cert are required")
	}
	if opts.SubFilter != "ETSI.CAdES.detached" && opts.SubFilter != "adbe.pkcs7.detached" && !opts.docTimestamp {
		return nil, fmt.Errorf("pdfsig: cannot sign with SubFilter %q", opts.SubFilter)
	}
	if opts.hash == 0 {
		opts.hash = crypto.SHA256
	}
	if opts.ContentsSize <= 0 {
		opts.ContentsSize = 16 << 10
		if opts.TSAURL != "" {
			opts.ContentsSize = 32 << 10
		}
	}
	lim := opts.Limits.withDefaults()
	if int64(len(data)) > lim.MaxSize {
		return nil, &InputError{Reason: ReasonTooLarge, Detail: fmt.Sprintf("file has %d bytes, limit is %d", len(data), lim.MaxSize)}
	}
	tgt, err := prepareSign(ctx, data, lim)
	if err != nil {
		return nil, err
	}
	doc, rootRef, root, pageRef, page := tgt.doc, tgt.rootRef, tgt.root, tgt.pageRef, tgt.page
	next := 0
	for num := range doc.xref {
		if num >= next {
			next = num + 1
		}
	}
	if sz, ok := doc.trailer.int("Size"); ok && int(sz) > next {
		next = int(sz)
	}
	sigNum, fieldNum := next, next+1
	next += 2

	objs := map[int][]byte{}
	// Existing signatures count for the default field name.
	existing := tgt.existing
	field := opts.FieldName
	if field == "" {
		field = "Signature" + strconv.Itoa(len(existing)+1)
	}

	// Signature dictionary with placeholders patched after layout.
	var sd bytes.Buffer
	if opts.docTimestamp {
		sd.WriteString("<</Type/DocTimeStamp/Filter/Adobe.PPKLite/SubFilter/ETSI.RFC3161")
	} else {
		sd.WriteString("<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/" + opts.SubFilter)
	}
	sd.WriteString("/ByteRange" + brPlaceholder)
	sd.WriteString("/Contents<")
	sd.Write(bytes.Repeat([]byte("0"), 2*opts.ContentsSize))
	sd.WriteString(">")
	if !opts.docTimestamp {
		sd.WriteString("/M")
		writeTextString(&sd, pdfDate(opts.Time))
	}
	if opts.Name != "" {
		sd.WriteString("/Name")
		writeTextString(&sd, opts.Name)
	}
	if opts.Reason != "" {
		sd.WriteString("/Reason")
		writeTextString(&sd, opts.Reason)
	}
	if opts.Location != "" {
		sd.WriteString("/Location")
		writeTextString(&sd, opts.Location)
	}
	sd.WriteString(">>")
	objs[sigNum] = sd.Bytes()

	var fd bytes.Buffer
	fmt.Fprintf(&fd, "<</FT/Sig/Type/Annot/Subtype/Widget/Rect[0 0 0 0]/F 132/T")
	writeTextString(&fd, field)
	fmt.Fprintf(&fd, "/V %d 0 R/P %d 0 R>>", sigNum, pageRef.Num)
	objs[fieldNum] = fd.Bytes()

	// The page lists the widget among its annotations.
	fieldRef := Ref{Num: fieldNum}
	switch a := page["Annots"].(type) {
	case Ref:
		arrObj, _ := doc.resolve(a)
		arr, _ := arrObj.(Array)
		arr = append(append(Array{}, arr...), fieldRef)
		objs[a.Num] = serialize(arr)
	case Array:
		page = copyDict(page)
		page["Annots"] = append(append(Array{}, a...), fieldRef)
		objs[pageRef.Num] = serialize(page)
	default:
		page = copyDict(page)
		page["Annots"] = Array{fieldRef}
		objs[pageRef.Num] = serialize(page)
	}

	// The AcroForm lists the field.
	var acro Dict
	acroRef, acroIndirect := root["AcroForm"].(Ref)
	if acroIndirect {
		acro = copyDict(doc.dict(acroRef))
	} else if d, ok := root["AcroForm"].(Dict); ok {
		acro = copyDict(d)
	} else {
		acro = Dict{}
	}
	var fields Array
	switch f := acro["Fields"].(type) {
	case Ref:
		fo, _ := doc.resolve(f)
		old, _ := fo.(Array)
		fields = append(append(Array{}, old...), fieldRef)
		objs[f.Num] = serialize(fields)
	default:
		old, _ := f.(Array)
		acro["Fields"] = append(append(Array{}, old...), fieldRef)
	}
	acro["SigFlags"] = int64(3)
	if acroIndirect && acroRef.Num != 0 {
		objs[acroRef.Num] = serialize(acro)
	} else {
		root["AcroForm"] = acro
		objs[rootRef.Num] = serialize(root)
	}

	// Lay out the update: objects, xref table, trailer.
	var buf bytes.Buffer
	buf.Grow(len(data) + 2*opts.ContentsSize + 4096)
	buf.Write(data)
	if len(data) > 0 && data[len(data)-1] != '\n' && data[len(data)-1] != '\r' {
		buf.WriteByte('\n')
	}
	nums := make([]int, 0, len(objs))
	for n := range objs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	offsets := map[int]int{}
	for _, n := range nums {
		offsets[n] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n", n)
		buf.Write(objs[n])
		buf.WriteString("\nendobj\n")
	}
	xrefOff := buf.Len()
	buf.WriteString("xref\n")
	for i := 0; i < len(nums); {
		j := i
		for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
			j++
		}
		fmt.Fprintf(&buf, "%d %d\n", nums[i], j-i+1)
		for k := i; k <= j; k++ {
			fmt.Fprintf(&buf, "%010d 00000 n\r\n", offsets[nums[k]])
		}
		i = j + 1
	}
	trailer := Dict{"Size": int64(next), "Root": rootRef, "Prev": doc.sections[0]}
	if info, ok := doc.trailer["Info"]; ok {
		trailer["Info"] = info
	}
	if id, ok := doc.trailer["ID"]; ok {
		trailer["ID"] = id
	}
	buf.WriteString("trailer\n")
	buf.Write(serialize(trailer))
	fmt.Fprintf(&buf, "\nstartxref\n%d\n%%%%EOF\n", xrefOff)
	outb := buf.Bytes()

	// Patch the ByteRange and compute the digest over it.
	sigStart := offsets[sigNum]
	rel := bytes.Index(outb[sigStart:], []byte("/Contents<"))
	if rel < 0 {
		return nil, errors.New("pdfsig: internal: placeholder not found")
	}
	a := sigStart + rel + len("/Contents")
	bb := a + 2 + 2*opts.ContentsSize
	c := len(outb) - bb
	br := fmt.Sprintf("[0 %d %d %d]", a, bb, c)
	if len(br) > len(brPlaceholder) {
		return nil, errors.New("pdfsig: internal: ByteRange does not fit")
	}
	brAt := sigStart + bytes.Index(outb[sigStart:], []byte(brPlaceholder))
	copy(outb[brAt:], br+string(bytes.Repeat([]byte(" "), len(brPlaceholder)-len(br))))
	h := opts.hash.New()
	h.Write(outb[:a])
	h.Write(outb[bb:])
	digest := h.Sum(nil)

	if opts.docTimestamp {
		// The token's imprint is the digest of the signed byte ranges.
		tok, err := requestTimestamp(ctx, opts.HTTPClient, opts.TSAURL, digest)
		if err != nil {
			return nil, err
		}
		if len(tok) > opts.ContentsSize {
			return nil, fmt.Errorf("pdfsig: timestamp of %d bytes exceeds the reserved %d", len(tok), opts.ContentsSize)
		}
		hex.Encode(outb[a+1:], tok)
		return outb, nil
	}
	cs := &cmsSigner{key: opts.Key, cert: opts.Cert, chain: opts.Chain, hash: opts.hash, pss: opts.PSS, time: opts.Time, noAttrs: opts.noAttrs, essCert: true}
	if opts.SubFilter == "adbe.pkcs7.detached" {
		cs.essCert = false
	}
	der, err := cs.build(oidData, nil, digest)
	if err != nil {
		return nil, err
	}
	if opts.TSAURL != "" {
		der, err = addTimestamp(ctx, der, opts)
		if err != nil {
			return nil, err
		}
	}
	if len(der) > opts.ContentsSize {
		return nil, fmt.Errorf("pdfsig: signature of %d bytes exceeds the reserved %d", len(der), opts.ContentsSize)
	}
	hex.Encode(outb[a+1:], der)
	return outb, nil
}

const brPlaceholder = "[0 0000000000 0000000000 0000000000]"

// addTimestamp requests a timestamp over the signature value and rebuilds
// the CMS structure with it as an unsigned attribute.
func addTimestamp(ctx context.Context, der []byte, opts SignOptions) ([]byte, error) {
	p, err := parseCMS(der)
	if err != nil {
		return nil, err
	}
	h := crypto.SHA256.New()
	h.Write(p.si.Signature)
	tok, err := requestTimestamp(ctx, opts.HTTPClient, opts.TSAURL, h.Sum(nil))
	if err != nil {
		return nil, err
	}
	// Re-encode SignerInfo with the unsigned attribute; the signature value
	// and signed attributes are unchanged.
	var ci contentInfo
	if _, err := asn1.Unmarshal(der, &ci); err != nil {
		return nil, err
	}
	var sd signedData
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, err
	}
	u, err := encodeAttrs([]attribute{rawAttr(oidAttrTimeStampToken, tok)})
	if err != nil {
		return nil, err
	}
	si := sd.SignerInfos[0]
	si.UnsignedAttrs = asn1.RawValue{FullBytes: append([]byte{0xa1}, u[1:]...)}
	out := signedDataOut{
		Version:          sd.Version,
		DigestAlgorithms: nil,
		EncapContentInfo: encapContentInfoOut{EContentType: sd.EncapContentInfo.EContentType},
		Certificates:     asn1.RawValue{FullBytes: sd.Certificates.FullBytes},
		SignerInfos: []signerInfoOut{{
			Version:            si.Version,
			SID:                issuerAndSerialOut{Issuer: asn1.RawValue{FullBytes: p.signer.RawIssuer}, SerialNumber: p.signer.SerialNumber},
			DigestAlgorithm:    si.DigestAlgorithm,
			SignedAttrs:        asn1.RawValue{FullBytes: si.SignedAttrs.FullBytes},
			SignatureAlgorithm: si.SignatureAlgorithm,
			Signature:          si.Signature,
			UnsignedAttrs:      si.UnsignedAttrs,
		}},
	}
	var algs []pkix.AlgorithmIdentifier
	if _, err := asn1.UnmarshalWithParams(sd.DigestAlgorithms.FullBytes, &algs, "set"); err != nil {
		return nil, err
	}
	out.DigestAlgorithms = algs
	sdDER, err := asn1.Marshal(out)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(contentInfo{ContentType: oidSignedData, Content: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sdDER}})
}

type timeStampReq struct {
	Version        int
	MessageImprint messageImprint
	Nonce          *big.Int `asn1:"optional"`
	CertReq        bool     `asn1:"optional,default:false"`
}

type timeStampResp struct {
	Status struct {
		Status       int
		StatusString asn1.RawValue  `asn1:"optional"`
		FailInfo     asn1.BitString `asn1:"optional"`
	}
	Token asn1.RawValue `asn1:"optional"`
}

// requestTimestamp asks an RFC 3161 TSA for a token over digest (SHA-256).
func requestTimestamp(ctx context.Context, client *http.Client, url string, digest []byte) ([]byte, error) {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, err
	}
	req, err := asn1.Marshal(timeStampReq{
		Version:        1,
		MessageImprint: messageImprint{HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA256, Parameters: asn1.NullRawValue}, HashedMessage: digest},
		Nonce:          nonce,
		CertReq:        true,
	})
	if err != nil {
		return nil, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(req))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/timestamp-query")
	resp, err := client.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("pdfsig: timestamp request: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("pdfsig: timestamp response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("pdfsig: timestamp server: %s", resp.Status)
	}
	var tr timeStampResp
	if _, err := asn1.Unmarshal(body, &tr); err != nil {
		return nil, fmt.Errorf("pdfsig: timestamp response: %w", err)
	}
	if tr.Status.Status > 1 || len(tr.Token.FullBytes) == 0 {
		return nil, fmt.Errorf("pdfsig: timestamp refused (status %d)", tr.Status.Status)
	}
	if _, err := verifyTimestampToken(tr.Token.FullBytes, func(crypto.Hash) []byte { return digest }); err != nil {
		return nil, fmt.Errorf("pdfsig: timestamp token: %w", err)
	}
	return tr.Token.FullBytes, nil
}

func firstPage(doc *document, root Dict) (Ref, Dict, error) {
	node := root["Pages"]
	for depth := 0; depth < 64; depth++ {
		r, ok := node.(Ref)
		if !ok {
			return Ref{}, nil, errors.New("page tree node is not an indirect object")
		}
		d, err := doc.dictErr(r)
		if err != nil {
			return Ref{}, nil, err
		}
		if d == nil {
			return Ref{}, nil, errors.New("broken page tree")
		}
		if d.name("Type") == "Page" {
			return r, d, nil
		}
		kids, _ := d["Kids"].(Array)
		if len(kids) == 0 {
			return Ref{}, nil, errors.New("document has no pages")
		}
		node = kids[0]
	}
	return Ref{}, nil, errors.New("page tree too deep")
}

func copyDict(d Dict) Dict {
	out := make(Dict, len(d))
	for k, v := range d {
		if k != dupKey {
			out[k] = v
		}
	}
	return out
}

func pdfDate(t time.Time) string {
	t = t.UTC()
	return t.Format("D:20060102150405") + "+00'00'"
}

// writeTextString writes a PDF text string, UTF-16BE when not ASCII.
func writeTextString(w *bytes.Buffer, s string) {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		writeLiteral(w, []byte(s))
		return
	}
	u := utf16.Encode([]rune(s))
	b := []byte{0xfe, 0xff}
	for _, x := range u {
		b = append(b, byte(x>>8), byte(x))
	}
	w.WriteByte('<')
	w.WriteString(hex.EncodeToString(b))
	w.WriteByte('>')
}

func writeLiteral(w *bytes.Buffer, b []byte) {
	w.WriteByte('(')
	for _, c := range b {
		switch c {
		case '(', ')', '\\':
			w.WriteByte('\\')
			w.WriteByte(c)
		case '\r':
			w.WriteString(`\r`)
		case '\n':
			w.WriteString(`\n`)
		default:
			w.WriteByte(c)
		}
	}
	w.WriteByte(')')
}

// serialize writes a direct object in PDF syntax. Streams are not supported
// (the signer never rewrites one).
func serialize(v any) []byte {
	var b bytes.Buffer
	writeObject(&b, v)
	return b.Bytes()
}

func writeObject(w *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		w.WriteString("null")
	case bool:
		w.WriteString(strconv.FormatBool(x))
	case int64:
		w.WriteString(strconv.FormatInt(x, 10))
	case float64:
		w.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
	case Name:
		writeName(w, x)
	case String:
		if x.Hex {
			w.WriteByte('<')
			w.WriteString(hex.EncodeToString(x.Value))
			w.WriteByte('>')
		} else {
			writeLiteral(w, x.Value)
		}
	case Ref:
		fmt.Fprintf(w, "%d %d R", x.Num, x.Gen)
	case Array:
		w.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				w.WriteByte(' ')
			}
			writeObject(w, e)
		}
		w.WriteByte(']')
	case Dict:
		keys := make([]string, 0, len(x))
		for k := range x {
			if k != dupKey {
				keys = append(keys, string(k))
			}
		}
		sort.Strings(keys)
		w.WriteString("<<")
		for _, k := range keys {
			writeName(w, Name(k))
			w.WriteByte(' ')
			writeObject(w, x[Name(k)])
		}
		w.WriteString(">>")
	default:
		w.WriteString("null")
	}
}

func writeName(w *bytes.Buffer, n Name) {
	w.WriteByte('/')
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c < 0x21 || c > 0x7e || c == '#' || isDelim(c) {
			fmt.Fprintf(w, "#%02X", c)
		} else {
			w.WriteByte(c)
		}
	}
}
