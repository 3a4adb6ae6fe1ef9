package pdfsig

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// epoch is the fixed "now" of the tests; certificates are built around it.
var epoch = time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)

type testBundle struct {
	h *pdfsigtest.Hierarchy
}

func setup(t testing.TB) *testBundle {
	t.Helper()
	return &testBundle{h: pdfsigtest.NewHierarchy(t, epoch)}
}

func (tb *testBundle) verifier(t testing.TB, mod func(*Options)) *Verifier {
	t.Helper()
	opts := Options{
		TrustAnchors: []*x509.Certificate{tb.h.Root.Cert},
		Revocation:   RevocationOff,
		Now:          func() time.Time { return epoch },
	}
	if mod != nil {
		mod(&opts)
	}
	v, err := NewVerifier(opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func signPDF(t testing.TB, pdf []byte, leaf *pdfsigtest.Leaf, mod func(*SignOptions)) []byte {
	t.Helper()
	opts := SignOptions{Key: leaf.Key, Cert: leaf.Cert, Chain: leaf.Chain, Time: epoch.Add(-time.Hour), Reason: "Phê duyệt kết quả", Name: leaf.Cert.Subject.CommonName}
	if mod != nil {
		mod(&opts)
	}
	var out bytes.Buffer
	if err := Sign(&out, bytes.NewReader(pdf), int64(len(pdf)), opts); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func verify(t testing.TB, v *Verifier, data []byte) *Report {
	t.Helper()
	rep, err := v.Verify(context.Background(), bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func wantReason(t testing.TB, rep *Report, want Reason) {
	t.Helper()
	if rep.Reason != want {
		t.Fatalf("reason = %q (%s: %s), want %q", rep.Reason, rep.Status, rep.Detail, want)
	}
	if rep.Status != want.status() {
		t.Fatalf("status = %q, want %q", rep.Status, want.status())
	}
	if rep.Message != want.Message() {
		t.Fatalf("message = %q", rep.Message)
	}
}

// sigDict locates the (last) signature dictionary's /ByteRange and
// /Contents hex digits in a file the test signer produced.
func sigDict(t testing.TB, data []byte) (brAt, brLen, hexStart, hexEnd int) {
	t.Helper()
	brAt = bytes.LastIndex(data, []byte("/ByteRange["))
	if brAt < 0 {
		t.Fatal("no /ByteRange")
	}
	brLen = bytes.Index(data[brAt:], []byte("/Contents"))
	c := bytes.LastIndex(data, []byte("/Contents<"))
	hexStart = c + len("/Contents<")
	hexEnd = hexStart + bytes.IndexByte(data[hexStart:], '>')
	return
}

// patch replaces data[at:at+len(old)] with repl padded by spaces to the same length.
func patchAt(t testing.TB, data []byte, at, n int, repl string) []byte {
	t.Helper()
	if len(repl) > n {
		t.Fatalf("replacement %q longer than %d", repl, n)
	}
	out := append([]byte(nil), data...)
	copy(out[at:], repl+string(bytes.Repeat([]byte(" "), n-len(repl))))
	return out
}

func replaceOnce(t testing.TB, data []byte, old, repl string) []byte {
	t.Helper()
	i := bytes.Index(data, []byte(old))
	if i < 0 {
		t.Fatalf("%q not found", old)
	}
	return patchAt(t, data, i, len(old), repl)
}

// cmsOf returns the decoded CMS bytes of the last signature.
func cmsOf(t testing.TB, data []byte) []byte {
	t.Helper()
	_, _, hs, he := sigDict(t, data)
	der, err := hex.DecodeString(string(data[hs:he]))
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// withCMS replaces the last signature's CMS bytes (zero padded).
func withCMS(t testing.TB, data, der []byte) []byte {
	t.Helper()
	_, _, hs, he := sigDict(t, data)
	if 2*len(der) > he-hs {
		t.Fatal("CMS too large")
	}
	out := append([]byte(nil), data...)
	for i := hs; i < he; i++ {
		out[i] = '0'
	}
	hex.Encode(out[hs:], der)
	return out
}

// catalogWith returns the current catalog of data re-serialised with extra
// entries, for building incremental updates.
func catalogWith(t testing.TB, data []byte, extra Dict) (int, string) {
	t.Helper()
	b := &budget{maxOps: 1 << 30, maxDepth: 100, maxDecoded: 1 << 30}
	d, err := openDocument(data, b, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	r := d.trailer["Root"].(Ref)
	cat := copyDict(d.dict(r))
	for k, v := range extra {
		cat[k] = v
	}
	return r.Num, string(serialize(cat))
}

func nextObjNum(t testing.TB, data []byte) int {
	t.Helper()
	b := &budget{maxOps: 1 << 30, maxDepth: 100, maxDecoded: 1 << 30}
	d, err := openDocument(data, b, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := d.trailer.int("Size")
	return int(n)
}

// tsaServer is an RFC 3161 time-stamping service answering with genTime.
func tsaServer(t testing.TB, leaf *pdfsigtest.Leaf, genTime time.Time) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req timeStampReq
		if _, err := asn1.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		info := tstInfo{
			Version:        1,
			Policy:         asn1.ObjectIdentifier{1, 2, 3, 4},
			MessageImprint: req.MessageImprint,
			SerialNumber:   big.NewInt(time.Now().UnixNano()),
			GenTime:        genTime,
			Nonce:          req.Nonce,
		}
		der, err := asn1.Marshal(info)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		sum := sha256.Sum256(der)
		cs := &cmsSigner{key: leaf.Key, cert: leaf.Cert, chain: leaf.Chain, hash: crypto.SHA256, time: genTime, essCert: true}
		tok, err := cs.build(oidTSTInfo, der, sum[:])
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		resp, _ := asn1.Marshal(struct {
			Status struct{ Status int }
			Token  asn1.RawValue
		}{Token: asn1.RawValue{FullBytes: tok}})
		w.Header().Set("Content-Type", "application/timestamp-reply")
		w.Write(resp)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func tsaLeaf(t testing.TB, tb *testBundle) *pdfsigtest.Leaf {
	return tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{
		CommonName:  "TSA thử nghiệm",
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
	})
}

func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o600) }
