package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig"
)

// Certification is the certifying officer's desk (chứng thực bản sao
// điện tử từ bản chính): the scan of an original is signed with the
// agency's key, recorded in the agency's electronic certification book
// and placed, as a document of category KQ.G15.000021, in the requester's
// warehouse.
type Certification struct {
	store motcua.Store
	wh    *Warehouse
	keys  Keyring
	fees  motcua.CertificationFees
	now   func() time.Time
}

// CertificationConfig tunes the desk.
type CertificationConfig struct {
	// Fees is the fee rule (default motcua.DefaultCertificationFees).
	Fees *motcua.CertificationFees
	// How long a copy stays usable is not configured here: it is the
	// domain's rule (motcua.CertifiedCopyExpiry), the same for the copies
	// online dossiers return.
	Now func() time.Time
}

// NewCertification builds the desk; wh checks and stores the files, keys
// signs them.
func NewCertification(store motcua.Store, wh *Warehouse, keys Keyring, cfg CertificationConfig) (*Certification, error) {
	c := &Certification{store: store, wh: wh, keys: keys, fees: motcua.DefaultCertificationFees(), now: cfg.Now}
	if cfg.Fees != nil {
		if err := cfg.Fees.Validate(); err != nil {
			return nil, err
		}
		c.fees = *cfg.Fees
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// Fees returns the fee rule in force.
func (c *Certification) Fees() motcua.CertificationFees { return c.fees }

// Authorize returns nil when p may work at the desk: a certifying officer
// (EUNAUTH or EFORBIDDEN otherwise).
func (c *Certification) Authorize(ctx context.Context, p *motcua.Principal) error {
	return c.authorize(ctx, p)
}

// authorize admits certifying officers, for their own agency.
func (c *Certification) authorize(ctx context.Context, p *motcua.Principal) error {
	return AuthorizeAt(ctx, c.store, p, OpCertifyCopy, "")
}

// CertifyRequest is what the officer enters at the desk.
type CertifyRequest struct {
	RequesterCode string // số định danh of the requester
	OriginalName  string // tên giấy tờ bản chính
	// OriginalCategory and OriginalNumber make the original's document
	// code: its catalogue category and its number (số hiệu).
	OriginalCategory string
	OriginalNumber   string
	Pages            int
	Scan             Upload // the unsigned scan of the original
}

// Requester finds the subject a copy will be issued to. EINVALID
// (unknown_requester) when no warehouse has that number.
func (c *Certification) Requester(ctx context.Context, p *motcua.Principal, code string) (*motcua.Subject, error) {
	if err := c.authorize(ctx, p); err != nil {
		return nil, err
	}
	s, err := c.requester(ctx, code)
	if err != nil {
		return nil, err
	}
	// Looking a citizen up reads personal data: audited.
	err = c.store.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: "officer", ActorID: p.Username, AgencyCode: p.AgencyCode,
		Action: "certification.requester.read", ObjectKind: "subject", ObjectID: s.Code, SubjectCode: s.Code})
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (c *Certification) requester(ctx context.Context, code string) (*motcua.Subject, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, motcua.Invalid("requester_code", "requester_required", "Vui lòng nhập số định danh của người yêu cầu chứng thực.")
	}
	if err := motcua.ValidateSubjectCode(code); err != nil {
		return nil, motcua.Invalid("requester_code", "invalid_requester_code", "Số định danh của người yêu cầu chứng thực không hợp lệ: "+motcua.ErrorMessage(err))
	}
	s, err := c.store.GetSubject(ctx, code)
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, motcua.Invalid("requester_code", "unknown_requester",
			fmt.Sprintf("Không tìm thấy công dân, tổ chức có số định danh %s trong hệ thống; người yêu cầu cần có tài khoản trước khi nhận bản sao điện tử.", code))
	}
	return s, err
}

// originalNumber normalizes the original's number for the copy's code:
// "123/2019/TP-KS" → "123-2019-TP-KS".
func originalNumber(s string) (string, error) {
	n := documentNumber(s, motcua.Date{})
	if strings.TrimSpace(s) == "" || n == "00000000" {
		return "", motcua.Invalid("original_number", "original_number_required",
			"Vui lòng nhập số hiệu của giấy tờ bản chính (chữ cái không dấu, chữ số, '-', '/').")
	}
	return n, nil
}

// Certified is an issued copy: the book entry and the warehouse document.
type Certified struct {
	Entry    *motcua.CertificationEntry
	Document *motcua.Document
}

// Issue certifies a copy from its original. The scan must be a readable
// PDF with the stated number of pages; it is signed with the officer's
// agency key in the officer's name, checked like any warehouse upload,
// and then the warehouse document, the book entry and the audit event
// are written in one transaction: there is never a copy without its
// entry or an entry without its copy.
//
// Errors: EUNAUTH/EFORBIDDEN (not a certifying officer); EINVALID with
// field and code (requester_required, invalid_requester_code,
// unknown_requester, original_name_required, unknown_category,
// original_number_required, invalid_pages, pages_mismatch,
// file_required, not_pdf, too_large, unreadable_pdf,
// too_many_copies, signed_copy_not_trusted); ENOTFOUND
// (signing_key_missing) when the agency has no key.
func (c *Certification) Issue(ctx context.Context, p *motcua.Principal, r CertifyRequest) (*Certified, error) {
	if err := c.authorize(ctx, p); err != nil {
		return nil, err
	}
	requester, err := c.requester(ctx, r.RequesterCode)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(r.OriginalName)
	if err := motcua.ValidateOriginalName(name); err != nil {
		return nil, err
	}
	origCat, err := c.wh.category(ctx, strings.TrimSpace(r.OriginalCategory))
	if err != nil {
		return nil, err
	}
	number, err := originalNumber(r.OriginalNumber)
	if err != nil {
		return nil, err
	}
	original, err := motcua.NewResultCode(requester.Code, origCat.Code, number)
	if err != nil {
		return nil, err
	}
	if err := motcua.ValidateCertificationPages(r.Pages); err != nil {
		return nil, err
	}
	copyCat, err := c.wh.category(ctx, motcua.CertifiedCopyCategory)
	if err != nil {
		return nil, err
	}
	if err := c.wh.refuseScan(r.Scan); err != nil {
		return nil, err
	}
	pages, err := pdfsig.PageCount(r.Scan.Data)
	if r, _ := pdfsig.InputReason(err); r == pdfsig.ReasonTooLarge {
		return nil, pdfRefused(err)
	}
	if err != nil {
		return nil, motcua.Invalid("file", "unreadable_pdf", "Không đọc được tệp quét: tệp PDF bị hỏng, được mã hóa hoặc không có trang nào.")
	}
	if pages != r.Pages {
		return nil, motcua.Invalid("pages", "pages_mismatch",
			fmt.Sprintf("Số trang đã nhập (%d) khác số trang của tệp quét (%d); vui lòng đối chiếu lại với bản chính.", r.Pages, pages))
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	file, sig, rep, err := c.wh.signAndCheck(ctx, c.keys, p.AgencyCode, Upload{Name: number + "-ban-sao-chung-thuc.pdf", Data: r.Scan.Data},
		p.Name, motcua.CertificationReason, now)
	if err != nil {
		if rep != nil {
			return nil, motcua.Errorf(motcua.EINVALID, "signed_copy_not_trusted",
				"Bản sao sau khi ký số không được hệ thống công nhận (%s); vui lòng kiểm tra chứng thư số của cơ quan.", rep.Message)
		}
		return nil, err
	}
	issued := motcua.DateOf(now)
	expires := motcua.CertifiedCopyExpiry(issued)
	fee := c.fees.Fee(r.Pages)
	for attempt := 0; attempt < 5; attempt++ {
		out, err := c.record(ctx, p, requester, original, copyCat, name, r.Pages, fee, file, sig, issued, expires, now)
		if !motcua.IsKind(err, motcua.ECONFLICT) || motcua.ErrorCode(err) != "document_exists" {
			return out, err
		}
		// Another officer issued a copy of the same original meanwhile:
		// take the next counter.
	}
	return nil, motcua.Errorf(motcua.ECONFLICT, "document_exists", "Mã bản sao vừa được sử dụng; vui lòng thử lại.")
}

// record writes the copy, its book entry and the audit event in one
// transaction.
func (c *Certification) record(ctx context.Context, p *motcua.Principal, requester *motcua.Subject, original motcua.ResultCode,
	copyCat *motcua.DocumentCategory, originalName string, pages int, fee int64, file motcua.File, sig motcua.SignatureSummary,
	issued, expires motcua.Date, now time.Time) (*Certified, error) {
	year := motcua.LocalDay(now).Year()
	d := &motcua.Document{OwnerCode: requester.Code, OwnerName: requester.Name, Warehouse: motcua.WarehouseAgency,
		PaperType: motcua.PaperResult, CategoryCode: copyCat.Code, IssuerCode: p.AgencyCode, IssuedOn: issued, ExpiresOn: expires,
		File: file, Signature: sig, Visible: true, Shared: true, Status: motcua.DocumentValid, CreatedAt: now}
	e := &motcua.CertificationEntry{AgencyCode: p.AgencyCode, Year: year, CertifiedAt: now,
		OfficerUsername: p.Username, OfficerName: p.Name, RequesterCode: requester.Code, RequesterName: requester.Name,
		OriginalName: originalName, OriginalCode: original.Category + "." + original.Number, Pages: pages, FeeVND: fee}
	err := c.store.InTx(ctx, func(tx motcua.Store) error {
		prefix := motcua.CertifiedCopy{Original: original}.Prefix()
		n, err := tx.CountDocumentCodes(ctx, prefix)
		if err != nil {
			return err
		}
		next, err := motcua.NextCertifiedCopy(original, n)
		if err != nil {
			return err
		}
		d.Code = next.String()
		d.Name = motcua.DefaultDocumentName(d.Code, copyCat.Name)
		d.Summary = fmt.Sprintf("Bản sao điện tử được chứng thực từ bản chính: %s (%d trang).", originalName, pages)
		if err := d.Validate(); err != nil {
			return err
		}
		if err := tx.CreateDocument(ctx, d); err != nil {
			return err
		}
		if err := bookCopy(ctx, tx, e, d); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: "officer", ActorID: p.Username, AgencyCode: p.AgencyCode,
			Action: "certification.issue", ObjectKind: "document", ObjectID: d.ID, SubjectCode: requester.Code,
			Detail: fmt.Sprintf("book=%s/%d number=%d code=%s pages=%d fee=%d", e.AgencyCode, e.Year, e.Number, d.Code, pages, fee)})
	})
	if err != nil {
		d.ID = ""
		return nil, err
	}
	return &Certified{Entry: e, Document: d}, nil
}

// bookCopy numbers the stored copy d in the electronic certification book
// with entry e, inside tx; the book reference becomes the copy's number
// (số chứng thực). The desk and the online certification procedure both
// book their copies here.
func bookCopy(ctx context.Context, tx motcua.Store, e *motcua.CertificationEntry, d *motcua.Document) error {
	e.DocumentID, e.DocumentCode = d.ID, d.Code
	if err := e.Validate(); err != nil {
		return err
	}
	if err := tx.CreateCertificationEntry(ctx, e); err != nil {
		return err
	}
	d.DecisionNumber = "Số chứng thực " + e.BookReference()
	return tx.UpdateDocumentMetadata(ctx, d)
}

// Book returns the officer's agency's electronic certification book of
// year, by number. Reading it is audited: it holds personal data.
func (c *Certification) Book(ctx context.Context, p *motcua.Principal, year int) ([]*motcua.CertificationEntry, error) {
	if err := c.authorize(ctx, p); err != nil {
		return nil, err
	}
	if year < 2000 || year > 2999 {
		return nil, motcua.Invalid("year", "invalid_book_year", "Năm của sổ chứng thực không hợp lệ.")
	}
	var all []*motcua.CertificationEntry
	const page = 10000
	for offset := 0; ; offset += page {
		es, err := c.store.ListCertificationEntries(ctx, motcua.CertificationFilter{AgencyCode: p.AgencyCode, Year: year, Limit: page, Offset: offset})
		if err != nil {
			return nil, err
		}
		all = append(all, es...)
		if len(es) < page {
			break
		}
	}
	err := c.store.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: "officer", ActorID: p.Username, AgencyCode: p.AgencyCode,
		Action: "certification.book.read", ObjectKind: "certification_book", ObjectID: fmt.Sprintf("%s/%d", p.AgencyCode, year)})
	if err != nil {
		return nil, err
	}
	return all, nil
}
