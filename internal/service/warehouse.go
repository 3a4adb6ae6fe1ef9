package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig"
)

// PDFVerifier checks the signatures of an uploaded PDF
// (internal/pdfsig.Verifier). An error means the check could not be made;
// a file that fails it is a SignatureCheck that is not Valid.
type PDFVerifier interface {
	Check(ctx context.Context, data []byte) (motcua.SignatureCheck, error)
}

// Warehouse is the personal / organisation data warehouse (Kho dữ liệu cá
// nhân, tổ chức): documents, their files and who read them.
type Warehouse struct {
	store    motcua.Store
	blobs    motcua.BlobStore
	verifier PDFVerifier
	maxSize  int64
	now      func() time.Time
	pop      Population // confirms the owner of a pushed result motcua has not met; unavailable when nil
}

// WarehouseConfig tunes the warehouse.
type WarehouseConfig struct {
	// MaxFileSize is the largest accepted PDF (default 20 MiB).
	MaxFileSize int64
	Now         func() time.Time
}

// NewWarehouse builds the warehouse service.
func NewWarehouse(store motcua.Store, blobs motcua.BlobStore, verifier PDFVerifier, cfg WarehouseConfig) *Warehouse {
	if cfg.MaxFileSize == 0 {
		cfg.MaxFileSize = pdfsig.DefaultMaxSize
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Warehouse{store: store, blobs: blobs, verifier: verifier, maxSize: cfg.MaxFileSize, now: cfg.Now}
}

// WithPopulation sets the population database that confirms the owner of
// an agency's pushed result when motcua has not met them yet. Call it
// before serving; without it such a push is EUNAVAILABLE.
func (w *Warehouse) WithPopulation(pop Population) *Warehouse {
	w.pop = pop
	return w
}

// MaxFileSize is the largest file the warehouse accepts.
func (w *Warehouse) MaxFileSize() int64 { return w.maxSize }

// Upload is a file as received. Data holds at most MaxFileSize+1 bytes:
// callers read through io.LimitReader so that an oversize file is
// recognised without being read whole.
type Upload struct {
	Name string
	Data []byte
}

// ReadUpload reads r up to the warehouse's limit.
func (w *Warehouse) ReadUpload(name string, r io.Reader) (Upload, error) {
	data, err := io.ReadAll(io.LimitReader(r, w.maxSize+1))
	if err != nil {
		return Upload{}, motcua.Invalid("file", "upload_failed", "Không nhận được đầy đủ tệp tin; vui lòng tải lên lại.")
	}
	return Upload{Name: name, Data: data}, nil
}

// fileRefused is the error for a file the verifier did not accept: its
// stable reason code and its Vietnamese message.
func fileRefused(c *motcua.SignatureCheck) error {
	return &motcua.Error{Kind: motcua.EINVALID, Code: c.Reason, Field: "file", Message: c.Message}
}

// refusal is the failed check for a file refused before its signatures
// are read.
func refusal(r pdfsig.Reason) *motcua.SignatureCheck {
	return &motcua.SignatureCheck{Status: motcua.SignatureInvalid, Reason: string(r), Message: r.Message()}
}

// pdfRefused is the refusal for err when it says the PDF itself cannot be
// read (pdfsig.InputError: not_pdf, encrypted, too_large), nil for any
// other error.
func pdfRefused(err error) error {
	r, ok := pdfsig.InputReason(err)
	if !ok {
		return nil
	}
	return fileRefused(refusal(r))
}

// checkSignable refuses a file the agency signer could not sign, with the
// limits the signer uses, so that it is refused when it is uploaded and
// not when someone signs it.
func (w *Warehouse) checkSignable(ctx context.Context, up Upload) error {
	err := pdfsig.CheckSignable(ctx, up.Data, pdfsig.Limits{MaxSize: w.maxSize})
	if err == nil {
		return nil
	}
	if refused := pdfRefused(err); refused != nil {
		return refused
	}
	return motcua.Internal(fmt.Errorf("check signable: %w", err))
}

// checkFile verifies an upload and stores its content. Nothing is stored
// unless every signature check passed.
func (w *Warehouse) checkFile(ctx context.Context, up Upload) (motcua.File, motcua.SignatureSummary, *motcua.SignatureCheck, error) {
	var sum motcua.SignatureSummary
	name := cleanFileName(up.Name)
	if len(up.Data) == 0 {
		return motcua.File{}, sum, nil, motcua.Invalid("file", "file_required", "Vui lòng chọn tệp tin PDF đã ký số.")
	}
	if int64(len(up.Data)) > w.maxSize {
		rep := refusal(pdfsig.ReasonTooLarge)
		return motcua.File{}, sum, rep, fileRefused(rep)
	}
	check, err := w.verifier.Check(ctx, up.Data)
	if err != nil {
		return motcua.File{}, sum, nil, motcua.Internal(fmt.Errorf("verify %s: %w", name, err))
	}
	rep := &check
	if !rep.Valid() {
		return motcua.File{}, sum, rep, fileRefused(rep)
	}
	ref, err := w.blobs.Put(ctx, bytes.NewReader(up.Data), w.maxSize)
	if err != nil {
		return motcua.File{}, sum, rep, err
	}
	return motcua.File{Name: name, Size: ref.Size, SHA256: ref.SHA256}, rep.Summary(), rep, nil
}

// checkScan stores a scanned PDF without a signature: it must still be a
// PDF within the size limit.
func (w *Warehouse) checkScan(ctx context.Context, up Upload) (motcua.File, error) {
	if err := w.refuseScan(up); err != nil {
		return motcua.File{}, err
	}
	ref, err := w.blobs.Put(ctx, bytes.NewReader(up.Data), w.maxSize)
	if err != nil {
		return motcua.File{}, err
	}
	return motcua.File{Name: cleanFileName(up.Name), Size: ref.Size, SHA256: ref.SHA256}, nil
}

// refuseScan says why an unsigned scan is refused: missing, too large,
// or not a PDF; nil when it may be kept.
func (w *Warehouse) refuseScan(up Upload) error {
	if len(up.Data) == 0 {
		return motcua.Invalid("file", "file_required", "Vui lòng chọn tệp tin.")
	}
	if int64(len(up.Data)) > w.maxSize {
		return fileRefused(refusal(pdfsig.ReasonTooLarge))
	}
	if !bytes.HasPrefix(bytes.TrimLeft(up.Data[:min(len(up.Data), 1024)], "\x00\t\n\r\f "), []byte("%PDF-")) {
		return fileRefused(refusal(pdfsig.ReasonNotPDF))
	}
	return nil
}

// cleanFileName keeps a display name safe: no path, no control
// characters, at most 200 characters.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	if name = strings.TrimSpace(name); name == "" {
		name = "tep-tin.pdf"
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return name
}

// documentNumber derives the result code's last part from what the user
// gave: the decision number's letters and digits, else the issue date as
// ddmmyyyy (as the seeds' 052090000495.KQ.G15.000021.02022024).
func documentNumber(decision string, issued motcua.Date) string {
	var b strings.Builder
	for _, r := range motcua.FoldText(decision) {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(unicode.ToUpper(r))
		case r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == '/' || r == ' ':
			b.WriteRune('-')
		}
	}
	n := strings.Trim(b.String(), "-_")
	if len(n) > 40 {
		n = n[:40]
	}
	if n != "" {
		return n
	}
	return fmt.Sprintf("%02d%02d%04d", issued.Day, issued.Month, issued.Year)
}

// createWithCode stores d under the first free code for prefix
// (prefix, prefix.01, prefix.02…), retrying when a concurrent upload took
// the same code. The document row and its document.create event by p are
// one transaction: a document is never stored unaudited.
func (w *Warehouse) createWithCode(ctx context.Context, p *motcua.Principal, d *motcua.Document, prefix motcua.ResultCode,
	categoryName string, nameGiven bool) error {
	return withFreeCode(ctx, w.store, prefix.String(), suffixed(prefix),
		motcua.Invalid("decision_number", "too_many_versions", "Đã có quá nhiều giấy tờ cùng mã; vui lòng nhập số quyết định khác."),
		func(code string) error {
			d.ID, d.Code = "", code
			if !nameGiven {
				d.Name = motcua.DefaultDocumentName(d.Code, categoryName)
			}
			if err := d.Validate(); err != nil {
				return err
			}
			err := w.store.InTx(ctx, func(tx motcua.Store) error {
				if err := tx.CreateDocument(ctx, d); err != nil {
					return err
				}
				return tx.AppendAudit(ctx, ownerEvent(p, "document.create", d, ""))
			})
			if err != nil {
				d.ID = ""
			}
			return err
		})
}

// suffixed numbers the codes of a result-code prefix: the prefix itself
// while it is free, then prefix.NN after NN codes are taken.
func suffixed(prefix motcua.ResultCode) func(n int) string {
	return func(n int) string { return prefix.WithSuffix(n).String() }
}

// withFreeCode calls create with the next free document code, code(n)
// where n codes starting with prefix are taken, and counts again when a
// concurrent writer took that code first (ECONFLICT document_exists).
// More than 99 taken, or code(n) == "" (no code may be issued for n), is
// tooMany.
func withFreeCode(ctx context.Context, store motcua.DocumentStore, prefix string, code func(n int) string, tooMany error,
	create func(code string) error) error {
	for attempt := 0; attempt < 5; attempt++ {
		n, err := store.CountDocumentCodes(ctx, prefix)
		if err != nil {
			return err
		}
		c := ""
		if n <= 99 {
			c = code(n)
		}
		if c == "" {
			return tooMany
		}
		if err := create(c); motcua.ErrorCode(err) != "document_exists" {
			return err
		}
	}
	return motcua.Errorf(motcua.ECONFLICT, "document_exists", "Mã giấy tờ vừa được sử dụng; vui lòng thử lại.")
}

// NewDocument is the "Thêm mới" form.
type NewDocument struct {
	PaperType      motcua.PaperType
	CategoryCode   string
	Name           string // optional; generated from the code and the category
	DecisionNumber string
	Summary        string
	IssuedOn       motcua.Date
	Visible        bool
	Shared         bool
	File           Upload
}

func (w *Warehouse) category(ctx context.Context, code string) (*motcua.DocumentCategory, error) {
	if strings.TrimSpace(code) == "" {
		return nil, motcua.Invalid("category", "required", "Vui lòng chọn Danh mục giấy tờ.")
	}
	c, err := w.store.GetCategory(ctx, code)
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, motcua.Invalid("category", "unknown_category", "Danh mục giấy tờ không có trong danh mục.")
	}
	return c, err
}

// Add stores a signed PDF the owner uploads into their own warehouse.
// The file must pass the verifier; otherwise the error carries the
// verifier's reason code and message and nothing is stored.
func (w *Warehouse) Add(ctx context.Context, p *motcua.Principal, n NewDocument) (*motcua.Document, *motcua.SignatureCheck, error) {
	if p == nil || p.Kind == motcua.PrincipalOfficer {
		return nil, nil, Authorize(p, OpWriteWarehouse, Resource{})
	}
	if err := Authorize(p, OpWriteWarehouse, Resource{OwnerCode: p.SubjectCode}); err != nil {
		return nil, nil, err
	}
	if n.PaperType == "" {
		n.PaperType = motcua.PaperResult
	}
	cat, err := w.category(ctx, n.CategoryCode)
	if err != nil {
		return nil, nil, err
	}
	owner, err := w.store.GetSubject(ctx, p.SubjectCode)
	if err != nil {
		return nil, nil, err
	}
	if err := motcua.ValidateIssueDate(n.IssuedOn, motcua.DateOf(w.now())); err != nil {
		return nil, nil, err
	}
	issued := n.IssuedOn
	if issued.IsZero() {
		issued = motcua.DateOf(w.now())
	}
	prefix, err := motcua.NewResultCode(owner.Code, cat.Code, documentNumber(n.DecisionNumber, issued))
	if err != nil {
		return nil, nil, err
	}
	file, sig, rep, err := w.checkFile(ctx, n.File)
	if err != nil {
		return nil, rep, err
	}
	d := &motcua.Document{OwnerCode: owner.Code, OwnerName: owner.Name, Warehouse: motcua.WarehousePersonal,
		PaperType: n.PaperType, CategoryCode: cat.Code, Name: strings.TrimSpace(n.Name),
		DecisionNumber: strings.TrimSpace(n.DecisionNumber), Summary: strings.TrimSpace(n.Summary),
		IssuedOn: issued, ExpiresOn: cat.ExpiryFor(issued), File: file, Signature: sig,
		Visible: n.Visible, Shared: n.Shared, Status: motcua.DocumentValid}
	if err := w.createWithCode(ctx, p, d, prefix, cat.Name, d.Name != ""); err != nil {
		return nil, rep, err
	}
	return d, rep, nil
}

// Access says why someone other than the owner reads a document.
type Access struct {
	DossierID string
	Purpose   string
}

// readable loads a document p may read. Anyone who may not read it gets
// ENOTFOUND, as if it did not exist, so that ids do not leak existence.
func (w *Warehouse) readable(ctx context.Context, p *motcua.Principal, id string, a Access) (*motcua.Document, error) {
	d, err := w.store.GetDocument(ctx, id)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, Authorize(nil, OpReadWarehouse, Resource{})
	}
	if p.Kind != motcua.PrincipalOfficer {
		if Authorize(p, OpReadWarehouse, Resource{OwnerCode: d.OwnerCode}) != nil || d.Status == motcua.DocumentWithdrawn {
			return nil, motcua.NotFound("document", id)
		}
		return d, nil
	}
	if err := w.readableForDossier(ctx, p, d, a.DossierID); err != nil {
		return nil, err
	}
	return d, nil
}

// Get returns a document. Reads by anyone but the owner are logged so that
// the owner sees who used their data.
func (w *Warehouse) Get(ctx context.Context, p *motcua.Principal, id string, a Access) (*motcua.Document, error) {
	d, err := w.readable(ctx, p, id, a)
	if err != nil {
		return nil, err
	}
	if err := w.logAccess(ctx, p, d, "document.read", a); err != nil {
		return nil, err
	}
	return d, nil
}

// logAccess writes the access-log entry of a non-owner read; a read that
// cannot be logged is refused.
func (w *Warehouse) logAccess(ctx context.Context, p *motcua.Principal, d *motcua.Document, action string, a Access) error {
	if p.Kind != motcua.PrincipalOfficer {
		return nil
	}
	return w.store.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: "officer", ActorID: p.ActorID(), AgencyCode: p.AgencyCode,
		Action: action, ObjectKind: "document", ObjectID: d.ID, SubjectCode: d.OwnerCode, DossierID: a.DossierID, Detail: a.Purpose})
}

// OpenFile returns the content of a document's file: the current one
// (version 0 or the current number) or an earlier version.
func (w *Warehouse) OpenFile(ctx context.Context, p *motcua.Principal, id string, version int, a Access) (io.ReadCloser, motcua.File, error) {
	d, err := w.readable(ctx, p, id, a)
	if err != nil {
		return nil, motcua.File{}, err
	}
	file := d.File
	if version != 0 && version != d.Version {
		if p.Kind == motcua.PrincipalOfficer {
			return nil, motcua.File{}, motcua.NotFound("document", id) // officers see the current file only
		}
		vs, err := w.store.DocumentVersions(ctx, d.ID)
		if err != nil {
			return nil, motcua.File{}, err
		}
		found := false
		for _, v := range vs {
			if v.Version == version {
				file, found = v.File, true
			}
		}
		if !found {
			return nil, motcua.File{}, motcua.Errorf(motcua.ENOTFOUND, "version_not_found", "Không tìm thấy phiên bản %d của giấy tờ.", version)
		}
	}
	if err := w.logAccess(ctx, p, d, "document.download", a); err != nil {
		return nil, motcua.File{}, err
	}
	rc, err := w.blobs.Open(ctx, file.SHA256)
	if err != nil {
		return nil, motcua.File{}, err
	}
	return rc, file, nil
}

// List returns the owner's documents (withdrawn ones excluded).
func (w *Warehouse) List(ctx context.Context, p *motcua.Principal, f motcua.DocumentFilter) ([]*motcua.Document, int, error) {
	if p == nil || p.Kind == motcua.PrincipalOfficer {
		return nil, 0, Authorize(p, OpReadWarehouse, Resource{})
	}
	f.OwnerCode = p.SubjectCode
	if f.Status == "" {
		f.ExcludeStatus = motcua.DocumentWithdrawn
	}
	return w.store.ListDocuments(ctx, f)
}

// owned loads a document of p's own warehouse for a change.
func (w *Warehouse) owned(ctx context.Context, p *motcua.Principal, id string) (*motcua.Document, error) {
	if p == nil {
		return nil, Authorize(nil, OpWriteWarehouse, Resource{})
	}
	d, err := w.store.GetDocument(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Kind == motcua.PrincipalOfficer || Authorize(p, OpWriteWarehouse, Resource{OwnerCode: d.OwnerCode}) != nil ||
		d.Status == motcua.DocumentWithdrawn {
		return nil, motcua.NotFound("document", id)
	}
	return d, nil
}

func agencyReadOnly() error {
	return motcua.Errorf(motcua.EFORBIDDEN, "agency_document_readonly",
		"Giấy tờ do cơ quan nhà nước cấp không thể sửa hoặc xóa; bạn chỉ có thể ẩn giấy tờ.")
}

// Replace puts a new, verified file in place of a wrong one; the old file
// stays in the document's history.
func (w *Warehouse) Replace(ctx context.Context, p *motcua.Principal, id string, expectedVersion int, up Upload) (*motcua.Document, *motcua.SignatureCheck, error) {
	d, err := w.owned(ctx, p, id)
	if err != nil {
		return nil, nil, err
	}
	if d.Warehouse == motcua.WarehouseAgency {
		return nil, nil, agencyReadOnly()
	}
	if expectedVersion == 0 {
		expectedVersion = d.Version
	}
	file, sig, rep, err := w.checkFile(ctx, up)
	if err != nil {
		return nil, rep, err
	}
	var out *motcua.Document
	err = w.store.InTx(ctx, func(tx motcua.Store) error {
		var err error
		out, err = tx.ReplaceDocumentFile(ctx, motcua.FileReplacement{DocumentID: d.ID, ExpectedVersion: expectedVersion,
			File: file, Signature: sig, ReplacedBy: p.ActorID(), At: w.now()})
		if err != nil {
			return err
		}
		return tx.AppendAudit(ctx, ownerEvent(p, "document.replace_file", out, fmt.Sprintf("version %d", out.Version)))
	})
	if err != nil {
		return nil, rep, err
	}
	return out, rep, nil
}

// DocumentUpdate changes metadata and flags; nil fields stay.
type DocumentUpdate struct {
	Name           *string
	DecisionNumber *string
	Summary        *string
	Visible        *bool
	Shared         *bool
}

// Update edits a document. Agency-issued documents only take the flags.
func (w *Warehouse) Update(ctx context.Context, p *motcua.Principal, id string, u DocumentUpdate) (*motcua.Document, error) {
	d, err := w.owned(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if d.Warehouse == motcua.WarehouseAgency && (u.Name != nil || u.DecisionNumber != nil || u.Summary != nil) {
		return nil, agencyReadOnly()
	}
	if u.Name != nil {
		d.Name = strings.TrimSpace(*u.Name)
	}
	if u.DecisionNumber != nil {
		d.DecisionNumber = strings.TrimSpace(*u.DecisionNumber)
	}
	if u.Summary != nil {
		d.Summary = strings.TrimSpace(*u.Summary)
	}
	if u.Visible != nil {
		d.Visible = *u.Visible
	}
	if u.Shared != nil {
		d.Shared = *u.Shared
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if err := w.updateAudited(ctx, p, "document.update", d); err != nil {
		return nil, err
	}
	return d, nil
}

// Withdraw removes an uploaded document from the warehouse; the row and
// its files stay for audit. Agency-issued documents can only be hidden.
func (w *Warehouse) Withdraw(ctx context.Context, p *motcua.Principal, id string) error {
	d, err := w.owned(ctx, p, id)
	if err != nil {
		return err
	}
	if d.Warehouse == motcua.WarehouseAgency {
		return agencyReadOnly()
	}
	d.Status, d.Visible, d.Shared = motcua.DocumentWithdrawn, false, false
	return w.updateAudited(ctx, p, "document.withdraw", d)
}

// Versions returns the earlier files of the owner's document.
func (w *Warehouse) Versions(ctx context.Context, p *motcua.Principal, id string) ([]motcua.DocumentVersion, error) {
	d, err := w.owned(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return w.store.DocumentVersions(ctx, d.ID)
}

// AccessLog lists who other than the owner read the document ("who used
// my data").
func (w *Warehouse) AccessLog(ctx context.Context, p *motcua.Principal, id string) ([]*motcua.AuditEvent, error) {
	d, err := w.owned(ctx, p, id)
	if err != nil {
		return nil, err
	}
	events, err := w.store.ListAudit(ctx, motcua.AuditFilter{ObjectKind: "document", ObjectID: d.ID, Limit: 1000})
	if err != nil {
		return nil, err
	}
	var out []*motcua.AuditEvent
	for _, e := range events {
		if e.Action == "document.read" || e.Action == "document.download" {
			out = append(out, e)
		}
	}
	return out, nil
}

// updateAudited saves d's metadata and p's audit event of the change in
// one transaction: if the event cannot be written, nothing changes.
func (w *Warehouse) updateAudited(ctx context.Context, p *motcua.Principal, action string, d *motcua.Document) error {
	return w.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.UpdateDocumentMetadata(ctx, d); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, ownerEvent(p, action, d, ""))
	})
}

// ownerEvent is the audit event of an owner's change to their document,
// written in the change's transaction.
func ownerEvent(p *motcua.Principal, action string, d *motcua.Document, detail string) *motcua.AuditEvent {
	return &motcua.AuditEvent{ActorKind: string(p.Kind), ActorID: p.ActorID(), Action: action,
		ObjectKind: "document", ObjectID: d.ID, SubjectCode: d.OwnerCode, Detail: detail}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
