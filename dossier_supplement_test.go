package motcua_test

import (
	"slices"
	"testing"
	"time"

	. "github.com/motcua/motcua"
)

// stored appends u to d's history as the store does.
func stored(d *Dossier, u StatusUpdate) {
	d.StatusHistory = append(d.StatusHistory, StatusChange{From: u.From, To: u.To, At: u.At, Actor: u.Actor, Note: u.Note})
}

// The round trip: the request names components of the dossier only; the
// answer returns to the interrupted status with the due date moved on by
// the working days waited, and records who answered, when, with which key.
func TestSupplementRoundTrip(t *testing.T) {
	cal := NewCalendar(nil, nil) // weekends only
	vn := VietnamLocation()
	wed := time.Date(2024, 3, 6, 9, 0, 0, 0, vn).UTC()
	mon := time.Date(2024, 3, 11, 9, 0, 0, 0, vn).UTC()
	due := time.Date(2024, 3, 15, 9, 0, 0, 0, vn).UTC()
	d := lifecycleDossier(StatusReceived, wed.Add(-48*time.Hour))
	d.DueAt = due

	_, err := d.RequestSupplement(TransitionInput{At: wed, Actor: "cb1", Note: "Bổ sung tờ khai", Calendar: cal}, []string{"xx"})
	wantErrCode(t, err, "unknown_component")
	_, err = d.RequestSupplement(TransitionInput{At: wed, Actor: "cb1", Note: "", Calendar: cal}, []string{"tk"})
	wantErrCode(t, err, "reason_required")
	if d.Status != StatusReceived || len(d.Supplements) != 0 {
		t.Fatalf("a refused request changed the dossier: %+v", d)
	}
	u, err := d.RequestSupplement(TransitionInput{At: wed, Actor: "cb1", Note: " Bổ sung tờ khai ", Calendar: cal}, []string{"tk", "tk", " pl"})
	if err != nil {
		t.Fatal(err)
	}
	stored(d, u)
	req := d.Supplement()
	if u.To != StatusSupplement || u.Supplement == nil || u.Supplement.Seq != 1 || req.Reason != "Bổ sung tờ khai" ||
		!slices.Equal(req.Components, []string{"tk", "pl"}) || req.From != StatusReceived || !req.Open() || req.RequestedBy != "cb1" {
		t.Fatalf("request = %+v, update %+v", req, u)
	}
	if req.Names("other") || !req.Names("pl") {
		t.Fatal("Names")
	}

	u, err = d.AnswerSupplement(TransitionInput{At: mon, Actor: "person:1", Calendar: cal}, "person:1:k")
	if err != nil {
		t.Fatal(err)
	}
	// Wednesday to Monday: three working days waited, due Wednesday 20/03.
	if want := time.Date(2024, 3, 20, 9, 0, 0, 0, vn).UTC(); u.To != StatusReceived || !u.DueAt.Equal(want) || !d.DueAt.Equal(want) {
		t.Fatalf("answer: to %d due %v, want 2 and %v", u.To, u.DueAt, want)
	}
	if a := u.Supplement; a == nil || a.Seq != 1 || !a.AnsweredAt.Equal(mon) || a.AnsweredBy != "person:1" || a.AnswerKey != "person:1:k" ||
		d.Supplement().Open() {
		t.Fatalf("answered = %+v", u.Supplement)
	}
	stored(d, u)
	_, err = d.AnswerSupplement(TransitionInput{At: mon, Actor: "person:1", Calendar: cal}, "")
	wantErrCode(t, err, "not_awaiting_supplement")
	if !IsKind(err, ECONFLICT) {
		t.Fatalf("kind of %v", err)
	}
}

// Before receipt the answer returns the dossier to 1 (the desk receives
// it then); officers are not offered that move.
func TestSupplementBeforeReceiptReturnsToNew(t *testing.T) {
	at := time.Date(2024, 3, 4, 3, 0, 0, 0, time.UTC)
	d := lifecycleDossier(StatusRegistered, time.Time{})
	u, err := d.RequestSupplement(TransitionInput{At: at, Actor: "cb1", Note: "Thiếu tờ khai"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	stored(d, u)
	for _, c := range d.Choices() {
		if c.To == StatusRegistered {
			t.Fatal("officers are offered 5 → 1")
		}
	}
	u, err = d.AnswerSupplement(TransitionInput{At: at.Add(time.Hour), Actor: "person:1"}, "")
	if err != nil || u.To != StatusRegistered || d.Status != StatusRegistered || !d.ReceivedAt.IsZero() {
		t.Fatalf("answer before receipt: %+v %v", u, err)
	}
}

// At the counter the desk moves the dossier out of 5 itself: that answers
// the request; a refusal does not.
func TestSupplementAnsweredAtCounter(t *testing.T) {
	at := time.Date(2024, 3, 4, 3, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		to       DossierStatus
		answered bool
	}{{StatusReceived, true}, {StatusRejected, false}} {
		d := lifecycleDossier(StatusReceived, at.Add(-time.Hour))
		u, err := d.RequestSupplement(TransitionInput{At: at, Actor: "cb1", Note: "Thiếu tờ khai"}, []string{"tk"})
		if err != nil {
			t.Fatal(err)
		}
		stored(d, u)
		u, err = d.Transition(c.to, TransitionInput{At: at.Add(time.Hour), Actor: "cb2", Note: "Không bổ sung đúng hạn"})
		if err != nil {
			t.Fatal(err)
		}
		if got := u.Supplement != nil && u.Supplement.AnsweredBy == "cb2" && !d.Supplement().Open(); got != c.answered {
			t.Errorf("to %d: answered %t, want %t (%+v)", c.to, got, c.answered, u.Supplement)
		}
	}
}

// Withdrawal: only before processing, with a reason.
func TestWithdraw(t *testing.T) {
	at := time.Date(2024, 3, 4, 3, 0, 0, 0, time.UTC)
	for s := StatusRegistered; s <= StatusResultsReturned; s++ {
		d := lifecycleDossier(s, at.Add(-time.Hour))
		want := s == StatusRegistered || s == StatusReceived || s == StatusSupplement
		if d.Withdrawable() != want {
			t.Errorf("status %d withdrawable = %t", s, !want)
		}
		u, err := d.Withdraw(TransitionInput{At: at, Actor: "person:1", Note: "Không còn nhu cầu"})
		if want && (err != nil || u.To != StatusWithdrawn || !u.FinishedAt.Equal(at)) {
			t.Errorf("withdraw from %d: %+v %v", s, u, err)
		}
		if !want {
			wantErrCode(t, err, "not_withdrawable")
		}
	}
	_, err := lifecycleDossier(StatusRegistered, time.Time{}).Withdraw(TransitionInput{At: at, Note: " ab "})
	wantErrCode(t, err, "reason_required")
}

func wantErrCode(t *testing.T, err error, code string) {
	t.Helper()
	if ErrorCode(err) != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
}
