package demo

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/motcua/motcua"
)

// The demo CA is kept in the database (motcua.ClusterStore), so that every
// `serve --demo` node of one database signs with and trusts the same
// hierarchy: a document signed through one node verifies on another.
// The data folder's demo-ca/ is a copy for the tools that read files
// (`motcua import --demo-ca`, backups, tests signing as the demo CA).

// demoKeyCA names the CA bundle in the store; demoKeyAgency prefixes an
// agency's signing key and certificate chain.
const (
	demoKeyCA     = "ca"
	demoKeyAgency = "agency:"
)

// pemPart names a block of the CA bundle.
const pemPart = "Motcua-Part"

// ErrNoSharedCA is returned by SharedCA when asked not to create a CA and
// neither the database nor the folder holds one.
var ErrNoSharedCA = errors.New("no demo CA in the database or the data folder")

// SharedCA returns the demo CA of the database. On the first start the
// CA of dir (a single-node install made before the CA moved into the
// database) is imported, so that its documents keep verifying; without
// one a new CA is made when create is true. Several nodes starting at
// once all end up with the first one's CA. dir then receives a copy when
// it has none.
//
// A dir holding a different CA (a data folder of another install) is left
// alone and its root is returned in FolderRoot, to be trusted on this
// node too.
func SharedCA(ctx context.Context, store motcua.ClusterStore, dir string, create bool) (*CA, error) {
	local, lerr := loadCA(dir)
	if lerr != nil && !errors.Is(lerr, os.ErrNotExist) {
		return nil, fmt.Errorf("demo CA in %s: %w", dir, lerr)
	}
	stored, err := store.DemoKey(ctx, demoKeyCA)
	switch {
	case err == nil:
	case !motcua.IsKind(err, motcua.ENOTFOUND):
		return nil, err
	default:
		candidate := local
		if candidate == nil {
			if !create {
				return nil, ErrNoSharedCA
			}
			if candidate, err = newCA(timeNow()); err != nil {
				return nil, err
			}
		}
		bundle, err := candidate.bundle()
		if err != nil {
			return nil, err
		}
		if stored, err = store.KeepDemoKey(ctx, demoKeyCA, bundle); err != nil {
			return nil, err
		}
	}
	ca, err := parseBundle(stored)
	if err != nil {
		return nil, fmt.Errorf("demo CA in the database: %w", err)
	}
	switch {
	case local == nil:
		if err := ca.writeDir(dir); err != nil {
			return nil, fmt.Errorf("copy the demo CA to %s: %w", dir, err)
		}
	case !local.Root.Equal(ca.Root):
		slog.WarnContext(ctx, "the data folder holds another demo CA than the database; its root is trusted on this node only",
			"dir", dir, "folder_root", local.Root.Subject.String())
		ca.FolderRoot = local.Root
	}
	return ca, nil
}

// bundle encodes the CA as PEM blocks, each named by its Motcua-Part.
func (ca *CA) bundle() ([]byte, error) {
	var buf bytes.Buffer
	add := func(part, typ string, der []byte) {
		_ = pem.Encode(&buf, &pem.Block{Type: typ, Headers: map[string]string{pemPart: part}, Bytes: der})
	}
	for _, c := range []struct {
		part string
		cert *x509.Certificate
	}{{caRootFile, ca.Root}, {caInterFile, ca.Intermediate}, {caAgencyFile, ca.Agency}} {
		add(c.part, "CERTIFICATE", c.cert.Raw)
	}
	for _, k := range []struct {
		part string
		key  crypto.Signer
	}{{caKeyFile, ca.AgencyKey}, {caInterKey, ca.InterKey}} {
		if k.key == nil {
			continue
		}
		der, err := x509.MarshalPKCS8PrivateKey(k.key)
		if err != nil {
			return nil, err
		}
		add(k.part, "PRIVATE KEY", der)
	}
	return buf.Bytes(), nil
}

func parseBundle(data []byte) (*CA, error) {
	blocks := map[string]*pem.Block{}
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		blocks[b.Headers[pemPart]] = b
	}
	ca := &CA{}
	for name, dst := range map[string]**x509.Certificate{caRootFile: &ca.Root, caInterFile: &ca.Intermediate, caAgencyFile: &ca.Agency} {
		b := blocks[name]
		if b == nil {
			return nil, fmt.Errorf("no %s", name)
		}
		cert, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		*dst = cert
	}
	for name, dst := range map[string]*crypto.Signer{caKeyFile: &ca.AgencyKey, caInterKey: &ca.InterKey} {
		b := blocks[name]
		if b == nil {
			if name == caInterKey { // a CA made before the intermediate's key was kept
				continue
			}
			return nil, fmt.Errorf("no %s", name)
		}
		key, err := x509.ParsePKCS8PrivateKey(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		signer, ok := key.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("%s is not a signing key", name)
		}
		*dst = signer
	}
	return ca, nil
}
