// Package pdfsigtest builds test fixtures for PDF signatures in Go: a
// certificate hierarchy mirroring the Government Cipher Committee CA, a
// look-alike untrusted CA with the same names, CRLs, and minimal PDFs.
// Nothing here is for production use.
package pdfsigtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sync"
	"testing"
	"time"
)

// Names of the test hierarchy, mirroring the production one.
const (
	RootName         = "RootCA chuyên dùng Chính phủ G2 (TEST)"
	IntermediateName = "CA phục vụ các cơ quan Nhà nước G2 (TEST)"
	Organization     = "Ban Cơ yếu Chính phủ"
)

// CA is a certificate authority with its key.
type CA struct {
	Cert *x509.Certificate
	Key  crypto.Signer
	// Issuer is the CA that issued this one (nil for a root).
	Issuer *CA
}

// Leaf is an end-entity certificate with its key and the chain up to (not
// including) the root.
type Leaf struct {
	Cert  *x509.Certificate
	Key   crypto.Signer
	Chain []*x509.Certificate
}

// Hierarchy is the trusted test hierarchy plus a look-alike that reuses its
// names with different keys.
type Hierarchy struct {
	Root, Intermediate                   *CA
	LookAlikeRoot, LookAlikeIntermediate *CA
	// Officer and Agency are valid leaves issued by Intermediate (ECDSA P-256).
	Officer, Agency *Leaf
	// Epoch is the reference "now" the certificates are built around.
	Epoch time.Time
}

// CRLURL is the distribution point written into leaves; tests serve CRLs
// there with an httptest server and a custom client (or rewrite the host).
const CRLURL = "http://crl.test.invalid/ca-g2.crl"

func nextSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return n.Add(n, big.NewInt(1))
}

// NewHierarchy builds the hierarchy with validity around epoch.
func NewHierarchy(t testing.TB, epoch time.Time) *Hierarchy {
	t.Helper()
	h := &Hierarchy{Epoch: epoch}
	h.Root = NewRoot(t, RootName, epoch)
	h.Intermediate = h.Root.NewIntermediate(t, IntermediateName, epoch)
	h.LookAlikeRoot = NewRoot(t, RootName, epoch)
	h.LookAlikeIntermediate = h.LookAlikeRoot.NewIntermediate(t, IntermediateName, epoch)
	h.Officer = h.Intermediate.Issue(t, LeafOptions{CommonName: "Nguyễn Văn An", Organization: "UBND phường Bến Nghé"})
	h.Agency = h.Intermediate.Issue(t, LeafOptions{CommonName: "Ủy ban nhân dân phường Bến Nghé", Organization: "UBND Quận 1"})
	return h
}

func ecKey(t testing.TB) crypto.Signer {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// rsaKeys caches RSA keys by size: generating them dominates test time on a
// small machine, and sharing a key between test certificates is harmless.
var rsaKeys sync.Map

// RSAKey returns a (shared) RSA key of the given size.
func RSAKey(t testing.TB, bits int) *rsa.PrivateKey {
	t.Helper()
	if k, ok := rsaKeys.Load(bits); ok {
		return k.(*rsa.PrivateKey)
	}
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	actual, _ := rsaKeys.LoadOrStore(bits, k)
	return actual.(*rsa.PrivateKey)
}

func name(cn string) pkix.Name {
	return pkix.Name{CommonName: cn, Organization: []string{Organization}, Country: []string{"VN"}}
}

// NewRoot creates a self-signed root CA.
func NewRoot(t testing.TB, cn string, epoch time.Time) *CA {
	t.Helper()
	key := ecKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          nextSerial(),
		Subject:               name(cn),
		NotBefore:             epoch.AddDate(-10, 0, 0),
		NotAfter:              epoch.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	return &CA{Cert: create(t, tmpl, tmpl, key.Public(), key), Key: key}
}

// NewIntermediate creates a subordinate CA.
func (ca *CA) NewIntermediate(t testing.TB, cn string, epoch time.Time) *CA {
	t.Helper()
	key := ecKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          nextSerial(),
		Subject:               name(cn),
		NotBefore:             epoch.AddDate(-8, 0, 0),
		NotAfter:              epoch.AddDate(8, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	return &CA{Cert: create(t, tmpl, ca.Cert, key.Public(), ca.Key), Key: key, Issuer: ca}
}

// KeyType selects a leaf key.
type KeyType int

// Leaf key types.
const (
	ECDSAP256 KeyType = iota
	ECDSAP384
	RSA2048
	RSA1024
)

// LeafOptions configures Issue.
type LeafOptions struct {
	CommonName, Organization string
	Key                      KeyType
	// NotBefore/NotAfter default to one year either side of the epoch
	// (the issuing CA's NotBefore + 8 years).
	NotBefore, NotAfter time.Time
	KeyUsage            x509.KeyUsage
	ExtKeyUsage         []x509.ExtKeyUsage
	// CRLURL overrides the distribution point (default CRLURL; "none" for
	// no distribution point).
	CRLURL string
	// OCSPURL, when set, is written as the OCSP responder address.
	OCSPURL string
}

// Issue creates an end-entity certificate.
func (ca *CA) Issue(t testing.TB, o LeafOptions) *Leaf {
	t.Helper()
	var key crypto.Signer
	switch o.Key {
	case ECDSAP384:
		k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		key = k
	case RSA2048:
		key = RSAKey(t, 2048)
	case RSA1024:
		key = RSAKey(t, 1024)
	default:
		key = ecKey(t)
	}
	leaf := ca.IssueFor(t, key.Public(), o)
	leaf.Key = key
	return leaf
}

// IssueFor certifies a public key whose private key lives elsewhere (for
// example in an NSS database); the returned Leaf has no Key.
func (ca *CA) IssueFor(t testing.TB, pub crypto.PublicKey, o LeafOptions) *Leaf {
	t.Helper()
	epoch := ca.Cert.NotBefore.AddDate(8, 0, 0)
	if o.NotBefore.IsZero() {
		o.NotBefore = epoch.AddDate(-1, 0, 0)
	}
	if o.NotAfter.IsZero() {
		o.NotAfter = epoch.AddDate(1, 0, 0)
	}
	if o.KeyUsage == 0 {
		o.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	}
	if o.CRLURL == "" {
		o.CRLURL = CRLURL
	}
	org := o.Organization
	subj := pkix.Name{CommonName: o.CommonName, Country: []string{"VN"}}
	if org != "" {
		subj.Organization = []string{org}
	}
	tmpl := &x509.Certificate{
		SerialNumber:          nextSerial(),
		Subject:               subj,
		NotBefore:             o.NotBefore,
		NotAfter:              o.NotAfter,
		KeyUsage:              o.KeyUsage,
		ExtKeyUsage:           o.ExtKeyUsage,
		BasicConstraintsValid: true,
	}
	if o.OCSPURL != "" {
		tmpl.OCSPServer = []string{o.OCSPURL}
	}
	if o.CRLURL != "none" {
		tmpl.CRLDistributionPoints = []string{o.CRLURL}
	}
	cert := create(t, tmpl, ca.Cert, pub, ca.Key)
	var chain []*x509.Certificate
	for c := ca; c != nil && c.Issuer != nil; c = c.Issuer {
		chain = append(chain, c.Cert)
	}
	return &Leaf{Cert: cert, Chain: chain}
}

// Revoked is one CRL entry.
type Revoked struct {
	Cert *x509.Certificate
	At   time.Time
}

// CRL returns a DER CRL issued by ca at thisUpdate.
func (ca *CA) CRL(t testing.TB, thisUpdate time.Time, revoked ...Revoked) []byte {
	t.Helper()
	var entries []x509.RevocationListEntry
	for _, r := range revoked {
		entries = append(entries, x509.RevocationListEntry{SerialNumber: r.Cert.SerialNumber, RevocationTime: r.At})
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number:                    nextSerial(),
		ThisUpdate:                thisUpdate,
		NextUpdate:                thisUpdate.AddDate(0, 0, 7),
		RevokedCertificateEntries: entries,
	}, ca.Cert, ca.Key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func create(t testing.TB, tmpl, parent *x509.Certificate, pub any, key crypto.Signer) *x509.Certificate {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// CertPEM encodes certificates as PEM.
func CertPEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// KeyPEM encodes a private key as PKCS#8 PEM.
func KeyPEM(t testing.TB, key crypto.Signer) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}
