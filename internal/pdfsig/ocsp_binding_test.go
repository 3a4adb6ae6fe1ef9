package pdfsig

import (
	"crypto"
	"crypto/x509"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"golang.org/x/crypto/ocsp"
)

// TestOCSPResponderBinding: an OCSP answer counts only when it names the
// certificate's issuer (CertID name and key hashes, not the serial alone)
// and is signed by that issuer or by a responder the issuer delegated OCSP
// signing to (id-kp-OCSPSigning, RFC 6960 §4.2.2.2); an issuer that signs
// its own answers may ship its certificate with them.
//
// It also records what golang.org/x/crypto/ocsp's ParseResponseForCert
// says about the same answers (run with -v): v0.58.0 accepts both
// forgeries and refuses the issuer's own answer with its certificate
// enclosed, which is why parseOCSP and statusUntil stay hand-written (see
// ocsp.go). The answers are made with
// x/crypto/ocsp's CreateResponse, an independent encoder.
func TestOCSPResponderBinding(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	inter, lookAlike := tb.h.Intermediate, tb.h.LookAlikeIntermediate
	cert := tb.h.Officer.Cert
	responder := inter.Issue(t, pdfsigtest.LeafOptions{CommonName: "OCSP responder", CRLURL: "none",
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}})
	// answer is a "good" answer about cert whose CertID names
	// certIDIssuer, signed by signer, with signer's certificate enclosed
	// when enclose.
	answer := func(certIDIssuer, signer *x509.Certificate, key crypto.Signer, enclose bool) []byte {
		t.Helper()
		tmpl := ocsp.Response{Status: ocsp.Good, SerialNumber: cert.SerialNumber, ThisUpdate: epoch.Add(-time.Minute), IssuerHash: crypto.SHA1}
		if enclose {
			tmpl.Certificate = signer
		}
		raw, err := ocsp.CreateResponse(certIDIssuer, signer, tmpl, key)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	for _, c := range []struct {
		name string
		raw  []byte
		want bool
	}{
		{"signed by the issuer", answer(inter.Cert, inter.Cert, inter.Key, false), true},
		{"signed by the issuer, its certificate enclosed", answer(inter.Cert, inter.Cert, inter.Key, true), true},
		{"delegated responder", answer(inter.Cert, responder.Cert, responder.Key, true), true},
		// A signer whose certificate was revoked vouching for itself with
		// its own key: its certificate is the issuer's, but not for OCSP.
		{"the signer's own certificate", answer(inter.Cert, cert, tb.h.Officer.Key, true), false},
		{"signed by the issuer about another issuer's serial", answer(lookAlike.Cert, inter.Cert, inter.Key, false), false},
	} {
		o, err := parseOCSP(c.raw)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		st, _, ok := o.statusFor(cert, inter.Cert)
		if got := ok && st == RevocationGood; got != c.want {
			t.Errorf("%s: accepted %v, want %v", c.name, got, c.want)
		}
		_, xerr := ocsp.ParseResponseForCert(c.raw, cert, inter.Cert)
		t.Logf("%s: x/crypto/ocsp accepts: %v (%v)", c.name, xerr == nil, xerr)
	}
}
