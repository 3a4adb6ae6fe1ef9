package pdfsig

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// hostileWant is the reason each hostile file must be refused with.
var hostileWant = map[string]Reason{
	"bomb":             ReasonTooLarge,
	"header only":      ReasonNotPDF,
	"broken page tree": ReasonNotPDF,
	"nested arrays":    ReasonTooLarge,
}

var (
	hostileOnce sync.Once
	hostile     map[string][]byte
)

// hostileFiles builds the hostile PDFs once per test binary, with a bomb
// inflating to 256 MiB (16 times the per-stream limit).
func hostileFiles() map[string][]byte {
	hostileOnce.Do(func() { hostile = pdfsigtest.HostilePDFs(256 << 20) })
	return hostile
}

// TestHostileInputEveryEntryPoint: every entry point that parses a PDF
// refuses each hostile file with a typed error carrying a stable reason,
// and signing refuses exactly what CheckSignable refuses.
func TestHostileInputEveryEntryPoint(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	for name, data := range hostileFiles() {
		want := hostileWant[name]
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			err := Sign(&out, bytes.NewReader(data), int64(len(data)), SignOptions{Key: tb.h.Officer.Key, Cert: tb.h.Officer.Cert})
			checkInputErr(t, "Sign", err, want)
			if out.Len() != 0 {
				t.Error("Sign wrote output for a refused file")
			}
			checkInputErr(t, "CheckSignable", CheckSignable(ctx, data, Limits{}), want)
			_, err = PageCount(data)
			checkInputErr(t, "PageCount", err, want)
			err = AddDocumentTimestamp(ctx, &out, bytes.NewReader(data), int64(len(data)), "http://127.0.0.1:1/tsa", nil)
			checkInputErr(t, "AddDocumentTimestamp", err, want)
			rep := verify(t, tb.verifier(t, nil), data)
			if rep.Status == StatusValid {
				t.Errorf("Verify: %s is valid", name)
			}
		})
	}
}

func checkInputErr(t *testing.T, what string, err error, want Reason) {
	t.Helper()
	if !errors.Is(err, ErrUnreadablePDF) {
		t.Errorf("%s: error %v does not wrap ErrUnreadablePDF", what, err)
	}
	if got, ok := InputReason(err); !ok || got != want {
		t.Errorf("%s: reason %q (%v), want %q (error %v)", what, got, ok, want, err)
	}
	if want == ReasonTooLarge && !errors.Is(err, ErrTooComplex) {
		t.Errorf("%s: error %v does not wrap ErrTooComplex", what, err)
	}
}

// TestLimitsApplyToSigning: the signer honours the per-stream, per-file,
// object and depth limits it is given, and still signs an ordinary file.
func TestLimitsApplyToSigning(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	pdf := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{ObjectStreams: true})
	ok := SignOptions{Key: tb.h.Officer.Key, Cert: tb.h.Officer.Cert}
	var out bytes.Buffer
	if err := Sign(&out, bytes.NewReader(pdf), int64(len(pdf)), ok); err != nil {
		t.Fatalf("ordinary file: %v", err)
	}
	for name, lim := range map[string]Limits{
		"stream bytes":  {MaxStreamBytes: 16},
		"decoded bytes": {MaxDecodedBytes: 16},
		"objects":       {MaxObjects: 3},
		"depth":         {MaxDepth: 1},
		"size":          {MaxSize: int64(len(pdf) - 1)},
	} {
		opts := ok
		opts.Limits = lim
		err := Sign(&out, bytes.NewReader(pdf), int64(len(pdf)), opts)
		if r, _ := InputReason(err); r != ReasonTooLarge || !errors.Is(err, ErrTooComplex) {
			t.Errorf("%s: error %v, want too_large", name, err)
		}
		if err := CheckSignable(context.Background(), pdf, lim); !errors.Is(err, ErrTooComplex) {
			t.Errorf("%s: CheckSignable error %v, want ErrTooComplex", name, err)
		}
	}
}

// TestBudgetPause: time spent fetching revocation data does not count
// against the time budget, but the caller's deadline still holds.
func TestBudgetPause(t *testing.T) {
	t.Parallel()
	now := epoch
	b := &budget{maxOps: 1 << 20, deadline: epoch.Add(time.Second), hardDeadline: epoch.Add(time.Minute), now: func() time.Time { return now }}
	resume := b.pause()
	now = now.Add(10 * time.Second) // a slow OCSP responder
	resume()
	if err := b.checkTime(); err != nil {
		t.Fatalf("after a paused fetch: %v", err)
	}
	now = now.Add(2 * time.Second)
	if err := b.checkTime(); !errors.Is(err, ErrTooComplex) {
		t.Fatalf("past the budget: %v", err)
	}
	resume = b.pause()
	now = now.Add(time.Hour)
	resume()
	if !b.deadline.Equal(b.hardDeadline) {
		t.Errorf("deadline %v extended past the caller's %v", b.deadline, b.hardDeadline)
	}
}

// TestReadCapped: a stream is read to its end when it fits, and to one
// byte past the limit, never more, when it does not.
func TestReadCapped(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ size, limit, guess, want int64 }{
		{0, 10, 0, 0}, {10, 10, 1, 10}, {11, 10, 1, 11}, {5000, 1000, 64, 1001}, {5000, 1 << 20, 64, 5000},
	} {
		out, err := readCapped(bytes.NewReader(make([]byte, tc.size)), tc.limit, tc.guess)
		if err != nil || int64(len(out)) != tc.want || int64(cap(out)) > max(tc.limit+1, 512) {
			t.Errorf("%+v: len %d cap %d err %v", tc, len(out), cap(out), err)
		}
	}
}
