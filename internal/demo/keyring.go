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
// issued by the demo CA's intermediate on first use and kept in the
// database (one PEM as service.LoadKeyDir reads them per agency), so that
// results and certified copies name the agency that signed them, and
// every node of a cluster signs for an agency with the same key. dir is
// where a single-node install kept the keys before: a key found there is
// moved into the database on first use.
type Keyring struct {
	ca    *CA
	dir   string
	store KeyringStore
	mu    sync.Mutex
	keys  *service.Keys
}

// KeyringStore is what the keyring reads and keeps its keys in.
type KeyringStore interface {
	motcua.AgencyStore
	motcua.ClusterStore
}

// demoLocation is the place shown in demo signatures.
const demoLocation = "An Lão, Bình Định"

// NewKeyring returns the demo keyring; store names the certificates and
// keeps the keys.
func NewKeyring(ca *CA, dir string, store KeyringStore) *Keyring {
	return &Keyring{ca: ca, dir: dir, store: store, keys: service.NewKeys()}
}

// AgencySigner implements service.Keyring.
func (k *Keyring) AgencySigner(ctx context.Context, code string) (*service.AgencySigner, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if s, err := k.keys.AgencySigner(ctx, code); err == nil {
		return s, nil
	}
	a, err := k.store.GetAgency(ctx, code)
	if err != nil {
		return nil, err
	}
	s, err := k.load(ctx, a)
	if err != nil {
		return nil, motcua.Internal(err)
	}
	s.Location = demoLocation
	k.keys.Set(code, s)
	return s, nil
}

func (k *Keyring) file(code string) string { return filepath.Join(k.dir, code+".pem") }

// load reads the agency's key from the database; the first node to need
// it stores the key of the old folder, else a new one, and every node
// then uses what was stored first.
func (k *Keyring) load(ctx context.Context, a *motcua.Agency) (*service.AgencySigner, error) {
	name := demoKeyAgency + a.Code
	data, err := k.store.DemoKey(ctx, name)
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		data, err = os.ReadFile(k.file(a.Code))
		if errors.Is(err, os.ErrNotExist) {
			if k.ca.InterKey == nil {
				// A CA without its intermediate's key lends every agency the
				// district's certificate.
				return &service.AgencySigner{Key: k.ca.AgencyKey, Cert: k.ca.Agency, Chain: k.ca.Chain()}, nil
			}
			data, err = k.issue(a)
		}
		if err == nil {
			data, err = k.store.KeepDemoKey(ctx, name, data)
		}
	}
	if err != nil {
		return nil, err
	}
	return service.ParseSignerPEM(data)
}

// issue makes agency a key and a certificate, as PEM.
func (k *Keyring) issue(a *motcua.Agency) ([]byte, error) {
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
	return service.SignerPEM(&service.AgencySigner{Key: key, Cert: cert, Chain: k.ca.Chain()})
}
