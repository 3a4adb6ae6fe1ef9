package pdfsig

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// benchFile builds a signed PDF of about size bytes (RSA-2048 signer,
// incompressible padding so the file size is what gets hashed).
func benchFile(b testing.TB, tb *testBundle, size int) []byte {
	leaf := tb.h.Intermediate.Issue(b, pdfsigtest.LeafOptions{CommonName: "Trần Thị Bình", Key: pdfsigtest.RSA2048})
	pdf := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Padding: size - 40<<10, Seed: uint64(size)})
	return signPDF(b, pdf, leaf, nil)
}

func benchVerify(b *testing.B, size int) {
	tb := setup(b)
	data := benchFile(b, tb, size)
	v := tb.verifier(b, nil)
	ctx := context.Background()
	if rep, err := v.VerifyBytes(ctx, data); err != nil || rep.Status != StatusValid {
		b.Fatalf("setup: %v %+v", err, rep)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		// Through the io.ReaderAt API, so the one copy of the file into
		// memory is part of the measurement.
		rep, err := v.Verify(ctx, bytes.NewReader(data), int64(len(data)))
		if err != nil || rep.Status != StatusValid {
			b.Fatal(err, rep.Reason)
		}
	}
}

func benchFloor(b *testing.B, size int) {
	tb := setup(b)
	data := benchFile(b, tb, size)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		sha256.Sum256(data)
	}
}

// The 1.16 MB and 6.2 MB sizes match the issue's reference measurements.
func BenchmarkVerify1MB(b *testing.B)      { benchVerify(b, 1_160_000) }
func BenchmarkVerify6MB(b *testing.B)      { benchVerify(b, 6_200_000) }
func BenchmarkSHA256Floor1MB(b *testing.B) { benchFloor(b, 1_160_000) }
func BenchmarkSHA256Floor6MB(b *testing.B) { benchFloor(b, 6_200_000) }

// TestWriteBenchFixtures writes the benchmark files and the test trust
// anchor for bench/compare.sh. It runs only when MOTCUA_BENCH_OUT is set.
func TestWriteBenchFixtures(t *testing.T) {
	dir := os.Getenv("MOTCUA_BENCH_OUT")
	if dir == "" {
		t.Skip("MOTCUA_BENCH_OUT not set (used by bench/compare.sh)")
	}
	tb := setup(t)
	if err := os.MkdirAll(filepath.Join(dir, "trust"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"signed-1mb.pdf": benchFile(t, tb, 1_160_000),
		"signed-6mb.pdf": benchFile(t, tb, 6_200_000),
		"trust/root.pem": pdfsigtest.CertPEM(tb.h.Root.Cert),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
