package pdfsig

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// Object identifiers used by CMS (RFC 5652), ESS (RFC 5035), RFC 3161 and Adobe.
var (
	oidData                   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData             = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidTSTInfo                = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	oidAttrContentType        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidAttrMessageDigest      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidAttrSigningTime        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidAttrSigningCert        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 12}
	oidAttrSigningCertV2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidAttrTimeStampToken     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
	oidAttrRevocationArchival = asn1.ObjectIdentifier{1, 2, 840, 113583, 1, 1, 8}

	oidMD5    = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 5}
	oidSHA1   = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA224 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}
	oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}

	oidRSA          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidMD5WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 4}
	oidSHA1WithRSA  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	oidSHA256RSA    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSHA384RSA    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	oidSHA512RSA    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	oidRSAPSS       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidMGF1         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
	oidECPublicKey  = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidECDSASHA1    = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}
	oidECDSASHA256  = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSASHA384  = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSASHA512  = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidSHA1WithRSA2 = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 29}
)

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,tag:0"`
}

type encapContentInfo struct {
	EContentType asn1.ObjectIdentifier
	EContent     asn1.RawValue `asn1:"optional,explicit,tag:0"`
}

type signedData struct {
	Version          int
	DigestAlgorithms asn1.RawValue
	EncapContentInfo encapContentInfo
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos      []signerInfo  `asn1:"set"`
}

type issuerAndSerial struct {
	Issuer       asn1.RawValue
	SerialNumber *big.Int
}

type signerInfo struct {
	Version            int
	SID                asn1.RawValue
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

// parsedCMS is a SignedData with exactly one signer, as PAdES requires.
type parsedCMS struct {
	certs        []*x509.Certificate
	crls         [][]byte
	eContentType asn1.ObjectIdentifier
	eContent     []byte // nil when detached
	si           signerInfo
	signer       *x509.Certificate
	signedAttrs  []attribute
	signedRaw    []byte // DER of the signed attributes with the SET tag
	unsigned     []attribute
}

// cmsError carries the reason a CMS structure is refused.
type cmsError struct {
	reason Reason
	msg    string
}

func (e *cmsError) Error() string { return e.msg }

func cmsErr(r Reason, format string, args ...any) error {
	return &cmsError{reason: r, msg: fmt.Sprintf(format, args...)}
}

func parseCMS(der []byte) (*parsedCMS, error) {
	var ci contentInfo
	rest, err := asn1.Unmarshal(der, &ci)
	if err != nil {
		// Retry after normalising BER; only the signature container may be
		// BER, and signed attributes stay byte-identical.
		if conv, cerr := berToDER(der); cerr == nil {
			rest, err = asn1.Unmarshal(conv, &ci)
		}
	}
	if err != nil {
		return nil, cmsErr(ReasonMalformed, "CMS ContentInfo: %v", err)
	}
	// /Contents is zero-padded to the reserved size; anything else is smuggling.
	for _, c := range rest {
		if c != 0 {
			return nil, cmsErr(ReasonMalformed, "data after the CMS structure")
		}
	}
	if err := checkCanonicalShape(der); err != nil {
		return nil, err
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return nil, cmsErr(ReasonMalformed, "CMS content type %v is not SignedData", ci.ContentType)
	}
	var sd signedData
	if rest, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil || len(rest) > 0 {
		return nil, cmsErr(ReasonMalformed, "CMS SignedData: %v", err)
	}
	// Unsigned parts of the structure are not protected by the signature;
	// insist on their canonical shape so a modified container is noticed.
	if sd.DigestAlgorithms.Class != asn1.ClassUniversal || sd.DigestAlgorithms.Tag != asn1.TagSet {
		return nil, cmsErr(ReasonMalformed, "CMS digestAlgorithms is not a SET")
	}
	if sd.Version != 1 && sd.Version != 3 && sd.Version != 4 && sd.Version != 5 {
		return nil, cmsErr(ReasonMalformed, "CMS SignedData version %d", sd.Version)
	}
	if len(sd.SignerInfos) != 1 {
		return nil, cmsErr(ReasonMalformed, "CMS has %d signers, want 1", len(sd.SignerInfos))
	}
	p := &parsedCMS{si: sd.SignerInfos[0], eContentType: sd.EncapContentInfo.EContentType}
	if len(sd.EncapContentInfo.EContent.Bytes) > 0 {
		var oct []byte
		if _, err := asn1.Unmarshal(sd.EncapContentInfo.EContent.Bytes, &oct); err != nil {
			return nil, cmsErr(ReasonMalformed, "CMS eContent: %v", err)
		}
		p.eContent = oct
	}
	if len(sd.Certificates.Bytes) > 0 {
		b := sd.Certificates.Bytes
		for len(b) > 0 {
			var raw asn1.RawValue
			r, err := asn1.Unmarshal(b, &raw)
			if err != nil {
				return nil, cmsErr(ReasonMalformed, "CMS certificates: %v", err)
			}
			b = r
			if raw.Class != asn1.ClassUniversal || raw.Tag != asn1.TagSequence {
				continue // attribute certificates and other choices are ignored
			}
			c, err := x509.ParseCertificate(raw.FullBytes)
			if err != nil {
				return nil, cmsErr(ReasonMalformed, "CMS certificate: %v", err)
			}
			p.certs = append(p.certs, c)
			if len(p.certs) > 64 {
				return nil, cmsErr(ReasonMalformed, "too many certificates")
			}
		}
	}
	if len(sd.CRLs.Bytes) > 0 {
		b := sd.CRLs.Bytes
		for len(b) > 0 {
			var raw asn1.RawValue
			r, err := asn1.Unmarshal(b, &raw)
			if err != nil {
				break
			}
			b = r
			if raw.Class == asn1.ClassUniversal && raw.Tag == asn1.TagSequence {
				p.crls = append(p.crls, raw.FullBytes)
			}
		}
	}
	si := &p.si
	var algs []pkix.AlgorithmIdentifier
	if _, err := asn1.UnmarshalWithParams(sd.DigestAlgorithms.FullBytes, &algs, "set"); err != nil {
		return nil, cmsErr(ReasonMalformed, "CMS digestAlgorithms: %v", err)
	}
	listed := false
	if !nullOrAbsent(si.DigestAlgorithm) {
		return nil, cmsErr(ReasonMalformed, "digest algorithm with parameters")
	}
	for _, a := range algs {
		if !nullOrAbsent(a) {
			return nil, cmsErr(ReasonMalformed, "digest algorithm with parameters")
		}
		if a.Algorithm.Equal(si.DigestAlgorithm.Algorithm) {
			listed = true
		}
	}
	if !listed {
		return nil, cmsErr(ReasonMalformed, "signer digest algorithm not listed in digestAlgorithms")
	}
	// Locate the signer certificate.
	if si.Version != 1 && si.Version != 3 {
		return nil, cmsErr(ReasonMalformed, "SignerInfo version %d", si.Version)
	}
	if si.SID.Class == asn1.ClassUniversal && si.SID.Tag == asn1.TagSequence {
		var ias issuerAndSerial
		if _, err := asn1.Unmarshal(si.SID.FullBytes, &ias); err != nil {
			return nil, cmsErr(ReasonMalformed, "signer identifier: %v", err)
		}
		for _, c := range p.certs {
			if c.SerialNumber.Cmp(ias.SerialNumber) == 0 && bytes.Equal(c.RawIssuer, ias.Issuer.FullBytes) {
				p.signer = c
				break
			}
		}
	} else if si.SID.Class == asn1.ClassContextSpecific && si.SID.Tag == 0 {
		for _, c := range p.certs {
			if len(c.SubjectKeyId) > 0 && bytes.Equal(c.SubjectKeyId, si.SID.Bytes) {
				p.signer = c
				break
			}
		}
	}
	if p.signer == nil {
		return nil, cmsErr(ReasonMalformed, "signer certificate not found in the CMS structure")
	}
	if len(si.SignedAttrs.FullBytes) > 0 {
		// The signature covers the attributes DER-encoded as a SET OF, not with
		// the [0] IMPLICIT tag they carry inside SignerInfo.
		raw := append([]byte(nil), si.SignedAttrs.FullBytes...)
		raw[0] = 0x31
		p.signedRaw = raw
		attrs, err := parseAttributes(si.SignedAttrs.Bytes)
		if err != nil {
			return nil, err
		}
		p.signedAttrs = attrs
	}
	if len(si.UnsignedAttrs.Bytes) > 0 {
		attrs, err := parseAttributes(si.UnsignedAttrs.Bytes)
		if err != nil {
			return nil, err
		}
		p.unsigned = attrs
	}
	return p, nil
}

func parseAttributes(b []byte) ([]attribute, error) {
	var attrs []attribute
	seen := map[string]bool{}
	for len(b) > 0 {
		var a attribute
		r, err := asn1.Unmarshal(b, &a)
		if err != nil {
			return nil, cmsErr(ReasonMalformed, "CMS attribute: %v", err)
		}
		b = r
		// RFC 5652 §5.3: each attribute type appears at most once.
		if seen[a.Type.String()] {
			return nil, cmsErr(ReasonMalformed, "duplicate CMS attribute %v", a.Type)
		}
		seen[a.Type.String()] = true
		attrs = append(attrs, a)
	}
	return attrs, nil
}

// attrValue returns the single value of attribute oid, or nil when absent.
func attrValue(attrs []attribute, oid asn1.ObjectIdentifier) ([]byte, error) {
	for _, a := range attrs {
		if a.Type.Equal(oid) {
			var v asn1.RawValue
			rest, err := asn1.Unmarshal(a.Values.Bytes, &v)
			if err != nil || len(rest) > 0 {
				return nil, cmsErr(ReasonMalformed, "attribute %v must have exactly one value", oid)
			}
			return v.FullBytes, nil
		}
	}
	return nil, nil
}

// elems splits the contents of a constructed element into its children,
// refusing end-of-contents (zero) elements, which only appear as padding.
func elems(content []byte) ([]asn1.RawValue, error) {
	var out []asn1.RawValue
	for len(content) > 0 {
		var rv asn1.RawValue
		rest, err := asn1.Unmarshal(content, &rv)
		if err != nil {
			return nil, err
		}
		if rv.Class == asn1.ClassUniversal && rv.Tag == 0 {
			return nil, errors.New("zero element inside a structure")
		}
		out = append(out, rv)
		content = rest
		if len(out) > 4096 {
			return nil, errors.New("too many elements")
		}
	}
	return out, nil
}

// checkCanonicalShape makes sure the ContentInfo, SignedData, and SignerInfo
// sequences hold exactly the elements the schema allows. encoding/asn1
// ignores trailing elements inside a SEQUENCE, which would let unsigned
// bytes be changed without affecting the verdict.
func checkCanonicalShape(der []byte) error {
	bad := func(what string) error { return cmsErr(ReasonMalformed, "CMS %s has unexpected content", what) }
	var outer asn1.RawValue
	if _, err := asn1.Unmarshal(der, &outer); err != nil {
		conv, cerr := berToDER(der)
		if cerr != nil {
			return bad("ContentInfo")
		}
		if _, err := asn1.Unmarshal(conv, &outer); err != nil {
			return bad("ContentInfo")
		}
	}
	ci, err := elems(outer.Bytes)
	if err != nil || len(ci) != 2 {
		return bad("ContentInfo")
	}
	inner, err := elems(ci[1].Bytes)
	if err != nil || len(inner) != 1 {
		return bad("ContentInfo content")
	}
	sd, err := elems(inner[0].Bytes)
	if err != nil || len(sd) < 4 || len(sd) > 6 {
		return bad("SignedData")
	}
	if enc, err := elems(sd[2].Bytes); err != nil || len(enc) < 1 || len(enc) > 2 {
		return bad("EncapsulatedContentInfo")
	}
	sis, err := elems(sd[len(sd)-1].Bytes)
	if err != nil || len(sis) != 1 {
		return bad("SignerInfos")
	}
	si, err := elems(sis[0].Bytes)
	if err != nil || len(si) < 5 || len(si) > 7 {
		return bad("SignerInfo")
	}
	return nil
}

// nullOrAbsent reports whether an algorithm identifier has no parameters or
// an explicit NULL, the only encodings hash and RSA PKCS#1 identifiers use.
func nullOrAbsent(a pkix.AlgorithmIdentifier) bool {
	p := a.Parameters.FullBytes
	return len(p) == 0 || (len(p) == 2 && p[0] == 0x05 && p[1] == 0x00)
}

// hashFor maps a digest algorithm identifier to a hash; SHA-1 and MD5 are
// recognised only to be refused with weak_algorithm.
func hashFor(oid asn1.ObjectIdentifier) (crypto.Hash, error) {
	switch {
	case oid.Equal(oidSHA256):
		return crypto.SHA256, nil
	case oid.Equal(oidSHA384):
		return crypto.SHA384, nil
	case oid.Equal(oidSHA512):
		return crypto.SHA512, nil
	case oid.Equal(oidSHA224):
		return crypto.SHA224, nil
	case oid.Equal(oidSHA1), oid.Equal(oidMD5):
		return 0, cmsErr(ReasonWeakAlgorithm, "digest algorithm %v is not accepted", oid)
	}
	return 0, cmsErr(ReasonMalformed, "unknown digest algorithm %v", oid)
}

func hashName(h crypto.Hash) string {
	switch h {
	case crypto.SHA224:
		return "SHA-224"
	case crypto.SHA256:
		return "SHA-256"
	case crypto.SHA384:
		return "SHA-384"
	case crypto.SHA512:
		return "SHA-512"
	}
	return h.String()
}

type pssParams struct {
	Hash         pkix.AlgorithmIdentifier `asn1:"optional,explicit,tag:0"`
	MGF          pkix.AlgorithmIdentifier `asn1:"optional,explicit,tag:1"`
	SaltLength   int                      `asn1:"optional,explicit,tag:2,default:20"`
	TrailerField int                      `asn1:"optional,explicit,tag:3,default:1"`
}

// verifySignatureValue checks sig over msg (already the bytes that were
// signed, i.e. the signed attributes or the content digest input) with the
// signer's public key. digest is the digest of msg under h.
// It returns a human-readable algorithm name.
func verifySignatureValue(pub any, alg pkix.AlgorithmIdentifier, h crypto.Hash, digest, sig []byte) (string, error) {
	oid := alg.Algorithm
	switch {
	case oid.Equal(oidMD5WithRSA), oid.Equal(oidSHA1WithRSA), oid.Equal(oidSHA1WithRSA2), oid.Equal(oidECDSASHA1):
		return "", cmsErr(ReasonWeakAlgorithm, "signature algorithm %v is not accepted", oid)
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return "", cmsErr(ReasonWeakAlgorithm, "RSA key of %d bits is too short", k.N.BitLen())
		}
		name := fmt.Sprintf("RSA-%d", k.N.BitLen())
		switch {
		case oid.Equal(oidRSA), oid.Equal(oidSHA256RSA), oid.Equal(oidSHA384RSA), oid.Equal(oidSHA512RSA):
			if !nullOrAbsent(alg) {
				return "", cmsErr(ReasonMalformed, "RSA signature algorithm with parameters")
			}
			if want := signatureHash(oid); want != 0 && want != h {
				return "", cmsErr(ReasonMalformed, "signature algorithm %v disagrees with digest algorithm %s", oid, hashName(h))
			}
			if err := rsa.VerifyPKCS1v15(k, h, digest, sig); err != nil {
				return "", cmsErr(ReasonBadSignature, "RSA PKCS#1 v1.5 signature does not verify")
			}
			return name + " PKCS#1 v1.5 " + hashName(h), nil
		case oid.Equal(oidRSAPSS):
			var p pssParams
			if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil {
				return "", cmsErr(ReasonMalformed, "RSASSA-PSS parameters: %v", err)
			}
			ph := crypto.SHA1
			if len(p.Hash.Algorithm) > 0 {
				var err error
				if ph, err = hashFor(p.Hash.Algorithm); err != nil {
					return "", err
				}
			}
			if ph != h {
				return "", cmsErr(ReasonWeakAlgorithm, "RSASSA-PSS hash differs from the digest algorithm")
			}
			if p.SaltLength < 0 || p.TrailerField != 1 {
				return "", cmsErr(ReasonMalformed, "RSASSA-PSS parameters")
			}
			if err := rsa.VerifyPSS(k, h, digest, sig, &rsa.PSSOptions{SaltLength: p.SaltLength, Hash: h}); err != nil {
				return "", cmsErr(ReasonBadSignature, "RSASSA-PSS signature does not verify")
			}
			return name + " PSS " + hashName(h), nil
		}
		return "", cmsErr(ReasonMalformed, "signature algorithm %v does not match an RSA key", oid)
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() && k.Curve != elliptic.P384() {
			return "", cmsErr(ReasonWeakAlgorithm, "ECDSA curve %s is not accepted", k.Curve.Params().Name)
		}
		switch {
		case oid.Equal(oidECDSASHA256), oid.Equal(oidECDSASHA384), oid.Equal(oidECDSASHA512):
			if len(alg.Parameters.FullBytes) != 0 {
				return "", cmsErr(ReasonMalformed, "ECDSA signature algorithm with parameters")
			}
			if signatureHash(oid) != h {
				return "", cmsErr(ReasonMalformed, "signature algorithm %v disagrees with digest algorithm %s", oid, hashName(h))
			}
		case oid.Equal(oidECPublicKey):
		default:
			return "", cmsErr(ReasonMalformed, "signature algorithm %v does not match an ECDSA key", oid)
		}
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return "", cmsErr(ReasonBadSignature, "ECDSA signature does not verify")
		}
		return "ECDSA " + k.Curve.Params().Name + " " + hashName(h), nil
	}
	return "", cmsErr(ReasonWeakAlgorithm, "public key type %T is not accepted", pub)
}

// signatureOIDs lists the hash-with-key signature algorithms the verifier
// accepts, with the digest each one implies and its x509 name.
var signatureOIDs = []struct {
	oid  asn1.ObjectIdentifier
	hash crypto.Hash
	alg  x509.SignatureAlgorithm
}{
	{oidSHA256RSA, crypto.SHA256, x509.SHA256WithRSA},
	{oidSHA384RSA, crypto.SHA384, x509.SHA384WithRSA},
	{oidSHA512RSA, crypto.SHA512, x509.SHA512WithRSA},
	{oidECDSASHA256, crypto.SHA256, x509.ECDSAWithSHA256},
	{oidECDSASHA384, crypto.SHA384, x509.ECDSAWithSHA384},
	{oidECDSASHA512, crypto.SHA512, x509.ECDSAWithSHA512},
}

// signatureHash is the digest a signature algorithm OID implies, 0 when the
// OID names a bare key type (rsaEncryption, id-ecPublicKey) or is unknown.
func signatureHash(oid asn1.ObjectIdentifier) crypto.Hash {
	for _, s := range signatureOIDs {
		if oid.Equal(s.oid) {
			return s.hash
		}
	}
	return 0
}

// sigAlgFromOID is the x509 name of a signature algorithm OID.
func sigAlgFromOID(oid asn1.ObjectIdentifier) x509.SignatureAlgorithm {
	for _, s := range signatureOIDs {
		if oid.Equal(s.oid) {
			return s.alg
		}
	}
	return x509.UnknownSignatureAlgorithm
}

// cmsResult is what verifying one CMS signature over a content digest proved.
type cmsResult struct {
	hash        crypto.Hash
	sigAlg      string
	signingTime time.Time // from the signed attribute, zero when absent
	tst         *timestampResult
	tstErr      error
}

// verify checks the signer's signature given contentDigest, the digest of
// the signed content computed with the signer's digest algorithm.
// requireSignedAttrs is set for CAdES.
func (p *parsedCMS) verify(contentDigest []byte, requireSignedAttrs bool) (*cmsResult, error) {
	h, err := hashFor(p.si.DigestAlgorithm.Algorithm)
	if err != nil {
		return nil, err
	}
	res := &cmsResult{hash: h}
	if p.signedRaw == nil {
		if requireSignedAttrs {
			return nil, cmsErr(ReasonMalformed, "CAdES signature without signed attributes")
		}
		alg, err := verifySignatureValue(p.signer.PublicKey, p.si.SignatureAlgorithm, h, contentDigest, p.si.Signature)
		if err != nil {
			return nil, err
		}
		res.sigAlg = alg
		return res, nil
	}
	ct, err := attrValue(p.signedAttrs, oidAttrContentType)
	if err != nil {
		return nil, err
	}
	var ctOID asn1.ObjectIdentifier
	if ct == nil {
		return nil, cmsErr(ReasonMalformed, "signed attributes without content-type")
	}
	if _, err := asn1.Unmarshal(ct, &ctOID); err != nil || !ctOID.Equal(p.eContentType) {
		return nil, cmsErr(ReasonMalformed, "content-type attribute does not match the content")
	}
	md, err := attrValue(p.signedAttrs, oidAttrMessageDigest)
	if err != nil {
		return nil, err
	}
	var mdv []byte
	if md == nil {
		return nil, cmsErr(ReasonMalformed, "signed attributes without message-digest")
	}
	if _, err := asn1.Unmarshal(md, &mdv); err != nil {
		return nil, cmsErr(ReasonMalformed, "message-digest attribute: %v", err)
	}
	if !bytes.Equal(mdv, contentDigest) {
		return nil, cmsErr(ReasonDigestMismatch, "message digest does not match the signed bytes")
	}
	hh := h.New()
	hh.Write(p.signedRaw)
	alg, err := verifySignatureValue(p.signer.PublicKey, p.si.SignatureAlgorithm, h, hh.Sum(nil), p.si.Signature)
	if err != nil {
		return nil, err
	}
	res.sigAlg = alg
	if st, err := attrValue(p.signedAttrs, oidAttrSigningTime); err == nil && st != nil {
		var t time.Time
		if _, err := asn1.Unmarshal(st, &t); err == nil {
			res.signingTime = t.UTC()
		}
	}
	if err := p.checkSigningCertificate(); err != nil {
		return nil, err
	}
	return res, nil
}

type essCertIDv2 struct {
	HashAlgorithm pkix.AlgorithmIdentifier `asn1:"optional"`
	CertHash      []byte
	IssuerSerial  asn1.RawValue `asn1:"optional"`
}

type essCertID struct {
	CertHash     []byte
	IssuerSerial asn1.RawValue `asn1:"optional"`
}

type issuerSerial struct {
	Issuer []asn1.RawValue
	Serial *big.Int
}

// checkSigningCertificate enforces the ESS binding (RFC 5035) when present:
// the first certificate identifier must name the signer certificate, so that
// a substituted certificate with the same key cannot be slipped in.
func (p *parsedCMS) checkSigningCertificate() error {
	if v2, err := attrValue(p.signedAttrs, oidAttrSigningCertV2); err != nil {
		return err
	} else if v2 != nil {
		var sc struct {
			Certs    []essCertIDv2
			Policies asn1.RawValue `asn1:"optional"`
		}
		if _, err := asn1.Unmarshal(v2, &sc); err != nil || len(sc.Certs) == 0 {
			return cmsErr(ReasonMalformed, "signing-certificate-v2 attribute: %v", err)
		}
		id := sc.Certs[0]
		h := crypto.SHA256
		if len(id.HashAlgorithm.Algorithm) > 0 {
			if h, err = hashFor(id.HashAlgorithm.Algorithm); err != nil {
				return err
			}
		}
		hh := h.New()
		hh.Write(p.signer.Raw)
		if !bytes.Equal(hh.Sum(nil), id.CertHash) {
			return cmsErr(ReasonBadSignature, "signing-certificate-v2 does not match the signer certificate")
		}
		return p.checkIssuerSerial(id.IssuerSerial)
	}
	if v1, err := attrValue(p.signedAttrs, oidAttrSigningCert); err != nil {
		return err
	} else if v1 != nil {
		var sc struct {
			Certs    []essCertID
			Policies asn1.RawValue `asn1:"optional"`
		}
		if _, err := asn1.Unmarshal(v1, &sc); err != nil || len(sc.Certs) == 0 {
			return cmsErr(ReasonMalformed, "signing-certificate attribute: %v", err)
		}
		// ESS v1 identifies certificates by SHA-1; that is an identifier here,
		// not a signature, and the signature itself uses the stronger hash.
		hh := crypto.SHA1.New()
		hh.Write(p.signer.Raw)
		if !bytes.Equal(hh.Sum(nil), sc.Certs[0].CertHash) {
			return cmsErr(ReasonBadSignature, "signing-certificate does not match the signer certificate")
		}
		return p.checkIssuerSerial(sc.Certs[0].IssuerSerial)
	}
	return nil
}

func (p *parsedCMS) checkIssuerSerial(raw asn1.RawValue) error {
	if len(raw.FullBytes) == 0 {
		return nil
	}
	var is issuerSerial
	if _, err := asn1.Unmarshal(raw.FullBytes, &is); err != nil {
		return cmsErr(ReasonMalformed, "ESS issuerSerial: %v", err)
	}
	if is.Serial == nil || is.Serial.Cmp(p.signer.SerialNumber) != 0 {
		return cmsErr(ReasonBadSignature, "ESS issuerSerial does not match the signer certificate")
	}
	return nil
}

// RFC 3161 timestamp tokens.

type tstInfo struct {
	Version        int
	Policy         asn1.ObjectIdentifier
	MessageImprint messageImprint
	SerialNumber   *big.Int
	GenTime        time.Time     `asn1:"generalized"`
	Accuracy       asn1.RawValue `asn1:"optional"`
	Ordering       bool          `asn1:"optional,default:false"`
	Nonce          *big.Int      `asn1:"optional"`
	TSA            asn1.RawValue `asn1:"optional,tag:0"`
	Extensions     asn1.RawValue `asn1:"optional,tag:1"`
}

type messageImprint struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	HashedMessage []byte
}

type timestampResult struct {
	genTime time.Time
	cms     *parsedCMS
}

// verifyTimestampToken verifies an RFC 3161 token whose message imprint must
// be the hash of imprintInput (for a signature timestamp, the signature
// value; for a document timestamp, the signed byte ranges, passed as digest
// function). The TSA certificate chain is checked by the caller.
func verifyTimestampToken(der []byte, imprint func(crypto.Hash) []byte) (*timestampResult, error) {
	p, err := parseCMS(der)
	if err != nil {
		return nil, err
	}
	if !p.eContentType.Equal(oidTSTInfo) || p.eContent == nil {
		return nil, cmsErr(ReasonMalformed, "timestamp token does not contain TSTInfo")
	}
	var info tstInfo
	if _, err := asn1.Unmarshal(p.eContent, &info); err != nil {
		return nil, cmsErr(ReasonMalformed, "TSTInfo: %v", err)
	}
	ih, err := hashFor(info.MessageImprint.HashAlgorithm.Algorithm)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(imprint(ih), info.MessageImprint.HashedMessage) {
		return nil, cmsErr(ReasonDigestMismatch, "timestamp imprint does not match")
	}
	h, err := hashFor(p.si.DigestAlgorithm.Algorithm)
	if err != nil {
		return nil, err
	}
	hh := h.New()
	hh.Write(p.eContent)
	if _, err := p.verify(hh.Sum(nil), true); err != nil {
		return nil, err
	}
	return &timestampResult{genTime: info.GenTime.UTC(), cms: p}, nil
}
