package service

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig"
)

// This file is the processing desk (chuyên viên xử lý, lãnh đạo ký
// duyệt): forwarding a dossier between officers and agencies, drafting
// the result, the leader's digital signature, and returning the signed
// result into the owner's warehouse.

// processable loads a dossier in processing (status 4 or 6) that p may
// process at its handling agency.
func (r *Reception) processable(ctx context.Context, p *motcua.Principal, code string, op Operation) (*motcua.Dossier, error) {
	d, acc, err := r.work(ctx, p, code)
	if err != nil {
		return nil, err
	}
	if err := Authorize(p, op, acc.handling); err != nil {
		return nil, err
	}
	if d.Status != motcua.StatusProcessing && d.Status != motcua.StatusFinancialDuty {
		return nil, motcua.Invalid("status", "not_processing",
			fmt.Sprintf("Hồ sơ đang ở trạng thái “%s”: chỉ hồ sơ đang xử lý mới được chuyển, dự thảo hoặc ký kết quả.", d.Status.Label()))
	}
	return d, nil
}

func (r *Reception) officerEvent(p *motcua.Principal, d *motcua.Dossier, action, objectKind, objectID, detail string) *motcua.AuditEvent {
	return &motcua.AuditEvent{ActorKind: "officer", ActorID: p.Username, AgencyCode: p.AgencyCode, Action: action,
		ObjectKind: objectKind, ObjectID: objectID, SubjectCode: d.Owner.Code, DossierID: d.ID, Detail: detail}
}

// Assign forwards a dossier in processing to an agency (default: the one
// handling it) and, optionally, one of its officers, with a comment; the
// comment is required when the dossier leaves the agency. The status does
// not change; the history records who forwarded it, to whom and why.
func (r *Reception) Assign(ctx context.Context, p *motcua.Principal, code, agency, assignee, note string) (*motcua.Dossier, error) {
	d, err := r.processable(ctx, p, code, OpProcessDossier)
	if err != nil {
		return nil, err
	}
	agency, assignee, note = strings.TrimSpace(agency), strings.TrimSpace(assignee), strings.TrimSpace(note)
	if agency == "" {
		agency = d.HandlingAgency
	}
	target, err := r.store.GetAgency(ctx, agency)
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, motcua.Invalid("agency", "unknown_agency", "Không tìm thấy cơ quan nhận hồ sơ chuyển đến.")
	}
	if err != nil {
		return nil, err
	}
	allowed, err := r.forwarding(ctx, d)
	if err != nil {
		return nil, err
	}
	if !allowed(target) {
		return nil, motcua.Invalid("agency", "agency_not_allowed",
			fmt.Sprintf("Không thể chuyển hồ sơ đến %s: chỉ chuyển trong cơ quan đang xử lý, đến cơ quan cấp trên, cấp dưới trực tiếp hoặc cơ quan giải quyết thủ tục này.", target.Name))
	}
	if len([]rune(note)) > maxNote {
		return nil, motcua.Invalid("note", "too_long", fmt.Sprintf("Ý kiến chuyển xử lý không được dài quá %d ký tự.", maxNote))
	}
	if assignee != "" {
		o, err := r.store.GetOfficer(ctx, assignee)
		if err != nil && !motcua.IsKind(err, motcua.ENOTFOUND) {
			return nil, err
		}
		if err != nil || o.AgencyCode != target.Code || o.Disabled ||
			!(o.HasRole(motcua.RoleProcessing) || o.HasRole(motcua.RoleLeader)) {
			return nil, motcua.Invalid("assignee", "unknown_assignee",
				fmt.Sprintf("Không có cán bộ xử lý %q thuộc %s.", assignee, target.Name))
		}
	}
	if target.Code != d.HandlingAgency && len([]rune(note)) < 5 {
		return nil, motcua.Invalid("note", "reason_required", "Vui lòng nhập ý kiến (ít nhất 5 ký tự) khi chuyển hồ sơ sang cơ quan khác.")
	}
	msg := "Chuyển xử lý: " + target.Name
	if assignee != "" {
		msg += " (" + assignee + ")"
	}
	if note != "" {
		msg += " — " + note
	}
	a := motcua.Assignment{DossierID: d.ID, Status: d.Status, AgencyCode: target.Code, Assignee: assignee,
		At: r.now().UTC().Truncate(time.Microsecond), Actor: p.Username, Note: msg}
	err = r.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.AssignDossier(ctx, a); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, r.officerEvent(p, d, "dossier.assign", "dossier", d.ID,
			fmt.Sprintf("agency=%s assignee=%s note=%q", target.Code, assignee, note)))
	})
	if err != nil {
		return nil, err
	}
	return r.store.GetDossier(ctx, d.ID)
}

// forwarding says where a dossier may be forwarded: within the handling
// agency, to its parent or one of its children, or to an agency that
// handles the procedure.
func (r *Reception) forwarding(ctx context.Context, d *motcua.Dossier) (allowed func(target *motcua.Agency) bool, err error) {
	handling, err := r.store.GetAgency(ctx, d.HandlingAgency)
	if err != nil {
		return nil, err
	}
	proc, err := r.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion)
	if err != nil {
		return nil, err
	}
	return func(target *motcua.Agency) bool {
		return target.Code == handling.Code || target.ParentCode == handling.Code || handling.ParentCode == target.Code ||
			slices.Contains(proc.AgencyCodes, target.Code)
	}, nil
}

// resultsEnabled refuses result work when the service has no warehouse or
// keyring (a configuration error).
func (r *Reception) resultsEnabled() error {
	if r.wh == nil || r.keys == nil {
		return motcua.Internal(fmt.Errorf("reception: results are not configured"))
	}
	return nil
}

// DraftResult stores the draft of the result (a PDF; the leader signs it
// later) with its document number and summary. Drafting again replaces
// the draft until it is signed.
func (r *Reception) DraftResult(ctx context.Context, p *motcua.Principal, code, number, summary string, up Upload) (*motcua.Dossier, error) {
	if err := r.resultsEnabled(); err != nil {
		return nil, err
	}
	d, err := r.processable(ctx, p, code, OpProcessDossier)
	if err != nil {
		return nil, err
	}
	if !d.ResultExpected {
		return nil, motcua.Invalid("result", "no_result", "Thủ tục của hồ sơ này không có kết quả giải quyết để dự thảo.")
	}
	if d.Result != nil && d.Result.Signed != nil {
		return nil, motcua.Invalid("result", "result_signed", "Kết quả đã được ký số, không thể thay dự thảo.")
	}
	number, summary = strings.TrimSpace(number), strings.TrimSpace(summary)
	if len([]rune(summary)) > maxNote {
		return nil, motcua.Invalid("summary", "too_long", fmt.Sprintf("Trích yếu không được dài quá %d ký tự.", maxNote))
	}
	proc, err := r.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion)
	if err != nil {
		return nil, err
	}
	if err := r.checkResultNumber(ctx, d, proc.ResultCategory, number); err != nil {
		return nil, err
	}
	if err := r.checkDraft(ctx, up); err != nil {
		return nil, err
	}
	file, err := r.wh.checkScan(ctx, up)
	if err != nil {
		return nil, err
	}
	res := &motcua.DossierResult{Number: number, Summary: summary, Category: proc.ResultCategory, Draft: file, DraftedBy: p.Username,
		DraftedAt: r.now().UTC().Truncate(time.Microsecond)}
	err = r.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.SetDossierResult(ctx, d.ID, d.Version, res); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, r.officerEvent(p, d, "result.draft", "dossier", d.ID,
			fmt.Sprintf("number=%s sha256=%s", number, file.SHA256)))
	})
	if err != nil {
		return nil, err
	}
	return r.store.GetDossier(ctx, d.ID)
}

// checkDraft refuses a draft result that is not a readable PDF, that the
// signer could not sign (not_pdf, too_large, encrypted), or that
// already carries a signature: the leader's must be the only one, so
// that the warehouse and /verify name who signed.
func (r *Reception) checkDraft(ctx context.Context, up Upload) error {
	if int64(len(up.Data)) > r.wh.maxSize {
		return fileRefused(refusal(pdfsig.ReasonTooLarge))
	}
	rep, err := r.wh.verifier.Check(ctx, up.Data)
	if err != nil {
		return motcua.Internal(fmt.Errorf("check draft result: %w", err))
	}
	switch {
	case len(rep.Signatures) > 0:
		return motcua.Invalid("file", "draft_signed",
			"Tệp dự thảo kết quả đã có chữ ký số; vui lòng tải lên bản chưa ký để lãnh đạo ký số.")
	case rep.Reason != string(pdfsig.ReasonUnsigned):
		return fileRefused(&rep)
	}
	// The leader's signature must not be the first to read the whole
	// structure: what the signer would refuse is refused now.
	return r.wh.checkSignable(ctx, up)
}

// SignResult is the leader's digital signature on the drafted result
// with the handling agency's key; the signed file must verify against
// the trusted CAs like any result, and the dossier becomes 9 (Đã xử lý
// xong) in the same transaction.
func (r *Reception) SignResult(ctx context.Context, p *motcua.Principal, code string) (*motcua.Dossier, error) {
	if err := r.resultsEnabled(); err != nil {
		return nil, err
	}
	d, err := r.processable(ctx, p, code, OpSignResult)
	if err != nil {
		return nil, err
	}
	if d.Result == nil {
		return nil, motcua.Invalid("result", "result_not_drafted", "Chưa có dự thảo kết quả để ký số.")
	}
	if d.Result.Signed != nil {
		return nil, motcua.Invalid("result", "result_signed", "Kết quả đã được ký số.")
	}
	draft, err := r.readBlob(ctx, d.Result.Draft)
	if err != nil {
		return nil, err
	}
	now := r.now().UTC().Truncate(time.Microsecond)
	name := p.Name
	if name == "" {
		name = p.Username
	}
	// The signature claims the wall-clock time: it is evidence, not a
	// business date the service's clock may move.
	file, sig, _, err := r.wh.signAndCheck(ctx, r.keys, d.HandlingAgency, Upload{Name: d.Result.Draft.Name, Data: draft}, name,
		"Ký số kết quả giải quyết thủ tục hành chính", time.Now())
	if err != nil {
		return nil, err
	}
	res := *d.Result
	res.Signed, res.Signature, res.SignedBy, res.SignedAt = &file, sig, p.Username, now
	d.Result = &res
	u, err := d.Transition(motcua.StatusDone, motcua.TransitionInput{At: now, Actor: p.Username,
		Note: "Lãnh đạo đã ký số kết quả " + res.Number, Calendar: r.cal.Calendar(ctx)})
	if err != nil {
		return nil, err
	}
	err = r.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.SetDossierResult(ctx, d.ID, d.Version, &res); err != nil {
			return err
		}
		if err := tx.UpdateDossierStatus(ctx, u); err != nil {
			return err
		}
		if err := tx.EnqueueNotification(ctx, r.statusNotes(d, u)...); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, r.officerEvent(p, d, "result.sign", "dossier", d.ID,
			fmt.Sprintf("number=%s signer=%q sha256=%s", res.Number, sig.Signer, file.SHA256)))
	})
	if err != nil {
		return nil, err
	}
	return r.store.GetDossier(ctx, d.ID)
}

func (r *Reception) readBlob(ctx context.Context, f motcua.File) ([]byte, error) {
	rc, err := r.wh.blobs.Open(ctx, f.SHA256)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("read %s: %w", f.SHA256, err))
	}
	return data, nil
}

// returnResult is "Trả kết quả" of a dossier whose result is signed: the
// signed file lands in the owner's warehouse ("Kho cơ quan nhà nước, tổ
// chức") under its result code <owner>.<KQ.Gnn.nnnnnn>.<number>[.NN]
// (a certified copy: its copy code and book entry, see returnCoding),
// counts as the dossier's e-result, the dossier becomes 10, and the owner
// is told, all in one transaction.
func (r *Reception) returnResult(ctx context.Context, p *motcua.Principal, d *motcua.Dossier, u motcua.StatusUpdate) (*motcua.Dossier, error) {
	if err := r.resultsEnabled(); err != nil {
		return nil, err
	}
	res := d.Result
	category := res.Category
	if category == "" {
		proc, err := r.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion)
		if err != nil {
			return nil, err
		}
		category = proc.ResultCategory
	}
	cat, err := r.wh.category(ctx, category)
	if err != nil {
		return nil, err
	}
	issued := motcua.DateOf(res.SignedAt)
	now := r.now().UTC().Truncate(time.Microsecond)
	coding, err := r.returnCodingFor(ctx, d, cat, issued, now)
	if err != nil {
		return nil, err
	}
	doc := &motcua.Document{OwnerCode: d.Owner.Code, OwnerName: d.Owner.Name, Warehouse: motcua.WarehouseAgency,
		PaperType: motcua.PaperResult, CategoryCode: cat.Code, DecisionNumber: res.Number, Summary: res.Summary,
		IssuerCode: d.HandlingAgency, IssuedOn: issued, ExpiresOn: coding.expires, File: *res.Signed,
		Signature: res.Signature, Visible: true, Shared: true, Status: motcua.DocumentValid}
	note := u.Note
	err = withFreeCode(ctx, r.store, coding.prefix, coding.code, coding.tooMany,
		func(code string) error {
			doc.ID, doc.Code, doc.Name, doc.DecisionNumber = "", code, motcua.DefaultDocumentName(code, cat.Name), res.Number
			if err := doc.Validate(); err != nil {
				return err
			}
			u.Note = strings.TrimSpace(note + " Kết quả điện tử " + doc.Code + " đã có trong Kho dữ liệu của chủ hồ sơ.")
			return r.store.InTx(ctx, func(tx motcua.Store) error {
				if err := ensureOwner(ctx, tx, doc.OwnerCode, doc.OwnerName); err != nil {
					return err
				}
				if err := tx.CreateDocument(ctx, doc); err != nil {
					return err
				}
				if err := coding.record(ctx, tx, doc); err != nil {
					return err
				}
				if err := tx.AddDossierResultDocument(ctx, d.ID, doc.ID); err != nil {
					return err
				}
				if err := r.coApplicantResults(ctx, tx, p, d, cat, doc); err != nil {
					return err
				}
				if err := tx.UpdateDossierStatus(ctx, u); err != nil {
					return err
				}
				if err := tx.EnqueueNotification(ctx, r.statusNotes(d, u)...); err != nil {
					return err
				}
				return tx.AppendAudit(ctx, r.officerEvent(p, d, "result.return", "document", doc.ID, "code="+doc.Code))
			})
		})
	if err != nil {
		return nil, err
	}
	return r.store.GetDossier(ctx, d.ID)
}

// ResultFile opens the dossier's result for an officer who may see the
// dossier: the signed file once signed, the draft before.
func (r *Reception) ResultFile(ctx context.Context, p *motcua.Principal, code string) (io.ReadCloser, motcua.File, error) {
	if err := r.resultsEnabled(); err != nil {
		return nil, motcua.File{}, err
	}
	d, _, err := r.work(ctx, p, code)
	if err != nil {
		return nil, motcua.File{}, err
	}
	if d.Result == nil {
		return nil, motcua.File{}, motcua.Errorf(motcua.ENOTFOUND, "result_not_found", "Hồ sơ chưa có dự thảo kết quả.")
	}
	f := d.Result.Draft
	if d.Result.Signed != nil {
		f = *d.Result.Signed
	}
	if err := r.store.AppendAudit(ctx, r.officerEvent(p, d, "result.read", "dossier", d.ID, "sha256="+f.SHA256)); err != nil {
		return nil, motcua.File{}, err
	}
	rc, err := r.wh.blobs.Open(ctx, f.SHA256)
	if err != nil {
		return nil, motcua.File{}, err
	}
	return rc, f, nil
}

// DigitizeComponent scans a component of a received paper dossier at the
// receiving desk (digitization state 1): the scan is kept with the
// dossier and, as at reception, stored in the owner's warehouse so that it
// is reused next time. Only a component not digitized yet is scanned.
func (r *Reception) DigitizeComponent(ctx context.Context, p *motcua.Principal, code, component string, up Upload) (*motcua.Dossier, error) {
	if err := r.resultsEnabled(); err != nil {
		return nil, err
	}
	d, acc, err := r.work(ctx, p, code)
	if err != nil {
		return nil, err
	}
	if err := Authorize(p, OpReceiveDossier, acc.receiving); err != nil {
		return nil, err
	}
	if d.Status != motcua.StatusRegistered && d.Status != motcua.StatusReceived && d.Status != motcua.StatusSupplement {
		return nil, motcua.Invalid("status", "not_at_reception",
			fmt.Sprintf("Hồ sơ đang ở trạng thái “%s”: chỉ số hóa thành phần khi hồ sơ còn ở Bộ phận Tiếp nhận và Trả kết quả.", d.Status.Label()))
	}
	proc, err := r.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion)
	if err != nil {
		return nil, err
	}
	pc, ok := proc.Component(d.CaseCode, component)
	i := slices.IndexFunc(d.Components, func(c motcua.DossierComponent) bool { return c.Code == component })
	if !ok || i < 0 {
		return nil, unknownComponent()
	}
	// In status 5 the desk scans the paper the citizen brings in answer to
	// the supplement request (then moves the dossier back, which answers
	// the request): a component the request names is scanned again.
	resupply := d.Status == motcua.StatusSupplement && d.Supplement().Open() && d.Supplement().Names(component)
	if d.Components[i].Digitization != motcua.NotDigitized && !resupply {
		return nil, motcua.Invalid("component", "already_digitized", fmt.Sprintf("Thành phần “%s” đã được số hóa.", pc.Name))
	}
	file, err := r.wh.checkScan(ctx, up)
	if err != nil {
		return nil, err
	}
	now := r.now().UTC().Truncate(time.Microsecond)
	doc, err := componentDocument(ctx, r.wh, d.Owner, proc, pc, file, d.AgencyCode, now)
	if err != nil {
		return nil, err
	}
	comps := slices.Clone(d.Components)
	comps[i].Digitization = motcua.Digitized
	comps[i].Attachments = []motcua.Attachment{{Source: motcua.Scanned, File: file}}
	err = r.store.InTx(ctx, func(tx motcua.Store) error {
		if doc != nil {
			if err := tx.CreateDocument(ctx, doc); err != nil {
				return err
			}
		}
		if err := tx.UpdateDossierComponents(ctx, d.ID, d.Version, comps); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, r.officerEvent(p, d, "dossier.digitize", "dossier", d.ID,
			fmt.Sprintf("component=%s sha256=%s", component, file.SHA256)))
	})
	if err != nil {
		return nil, err
	}
	return r.store.GetDossier(ctx, d.ID)
}

// Abilities is what an officer may do on a dossier from its page.
type Abilities struct {
	Process  bool // forward, draft the result
	Sign     bool // sign the drafted result
	Digitize bool // scan components at the receiving desk
}

// Abilities says what p may do on d now, by role, agency and status.
func (r *Reception) Abilities(ctx context.Context, p *motcua.Principal, d *motcua.Dossier) Abilities {
	var a Abilities
	acc, err := r.access(ctx, p, d)
	if err != nil || !acc.visible {
		return a
	}
	processing := d.Status == motcua.StatusProcessing || d.Status == motcua.StatusFinancialDuty
	a.Process = processing && Authorize(p, OpProcessDossier, acc.handling) == nil
	a.Sign = processing && d.Result != nil && d.Result.Signed == nil && Authorize(p, OpSignResult, acc.handling) == nil
	a.Digitize = (d.Status == motcua.StatusRegistered || d.Status == motcua.StatusReceived || d.Status == motcua.StatusSupplement) &&
		Authorize(p, OpReceiveDossier, acc.receiving) == nil
	return a
}

// ForwardTargets lists the agencies a dossier may be forwarded to, the
// handling agency first.
func (r *Reception) ForwardTargets(ctx context.Context, d *motcua.Dossier) ([]*motcua.Agency, error) {
	all, err := r.store.ListAgencies(ctx, motcua.AgencyFilter{})
	if err != nil {
		return nil, err
	}
	allowed, err := r.forwarding(ctx, d)
	if err != nil {
		return nil, err
	}
	var out []*motcua.Agency
	for _, a := range all {
		if a.Code == d.HandlingAgency {
			out = append([]*motcua.Agency{a}, out...)
		} else if allowed(a) {
			out = append(out, a)
		}
	}
	return out, nil
}

// ResultForm is the simple result template a processing officer fills in
// instead of uploading a file.
type ResultForm struct {
	Title  string // the result's name, e.g. "Giấy xác nhận tình trạng hôn nhân"
	Body   string // its content
	Place  string // địa danh (default: the handling agency's name)
	Signer string // chức danh of the signer (default "Chủ tịch")
}

// DraftResultForm renders the form as the draft result's PDF and stores
// it as DraftResult does.
func (r *Reception) DraftResultForm(ctx context.Context, p *motcua.Principal, code, number, summary string, f ResultForm) (*motcua.Dossier, error) {
	d, err := r.processable(ctx, p, code, OpProcessDossier)
	if err != nil {
		return nil, err
	}
	f.Title, f.Body, f.Place, f.Signer = strings.TrimSpace(f.Title), strings.TrimSpace(f.Body), strings.TrimSpace(f.Place), strings.TrimSpace(f.Signer)
	switch {
	case f.Title == "":
		return nil, motcua.Invalid("title", "required", "Vui lòng nhập tên kết quả giải quyết.")
	case f.Body == "":
		return nil, motcua.Invalid("body", "required", "Vui lòng nhập nội dung kết quả giải quyết.")
	case len([]rune(f.Title)) > 300 || len([]rune(f.Body)) > 10*maxNote || len([]rune(f.Place)) > 100 || len([]rune(f.Signer)) > 100:
		return nil, motcua.Invalid("body", "too_long", "Nội dung mẫu kết quả quá dài.")
	}
	agency, err := r.store.GetAgency(ctx, d.HandlingAgency)
	if err != nil {
		return nil, err
	}
	if f.Place == "" {
		f.Place = strings.TrimPrefix(agency.Name, "UBND ")
	}
	if f.Signer == "" {
		f.Signer = "Chủ tịch"
	}
	if err := motcua.ValidateResultNumber(number); err != nil {
		return nil, err
	}
	if r.render == nil {
		return nil, motcua.Internal(fmt.Errorf("reception: no result template renderer"))
	}
	var buf bytes.Buffer
	err = r.render(&buf, motcua.ResultTemplate{AgencyName: agency.Name, Title: f.Title, Number: strings.TrimSpace(number),
		Place: f.Place, Date: r.now(), Owner: d.Owner, Body: f.Body, Signer: f.Signer})
	if err != nil {
		return nil, motcua.Internal(err)
	}
	return r.DraftResult(ctx, p, code, number, summary, Upload{Name: strings.TrimSpace(number) + ".pdf", Data: buf.Bytes()})
}
