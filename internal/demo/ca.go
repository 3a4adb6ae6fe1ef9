package demo

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// CA is the demo's certificate hierarchy, built like the Government
// Cipher Committee's (a root, an intermediate for state agencies, an
// agency's signing certificate) but with "(DEMO)" names and keys made on
// the first start. `serve --demo` trusts its root; production never
// does.
type CA struct {
	Root, Intermediate *x509.Certificate
	// Agency signs the demo results.
	Agency    *x509.Certificate
	AgencyKey crypto.Signer
	// InterKey issues each agency's own signing certificate (Keyring);
	// nil for a CA made before it was kept, whose agencies then all sign
	// with Agency.
	InterKey crypto.Signer
	// FolderRoot is the root of another demo CA found in the data folder
	// by SharedCA, trusted on that node too; usually nil.
	FolderRoot *x509.Certificate
}

// timeNow is the clock new CAs are dated by.
var timeNow = time.Now

// Chain returns the agency certificate's chain for signing.
func (ca *CA) Chain() []*x509.Certificate { return []*x509.Certificate{ca.Intermediate} }

const (
	caRootFile   = "root.pem"
	caInterFile  = "intermediate.pem"
	caAgencyFile = "agency.pem"
	caKeyFile    = "agency-key.pem"
	caInterKey   = "intermediate-key.pem"
)

// LoadOrCreateCA loads the demo CA from dir, creating it on first use, so
// that documents signed in an earlier run still verify.
func LoadOrCreateCA(dir string) (*CA, error) {
	if ca, err := loadCA(dir); err == nil {
		return ca, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("demo CA in %s: %w", dir, err)
	}
	ca, err := newCA(time.Now())
	if err != nil {
		return nil, err
	}
	if err := ca.writeDir(dir); err != nil {
		return nil, err
	}
	return ca, nil
}

// writeDir writes the CA's files into dir.
func (ca *CA) writeDir(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(ca.AgencyKey)
	if err != nil {
		return err
	}
	files := map[string][]byte{
		caRootFile:   pemBlock("CERTIFICATE", ca.Root.Raw),
		caInterFile:  pemBlock("CERTIFICATE", ca.Intermediate.Raw),
		caAgencyFile: pemBlock("CERTIFICATE", ca.Agency.Raw),
		caKeyFile:    pemBlock("PRIVATE KEY", keyDER),
	}
	order := []string{caRootFile, caInterFile, caAgencyFile, caKeyFile}
	if ca.InterKey != nil {
		interDER, err := x509.MarshalPKCS8PrivateKey(ca.InterKey)
		if err != nil {
			return err
		}
		files[caInterKey] = pemBlock("PRIVATE KEY", interDER)
		order = append([]string{caInterKey}, order...)
	}
	// The key is written last: its presence marks a complete CA.
	for _, name := range order {
		if err := writeFileAtomic(filepath.Join(dir, name), files[name]); err != nil {
			return err
		}
	}
	return nil
}

// RootFile is where LoadOrCreateCA keeps the root certificate, for
// --trust-dir style configuration.
func RootFile(dir string) string { return filepath.Join(dir, caRootFile) }

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func loadCA(dir string) (*CA, error) {
	read := func(name string) (*pem.Block, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		blk, _ := pem.Decode(b)
		if blk == nil {
			return nil, fmt.Errorf("%s: no PEM block", name)
		}
		return blk, nil
	}
	readKey := func(name string) (crypto.Signer, error) {
		blk, err := read(name)
		if err != nil {
			return nil, err
		}
		key, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
		if err != nil {
			return nil, err
		}
		signer, ok := key.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("%s is not a signing key", name)
		}
		return signer, nil
	}
	signer, err := readKey(caKeyFile)
	if err != nil {
		return nil, err
	}
	ca := &CA{AgencyKey: signer}
	if ca.InterKey, err = readKey(caInterKey); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	for name, dst := range map[string]**x509.Certificate{caRootFile: &ca.Root, caInterFile: &ca.Intermediate, caAgencyFile: &ca.Agency} {
		blk, err := read(name)
		if err != nil {
			return nil, err
		}
		if *dst, err = x509.ParseCertificate(blk.Bytes); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return ca, nil
}

func newCA(now time.Time) (*CA, error) {
	newKey := func() (*ecdsa.PrivateKey, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) }
	serial := func() *big.Int {
		n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
		return n.Add(n, big.NewInt(1))
	}
	name := func(cn, org string) pkix.Name {
		return pkix.Name{CommonName: cn, Organization: []string{org}, Country: []string{"VN"}}
	}
	notBefore, notAfter := now.Add(-24*time.Hour), now.AddDate(10, 0, 0)
	rootKey, err := newKey()
	if err != nil {
		return nil, err
	}
	rootTmpl := &x509.Certificate{SerialNumber: serial(), Subject: name("RootCA chuyên dùng Chính phủ G2 (DEMO)", "Ban Cơ yếu Chính phủ (DEMO)"),
		NotBefore: notBefore, NotAfter: notAfter, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	rootDER, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, &rootKey.PublicKey, rootKey)
	if err != nil {
		return nil, err
	}
	root, _ := x509.ParseCertificate(rootDER)
	interKey, err := newKey()
	if err != nil {
		return nil, err
	}
	interTmpl := &x509.Certificate{SerialNumber: serial(), Subject: name("CA phục vụ các cơ quan Nhà nước G2 (DEMO)", "Ban Cơ yếu Chính phủ (DEMO)"),
		NotBefore: notBefore, NotAfter: notAfter, IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	interDER, err := x509.CreateCertificate(rand.Reader, interTmpl, root, &interKey.PublicKey, rootKey)
	if err != nil {
		return nil, err
	}
	inter, _ := x509.ParseCertificate(interDER)
	agencyKey, err := newKey()
	if err != nil {
		return nil, err
	}
	agencyTmpl := &x509.Certificate{SerialNumber: serial(), Subject: name("Ủy ban nhân dân huyện An Lão (DEMO)", "UBND tỉnh Bình Định"),
		NotBefore: notBefore, NotAfter: notAfter.AddDate(-1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	agencyDER, err := x509.CreateCertificate(rand.Reader, agencyTmpl, inter, &agencyKey.PublicKey, interKey)
	if err != nil {
		return nil, err
	}
	agency, _ := x509.ParseCertificate(agencyDER)
	return &CA{Root: root, Intermediate: inter, Agency: agency, AgencyKey: agencyKey, InterKey: interKey}, nil
}
