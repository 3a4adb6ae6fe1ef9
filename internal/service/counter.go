package service

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Counter is reception at the counter (channel 1, "tiếp nhận trực
// tiếp"): the reception officer checks the applicant's digital identity,
// chooses the procedure, case and owner, sees for every component what
// the owner's warehouse already holds before scanning anything (seed 001:
// check the warehouse first), scans only what is not there, and receives
// the dossier (status 2) in one step. A counter dossier is prepared as a
// draft whose creator is the officer.
type Counter struct {
	s *Submissions
}

// NewCounter builds the counter desk on the online-application service,
// whose matching, files and commit it shares.
func NewCounter(s *Submissions) *Counter { return &Counter{s: s} }

// CounterStart is the counter's first form.
type CounterStart struct {
	ProcedureCode string
	CaseCode      string
	// AgencyCode is the agency the dossier is received for: the officer's
	// own or one its desk receives for (motcua.Agency.ReceptionDesk).
	// Empty: the officer's agency when it handles the procedure, else the
	// one agency of the desk that does.
	AgencyCode string
	// Submitter is checked against the population database ("Kiểm tra
	// danh tính số") and fills the submitter's details.
	Submitter CounterCheck
	// Owner, when set, is another person the dossier is for; checked the
	// same way.
	Owner *CounterCheck
	Phone string // the submitter's phone for the Zalo/SMS messages
	// Manual asks to receive after comparing the identities with the
	// original papers ("Đối chiếu thủ công với giấy tờ bản gốc") should
	// the population database be unreachable; ManualReason is required
	// with it. It is never used while the database answers.
	Manual       bool
	ManualReason string
}

// receptionist checks that p is a reception officer and returns the
// resource of their agency.
func (c *Counter) receptionist(ctx context.Context, p *motcua.Principal) error {
	return AuthorizeAt(ctx, c.s.store, p, OpReceiveDossier, "")
}

// person checks one person at the counter and returns their details, with
// the phone and e-mail of their account when they have one. With manual
// set and the population database unreachable, the person is taken as
// typed from the original papers, and manual reports it.
func (c *Counter) person(ctx context.Context, p *motcua.Principal, in CounterCheck, allowManual bool) (person motcua.Person, manual bool, err error) {
	citizen, err := c.s.identity.CheckAtCounter(ctx, p, in)
	switch {
	case err == nil:
		person = motcua.Person{Code: citizen.PersonalID, Name: citizen.FullName, BirthDate: citizen.BirthDate,
			Address: citizen.PermanentAddress}
	case allowManual && motcua.PopulationUnavailable(err):
		// Only a 12-digit personal id identifies a person without the
		// database (a CMND must be mapped by it).
		id := strings.TrimSpace(in.IDNumber)
		if motcua.IsLegacyCMND(id) || motcua.ValidatePersonalID(id) != nil {
			return person, false, motcua.Invalid("id_number", "manual_needs_personal_id",
				"Đối chiếu thủ công cần Số định danh cá nhân 12 chữ số in trên CCCD bản gốc (CMND 9 số chỉ tra được khi CSDLQG về dân cư hoạt động).")
		}
		person, manual = motcua.Person{Code: id, Name: strings.Join(strings.Fields(in.FullName), " "), BirthDate: in.BirthDate}, true
	default:
		return person, false, err
	}
	if sub, err := c.s.store.GetSubject(ctx, person.Code); err == nil {
		person.Phone, person.Email = sub.Phone, sub.Email
	}
	return person, manual, nil
}

// Start checks the identities and opens the counter draft at the officer's
// agency; every component with exactly one matching document in the
// owner's warehouse gets it attached.
func (c *Counter) Start(ctx context.Context, p *motcua.Principal, in CounterStart) (*motcua.Draft, error) {
	if err := c.receptionist(ctx, p); err != nil {
		return nil, err
	}
	at, err := c.receivingAgency(ctx, p, in)
	if err != nil {
		return nil, err
	}
	proc, _, agency, err := c.s.procedureCase(ctx, DraftInput{ProcedureCode: in.ProcedureCode, CaseCode: in.CaseCode, AgencyCode: at})
	if err != nil {
		return nil, err
	}
	var manual *motcua.ManualVerification
	if in.Manual {
		// The reason is asked for before anything else: no dossier enters
		// unchecked without one.
		if manual, err = motcua.NewManualVerification(p.Username, in.ManualReason, c.s.now().UTC().Truncate(time.Microsecond)); err != nil {
			return nil, err
		}
	}
	submitter, submitterManual, err := c.person(ctx, p, in.Submitter, manual != nil)
	if err != nil {
		return nil, err
	}
	if phone := strings.TrimSpace(in.Phone); phone != "" {
		if err := motcua.ValidatePhone(phone); err != nil {
			return nil, err
		}
		submitter.Phone = phone
	}
	owner := submitter
	if in.Owner != nil && strings.TrimSpace(in.Owner.IDNumber) != "" && strings.TrimSpace(in.Owner.IDNumber) != submitter.Code {
		var ownerManual bool
		if owner, ownerManual, err = c.person(ctx, p, *in.Owner, manual != nil); err != nil {
			if motcua.PopulationUnavailable(err) {
				return nil, err
			}
			return nil, motcua.Invalid("owner", motcua.ErrorCode(err), "Chủ hồ sơ: "+motcua.ErrorMessage(err))
		}
		submitterManual = submitterManual || ownerManual
	}
	if !submitterManual {
		manual = nil // the database answered: nothing was checked by hand
	}
	d := &motcua.Draft{Creator: p.ActorID(), ProcedureCode: proc.Code, ProcedureVersion: proc.Version, CaseCode: in.CaseCode, AgencyCode: agency.Code,
		Ward: agency.Name, Submitter: submitter, Owner: owner, OwnerVerified: manual == nil, ManualIdentity: manual,
		ResultMethod: motcua.ResultAtCounter}
	if agency.ParentCode != "" {
		if parent, err := c.s.store.GetAgency(ctx, agency.ParentCode); err == nil {
			d.District = parent.Name
		}
	}
	matches, err := c.s.match(ctx, proc, in.CaseCode, owner.Code)
	if err != nil {
		return nil, err
	}
	matches = officerView(matches)
	for _, m := range matches {
		if m.Auto != nil {
			d.Components = append(d.Components, motcua.DraftComponent{Code: m.Component.Code, Source: motcua.FromWarehouse,
				DocumentID: m.Auto.ID, File: m.Auto.File, Auto: true})
		}
	}
	// The officer now sees what the owner's warehouse holds: an access the
	// owner can find in the audit log.
	err = c.s.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.CreateDraft(ctx, d); err != nil {
			return err
		}
		if manual != nil {
			// Who let the identities in without the database, when and why.
			err := tx.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: motcua.ActorOfficer, ActorID: p.Username, AgencyCode: p.AgencyCode,
				Action: "identity.manual_verification", ObjectKind: "draft", ObjectID: d.ID, SubjectCode: d.Owner.Code,
				Detail: fmt.Sprintf("submitter=%s owner=%s reason=%q", d.Submitter.Code, d.Owner.Code, manual.Reason)})
			if err != nil {
				return err
			}
		}
		return tx.AppendAudit(ctx, matchesSeen(p, d, matches))
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// receivingAgency is the agency a counter dossier is received for: the
// one asked for, when the officer's desk receives for it (else
// EFORBIDDEN), or the officer's own agency when it handles the procedure,
// or the only agency of the desk that handles it.
func (c *Counter) receivingAgency(ctx context.Context, p *motcua.Principal, in CounterStart) (string, error) {
	if code := strings.TrimSpace(in.AgencyCode); code != "" {
		if err := motcua.ValidateAgencyCode(code); err != nil {
			return "", motcua.Invalid("agency", motcua.ErrorCode(err), motcua.ErrorMessage(err))
		}
		if _, err := c.s.store.GetAgency(ctx, code); motcua.IsKind(err, motcua.ENOTFOUND) {
			return "", motcua.Invalid("agency", "unknown_agency", "Không tìm thấy cơ quan đã chọn.")
		}
		if err := AuthorizeAt(ctx, c.s.store, p, OpReceiveDossier, code); err != nil {
			return "", err
		}
		return code, nil
	}
	proc, err := c.s.store.GetProcedure(ctx, in.ProcedureCode)
	if err != nil || slices.Contains(proc.AgencyCodes, p.AgencyCode) {
		return p.AgencyCode, nil // procedureCase says what is wrong
	}
	desk, err := DeskAgencies(ctx, c.s.store, p.AgencyCode)
	if err != nil {
		return "", err
	}
	var handling []string
	for _, a := range desk {
		if slices.Contains(proc.AgencyCodes, a.Code) {
			handling = append(handling, a.Code)
		}
	}
	switch len(handling) {
	case 0:
		return p.AgencyCode, nil
	case 1:
		return handling[0], nil
	}
	return "", motcua.Invalid("agency", "agency_required",
		"Thủ tục này do nhiều cơ quan mà bộ phận tiếp nhận phục vụ giải quyết: vui lòng chọn cơ quan.")
}

// View returns the officer's counter draft with the owner's warehouse
// matches of each component, for the officer to see: the look into the
// warehouse is audit-logged. Another officer's draft is ENOTFOUND.
func (c *Counter) View(ctx context.Context, p *motcua.Principal, id string) (*DraftView, error) {
	v, err := c.view(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := c.s.store.AppendAudit(ctx, matchesSeen(p, v.Draft, v.Matches)); err != nil {
		return nil, err
	}
	return v, nil
}

// view is View without the audit event, for the actions that work on the
// draft and show nothing.
func (c *Counter) view(ctx context.Context, p *motcua.Principal, id string) (*DraftView, error) {
	if err := c.receptionist(ctx, p); err != nil {
		return nil, err
	}
	d, err := c.s.store.GetDraft(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.Creator != p.ActorID() {
		return nil, motcua.NotFound("draft", id)
	}
	proc, err := c.s.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion)
	if err != nil {
		return nil, err
	}
	cs, _ := proc.Case(d.CaseCode)
	matches, err := c.s.match(ctx, proc, d.CaseCode, d.Owner.Code)
	if err != nil {
		return nil, err
	}
	code, err := c.s.submittedCode(ctx, d)
	if err != nil {
		return nil, err
	}
	return &DraftView{Draft: d, Procedure: proc, Case: cs, Matches: officerView(matches), DossierCode: code}, nil
}

// officerView drops from the matches what the owner hid: an officer sees
// the usable documents and the expired or withdrawn ones, never hidden
// ones.
func officerView(matches []motcua.ComponentMatch) []motcua.ComponentMatch {
	for i := range matches {
		matches[i].Unusable = slices.DeleteFunc(slices.Clone(matches[i].Unusable), func(u motcua.Unmatched) bool {
			return u.Reason == motcua.UnmatchedHidden
		})
	}
	return matches
}

// matchesSeen is the audit event of an officer seeing the owner's
// warehouse documents at the counter.
func matchesSeen(p *motcua.Principal, d *motcua.Draft, matches []motcua.ComponentMatch) *motcua.AuditEvent {
	var shown []string
	for _, m := range matches {
		for _, doc := range m.Candidates() {
			shown = append(shown, doc.Code)
		}
		for _, u := range m.Unusable {
			shown = append(shown, u.Document.Code)
		}
	}
	return &motcua.AuditEvent{ActorKind: "officer", ActorID: p.Username, AgencyCode: p.AgencyCode,
		Action: "warehouse.counter_matches", ObjectKind: "draft", ObjectID: d.ID, SubjectCode: d.Owner.Code,
		Detail: "documents=" + strings.Join(shown, ",")}
}

// Attach takes a document of the owner's warehouse for a component; the
// matching rules decide which documents may be taken.
func (c *Counter) Attach(ctx context.Context, p *motcua.Principal, draftID, component, documentID string) (*motcua.Draft, error) {
	v, err := c.view(ctx, p, draftID)
	if err != nil {
		return nil, err
	}
	return c.s.attach(ctx, v, component, documentID, false, true)
}

// Scan attaches the scan of a paper the applicant brought (digitization
// state 1): any PDF, signed or not.
func (c *Counter) Scan(ctx context.Context, p *motcua.Principal, draftID, component string, up Upload) (*motcua.Draft, error) {
	v, err := c.view(ctx, p, draftID)
	if err != nil {
		return nil, err
	}
	if _, ok := v.Procedure.Component(v.Draft.CaseCode, component); !ok {
		return nil, unknownComponent()
	}
	file, err := c.s.wh.checkScan(ctx, up)
	if err != nil {
		return nil, err
	}
	v.Draft.SetComponent(motcua.DraftComponent{Code: component, Source: motcua.Scanned, File: file})
	return v.Draft, c.s.store.UpdateDraft(ctx, v.Draft)
}

// Receive turns the counter draft into a dossier received at once:
// channel 1, status 2 with the receipt date, the receiving officer and the
// due date in working days. Every scanned component becomes a document of
// paper type "Thành phần hồ sơ" in the owner's warehouse, coded
// <owner>.<procedure>.<component>[.NN], so that it is reused next time;
// a component whose procedure accepts no document category (a form filled
// in for this application) stays in the dossier only. Usage counts, missed
// reuse, the receipt messages and the audit event are written in the same
// transaction. Receiving the same draft twice returns the first dossier.
func (c *Counter) Receive(ctx context.Context, p *motcua.Principal, draftID string) (*motcua.Dossier, error) {
	return c.receive(ctx, p, draftID, "")
}

// receive is Receive, the dossier keeping the idempotency key of the
// request that received it (ReceiveAtOnce).
func (c *Counter) receive(ctx context.Context, p *motcua.Principal, draftID, idempotencyKey string) (*motcua.Dossier, error) {
	v, err := c.view(ctx, p, draftID)
	if err != nil {
		return nil, err
	}
	if v.Draft.DossierID != "" {
		return c.s.store.GetDossier(ctx, v.Draft.DossierID)
	}
	s := c.s
	now := s.now().UTC().Truncate(time.Microsecond)
	cal := s.cal.Calendar(ctx)
	due := cal.AddWorkingDays(now, v.Case.ProcessingDays).UTC()
	d := &motcua.Dossier{ProcedureCode: v.Procedure.Code, ProcedureVersion: v.Procedure.Version, CaseCode: v.Case.Code, AgencyCode: v.Draft.AgencyCode,
		District: v.Draft.District, Ward: v.Draft.Ward, Submitter: v.Draft.Submitter, Owner: v.Draft.Owner,
		Channel: motcua.ChannelCounter, ResultMethod: motcua.ResultAtCounter, Status: motcua.StatusRegistered,
		SubmittedAt: now, DueAt: due, OwnerVerified: v.Draft.OwnerVerified, ResultExpected: v.Procedure.ResultCategory != "",
		IdempotencyKey: idempotencyKey}
	reused, err := fillComponents(d, v.Procedure, v.Draft, v.Matches, v.Matches, nil, true)
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	docs, err := c.componentDocuments(ctx, p, v, d.Components, now)
	if err != nil {
		return nil, err
	}
	agency, err := s.store.GetAgency(ctx, d.AgencyCode)
	if err != nil {
		return nil, err
	}
	// The dossier is created new and received at once: the receipt is
	// the lifecycle's, on a copy of the new dossier.
	received := *d
	receive, err := received.Transition(motcua.StatusReceived, motcua.TransitionInput{At: now, Actor: p.Username,
		Note: "Tiếp nhận trực tiếp tại Bộ phận Một cửa", Calendar: cal, Procedure: v.Procedure})
	if err != nil {
		return nil, err
	}
	applicant := &motcua.Subject{Code: d.Submitter.Code, Name: d.Submitter.Name, Phone: d.Submitter.Phone, Email: d.Submitter.Email}
	identity := counterIdentity(v.Draft, now)
	job := &submission{d: d, draftID: draftID, reused: reused, applicant: applicant, proc: v.Procedure, agency: agency, docs: docs,
		receive: &receive, identity: identity,
		audit: &motcua.AuditEvent{ActorKind: string(p.Kind), ActorID: p.ActorID(), AgencyCode: p.AgencyCode, Action: "dossier.receive_counter",
			ObjectKind: "dossier", SubjectCode: d.Owner.Code,
			Detail: fmt.Sprintf("reused=%d digitized_documents=%d missed_reuse=%t identity=%s", len(reused), len(docs), d.MissedReuse,
				identity.Method)}}
	err = s.commitTogether(ctx, []*submission{job})
	if motcua.IsKind(err, motcua.ECONFLICT) {
		if again, gerr := s.store.GetDraft(ctx, draftID); gerr == nil && again.DossierID != "" {
			return s.store.GetDossier(ctx, again.DossierID)
		}
	}
	if err != nil {
		return nil, err
	}
	return s.store.GetDossier(ctx, d.ID)
}

// componentDocuments are the warehouse documents made from the scanned
// components.
func (c *Counter) componentDocuments(ctx context.Context, p *motcua.Principal, v *DraftView, comps []motcua.DossierComponent, now time.Time) ([]*motcua.Document, error) {
	var docs []*motcua.Document
	for i, dc := range comps {
		if dc.Digitization != motcua.Digitized || len(dc.Attachments) == 0 {
			continue
		}
		doc, err := componentDocument(ctx, c.s.wh, v.Draft.Owner, v.Procedure, v.Procedure.Components[i], dc.Attachments[0].File, p.AgencyCode, now)
		if err != nil {
			return nil, err
		}
		if doc != nil {
			docs = append(docs, doc)
		}
	}
	return docs, nil
}

// componentDocument is the warehouse document of a component digitized at
// the counter: paper type "Thành phần hồ sơ", the next free code
// <owner>.<procedure>.<component>[.NN], the component's first accepted
// category, issued by the receiving agency. A component that accepts no
// category (a form filled in for one application) gives none (nil).
func componentDocument(ctx context.Context, wh *Warehouse, owner motcua.Person, proc *motcua.Procedure, pc motcua.ProcedureComponent,
	file motcua.File, issuer string, now time.Time) (*motcua.Document, error) {
	if len(pc.Categories) == 0 {
		return nil, nil
	}
	cat, err := wh.category(ctx, pc.Categories[0])
	if err != nil {
		return nil, err
	}
	base := motcua.ComponentCode(owner.Code, proc.Code, pc.Code, 0)
	n, err := wh.store.CountDocumentCodes(ctx, base)
	if err != nil {
		return nil, err
	}
	code := base
	if n > 0 {
		code = motcua.ComponentCode(owner.Code, proc.Code, pc.Code, n)
	}
	issued := motcua.DateOf(now)
	d := &motcua.Document{Code: code, OwnerCode: owner.Code, OwnerName: owner.Name,
		Warehouse: motcua.WarehouseAgency, PaperType: motcua.PaperComponent, CategoryCode: cat.Code,
		Name: code + "." + pc.Name, Summary: "Số hóa tại Bộ phận Một cửa khi tiếp nhận hồ sơ " + proc.Name,
		IssuerCode: issuer, IssuedOn: issued, ExpiresOn: cat.ExpiryFor(issued), File: file,
		Visible: true, Shared: true, Status: motcua.DocumentValid}
	if r := []rune(d.Name); len(r) > 500 {
		d.Name = string(r[:500])
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// DocumentFile opens, for the officer of a counter draft, the file of a
// document the owner's warehouse offers for one of its components, so
// that the officer checks it before taking it ("Hãy kiểm tra nội dung
// file trước khi lấy từ kho!"). Any other document is ENOTFOUND. The read
// is audit-logged for the owner to see.
func (c *Counter) DocumentFile(ctx context.Context, p *motcua.Principal, draftID, documentID string) (io.ReadCloser, motcua.File, error) {
	v, err := c.view(ctx, p, draftID)
	if err != nil {
		return nil, motcua.File{}, err
	}
	var doc *motcua.Document
	for _, m := range v.Matches {
		if d := m.Candidate(documentID); d != nil {
			doc = d
		}
	}
	if doc == nil {
		return nil, motcua.File{}, motcua.NotFound("document", documentID)
	}
	err = c.s.store.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: "officer", ActorID: p.Username, AgencyCode: p.AgencyCode,
		Action: "document.download", ObjectKind: "document", ObjectID: doc.ID, SubjectCode: doc.OwnerCode,
		Detail: "counter draft " + draftID})
	if err != nil {
		return nil, motcua.File{}, err
	}
	rc, err := c.s.wh.blobs.Open(ctx, doc.File.SHA256)
	if err != nil {
		return nil, motcua.File{}, err
	}
	return rc, doc.File, nil
}

// counterIdentity is how a counter draft's identities were checked: by the
// population database when the draft was opened, or by hand, with the
// re-check job due at once.
func counterIdentity(d *motcua.Draft, now time.Time) *motcua.IdentityCheck {
	officer, _ := strings.CutPrefix(d.Creator, "officer:")
	if m := d.ManualIdentity; m != nil {
		return &motcua.IdentityCheck{Method: motcua.IdentityManual, CheckedAt: m.At, By: m.By, Manual: m,
			Recheck: motcua.RecheckPending, NextAttemptAt: now}
	}
	return &motcua.IdentityCheck{Method: motcua.IdentityPopDB, CheckedAt: d.CreatedAt, By: officer}
}
