package service_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/service"
)

// BenchmarkWarehouseAdd measures an upload end to end on the embedded
// backend: signature verification, durable blob write, document row.
func BenchmarkWarehouseAdd(b *testing.B) {
	f := setupWarehouse(b)
	ctx := context.Background()
	// Distinct files, so that the blob store really writes each one.
	files := make([][]byte, 64)
	for i := range files {
		files[i] = f.sig.sign(b, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Padding: 1 << 20, Seed: uint64(i + 1)}))
	}
	b.SetBytes(int64(len(files[0])))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_, _, err := f.w.Add(ctx, f.owner, service.NewDocument{CategoryCode: f.catKS, DecisionNumber: "B" + strconv.Itoa(i),
			File: service.Upload{Name: "b.pdf", Data: files[i%len(files)]}})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "uploads/s")
}
