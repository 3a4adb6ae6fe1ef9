package pdfsig

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// TestEveryByteMatters changes one byte at a time anywhere in a signed file
// and truncates it at many lengths: the verifier must never panic and never
// call the result valid.
func TestEveryByteMatters(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	for _, objstm := range []bool{false, true} {
		signed := signPDF(t, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{ObjectStreams: objstm}), tb.h.Officer, func(o *SignOptions) { o.ContentsSize = 2048 })
		v := tb.verifier(t, nil)
		v.noRecover = true
		wantReason(t, verify(t, v, signed), ReasonNone)
		_, _, hs, he := sigDict(t, signed)
		ctx := context.Background()
		buf := make([]byte, len(signed))
		checked := 0
		// Sample the hex digits of /Contents (set MOTCUA_FULL_MUTATION=1 to
		// try them all).
		step := 5
		if os.Getenv("MOTCUA_FULL_MUTATION") == "1" {
			step = 1
		}
		for i := range signed {
			if i > hs && i < he && i%step != 0 {
				continue
			}
			copy(buf, signed)
			buf[i] ^= 0x01
			if bytes.Equal(buf, signed) {
				continue
			}
			rep, err := v.VerifyBytes(ctx, buf)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Status == StatusValid {
				t.Fatalf("objstm=%v: flipping byte %d (%q) still verifies", objstm, i, signed[i])
			}
			checked++
		}
		for n := 0; n < len(signed); n += 3 {
			rep, err := v.VerifyBytes(ctx, signed[:n])
			if err != nil {
				t.Fatal(err)
			}
			if rep.Status == StatusValid {
				t.Fatalf("objstm=%v: truncation to %d bytes still verifies", objstm, n)
			}
		}
		if checked < 1000 {
			t.Fatalf("only %d mutations checked", checked)
		}
	}
}

// TestLimits: pathological structure is refused as too_large, not parsed
// forever.
func TestLimits(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	base := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{})
	deep := pdfsigtest.AppendUpdate(base, 1, 7, "",
		pdfsigtest.Object{Num: 6, Body: "<</Producer " + string(bytes.Repeat([]byte("["), 5000)) + string(bytes.Repeat([]byte("]"), 5000)) + ">>"},
		pdfsigtest.Object{Num: 1, Body: "<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields 6 0 R>>>>"})
	rep := verify(t, tb.verifier(t, nil), deep)
	wantReason(t, rep, ReasonTooLarge)

	signed := signPDF(t, base, tb.h.Officer, nil)
	rep = verify(t, tb.verifier(t, func(o *Options) { o.MaxObjects = 3 }), signed)
	wantReason(t, rep, ReasonTooLarge)
}
