package main

import (
	"context"
	"crypto/x509"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig"
	"github.com/motcua/motcua/internal/service"
)

// trustConfig selects the certificates uploaded PDFs must chain to.
type trustConfig struct {
	TrustDir   string
	Revocation string
	CRLHosts   string
}

func (t *trustConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&t.TrustDir, "trust-dir", envDefault("MOTCUA_TRUST_DIR", ""),
		"folder of trusted root certificates (PEM or DER) for signed PDFs, e.g. RootCA chuyên dùng Chính phủ G2 [$MOTCUA_TRUST_DIR]")
	fs.StringVar(&t.Revocation, "revocation", envDefault("MOTCUA_REVOCATION", ""),
		"revocation policy for signatures: require (refuse a certificate naming an OCSP responder or CRL whose status cannot be established; "+
			"the default), prefer (accept with a warning when unknown; the default with the demo CA) or off [$MOTCUA_REVOCATION]")
	fs.StringVar(&t.CRLHosts, "crl-hosts", envDefault("MOTCUA_CRL_HOSTS", ""),
		"comma-separated hosts CRLs and OCSP answers may be fetched from [$MOTCUA_CRL_HOSTS]")
}

// demoCADir is where the demo keeps its certificate hierarchy.
func demoCADir(dataDir string) string { return filepath.Join(dataDir, "demo-ca") }

// policy is the revocation policy: --revocation when given, else require,
// or prefer with the demo CA (whose certificates name no OCSP responder or
// CRL, and which runs no responder).
func (t *trustConfig) policy(demoMode bool) pdfsig.RevocationPolicy {
	switch {
	case t.Revocation != "":
		return pdfsig.RevocationPolicy(t.Revocation)
	case demoMode:
		return pdfsig.RevocationPrefer
	}
	return pdfsig.RevocationRequire
}

// options are the PDF verifier's configured options: the --trust-dir
// anchors plus extra (the demo CA in demo mode). The anchors
// administrators store in the database come on top (service.TrustAnchors).
func (t *trustConfig) options(demoMode bool, extra ...*x509.Certificate) (pdfsig.Options, error) {
	anchors := append([]*x509.Certificate{}, extra...)
	if t.TrustDir != "" {
		certs, err := pdfsig.LoadTrustAnchors(t.TrustDir)
		if err != nil {
			return pdfsig.Options{}, err
		}
		anchors = append(anchors, certs...)
	}
	opts := pdfsig.Options{TrustAnchors: anchors, Revocation: t.policy(demoMode), AllowedHosts: splitList(t.CRLHosts)}
	if _, err := pdfsig.NewVerifier(opts); err != nil {
		return pdfsig.Options{}, usageError{err.Error()}
	}
	if t.policy(demoMode) == pdfsig.RevocationRequire && t.CRLHosts == "" {
		// Not an error: signatures that embed their OCSP answers or CRLs
		// (PAdES B-LT) still pass. Others naming a responder cannot.
		slog.Warn("revocation policy is require but --crl-hosts is empty: certificates that name an OCSP responder or CRL " +
			"are refused unless the PDF embeds their revocation data; list the CA's hosts in --crl-hosts (MOTCUA_CRL_HOSTS)")
	}
	return opts, nil
}

// openWarehouse builds the warehouse service over store and the blob
// folder, with the PDF verifier trusting the configured anchors and those
// stored in the database. In demo mode the demo CA of the database (made
// by the first node, demo.SharedCA) is trusted; createCA lets this call
// make it.
func openWarehouse(ctx context.Context, c *commonConfig, t *trustConfig, store motcua.Store, demoMode, createCA bool) (*service.Warehouse, *service.TrustAnchors, *demo.CA, error) {
	blobs, err := c.openBlobs()
	if err != nil {
		return nil, nil, nil, err
	}
	var ca *demo.CA
	var extra []*x509.Certificate
	if demoMode {
		if ca, err = demo.SharedCA(ctx, store, demoCADir(c.DataDir), createCA); err != nil {
			return nil, nil, nil, fmt.Errorf("demo CA: %w", err)
		}
		extra = append(extra, ca.Root)
		if ca.FolderRoot != nil {
			extra = append(extra, ca.FolderRoot)
		}
	}
	opts, err := t.options(demoMode, extra...)
	if err != nil {
		return nil, nil, nil, err
	}
	anchors, err := service.NewTrustAnchors(store, opts, service.TrustAnchorsConfig{})
	if err != nil {
		return nil, nil, nil, usageError{err.Error()}
	}
	return service.NewWarehouse(store, blobs, anchors, service.WarehouseConfig{}), anchors, ca, nil
}
