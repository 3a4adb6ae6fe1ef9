package service

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig"
)

// AgencySigner is the key and certificate an agency signs with: its
// leader signs results with it, its certifying officer certified copies.
type AgencySigner struct {
	Key      crypto.Signer
	Cert     *x509.Certificate
	Chain    []*x509.Certificate // intermediates, leaf-most first
	Location string              // shown in the signature, e.g. "An Lão, Bình Định"
}

// SignPDF signs pdf as name (the signing officer) for reason. A file the
// signer cannot read (broken, encrypted, or beyond pdfsig's limits) is
// refused as EINVALID with the verifier's reason code.
func (s *AgencySigner) SignPDF(ctx context.Context, pdf []byte, name, reason string, at time.Time) ([]byte, error) {
	var out bytes.Buffer
	err := pdfsig.SignContext(ctx, &out, bytes.NewReader(pdf), int64(len(pdf)), pdfsig.SignOptions{
		Key: s.Key, Cert: s.Cert, Chain: s.Chain, Name: name, Reason: reason, Location: s.Location, Time: at})
	if err != nil {
		if refused := pdfRefused(err); refused != nil {
			return nil, refused
		}
		return nil, motcua.Internal(fmt.Errorf("sign pdf: %w", err))
	}
	return out.Bytes(), nil
}

// signAndCheck signs up.Data with agency's key as signer (the officer's
// name) for reason, claiming time at, then checks and stores the signed
// file as any uploaded result is: a key the trusted CAs do not vouch for
// is refused here, before anything is recorded. The report comes with a
// refusal.
func (w *Warehouse) signAndCheck(ctx context.Context, keys Keyring, agency string, up Upload, signer, reason string,
	at time.Time) (motcua.File, motcua.SignatureSummary, *motcua.SignatureCheck, error) {
	s, err := keys.AgencySigner(ctx, agency)
	if err != nil {
		return motcua.File{}, motcua.SignatureSummary{}, nil, err
	}
	signed, err := s.SignPDF(ctx, up.Data, signer, reason, at)
	if err != nil {
		return motcua.File{}, motcua.SignatureSummary{}, nil, err
	}
	return w.checkFile(ctx, Upload{Name: up.Name, Data: signed})
}

// Keyring finds the signer of an agency. A Keyring answers ENOTFOUND
// (signing_key_missing) for an agency without a key.
type Keyring interface {
	AgencySigner(ctx context.Context, agencyCode string) (*AgencySigner, error)
}

// errNoSigningKey is the refusal when an agency has no signing key.
func errNoSigningKey(agency string) error {
	return motcua.Errorf(motcua.ENOTFOUND, "signing_key_missing",
		"Cơ quan %s chưa được cấu hình chứng thư số để ký số.", agency)
}

// Keys is a Keyring held in memory.
type Keys struct {
	mu       sync.RWMutex
	byAgency map[string]*AgencySigner
}

// NewKeys returns an empty keyring.
func NewKeys() *Keys { return &Keys{byAgency: map[string]*AgencySigner{}} }

// Set gives agency its signer.
func (k *Keys) Set(agency string, s *AgencySigner) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.byAgency[agency] = s
}

// AgencySigner implements Keyring.
func (k *Keys) AgencySigner(_ context.Context, agency string) (*AgencySigner, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	if s := k.byAgency[agency]; s != nil {
		return s, nil
	}
	return nil, errNoSigningKey(agency)
}

// LoadKeyDir reads one PEM file per agency from dir, named after the
// agency code ("000.00.06.H08.pem"), holding its PKCS#8 private key and
// its certificate chain, leaf first.
func LoadKeyDir(dir, location string) (*Keys, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	keys := NewKeys()
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".pem") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		s, err := ParseSignerPEM(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		s.Location = location
		keys.Set(strings.TrimSuffix(e.Name(), ".pem"), s)
	}
	return keys, nil
}

// ParseSignerPEM reads a PKCS#8 private key and a certificate chain (leaf
// first) from PEM blocks, checking that the key matches the leaf.
func ParseSignerPEM(data []byte) (*AgencySigner, error) {
	s := &AgencySigner{}
	for {
		var blk *pem.Block
		blk, data = pem.Decode(data)
		if blk == nil {
			break
		}
		switch blk.Type {
		case "PRIVATE KEY":
			key, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
			if err != nil {
				return nil, err
			}
			signer, ok := key.(crypto.Signer)
			if !ok {
				return nil, errors.New("the private key cannot sign")
			}
			s.Key = signer
		case "CERTIFICATE":
			cert, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return nil, err
			}
			if s.Cert == nil {
				s.Cert = cert
			} else {
				s.Chain = append(s.Chain, cert)
			}
		}
	}
	if s.Key == nil || s.Cert == nil {
		return nil, errors.New("a private key and a certificate are required")
	}
	type publicKey interface{ Equal(crypto.PublicKey) bool }
	if pub, ok := s.Key.Public().(publicKey); !ok || !pub.Equal(s.Cert.PublicKey) {
		return nil, errors.New("the private key does not match the certificate")
	}
	return s, nil
}

// SignerPEM is the inverse of ParseSignerPEM.
func SignerPEM(s *AgencySigner) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(s.Key)
	if err != nil {
		return nil, err
	}
	out := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	for _, c := range append([]*x509.Certificate{s.Cert}, s.Chain...) {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out, nil
}
