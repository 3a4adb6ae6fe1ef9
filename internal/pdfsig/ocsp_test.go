package pdfsig

import (
	"crypto"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// ocspFor builds a basic OCSP response about cert, signed by issuer.
// revokedAt zero means "good".
func ocspFor(t *testing.T, cert *x509.Certificate, issuer *pdfsigtest.CA, revokedAt time.Time) []byte {
	t.Helper()
	var spki struct {
		Alg pkix.AlgorithmIdentifier
		Key asn1.BitString
	}
	if _, err := asn1.Unmarshal(issuer.Cert.RawSubjectPublicKeyInfo, &spki); err != nil {
		t.Fatal(err)
	}
	nameHash := sha1.Sum(issuer.Cert.RawSubject)
	keyHash := sha1.Sum(spki.Key.RightAlign())
	status := asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0}
	if !revokedAt.IsZero() {
		at, err := asn1.MarshalWithParams(revokedAt.UTC(), "generalized")
		if err != nil {
			t.Fatal(err)
		}
		status = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 1, IsCompound: true, Bytes: at}
	}
	type certID struct {
		HashAlgorithm pkix.AlgorithmIdentifier
		NameHash      []byte
		KeyHash       []byte
		Serial        asn1.RawValue
	}
	serial, _ := asn1.Marshal(cert.SerialNumber)
	single := struct {
		CertID     certID
		Status     asn1.RawValue
		ThisUpdate time.Time `asn1:"generalized"`
	}{certID{pkix.AlgorithmIdentifier{Algorithm: oidSHA1, Parameters: asn1.NullRawValue}, nameHash[:], keyHash[:], asn1.RawValue{FullBytes: serial}}, status, epoch.Add(-time.Minute)}
	kh, _ := asn1.Marshal(keyHash[:])
	tbs, err := asn1.Marshal(struct {
		ResponderID asn1.RawValue
		ProducedAt  time.Time `asn1:"generalized"`
		Responses   []any
	}{asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2, IsCompound: true, Bytes: kh}, epoch.Add(-time.Minute), []any{single}})
	if err != nil {
		t.Fatal(err)
	}
	h := crypto.SHA256.New()
	h.Write(tbs)
	sig, err := issuer.Key.Sign(rand.Reader, h.Sum(nil), crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	basic, err := asn1.Marshal(struct {
		TBS    asn1.RawValue
		SigAlg pkix.AlgorithmIdentifier
		Sig    asn1.BitString
	}{asn1.RawValue{FullBytes: tbs}, pkix.AlgorithmIdentifier{Algorithm: oidECDSASHA256}, asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}})
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := asn1.Marshal(struct {
		Type     asn1.ObjectIdentifier
		Response []byte
	}{oidOCSPBasic, basic})
	resp, err := asn1.Marshal(struct {
		Status asn1.Enumerated
		Bytes  asn1.RawValue
	}{0, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: rb}})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// TestEmbeddedOCSP: OCSP responses in the DSS answer the revocation question
// without any network access.
func TestEmbeddedOCSP(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	base := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{})
	signed := signPDF(t, base, tb.h.Officer, nil)
	size := nextObjNum(t, signed)
	root, cat := catalogWith(t, signed, Dict{"DSS": Ref{Num: size}})
	withDSS := func(responses ...[]byte) []byte {
		objs := []pdfsigtest.Object{{Num: root, Body: cat}}
		refs := ""
		for i, r := range responses {
			objs = append(objs, pdfsigtest.Object{Num: size + 1 + i, Body: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(r), r)})
			refs += fmt.Sprintf("%d 0 R ", size+1+i)
		}
		objs = append(objs, pdfsigtest.Object{Num: size, Body: "<</Type/DSS/OCSPs[" + refs + "]>>"})
		return pdfsigtest.AppendUpdate(signed, root, size+1+len(responses), "", objs...)
	}
	interGood := ocspFor(t, tb.h.Intermediate.Cert, tb.h.Root, time.Time{})
	require := tb.verifier(t, func(o *Options) { o.Revocation = RevocationRequire })

	rep := verify(t, require, withDSS(ocspFor(t, tb.h.Officer.Cert, tb.h.Intermediate, time.Time{}), interGood))
	wantReason(t, rep, ReasonNone)
	if s := rep.Signatures[0]; s.Revocation != RevocationGood || s.RevocationSource != "ocsp" {
		t.Errorf("revocation %q from %q", s.Revocation, s.RevocationSource)
	}
	rep = verify(t, require, withDSS(ocspFor(t, tb.h.Officer.Cert, tb.h.Intermediate, epoch.Add(-3*time.Hour)), interGood))
	wantReason(t, rep, ReasonCertRevoked)

	// A response signed by the look-alike CA is ignored.
	forged := ocspFor(t, tb.h.Officer.Cert, tb.h.LookAlikeIntermediate, time.Time{})
	rep = verify(t, require, withDSS(forged, interGood))
	wantReason(t, rep, ReasonRevocationUnknown)
}
