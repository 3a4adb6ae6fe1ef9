package pdfsig

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/crypto/ocsp"
)

// revocationData is the CRLs and OCSP responses available for a signature.
type revocationData struct {
	crls  [][]byte
	ocsps [][]byte
}

type revocationResult struct {
	status string
	source string
	detail string
	// locatable is set when a certificate whose status is unknown names
	// an OCSP responder or a CRL: its status could have been known.
	locatable bool
}

// embeddedRevocation gathers revocation data shipped with the signature: in
// the CMS structure, in Adobe's revocation-archival signed attribute, and in
// the document security store (DSS).
func (st *verifyState) embeddedRevocation(p *parsedCMS) revocationData {
	var rd revocationData
	rd.crls = append(rd.crls, p.crls...)
	if raw, _ := attrValue(p.signedAttrs, oidAttrRevocationArchival); raw != nil {
		var arch struct {
			CRL   []asn1.RawValue `asn1:"optional,explicit,tag:0"`
			OCSP  []asn1.RawValue `asn1:"optional,explicit,tag:1"`
			Other asn1.RawValue   `asn1:"optional,explicit,tag:2"`
		}
		if _, err := asn1.Unmarshal(raw, &arch); err == nil {
			for _, c := range arch.CRL {
				rd.crls = append(rd.crls, c.FullBytes)
			}
			for _, o := range arch.OCSP {
				rd.ocsps = append(rd.ocsps, o.FullBytes)
			}
		}
	}
	if st.doc != nil {
		root := dictOf(st.doc, st.doc.trailer["Root"])
		dss := dictOf(st.doc, root["DSS"])
		rd.crls = append(rd.crls, st.dssStreams(dss["CRLs"])...)
		rd.ocsps = append(rd.ocsps, st.dssStreams(dss["OCSPs"])...)
	}
	return rd
}

func (st *verifyState) dssStreams(v any) [][]byte {
	o, err := st.doc.resolve(v)
	if err != nil {
		return nil
	}
	arr, _ := o.(Array)
	var out [][]byte
	for i, x := range arr {
		if i > 1000 {
			break
		}
		so, err := st.doc.resolve(x)
		if err != nil {
			continue
		}
		s, ok := so.(*Stream)
		if !ok {
			continue
		}
		b, err := st.doc.decode(s)
		if err != nil {
			continue
		}
		out = append(out, b)
	}
	return out
}

// checkRevocation establishes the revocation status of every certificate in
// chain except the trust anchor, at validation time t. proven says t comes
// from a verified timestamp; without that proof a revocation at any time
// before now counts, since a self-asserted signing time could be backdated.
func (v *Verifier) checkRevocation(ctx context.Context, chain []*x509.Certificate, t time.Time, proven bool, rd revocationData) revocationResult {
	if v.opts.Revocation == RevocationOff {
		return revocationResult{status: RevocationNotChecked}
	}
	limit := t
	if !proven {
		limit = v.opts.Now()
	}
	var crls []*x509.RevocationList
	for _, raw := range rd.crls {
		if c, err := x509.ParseRevocationList(raw); err == nil {
			crls = append(crls, c)
		}
	}
	var ocsps []*ocspResponse
	for _, raw := range rd.ocsps {
		if o, err := parseOCSP(raw); err == nil {
			ocsps = append(ocsps, o)
		}
	}
	res := revocationResult{status: RevocationGood}
	var sources []string
	for i := 0; i+1 < len(chain); i++ {
		cert, issuer := chain[i], chain[i+1]
		status, src, detail := certRevocation(cert, issuer, crls, ocsps, limit)
		if status == RevocationUnknown && len(v.opts.AllowedHosts) > 0 {
			status, src, detail = v.fetchOCSPStatus(ctx, cert, issuer, limit)
			if status == RevocationUnknown {
				var crlDetail string
				status, src, crlDetail = v.fetchCRLStatus(ctx, cert, issuer, limit)
				detail = strings.TrimPrefix(detail+"; "+crlDetail, "; ")
			}
		}
		switch status {
		case RevocationRevoked:
			return revocationResult{status: RevocationRevoked, source: src, detail: detail}
		case RevocationUnknown:
			res.status = RevocationUnknown
			if len(cert.OCSPServer) > 0 || len(cert.CRLDistributionPoints) > 0 {
				res.locatable = true
			}
			if res.detail == "" {
				res.detail = fmt.Sprintf("no revocation data for %q", cert.Subject.CommonName)
				if detail != "" {
					res.detail += ": " + detail
				}
			}
		default:
			sources = append(sources, src)
		}
	}
	if res.status == RevocationGood {
		res.source = strings.Join(dedupe(sources), ",")
	}
	return res
}

func dedupe(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// certRevocation looks cert up in the CRLs and OCSP responses issued for it.
func certRevocation(cert, issuer *x509.Certificate, crls []*x509.RevocationList, ocsps []*ocspResponse, limit time.Time) (status, source, detail string) {
	for _, o := range ocsps {
		st, at, ok := o.statusFor(cert, issuer)
		if !ok {
			continue
		}
		if st == RevocationRevoked {
			if !at.After(limit) {
				return RevocationRevoked, "ocsp", fmt.Sprintf("certificate %q revoked at %s (OCSP)", cert.Subject.CommonName, at.UTC().Format(time.RFC3339))
			}
			return RevocationGood, "ocsp", ""
		}
		if st == RevocationGood {
			return RevocationGood, "ocsp", ""
		}
	}
	for _, c := range crls {
		if st, d, ok := crlStatus(c, cert, issuer, limit); ok {
			return st, "crl", d
		}
	}
	return RevocationUnknown, "", ""
}

// crlStatus reports cert's status in crl, or ok=false if crl was not issued
// by issuer.
func crlStatus(crl *x509.RevocationList, cert, issuer *x509.Certificate, limit time.Time) (status, detail string, ok bool) {
	if !bytes.Equal(crl.RawIssuer, issuer.RawSubject) || crl.CheckSignatureFrom(issuer) != nil {
		return "", "", false
	}
	for _, e := range crl.RevokedCertificateEntries {
		if e.SerialNumber != nil && e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
			if !e.RevocationTime.After(limit) {
				return RevocationRevoked, fmt.Sprintf("certificate %q revoked at %s (CRL)", cert.Subject.CommonName, e.RevocationTime.UTC().Format(time.RFC3339)), true
			}
			return RevocationGood, "", true
		}
	}
	return RevocationGood, "", true
}

// fetchCRLStatus downloads the certificate's CRLs from allowed hosts.
func (v *Verifier) fetchCRLStatus(ctx context.Context, cert, issuer *x509.Certificate, limit time.Time) (status, source, detail string) {
	var lastErr error
	for _, u := range cert.CRLDistributionPoints {
		if !v.hostAllowed(u) {
			lastErr = fmt.Errorf("CRL host of %s is not allowed", u)
			continue
		}
		raw, err := v.fetch(ctx, u)
		if err != nil {
			lastErr = err
			continue
		}
		crl, err := x509.ParseRevocationList(raw)
		if err != nil {
			lastErr = fmt.Errorf("CRL %s: %w", u, err)
			continue
		}
		if st, d, ok := crlStatus(crl, cert, issuer, limit); ok {
			return st, "crl_fetched", d
		}
		lastErr = fmt.Errorf("CRL %s is not signed by the issuer", u)
	}
	if lastErr != nil {
		return RevocationUnknown, "", lastErr.Error()
	}
	return RevocationUnknown, "", ""
}

// fetchOCSPStatus asks the certificate's OCSP responders on allowed hosts.
func (v *Verifier) fetchOCSPStatus(ctx context.Context, cert, issuer *x509.Certificate, limit time.Time) (status, source, detail string) {
	if len(cert.OCSPServer) == 0 {
		return RevocationUnknown, "", ""
	}
	key := ocspKeyFor(cert, issuer)
	if a, ok := v.ocsp.get(key, v.opts.Now()); ok {
		return ocspVerdict(cert, a, limit)
	}
	req, err := ocspRequest(cert, issuer)
	if err != nil {
		return RevocationUnknown, "", err.Error()
	}
	var lastErr error
	for _, u := range cert.OCSPServer {
		if !v.hostAllowed(u) {
			lastErr = fmt.Errorf("OCSP host of %s is not allowed", u)
			continue
		}
		raw, err := v.post(ctx, u, "application/ocsp-request", req)
		if err != nil {
			lastErr = err
			continue
		}
		o, err := parseOCSP(raw)
		if err != nil {
			lastErr = fmt.Errorf("OCSP %s: %w", u, err)
			continue
		}
		st, at, next, ok := o.statusUntil(cert, issuer)
		switch {
		case !ok:
			lastErr = fmt.Errorf("OCSP %s: no verified answer for the certificate", u)
			continue
		case st == RevocationRevoked, st == RevocationGood:
			a := ocspAnswer{status: st, revokedAt: at, nextUpdate: next}
			v.ocsp.put(key, a, v.opts.Now())
			return ocspVerdict(cert, a, limit)
		}
		lastErr = fmt.Errorf("OCSP %s: status unknown", u)
	}
	if lastErr != nil {
		return RevocationUnknown, "", lastErr.Error()
	}
	return RevocationUnknown, "", ""
}

// ocspVerdict applies a fetched (or cached) OCSP answer at limit.
func ocspVerdict(cert *x509.Certificate, a ocspAnswer, limit time.Time) (status, source, detail string) {
	if a.status == RevocationRevoked && !a.revokedAt.After(limit) {
		return RevocationRevoked, "ocsp_fetched", fmt.Sprintf("certificate %q revoked at %s (OCSP)", cert.Subject.CommonName, a.revokedAt.UTC().Format(time.RFC3339))
	}
	return RevocationGood, "ocsp_fetched", ""
}

// ocspRequest builds an RFC 6960 request for cert (SHA-1 CertID, which every
// responder supports; it identifies, it does not protect).
func ocspRequest(cert, issuer *x509.Certificate) ([]byte, error) {
	return ocsp.CreateRequest(cert, issuer, &ocsp.RequestOptions{Hash: crypto.SHA1})
}

func (v *Verifier) hostAllowed(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	for _, h := range v.opts.AllowedHosts {
		if strings.EqualFold(h, u.Host) || strings.EqualFold(h, u.Hostname()) {
			return true
		}
	}
	return false
}

const maxFetchBytes = 16 << 20

func (v *Verifier) fetch(ctx context.Context, u string) ([]byte, error) {
	return v.do(ctx, http.MethodGet, u, "", nil)
}

func (v *Verifier) post(ctx context.Context, u, contentType string, body []byte) ([]byte, error) {
	return v.do(ctx, http.MethodPost, u, contentType, body)
}

func (v *Verifier) do(ctx context.Context, method, u, contentType string, body []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, v.opts.FetchTimeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	client := *v.opts.HTTPClient
	// A redirect could lead outside the allow-list.
	client.CheckRedirect = func(r *http.Request, _ []*http.Request) error {
		if !v.hostAllowed(r.URL.String()) {
			return fmt.Errorf("redirect to %s is not allowed", r.URL.Host)
		}
		return nil
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %s", u, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxFetchBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	if len(b) > maxFetchBytes {
		return nil, fmt.Errorf("fetch %s: response too large", u)
	}
	return b, nil
}
