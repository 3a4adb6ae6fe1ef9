package service

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// AgencyResult is a signed result an agency system pushes into its
// owner's warehouse.
type AgencyResult struct {
	Code      string // the result code; the push is idempotent on it
	OwnerName string
	// OwnerBirthDate is the owner's date of birth, when the agency knows
	// it (a person only). It lets a push reach a person motcua has not met
	// yet: the population database confirms the owner first.
	OwnerBirthDate motcua.Date
	DecisionNumber string
	Summary        string
	IssuedOn       motcua.Date
	File           Upload
}

// PushResult stores an agency-issued result in the owner's warehouse
// ("Kho cơ quan nhà nước, tổ chức"). Pushing the same code with the same
// file again returns the stored document (created = false); the same code
// with another file is ECONFLICT (result_code_exists).
//
// The push stays within the client's remit: EFORBIDDEN
// (category_not_allowed) for a category the client is not bound to,
// (owner_kind_not_allowed) for an organisation when the client pushes only
// to persons. The owner's code must be valid for its kind (a 12-digit code
// is a personal id, checked in full) and owner_name the owner's registered
// name up to case, diacritics and spacing (EINVALID owner_name_mismatch);
// the stored name is the registered one, never the pushed one. An owner
// birth date, when given for a known person with a stored one, must equal
// it (EINVALID owner_birth_date_mismatch).
//
// A person motcua has not met yet (a newborn whose birth certificate the
// commune pushes) is created only once the population database confirms
// the personal id, name and birth date (purpose result_push, asked as the
// client, logged like every query): without a birth date EINVALID
// owner_unknown, on no match EINVALID owner_identity_mismatch, when the
// database cannot be reached EUNAVAILABLE popdb_unavailable (nothing
// stored; the push may be repeated). The owner gets the database's name
// and birth date. The database is asked only after every other check,
// the file's signature included, passed. An organisation motcua does not
// know is refused (owner_unknown). The issue date follows
// motcua.ValidateIssueDate.
func (w *Warehouse) PushResult(ctx context.Context, client *motcua.APIClient, r AgencyResult) (*motcua.Document, bool, *motcua.SignatureCheck, error) {
	if client == nil || client.Disabled {
		return nil, false, nil, &motcua.Error{Kind: motcua.EUNAUTH, Code: "invalid_client", Message: "Ứng dụng tích hợp không hợp lệ."}
	}
	return w.push(ctx, client, r, false)
}

// ImportResult is PushResult for `motcua import` (and the demo seed), run
// by the operator on the server for the agency the manifest names: no
// client remit applies, and an owner motcua has not met yet is created
// from the manifest (its code still checked for its kind, a known owner's
// name still checked), because importing the results of earlier systems
// is how their owners' warehouses are filled.
func (w *Warehouse) ImportResult(ctx context.Context, agencyCode string, r AgencyResult) (*motcua.Document, bool, *motcua.SignatureCheck, error) {
	return w.push(ctx, &motcua.APIClient{ID: "import", AgencyCode: agencyCode}, r, true)
}

func (w *Warehouse) push(ctx context.Context, client *motcua.APIClient, r AgencyResult, imported bool) (*motcua.Document, bool, *motcua.SignatureCheck, error) {
	code, err := motcua.ParseResultCode(strings.TrimSpace(r.Code))
	if err != nil {
		return nil, false, nil, err
	}
	if !imported && !client.Issues(code.Category) {
		return nil, false, nil, motcua.Errorf(motcua.EFORBIDDEN, "category_not_allowed",
			"Ứng dụng tích hợp %s không được trả kết quả thuộc danh mục %s: danh mục này không do hệ thống của cơ quan cấp.", client.ID, code.Category)
	}
	cat, err := w.category(ctx, code.Category)
	if err != nil {
		return nil, false, nil, err
	}
	kind, err := motcua.OwnerKind(code.Owner)
	if err != nil {
		return nil, false, nil, err
	}
	if !imported && !client.MayPushTo(kind) {
		return nil, false, nil, motcua.Errorf(motcua.EFORBIDDEN, "owner_kind_not_allowed",
			"Ứng dụng tích hợp %s chỉ được trả kết quả cho công dân, không cho tổ chức (mã %s).", client.ID, code.Owner)
	}
	ownerName := strings.TrimSpace(r.OwnerName)
	if ownerName == "" {
		return nil, false, nil, motcua.Invalid("owner_name", "required", "Thiếu tên chủ hồ sơ.")
	}
	today := motcua.DateOf(w.now())
	if err := motcua.ValidateIssueDate(r.IssuedOn, today); err != nil {
		return nil, false, nil, err
	}
	birth := r.OwnerBirthDate
	if !birth.IsZero() {
		if kind != motcua.SubjectPerson {
			return nil, false, nil, motcua.Invalid("owner_birth_date", "owner_birth_date_not_allowed",
				"Ngày sinh của chủ hồ sơ chỉ dùng cho công dân, không cho tổ chức.")
		}
		if today.Before(birth) {
			return nil, false, nil, motcua.Invalid("owner_birth_date", "invalid_birth_date", "Ngày sinh của chủ hồ sơ không được sau ngày hôm nay.")
		}
	}
	owner, err := w.store.GetSubject(ctx, code.Owner)
	verify := false // the owner is a person to confirm with the population database
	switch {
	case err == nil:
		if owner.Kind != kind {
			return nil, false, nil, motcua.Invalid("owner_name", "owner_kind_mismatch",
				fmt.Sprintf("Mã %s trong mã kết quả không khớp với loại chủ thể đã đăng ký trên hệ thống.", code.Owner))
		}
		if !motcua.EqualFolded(owner.Name, ownerName) {
			return nil, false, nil, motcua.Invalid("owner_name", "owner_name_mismatch",
				fmt.Sprintf("Tên chủ hồ sơ %q không khớp với tên đã đăng ký của chủ thể có mã %s.", ownerName, code.Owner))
		}
		if !birth.IsZero() && !owner.BirthDate.IsZero() && owner.BirthDate != birth {
			return nil, false, nil, motcua.Invalid("owner_birth_date", "owner_birth_date_mismatch",
				fmt.Sprintf("Ngày sinh %s không khớp với ngày sinh đã đăng ký của chủ thể có mã %s.", birth.Display(), code.Owner))
		}
		ownerName = owner.Name
	case !motcua.IsKind(err, motcua.ENOTFOUND):
		return nil, false, nil, err
	case imported:
	case kind != motcua.SubjectPerson:
		return nil, false, nil, motcua.Invalid("owner_name", "owner_unknown",
			fmt.Sprintf("Chủ thể có mã %s chưa có kho dữ liệu trên hệ thống; kết quả chỉ được trả vào kho của chủ thể đã được xác thực.", code.Owner))
	case birth.IsZero():
		return nil, false, nil, motcua.Invalid("owner_birth_date", "owner_unknown",
			fmt.Sprintf("Công dân có số định danh %s chưa có kho dữ liệu trên hệ thống. Cần gửi kèm ngày sinh của chủ hồ sơ (owner_birth_date) để đối chiếu với Cơ sở dữ liệu quốc gia về dân cư trước khi trả kết quả.", code.Owner))
	default:
		verify = true
	}
	if existing, err := w.store.GetDocumentByCode(ctx, code.String()); err == nil {
		if sha := sha256Hex(r.File.Data); existing.File.SHA256 == sha && existing.IssuerCode == client.AgencyCode {
			return existing, false, nil, nil
		}
		return nil, false, nil, motcua.Errorf(motcua.ECONFLICT, "result_code_exists",
			"Mã kết quả %s đã có trong kho với một tệp tin khác.", code.String())
	} else if !motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, false, nil, err
	}
	file, sig, rep, err := w.checkFile(ctx, r.File)
	if err != nil {
		return nil, false, rep, err
	}
	issued := r.IssuedOn
	if issued.IsZero() {
		issued = today
	}
	d := &motcua.Document{Code: code.String(), OwnerCode: code.Owner, OwnerName: ownerName,
		Warehouse: motcua.WarehouseAgency, PaperType: motcua.PaperResult, CategoryCode: cat.Code,
		Name: motcua.DefaultDocumentName(code.String(), cat.Name), DecisionNumber: strings.TrimSpace(r.DecisionNumber),
		Summary: strings.TrimSpace(r.Summary), IssuerCode: client.AgencyCode, IssuedOn: issued, ExpiresOn: cat.ExpiryFor(issued),
		File: file, Signature: sig, Visible: true, Shared: true, Status: motcua.DocumentValid}
	if err := d.Validate(); err != nil {
		return nil, false, rep, err
	}
	var confirmed *motcua.Subject
	if verify {
		if confirmed, err = w.confirmOwner(ctx, client, code.Owner, ownerName, birth); err != nil {
			return nil, false, rep, err
		}
		d.OwnerName = confirmed.Name
	}
	err = w.store.InTx(ctx, func(tx motcua.Store) error {
		switch {
		case confirmed != nil:
			if err := upsertSubject(ctx, tx, confirmed); err != nil {
				return err
			}
		case owner == nil:
			if err := ensureOwner(ctx, tx, d.OwnerCode, d.OwnerName); err != nil {
				return err
			}
		}
		if err := tx.CreateDocument(ctx, d); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: "integrator", ActorID: "client:" + client.ID,
			AgencyCode: client.AgencyCode, Action: "document.push", ObjectKind: "document", ObjectID: d.ID, SubjectCode: d.OwnerCode})
	})
	if motcua.IsKind(err, motcua.ECONFLICT) {
		// A concurrent push of the same code won; answer as a repeat.
		if existing, gerr := w.store.GetDocumentByCode(ctx, d.Code); gerr == nil && existing.File.SHA256 == file.SHA256 {
			return existing, false, rep, nil
		}
	}
	if err != nil {
		return nil, false, rep, err
	}
	return d, true, rep, nil
}

// confirmOwner asks the population database, as the client, whether the
// personal id, name and birth date of a pushed result's owner belong to
// one citizen, and returns the subject to create from its record.
func (w *Warehouse) confirmOwner(ctx context.Context, client *motcua.APIClient, id, name string, birth motcua.Date) (*motcua.Subject, error) {
	pop := w.pop
	if pop == nil {
		pop = NoPopulation{}
	}
	citizen, err := pop.LookupCitizen(ctx, motcua.IdentityQuery{ActorKind: motcua.ActorIntegrator, ActorID: "client:" + client.ID,
		AgencyCode: client.AgencyCode, Purpose: motcua.PurposeResultPush, PersonalID: id, FullName: name, BirthDate: birth})
	if motcua.IsKind(err, motcua.ENOTFOUND) || (err == nil && citizen.PersonalID != id) {
		return nil, &motcua.Error{Kind: motcua.EINVALID, Code: "owner_identity_mismatch", Field: "owner_name",
			Message: "Xác thực thất bại: Tên chủ hồ sơ, số định danh cá nhân trong mã kết quả hoặc Ngày sinh không khớp với Cơ sở dữ liệu quốc gia về dân cư. Kết quả chưa được trả vào kho."}
	}
	if err != nil {
		return nil, err
	}
	return citizen.Subject(w.now().UTC()), nil
}

// ensureOwner gives an owner the system has not met yet a warehouse (a
// subject) inside tx, before an agency's result is stored for them. The
// owner's kind follows its code (motcua.OwnerKind): a 12-digit code that
// is not a valid personal id is refused, never taken for an organisation.
func ensureOwner(ctx context.Context, tx motcua.Store, code, name string) error {
	_, err := tx.GetSubject(ctx, code)
	if !motcua.IsKind(err, motcua.ENOTFOUND) {
		return err
	}
	kind, err := motcua.OwnerKind(code)
	if err != nil {
		return err
	}
	owner := &motcua.Subject{Code: code, Kind: kind, Name: name}
	if err := owner.Validate(); err != nil {
		return err
	}
	return tx.CreateSubject(ctx, owner)
}

// PublicVerification is what anyone may learn about a result code.
type PublicVerification struct {
	Code        string `json:"code"`
	Status      string `json:"status"`
	StatusLabel string `json:"status_label"`
	Category    string `json:"category"`
	Warehouse   string `json:"warehouse_kind"`
	IssuerCode  string `json:"issuer_code,omitempty"`
	IssuerName  string `json:"issuer_name,omitempty"`
	// IssuedOn and ExpiresOn are ISO dates (yyyy-mm-dd), absent when
	// not set.
	IssuedOn    motcua.Date `json:"issued_on,omitzero"`
	ExpiresOn   motcua.Date `json:"expires_on,omitzero"`
	OwnerMasked string      `json:"owner_name_masked"`
	Signature   string      `json:"signature_status"`
	SignedBy    string      `json:"signed_by,omitempty"`
	SigningTime time.Time   `json:"signing_time,omitzero"`
	CheckedAt   time.Time   `json:"checked_at"`
	Expired     bool        `json:"expired"`
	// ReplacedBy is the code of the corrected result that superseded
	// this one.
	ReplacedBy   string `json:"replaced_by,omitempty"`
	DocumentName string `json:"-"`
}

// VerifyPublic tells a third party whether a result with code exists,
// whether it is still valid and who issued it, without personal data but
// a masked name.
func (w *Warehouse) VerifyPublic(ctx context.Context, code string) (*PublicVerification, error) {
	code = strings.TrimSpace(code)
	if err := motcua.ValidateWarehouseCode(code); err != nil {
		return nil, err
	}
	d, err := w.store.GetDocumentByCode(ctx, code)
	if err != nil {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "result_not_found", "Không tìm thấy kết quả có mã %s.", code)
	}
	cat, err := w.store.GetCategory(ctx, d.CategoryCode)
	if err != nil {
		return nil, err
	}
	today := motcua.DateOf(w.now())
	v := &PublicVerification{Code: d.Code, Status: string(d.Status), StatusLabel: d.StatusLabel(today), Category: cat.Name,
		Warehouse: string(d.Warehouse), IssuedOn: d.IssuedOn, ExpiresOn: d.ExpiresOn,
		OwnerMasked: MaskName(d.OwnerName), Signature: d.Signature.Status, SignedBy: d.Signature.Signer,
		SigningTime: d.Signature.SigningTime, CheckedAt: w.now().UTC(),
		Expired: !d.ExpiresOn.IsZero() && d.ExpiresOn.Before(today)}
	if d.SupersededBy != "" {
		if nd, err := w.store.GetDocument(ctx, d.SupersededBy); err == nil {
			v.ReplacedBy = nd.Code
		}
	}
	if d.IssuerCode != "" {
		v.IssuerCode = d.IssuerCode
		if a, err := w.store.GetAgency(ctx, d.IssuerCode); err == nil {
			v.IssuerName = a.Name
		}
	}
	return v, nil
}

// MaskName hides a name but its initials: "Nguyễn Văn An" → "N*** V** A".
func MaskName(name string) string {
	words := strings.Fields(name)
	for i, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case i == len(words)-1:
			words[i] = string(r)
		case i == 0:
			words[i] = string(r) + "***"
		default:
			words[i] = string(r) + "**"
		}
	}
	return strings.Join(words, " ")
}
