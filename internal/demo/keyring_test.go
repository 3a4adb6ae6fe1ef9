package demo_test

import (
	"context"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// Each agency signs with a certificate of its own, chained to the demo
// root, and gets the same one back after a restart.
func TestKeyringIssuesOneCertificatePerAgency(t *testing.T) {
	ctx := context.Background()
	st := seeded(t)
	caDir, keyDir := t.TempDir(), t.TempDir()
	ca, err := demo.LoadOrCreateCA(caDir)
	if err != nil {
		t.Fatal(err)
	}
	agencies, err := st.ListAgencies(ctx, motcua.AgencyFilter{})
	if err != nil || len(agencies) < 2 {
		t.Fatalf("agencies: %v %d", err, len(agencies))
	}
	kr := demo.NewKeyring(ca, keyDir, st)
	a, err := kr.AgencySigner(ctx, agencies[0].Code)
	if err != nil {
		t.Fatal(err)
	}
	b, err := kr.AgencySigner(ctx, agencies[1].Code)
	if err != nil {
		t.Fatal(err)
	}
	if a.Cert.Equal(b.Cert) || !strings.Contains(a.Cert.Subject.CommonName, agencies[0].Name) {
		t.Fatalf("certificates: %q and %q", a.Cert.Subject.CommonName, b.Cert.Subject.CommonName)
	}
	if _, err := kr.AgencySigner(ctx, "999.99.99.Z99"); !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatalf("unknown agency: %v", err)
	}

	// A restart, or another node (a new keyring, other folders), finds
	// the same key in the database.
	ca2, err := demo.LoadOrCreateCA(caDir)
	if err != nil {
		t.Fatal(err)
	}
	again, err := demo.NewKeyring(ca2, t.TempDir(), st).AgencySigner(ctx, agencies[0].Code)
	if err != nil || !again.Cert.Equal(a.Cert) {
		t.Fatalf("after restart: %v", err)
	}

	signed, err := a.SignPDF(ctx, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "ket qua"}), "Lãnh đạo", "Ký số kết quả", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	v, err := pdfsig.NewVerifier(pdfsig.Options{TrustAnchors: []*x509.Certificate{ca.Root}, Revocation: pdfsig.RevocationOff})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := v.VerifyBytes(ctx, signed)
	if err != nil || rep.Status != pdfsig.StatusValid || len(rep.Signatures) != 1 ||
		!strings.Contains(rep.Signatures[0].SignerName, agencies[0].Name) {
		t.Fatalf("verify: %v %+v", err, rep)
	}
}
