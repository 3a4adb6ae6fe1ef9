package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/pdfsig"
)

// runVerifyPDF implements "motcua verify-pdf": one JSON report per file on
// stdout; exit 0 when every file is valid, 1 when any is not, 2 on usage or
// I/O errors.
func runVerifyPDF(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify-pdf", flag.ContinueOnError)
	fs.SetOutput(stderr)
	trust := fs.String("trust", "", "folder of trusted root certificates (PEM or DER)")
	revocation := fs.String("revocation", string(pdfsig.RevocationPrefer), "revocation policy: require, prefer or off")
	maxSize := fs.Int64("max-size", pdfsig.DefaultMaxSize, "largest file accepted, in bytes")
	crlHosts := fs.String("crl-hosts", "", "comma-separated hosts CRLs may be fetched from (default: none)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: motcua verify-pdf [--trust DIR] [--revocation require|prefer|off] [--max-size BYTES] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	opts := pdfsig.Options{Revocation: pdfsig.RevocationPolicy(*revocation), Limits: pdfsig.Limits{MaxSize: *maxSize}}
	if *maxSize <= 0 {
		fmt.Fprintln(stderr, "verify-pdf: --max-size must be positive")
		return 2
	}
	if *trust != "" {
		anchors, err := pdfsig.LoadTrustAnchors(*trust)
		if err != nil {
			fmt.Fprintf(stderr, "verify-pdf: %v\n", err)
			return 2
		}
		opts.TrustAnchors = anchors
	}
	for _, h := range strings.Split(*crlHosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			opts.AllowedHosts = append(opts.AllowedHosts, h)
		}
	}
	v, err := pdfsig.NewVerifier(opts)
	if err != nil {
		fmt.Fprintf(stderr, "verify-pdf: %v\n", err)
		return 2
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	code := 0
	for _, path := range fs.Args() {
		rep, err := v.VerifyFile(ctx, path)
		if err != nil {
			fmt.Fprintf(stderr, "verify-pdf: %s: %v\n", path, err)
			code = 2
			continue
		}
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "verify-pdf: %v\n", err)
			return 2
		}
		if rep.Status != pdfsig.StatusValid && code == 0 {
			code = 1
		}
	}
	return code
}

// runSignPDF implements "motcua sign-pdf --key K --cert C [--chain CHAIN] IN OUT".
func runSignPDF(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sign-pdf", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keyPath := fs.String("key", "", "PEM private key (PKCS#8, PKCS#1 or SEC 1)")
	certPath := fs.String("cert", "", "PEM signer certificate")
	chainPath := fs.String("chain", "", "PEM intermediate certificates")
	tsa := fs.String("tsa", "", "RFC 3161 time-stamping service URL")
	reason := fs.String("reason", "", "reason written in the signature")
	name := fs.String("name", "", "signer name written in the signature (default: certificate common name)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: motcua sign-pdf --key K --cert C [--chain CHAIN] [--tsa URL] IN OUT")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 || *keyPath == "" || *certPath == "" {
		fs.Usage()
		return 2
	}
	in, out := fs.Arg(0), fs.Arg(1)
	fail := func(err error) int {
		fmt.Fprintf(stderr, "sign-pdf: %v\n", err)
		return 2
	}
	keyPEM, err := os.ReadFile(*keyPath)
	if err != nil {
		return fail(err)
	}
	key, err := pdfsig.ParsePrivateKey(keyPEM)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", *keyPath, err))
	}
	certs, err := readCertFile(*certPath)
	if err != nil {
		return fail(err)
	}
	var chain []*x509.Certificate
	if *chainPath != "" {
		if chain, err = readCertFile(*chainPath); err != nil {
			return fail(err)
		}
	}
	cert := certs[0]
	chain = append(certs[1:], chain...)
	if *name == "" {
		*name = cert.Subject.CommonName
	}
	f, err := os.Open(in)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	var buf bytes.Buffer
	err = pdfsig.SignContext(ctx, &buf, f, fi.Size(), pdfsig.SignOptions{
		Key: key, Cert: cert, Chain: chain, TSAURL: *tsa, Reason: *reason, Name: *name, Time: time.Now(),
	})
	if r, ok := pdfsig.InputReason(err); ok {
		// The file itself cannot be signed: say why, in the terms the
		// server uses, without a stack of wrapped parser errors.
		fmt.Fprintf(stderr, "sign-pdf: %s: refused (%s): %s\n", in, r, err)
		return 1
	}
	if err != nil {
		return fail(err)
	}
	// Write next to the destination and rename, so a failure never leaves a
	// half-written signed file behind.
	tmp, err := os.CreateTemp(filepath.Dir(out), ".sign-pdf-*")
	if err != nil {
		return fail(err)
	}
	_, werr := tmp.Write(buf.Bytes())
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fail(err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		os.Remove(tmp.Name())
		return fail(err)
	}
	fmt.Fprintf(stdout, "signed %s -> %s\n", in, out)
	return 0
}

func readCertFile(path string) ([]*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	certs, err := pdfsig.ParseCertificates(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return certs, nil
}
