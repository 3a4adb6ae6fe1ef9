package service

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/notify"
)

// Two-party procedures (issue 16 point 4): the applicant names a
// co-applicant, whose identity is checked against the population
// database; the co-applicant answers from their own login; once they
// consent, the draft is offered the documents of their warehouse that
// match its components (and nothing else of it), every such read is in
// the co-applicant's access log, and the result lands in their warehouse
// too.

// ConsentPagePath is the page listing a person's consent requests.
const ConsentPagePath = "/yeu-cau-dong-y"

// AddCoApplicant names a co-applicant of the applicant's own draft of a
// two-party procedure (see motcua.Draft.AddCoApplicant for the rules and
// codes). Their name, personal id and date of birth must match the
// population database (co_applicant_identity_mismatch); they are asked
// to consent by Zalo, SMS and e-mail when they have an account with a
// phone or an address.
func (s *Submissions) AddCoApplicant(ctx context.Context, p *motcua.Principal, draftID string, c motcua.CoApplicant) (*motcua.Draft, error) {
	d, err := s.ownDraft(ctx, p, draftID)
	if err != nil {
		return nil, err
	}
	if d.DossierID != "" {
		return nil, motcua.Errorf(motcua.ECONFLICT, "draft_submitted", "Hồ sơ này đã được nộp.")
	}
	proc, err := s.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := d.AddCoApplicant(proc, c, now); err != nil {
		return nil, err
	}
	added := d.CoApplicants[len(d.CoApplicants)-1]
	if err := motcua.ValidatePersonalID(added.SubjectID); err != nil {
		return nil, motcua.Invalid("subject_id", motcua.ErrorCode(err), motcua.ErrorMessage(err))
	}
	ok, err := s.identity.pop.CheckIdentity(ctx, motcua.IdentityQuery{ActorKind: motcua.ActorCitizen, ActorID: p.ActorID(),
		Purpose: motcua.PurposeOnlineSubmission, ServiceCode: proc.Code, PersonalID: added.SubjectID, FullName: added.Name,
		BirthDate: added.BirthDate})
	if err != nil {
		return nil, motcua.WithPopulationMessage(err, motcua.PopulationUnavailableStartMessage)
	}
	if !ok {
		return nil, &motcua.Error{Kind: motcua.EINVALID, Code: "co_applicant_identity_mismatch", Field: "co_applicants",
			Message: "Xác thực thất bại: Họ và tên, Số định danh hoặc Ngày sinh của người cùng nộp hồ sơ không khớp với Cơ sở dữ liệu quốc gia về dân cư."}
	}
	notes, err := s.consentNotes(ctx, d, proc, added)
	if err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.UpdateDraft(ctx, d); err != nil {
			return err
		}
		if err := tx.EnqueueNotification(ctx, notes...); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: string(p.Kind), ActorID: p.ActorID(), Action: "draft.co_applicant.add",
			ObjectKind: "draft", ObjectID: d.ID, SubjectCode: added.SubjectID, Detail: "procedure=" + proc.Code})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// consentNotes are the messages asking co-applicant c to answer, to the
// contacts of their account; none when they have no account yet (they
// find the request on the consent page once they log in).
func (s *Submissions) consentNotes(ctx context.Context, d *motcua.Draft, proc *motcua.Procedure, c motcua.CoApplicant) ([]*motcua.Notification, error) {
	sub, err := s.store.GetSubject(ctx, c.SubjectID)
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	params := map[string]string{"applicant": d.Owner.Name, "procedure": proc.Name, "url": s.publicURL + ConsentPagePath}
	var ns []*motcua.Notification
	for _, ch := range s.channels {
		addr := ch.Address(sub.Phone, sub.Email)
		if addr == "" {
			continue
		}
		ns = append(ns, &motcua.Notification{Channel: ch, Recipient: addr, Template: notify.TemplateConsentRequest, Params: params,
			DedupeKey: d.ID + ":consent:" + c.SubjectID + ":" + string(ch), SubjectCode: c.SubjectID})
	}
	return ns, nil
}

// ConsentRequest is a request addressed to the logged-in person, with
// what they need to answer it.
type ConsentRequest struct {
	DraftID       string
	Applicant     motcua.Person // the draft's owner
	ProcedureCode string
	ProcedureName string
	Agency        string
	CoApplicant   motcua.CoApplicant // the person's own entry and answer
}

// ConsentRequests lists the requests addressed to the logged-in person
// in drafts not yet submitted, newest first; with only pending, the
// unanswered ones.
func (s *Submissions) ConsentRequests(ctx context.Context, p *motcua.Principal, onlyPending bool) ([]ConsentRequest, error) {
	if err := coApplicantPrincipal(p); err != nil {
		return nil, err
	}
	var consent motcua.Consent
	if onlyPending {
		consent = motcua.ConsentPending
	}
	drafts, err := s.store.ListCoApplicantDrafts(ctx, p.SubjectCode, consent)
	if err != nil {
		return nil, err
	}
	out := make([]ConsentRequest, 0, len(drafts))
	for _, d := range drafts {
		r, err := s.consentRequest(ctx, d, p.SubjectCode)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (s *Submissions) consentRequest(ctx context.Context, d *motcua.Draft, subject string) (ConsentRequest, error) {
	c, _ := d.CoApplicant(subject)
	r := ConsentRequest{DraftID: d.ID, Applicant: d.Owner, ProcedureCode: d.ProcedureCode, CoApplicant: c}
	proc, err := s.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion)
	if err != nil {
		return r, err
	}
	r.ProcedureName = proc.Name
	if a, err := s.store.GetAgency(ctx, d.AgencyCode); err == nil {
		r.Agency = a.Name
	}
	return r, nil
}

// coApplicantPrincipal: only a person answers for themself.
func coApplicantPrincipal(p *motcua.Principal) error {
	if p == nil || p.Kind != motcua.PrincipalPerson {
		return Authorize(p, OpReadWarehouse, Resource{})
	}
	return nil
}

// DecideConsent records the logged-in person's answer to a request
// addressed to them: granted or refused. Anyone the draft does not name
// gets ENOTFOUND (consent_request_not_found), as for an unknown draft. A
// refusal (or a consent withdrawn) takes the person's documents out of
// the draft.
func (s *Submissions) DecideConsent(ctx context.Context, p *motcua.Principal, draftID string, answer motcua.Consent) (*ConsentRequest, error) {
	if err := coApplicantPrincipal(p); err != nil {
		return nil, err
	}
	notFound := motcua.Errorf(motcua.ENOTFOUND, "consent_request_not_found", "Không tìm thấy yêu cầu đồng ý sử dụng dữ liệu.")
	d, err := s.store.GetDraft(ctx, draftID)
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	if _, ok := d.CoApplicant(p.SubjectCode); !ok {
		return nil, notFound
	}
	if err := d.DecideConsent(p.SubjectCode, answer, s.now()); err != nil {
		return nil, err
	}
	if answer != motcua.ConsentGranted {
		owners := map[string]string{}
		for _, c := range d.Components {
			if c.Source != motcua.FromWarehouse || c.DocumentID == "" {
				continue
			}
			doc, err := s.store.GetDocument(ctx, c.DocumentID)
			if err == nil {
				owners[doc.ID] = doc.OwnerCode
			} else if !motcua.IsKind(err, motcua.ENOTFOUND) {
				return nil, err
			}
		}
		d.DropDocumentsOf(p.SubjectCode, owners)
	}
	err = s.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.UpdateDraft(ctx, d); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: string(p.Kind), ActorID: p.ActorID(), Action: "draft.consent." + string(answer),
			ObjectKind: "draft", ObjectID: d.ID, SubjectCode: p.SubjectCode, Detail: "applicant=" + d.Owner.Code})
	})
	if err != nil {
		return nil, err
	}
	r, err := s.consentRequest(ctx, d, p.SubjectCode)
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// coApplicantOffers adds to the owner's matches those of every consenting
// co-applicant's warehouse, and logs in each co-applicant's access log
// that the applicant read the documents offered to them.
func (s *Submissions) coApplicantOffers(ctx context.Context, p *motcua.Principal, proc *motcua.Procedure, d *motcua.Draft,
	matches []motcua.ComponentMatch) ([]motcua.ComponentMatch, error) {
	for _, code := range d.Consented() {
		more, err := s.match(ctx, proc, d.CaseCode, code)
		if err != nil {
			return nil, err
		}
		var events []*motcua.AuditEvent
		for _, m := range more {
			for _, doc := range m.Candidates() {
				events = append(events, coApplicantRead(p, d, doc, m.Component.Code, proc.Name))
			}
		}
		if len(events) > 0 {
			if err := s.store.AppendAudit(ctx, events...); err != nil {
				return nil, err
			}
		}
		matches = motcua.MergeMatches(matches, more)
	}
	return matches, nil
}

// coApplicantRead is the access-log entry of the applicant's read of a
// co-applicant's document for a draft's component.
func coApplicantRead(p *motcua.Principal, d *motcua.Draft, doc *motcua.Document, component, procedure string) *motcua.AuditEvent {
	return &motcua.AuditEvent{ActorKind: string(p.Kind), ActorID: p.ActorID(), Action: "document.read", ObjectKind: "document",
		ObjectID: doc.ID, SubjectCode: doc.OwnerCode, DossierID: d.DossierID,
		Detail: fmt.Sprintf("Người cùng nộp hồ sơ %s (%s) dùng cho thành phần %s của hồ sơ %s (hồ sơ nháp %s)",
			d.Owner.Name, d.Owner.Code, component, strings.TrimSpace(procedure), d.ID)}
}

// coApplicantUses are the access-log entries of a submission's use of
// co-applicants' documents (reused, by id, among the offered docs); the
// commit fills in the dossier.
func coApplicantUses(p *motcua.Principal, draft *motcua.Draft, procedure string, reused []string,
	matches []motcua.ComponentMatch) []*motcua.AuditEvent {
	var out []*motcua.AuditEvent
	for _, m := range matches {
		for _, id := range reused {
			doc := m.Candidate(id)
			if doc == nil || doc.OwnerCode == draft.Owner.Code {
				continue
			}
			e := coApplicantRead(p, draft, doc, m.Component.Code, procedure)
			e.Action = "document.read"
			e.Detail = fmt.Sprintf("Người cùng nộp hồ sơ %s (%s) nộp hồ sơ %s sử dụng giấy tờ cho thành phần %s",
				draft.Owner.Name, draft.Owner.Code, strings.TrimSpace(procedure), m.Component.Code)
			out = append(out, e)
		}
	}
	return out
}

// consentedParties are the dossier parties besides the owner: the
// co-applicants who consented.
func consentedParties(d *motcua.Draft) []motcua.Person {
	var out []motcua.Person
	for _, c := range d.CoApplicants {
		if c.Consent == motcua.ConsentGranted {
			out = append(out, c.Person())
		}
	}
	return out
}

// coApplicantResults puts a copy of the returned result doc (the owner's)
// in the warehouse of every co-applicant of dossier d, under their own
// result code, in the return's transaction.
func (r *Reception) coApplicantResults(ctx context.Context, tx motcua.Store, p *motcua.Principal, d *motcua.Dossier,
	cat *motcua.DocumentCategory, doc *motcua.Document) error {
	for _, party := range d.CoApplicants {
		prefix, err := motcua.NewResultCode(party.Code, cat.Code, d.Result.Number)
		if err != nil {
			return motcua.Invalid("result", motcua.ErrorCode(err), motcua.ErrorMessage(err))
		}
		n, err := tx.CountDocumentCodes(ctx, prefix.String())
		if err != nil {
			return err
		}
		if n > 99 {
			return motcua.Invalid("number", "too_many_versions", "Đã có quá nhiều kết quả cùng mã; vui lòng dùng số văn bản khác.")
		}
		copied := *doc
		copied.ID, copied.OwnerCode, copied.OwnerName = "", party.Code, party.Name
		copied.Code = prefix.WithSuffix(n).String()
		copied.Name = motcua.DefaultDocumentName(copied.Code, cat.Name)
		if err := copied.Validate(); err != nil {
			return err
		}
		if err := ensureOwner(ctx, tx, copied.OwnerCode, copied.OwnerName); err != nil {
			return err
		}
		if err := tx.CreateDocument(ctx, &copied); err != nil {
			return err
		}
		if err := tx.AddDossierResultDocument(ctx, d.ID, copied.ID); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, r.officerEvent(p, d, "result.return", "document", copied.ID, "code="+copied.Code+" co_applicant")); err != nil {
			return err
		}
	}
	return nil
}

// coApplicantFile opens, for the applicant's preview, the file of a
// co-applicant's document a draft component holds, when the matches still
// offer it (the co-applicant consented, the document fits the component):
// the read is in the co-applicant's access log. ok is false when the
// document is not a co-applicant's (the owner's own reads go through the
// warehouse); a co-applicant's document no longer offered is ENOTFOUND.
func (s *Submissions) coApplicantFile(ctx context.Context, p *motcua.Principal, d *motcua.Draft, proc *motcua.Procedure,
	component, documentID string) (io.ReadCloser, motcua.File, bool, error) {
	if len(d.CoApplicants) == 0 || d.Owner.Code != p.SubjectCode {
		return nil, motcua.File{}, false, nil
	}
	doc, err := s.store.GetDocument(ctx, documentID)
	if err != nil || doc.OwnerCode == d.Owner.Code {
		return nil, motcua.File{}, false, nil
	}
	if _, ok := d.CoApplicant(doc.OwnerCode); !ok {
		return nil, motcua.File{}, false, nil
	}
	var offered *motcua.Document
	if slices.Contains(d.Consented(), doc.OwnerCode) {
		more, err := s.match(ctx, proc, d.CaseCode, doc.OwnerCode)
		if err != nil {
			return nil, motcua.File{}, true, err
		}
		for _, m := range more {
			if m.Component.Code == component {
				offered = m.Candidate(documentID)
			}
		}
	}
	if offered == nil {
		return nil, motcua.File{}, true, motcua.NotFound("document", documentID)
	}
	e := coApplicantRead(p, d, offered, component, proc.Name)
	e.Action = "document.download"
	if err := s.store.AppendAudit(ctx, e); err != nil {
		return nil, motcua.File{}, true, err
	}
	rc, err := s.wh.blobs.Open(ctx, offered.File.SHA256)
	if err != nil {
		return nil, motcua.File{}, true, err
	}
	return rc, offered.File, true, nil
}
