package motcua

import (
	"fmt"
	"strings"
	"time"
)

// This file is a dossier's lifecycle, in one place: which status may
// follow which, what each move needs (a reason, a receipt, digitized
// components, a signed result), the due date and the supplement clock,
// and which moves set the receipt and finish dates. The service loads,
// authorizes, calls Transition and stores what it returns; the store
// decides nothing; the web offers Choices.

// transitions is the dossier state machine: for each status, the statuses
// it may move to. Forwarding between officers or agencies keeps status 4
// and is not a transition.
var transitions = map[DossierStatus][]DossierStatus{
	StatusRegistered: {StatusReceived, StatusRejected, StatusSupplement, StatusWithdrawn},
	StatusReceived:   {StatusProcessing, StatusSupplement, StatusWithdrawn},
	StatusProcessing: {StatusSupplement, StatusFinancialDuty, StatusStopped, StatusDone, StatusWithdrawn},
	// A supplement asked before receipt returns to 1 when answered online
	// (the desk then receives it); see SupplementReturn.
	StatusSupplement:    {StatusRegistered, StatusReceived, StatusProcessing, StatusRejected, StatusWithdrawn},
	StatusFinancialDuty: {StatusProcessing, StatusDone, StatusStopped},
	StatusStopped:       {StatusResultsReturned},
	StatusDone:          {StatusResultsReturned},
}

// Finished reports whether the dossier's handling is over: done, result
// returned, not received or withdrawn. Reaching one of these sets the
// finish date (Transition), which the indicators read. A stopped dossier
// is not finished, but nobody handles it any more either: see Open.
func (s DossierStatus) Finished() bool {
	return s == StatusDone || s == StatusResultsReturned || s == StatusRejected || s == StatusWithdrawn
}

// Open reports whether the dossier is still being handled: not finished
// and not stopped. Officers read the owner's warehouse for a dossier only
// while it is open.
func (s DossierStatus) Open() bool { return s.Valid() && !s.Finished() && s != StatusStopped }

// Final reports whether no transition leaves s. It is a property of the
// graph, not a second meaning of finished: a done dossier is finished but
// still returns its result.
func (s DossierStatus) Final() bool { return s.Valid() && len(transitions[s]) == 0 }

// CanTransition reports whether a dossier in status from may move to to.
func CanTransition(from, to DossierStatus) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// NeedsReason reports whether moving to status to requires a written
// reason for the citizen: refusal, a supplement request, a stop.
func NeedsReason(to DossierStatus) bool {
	return to == StatusRejected || to == StatusSupplement || to == StatusStopped
}

// MaxNote bounds the officers' reasons, comments and result summaries.
const MaxNote = 2000

// CheckTransition checks the move itself, whoever makes it and whatever
// the dossier holds: EINVALID too_long (note), invalid_transition (status)
// when from may not move to to, reason_required (note) when the move needs
// a reason and note is blank. Who may make a move depends on the move, so
// the service checks it before authorizing; Transition checks it again.
func CheckTransition(from, to DossierStatus, note string) error {
	note = strings.TrimSpace(note)
	if len([]rune(note)) > MaxNote {
		return Invalid("note", "too_long", fmt.Sprintf("Lý do, ý kiến không được dài quá %d ký tự.", MaxNote))
	}
	if !CanTransition(from, to) {
		return Invalid("status", "invalid_transition", fmt.Sprintf("Hồ sơ đang ở trạng thái “%s”, không thể chuyển sang “%s”.",
			from.Label(), to.Label()))
	}
	if NeedsReason(to) && len([]rune(note)) < 5 {
		return Invalid("note", "reason_required", fmt.Sprintf("Vui lòng nhập lý do (ít nhất 5 ký tự) khi chuyển hồ sơ sang “%s”.", to.Label()))
	}
	return nil
}

// TransitionInput is what a status change needs besides the dossier.
type TransitionInput struct {
	At    time.Time // when; stored as given
	Actor string    // the officer's username
	Note  string    // reason or comment; surrounding spaces are dropped
	// Calendar counts the working days of due dates (DefaultCalendar when
	// nil).
	Calendar *Calendar
	// Procedure is the dossier's procedure: the processing time of its
	// case sets the due date at receipt (0 days when nil or no such case).
	Procedure *Procedure
}

// Transition moves d to status to, or says why it may not: the checks of
// CheckTransition, then EINVALID not_received (a dossier goes to
// processing only once received), components_not_digitized (nor while a
// required component is not digitized, seed 001 §5) and e_result_required
// (a procedure that issues a result finishes only with a signed
// electronic result). Receiving sets the receipt date, the receiving
// officer and the due date in working days of the case's processing time;
// leaving a supplement request moves the due date on by the working days
// spent waiting (the clock stops meanwhile); reaching a Finished status
// sets the finish date. Dates already set are kept. Transition updates d's
// status and dates and returns the update to store; the history entry is
// the update itself, appended by the store.
func (d *Dossier) Transition(to DossierStatus, in TransitionInput) (StatusUpdate, error) {
	note := strings.TrimSpace(in.Note)
	if err := CheckTransition(d.Status, to, note); err != nil {
		return StatusUpdate{}, err
	}
	if err := d.guard(to); err != nil {
		return StatusUpdate{}, err
	}
	cal := in.Calendar
	if cal == nil {
		cal = DefaultCalendar()
	}
	u := StatusUpdate{DossierID: d.ID, From: d.Status, To: to, At: in.At, Actor: in.Actor, Note: note}
	switch {
	case to == StatusReceived && d.ReceivedAt.IsZero():
		days := 0
		if in.Procedure != nil {
			if c, ok := in.Procedure.Case(d.CaseCode); ok {
				days = c.ProcessingDays
			}
		}
		u.DueAt = cal.AddWorkingDays(in.At, days).UTC()
	case d.Status == StatusSupplement && !d.DueAt.IsZero():
		// The clock stopped while the citizen completed the dossier.
		since := in.At
		for _, h := range d.StatusHistory {
			if h.To == StatusSupplement {
				since = h.At
			}
		}
		u.DueAt = cal.AddWorkingDays(d.DueAt, cal.WorkingDaysBetween(since, in.At)).UTC()
	}
	if to == StatusReceived && d.ReceivedAt.IsZero() {
		u.ReceivedAt = in.At
	}
	if to == StatusReceived && d.ReceivedBy == "" {
		u.ReceivedBy = in.Actor
	}
	if to.Finished() && d.FinishedAt.IsZero() {
		u.FinishedAt = in.At
	}
	d.Status = to
	if !u.DueAt.IsZero() {
		d.DueAt = u.DueAt
	}
	if !u.ReceivedAt.IsZero() {
		d.ReceivedAt = u.ReceivedAt
	}
	if u.ReceivedBy != "" {
		d.ReceivedBy = u.ReceivedBy
	}
	if !u.FinishedAt.IsZero() {
		d.FinishedAt = u.FinishedAt
	}
	// Leaving 5 other than by refusal or withdrawal answers the open
	// request (online or at the counter).
	if s := d.Supplement(); u.From == StatusSupplement && s.Open() && to != StatusRejected && to != StatusWithdrawn {
		req := *s
		req.AnsweredAt, req.AnsweredBy = in.At, in.Actor
		*s = req
		u.Supplement = &req
	}
	return u, nil
}

// guard is what the dossier must hold for a move the graph allows.
func (d *Dossier) guard(to DossierStatus) error {
	if to == StatusProcessing && d.ReceivedAt.IsZero() {
		return Invalid("status", "not_received", "Hồ sơ chưa được tiếp nhận: hãy tiếp nhận hồ sơ trước khi chuyển xử lý.")
	}
	if to == StatusProcessing {
		if missing := d.MissingComponents(); len(missing) > 0 {
			return Invalid("components", "components_not_digitized",
				"Chưa thể chuyển xử lý: các thành phần hồ sơ bắt buộc sau chưa được số hóa: "+strings.Join(missing, "; ")+".")
		}
	}
	if d.ResultExpected && !d.HasEResult() && (to == StatusDone || to == StatusResultsReturned && d.Status == StatusDone) &&
		(d.Result == nil || d.Result.Signed == nil) {
		return Invalid("result", "e_result_required",
			"Thủ tục này có kết quả giải quyết: hồ sơ chỉ kết thúc khi đã có kết quả điện tử được ký số.")
	}
	return nil
}

// MissingComponents names the required components not digitized yet.
func (d *Dossier) MissingComponents() []string {
	var names []string
	for _, c := range d.Components {
		if c.Required && c.Digitization == NotDigitized {
			names = append(names, c.Name)
		}
	}
	return names
}

// IssuesResult reports whether moving d to to returns its signed result
// as its electronic result: the result goes into the owner's warehouse in
// the same step (ask before Transition, which changes d's status).
func (d *Dossier) IssuesResult(to DossierStatus) bool {
	return to == StatusResultsReturned && d.Status == StatusDone && d.ResultExpected && !d.HasEResult() &&
		d.Result != nil && d.Result.Signed != nil
}

// Choice is a status change an officer may be offered on a dossier.
type Choice struct {
	To     DossierStatus
	Reason bool // the move needs a written reason for the citizen
}

// Choices are the moves to offer on d, in status order. A procedure that
// issues a result is finished by the leader's signature, not a button;
// the other guards are left to Transition, whose message says what is
// missing.
func (d *Dossier) Choices() []Choice {
	var cs []Choice
	for to := StatusRegistered; to <= StatusResultsReturned; to++ {
		if to == StatusDone && d.ResultExpected {
			continue
		}
		if to == StatusRegistered {
			continue // the citizen's answer to a supplement request, not an officer's move
		}
		if CanTransition(d.Status, to) {
			cs = append(cs, Choice{To: to, Reason: NeedsReason(to)})
		}
	}
	return cs
}
