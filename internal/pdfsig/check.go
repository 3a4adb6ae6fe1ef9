package pdfsig

import (
	"context"

	"github.com/motcua/motcua"
)

// Check verifies a file already in memory and gives the verdict as the
// domain's motcua.SignatureCheck, so that *Verifier serves as the
// service's signature checker without the service handling a *Report.
func (v *Verifier) Check(ctx context.Context, data []byte) (motcua.SignatureCheck, error) {
	rep, err := v.VerifyBytes(ctx, data)
	if err != nil {
		return motcua.SignatureCheck{}, err
	}
	return rep.Check(), nil
}

// Check converts the report to the domain's motcua.SignatureCheck. The
// technical Detail strings stay behind: they are for logs and never shown.
func (rep *Report) Check() motcua.SignatureCheck {
	c := motcua.SignatureCheck{File: rep.File, Status: string(rep.Status), Reason: string(rep.Reason),
		Message: rep.Message, Warnings: rep.Warnings}
	if rep.Signatures != nil {
		c.Signatures = make([]motcua.SignatureDetail, len(rep.Signatures))
	}
	for i, s := range rep.Signatures {
		c.Signatures[i] = motcua.SignatureDetail{Field: s.Field, Kind: s.Kind, SubFilter: s.SubFilter,
			Status: string(s.Status), Reason: string(s.Reason), Message: s.Message,
			SignerName: s.SignerName, SignerOrganization: s.SignerOrganization, Issuer: s.Issuer, Serial: s.Serial,
			SigningTime: s.SigningTime, SigningTimeSource: s.SigningTimeSource, SelfAsserted: s.SelfAsserted,
			DigestAlgorithm: s.DigestAlgorithm, SignatureAlgorithm: s.SignatureAlgorithm,
			ByteRange: s.ByteRange, CoveredBytes: s.CoveredBytes, WholeFile: s.WholeFile,
			Revocation: s.Revocation, RevocationSource: s.RevocationSource}
	}
	return c
}
