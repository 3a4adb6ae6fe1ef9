package motcua

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// This file is the supplement round trip ("Yêu cầu bổ sung, hoàn thiện
// hồ sơ") and the citizen's withdrawal ("Rút hồ sơ"): the officer names
// the reason and the components to fix, the citizen answers with new
// files for those components, and the dossier goes back to the status the
// request interrupted with the clock resumed (Transition moves the due
// date on by the working days spent waiting).

// SupplementRequest is one supplement request of a dossier and, once
// answered, its answer.
type SupplementRequest struct {
	Seq    int    // 1, 2, … per dossier
	Reason string // what the citizen must fix, in the officer's words
	// Components are the codes of the dossier components to replace;
	// empty when the officer named none (any component may be replaced).
	Components  []string
	RequestedAt time.Time
	RequestedBy string
	// From is the status the request interrupted: the answer returns the
	// dossier there.
	From       DossierStatus
	AnsweredAt time.Time // zero while open
	AnsweredBy string    // the citizen's actor id, or the officer at the counter
	// AnswerKey is the idempotency key of the answer (actor:key), empty
	// when none was given.
	AnswerKey string
}

// Open reports whether the request waits for its answer.
func (s *SupplementRequest) Open() bool { return s != nil && s.AnsweredAt.IsZero() }

// Names reports whether the request names the component code (a request
// that names none allows every component).
func (s *SupplementRequest) Names(code string) bool {
	return len(s.Components) == 0 || slices.Contains(s.Components, code)
}

// Supplement is the dossier's latest supplement request, nil when none
// was ever made.
func (d *Dossier) Supplement() *SupplementRequest {
	if len(d.Supplements) == 0 {
		return nil
	}
	return &d.Supplements[len(d.Supplements)-1]
}

// Component returns the dossier's component with code.
func (d *Dossier) Component(code string) (DossierComponent, bool) {
	for _, c := range d.Components {
		if c.Code == code {
			return c, true
		}
	}
	return DossierComponent{}, false
}

// RequestSupplement moves d to status 5 with the reason (in.Note) and the
// components to fix, which must be the dossier's own (EINVALID
// unknown_component); duplicates are dropped. Besides Transition's
// checks, the returned update carries the new request for the store.
func (d *Dossier) RequestSupplement(in TransitionInput, components []string) (StatusUpdate, error) {
	var codes []string
	for _, c := range components {
		c = strings.TrimSpace(c)
		if c == "" || slices.Contains(codes, c) {
			continue
		}
		if _, ok := d.Component(c); !ok {
			return StatusUpdate{}, Invalid("components", "unknown_component",
				fmt.Sprintf("Thành phần %q không thuộc hồ sơ %s.", c, d.Code))
		}
		codes = append(codes, c)
	}
	from := d.Status
	u, err := d.Transition(StatusSupplement, in)
	if err != nil {
		return StatusUpdate{}, err
	}
	req := SupplementRequest{Seq: len(d.Supplements) + 1, Reason: u.Note, Components: codes, RequestedAt: u.At,
		RequestedBy: u.Actor, From: from}
	d.Supplements = append(d.Supplements, req)
	u.Supplement = &req
	return u, nil
}

// SupplementReturn is the status the answer to d's open supplement
// request returns it to: the status the request interrupted (1, 2 or 4).
func (d *Dossier) SupplementReturn() DossierStatus {
	if s := d.Supplement(); s.Open() && s.From.Valid() {
		return s.From
	}
	// A request stored before requests were recorded: the status before
	// the last move to 5.
	for i := len(d.StatusHistory) - 1; i >= 0; i-- {
		if h := d.StatusHistory[i]; h.To == StatusSupplement && h.From != StatusSupplement {
			return h.From
		}
	}
	if d.ReceivedAt.IsZero() {
		return StatusRegistered
	}
	return StatusReceived
}

// AnswerSupplement records the answer to d's supplement request: d must
// be in status 5 (ECONFLICT not_awaiting_supplement), comps are its
// components with the named ones replaced. d goes back to the status the
// request interrupted, the clock resumed. The update carries the answered
// request; a request older than recorded requests gets one made up from
// the history.
func (d *Dossier) AnswerSupplement(in TransitionInput, key string) (StatusUpdate, error) {
	if d.Status != StatusSupplement {
		return StatusUpdate{}, NotAwaitingSupplement(d.Status)
	}
	var req SupplementRequest
	if !d.Supplement().Open() {
		req = SupplementRequest{Seq: len(d.Supplements) + 1, From: d.SupplementReturn()}
		for _, h := range d.StatusHistory {
			if h.To == StatusSupplement {
				req.Reason, req.RequestedAt, req.RequestedBy = h.Note, h.At, h.Actor
			}
		}
		d.Supplements = append(d.Supplements, req)
	}
	u, err := d.Transition(d.SupplementReturn(), in)
	if err != nil {
		return StatusUpdate{}, err
	}
	s := d.Supplement() // answered by Transition
	s.AnswerKey = key
	req = *s
	u.Supplement = &req
	return u, nil
}

// NotAwaitingSupplement is the refusal of an answer to a dossier that no
// request waits on.
func NotAwaitingSupplement(s DossierStatus) error {
	return &Error{Kind: ECONFLICT, Code: "not_awaiting_supplement", Field: "status",
		Message: fmt.Sprintf("Hồ sơ đang ở trạng thái “%s”, không có yêu cầu bổ sung nào đang chờ trả lời.", s.Label())}
}

// Withdrawable reports whether the citizen may still withdraw d ("Rút hồ
// sơ"): while it is not processed yet, that is new (1), received (2) or
// waiting for a supplement (5). Once in processing (4) or later, the
// agency's decision follows its course.
func (d *Dossier) Withdrawable() bool {
	return d.Status == StatusRegistered || d.Status == StatusReceived || d.Status == StatusSupplement
}

// Withdraw moves d to status 7 at the citizen's request, with their
// reason (EINVALID reason_required under 5 characters), or says why not
// (ECONFLICT not_withdrawable).
func (d *Dossier) Withdraw(in TransitionInput) (StatusUpdate, error) {
	if !d.Withdrawable() {
		return StatusUpdate{}, &Error{Kind: ECONFLICT, Code: "not_withdrawable", Field: "status",
			Message: fmt.Sprintf("Hồ sơ đang ở trạng thái “%s”: chỉ rút được hồ sơ chưa được xử lý (mới đăng ký, đã tiếp nhận hoặc đang chờ bổ sung).",
				d.Status.Label())}
	}
	if len([]rune(strings.TrimSpace(in.Note))) < 5 {
		return StatusUpdate{}, Invalid("reason", "reason_required", "Vui lòng nhập lý do rút hồ sơ (ít nhất 5 ký tự).")
	}
	return d.Transition(StatusWithdrawn, in)
}
