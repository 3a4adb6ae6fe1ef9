package pdfsig

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/testenv"
)

// requirePoppler skips when poppler's pdfsig or NSS's certutil is missing,
// unless MOTCUA_REQUIRE_POPPLER=1 (CI), where that is a failure.
func requirePoppler(t *testing.T) {
	t.Helper()
	testenv.Commands(t, "MOTCUA_REQUIRE_POPPLER",
		"install the Debian packages poppler-utils and libnss3-tools to run the poppler cross-check", "pdfsig", "certutil")
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// popplerVerdict is what pdfsig says about the first signature of a file.
type popplerVerdict struct {
	signatures int
	valid      bool // "Signature is Valid."
	total      bool // "Total document signed"
	trusted    bool // "Certificate is Trusted."
	out        string
}

func (p popplerVerdict) flagged() bool {
	return p.signatures == 0 || !p.valid || !p.total || !p.trusted
}

// pdfsigVerify runs pdfsig, which always exits 0, and parses its report.
func pdfsigVerify(t *testing.T, nssdir, file string) popplerVerdict {
	t.Helper()
	cmd := exec.Command("pdfsig", "-nssdir", "sql:"+nssdir, file)
	out, _ := cmd.CombinedOutput()
	s := string(out)
	v := popplerVerdict{out: s, signatures: strings.Count(s, "Signature #"), valid: true, total: true, trusted: true}
	// Every signature must pass for the file to pass.
	v.valid = v.signatures > 0 && strings.Count(s, "Signature is Valid.") == v.signatures
	v.trusted = v.signatures > 0 && strings.Count(s, "Certificate is Trusted.") == v.signatures
	// Only the last signature needs to cover the whole file.
	v.total = strings.Contains(lastSignatureBlock(s), "Total document signed")
	return v
}

func lastSignatureBlock(s string) string {
	i := strings.LastIndex(s, "Signature #")
	if i < 0 {
		return ""
	}
	return s[i:]
}

// nssDB creates an NSS database trusting root, with a signing key generated
// inside NSS and certified by issuer.
func nssDB(t *testing.T, tb *testBundle) (dir string, signer *x509.Certificate) {
	t.Helper()
	dir = t.TempDir()
	run(t, "certutil", "-N", "-d", "sql:"+dir, "--empty-password")
	noise := filepath.Join(dir, "noise")
	if err := os.WriteFile(noise, []byte(fmt.Sprint(time.Now().UnixNano())+"motcua-noise-motcua-noise"), 0o600); err != nil {
		t.Fatal(err)
	}
	csrPath := filepath.Join(dir, "req.der")
	run(t, "certutil", "-R", "-d", "sql:"+dir, "-s", "CN=Can bo thu nghiem,O=UBND phuong Ben Nghe,C=VN", "-k", "rsa", "-g", "2048", "-z", noise, "-o", csrPath)
	csrDER, err := os.ReadFile(csrPath)
	if err != nil {
		t.Fatal(err)
	}
	csr, err := x509.ParseCertificateRequest(csrDER)
	if err != nil {
		t.Fatal(err)
	}
	leaf := tb.h.Intermediate.IssueFor(t, csr.PublicKey, pdfsigtest.LeafOptions{CommonName: "Cán bộ thử nghiệm", Organization: "UBND phường Bến Nghé", CRLURL: "none",
		NotBefore: time.Now().AddDate(0, 0, -1), NotAfter: time.Now().AddDate(1, 0, 0)})
	for name, c := range map[string]struct {
		cert  *x509.Certificate
		trust string
	}{
		"root":   {tb.h.Root.Cert, "CT,C,C"},
		"inter":  {tb.h.Intermediate.Cert, ",,"},
		"signer": {leaf.Cert, "u,u,u"},
	} {
		p := filepath.Join(dir, name+".der")
		if err := os.WriteFile(p, c.cert.Raw, 0o600); err != nil {
			t.Fatal(err)
		}
		run(t, "certutil", "-A", "-d", "sql:"+dir, "-n", name, "-t", c.trust, "-i", p)
	}
	return dir, leaf.Cert
}

// TestPopplerCrossCheck signs with poppler and verifies with motcua, signs
// with motcua and verifies with poppler, and checks that motcua rejects at
// least everything poppler flags.
func TestPopplerCrossCheck(t *testing.T) {
	requirePoppler(t)
	t.Parallel()
	// The hierarchy must be valid now: pdfsig validates at the current time.
	tb := &testBundle{h: pdfsigtest.NewHierarchy(t, time.Now())}
	nss, _ := nssDB(t, tb)
	dir := t.TempDir()
	now := time.Now()
	v := tb.verifier(t, func(o *Options) { o.Now = func() time.Time { return now.Add(time.Minute) } })
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	base := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{})
	basePath := write("base.pdf", base)

	// 1. poppler signs, motcua accepts.
	// (pdfsig 22.12 cannot combine -etsi with -add-signature.)
	for _, etsi := range []bool{false} {
		out := filepath.Join(dir, fmt.Sprintf("poppler-signed-%v.pdf", etsi))
		args := []string{"-nssdir", "sql:" + nss, "-add-signature", "-nick", "signer", "-new-signature-field-name", "KySo"}
		if etsi {
			args = append(args, "-etsi")
		}
		run(t, "pdfsig", append(args, basePath, out)...)
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if pv := pdfsigVerify(t, nss, out); pv.flagged() {
			t.Fatalf("pdfsig does not accept its own signature:\n%s", pv.out)
		}
		rep := verify(t, v, data)
		if rep.Reason != ReasonNone {
			t.Errorf("poppler-signed (etsi=%v): motcua says %q (%s)", etsi, rep.Reason, rep.Detail)
		}
	}

	// 2. motcua signs, poppler accepts.
	officer := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "Nguyễn Văn An", Organization: "UBND phường Bến Nghé"})
	rsaLeaf := tb.h.Intermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "Trần Thị Bình", Key: pdfsigtest.RSA2048})
	good := map[string][]byte{
		"motcua-ecdsa.pdf":        signPDF(t, base, officer, func(o *SignOptions) { o.Time = now }),
		"motcua-rsa-adbe.pdf":     signPDF(t, base, rsaLeaf, func(o *SignOptions) { o.Time = now; o.SubFilter = "adbe.pkcs7.detached" }),
		"motcua-objstm.pdf":       signPDF(t, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{ObjectStreams: true}), rsaLeaf, func(o *SignOptions) { o.Time = now }),
		"motcua-rsa-pss.pdf":      signPDF(t, base, rsaLeaf, func(o *SignOptions) { o.Time = now; o.PSS = true }),
		"motcua-signed-twice.pdf": signPDF(t, signPDF(t, base, officer, func(o *SignOptions) { o.Time = now }), rsaLeaf, func(o *SignOptions) { o.Time = now }),
	}
	for name, data := range good {
		p := write(name, data)
		pv := pdfsigVerify(t, nss, p)
		t.Logf("%s: pdfsig valid=%v total=%v trusted=%v", name, pv.valid, pv.total, pv.trusted)
		if pv.flagged() && name != "motcua-rsa-pss.pdf" {
			t.Errorf("%s: pdfsig flags a motcua signature:\n%s", name, pv.out)
		}
		if rep := verify(t, v, data); rep.Reason != ReasonNone {
			t.Errorf("%s: motcua says %q (%s)", name, rep.Reason, rep.Detail)
		}
	}

	// 3. Tampered fixtures: whatever pdfsig flags, motcua rejects.
	signed := good["motcua-rsa-adbe.pdf"]
	root, _ := catalogWith(t, signed, nil)
	size := nextObjNum(t, signed)
	content := "BT /F1 18 Tf 72 760 Td (Gia mao) Tj ET"
	lookAlike := tb.h.LookAlikeIntermediate.Issue(t, pdfsigtest.LeafOptions{CommonName: "Nguyễn Văn An", Organization: "UBND phường Bến Nghé"})
	bad := map[string][]byte{
		"digest-mismatch.pdf": replaceOnce(t, signed, "(Ket qua", "(Ket quA"),
		"appended-content.pdf": pdfsigtest.AppendUpdate(signed, root, size, "",
			pdfsigtest.Object{Num: 4, Body: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content), content)}),
		"trailing-junk.pdf": append(append([]byte(nil), signed...), "junk after the signature\n"...),
		"look-alike.pdf":    signPDF(t, base, lookAlike, func(o *SignOptions) { o.Time = now }),
	}
	files, _ := filepath.Glob(filepath.Join(rubDir, "*.pdf"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		bad["rub-"+filepath.Base(f)] = data
	}
	flaggedCount := 0
	for name, data := range bad {
		p := write(name, data)
		pv := pdfsigVerify(t, nss, p)
		rep := verify(t, v, data)
		t.Logf("%s: pdfsig valid=%v total=%v trusted=%v; motcua %s %q", name, pv.valid, pv.total, pv.trusted, rep.Status, rep.Reason)
		if pv.flagged() {
			flaggedCount++
			if rep.Status == StatusValid {
				t.Errorf("%s: pdfsig flags it but motcua says valid\n%s", name, pv.out)
			}
		}
		if !strings.HasPrefix(name, "rub-") && rep.Status == StatusValid {
			t.Errorf("%s: motcua accepts a tampered file", name)
		}
	}
	if flaggedCount < 4 {
		t.Errorf("pdfsig flagged only %d tampered fixtures; the output parser is probably broken", flaggedCount)
	}
}
