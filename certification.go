package motcua

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Electronic certification of copies from originals (chứng thực bản sao
// điện tử từ bản chính): the certifying officer scans the original the
// requester brings, signs the scan with the agency's key and records the
// act in the agency's electronic certification book, which is distinct
// from the paper book and kept permanently.
//
// The copy's code is <owner id>.<document code>.STP-SCT.NN (CertifiedCopyCode).
// motcua takes the "document code" to be the original's own result code
// without its owner: <category code KQ.Gnn.nnnnnn>.<the original's number>,
// e.g. the birth certificate number 123/2019 gives
// 052090000495.KQ.G15.000031.123-2019.STP-SCT.01. The part before
// ".STP-SCT" is then exactly the original's result code, so a copy names
// the paper it was made from, and NN counts the copies of that original
// (01, 02, … in issue order).

// CertifiedCopyCategory is the catalogue code of the copy: "Bản sao được
// chứng thực từ bản chính".
const CertifiedCopyCategory = "KQ.G15.000021"

// CertificationReason is the reason written into the copy's signature.
const CertificationReason = "Chứng thực bản sao điện tử từ bản chính"

// The rule of an electronic certified copy holds whichever way it is
// issued: at the certifying officer's desk, or as the returned result of
// an online dossier of the certification procedure. Either way the copy
// expires CertifiedCopyValidityMonths after its issue, is coded
// <original's result code>.STP-SCT.NN (NextCertifiedCopy) and is numbered
// in the issuing agency's electronic book (CertificationEntry). The
// catalogue's validity of CertifiedCopyCategory does not apply: it is 0
// (no expiry) for the copies other systems push or import.

// CertifiedCopyValidityMonths is how long an electronic certified copy
// stays usable after its issue.
const CertifiedCopyValidityMonths = 6

// CertifiedCopyExpiry returns the last date a copy issued on issued may be
// used: six calendar months later (182 days from 7 December). Zero for a
// zero issue date.
func CertifiedCopyExpiry(issued Date) Date {
	if issued.IsZero() {
		return Date{}
	}
	return DateOf(issued.Time().AddDate(0, CertifiedCopyValidityMonths, 0))
}

// NextCertifiedCopy returns the code of the next copy of original when
// taken copies of it exist (the count of codes starting with
// CertifiedCopy{Original: original}.Prefix()): NN = taken+1. EINVALID
// (field "original_number", code "too_many_copies") once 99 are taken.
func NextCertifiedCopy(original ResultCode, taken int) (CertifiedCopy, error) {
	if taken >= 99 {
		return CertifiedCopy{}, Invalid("original_number", "too_many_copies",
			"Giấy tờ bản chính này đã được chứng thực 99 bản sao điện tử; không thể cấp thêm mã bản sao.")
	}
	original.Suffix = 0
	return CertifiedCopy{Original: original, N: max(taken, 0) + 1}, nil
}

// CopiedOriginal reads the original of a copy certified through an online
// dossier: the result number the processing officer enters is the
// original's document code <category KQ.Gnn.nnnnnn>.<number> (as the
// desk's OriginalCode), whose owner is the dossier's owner. Error:
// EINVALID, field "number", code "invalid_original_code".
func CopiedOriginal(owner, documentCode string) (ResultCode, error) {
	c, err := ParseResultCode(owner + "." + strings.TrimSpace(documentCode))
	if err != nil || c.Owner != owner || c.Suffix != 0 {
		msg := "Mã giấy tờ bản chính phải có dạng <mã danh mục KQ.Gnn.nnnnnn>.<số giấy tờ>, ví dụ KQ.G15.000031.123-2019."
		if err != nil {
			msg += " " + ErrorMessage(err)
		}
		return ResultCode{}, Invalid("number", "invalid_original_code", msg)
	}
	return c, nil
}

// CertificationEntry is one line of an agency's electronic certification
// book (sổ chứng thực bản sao điện tử). A book is one agency's one year;
// numbers run 1, 2, 3… in each book without gaps and never repeat. An
// entry is never changed or removed once written.
//
// One entry issues one electronic copy: unlike paper, an electronic copy
// is used any number of times from the warehouse, so the number of copies
// is always one.
type CertificationEntry struct {
	ID         string
	AgencyCode string // the certifying agency: the book's owner
	Year       int    // the book's year, of CertifiedAt in Asia/Ho_Chi_Minh
	Number     int    // số chứng thực, assigned by the store
	// CertifiedAt is when the copy was signed and recorded.
	CertifiedAt     time.Time
	OfficerUsername string
	OfficerName     string // người thực hiện chứng thực, as in the signature
	RequesterCode   string // số định danh of the requester, the copy's owner
	RequesterName   string
	OriginalName    string // tên giấy tờ bản chính
	// OriginalCode is the document code of the original:
	// <category code>.<number> (see the note at the top of this file).
	OriginalCode string
	Pages        int   // số trang of the original
	FeeVND       int64 // lệ phí
	DocumentID   string
	DocumentCode string // the certified copy's code
}

// BookReference is how the entry is cited: "12/2026" (number/year).
func (e *CertificationEntry) BookReference() string {
	return fmt.Sprintf("%d/%d", e.Number, e.Year)
}

// MaxCertificationPages bounds the page count an officer may enter.
const MaxCertificationPages = 10000

// Validate checks the entry's fields, except Number and ID, which the
// store assigns. Errors are EINVALID with the field and a stable code.
func (e *CertificationEntry) Validate() error {
	if err := ValidateAgencyCode(e.AgencyCode); err != nil {
		return Invalid("agency_code", "invalid_agency_code", ErrorMessage(err))
	}
	if e.Year < 2000 || e.Year > 2999 {
		return Invalid("year", "invalid_book_year", "Năm của sổ chứng thực không hợp lệ.")
	}
	if e.CertifiedAt.IsZero() || LocalDay(e.CertifiedAt).Year() != e.Year {
		return Invalid("certified_at", "invalid_certified_at", "Thời điểm chứng thực phải thuộc năm của sổ chứng thực.")
	}
	if strings.TrimSpace(e.OfficerUsername) == "" || strings.TrimSpace(e.OfficerName) == "" {
		return Invalid("officer", "officer_required", "Sổ chứng thực phải ghi người thực hiện chứng thực.")
	}
	if err := ValidateSubjectCode(e.RequesterCode); err != nil {
		return Invalid("requester_code", "invalid_requester_code", "Số định danh của người yêu cầu chứng thực không hợp lệ: "+ErrorMessage(err))
	}
	if strings.TrimSpace(e.RequesterName) == "" {
		return Invalid("requester_name", "requester_name_required", "Sổ chứng thực phải ghi họ tên người yêu cầu chứng thực.")
	}
	if err := ValidateOriginalName(e.OriginalName); err != nil {
		return err
	}
	if _, err := ParseResultCode(e.RequesterCode + "." + e.OriginalCode); err != nil {
		return Invalid("original_code", "invalid_original_code",
			"Mã giấy tờ bản chính phải có dạng <mã danh mục KQ.Gnn.nnnnnn>.<số giấy tờ>: "+ErrorMessage(err))
	}
	if err := ValidateCertificationPages(e.Pages); err != nil {
		return err
	}
	if e.FeeVND < 0 {
		return Invalid("fee", "invalid_fee", "Lệ phí chứng thực không được âm.")
	}
	if strings.TrimSpace(e.DocumentID) == "" {
		return Invalid("document_id", "document_required", "Sổ chứng thực phải ghi bản sao điện tử đã cấp.")
	}
	if _, err := ParseCertifiedCopyCode(e.DocumentCode); err != nil {
		return err
	}
	return nil
}

// ValidateOriginalName checks "Tên giấy tờ bản chính". Error: EINVALID,
// field "original_name", code "original_name_required" or
// "original_name_too_long".
func ValidateOriginalName(name string) error {
	if strings.TrimSpace(name) == "" {
		return Invalid("original_name", "original_name_required", "Vui lòng nhập tên giấy tờ bản chính.")
	}
	if len([]rune(name)) > 300 {
		return Invalid("original_name", "original_name_too_long", "Tên giấy tờ bản chính không được dài quá 300 ký tự.")
	}
	return nil
}

// ValidateCertificationPages checks the original's page count. Error:
// EINVALID, field "pages", code "invalid_pages".
func ValidateCertificationPages(pages int) error {
	if pages < 1 {
		return Invalid("pages", "invalid_pages", "Số trang của bản chính phải từ 1 trở lên.")
	}
	if pages > MaxCertificationPages {
		return Invalid("pages", "invalid_pages", fmt.Sprintf("Số trang của bản chính không được quá %d.", MaxCertificationPages))
	}
	return nil
}

// CertificationFees is the fee rule for certifying a copy from its
// original (Thông tư 226/2016/TT-BTC): a price for each of the first
// pages, a lower price for each page after them, capped per copy.
type CertificationFees struct {
	FirstPages    int   // how many pages the first price applies to (2)
	FirstPageVND  int64 // per page, pages 1..FirstPages (2.000 đồng)
	LaterPageVND  int64 // per page from page FirstPages+1 (1.000 đồng)
	MaxPerCopyVND int64 // at most this per copy (200.000 đồng); 0: no cap
}

// DefaultCertificationFees is the current national rule: 2.000 đồng per
// page for pages 1–2, 1.000 đồng per page from page 3, at most 200.000
// đồng per copy.
func DefaultCertificationFees() CertificationFees {
	return CertificationFees{FirstPages: 2, FirstPageVND: 2000, LaterPageVND: 1000, MaxPerCopyVND: 200000}
}

// Fee is the fee for one copy of an original of pages pages; 0 when
// pages < 1.
func (f CertificationFees) Fee(pages int) int64 {
	if pages < 1 {
		return 0
	}
	first := min(pages, max(f.FirstPages, 0))
	fee := int64(first)*f.FirstPageVND + int64(pages-first)*f.LaterPageVND
	if f.MaxPerCopyVND > 0 && fee > f.MaxPerCopyVND {
		fee = f.MaxPerCopyVND
	}
	return fee
}

// Validate checks that the rule makes sense. Error: EINVALID, field
// "fees", code "invalid_fee_rule".
func (f CertificationFees) Validate() error {
	if f.FirstPages < 0 || f.FirstPageVND < 0 || f.LaterPageVND < 0 || f.MaxPerCopyVND < 0 {
		return Invalid("fees", "invalid_fee_rule", "Mức lệ phí chứng thực không được âm.")
	}
	return nil
}

// FormatVND shows an amount the Vietnamese way: "202.000 đồng".
func FormatVND(n int64) string { return FormatCount(n) + " đồng" }

// CertificationFilter selects book entries: one agency's book of one year.
type CertificationFilter struct {
	AgencyCode string
	Year       int
	// Limit: default 1000, at most 100000 (a year's book is exported whole).
	Limit  int
	Offset int
}

// CertificationStore keeps the electronic certification books. Entries
// are append-only: there is no method to change or remove one, and the
// schema refuses it too.
type CertificationStore interface {
	// CreateCertificationEntry gives e the next number of its book
	// (AgencyCode, Year) and an ID (when empty), and inserts it. Numbers are
	// unique and gap-free per book, also under concurrent calls: call it in
	// the transaction that creates the copy (InTx), so that a rolled back
	// issue gives its number back. EINVALID (unknown_agency,
	// document_not_found) when a reference does not exist; ECONFLICT
	// (certification_entry_exists) when the document already has an entry.
	CreateCertificationEntry(ctx context.Context, e *CertificationEntry) error
	// ListCertificationEntries returns the entries of a book, by number.
	ListCertificationEntries(ctx context.Context, f CertificationFilter) ([]*CertificationEntry, error)
	// GetCertificationEntryByDocument returns the entry that issued a
	// document; ENOTFOUND (certification_entry_not_found) when none did.
	GetCertificationEntryByDocument(ctx context.Context, documentID string) (*CertificationEntry, error)
}
