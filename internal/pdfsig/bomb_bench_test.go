package pdfsig

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// BenchmarkSignBomb measures signing a ~1 MB PDF whose page tree sits in an
// object stream inflating to 1 GiB: time per refusal, bytes allocated, and
// the process's peak RSS growth (run it alone: go test -run '^$'
// -bench SignBomb -benchmem ./internal/pdfsig/).
func BenchmarkSignBomb(b *testing.B) {
	tb := setup(b)
	data := pdfsigtest.BombPDF(1 << 30)
	runtime.GC()
	before := peakRSS()
	opts := SignOptions{Key: tb.h.Officer.Key, Cert: tb.h.Officer.Cert}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var out bytes.Buffer
		err := Sign(&out, bytes.NewReader(data), int64(len(data)), opts)
		if err == nil {
			b.Log("the bomb was signed")
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(data))/1e6, "file-MB")
	if before > 0 {
		b.ReportMetric(float64(peakRSS()-before)/(1<<20), "peakRSS-growth-MiB")
	}
}

// peakRSS is the process's peak resident set (VmHWM) in bytes, 0 when
// unknown.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n << 10
		}
	}
	return 0
}
