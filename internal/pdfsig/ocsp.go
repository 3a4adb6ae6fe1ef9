package pdfsig

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"sync"
	"time"
)

// A minimal RFC 6960 response reader: enough to use OCSP responses embedded
// in a signature or the DSS. Requests are built with golang.org/x/crypto/ocsp
// (ocspRequest); responses are read here on purpose, because its
// ParseResponseForCert (v0.58.0) is not strict enough to decide a signature's
// validity, as TestOCSPResponderBinding measures (go test -v -run
// TestOCSPResponderBinding ./internal/pdfsig):
//   - it accepts an answer signed by any certificate the issuer issued,
//     without id-kp-OCSPSigning (RFC 6960 §4.2.2.2): a signer whose
//     certificate was revoked could vouch for it with its own key in the DSS;
//   - it picks the single response by serial number alone, ignoring the
//     CertID's issuer name and key hashes, which it does not expose either;
//   - it takes the first enclosed certificate for the signer, so it refuses
//     an answer the issuer signed itself with its certificate enclosed.
// Revisit when x/crypto/ocsp checks the responder's extended key usage and
// the CertID.

var oidOCSPBasic = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 1}

type ocspResponseASN struct {
	Status   asn1.Enumerated
	Response struct {
		Type     asn1.ObjectIdentifier
		Response []byte
	} `asn1:"explicit,tag:0,optional"`
}

type basicOCSPASN struct {
	TBS       asn1.RawValue
	SigAlg    pkix.AlgorithmIdentifier
	Signature asn1.BitString
	Certs     []asn1.RawValue `asn1:"explicit,tag:0,optional"`
}

type responseDataASN struct {
	Version     int `asn1:"optional,explicit,default:0,tag:0"`
	ResponderID asn1.RawValue
	ProducedAt  time.Time `asn1:"generalized"`
	Responses   []singleResponseASN
	Extensions  asn1.RawValue `asn1:"optional,explicit,tag:1"`
}

type certIDASN struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	NameHash      []byte
	KeyHash       []byte
	Serial        *big.Int
}

type singleResponseASN struct {
	CertID     certIDASN
	Good       asn1.Flag     `asn1:"tag:0,optional"`
	Revoked    asn1.RawValue `asn1:"tag:1,optional"`
	Unknown    asn1.Flag     `asn1:"tag:2,optional"`
	ThisUpdate time.Time     `asn1:"generalized"`
	NextUpdate time.Time     `asn1:"generalized,explicit,tag:0,optional"`
	Extensions asn1.RawValue `asn1:"explicit,tag:1,optional"`
}

type ocspResponse struct {
	basic     basicOCSPASN
	data      responseDataASN
	certs     []*x509.Certificate
	tbsRaw    []byte
	signature []byte
}

func parseOCSP(der []byte) (*ocspResponse, error) {
	var r ocspResponseASN
	if _, err := asn1.Unmarshal(der, &r); err != nil {
		return nil, err
	}
	if r.Status != 0 || !r.Response.Type.Equal(oidOCSPBasic) {
		return nil, errors.New("ocsp: not a successful basic response")
	}
	o := &ocspResponse{}
	if _, err := asn1.Unmarshal(r.Response.Response, &o.basic); err != nil {
		return nil, err
	}
	if _, err := asn1.Unmarshal(o.basic.TBS.FullBytes, &o.data); err != nil {
		return nil, err
	}
	o.tbsRaw = o.basic.TBS.FullBytes
	o.signature = o.basic.Signature.RightAlign()
	for _, c := range o.basic.Certs {
		if cert, err := x509.ParseCertificate(c.FullBytes); err == nil {
			o.certs = append(o.certs, cert)
		}
	}
	return o, nil
}

// verifiedBy reports whether the response is signed by issuer or by a
// responder certificate that issuer delegated OCSP signing to.
func (o *ocspResponse) verifiedBy(issuer *x509.Certificate) bool {
	alg := sigAlgFromOID(o.basic.SigAlg.Algorithm)
	if alg == x509.UnknownSignatureAlgorithm {
		return false
	}
	if issuer.CheckSignature(alg, o.tbsRaw, o.signature) == nil {
		return true
	}
	for _, c := range o.certs {
		if c.CheckSignatureFrom(issuer) != nil {
			continue
		}
		delegated := false
		for _, u := range c.ExtKeyUsage {
			if u == x509.ExtKeyUsageOCSPSigning {
				delegated = true
			}
		}
		if delegated && c.CheckSignature(alg, o.tbsRaw, o.signature) == nil {
			return true
		}
	}
	return false
}

// statusFor returns cert's status from a response signed for issuer.
func (o *ocspResponse) statusFor(cert, issuer *x509.Certificate) (status string, revokedAt time.Time, ok bool) {
	status, revokedAt, _, ok = o.statusUntil(cert, issuer)
	return status, revokedAt, ok
}

// statusUntil is statusFor with the answer's nextUpdate (zero when the
// responder gave none).
func (o *ocspResponse) statusUntil(cert, issuer *x509.Certificate) (status string, revokedAt, nextUpdate time.Time, ok bool) {
	for _, sr := range o.data.Responses {
		if sr.CertID.Serial == nil || sr.CertID.Serial.Cmp(cert.SerialNumber) != 0 {
			continue
		}
		h, err := hashFor(sr.CertID.HashAlgorithm.Algorithm)
		if err != nil {
			// CertID commonly uses SHA-1 as an identifier, not for security.
			if sr.CertID.HashAlgorithm.Algorithm.Equal(oidSHA1) {
				h = crypto.SHA1
			} else {
				continue
			}
		}
		nh := h.New()
		nh.Write(issuer.RawSubject)
		var spki struct {
			Alg pkix.AlgorithmIdentifier
			Key asn1.BitString
		}
		if _, err := asn1.Unmarshal(issuer.RawSubjectPublicKeyInfo, &spki); err != nil {
			continue
		}
		kh := h.New()
		kh.Write(spki.Key.RightAlign())
		if !bytes.Equal(nh.Sum(nil), sr.CertID.NameHash) || !bytes.Equal(kh.Sum(nil), sr.CertID.KeyHash) {
			continue
		}
		if !o.verifiedBy(issuer) {
			return "", time.Time{}, time.Time{}, false
		}
		switch {
		case bool(sr.Good):
			return RevocationGood, time.Time{}, sr.NextUpdate, true
		case len(sr.Revoked.FullBytes) > 0:
			var ri struct {
				At     time.Time       `asn1:"generalized"`
				Reason asn1.Enumerated `asn1:"explicit,tag:0,optional"`
			}
			if _, err := asn1.UnmarshalWithParams(sr.Revoked.FullBytes, &ri, "tag:1"); err != nil {
				return RevocationRevoked, time.Time{}, sr.NextUpdate, true
			}
			return RevocationRevoked, ri.At, sr.NextUpdate, true
		}
		return RevocationUnknown, time.Time{}, sr.NextUpdate, true
	}
	return "", time.Time{}, time.Time{}, false
}

// ocspCache keeps OCSP answers fetched from responders until their
// nextUpdate, keyed by issuer and serial number, so that verifying many
// files signed with one certificate asks the responder once per period.
// It holds at most maxOCSPCache answers.
type ocspCache struct {
	mu sync.Mutex
	m  map[ocspKey]ocspAnswer
}

const maxOCSPCache = 4096

type ocspKey struct {
	issuer [32]byte // SHA-256 of the issuer's subject and public key
	serial string
}

type ocspAnswer struct {
	status     string
	revokedAt  time.Time
	nextUpdate time.Time
}

func ocspKeyFor(cert, issuer *x509.Certificate) ocspKey {
	h := sha256.New()
	h.Write(issuer.RawSubject)
	h.Write(issuer.RawSubjectPublicKeyInfo)
	var k ocspKey
	h.Sum(k.issuer[:0])
	k.serial = cert.SerialNumber.Text(16)
	return k
}

func (c *ocspCache) get(k ocspKey, now time.Time) (ocspAnswer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.m[k]
	if ok && !now.Before(a.nextUpdate) {
		delete(c.m, k)
		return ocspAnswer{}, false
	}
	return a, ok
}

// put stores a definitive answer whose nextUpdate is still ahead.
func (c *ocspCache) put(k ocspKey, a ocspAnswer, now time.Time) {
	if a.nextUpdate.IsZero() || !now.Before(a.nextUpdate) || (a.status != RevocationGood && a.status != RevocationRevoked) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[ocspKey]ocspAnswer{}
	}
	if len(c.m) >= maxOCSPCache {
		for key, old := range c.m {
			if !now.Before(old.nextUpdate) {
				delete(c.m, key)
			}
		}
		for key := range c.m {
			if len(c.m) < maxOCSPCache {
				break
			}
			delete(c.m, key)
		}
	}
	c.m[k] = a
}
