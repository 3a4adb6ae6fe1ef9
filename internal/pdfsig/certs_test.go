package pdfsig

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

func TestLoadTrustAnchors(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	dir := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("root.pem", pdfsigtest.CertPEM(tb.h.Root.Cert, tb.h.Intermediate.Cert))
	write("other.der", tb.h.LookAlikeRoot.Cert.Raw)
	write("README.txt", []byte("không phải chứng thư"))
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	certs, err := LoadTrustAnchors(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) != 3 {
		t.Fatalf("loaded %d certificates, want 3", len(certs))
	}

	write("broken.pem", []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
	if _, err := LoadTrustAnchors(dir); err == nil {
		t.Error("a broken certificate file must be an error")
	}
	if _, err := LoadTrustAnchors(t.TempDir()); err == nil {
		t.Error("an empty folder must be an error")
	}
	if _, err := LoadTrustAnchors(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing folder must be an error")
	}
}

func TestParsePrivateKey(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	k, err := ParsePrivateKey(pdfsigtest.KeyPEM(t, tb.h.Officer.Key))
	if err != nil {
		t.Fatal(err)
	}
	if !k.Public().(*ecdsa.PublicKey).Equal(tb.h.Officer.Key.Public()) {
		t.Error("wrong key")
	}
	sec1, err := x509.MarshalECPrivateKey(tb.h.Officer.Key.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParsePrivateKey(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1})); err != nil {
		t.Error(err)
	}
	rsaKey := pdfsigtest.RSAKey(t, 2048)
	if _, err := ParsePrivateKey(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)})); err != nil {
		t.Error(err)
	}
	if _, err := ParsePrivateKey(pdfsigtest.CertPEM(tb.h.Root.Cert)); err == nil {
		t.Error("a certificate is not a key")
	}
}
