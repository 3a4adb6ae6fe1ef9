package api

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig"
)

// The verification object was once *pdfsig.Report served directly (with
// its Detail fields blanked); clients depend on those bytes.
func TestVerificationJSONMatchesPDFSigReport(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("ICT", 7*3600))
	full := pdfsig.SignatureReport{Field: "Sig1", Kind: "signature", SubFilter: "ETSI.CAdES.detached",
		Status: pdfsig.StatusValid, Message: "ok", Detail: "chain ok", SignerName: "Nguyễn Văn A",
		SignerOrganization: "UBND", Issuer: "CA", Serial: "0a", SigningTime: &at, SigningTimeSource: pdfsig.TimeSourceTimestamp,
		SelfAsserted: true, DigestAlgorithm: "SHA-256", SignatureAlgorithm: "RSA", ByteRange: []int64{0, 10, 20, 30},
		CoveredBytes: 40, WholeFile: true, Revocation: pdfsig.RevocationGood, RevocationSource: "ocsp"}
	doc := &motcua.Document{ID: "d1", Code: "KQ1", Status: motcua.DocumentValid}
	for name, rep := range map[string]*pdfsig.Report{
		"full": {File: "a.pdf", Status: pdfsig.StatusValid, Message: "m", Detail: "d", Warnings: []string{"w"},
			Signatures: []pdfsig.SignatureReport{full, {Kind: "document_timestamp", Status: pdfsig.StatusInvalid,
				Reason: pdfsig.ReasonDigestMismatch, Revocation: pdfsig.RevocationNotChecked}}},
		"empty signatures": {Status: pdfsig.StatusInvalid, Reason: pdfsig.ReasonUnsigned, Signatures: []pdfsig.SignatureReport{}},
		"nil signatures":   {Status: pdfsig.StatusInvalid, Reason: pdfsig.ReasonTooLarge},
	} {
		check := rep.Check()
		got, err := json.Marshal(toJSON(doc, &check))
		if err != nil {
			t.Fatal(err)
		}
		rep.Detail = ""
		for i := range rep.Signatures {
			rep.Signatures[i].Detail = ""
		}
		legacy := struct {
			documentJSON
			Report *pdfsig.Report `json:"verification,omitempty"`
		}{documentJSON: toJSON(doc, nil), Report: rep}
		want, err := json.Marshal(legacy)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}
