package pdfsig

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"golang.org/x/crypto/ocsp"
)

// ocspFor builds a basic OCSP response about cert, signed by issuer.
// revokedAt zero means "good".
func ocspFor(t *testing.T, cert *x509.Certificate, issuer *pdfsigtest.CA, revokedAt time.Time) []byte {
	t.Helper()
	return ocspForUntil(t, cert, issuer, revokedAt, time.Time{})
}

// ocspForUntil is ocspFor with a nextUpdate (none when zero). The answer
// is encoded by golang.org/x/crypto/ocsp, independently of the reader.
func ocspForUntil(t *testing.T, cert *x509.Certificate, issuer *pdfsigtest.CA, revokedAt, nextUpdate time.Time) []byte {
	t.Helper()
	tmpl := ocsp.Response{Status: ocsp.Good, SerialNumber: cert.SerialNumber, ThisUpdate: epoch.Add(-time.Minute),
		NextUpdate: nextUpdate, IssuerHash: crypto.SHA1}
	if !revokedAt.IsZero() {
		tmpl.Status, tmpl.RevokedAt = ocsp.Revoked, revokedAt
	}
	resp, err := ocsp.CreateResponse(issuer.Cert, issuer.Cert, tmpl, issuer.Key)
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

// TestOCSPCache: an answer fetched from a responder is reused until its
// nextUpdate, then asked again; an answer without nextUpdate is not kept.
func TestOCSPCache(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	var mu sync.Mutex
	requests := map[string]int{}
	answers := map[string][]byte{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		requests[r.URL.Path]++
		w.Write(answers[r.URL.Path])
	}))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	cached := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "OCSP có hạn", CRLURL: "none", OCSPURL: srv.URL + "/next"})
	uncached := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "OCSP không hạn", CRLURL: "none", OCSPURL: srv.URL + "/none"})
	mu.Lock()
	answers["/next"] = ocspForUntil(t, cached.Cert, tb.h.Intermediate, time.Time{}, epoch.Add(time.Hour))
	answers["/none"] = ocspFor(t, uncached.Cert, tb.h.Intermediate, time.Time{})
	mu.Unlock()
	now := epoch
	var clock sync.Mutex
	v := tb.verifier(t, func(o *Options) {
		o.TrustAnchors = []*x509.Certificate{tb.h.Intermediate.Cert}
		o.Revocation = RevocationRequire
		o.AllowedHosts = []string{host}
		o.Now = func() time.Time { clock.Lock(); defer clock.Unlock(); return now }
	})
	base := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{})
	a, b := signPDF(t, base, cached, nil), signPDF(t, base, uncached, nil)
	count := func(path string) int { mu.Lock(); defer mu.Unlock(); return requests[path] }
	for i := 0; i < 2; i++ {
		for _, f := range [][]byte{a, b} {
			rep := verify(t, v, f)
			wantReason(t, rep, ReasonNone)
			if s := rep.Signatures[0]; s.Revocation != RevocationGood || s.RevocationSource != "ocsp_fetched" {
				t.Fatalf("revocation %q from %q", s.Revocation, s.RevocationSource)
			}
		}
	}
	if n := count("/next"); n != 1 {
		t.Errorf("two verifications before nextUpdate asked the responder %d times, want 1", n)
	}
	if n := count("/none"); n != 2 {
		t.Errorf("an answer without nextUpdate was asked for %d times in two verifications, want 2", n)
	}
	clock.Lock()
	now = epoch.Add(time.Hour)
	clock.Unlock()
	wantReason(t, verify(t, v, a), ReasonNone)
	if n := count("/next"); n != 2 {
		t.Errorf("at nextUpdate the responder was asked %d times in all, want 2", n)
	}
}

// TestRevocationRequireDefault: under require, a certificate naming an OCSP
// responder that does not answer is refused, while prefer accepts it with
// a warning; a certificate naming no OCSP responder and no CRL is accepted
// with a warning under both.
func TestRevocationRequireDefault(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	host := strings.TrimPrefix(deadURL, "http://")
	named := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "OCSP không trả lời", CRLURL: "none", OCSPURL: deadURL + "/ocsp"})
	unnamed := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "Không có địa chỉ thu hồi", CRLURL: "none"})
	base := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{})
	for _, tc := range []struct {
		name   string
		leaf   *pdfsigtest.Leaf
		policy RevocationPolicy
		want   Reason
	}{
		{"responder down, require", named, RevocationRequire, ReasonRevocationUnknown},
		{"responder down, prefer", named, RevocationPrefer, ReasonNone},
		{"no location, require", unnamed, RevocationRequire, ReasonNone},
		{"no location, prefer", unnamed, RevocationPrefer, ReasonNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := tb.verifier(t, func(o *Options) {
				o.TrustAnchors = []*x509.Certificate{tb.h.Intermediate.Cert}
				o.Revocation = tc.policy
				o.AllowedHosts = []string{host}
				o.FetchTimeout = 2 * time.Second
			})
			rep := verify(t, v, signPDF(t, base, tc.leaf, nil))
			wantReason(t, rep, tc.want)
			if s := rep.Signatures[0]; s.Revocation != RevocationUnknown {
				t.Errorf("revocation %q, want unknown", s.Revocation)
			}
			if tc.want == ReasonNone && len(rep.Warnings) == 0 {
				t.Error("an unknown revocation status must warn")
			}
		})
	}
}
