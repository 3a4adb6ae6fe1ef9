package pdfsig

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// FuzzVerify feeds arbitrary bytes to the verifier. Seeds are the RUB corpus
// (small files) and files from the test signer, including tampered ones.
func FuzzVerify(f *testing.F) {
	tb := setup(f)
	base := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{})
	signed := signPDF(f, base, tb.h.Officer, nil)
	objstm := signPDF(f, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{ObjectStreams: true}), tb.h.Officer, nil)
	root, cat := catalogWith(f, signed, Dict{"DSS": Ref{Num: 99}})
	f.Add(base)
	f.Add(signed)
	f.Add(objstm)
	f.Add(signPDF(f, signed, tb.h.Agency, nil))
	f.Add(pdfsigtest.AppendUpdate(signed, root, 100, "", pdfsigtest.Object{Num: root, Body: cat}, pdfsigtest.Object{Num: 99, Body: "<</Type/DSS/CRLs[]>>"}))
	f.Add(pdfsigtest.AppendUpdate(signed, root, 100, "", pdfsigtest.Object{Num: 4, Body: "<</Length 3>>\nstream\nabc\nendstream"}))
	f.Add([]byte("%PDF-1.7\n"))
	files, _ := filepath.Glob(rubDir + "/*.pdf")
	for _, p := range files {
		if fi, err := os.Stat(p); err == nil && fi.Size() < 64<<10 {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	v := tb.verifier(f, func(o *Options) {
		o.MaxSize = 4 << 20
		o.TimeBudget = 5 * time.Second
		o.Revocation = RevocationPrefer
	})
	v.noRecover = true
	known := map[Reason]bool{}
	for _, r := range Reasons() {
		known[r] = true
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang is a bug too; crash the worker so the fuzzer keeps the input.
		// The margin is far above the time budget, so this never fires on a
		// merely slow machine.
		watchdog := time.AfterFunc(60*time.Second, func() { panic("verification did not return within 60s") })
		defer watchdog.Stop()
		rep, err := v.VerifyBytes(context.Background(), data)
		if err != nil {
			t.Fatalf("error on in-memory input: %v", err)
		}
		if !known[rep.Reason] || rep.Message != rep.Reason.Message() || rep.Status != rep.Reason.status() {
			t.Fatalf("inconsistent report %+v", rep)
		}
		if rep.Status == StatusValid && len(rep.Signatures) == 0 {
			t.Fatal("valid without signatures")
		}
	})
}
