package pdfsig

import (
	"context"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const rubDir = "../../../shared/testdata/pdf-attacks/rub-shadow"

func rubFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(rubDir, "*.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("RUB shadow-attack corpus not found in %s", rubDir)
	}
	return files
}

// embeddedSigner returns the signer certificate of the first signature, to
// be used as a test trust anchor the way the corpus README describes.
func embeddedSigner(t testing.TB, data []byte) *x509.Certificate {
	t.Helper()
	b := &budget{maxOps: 1 << 30, maxDepth: 100, maxDecoded: 1 << 30}
	d, _, err := openLatestRevision(data, b, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := findSignatures(d)
	if err != nil || len(sigs) == 0 {
		t.Fatalf("no signature: %v", err)
	}
	c, _ := sigs[0].dict["Contents"].(String)
	p, err := parseCMS(c.Value)
	if err != nil {
		t.Fatal(err)
	}
	return p.signer
}

func TestRUBShadowCorpus(t *testing.T) {
	t.Parallel()
	for _, f := range rubFiles(t) {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			anchor := embeddedSigner(t, data)
			for _, trusted := range []bool{false, true} {
				opts := Options{Revocation: RevocationOff}
				if trusted {
					opts.TrustAnchors = []*x509.Certificate{anchor}
				}
				v, err := NewVerifier(opts)
				if err != nil {
					t.Fatal(err)
				}
				rep, err := v.VerifyBytes(context.Background(), data)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("trusted=%v: %s %q %s", trusted, rep.Status, rep.Reason, rep.Detail)
				switch {
				case strings.Contains(name, "__4_"):
					if rep.Reason != ReasonModifiedAfterSigning {
						t.Errorf("trusted=%v: reason %q (%s), want modified_after_signing", trusted, rep.Reason, rep.Detail)
					}
				case strings.Contains(name, "__3_"):
					want := ReasonUntrustedSigner
					if trusted {
						want = ReasonNone
					}
					if rep.Reason != want {
						t.Errorf("trusted=%v: reason %q (%s), want %q", trusted, rep.Reason, rep.Detail, want)
					}
					if len(rep.Signatures) != 1 || !rep.Signatures[0].WholeFile {
						t.Errorf("trusted=%v: want one whole-file signature, got %+v", trusted, rep.Signatures)
					}
				}
			}
		})
	}
}
