package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig"
)

// returnCoding is how a returned result is coded, dated and recorded:
// a result code <owner>.<category>.<number>[.NN] with the catalogue's
// validity, or, for a certified copy (the online certification
// procedure), the same rule as the certifying officer's desk: the copy
// code <original>.STP-SCT.NN, motcua.CertifiedCopyExpiry and a line in
// the handling agency's electronic certification book.
type returnCoding struct {
	prefix string
	// code is the code when n codes start with prefix; "" when no more
	// may be issued (tooMany).
	code    func(n int) string
	tooMany error
	expires motcua.Date
	// record runs in the return's transaction, after the document is
	// created.
	record func(ctx context.Context, tx motcua.Store, doc *motcua.Document) error
}

// returnCodingFor chooses the coding of dossier d's signed result of
// category cat, issued on issued and returned at now.
func (r *Reception) returnCodingFor(ctx context.Context, d *motcua.Dossier, cat *motcua.DocumentCategory, issued motcua.Date,
	now time.Time) (*returnCoding, error) {
	res := d.Result
	resultCoded := func(expires motcua.Date) (*returnCoding, error) {
		prefix, err := motcua.NewResultCode(d.Owner.Code, cat.Code, res.Number)
		if err != nil {
			return nil, motcua.Invalid("result", motcua.ErrorCode(err), motcua.ErrorMessage(err))
		}
		return &returnCoding{prefix: prefix.String(), code: suffixed(prefix),
			tooMany: motcua.Invalid("number", "too_many_versions", "Đã có quá nhiều kết quả cùng mã; vui lòng dùng số văn bản khác."),
			expires: expires,
			record:  func(context.Context, motcua.Store, *motcua.Document) error { return nil }}, nil
	}
	if cat.Code != motcua.CertifiedCopyCategory {
		return resultCoded(cat.ExpiryFor(issued))
	}
	original, err := motcua.CopiedOriginal(d.Owner.Code, res.Number)
	if err != nil {
		// Drafted and signed before a copy's number had to name its
		// original: the copy cannot be coded or booked, and the signed
		// result cannot be drafted again, so it is returned under its
		// result code, still with the copy's validity.
		return resultCoded(motcua.CertifiedCopyExpiry(issued))
	}
	origCat, err := r.wh.category(ctx, original.Category)
	if err != nil {
		return nil, err
	}
	signed, err := r.readBlob(ctx, *res.Signed)
	if err != nil {
		return nil, err
	}
	pages, err := pdfsig.PageCount(signed)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("count pages of the signed copy %s: %w", res.Signed.SHA256, err))
	}
	officerName := res.SignedBy
	if o, err := r.store.GetOfficer(ctx, res.SignedBy); err == nil && o.Name != "" {
		officerName = o.Name
	}
	fee := r.fees.Fee(pages)
	copyPrefix := motcua.CertifiedCopy{Original: original}.Prefix()
	return &returnCoding{prefix: copyPrefix,
		code: func(n int) string {
			next, err := motcua.NextCertifiedCopy(original, n)
			if err != nil {
				return ""
			}
			return next.String()
		},
		tooMany: onField(tooManyCopies(original), "number"),
		expires: motcua.CertifiedCopyExpiry(issued),
		record: func(ctx context.Context, tx motcua.Store, doc *motcua.Document) error {
			// The signing leader certified the copy: the book names them.
			return bookCopy(ctx, tx, &motcua.CertificationEntry{AgencyCode: d.HandlingAgency, Year: motcua.LocalDay(now).Year(),
				CertifiedAt: now, OfficerUsername: res.SignedBy, OfficerName: officerName, RequesterCode: doc.OwnerCode,
				RequesterName: doc.OwnerName, OriginalName: origCat.Name, OriginalCode: original.Category + "." + original.Number,
				Pages: pages, FeeVND: fee}, doc)
		}}, nil
}

// checkResultNumber checks the number a processing officer drafts a
// result of category with: a document number (motcua.ValidateResultNumber),
// or, for a certified copy, the original's document code
// <KQ.Gnn.nnnnnn>.<number> (motcua.CopiedOriginal) of a catalogued
// category, so that the copy can be coded when it is returned.
func (r *Reception) checkResultNumber(ctx context.Context, d *motcua.Dossier, category, number string) error {
	if category != motcua.CertifiedCopyCategory {
		return motcua.ValidateResultNumber(number)
	}
	original, err := motcua.CopiedOriginal(d.Owner.Code, number)
	if err != nil {
		return err
	}
	_, err = r.wh.category(ctx, original.Category)
	return err
}

// tooManyCopies is the domain's refusal of a hundredth copy of original.
func tooManyCopies(original motcua.ResultCode) error {
	_, err := motcua.NextCertifiedCopy(original, 99)
	return err
}

// onField returns err naming field instead: the same refusal on the field
// this path's user filled in.
func onField(err error, field string) error {
	var e *motcua.Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Field = field
	return &c
}
