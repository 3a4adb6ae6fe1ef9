package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// TestRevocationDefaultsToRequire: outside demo mode a signature whose
// certificate names an OCSP responder that cannot be reached is refused
// (revocation_unknown) unless the operator chose --revocation prefer; with
// the demo CA the default stays prefer. Through "motcua import", which
// builds its verifier as serve does.
func TestRevocationDefaultsToRequire(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupImport(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	h := pdfsigtest.NewHierarchy(t, time.Now())
	leaf := h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "UBND thị trấn", CRLURL: "none", OCSPURL: deadURL + "/ocsp"})
	trust := filepath.Join(t.TempDir(), "trust")
	if err := os.Mkdir(trust, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(trust, "root.pem"), pdfsigtest.CertPEM(h.Root.Cert), 0o640); err != nil {
		t.Fatal(err)
	}
	var signed bytes.Buffer
	pdf := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay khai sinh"})
	if err := pdfsig.Sign(&signed, bytes.NewReader(pdf), int64(len(pdf)), pdfsig.SignOptions{Key: leaf.Key, Cert: leaf.Cert, Chain: leaf.Chain}); err != nil {
		t.Fatal(err)
	}
	b.write(t, "ks.pdf", signed.Bytes())
	c := demo.Citizens()[0]
	b.manifest(t, "manifest.csv", []manifestRow{{"ks.pdf", c.Code, c.Name, demo.CategoryBirthCertificate,
		resultCode(t, c.Code, demo.CategoryBirthCertificate, "KS-OCSP"), "", "Đăng ký khai sinh", demo.TownCode, "15/03/2023"}})
	args := func(extra ...string) []string {
		return append([]string{"--dir", b.dir, "--data-dir", b.dataDir, "--trust-dir", trust,
			"--crl-hosts", strings.TrimPrefix(deadURL, "http://"), "--log-format", "json"}, extra...)
	}
	rejects := filepath.Join(t.TempDir(), "rejects.csv")
	var stdout, stderr bytes.Buffer
	err := runImport(ctx, args("--rejects", rejects), &stdout, &stderr)
	var rejected rowsRejectedError
	if !errors.As(err, &rejected) || rejected.rejected != 1 {
		t.Fatalf("default policy: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	if got := readRejects(t, rejects); got["ks.pdf"] != "revocation_unknown" {
		t.Errorf("default policy rejects %v, want revocation_unknown", got)
	}
	stdout.Reset()
	if err := runImport(ctx, args("--revocation", "prefer"), &stdout, &stderr); err != nil {
		t.Fatalf("--revocation prefer: %v\n%s", err, stdout.String())
	}
}

// TestRevocationPolicyFlag: the policy each mode starts with.
func TestRevocationPolicyFlag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		demo bool
		want pdfsig.RevocationPolicy
	}{
		{nil, false, pdfsig.RevocationRequire},
		{nil, true, pdfsig.RevocationPrefer},
		{[]string{"--revocation", "prefer"}, false, pdfsig.RevocationPrefer},
		{[]string{"--revocation", "require"}, true, pdfsig.RevocationRequire},
		{[]string{"--revocation", "off"}, false, pdfsig.RevocationOff},
	} {
		var cfg trustConfig
		fs := newFlagSet("test", "", &bytes.Buffer{})
		cfg.register(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		if got := cfg.policy(tc.demo); got != tc.want {
			t.Errorf("%v demo=%v: %q, want %q", tc.args, tc.demo, got, tc.want)
		}
	}
}
