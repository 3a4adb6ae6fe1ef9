package pdfsig

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// LoadTrustAnchors reads every certificate in dir (PEM files, possibly with
// several certificates each, or DER files). Subdirectories and files that
// hold no certificate are skipped; a file that looks like a certificate but
// does not parse is an error, so a broken anchor is noticed at start-up.
func LoadTrustAnchors(dir string) ([]*x509.Certificate, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("trust anchors: %w", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var out []*x509.Certificate
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return nil, fmt.Errorf("trust anchors: %w", err)
		}
		certs, err := ParseCertificates(b)
		if err != nil {
			switch filepath.Ext(n) {
			case ".pem", ".crt", ".cer", ".der":
				return nil, fmt.Errorf("trust anchors: %s: %w", n, err)
			}
			continue
		}
		out = append(out, certs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("trust anchors: no certificate in %s", dir)
	}
	return out, nil
}

// ParseCertificates parses PEM (all CERTIFICATE blocks) or a single DER
// certificate.
func ParseCertificates(b []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	rest := b
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) > 0 {
		return out, nil
	}
	c, err := x509.ParseCertificate(b)
	if err != nil {
		return nil, errors.New("no PEM or DER certificate")
	}
	return []*x509.Certificate{c}, nil
}

// ParsePrivateKey parses a PEM private key (PKCS#8, PKCS#1 RSA or SEC 1 EC).
func ParsePrivateKey(b []byte) (crypto.Signer, error) {
	rest := b
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			return nil, errors.New("no PEM private key")
		}
		var k any
		var err error
		switch blk.Type {
		case "PRIVATE KEY":
			k, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
		case "RSA PRIVATE KEY":
			k, err = x509.ParsePKCS1PrivateKey(blk.Bytes)
		case "EC PRIVATE KEY":
			k, err = x509.ParseECPrivateKey(blk.Bytes)
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		s, ok := k.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("unsupported key type %T", k)
		}
		return s, nil
	}
}
