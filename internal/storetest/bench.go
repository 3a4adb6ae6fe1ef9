package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// Bench runs the store benchmarks: document inserts (sequential, the
// warehouse's write path) and dossier-code allocation by parallel
// goroutines contending for one unit and day.
func Bench(b *testing.B, newStore NewStore) {
	b.Run("CreateDocument", func(b *testing.B) {
		s, bu := setup(b, newStore)
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			d := newDocument(bu, bu.citizen, bu.certCopy, fmt.Sprintf("B%d", i))
			if err := s.CreateDocument(ctx, d); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	})
	b.Run("DossierCodeContended", func(b *testing.B) {
		s, bu := setup(b, newStore)
		ctx := context.Background()
		// Spread over days so that no day passes 9999 codes.
		var n atomic.Int64
		start := time.Date(2024, 1, 1, 3, 0, 0, 0, time.UTC)
		b.SetParallelism(16) // 16 × GOMAXPROCS goroutines on one unit
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				day := n.Add(1) / 5000
				d := newDossier(bu, start.AddDate(0, 0, int(day)))
				if err := s.CreateDossier(ctx, d); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "codes/s")
	})
}
