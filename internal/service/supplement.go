package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// This file is the citizen's side of a supplement request: the answer
// ("Bổ sung hồ sơ") with the same component choices as a draft (an
// upload, or a document of the owner's warehouse), and the withdrawal
// ("Rút hồ sơ").

// SupplementPart is the answer for one component: a warehouse document
// or an uploaded file, exactly one of them.
type SupplementPart struct {
	Component  string
	DocumentID string  // a document of the owner's warehouse
	Upload     *Upload // a newly uploaded file
}

// answeredWith reports whether one of d's supplement requests was
// answered with key.
func answeredWith(d *motcua.Dossier, key string) bool {
	return key != "" && slices.ContainsFunc(d.Supplements, func(s motcua.SupplementRequest) bool { return s.AnswerKey == key })
}

// SupplementOffers are what the owner's warehouse offers for the
// components d's open supplement request names, for the applicant who
// is its owner (nobody browses another person's warehouse): "Lấy từ kho".
func (s *Submissions) SupplementOffers(ctx context.Context, p *motcua.Principal, d *motcua.Dossier) ([]motcua.ComponentMatch, error) {
	req := d.Supplement()
	if d.Status != motcua.StatusSupplement || p == nil || d.Owner.Code != p.SubjectCode {
		return nil, nil
	}
	proc, err := s.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion)
	if err != nil {
		return nil, err
	}
	all, err := s.match(ctx, proc, d.CaseCode, d.Owner.Code)
	if err != nil {
		return nil, err
	}
	var out []motcua.ComponentMatch
	for _, m := range all {
		if !req.Open() || req.Names(m.Component.Code) {
			out = append(out, m)
		}
	}
	return out, nil
}

// AnswerSupplement is the applicant's answer to the open supplement
// request of their dossier code: each part replaces the component it
// names, every component the request names must be answered and no
// other; the dossier goes back to the status the request interrupted,
// its due date moved on by the working days it waited (the clock
// resumes), the officers see it in their queue again, the citizen is
// told, and the answer is audited, in one transaction. Replaying an
// answer with the same idempotency key returns the dossier without
// applying it again (created false). Errors: ENOTFOUND for a dossier that
// is not the applicant's; ECONFLICT not_awaiting_supplement when no
// request waits; EINVALID component_missing, component_not_requested,
// unknown_component, duplicate_component, source_required and the
// upload's and warehouse's own refusals.
func (s *Submissions) AnswerSupplement(ctx context.Context, p *motcua.Principal, code string, parts []SupplementPart, key string) (*motcua.Dossier, bool, error) {
	key, err := idempotencyKey(p, "", key)
	if err != nil {
		return nil, false, err
	}
	d, err := s.applicantDossier(ctx, p, code)
	if err != nil {
		return nil, false, err
	}
	if answeredWith(d, key) {
		return d, false, nil
	}
	if d.Status != motcua.StatusSupplement {
		return nil, false, motcua.NotAwaitingSupplement(d.Status)
	}
	proc, err := s.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion)
	if err != nil {
		return nil, false, err
	}
	req := d.Supplement()
	if !req.Open() {
		req = &motcua.SupplementRequest{} // asked before requests were recorded: any component
	}
	if len(parts) == 0 {
		return nil, false, motcua.Invalid("components", "component_missing", "Vui lòng bổ sung ít nhất một thành phần hồ sơ.")
	}
	comps := slices.Clone(d.Components)
	var answered, reused []string
	var matches []motcua.ComponentMatch
	for _, part := range parts {
		part.Component = strings.TrimSpace(part.Component)
		i := slices.IndexFunc(comps, func(c motcua.DossierComponent) bool { return c.Code == part.Component })
		pc, ok := proc.Component(d.CaseCode, part.Component)
		if i < 0 || !ok {
			return nil, false, motcua.Invalid("components."+part.Component, "unknown_component",
				fmt.Sprintf("Thành phần %q không thuộc hồ sơ %s.", part.Component, d.Code))
		}
		field := "components." + pc.Code
		switch {
		case !req.Names(pc.Code):
			return nil, false, motcua.Invalid(field, "component_not_requested",
				fmt.Sprintf("Thành phần “%s” không nằm trong yêu cầu bổ sung; chỉ bổ sung các thành phần được yêu cầu.", pc.Name))
		case slices.Contains(answered, pc.Code):
			return nil, false, motcua.Invalid(field, "duplicate_component",
				fmt.Sprintf("Thành phần “%s” được gửi hai lần.", pc.Name))
		case (part.DocumentID == "") == (part.Upload == nil):
			return nil, false, motcua.Invalid(field, "source_required",
				fmt.Sprintf("Thành phần “%s”: hãy tải lên một tệp tin hoặc chọn một giấy tờ trong Kho dữ liệu (chỉ một trong hai).", pc.Name))
		}
		c := comps[i]
		if part.Upload != nil {
			source, file, err := s.checkUpload(ctx, pc, *part.Upload)
			if err != nil {
				return nil, false, withField(err, field)
			}
			c.Digitization, c.Attachments = motcua.Digitized, []motcua.Attachment{{Source: source, File: file}}
		} else {
			if matches == nil {
				if matches, err = s.SupplementOffers(ctx, p, d); err != nil {
					return nil, false, err
				}
			}
			doc, err := offered(matches, pc.Code, part.DocumentID)
			if motcua.ErrorCode(err) == "unknown_component" {
				// The applicant is not the owner: no warehouse is offered.
				err = motcua.Invalid("document_id", "document_not_matching",
					"Giấy tờ này không có trong Kho dữ liệu của chủ hồ sơ hoặc không phù hợp với thành phần hồ sơ.")
			}
			if err != nil {
				return nil, false, withField(err, field)
			}
			c.Digitization = motcua.ReusedFromWarehouse
			c.Attachments = []motcua.Attachment{{Source: motcua.FromWarehouse, DocumentID: doc.ID, File: doc.File}}
			reused = append(reused, doc.ID)
		}
		comps[i] = c
		answered = append(answered, pc.Code)
	}
	for _, code := range req.Components {
		if !slices.Contains(answered, code) {
			name := code
			if c, ok := d.Component(code); ok {
				name = c.Name
			}
			return nil, false, motcua.Invalid("components."+code, "component_missing",
				fmt.Sprintf("Thành phần “%s” được yêu cầu bổ sung nhưng chưa có tệp tin.", name))
		}
	}
	version := d.Version
	d.Components = comps
	now := s.now().UTC().Truncate(time.Microsecond)
	u, err := d.AnswerSupplement(motcua.TransitionInput{At: now, Actor: p.ActorID(), Calendar: s.cal.Calendar(ctx),
		Note: "Đã bổ sung: " + strings.Join(componentNames(d, answered), "; ") + "."}, key)
	if err != nil {
		return nil, false, err
	}
	err = s.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.IncrementDocumentUsage(ctx, reused); err != nil {
			return err
		}
		if err := tx.UpdateDossierComponents(ctx, d.ID, version, comps); err != nil {
			return err
		}
		if err := tx.UpdateDossierStatus(ctx, u); err != nil {
			return err
		}
		if err := tx.EnqueueNotification(ctx, statusNotifications(s.publicURL, s.channels, d, u)...); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: string(p.Kind), ActorID: p.ActorID(), Action: "dossier.supplement",
			ObjectKind: "dossier", ObjectID: d.ID, SubjectCode: d.Owner.Code, DossierID: d.ID,
			Detail: fmt.Sprintf("from=%d to=%d components=%s reused=%d", int(u.From), int(u.To), strings.Join(answered, ","), len(reused))})
	})
	if motcua.IsKind(err, motcua.ECONFLICT) && key != "" {
		// A concurrent answer with the same key won.
		if again, gerr := s.store.GetDossier(ctx, d.ID); gerr == nil && answeredWith(again, key) {
			return again, false, nil
		}
	}
	if err != nil {
		return nil, false, err
	}
	got, err := s.store.GetDossier(ctx, d.ID)
	return got, true, err
}

// withField names the component a refusal of its file is about.
func withField(err error, field string) error {
	var e *motcua.Error
	if errors.As(err, &e) && e.Kind == motcua.EINVALID {
		c := *e
		c.Field = field
		return &c
	}
	return err
}

// Withdraw is "Rút hồ sơ": the applicant withdraws their dossier, with a
// reason, while it is not processed yet (motcua.Dossier.Withdrawable);
// the dossier becomes 7 (finished), the officers no longer see it in
// their queues, the citizen is told and the move is audited. ECONFLICT
// not_withdrawable once in processing; EINVALID reason_required.
func (s *Submissions) Withdraw(ctx context.Context, p *motcua.Principal, code, reason string) (*motcua.Dossier, error) {
	d, err := s.applicantDossier(ctx, p, code)
	if err != nil {
		return nil, err
	}
	u, err := d.Withdraw(motcua.TransitionInput{At: s.now().UTC().Truncate(time.Microsecond), Actor: p.ActorID(), Note: reason,
		Calendar: s.cal.Calendar(ctx)})
	if err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.UpdateDossierStatus(ctx, u); err != nil {
			return err
		}
		if err := tx.EnqueueNotification(ctx, statusNotifications(s.publicURL, s.channels, d, u)...); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: string(p.Kind), ActorID: p.ActorID(), Action: "dossier.withdraw",
			ObjectKind: "dossier", ObjectID: d.ID, SubjectCode: d.Owner.Code, DossierID: d.ID,
			Detail: fmt.Sprintf("from=%d note=%q", int(u.From), u.Note)})
	})
	if err != nil {
		return nil, err
	}
	return s.store.GetDossier(ctx, d.ID)
}
