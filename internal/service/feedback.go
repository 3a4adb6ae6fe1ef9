package service

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Feedbacks is feedback on wrong results (phản ánh về kết quả giải quyết,
// SPEC §4.3): the owner reports a result of their warehouse, the issuing
// agency answers with a corrected, signed result that supersedes the wrong
// one, or rejects the feedback with a reason. Every step is audited and
// the owner is notified through the outbox, in the step's transaction.
type Feedbacks struct {
	store     motcua.Store
	wh        *Warehouse
	keys      Keyring
	cal       motcua.CalendarSource
	now       func() time.Time
	publicURL string
	channels  []motcua.NotifyChannel
}

// NewFeedbacks builds the service. keys signs corrected results with the
// issuing agency's key; cal counts the deadline (motcua.DefaultCalendar
// when nil).
func NewFeedbacks(store motcua.Store, wh *Warehouse, keys Keyring, cal motcua.CalendarSource, publicURL string, now func() time.Time) *Feedbacks {
	if cal == nil {
		cal = motcua.DefaultCalendar()
	}
	if now == nil {
		now = time.Now
	}
	return &Feedbacks{store: store, wh: wh, keys: keys, cal: cal, now: now, publicURL: strings.TrimSuffix(publicURL, "/"),
		channels: []motcua.NotifyChannel{motcua.ChannelZalo, motcua.ChannelSMS, motcua.ChannelEmail}}
}

// WithChannels limits the notifications to the channels a sender exists for.
func (s *Feedbacks) WithChannels(chs ...motcua.NotifyChannel) *Feedbacks {
	s.channels = chs
	return s
}

// FeedbackReport is the owner's "Phản ánh" form.
type FeedbackReport struct {
	DocumentID string
	Reason     motcua.FeedbackReason
	Comment    string
}

// Report records the owner's feedback on a result of their own warehouse
// and marks the result "đang phản ánh", so that it is neither attached
// nor suggested while the feedback is open. Only results issued by an
// agency can be reported, once at a time. Another owner's document is
// ENOTFOUND.
func (s *Feedbacks) Report(ctx context.Context, p *motcua.Principal, r FeedbackReport) (*motcua.Feedback, error) {
	d, err := s.wh.owned(ctx, p, r.DocumentID)
	if err != nil {
		return nil, err
	}
	if err := motcua.CheckReportable(d); err != nil {
		return nil, err
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	f := &motcua.Feedback{DocumentID: d.ID, DocumentCode: d.Code, OwnerCode: d.OwnerCode, AgencyCode: d.IssuerCode,
		Reason: r.Reason, Comment: strings.TrimSpace(r.Comment), Status: motcua.FeedbackOpen,
		CreatedAt: now, DueAt: motcua.FeedbackDueAt(s.cal.Calendar(ctx), now)}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.CreateFeedback(ctx, f); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: string(p.Kind), ActorID: p.ActorID(), Action: "document.feedback",
			ObjectKind: "document", ObjectID: d.ID, SubjectCode: d.OwnerCode,
			Detail: fmt.Sprintf("feedback=%s reason=%s agency=%s", f.ID, f.Reason, f.AgencyCode)})
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ForDocument lists the feedback on one document of the owner's
// warehouse, open first, then newest first.
func (s *Feedbacks) ForDocument(ctx context.Context, p *motcua.Principal, documentID string) ([]*motcua.Feedback, error) {
	d, err := s.wh.owned(ctx, p, documentID)
	if err != nil {
		return nil, err
	}
	fs, _, err := s.store.ListFeedback(ctx, motcua.FeedbackFilter{DocumentID: d.ID, Limit: 100})
	return fs, err
}

// Queue lists the feedback on results of the officer's agency and of the
// agencies under it: open ones first by deadline. Only processing
// officers and leaders handle feedback.
func (s *Feedbacks) Queue(ctx context.Context, p *motcua.Principal, status motcua.FeedbackStatus, limit, offset int) ([]*motcua.Feedback, int, error) {
	if err := AuthorizeAt(ctx, s.store, p, OpHandleFeedback, ""); err != nil {
		return nil, 0, err
	}
	agencies, err := AgencySubtree(ctx, s.store, p.AgencyCode)
	if err != nil {
		return nil, 0, err
	}
	codes := make([]string, len(agencies))
	for i, a := range agencies {
		codes[i] = a.Code
	}
	return s.store.ListFeedback(ctx, motcua.FeedbackFilter{AgencyCodes: codes, Status: status, Limit: limit, Offset: offset})
}

// handled loads a feedback the officer may handle. Feedback on another
// agency's results is ENOTFOUND, as if it did not exist.
func (s *Feedbacks) handled(ctx context.Context, p *motcua.Principal, id string) (*motcua.Feedback, error) {
	if p == nil || p.Kind != motcua.PrincipalOfficer {
		return nil, Authorize(p, OpHandleFeedback, Resource{})
	}
	f, err := s.store.GetFeedback(ctx, id)
	if err != nil {
		return nil, err
	}
	path, err := AgencyPath(ctx, s.store, f.AgencyCode)
	if err != nil {
		return nil, err
	}
	if Authorize(p, OpHandleFeedback, Resource{OwnerCode: f.OwnerCode, AgencyPath: path}) != nil {
		return nil, motcua.NotFound("feedback", id)
	}
	return f, nil
}

// officerEvent is an audit event of an officer's action on a document.
func officerEvent(p *motcua.Principal, action string, d *motcua.Document, detail string) *motcua.AuditEvent {
	return &motcua.AuditEvent{ActorKind: "officer", ActorID: p.ActorID(), AgencyCode: p.AgencyCode, Action: action,
		ObjectKind: "document", ObjectID: d.ID, SubjectCode: d.OwnerCode, Detail: detail}
}

// FeedbackCase is what the officer handling a feedback sees of it.
type FeedbackCase struct {
	Feedback *motcua.Feedback
	Document *motcua.Document // the reported result
	// Corrected is the result the correction issued, nil before one.
	Corrected *motcua.Document
}

// Get returns a feedback with the reported document and, once corrected,
// the corrected one, for the officer who handles it; every read of a
// document is audited, so that the owner's access log shows it.
func (s *Feedbacks) Get(ctx context.Context, p *motcua.Principal, id string) (*FeedbackCase, error) {
	f, err := s.handled(ctx, p, id)
	if err != nil {
		return nil, err
	}
	c := &FeedbackCase{Feedback: f}
	if c.Document, err = s.store.GetDocument(ctx, f.DocumentID); err != nil {
		return nil, err
	}
	events := []*motcua.AuditEvent{officerEvent(p, "document.read", c.Document, "feedback="+f.ID)}
	if f.CorrectedDocumentID != "" {
		if c.Corrected, err = s.store.GetDocument(ctx, f.CorrectedDocumentID); err != nil {
			return nil, err
		}
		events = append(events, officerEvent(p, "document.read", c.Corrected, "feedback="+f.ID))
	}
	if err := s.store.AppendAudit(ctx, events...); err != nil {
		return nil, err
	}
	return c, nil
}

// OpenFile returns the reported document's current file, for the officer
// who handles the feedback; the download is audited.
func (s *Feedbacks) OpenFile(ctx context.Context, p *motcua.Principal, id string) (io.ReadCloser, motcua.File, error) {
	f, err := s.handled(ctx, p, id)
	if err != nil {
		return nil, motcua.File{}, err
	}
	d, err := s.store.GetDocument(ctx, f.DocumentID)
	if err != nil {
		return nil, motcua.File{}, err
	}
	if err := s.store.AppendAudit(ctx, officerEvent(p, "document.download", d, "feedback="+f.ID)); err != nil {
		return nil, motcua.File{}, err
	}
	rc, err := s.wh.blobs.Open(ctx, d.File.SHA256)
	if err != nil {
		return nil, motcua.File{}, err
	}
	return rc, d.File, nil
}

func errFeedbackResolved() error {
	return motcua.Errorf(motcua.ECONFLICT, "feedback_resolved", "Phản ánh này đã được xử lý xong.")
}

// Reject closes the feedback without a new result: the document is valid
// again and the owner is told the reason, which is required.
func (s *Feedbacks) Reject(ctx context.Context, p *motcua.Principal, id, reason string) (*motcua.Feedback, error) {
	f, err := s.handled(ctx, p, id)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, motcua.Invalid("resolution", "resolution_required", "Vui lòng nhập lý do từ chối phản ánh.")
	}
	if len([]rune(reason)) > motcua.MaxFeedbackText {
		return nil, motcua.Invalid("resolution", "too_long", "Lý do không được dài quá 2.000 ký tự.")
	}
	if f.Status != motcua.FeedbackOpen {
		return nil, errFeedbackResolved()
	}
	d, err := s.store.GetDocument(ctx, f.DocumentID)
	if err != nil {
		return nil, err
	}
	var out *motcua.Feedback
	err = s.store.InTx(ctx, func(tx motcua.Store) error {
		out, err = tx.ResolveFeedback(ctx, motcua.FeedbackResolution{FeedbackID: f.ID, Status: motcua.FeedbackRejected,
			ResolvedBy: p.Username, Resolution: reason, At: s.now()})
		if err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, officerEvent(p, "feedback.reject", d, fmt.Sprintf("feedback=%s reason=%q", f.ID, reason))); err != nil {
			return err
		}
		notes, err := s.resolvedNotes(ctx, tx, out, "Từ chối phản ánh. Lý do: "+reason)
		if err != nil {
			return err
		}
		return tx.EnqueueNotification(ctx, notes...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Correction is the corrected result an officer issues.
type Correction struct {
	// File is the corrected result, a PDF, signed or not: the issuing
	// agency's key signs it in any case.
	File Upload
	// DecisionNumber replaces the old document's when not empty.
	DecisionNumber string
	Note           string
}

// Correct issues a corrected result into the owner's warehouse: the
// uploaded PDF is signed with the issuing agency's key in the officer's
// name, verified like any result, and stored under the old code's prefix
// with the next ".NN" suffix (SPEC §5, §8: 052090000495.KQ.G15.000031.KS-1
// becomes …KS-1.01). In one transaction the new document is created, the
// old one becomes superseded and points at it, the feedback is closed,
// the action audited and the owner notified.
func (s *Feedbacks) Correct(ctx context.Context, p *motcua.Principal, id string, c Correction) (*motcua.Feedback, *motcua.Document, error) {
	f, err := s.handled(ctx, p, id)
	if err != nil {
		return nil, nil, err
	}
	if f.Status != motcua.FeedbackOpen {
		return nil, nil, errFeedbackResolved()
	}
	if len([]rune(c.Note)) > motcua.MaxFeedbackText {
		return nil, nil, motcua.Invalid("resolution", "too_long", "Ghi chú không được dài quá 2.000 ký tự.")
	}
	if len(c.File.Data) == 0 {
		return nil, nil, motcua.Invalid("file", "file_required", "Vui lòng chọn tệp tin PDF kết quả đính chính.")
	}
	if err := s.wh.refuseScan(c.File); err != nil {
		return nil, nil, err
	}
	old, err := s.store.GetDocument(ctx, f.DocumentID)
	if err != nil {
		return nil, nil, err
	}
	cat, err := s.store.GetCategory(ctx, old.CategoryCode)
	if err != nil {
		return nil, nil, err
	}
	base, err := motcua.ParseResultCode(old.Code)
	if err != nil {
		return nil, nil, err
	}
	base.Suffix = 0
	now := s.now()
	file, sig, _, err := s.wh.signAndCheck(ctx, s.keys, f.AgencyCode, c.File, p.Name, "Ban hành kết quả đính chính", now)
	if err != nil {
		return nil, nil, err
	}
	issued := motcua.DateOf(now)
	decision := strings.TrimSpace(c.DecisionNumber)
	if decision == "" {
		decision = old.DecisionNumber
	}
	note := strings.TrimSpace(c.Note)
	var out *motcua.Feedback
	d := &motcua.Document{OwnerCode: old.OwnerCode, OwnerName: old.OwnerName, Warehouse: motcua.WarehouseAgency,
		PaperType: old.PaperType, CategoryCode: old.CategoryCode, DecisionNumber: decision, Summary: old.Summary,
		IssuerCode: f.AgencyCode, IssuedOn: issued, ExpiresOn: cat.ExpiryFor(issued), File: file, Signature: sig,
		Visible: true, Shared: old.Shared, Status: motcua.DocumentValid}
	// The old code is taken, so a correction always has a suffix.
	code := func(n int) string { return base.WithSuffix(max(n, 1)).String() }
	err = withFreeCode(ctx, s.store, base.Prefix(), code,
		motcua.Invalid("file", "too_many_versions", "Kết quả này đã được đính chính quá nhiều lần."),
		func(code string) error {
			d.ID, d.Code, d.Name = "", code, motcua.DefaultDocumentName(code, cat.Name)
			if err := d.Validate(); err != nil {
				return err
			}
			return s.store.InTx(ctx, func(tx motcua.Store) error {
				if err := tx.CreateDocument(ctx, d); err != nil {
					return err
				}
				resolved, err := tx.ResolveFeedback(ctx, motcua.FeedbackResolution{FeedbackID: f.ID, Status: motcua.FeedbackCorrected,
					ResolvedBy: p.Username, Resolution: note, At: now, CorrectedDocumentID: d.ID})
				if err != nil {
					return err
				}
				out = resolved
				if err := tx.AppendAudit(ctx,
					officerEvent(p, "document.issue_correction", d, fmt.Sprintf("feedback=%s supersedes=%s", f.ID, old.Code)),
					officerEvent(p, "feedback.correct", old, fmt.Sprintf("feedback=%s superseded_by=%s", f.ID, d.Code))); err != nil {
					return err
				}
				notes, err := s.resolvedNotes(ctx, tx, out, "Đã ban hành kết quả đính chính "+d.Code)
				if err != nil {
					return err
				}
				return tx.EnqueueNotification(ctx, notes...)
			})
		})
	if err != nil {
		return nil, nil, err
	}
	return out, d, nil
}

// resolvedNotes are the messages telling the owner the outcome.
func (s *Feedbacks) resolvedNotes(ctx context.Context, tx motcua.Store, f *motcua.Feedback, outcome string) ([]*motcua.Notification, error) {
	owner, err := tx.GetSubject(ctx, f.OwnerCode)
	if err != nil {
		return nil, err
	}
	params := map[string]string{"code": f.DocumentCode, "outcome": outcome, "url": s.publicURL + "/kho-du-lieu/" + f.DocumentID}
	var ns []*motcua.Notification
	for _, ch := range s.channels {
		to := ch.Address(owner.Phone, owner.Email)
		if to == "" {
			continue
		}
		ns = append(ns, &motcua.Notification{Channel: ch, Recipient: to, Template: "feedback_resolved", Params: params,
			DedupeKey: fmt.Sprintf("feedback:%s:resolved:%s:%s", f.ID, ch, to), SubjectCode: owner.Code})
	}
	return ns, nil
}

// FeedbackAgencyCount is one agency's row of the monitors' table.
type FeedbackAgencyCount struct {
	Agency *motcua.Agency
	motcua.FeedbackCount
}

// Counts returns the open and overdue feedback of agency and the
// agencies under it, per agency with any, in the tree's order; for
// monitors (and leaders, administrators) of that agency or above.
func (s *Feedbacks) Counts(ctx context.Context, p *motcua.Principal, agency string) ([]FeedbackAgencyCount, error) {
	if err := AuthorizeAt(ctx, s.store, p, OpViewKPI, agency); err != nil {
		return nil, err
	}
	agencies, err := AgencySubtree(ctx, s.store, agency)
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(agencies))
	for i, a := range agencies {
		codes[i] = a.Code
	}
	counts, err := s.store.CountOpenFeedback(ctx, codes, s.now())
	if err != nil {
		return nil, err
	}
	byAgency := make(map[string]motcua.FeedbackCount, len(counts))
	for _, c := range counts {
		byAgency[c.AgencyCode] = c
	}
	var out []FeedbackAgencyCount
	for _, a := range agencies {
		if c, ok := byAgency[a.Code]; ok {
			out = append(out, FeedbackAgencyCount{Agency: a, FeedbackCount: c})
		}
	}
	return out, nil
}

// Now is the service's clock, for pages that highlight overdue feedback.
func (s *Feedbacks) Now() time.Time { return s.now() }
