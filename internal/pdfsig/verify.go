// Package pdfsig verifies and creates signatures embedded in PDF files
// (PAdES baseline: adbe.pkcs7.detached, ETSI.CAdES.detached and document
// timestamps). Every input is treated as hostile: the parser is bounded in
// size, objects, nesting and time, and the verdict explains itself with a
// stable reason code.
//
// A signature that does not cover the whole file is accepted only if every
// byte after it belongs to incremental updates that add what PAdES allows
// after signing: a DSS with validation data, document timestamps and
// further signature fields (each verified itself), plus the catalog,
// AcroForm, page /Annots and document-information changes needed to
// reference them. Objects are compared with the signed revision one by one,
// including those an attacker re-points with an xref section alone, so the
// shadow attacks (hide, replace, hide-and-replace) and plain appended
// content are all modified_after_signing.
//
// Validation time is the time of a verified RFC 3161 timestamp on the
// signature when there is one, otherwise the signer's signingTime attribute
// (reported as self-asserted). Timestamp authorities must chain to the same
// trust anchors as signers.
package pdfsig

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf16"
)

// RevocationPolicy says what to do when a certificate's revocation status
// cannot be established.
type RevocationPolicy string

// Revocation policies.
const (
	// RevocationPrefer accepts the signature with a warning when no
	// revocation data can be obtained. It is the library's default; the
	// server defaults to RevocationRequire outside demo mode.
	RevocationPrefer RevocationPolicy = "prefer"
	// RevocationRequire reports revocation_unknown when the status of a
	// certificate that names an OCSP responder or a CRL could not be
	// established. A certificate that names neither cannot be checked by
	// anyone; it is accepted with a warning, as under prefer.
	RevocationRequire RevocationPolicy = "require"
	// RevocationOff skips revocation checking entirely.
	RevocationOff RevocationPolicy = "off"
)

// DefaultFetchTimeout bounds each CRL or OCSP fetch unless
// Options.FetchTimeout says otherwise.
const DefaultFetchTimeout = 5 * time.Second

// Options configures a Verifier. The zero value trusts nothing.
type Options struct {
	// TrustAnchors are the root certificates signatures must chain to.
	TrustAnchors []*x509.Certificate
	// Roots, when set, is used in addition to TrustAnchors.
	Roots *x509.CertPool
	// Intermediates may complete chains whose signatures omit them.
	Intermediates []*x509.Certificate
	// Revocation is the revocation policy; empty means RevocationPrefer.
	Revocation RevocationPolicy
	// Limits bound the work on one file (zero fields: DefaultLimits).
	Limits
	// Now returns the current time (default time.Now).
	Now func() time.Time
	// HTTPClient fetches CRLs for certificates without embedded revocation
	// data. Fetching happens only for hosts listed in AllowedHosts.
	HTTPClient *http.Client
	// AllowedHosts lists the host names (optionally host:port) CRLs may be
	// fetched from. Empty disables fetching.
	AllowedHosts []string
	// FetchTimeout bounds each fetch (default 5 s).
	FetchTimeout time.Duration
}

// Verifier checks PDF signatures. It is safe for concurrent use.
type Verifier struct {
	opts          Options
	roots         *x509.CertPool
	intermediates []*x509.Certificate
	ocsp          *ocspCache
	// noRecover lets panics through, so the fuzzer sees them.
	noRecover bool
}

// NewVerifier validates opts and returns a Verifier.
func NewVerifier(opts Options) (*Verifier, error) {
	switch opts.Revocation {
	case "":
		opts.Revocation = RevocationPrefer
	case RevocationPrefer, RevocationRequire, RevocationOff:
	default:
		return nil, fmt.Errorf("pdfsig: unknown revocation policy %q", opts.Revocation)
	}
	if opts.MaxSize < 0 {
		return nil, errors.New("pdfsig: negative MaxSize")
	}
	opts.Limits = opts.Limits.withDefaults()
	if opts.FetchTimeout <= 0 {
		opts.FetchTimeout = DefaultFetchTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: opts.FetchTimeout}
	}
	roots := opts.Roots
	if roots == nil {
		roots = x509.NewCertPool()
	} else {
		roots = roots.Clone()
	}
	for _, c := range opts.TrustAnchors {
		roots.AddCert(c)
	}
	return &Verifier{opts: opts, roots: roots, intermediates: opts.Intermediates, ocsp: &ocspCache{}}, nil
}

// VerifyFile verifies the file at path. The report's File is the path.
func (v *Verifier) VerifyFile(ctx context.Context, path string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	rep, err := v.Verify(ctx, f, fi.Size())
	if rep != nil {
		rep.File = path
	}
	return rep, err
}

// Verify reads size bytes from r and verifies every signature in them. A
// hostile or broken file yields a report, never an error; errors are for
// I/O failures and a cancelled context.
func (v *Verifier) Verify(ctx context.Context, r io.ReaderAt, size int64) (*Report, error) {
	if size < 0 {
		return nil, errors.New("pdfsig: negative size")
	}
	if size > v.opts.MaxSize {
		rep := &Report{Signatures: []SignatureReport{}}
		rep.set(ReasonTooLarge, fmt.Sprintf("file has %d bytes, limit is %d", size, v.opts.MaxSize))
		return rep, nil
	}
	// The file is read into memory exactly once; parsing and hashing work on
	// that buffer without further copies.
	data := make([]byte, size)
	if n, err := r.ReadAt(data, 0); n != len(data) {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("pdfsig: read: %w", err)
	}
	return v.VerifyBytes(ctx, data)
}

// VerifyBytes verifies a file already in memory. data is not modified or
// retained.
func (v *Verifier) VerifyBytes(ctx context.Context, data []byte) (rep *Report, err error) {
	defer func() {
		// The parser is written not to panic; this is the last line of
		// defence so that one hostile upload cannot take the server down.
		if v.noRecover {
			return
		}
		if p := recover(); p != nil {
			rep = &Report{Signatures: []SignatureReport{}}
			rep.set(ReasonMalformed, fmt.Sprintf("internal error: %v\n%s", p, debug.Stack()))
			err = nil
		}
	}()
	if int64(len(data)) > v.opts.MaxSize {
		rep := &Report{Signatures: []SignatureReport{}}
		rep.set(ReasonTooLarge, fmt.Sprintf("file has %d bytes, limit is %d", len(data), v.opts.MaxSize))
		return rep, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := v.opts.Now
	b := v.opts.Limits.budget(ctx)
	st := &verifyState{v: v, data: data, b: b, ctx: ctx, now: now()}
	rep = st.run()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return rep, nil
}

type verifyState struct {
	v    *Verifier
	data []byte
	b    *budget
	ctx  context.Context
	now  time.Time
	doc  *document
	sigs []sigRef
	// signedDocs caches the document view at each signed revision end.
	signedDocs map[int64]*document
	// partialErr is set when the file as a whole does not parse and doc is
	// an earlier revision that does.
	partialErr error
}

// openLatestRevision opens the newest revision that parses. When the whole
// file does not parse, earlier revisions (prefixes ending at %%EOF) are
// tried so that a broken update appended to a signed file is reported as a
// modification rather than hiding the signature behind a parse error.
func openLatestRevision(data []byte, b *budget, maxObjs int) (*document, error, error) {
	doc, err := openDocument(data, b, maxObjs)
	if err == nil || errors.Is(err, errBudget) || errors.Is(err, errNotPDF) {
		return doc, nil, err
	}
	end := len(data)
	for i := 0; i < 16; i++ {
		k := bytes.LastIndex(data[:end], []byte("%%EOF"))
		if k <= 0 {
			break
		}
		end = k
		d, err2 := openDocument(data[:k+5], b, maxObjs)
		if err2 == nil {
			return d, err, nil
		}
		if errors.Is(err2, errBudget) {
			return nil, nil, err2
		}
	}
	return nil, nil, err
}

func (st *verifyState) run() *Report {
	rep := &Report{Signatures: []SignatureReport{}}
	if !hasPDFHeader(st.data) {
		rep.set(ReasonNotPDF, "no %PDF- header")
		return rep
	}
	doc, partialErr, err := openLatestRevision(st.data, st.b, st.v.opts.MaxObjects)
	if err != nil {
		rep.set(parseReason(err, ReasonNotPDF), err.Error())
		return rep
	}
	st.doc = doc
	st.partialErr = partialErr
	if _, enc := doc.trailer["Encrypt"]; enc {
		rep.set(ReasonEncrypted, "trailer has /Encrypt")
		return rep
	}
	sigs, err := findSignatures(doc)
	if err != nil {
		rep.set(parseReason(err, ReasonMalformed), err.Error())
		return rep
	}
	if len(sigs) == 0 {
		if at, ok := st.earlierSignature(); ok {
			rep.set(ReasonModifiedAfterSigning, fmt.Sprintf("the revision ending at %d was signed; later updates removed the signature", at))
			return rep
		}
		rep.set(ReasonUnsigned, "no signature field with a value")
		return rep
	}
	st.sigs = sigs
	var firstInvalid, firstIndet *SignatureReport
	for i := range sigs {
		sr := st.checkSignature(&sigs[i])
		rep.Signatures = append(rep.Signatures, sr)
	}
	for i := range rep.Signatures {
		sr := &rep.Signatures[i]
		if sr.Revocation == RevocationUnknown && sr.Status == StatusValid {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("signature %d: revocation status could not be obtained", i+1))
		}
		if sr.Kind == kindDocTimestamp && sr.Status == StatusIndeterminate {
			// A document timestamp proves time, not authorship: an untrusted
			// TSA weakens the proof but does not make the document suspect.
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("document timestamp %d: %s", i+1, sr.Detail))
			continue
		}
		switch sr.Status {
		case StatusInvalid:
			if firstInvalid == nil {
				firstInvalid = sr
			}
		case StatusIndeterminate:
			if firstIndet == nil {
				firstIndet = sr
			}
		}
	}
	switch {
	case firstInvalid != nil:
		rep.set(firstInvalid.Reason, firstInvalid.Detail)
	case firstIndet != nil:
		rep.set(firstIndet.Reason, firstIndet.Detail)
	default:
		approval := false
		for _, s := range rep.Signatures {
			if s.Kind == kindSignature {
				approval = true
			}
		}
		if !approval {
			rep.set(ReasonUnsigned, "only document timestamps, no signature")
			return rep
		}
		rep.set(ReasonNone, "")
	}
	return rep
}

// earlierSignature looks for a signature in earlier revisions, which a later
// update may have unhooked from the catalog to pass the file off as unsigned
// (or as signed by someone else).
func (st *verifyState) earlierSignature() (int64, bool) {
	end := len(st.data)
	for i := 0; i < 16; i++ {
		k := bytes.LastIndex(st.data[:end], []byte("%%EOF"))
		if k <= 0 {
			return 0, false
		}
		end = k
		d, err := openDocument(st.data[:k+5], st.b, st.v.opts.MaxObjects)
		if err != nil {
			continue
		}
		if sigs, err := findSignatures(d); err == nil && len(sigs) > 0 {
			return int64(k + 5), true
		}
	}
	return 0, false
}

func parseReason(err error, def Reason) Reason {
	if errors.Is(err, errBudget) {
		return ReasonTooLarge
	}
	return def
}

const (
	kindSignature    = "signature"
	kindDocTimestamp = "document_timestamp"
)

// sigRef is a signature value found through the AcroForm.
type sigRef struct {
	field    string
	fieldNum int // object number of the field, 0 when direct
	dictNum  int // object number of the signature dictionary, 0 when direct
	dict     Dict
	widgets  []int // object numbers of the field's widget annotations
}

// findSignatures walks the AcroForm field tree of the current revision.
func findSignatures(d *document) ([]sigRef, error) {
	root, err := d.dictErr(d.trailer["Root"])
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, &syntaxError{off: -1, msg: "no catalog"}
	}
	acro := d.dict(root["AcroForm"])
	if acro == nil {
		return nil, nil
	}
	fieldsObj, err := d.resolve(acro["Fields"])
	if err != nil {
		return nil, err
	}
	fields, _ := fieldsObj.(Array)
	var sigs []sigRef
	seenField := map[int]bool{}
	seenDict := map[int]bool{}
	var walk func(node any, parentFT Name, prefix string, depth int) error
	walk = func(node any, parentFT Name, prefix string, depth int) error {
		if err := d.b.step(1); err != nil {
			return err
		}
		if depth > 32 {
			return errBudget
		}
		num := 0
		if r, ok := node.(Ref); ok {
			if seenField[r.Num] {
				return nil
			}
			seenField[r.Num] = true
			num = r.Num
		}
		f := d.dict(node)
		if f == nil {
			return nil
		}
		ft := parentFT
		if n := f.name("FT"); n != "" {
			ft = n
		}
		name := prefix
		if t, ok := f["T"].(String); ok {
			if name != "" {
				name += "."
			}
			name += decodeText(t.Value)
		}
		kids, _ := f["Kids"].(Array)
		if k, ok := f["Kids"].(Ref); ok {
			if ko, err := d.resolve(k); err == nil {
				kids, _ = ko.(Array)
			}
		}
		if ft == "Sig" {
			if v, ok := f["V"]; ok && v != nil {
				s := sigRef{field: name, fieldNum: num}
				if r, ok := v.(Ref); ok {
					s.dictNum = r.Num
				}
				s.dict = d.dict(v)
				if s.dict != nil && (s.dictNum == 0 || !seenDict[s.dictNum]) {
					if s.dictNum != 0 {
						seenDict[s.dictNum] = true
					}
					if f.name("Subtype") == "Widget" && num != 0 {
						s.widgets = append(s.widgets, num)
					}
					for _, k := range kids {
						if r, ok := k.(Ref); ok {
							s.widgets = append(s.widgets, r.Num)
						}
					}
					sigs = append(sigs, s)
				}
				if s.dict == nil {
					sigs = append(sigs, s)
				}
			}
		}
		for _, k := range kids {
			if err := walk(k, ft, name, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	for _, f := range fields {
		if err := walk(f, "", "", 0); err != nil {
			return nil, err
		}
	}
	return sigs, nil
}

// decodeText decodes a PDF text string (UTF-16BE with BOM, else PDFDoc,
// approximated by Latin-1).
func decodeText(b []byte) string {
	if len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff {
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	}
	if len(b) >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf {
		return string(b[3:])
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// checkSignature verifies one signature and returns its report.
func (st *verifyState) checkSignature(s *sigRef) SignatureReport {
	sr := SignatureReport{Field: s.field, Kind: kindSignature, SigningTimeSource: TimeSourceNone, Revocation: RevocationNotChecked}
	if s.dict == nil {
		sr.fail(ReasonMalformed, "signature value is not a dictionary")
		return sr
	}
	sd := s.dict
	sr.SubFilter = string(sd.name("SubFilter"))
	if sd.name("Type") == "DocTimeStamp" || sr.SubFilter == "ETSI.RFC3161" {
		sr.Kind = kindDocTimestamp
	}
	if _, dup := sd[dupKey]; dup {
		sr.fail(ReasonMalformed, "signature dictionary repeats a key")
		return sr
	}
	// ByteRange: exactly two ranges, starting at 0, the gap being exactly the
	// /Contents hex string of this very dictionary, inside the file.
	brArr, ok := sd["ByteRange"].(Array)
	if !ok || len(brArr) != 4 {
		sr.fail(ReasonMalformed, "/ByteRange missing or not four integers")
		return sr
	}
	var br [4]int64
	for i, x := range brArr {
		n, ok := x.(int64)
		if !ok || n < 0 {
			sr.fail(ReasonMalformed, "/ByteRange has a non-integer or negative value")
			return sr
		}
		br[i] = n
	}
	sr.ByteRange = br[:]
	size := int64(len(st.data))
	a, b, c := br[1], br[2], br[3]
	if br[0] != 0 {
		sr.fail(ReasonMalformed, "/ByteRange does not start at 0")
		return sr
	}
	if a <= 0 || b <= a || b > size || c > size-b {
		sr.fail(ReasonMalformed, "/ByteRange ranges overlap, are empty or lie beyond the end of the file")
		return sr
	}
	contents, ok := sd["Contents"].(String)
	if !ok || !contents.Hex || len(contents.Value) == 0 {
		sr.fail(ReasonMalformed, "/Contents missing, empty or not a hex string")
		return sr
	}
	if contents.Start != a || contents.End != b {
		sr.fail(ReasonMalformed, fmt.Sprintf("/ByteRange gap [%d,%d) is not the /Contents string [%d,%d)", a, b, contents.Start, contents.End))
		return sr
	}
	end := b + c
	sr.CoveredBytes = a + c
	sr.WholeFile = isBlank(st.data[end:])
	ranges := [][]byte{st.data[:a], st.data[b:end]}

	switch sr.SubFilter {
	case "adbe.pkcs7.detached", "ETSI.CAdES.detached":
		if sr.Kind == kindDocTimestamp {
			sr.fail(ReasonMalformed, "document timestamp with a CMS signature SubFilter")
			return sr
		}
		st.checkCMSSignature(&sr, contents.Value, ranges, sr.SubFilter == "ETSI.CAdES.detached")
	case "ETSI.RFC3161":
		st.checkDocTimestamp(&sr, contents.Value, ranges)
	default:
		sr.fail(ReasonUnsupportedSubFilter, fmt.Sprintf("SubFilter %q is not supported", sr.SubFilter))
		return sr
	}
	if sr.Status == StatusInvalid {
		return sr
	}
	if !sr.WholeFile {
		if st.partialErr != nil {
			sr.fail(ReasonModifiedAfterSigning, "data added after signing does not parse: "+st.partialErr.Error())
			return sr
		}
		if err := st.checkLaterUpdates(end); err != nil {
			if errors.Is(err, errBudget) {
				sr.fail(ReasonTooLarge, err.Error())
			} else {
				sr.fail(ReasonModifiedAfterSigning, err.Error())
			}
		}
	}
	return sr
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if !isWhite(c) {
			return false
		}
	}
	return true
}

// digestRanges hashes the signed ranges. Each byte is hashed once per call.
func digestRanges(h crypto.Hash, ranges [][]byte) []byte {
	hh := h.New()
	for _, r := range ranges {
		hh.Write(r)
	}
	return hh.Sum(nil)
}

func reasonOf(err error) Reason {
	var ce *cmsError
	if errors.As(err, &ce) {
		return ce.reason
	}
	return ReasonMalformed
}

func (st *verifyState) checkCMSSignature(sr *SignatureReport, der []byte, ranges [][]byte, cades bool) {
	p, err := parseCMS(der)
	if err != nil {
		sr.fail(reasonOf(err), err.Error())
		return
	}
	describeSigner(sr, p.signer)
	h, err := hashFor(p.si.DigestAlgorithm.Algorithm)
	if err != nil {
		sr.fail(reasonOf(err), err.Error())
		return
	}
	sr.DigestAlgorithm = hashName(h)
	if !p.eContentType.Equal(oidData) || p.eContent != nil {
		sr.fail(ReasonMalformed, "detached signature must have id-data content and no eContent")
		return
	}
	res, err := p.verify(digestRanges(h, ranges), cades)
	if err != nil {
		sr.fail(reasonOf(err), err.Error())
		return
	}
	sr.SignatureAlgorithm = res.sigAlg
	if cades {
		if v2, _ := attrValue(p.signedAttrs, oidAttrSigningCertV2); v2 == nil {
			if v1, _ := attrValue(p.signedAttrs, oidAttrSigningCert); v1 == nil {
				sr.fail(ReasonMalformed, "CAdES signature without signing-certificate attribute")
				return
			}
		}
	}

	// Validation time: a verified timestamp over the signature value proves
	// when it existed; otherwise the signer's own claim is all there is.
	valTime := st.now
	sr.SigningTimeSource = TimeSourceNone
	var tsErr error
	if tok, _ := attrValue(p.unsigned, oidAttrTimeStampToken); tok != nil {
		tr, err := verifyTimestampToken(tok, func(th crypto.Hash) []byte {
			hh := th.New()
			hh.Write(p.si.Signature)
			return hh.Sum(nil)
		})
		if err == nil {
			_, reason, detail := st.v.verifyChain(tr.cms.signer, tr.cms.certs, tr.genTime, true)
			if reason != ReasonNone {
				err = fmt.Errorf("timestamp authority: %s", detail)
			}
		}
		if err == nil {
			t := tr.genTime
			valTime = t
			sr.SigningTime = &t
			sr.SigningTimeSource = TimeSourceTimestamp
		} else {
			tsErr = err
		}
	}
	if sr.SigningTimeSource == TimeSourceNone && !res.signingTime.IsZero() {
		t := res.signingTime
		valTime = t
		sr.SigningTime = &t
		sr.SigningTimeSource = TimeSourceSignedAttribute
		sr.SelfAsserted = true
	}
	if valTime.After(st.now) {
		// A claimed signing time in the future is not a proof of anything.
		valTime = st.now
	}
	chain, reason, detail := st.v.verifyChain(p.signer, p.certs, valTime, false)
	if reason != ReasonNone {
		if tsErr != nil {
			detail += "; timestamp ignored: " + tsErr.Error()
		}
		sr.fail(reason, detail)
		return
	}
	embedded := st.embeddedRevocation(p)
	// Fetching revocation data is bounded by FetchTimeout, not by the
	// parsing time budget.
	resume := st.b.pause()
	rs := st.v.checkRevocation(st.ctx, chain, valTime, sr.SigningTimeSource == TimeSourceTimestamp, embedded)
	resume()
	sr.Revocation = rs.status
	sr.RevocationSource = rs.source
	switch {
	case rs.status == RevocationRevoked:
		sr.fail(ReasonCertRevoked, rs.detail)
		return
	case rs.status == RevocationUnknown && rs.locatable && st.v.opts.Revocation == RevocationRequire:
		sr.fail(ReasonRevocationUnknown, rs.detail)
		return
	}
	sr.Status = StatusValid
	sr.Reason = ReasonNone
	sr.Message = ReasonNone.Message()
	if tsErr != nil {
		sr.Detail = "timestamp ignored: " + tsErr.Error()
	}
}

func (st *verifyState) checkDocTimestamp(sr *SignatureReport, der []byte, ranges [][]byte) {
	tr, err := verifyTimestampToken(der, func(h crypto.Hash) []byte { return digestRanges(h, ranges) })
	if err != nil {
		sr.fail(reasonOf(err), err.Error())
		return
	}
	describeSigner(sr, tr.cms.signer)
	h, _ := hashFor(tr.cms.si.DigestAlgorithm.Algorithm)
	sr.DigestAlgorithm = hashName(h)
	t := tr.genTime
	sr.SigningTime = &t
	sr.SigningTimeSource = TimeSourceTimestamp
	if _, reason, detail := st.v.verifyChain(tr.cms.signer, tr.cms.certs, t, true); reason != ReasonNone {
		sr.fail(reason, detail)
		return
	}
	sr.Status = StatusValid
	sr.Reason = ReasonNone
	sr.Message = ReasonNone.Message()
}

func describeSigner(sr *SignatureReport, c *x509.Certificate) {
	sr.SignerName = c.Subject.CommonName
	sr.SignerOrganization = strings.Join(c.Subject.Organization, ", ")
	sr.Issuer = c.Issuer.String()
	sr.Serial = formatSerial(c.SerialNumber)
}

func formatSerial(n *big.Int) string {
	if n == nil {
		return ""
	}
	b := n.Bytes()
	if len(b) == 0 {
		return "00"
	}
	return strings.ToUpper(fmt.Sprintf("%x", b))
}

// verifyChain builds a path from leaf to a trust anchor valid at t.
func (v *Verifier) verifyChain(leaf *x509.Certificate, extra []*x509.Certificate, t time.Time, timestamping bool) ([]*x509.Certificate, Reason, string) {
	inter := x509.NewCertPool()
	for _, c := range v.intermediates {
		inter.AddCert(c)
	}
	for _, c := range extra {
		if !bytes.Equal(c.Raw, leaf.Raw) {
			inter.AddCert(c)
		}
	}
	usage := []x509.ExtKeyUsage{x509.ExtKeyUsageAny}
	if timestamping {
		usage = []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}
	}
	opts := x509.VerifyOptions{Roots: v.roots, Intermediates: inter, CurrentTime: t, KeyUsages: usage}
	chains, err := leaf.Verify(opts)
	if err != nil {
		// Distinguish "no path" from "path exists but a certificate is out of
		// its validity period at t" by retrying inside the leaf's validity.
		opts.CurrentTime = leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)
		if alt, err2 := leaf.Verify(opts); err2 == nil {
			for _, c := range alt[0] {
				if t.Before(c.NotBefore) {
					return nil, ReasonCertNotYetValid, fmt.Sprintf("certificate %q is not valid before %s (validation time %s)", c.Subject.CommonName, c.NotBefore.UTC().Format(time.RFC3339), t.UTC().Format(time.RFC3339))
				}
			}
			for _, c := range alt[0] {
				if t.After(c.NotAfter) {
					return nil, ReasonCertExpired, fmt.Sprintf("certificate %q expired at %s (validation time %s)", c.Subject.CommonName, c.NotAfter.UTC().Format(time.RFC3339), t.UTC().Format(time.RFC3339))
				}
			}
		}
		var ie x509.CertificateInvalidError
		if errors.As(err, &ie) && ie.Reason == x509.Expired {
			if t.Before(leaf.NotBefore) {
				return nil, ReasonCertNotYetValid, err.Error()
			}
			return nil, ReasonCertExpired, err.Error()
		}
		return nil, ReasonUntrustedSigner, err.Error()
	}
	if leaf.KeyUsage != 0 && leaf.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
		return nil, ReasonUntrustedSigner, "signer certificate is not allowed to sign (key usage)"
	}
	return chains[0], ReasonNone, ""
}
