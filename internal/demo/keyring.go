package demo

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

// Keyring gives every agency of the demo its own signing certificate,
// issued by the demo CA's intermediate on first use and kept in dir
// (one PEM file per agency, as service.LoadKeyDir reads them), so that
// results and certified copies name the agency that signed them.
type Keyring struct {
	ca       *CA
	dir      string
	agencies motcua.AgencyStore
	mu       sync.Mutex
	keys     *service.Keys
}

// demoLocation is the place shown in demo signatures.
const demoLocation = "An Lão, Bình Định"

// NewKeyring returns the demo keyring; agencies names the certificates.
func NewKeyring(ca *CA, dir string, agencies motcua.AgencyStore) *Keyring {
	return &Keyring{ca: ca, dir: dir, agencies: agencies, keys: service.NewKeys()}
}

// AgencySigner implements service.Keyring.
func (k *Keyring) AgencySigner(ctx context.Context, code string) (*service.AgencySigner, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if s, err := k.keys.AgencySigner(ctx, code); err == nil {
		return s, nil
	}
	a, err := k.agencies.GetAgency(ctx, code)
	if err != nil {
		return nil, err
	}
	s, err := k.load(a.Code)
	if errors.Is(err, os.ErrNotExist) {
		s, err = k.issue(a)
	}
	if err != nil {
		return nil, motcua.Internal(err)
	}
	s.Location = demoLocation
	k.keys.Set(code, s)
	return s, nil
}

func (k *Keyring) file(code string) string { return filepath.Join(k.dir, code+".pem") }

func (k *Keyring) load(code string) (*service.AgencySigner, error) {
	data, err := os.ReadFile(k.file(code))
	if err != nil {
		return nil, err
	}
	return service.ParseSignerPEM(data)
}

// issue makes agency a key and a certificate; a CA without its
// intermediate's key lends every agency the district's certificate.
func (k *Keyring) issue(a *motcua.Agency) (*service.AgencySigner, error) {
	if k.ca.InterKey == nil {
		return &service.AgencySigner{Key: k.ca.AgencyKey, Cert: k.ca.Agency, Chain: k.ca.Chain()}, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: serial.Add(serial, big.NewInt(1)),
		Subject:   pkix.Name{CommonName: a.Name + " (DEMO)", Organization: []string{"UBND tỉnh Bình Định"}, Country: []string{"VN"}},
		NotBefore: now.Add(-24 * time.Hour), NotAfter: k.ca.Intermediate.NotAfter.AddDate(0, 0, -1),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, k.ca.Intermediate, &key.PublicKey, k.ca.InterKey)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	s := &service.AgencySigner{Key: key, Cert: cert, Chain: k.ca.Chain()}
	data, err := service.SignerPEM(s)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(k.dir, 0o750); err != nil {
		return nil, err
	}
	return s, writeFileAtomic(k.file(a.Code), data)
}
