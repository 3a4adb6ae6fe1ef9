package pdfsig

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

func TestSignAndVerifyValid(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	rsa := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "Trần Thị Bình", Organization: "UBND Quận 1", Key: pdfsigtest.RSA2048})
	p384 := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "Lê Văn Cường", Key: pdfsigtest.ECDSAP384})
	cases := []struct {
		name      string
		pdf       pdfsigtest.PDFOptions
		leaf      *pdfsigtest.Leaf
		mod       func(*SignOptions)
		sigAlg    string
		subFilter string
	}{
		{name: "ecdsa-cades", leaf: tb.h.Officer, sigAlg: "ECDSA P-256 SHA-256", subFilter: "ETSI.CAdES.detached"},
		{name: "ecdsa-objstm-input", pdf: pdfsigtest.PDFOptions{ObjectStreams: true}, leaf: tb.h.Agency, sigAlg: "ECDSA P-256 SHA-256", subFilter: "ETSI.CAdES.detached"},
		{name: "rsa-pkcs1-adbe", leaf: rsa, mod: func(o *SignOptions) { o.SubFilter = "adbe.pkcs7.detached" }, sigAlg: "RSA-2048 PKCS#1 v1.5 SHA-256", subFilter: "adbe.pkcs7.detached"},
		{name: "rsa-pss", leaf: rsa, mod: func(o *SignOptions) { o.PSS = true }, sigAlg: "RSA-2048 PSS SHA-256", subFilter: "ETSI.CAdES.detached"},
		{name: "ecdsa-p384", leaf: p384, sigAlg: "ECDSA P-384 SHA-256", subFilter: "ETSI.CAdES.detached"},
		{name: "legacy-pkcs7-no-signed-attrs", leaf: rsa, mod: func(o *SignOptions) { o.SubFilter = "adbe.pkcs7.detached"; o.noAttrs = true }, sigAlg: "RSA-2048 PKCS#1 v1.5 SHA-256", subFilter: "adbe.pkcs7.detached"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			signed := signPDF(t, pdfsigtest.NewPDF(tc.pdf), tc.leaf, tc.mod)
			rep := verify(t, tb.verifier(t, nil), signed)
			wantReason(t, rep, ReasonNone)
			if len(rep.Signatures) != 1 {
				t.Fatalf("%d signatures", len(rep.Signatures))
			}
			s := rep.Signatures[0]
			if s.SignerName != tc.leaf.Cert.Subject.CommonName || s.Serial == "" || !strings.Contains(s.Issuer, pdfsigtest.IntermediateName) {
				t.Errorf("signer = %q serial %q issuer %q", s.SignerName, s.Serial, s.Issuer)
			}
			if s.SignatureAlgorithm != tc.sigAlg || s.DigestAlgorithm != "SHA-256" || s.SubFilter != tc.subFilter {
				t.Errorf("algorithms = %q %q %q", s.SignatureAlgorithm, s.DigestAlgorithm, s.SubFilter)
			}
			if !s.WholeFile || s.CoveredBytes != int64(len(signed))-int64(s.ByteRange[2]-s.ByteRange[1]) {
				t.Errorf("coverage whole=%v covered=%d of %d", s.WholeFile, s.CoveredBytes, len(signed))
			}
			if tc.mod == nil || !strings.Contains(tc.name, "no-signed-attrs") {
				if s.SigningTimeSource != TimeSourceSignedAttribute || !s.SelfAsserted || !s.SigningTime.Equal(epoch.Add(-time.Hour)) {
					t.Errorf("signing time %v source %q self-asserted %v", s.SigningTime, s.SigningTimeSource, s.SelfAsserted)
				}
			}
			if s.Field != "Signature1" {
				t.Errorf("field = %q", s.Field)
			}
		})
	}
}

func TestReportJSON(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	signed := signPDF(t, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{}), tb.h.Officer, nil)
	rep := verify(t, tb.verifier(t, nil), signed)
	rep.File = "ket-qua.pdf"
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"file", "status", "reason", "message", "signatures"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	if m["status"] != "valid" || m["file"] != "ket-qua.pdf" {
		t.Errorf("JSON = %s", b)
	}
}

func TestReasonMessagesAreVietnamese(t *testing.T) {
	t.Parallel()
	seen := map[string]Reason{}
	for _, r := range Reasons() {
		m := r.Message()
		if m == "" || !strings.ContainsAny(m, "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý") {
			t.Errorf("%q: message %q lacks Vietnamese diacritics", r, m)
		}
		if prev, dup := seen[m]; dup {
			t.Errorf("%q and %q share a message", r, prev)
		}
		seen[m] = r
	}
	if ReasonModifiedAfterSigning.Message() != "Tệp tin đã bị chỉnh sửa sau khi ký số." {
		t.Errorf("modified message = %q", ReasonModifiedAfterSigning.Message())
	}
}

// TestRejections is the issue's table of files that must be refused, each
// with its exact reason.
func TestRejections(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	base := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{})
	signed := signPDF(t, base, tb.h.Officer, nil)
	root, _ := catalogWith(t, signed, nil)
	size := nextObjNum(t, signed)
	brAt, brLen, hexStart, hexEnd := sigDict(t, signed)
	a, b := hexStart-1, hexEnd+1
	c := len(signed) - b

	lookAlike := tb.h.LookAlikeIntermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: tb.h.Officer.Cert.Subject.CommonName, Organization: "UBND phường Bến Nghé"})
	expired := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "Hết hạn", NotBefore: epoch.AddDate(-2, 0, 0), NotAfter: epoch.AddDate(0, -1, 0)})
	future := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "Chưa hiệu lực", NotBefore: epoch.AddDate(0, 1, 0), NotAfter: epoch.AddDate(1, 0, 0)})
	weakRSA := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "RSA 1024", Key: pdfsigtest.RSA1024})
	noSignUsage := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "Chỉ mã hóa", KeyUsage: x509.KeyUsageKeyEncipherment})

	flipSig := func(t *testing.T) []byte {
		p, err := parseCMS(cmsOf(t, signed))
		if err != nil {
			t.Fatal(err)
		}
		der := cmsOf(t, signed)
		i := bytes.Index(der, p.si.Signature)
		der[i+len(p.si.Signature)-1] ^= 0xff
		return withCMS(t, signed, der)
	}

	cases := []struct {
		name string
		file func(t *testing.T) []byte
		opts func(*Options)
		want Reason
	}{
		{"one byte changed in signed range", func(t *testing.T) []byte {
			return replaceOnce(t, signed, "(Ket qua", "(Ket quA")
		}, nil, ReasonDigestMismatch},
		{"one byte changed after contents", func(t *testing.T) []byte {
			out := append([]byte(nil), signed...)
			i := bytes.LastIndex(out, []byte("/M("))
			out[i+5]++ // a digit of the signing date, in the second range
			return out
		}, nil, ReasonDigestMismatch},
		{"page text replaced by update", func(t *testing.T) []byte {
			content := "BT /F1 18 Tf 72 760 Td (Ket qua: KHONG DUOC DUYET) Tj ET"
			return pdfsigtest.AppendUpdate(signed, root, size, "", pdfsigtest.Object{Num: 4, Body: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content), content)})
		}, nil, ReasonModifiedAfterSigning},
		{"overlay added by update", func(t *testing.T) []byte {
			content := "q 1 1 1 rg 0 0 595 842 re f Q BT /F1 18 Tf 72 760 Td (Gia mao) Tj ET"
			return pdfsigtest.AppendUpdate(signed, root, size+1, "",
				pdfsigtest.Object{Num: size, Body: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content), content)},
				pdfsigtest.Object{Num: 3, Body: fmt.Sprintf("<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents[4 0 R %d 0 R]/Resources<</Font<</F1 5 0 R>>>>/Annots[%d 0 R]>>", size, size-1)})
		}, nil, ReasonModifiedAfterSigning},
		{"annotation added by update", func(t *testing.T) []byte {
			return pdfsigtest.AppendUpdate(signed, root, size+1, "",
				pdfsigtest.Object{Num: size, Body: "<</Type/Annot/Subtype/FreeText/Rect[72 700 400 740]/Contents(Da huy)/DA(/Helv 20 Tf 1 0 0 rg)>>"},
				pdfsigtest.Object{Num: 3, Body: fmt.Sprintf("<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[%d 0 R %d 0 R]>>", size-1, size)})
		}, nil, ReasonModifiedAfterSigning},
		{"unsigned form field added by update", func(t *testing.T) []byte {
			return pdfsigtest.AppendUpdate(signed, root, size+1, "",
				pdfsigtest.Object{Num: size, Body: "<</FT/Tx/T(x)/V(Da huy)/Type/Annot/Subtype/Widget/Rect[72 700 400 740]>>"})
		}, nil, ReasonModifiedAfterSigning},
		{"trailing junk", func(t *testing.T) []byte {
			return append(append([]byte(nil), signed...), []byte("BT (Gia mao) Tj ET\n")...)
		}, nil, ReasonModifiedAfterSigning},
		{"xref-only update pointing an object elsewhere", func(t *testing.T) []byte {
			// Point object 5 (the font) at the catalog's body: no new object
			// bytes at all, only a later xref section.
			i := bytes.Index(signed, []byte("\n1 0 obj")) + 1
			fake := append([]byte(nil), signed...)
			upd := fmt.Sprintf("xref\n5 1\n%010d 00000 n\r\ntrailer\n<</Size %d/Root %d 0 R/Prev %d>>\nstartxref\n%d\n%%%%EOF\n", i, size, root, pdfsigtest.LastStartXref(signed), len(fake))
			return append(fake, upd...)
		}, nil, ReasonModifiedAfterSigning},
		{"xref chain skipping a signed-over revision", func(t *testing.T) []byte {
			// Revision 2 replaces the page text before signing; the attacker's
			// update re-lists every object of the signed revision except the
			// text and chains /Prev to revision 1, reviving the old text.
			content := "BT /F1 18 Tf 72 760 Td (Ban chinh thuc) Tj ET"
			r2 := pdfsigtest.AppendUpdate(base, 1, 7, "", pdfsigtest.Object{Num: 4, Body: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content), content)})
			s := signPDF(t, r2, tb.h.Officer, nil)
			d, err := openDocument(s, &budget{maxOps: 1 << 30, maxDepth: 100, maxDecoded: 1 << 30}, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			var upd bytes.Buffer
			fmt.Fprintf(&upd, "xref\n")
			for num, e := range d.xref {
				if e.kind == 1 && num != 4 {
					fmt.Fprintf(&upd, "%d 1\n%010d %05d n\r\n", num, e.off, e.gen)
				}
			}
			sz, _ := d.trailer.int("Size")
			fmt.Fprintf(&upd, "trailer\n<</Size %d/Root 1 0 R/Prev %d>>\nstartxref\n%d\n%%%%EOF\n", sz, pdfsigtest.LastStartXref(base), len(s))
			return append(append([]byte(nil), s...), upd.Bytes()...)
		}, nil, ReasonModifiedAfterSigning},
		{"page replaced inside an object stream update", func(t *testing.T) []byte {
			return pdfsigtest.AppendUpdateObjStm(signed, root, size,
				pdfsigtest.Object{Num: 3, Body: "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Rotate 180>>"})
		}, nil, ReasonModifiedAfterSigning},
		{"catalog replaced by update", func(t *testing.T) []byte {
			return pdfsigtest.AppendUpdate(signed, size, size+1, "",
				pdfsigtest.Object{Num: size, Body: "<</Type/Catalog/Pages 2 0 R>>"})
		}, nil, ReasonModifiedAfterSigning},
		{"byte range not starting at 0", func(t *testing.T) []byte {
			return patchAt(t, signed, brAt, brLen, fmt.Sprintf("/ByteRange[1 %d %d %d]", a-1, b, c))
		}, nil, ReasonMalformed},
		{"byte ranges overlap", func(t *testing.T) []byte {
			return patchAt(t, signed, brAt, brLen, fmt.Sprintf("/ByteRange[0 %d %d %d]", b+10, b, c))
		}, nil, ReasonMalformed},
		{"gap is not the contents", func(t *testing.T) []byte {
			return patchAt(t, signed, brAt, brLen, fmt.Sprintf("/ByteRange[0 %d %d %d]", a-4, b, c))
		}, nil, ReasonMalformed},
		{"gap excludes the delimiters", func(t *testing.T) []byte {
			return patchAt(t, signed, brAt, brLen, fmt.Sprintf("/ByteRange[0 %d %d %d]", a+1, b-1, c+1))
		}, nil, ReasonMalformed},
		{"byte range beyond end of file", func(t *testing.T) []byte {
			return patchAt(t, signed, brAt, brLen, fmt.Sprintf("/ByteRange[0 %d %d %d]", a, b, c+100))
		}, nil, ReasonMalformed},
		{"byte range with three ranges", func(t *testing.T) []byte {
			return patchAt(t, signed, brAt, brLen, fmt.Sprintf("/ByteRange[0 %d %d]", a, b))
		}, nil, ReasonMalformed},
		{"negative byte range", func(t *testing.T) []byte {
			return patchAt(t, signed, brAt, brLen, fmt.Sprintf("/ByteRange[0 %d %d -%d]", a, b, c))
		}, nil, ReasonMalformed},
		{"contents all zeros", func(t *testing.T) []byte {
			return withCMS(t, signed, nil)
		}, nil, ReasonMalformed},
		{"data smuggled after the CMS", func(t *testing.T) []byte {
			der := cmsOf(t, signed)
			n := len(der)
			for n > 0 && der[n-1] == 0 {
				n--
			}
			return withCMS(t, signed, append(der[:n:n], 0x41, 0x41))
		}, nil, ReasonMalformed},
		{"signature value altered", flipSig, nil, ReasonBadSignature},
		{"signature wrapping: signature dictionary moved into a later revision", func(t *testing.T) []byte {
			// Copy the signed dictionary verbatim into a new revision (so its
			// /ByteRange still names the original bytes) together with new
			// page content.
			start := bytes.LastIndex(signed[:brAt], []byte(" 0 obj\n")) + len(" 0 obj\n")
			end := bytes.Index(signed[brAt:], []byte("\nendobj")) + brAt
			numStart := bytes.LastIndexByte(signed[:start-len(" 0 obj\n")], '\n') + 1
			var num int
			fmt.Sscan(string(signed[numStart:start]), &num)
			content := "BT /F1 18 Tf 72 760 Td (Noi dung khac) Tj ET"
			return pdfsigtest.AppendUpdate(signed, root, size, "",
				pdfsigtest.Object{Num: 4, Body: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content), content)},
				pdfsigtest.Object{Num: num, Body: string(signed[start:end])})
		}, nil, ReasonMalformed},
		{"look-alike CA", func(t *testing.T) []byte { return signPDF(t, base, lookAlike, nil) }, nil, ReasonUntrustedSigner},
		{"look-alike CA with trusted intermediate configured", func(t *testing.T) []byte { return signPDF(t, base, lookAlike, nil) },
			func(o *Options) { o.Intermediates = []*x509.Certificate{tb.h.Intermediate.Cert} }, ReasonUntrustedSigner},
		{"no trust anchors", func(t *testing.T) []byte { return signed }, func(o *Options) { o.TrustAnchors = nil }, ReasonUntrustedSigner},
		{"key usage does not allow signing", func(t *testing.T) []byte { return signPDF(t, base, noSignUsage, nil) }, nil, ReasonUntrustedSigner},
		{"expired leaf", func(t *testing.T) []byte { return signPDF(t, base, expired, nil) }, nil, ReasonCertExpired},
		{"not yet valid leaf", func(t *testing.T) []byte { return signPDF(t, base, future, nil) }, nil, ReasonCertNotYetValid},
		{"SHA-1 digest", func(t *testing.T) []byte {
			return signPDF(t, base, tb.h.Officer, func(o *SignOptions) { o.hash = 3 /* crypto.SHA1 */ })
		}, nil, ReasonWeakAlgorithm},
		{"RSA-1024 key", func(t *testing.T) []byte { return signPDF(t, base, weakRSA, nil) }, nil, ReasonWeakAlgorithm},
		{"unsupported SubFilter", func(t *testing.T) []byte {
			return replaceOnce(t, signed, "/SubFilter/ETSI.CAdES.detached", "/SubFilter/adbe.x509.rsa_sha1")
		}, nil, ReasonUnsupportedSubFilter},
		{"encrypted", func(t *testing.T) []byte {
			return pdfsigtest.AppendUpdate(base, 1, 9, "/Encrypt 8 0 R",
				pdfsigtest.Object{Num: 8, Body: "<</Filter/Standard/V 2/R 3/Length 128/O<00>/U<00>/P -4>>"})
		}, nil, ReasonEncrypted},
		{"encrypted and signed", func(t *testing.T) []byte {
			return pdfsigtest.AppendUpdate(signed, root, size+1, "/Encrypt "+fmt.Sprint(size)+" 0 R",
				pdfsigtest.Object{Num: size, Body: "<</Filter/Standard/V 2/R 3/Length 128/O<00>/U<00>/P -4>>"})
		}, nil, ReasonEncrypted},
		{"not a PDF", func(t *testing.T) []byte { return []byte("\x89PNG\r\n\x1a\nnot a pdf at all") }, nil, ReasonNotPDF},
		{"empty file", func(t *testing.T) []byte { return nil }, nil, ReasonNotPDF},
		{"PDF header only", func(t *testing.T) []byte { return []byte("%PDF-1.7\n%%EOF\n") }, nil, ReasonNotPDF},
		{"unsigned", func(t *testing.T) []byte { return base }, nil, ReasonUnsigned},
		{"oversize", func(t *testing.T) []byte { return signed }, func(o *Options) { o.MaxSize = int64(len(signed) - 1) }, ReasonTooLarge},
	}
	// Universal signature forgery: a signature dictionary whose /Contents or
	// /ByteRange is missing, empty or null, added to an unsigned file.
	for _, sd := range []string{
		"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.pkcs7.detached>>",
		"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.pkcs7.detached/ByteRange[0 10 20 30]>>",
		"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.pkcs7.detached/ByteRange[0 10 20 30]/Contents<>>>",
		"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.pkcs7.detached/ByteRange[0 10 20 30]/Contents null>>",
		"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.pkcs7.detached/Contents<3082>>>",
		"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.pkcs7.detached/ByteRange null/Contents<3082>>>",
		"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.pkcs7.detached/ByteRange[]/Contents<3082>>>",
		"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.pkcs7.detached/ByteRange[0 0 0 0]/Contents<3082>>>",
		"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.pkcs7.detached/ByteRange[0 10 20 30]/ByteRange[0 10 20 30]/Contents<3082>>>",
	} {
		cases = append(cases, struct {
			name string
			file func(t *testing.T) []byte
			opts func(*Options)
			want Reason
		}{"universal forgery " + sd, func(t *testing.T) []byte {
			return pdfsigtest.AppendUpdate(base, 1, 11, "",
				pdfsigtest.Object{Num: 1, Body: "<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[9 0 R]/SigFlags 3>>>>"},
				pdfsigtest.Object{Num: 9, Body: "<</FT/Sig/T(Sig)/V 10 0 R/Type/Annot/Subtype/Widget/Rect[0 0 0 0]/P 3 0 R>>"},
				pdfsigtest.Object{Num: 10, Body: sd})
		}, nil, ReasonMalformed})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep := verify(t, tb.verifier(t, tc.opts), tc.file(t))
			wantReason(t, rep, tc.want)
		})
	}
}

// TestAllowedAfterSigning: PAdES lets validation data, document timestamps
// and further signatures follow a signature.
func TestAllowedAfterSigning(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	base := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{})
	signed := signPDF(t, base, tb.h.Officer, nil)

	t.Run("DSS with CRL", func(t *testing.T) {
		t.Parallel()
		size := nextObjNum(t, signed)
		crl := tb.h.Intermediate.CRL(t, epoch.Add(-time.Minute))
		root, cat := catalogWith(t, signed, Dict{"DSS": Ref{Num: size}})
		out := pdfsigtest.AppendUpdate(signed, root, size+2, "",
			pdfsigtest.Object{Num: root, Body: cat},
			pdfsigtest.Object{Num: size, Body: fmt.Sprintf("<</Type/DSS/CRLs[%d 0 R]>>", size+1)},
			pdfsigtest.Object{Num: size + 1, Body: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(crl), crl)})
		rep := verify(t, tb.verifier(t, func(o *Options) { o.Revocation = RevocationRequire }), out)
		// The intermediate itself has no revocation data, but it names no
		// CRL or OCSP responder, so require accepts it with a warning...
		wantReason(t, rep, ReasonNone)
		if s := rep.Signatures[0]; s.Revocation != RevocationUnknown || len(rep.Warnings) == 0 {
			t.Errorf("revocation %q, warnings %q", s.Revocation, rep.Warnings)
		}
		if rep.Signatures[0].WholeFile {
			t.Error("signature reported as covering the whole file")
		}
		// ...while the root's CRL for the intermediate completes the chain.
		rootCRL := tb.h.Root.CRL(t, epoch.Add(-time.Minute))
		out2 := pdfsigtest.AppendUpdate(signed, root, size+3, "",
			pdfsigtest.Object{Num: root, Body: cat},
			pdfsigtest.Object{Num: size, Body: fmt.Sprintf("<</Type/DSS/CRLs[%d 0 R %d 0 R]>>", size+1, size+2)},
			pdfsigtest.Object{Num: size + 1, Body: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(crl), crl)},
			pdfsigtest.Object{Num: size + 2, Body: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(rootCRL), rootCRL)})
		rep = verify(t, tb.verifier(t, func(o *Options) { o.Revocation = RevocationRequire }), out2)
		wantReason(t, rep, ReasonNone)
		if s := rep.Signatures[0]; s.Revocation != RevocationGood || s.RevocationSource != "crl" {
			t.Errorf("revocation %q from %q", s.Revocation, s.RevocationSource)
		}
	})
	t.Run("DSS in an object stream update", func(t *testing.T) {
		t.Parallel()
		size := nextObjNum(t, signed)
		root, cat := catalogWith(t, signed, Dict{"DSS": Ref{Num: size}})
		out := pdfsigtest.AppendUpdateObjStm(signed, root, size+1,
			pdfsigtest.Object{Num: root, Body: cat},
			pdfsigtest.Object{Num: size, Body: "<</Type/DSS/Certs[]>>"})
		rep := verify(t, tb.verifier(t, nil), out)
		wantReason(t, rep, ReasonNone)
		if rep.Signatures[0].WholeFile {
			t.Error("whole file")
		}
	})
	t.Run("DSS with CRL revoking the signer", func(t *testing.T) {
		t.Parallel()
		size := nextObjNum(t, signed)
		crl := tb.h.Intermediate.CRL(t, epoch.Add(-time.Minute), pdfsigtest.Revoked{Cert: tb.h.Officer.Cert, At: epoch.Add(-2 * time.Hour)})
		root, cat := catalogWith(t, signed, Dict{"DSS": Ref{Num: size}})
		out := pdfsigtest.AppendUpdate(signed, root, size+2, "",
			pdfsigtest.Object{Num: root, Body: cat},
			pdfsigtest.Object{Num: size, Body: fmt.Sprintf("<</Type/DSS/CRLs[%d 0 R]>>", size+1)},
			pdfsigtest.Object{Num: size + 1, Body: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(crl), crl)})
		wantReason(t, verify(t, tb.verifier(t, func(o *Options) { o.Revocation = RevocationPrefer }), out), ReasonCertRevoked)
	})
	t.Run("DSS smuggling a change to an existing object", func(t *testing.T) {
		t.Parallel()
		size := nextObjNum(t, signed)
		root, cat := catalogWith(t, signed, Dict{"DSS": Ref{Num: size}})
		content := "BT /F1 18 Tf 72 760 Td (Gia mao) Tj ET"
		out := pdfsigtest.AppendUpdate(signed, root, size+1, "",
			pdfsigtest.Object{Num: root, Body: cat},
			pdfsigtest.Object{Num: size, Body: "<</Type/DSS/Certs[4 0 R]>>"},
			pdfsigtest.Object{Num: 4, Body: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content), content)})
		wantReason(t, verify(t, tb.verifier(t, nil), out), ReasonModifiedAfterSigning)
	})
	t.Run("annotation smuggled in as DSS data", func(t *testing.T) {
		t.Parallel()
		size := nextObjNum(t, signed)
		root, cat := catalogWith(t, signed, Dict{"DSS": Ref{Num: size}})
		out := pdfsigtest.AppendUpdate(signed, root, size+2, "",
			pdfsigtest.Object{Num: root, Body: cat},
			pdfsigtest.Object{Num: size, Body: fmt.Sprintf("<</Type/DSS/Certs[%d 0 R]>>", size+1)},
			pdfsigtest.Object{Num: size + 1, Body: "<</Type/Annot/Subtype/FreeText/Rect[72 700 400 740]/Contents(Da huy)/DA(/Helv 20 Tf 1 0 0 rg)>>"},
			pdfsigtest.Object{Num: 3, Body: fmt.Sprintf("<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[%d 0 R %d 0 R]>>", size-1, size+1)})
		wantReason(t, verify(t, tb.verifier(t, nil), out), ReasonModifiedAfterSigning)
	})
	t.Run("page changed under the name of document information", func(t *testing.T) {
		t.Parallel()
		size := nextObjNum(t, signed)
		root, _ := catalogWith(t, signed, nil)
		out := pdfsigtest.AppendUpdate(signed, root, size, "/Info 3 0 R",
			pdfsigtest.Object{Num: 3, Body: fmt.Sprintf("<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[%d 0 R]/Rotate 90>>", size-1)})
		wantReason(t, verify(t, tb.verifier(t, nil), out), ReasonModifiedAfterSigning)
	})
	t.Run("document information updated", func(t *testing.T) {
		t.Parallel()
		size := nextObjNum(t, signed)
		root, _ := catalogWith(t, signed, nil)
		out := pdfsigtest.AppendUpdate(signed, root, size, "/Info 6 0 R",
			pdfsigtest.Object{Num: 6, Body: "<</Producer(motcua)/ModDate(D:20250601)>>"})
		wantReason(t, verify(t, tb.verifier(t, nil), out), ReasonNone)
	})
	t.Run("catalog change beyond DSS", func(t *testing.T) {
		t.Parallel()
		size := nextObjNum(t, signed)
		root, cat := catalogWith(t, signed, Dict{"DSS": Ref{Num: size}, "OpenAction": Array{Ref{Num: 3}, Name("Fit")}})
		out := pdfsigtest.AppendUpdate(signed, root, size+1, "",
			pdfsigtest.Object{Num: root, Body: cat},
			pdfsigtest.Object{Num: size, Body: "<</Type/DSS>>"})
		wantReason(t, verify(t, tb.verifier(t, nil), out), ReasonModifiedAfterSigning)
	})
	t.Run("second signature", func(t *testing.T) {
		t.Parallel()
		twice := signPDF(t, signed, tb.h.Agency, nil)
		rep := verify(t, tb.verifier(t, nil), twice)
		wantReason(t, rep, ReasonNone)
		if len(rep.Signatures) != 2 || rep.Signatures[0].WholeFile || !rep.Signatures[1].WholeFile {
			t.Fatalf("signatures = %+v", rep.Signatures)
		}
		if rep.Signatures[1].Field != "Signature2" || rep.Signatures[1].SignerName != tb.h.Agency.Cert.Subject.CommonName {
			t.Errorf("second signature %+v", rep.Signatures[1])
		}
		// A second signature from an untrusted signer taints the file.
		bad := signPDF(t, signed, tb.h.LookAlikeIntermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "x"}), nil)
		wantReason(t, verify(t, tb.verifier(t, nil), bad), ReasonUntrustedSigner)
	})
	t.Run("second signature over object-stream input", func(t *testing.T) {
		t.Parallel()
		first := signPDF(t, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{ObjectStreams: true}), tb.h.Officer, nil)
		twice := signPDF(t, first, tb.h.Agency, nil)
		wantReason(t, verify(t, tb.verifier(t, nil), twice), ReasonNone)
	})
}

func TestTimestamps(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	base := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{})
	tsa := tsaLeaf(t, tb)
	// A leaf that expired after signing, at epoch - 30 days.
	shortLived := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "Phạm Thị Dung", NotBefore: epoch.AddDate(-1, 0, 0), NotAfter: epoch.AddDate(0, 0, -30)})
	signedAt := epoch.AddDate(0, 0, -60)

	t.Run("timestamp proves signing before expiry", func(t *testing.T) {
		t.Parallel()
		srv := tsaServer(t, tsa, signedAt.Add(time.Minute))
		out := signPDF(t, base, shortLived, func(o *SignOptions) { o.Time = signedAt; o.TSAURL = srv.URL })
		rep := verify(t, tb.verifier(t, nil), out)
		wantReason(t, rep, ReasonNone)
		s := rep.Signatures[0]
		if s.SigningTimeSource != TimeSourceTimestamp || s.SelfAsserted || !s.SigningTime.Equal(signedAt.Add(time.Minute)) {
			t.Errorf("time %v source %q self-asserted %v (%s)", s.SigningTime, s.SigningTimeSource, s.SelfAsserted, s.Detail)
		}
	})
	t.Run("timestamp after expiry", func(t *testing.T) {
		t.Parallel()
		srv := tsaServer(t, tsa, epoch.Add(-time.Minute))
		out := signPDF(t, base, shortLived, func(o *SignOptions) { o.Time = signedAt; o.TSAURL = srv.URL })
		wantReason(t, verify(t, tb.verifier(t, nil), out), ReasonCertExpired)
	})
	t.Run("self-asserted signing time before expiry", func(t *testing.T) {
		t.Parallel()
		out := signPDF(t, base, shortLived, func(o *SignOptions) { o.Time = signedAt })
		rep := verify(t, tb.verifier(t, nil), out)
		wantReason(t, rep, ReasonNone)
		if s := rep.Signatures[0]; s.SigningTimeSource != TimeSourceSignedAttribute || !s.SelfAsserted {
			t.Errorf("source %q self-asserted %v", s.SigningTimeSource, s.SelfAsserted)
		}
	})
	t.Run("untrusted TSA falls back to signing time", func(t *testing.T) {
		t.Parallel()
		fake := tb.h.LookAlikeIntermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "TSA giả", ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}})
		srv := tsaServer(t, fake, signedAt)
		// The signer claims signedAt, the fake TSA agrees; with the TSA
		// ignored the claim is self-asserted.
		out := signPDF(t, base, tb.h.Officer, func(o *SignOptions) { o.Time = signedAt; o.TSAURL = srv.URL })
		rep := verify(t, tb.verifier(t, nil), out)
		wantReason(t, rep, ReasonNone)
		if s := rep.Signatures[0]; s.SigningTimeSource != TimeSourceSignedAttribute || !strings.Contains(s.Detail, "timestamp ignored") {
			t.Errorf("source %q detail %q", s.SigningTimeSource, s.Detail)
		}
	})
}

func TestRevocationFetch(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	var crls = map[string][]byte{}
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if strings.HasPrefix(r.URL.Path, "/ocsp/") && r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		b, ok := crls[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	good := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "Còn hiệu lực", CRLURL: srv.URL + "/ca.crl"})
	revoked := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "Đã thu hồi", CRLURL: srv.URL + "/ca.crl"})
	revokedLater := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "Thu hồi sau", CRLURL: srv.URL + "/ca.crl"})
	missing := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "Không có CRL", CRLURL: srv.URL + "/missing.crl"})
	ocspGood := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "OCSP tốt", CRLURL: "none", OCSPURL: srv.URL + "/ocsp/good"})
	ocspRevoked := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "OCSP thu hồi", CRLURL: "none", OCSPURL: srv.URL + "/ocsp/revoked"})
	ocspForged := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "OCSP giả", CRLURL: "none", OCSPURL: srv.URL + "/ocsp/forged"})
	mu.Lock()
	crls["/ocsp/good"] = ocspFor(t, ocspGood.Cert, tb.h.Intermediate, time.Time{})
	crls["/ocsp/revoked"] = ocspFor(t, ocspRevoked.Cert, tb.h.Intermediate, epoch.Add(-3*time.Hour))
	crls["/ocsp/forged"] = ocspFor(t, ocspForged.Cert, tb.h.LookAlikeIntermediate, time.Time{})
	crls["/ca.crl"] = tb.h.Intermediate.CRL(t, epoch.Add(-time.Minute),
		pdfsigtest.Revoked{Cert: revoked.Cert, At: epoch.Add(-2 * time.Hour)},
		pdfsigtest.Revoked{Cert: revokedLater.Cert, At: epoch.Add(-30 * time.Minute)})
	mu.Unlock()
	base := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{})
	tsa := tsaLeaf(t, tb)
	tsaSrv := tsaServer(t, tsa, epoch.Add(-time.Hour))
	// Trusting the intermediate directly keeps revocation checking to the
	// leaf, whose CRL the test server publishes.
	opts := func(policy RevocationPolicy, hosts ...string) func(*Options) {
		return func(o *Options) {
			o.TrustAnchors = []*x509.Certificate{tb.h.Intermediate.Cert}
			o.Revocation = policy
			o.AllowedHosts = hosts
			o.FetchTimeout = 5 * time.Second
		}
	}
	cases := []struct {
		name string
		leaf *pdfsigtest.Leaf
		mod  func(*SignOptions)
		opts func(*Options)
		want Reason
		rev  string
	}{
		{"good, fetched", good, nil, opts(RevocationRequire, host), ReasonNone, RevocationGood},
		{"revoked before signing", revoked, nil, opts(RevocationPrefer, host), ReasonCertRevoked, RevocationRevoked},
		{"revoked after a self-asserted signing time", revokedLater, nil, opts(RevocationPrefer, host), ReasonCertRevoked, RevocationRevoked},
		{"revoked after a timestamped signing time", revokedLater, func(o *SignOptions) { o.TSAURL = tsaSrv.URL }, opts(RevocationPrefer, host), ReasonNone, RevocationGood},
		{"host not allowed, require", good, nil, opts(RevocationRequire, "crl.example.gov.vn"), ReasonRevocationUnknown, RevocationUnknown},
		{"host not allowed, prefer", good, nil, opts(RevocationPrefer, "crl.example.gov.vn"), ReasonNone, RevocationUnknown},
		{"CRL missing, require", missing, nil, opts(RevocationRequire, host), ReasonRevocationUnknown, RevocationUnknown},
		{"off", revoked, nil, opts(RevocationOff, host), ReasonNone, RevocationNotChecked},
		{"OCSP good, fetched", ocspGood, nil, opts(RevocationRequire, host), ReasonNone, RevocationGood},
		{"OCSP revoked, fetched", ocspRevoked, nil, opts(RevocationPrefer, host), ReasonCertRevoked, RevocationRevoked},
		{"OCSP answer from the look-alike CA", ocspForged, nil, opts(RevocationRequire, host), ReasonRevocationUnknown, RevocationUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := signPDF(t, base, tc.leaf, tc.mod)
			rep := verify(t, tb.verifier(t, tc.opts), out)
			wantReason(t, rep, tc.want)
			if got := rep.Signatures[0].Revocation; got != tc.rev {
				t.Errorf("revocation = %q, want %q", got, tc.rev)
			}
			if tc.rev == RevocationUnknown && tc.want == ReasonNone && len(rep.Warnings) == 0 {
				t.Error("prefer without revocation data must warn")
			}
		})
	}
}

func TestVerifyFile(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	signed := signPDF(t, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{}), tb.h.Officer, nil)
	path := t.TempDir() + "/ky-so.pdf"
	if err := writeFile(path, signed); err != nil {
		t.Fatal(err)
	}
	rep, err := tb.verifier(t, nil).VerifyFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	wantReason(t, rep, ReasonNone)
	if rep.File != path {
		t.Errorf("file = %q", rep.File)
	}
	if _, err := tb.verifier(t, nil).VerifyFile(context.Background(), path+".missing"); err == nil {
		t.Error("missing file: want an error")
	}
}

func TestCancelledContext(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	signed := signPDF(t, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{}), tb.h.Officer, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tb.verifier(t, nil).VerifyBytes(ctx, signed); err == nil {
		t.Error("want context error")
	}
}

func TestNewVerifierRejectsBadPolicy(t *testing.T) {
	t.Parallel()
	if _, err := NewVerifier(Options{Revocation: "sometimes"}); err == nil {
		t.Error("want error")
	}
}

func TestDocumentTimestamp(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tsa := tsaLeaf(t, tb)
	srv := tsaServer(t, tsa, epoch.Add(-time.Minute))
	signed := signPDF(t, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{}), tb.h.Officer, nil)
	var out bytes.Buffer
	if err := AddDocumentTimestamp(context.Background(), &out, bytes.NewReader(signed), int64(len(signed)), srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	rep := verify(t, tb.verifier(t, nil), out.Bytes())
	wantReason(t, rep, ReasonNone)
	if len(rep.Signatures) != 2 {
		t.Fatalf("%d signatures", len(rep.Signatures))
	}
	s, ts := rep.Signatures[0], rep.Signatures[1]
	if s.WholeFile || s.Status != StatusValid {
		t.Errorf("signature: whole=%v status=%s", s.WholeFile, s.Status)
	}
	if ts.Kind != kindDocTimestamp || !ts.WholeFile || ts.SigningTimeSource != TimeSourceTimestamp || ts.SignerName != "TSA thử nghiệm" {
		t.Errorf("timestamp = %+v", ts)
	}

	t.Run("content changed after the timestamp", func(t *testing.T) {
		t.Parallel()
		data := out.Bytes()
		root, _ := catalogWith(t, data, nil)
		content := "BT /F1 18 Tf 72 760 Td (Gia mao) Tj ET"
		bad := pdfsigtest.AppendUpdate(data, root, nextObjNum(t, data), "",
			pdfsigtest.Object{Num: 4, Body: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content), content)})
		wantReason(t, verify(t, tb.verifier(t, nil), bad), ReasonModifiedAfterSigning)
	})
	t.Run("timestamp alone is not a signature", func(t *testing.T) {
		t.Parallel()
		var only bytes.Buffer
		base := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{})
		if err := AddDocumentTimestamp(context.Background(), &only, bytes.NewReader(base), int64(len(base)), srv.URL, nil); err != nil {
			t.Fatal(err)
		}
		wantReason(t, verify(t, tb.verifier(t, nil), only.Bytes()), ReasonUnsigned)
	})
	t.Run("untrusted TSA is a warning, not a verdict", func(t *testing.T) {
		t.Parallel()
		fake := tb.h.LookAlikeIntermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "TSA giả", ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}})
		fsrv := tsaServer(t, fake, epoch.Add(-time.Minute))
		var o bytes.Buffer
		if err := AddDocumentTimestamp(context.Background(), &o, bytes.NewReader(signed), int64(len(signed)), fsrv.URL, nil); err != nil {
			t.Fatal(err)
		}
		rep := verify(t, tb.verifier(t, nil), o.Bytes())
		wantReason(t, rep, ReasonNone)
		if len(rep.Warnings) == 0 || rep.Signatures[1].Reason != ReasonUntrustedSigner {
			t.Errorf("warnings %v, timestamp reason %q", rep.Warnings, rep.Signatures[1].Reason)
		}
	})
}
