package pdfsig

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"time"
)

// cmsSigner describes one SignedData to build.
type cmsSigner struct {
	key      crypto.Signer
	cert     *x509.Certificate
	chain    []*x509.Certificate
	hash     crypto.Hash
	pss      bool
	time     time.Time
	noAttrs  bool // sign the content digest directly (legacy PKCS#7)
	essCert  bool // add signing-certificate-v2
	extra    []attribute
	unsigned []attribute
}

func digestOID(h crypto.Hash) (asn1.ObjectIdentifier, error) {
	switch h {
	case crypto.SHA256:
		return oidSHA256, nil
	case crypto.SHA384:
		return oidSHA384, nil
	case crypto.SHA512:
		return oidSHA512, nil
	case crypto.SHA1:
		return oidSHA1, nil
	}
	return nil, fmt.Errorf("pdfsig: unsupported hash %v", h)
}

func marshalAttr(oid asn1.ObjectIdentifier, value any) (attribute, error) {
	v, err := asn1.Marshal(value)
	if err != nil {
		return attribute{}, err
	}
	return rawAttr(oid, v), nil
}

func rawAttr(oid asn1.ObjectIdentifier, der []byte) attribute {
	set := appendTLV(nil, []byte{0x31}, der)
	return attribute{Type: oid, Values: asn1.RawValue{FullBytes: set}}
}

// encodeAttrs returns the DER SET OF attributes, sorted as DER requires.
func encodeAttrs(attrs []attribute) ([]byte, error) {
	var enc [][]byte
	for _, a := range attrs {
		b, err := asn1.Marshal(a)
		if err != nil {
			return nil, err
		}
		enc = append(enc, b)
	}
	sort.Slice(enc, func(i, j int) bool { return bytes.Compare(enc[i], enc[j]) < 0 })
	return appendTLV(nil, []byte{0x31}, bytes.Join(enc, nil)), nil
}

// build returns a DER ContentInfo. contentDigest is the digest of the
// (detached or encapsulated) content; eContent is non-nil to encapsulate.
func (s *cmsSigner) build(contentType asn1.ObjectIdentifier, eContent, contentDigest []byte) ([]byte, error) {
	dOID, err := digestOID(s.hash)
	if err != nil {
		return nil, err
	}
	var sigAlg pkix.AlgorithmIdentifier
	switch s.key.Public().(type) {
	case *rsa.PublicKey:
		if s.pss {
			params, err := asn1.Marshal(pssParams{
				Hash:         pkix.AlgorithmIdentifier{Algorithm: dOID, Parameters: asn1.NullRawValue},
				MGF:          pkix.AlgorithmIdentifier{Algorithm: oidMGF1, Parameters: mustMarshal(pkix.AlgorithmIdentifier{Algorithm: dOID, Parameters: asn1.NullRawValue})},
				SaltLength:   s.hash.Size(),
				TrailerField: 1,
			})
			if err != nil {
				return nil, err
			}
			sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidRSAPSS, Parameters: asn1.RawValue{FullBytes: params}}
		} else {
			sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidRSA, Parameters: asn1.NullRawValue}
		}
	case *ecdsa.PublicKey:
		switch s.hash {
		case crypto.SHA384:
			sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidECDSASHA384}
		case crypto.SHA512:
			sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidECDSASHA512}
		case crypto.SHA1:
			sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidECDSASHA1}
		default:
			sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidECDSASHA256}
		}
	default:
		return nil, errors.New("pdfsig: signing key must be RSA or ECDSA")
	}
	var signedRaw []byte
	toSign := contentDigest
	if !s.noAttrs {
		attrs := []attribute{}
		a, err := marshalAttr(oidAttrContentType, contentType)
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, a)
		if a, err = marshalAttr(oidAttrMessageDigest, contentDigest); err != nil {
			return nil, err
		}
		attrs = append(attrs, a)
		if !s.time.IsZero() {
			if a, err = marshalAttr(oidAttrSigningTime, s.time.UTC()); err != nil {
				return nil, err
			}
			attrs = append(attrs, a)
		}
		if s.essCert {
			ch := crypto.SHA256.New()
			ch.Write(s.cert.Raw)
			type essV2 struct {
				CertHash     []byte
				IssuerSerial issuerSerialOut
			}
			v := struct{ Certs []essV2 }{Certs: []essV2{{CertHash: ch.Sum(nil), IssuerSerial: issuerSerialOut{
				Issuer: []asn1.RawValue{{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true, Bytes: s.cert.RawIssuer}},
				Serial: s.cert.SerialNumber,
			}}}}
			if a, err = marshalAttr(oidAttrSigningCertV2, v); err != nil {
				return nil, err
			}
			attrs = append(attrs, a)
		}
		attrs = append(attrs, s.extra...)
		if signedRaw, err = encodeAttrs(attrs); err != nil {
			return nil, err
		}
		h := s.hash.New()
		h.Write(signedRaw)
		toSign = h.Sum(nil)
	}
	var opts crypto.SignerOpts = s.hash
	if s.pss {
		opts = &rsa.PSSOptions{SaltLength: s.hash.Size(), Hash: s.hash}
	}
	sig, err := s.key.Sign(rand.Reader, toSign, opts)
	if err != nil {
		return nil, fmt.Errorf("pdfsig: sign: %w", err)
	}
	si := signerInfoOut{
		Version:            1,
		SID:                issuerAndSerialOut{Issuer: asn1.RawValue{FullBytes: s.cert.RawIssuer}, SerialNumber: s.cert.SerialNumber},
		DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: dOID, Parameters: asn1.NullRawValue},
		SignatureAlgorithm: sigAlg,
		Signature:          sig,
	}
	if signedRaw != nil {
		si.SignedAttrs = asn1.RawValue{FullBytes: append([]byte{0xa0}, signedRaw[1:]...)}
	}
	if len(s.unsigned) > 0 {
		u, err := encodeAttrs(s.unsigned)
		if err != nil {
			return nil, err
		}
		si.UnsignedAttrs = asn1.RawValue{FullBytes: append([]byte{0xa1}, u[1:]...)}
	}
	var certs []byte
	certs = append(certs, s.cert.Raw...)
	for _, c := range s.chain {
		certs = append(certs, c.Raw...)
	}
	eci := encapContentInfoOut{EContentType: contentType}
	if eContent != nil {
		oct, err := asn1.Marshal(eContent)
		if err != nil {
			return nil, err
		}
		eci.EContent = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: oct}
	}
	sd := signedDataOut{
		Version:          1,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{{Algorithm: dOID, Parameters: asn1.NullRawValue}},
		EncapContentInfo: eci,
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: certs},
		SignerInfos:      []signerInfoOut{si},
	}
	if eContent != nil {
		sd.Version = 3
	}
	sdDER, err := asn1.Marshal(sd)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(contentInfo{ContentType: oidSignedData, Content: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sdDER}})
}

func mustMarshal(v any) asn1.RawValue {
	b, err := asn1.Marshal(v)
	if err != nil {
		panic(err) // only called with fixed, valid values
	}
	return asn1.RawValue{FullBytes: b}
}

type issuerSerialOut struct {
	Issuer []asn1.RawValue
	Serial *big.Int
}

type issuerAndSerialOut struct {
	Issuer       asn1.RawValue
	SerialNumber *big.Int
}

type signerInfoOut struct {
	Version            int
	SID                issuerAndSerialOut
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional"`
}

type encapContentInfoOut struct {
	EContentType asn1.ObjectIdentifier
	EContent     asn1.RawValue `asn1:"optional"`
}

type signedDataOut struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContentInfo encapContentInfoOut
	Certificates     asn1.RawValue   `asn1:"optional"`
	SignerInfos      []signerInfoOut `asn1:"set"`
}
