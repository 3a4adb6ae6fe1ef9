package motcua_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func TestSignatureCheckSummary(t *testing.T) {
	at := time.Date(2026, 1, 2, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	signer := motcua.SignatureDetail{Kind: "signature", Status: motcua.SignatureValid, SignerName: "Nguyễn Văn A",
		SignerOrganization: "UBND xã", Issuer: "CA", SigningTime: &at, SigningTimeSource: "timestamp"}
	stamp := motcua.SignatureDetail{Kind: motcua.SignatureKindTimestamp, Status: motcua.SignatureValid, SignerName: "TSA"}
	broken := motcua.SignatureDetail{Kind: "signature", Status: motcua.SignatureInvalid, SignerName: "Kẻ giả mạo"}
	untimed := motcua.SignatureDetail{Kind: "signature", Status: motcua.SignatureValid, SignerName: "B", SigningTimeSource: "none"}
	for _, tc := range []struct {
		name      string
		check     motcua.SignatureCheck
		want      motcua.SignatureSummary
		wantValid bool
	}{
		{"no signature", motcua.SignatureCheck{Status: motcua.SignatureInvalid, Reason: "unsigned"},
			motcua.SignatureSummary{Status: motcua.SignatureInvalid, Reason: "unsigned"}, false},
		{"first valid signer, time in UTC", motcua.SignatureCheck{Status: motcua.SignatureValid, Warnings: []string{"w"},
			Signatures: []motcua.SignatureDetail{stamp, broken, signer, untimed}},
			motcua.SignatureSummary{Status: motcua.SignatureValid, Signer: "Nguyễn Văn A", SignerOrg: "UBND xã", Issuer: "CA",
				SigningTime: at.UTC(), TimeSource: "timestamp", Warnings: []string{"w"}}, true},
		{"no signing time", motcua.SignatureCheck{Status: motcua.SignatureValid, Signatures: []motcua.SignatureDetail{untimed}},
			motcua.SignatureSummary{Status: motcua.SignatureValid, Signer: "B", TimeSource: "none"}, true},
		{"only a timestamp", motcua.SignatureCheck{Status: motcua.SignatureIndeterminate, Reason: "untrusted_signer",
			Signatures: []motcua.SignatureDetail{stamp}},
			motcua.SignatureSummary{Status: motcua.SignatureIndeterminate, Reason: "untrusted_signer"}, false},
	} {
		if got := tc.check.Summary(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Summary() = %+v, want %+v", tc.name, got, tc.want)
		}
		if got := tc.check.Valid(); got != tc.wantValid {
			t.Errorf("%s: Valid() = %t, want %t", tc.name, got, tc.wantValid)
		}
	}
}
