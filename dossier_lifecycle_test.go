package motcua_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	. "github.com/motcua/motcua"
)

func TestTransitions(t *testing.T) {
	allowed := 0
	for from := StatusRegistered; from <= StatusResultsReturned; from++ {
		for to := StatusRegistered; to <= StatusResultsReturned; to++ {
			ok := CanTransition(from, to)
			if ok {
				allowed++
			}
			if from.Final() && ok {
				t.Errorf("final status %d moves to %d", from, to)
			}
			if from == to && ok {
				t.Errorf("status %d moves to itself", from)
			}
		}
	}
	for _, c := range []struct {
		from, to DossierStatus
		want     bool
	}{
		{StatusRegistered, StatusReceived, true},
		{StatusRegistered, StatusProcessing, false}, // must be received first
		{StatusReceived, StatusProcessing, true},
		{StatusReceived, StatusDone, false},
		{StatusProcessing, StatusDone, true},
		{StatusDone, StatusResultsReturned, true},
		{StatusProcessing, StatusResultsReturned, false}, // a result is made first
		{StatusSupplement, StatusReceived, true},
		{StatusSupplement, StatusRegistered, true}, // answered online before receipt
		{StatusResultsReturned, StatusProcessing, false},
		{StatusRejected, StatusReceived, false},
	} {
		if got := CanTransition(c.from, c.to); got != c.want {
			t.Errorf("%s → %s = %t, want %t", c.from.Label(), c.to.Label(), got, c.want)
		}
	}
	if allowed != 22 {
		t.Errorf("%d allowed transitions, want 22 (table changed?)", allowed)
	}
}

func TestCheckTransition(t *testing.T) {
	for _, c := range []struct {
		name        string
		from, to    DossierStatus
		note        string
		field, code string // empty: allowed
	}{
		{"not in the graph", StatusRegistered, StatusDone, "", "status", "invalid_transition"},
		{"refusal without a reason", StatusRegistered, StatusRejected, "  ", "note", "reason_required"},
		{"stop with a short reason", StatusProcessing, StatusStopped, "abc", "note", "reason_required"},
		{"supplement with a padded short reason", StatusReceived, StatusSupplement, "  abcd  ", "note", "reason_required"},
		{"note too long", StatusRegistered, StatusReceived, strings.Repeat("ă", MaxNote+1), "note", "too_long"},
		{"too long wins over the graph", StatusRegistered, StatusDone, strings.Repeat("ă", MaxNote+1), "note", "too_long"},
		{"refusal with a reason", StatusRegistered, StatusRejected, "Hồ sơ không thuộc thẩm quyền", "", ""},
		{"receipt needs no reason", StatusRegistered, StatusReceived, "", "", ""},
		{"longest note", StatusRegistered, StatusReceived, strings.Repeat("ă", MaxNote), "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckTransition(c.from, c.to, c.note)
			if c.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			requireInvalid(t, err, c.field, c.code)
		})
	}
}

// lifecycleDossier is a dossier in status s with one required component,
// digitized unless told otherwise.
func lifecycleDossier(s DossierStatus, received time.Time) *Dossier {
	return &Dossier{ID: "d1", CaseCode: "c1", Status: s, ReceivedAt: received,
		Components: []DossierComponent{{Code: "tk", Name: "Tờ khai", Required: true, Digitization: Digitized},
			{Code: "pl", Name: "Phụ lục", Digitization: NotDigitized}}}
}

func TestDossierTransitionGuards(t *testing.T) {
	at := time.Date(2024, 3, 4, 3, 0, 0, 0, time.UTC)
	signed := &DossierResult{Number: "1-2024", Signed: &File{Name: "kq.pdf"}}
	for _, c := range []struct {
		name        string
		d           func() *Dossier
		to          DossierStatus
		field, code string // empty: allowed
	}{
		{"graph", func() *Dossier { return lifecycleDossier(StatusRegistered, time.Time{}) }, StatusProcessing, "status", "invalid_transition"},
		{"reason", func() *Dossier { return lifecycleDossier(StatusRegistered, time.Time{}) }, StatusRejected, "note", "reason_required"},
		{"processing before receipt", func() *Dossier { return lifecycleDossier(StatusSupplement, time.Time{}) },
			StatusProcessing, "status", "not_received"},
		{"processing after receipt", func() *Dossier { return lifecycleDossier(StatusSupplement, at) }, StatusProcessing, "", ""},
		{"required component not digitized", func() *Dossier {
			d := lifecycleDossier(StatusReceived, at)
			d.Components[0].Digitization = NotDigitized
			return d
		}, StatusProcessing, "components", "components_not_digitized"},
		{"optional component not digitized", func() *Dossier { return lifecycleDossier(StatusReceived, at) }, StatusProcessing, "", ""},
		{"reused component counts", func() *Dossier {
			d := lifecycleDossier(StatusReceived, at)
			d.Components[0].Digitization = ReusedFromWarehouse
			return d
		}, StatusProcessing, "", ""},
		{"done without a signed result", func() *Dossier {
			d := lifecycleDossier(StatusProcessing, at)
			d.ResultExpected, d.Result = true, &DossierResult{Number: "1-2024"}
			return d
		}, StatusDone, "result", "e_result_required"},
		{"done with a signed result", func() *Dossier {
			d := lifecycleDossier(StatusFinancialDuty, at)
			d.ResultExpected, d.Result = true, signed
			return d
		}, StatusDone, "", ""},
		{"done without a result to issue", func() *Dossier { return lifecycleDossier(StatusProcessing, at) }, StatusDone, "", ""},
		{"returned without a result", func() *Dossier {
			d := lifecycleDossier(StatusDone, at)
			d.ResultExpected = true
			return d
		}, StatusResultsReturned, "result", "e_result_required"},
		{"returned with an e-result", func() *Dossier {
			d := lifecycleDossier(StatusDone, at)
			d.ResultExpected, d.ResultDocIDs = true, []string{"doc1"}
			return d
		}, StatusResultsReturned, "", ""},
		{"stopped dossier returned", func() *Dossier {
			d := lifecycleDossier(StatusStopped, at)
			d.ResultExpected = true
			return d
		}, StatusResultsReturned, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := c.d()
			before := *d
			_, err := d.Transition(c.to, TransitionInput{At: at.Add(time.Hour), Actor: "cb1"})
			if c.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if d.Status != c.to {
					t.Fatalf("status = %d, want %d", d.Status, c.to)
				}
				return
			}
			requireInvalid(t, err, c.field, c.code)
			if d.Status != before.Status || !d.ReceivedAt.Equal(before.ReceivedAt) || !d.FinishedAt.IsZero() || !d.DueAt.Equal(before.DueAt) {
				t.Fatalf("refused move changed the dossier: %+v", d)
			}
		})
	}
	d := lifecycleDossier(StatusReceived, at)
	d.Components[0].Digitization = NotDigitized
	_, err := d.Transition(StatusProcessing, TransitionInput{At: at})
	if msg := ErrorMessage(err); !strings.Contains(msg, "Tờ khai") || strings.Contains(msg, "Phụ lục") {
		t.Fatalf("message %q should name the required component only", msg)
	}
}

func TestDossierTransitionDates(t *testing.T) {
	cal := NewCalendar(nil, nil) // weekends only
	vn := VietnamLocation()
	proc := &Procedure{Cases: []ProcedureCase{{Code: "c1", ProcessingDays: 5}}}
	mon := time.Date(2024, 3, 4, 9, 0, 0, 0, vn).UTC()
	earlier := mon.Add(-24 * time.Hour)
	due := time.Date(2024, 3, 15, 9, 0, 0, 0, vn).UTC()
	for _, c := range []struct {
		name string
		d    func() *Dossier
		to   DossierStatus
		proc *Procedure
		// want: the update's dates (zero: not set)
		due, received, finished time.Time
		by                      string
	}{
		{"receipt sets the dates and the due date", func() *Dossier { return lifecycleDossier(StatusRegistered, time.Time{}) },
			StatusReceived, proc, time.Date(2024, 3, 11, 9, 0, 0, 0, vn).UTC(), mon, time.Time{}, "cb1"},
		{"receipt of an unknown case: due the same day", func() *Dossier {
			d := lifecycleDossier(StatusRegistered, time.Time{})
			d.CaseCode = "other"
			return d
		}, StatusReceived, proc, mon, mon, time.Time{}, "cb1"},
		{"receipt without a procedure", func() *Dossier { return lifecycleDossier(StatusRegistered, time.Time{}) },
			StatusReceived, nil, mon, mon, time.Time{}, "cb1"},
		{"supplement received again: clock moves on, receipt kept", func() *Dossier {
			d := lifecycleDossier(StatusSupplement, earlier)
			d.ReceivedBy, d.DueAt = "cb0", due
			d.StatusHistory = []StatusChange{{From: StatusReceived, To: StatusSupplement, At: time.Date(2024, 2, 26, 15, 0, 0, 0, vn).UTC()}}
			return d
		}, StatusReceived, proc, time.Date(2024, 3, 22, 9, 0, 0, 0, vn).UTC(), time.Time{}, time.Time{}, ""},
		{"supplement to processing: the last request counts", func() *Dossier {
			d := lifecycleDossier(StatusSupplement, earlier)
			d.DueAt = due
			d.StatusHistory = []StatusChange{
				{From: StatusReceived, To: StatusSupplement, At: time.Date(2024, 2, 20, 9, 0, 0, 0, vn).UTC()},
				{From: StatusSupplement, To: StatusReceived, At: time.Date(2024, 2, 21, 9, 0, 0, 0, vn).UTC()},
				{From: StatusReceived, To: StatusSupplement, At: time.Date(2024, 3, 1, 9, 0, 0, 0, vn).UTC()}, // a Friday
			}
			return d
		}, StatusProcessing, proc, time.Date(2024, 3, 18, 9, 0, 0, 0, vn).UTC(), time.Time{}, time.Time{}, ""},
		{"supplement without a due date keeps none", func() *Dossier { return lifecycleDossier(StatusSupplement, earlier) },
			StatusProcessing, proc, time.Time{}, time.Time{}, time.Time{}, ""},
		{"refusal finishes", func() *Dossier { return lifecycleDossier(StatusRegistered, time.Time{}) },
			StatusRejected, proc, time.Time{}, time.Time{}, mon, ""},
		{"withdrawal finishes", func() *Dossier { return lifecycleDossier(StatusProcessing, earlier) },
			StatusWithdrawn, proc, time.Time{}, time.Time{}, mon, ""},
		{"done finishes", func() *Dossier { return lifecycleDossier(StatusProcessing, earlier) },
			StatusDone, proc, time.Time{}, time.Time{}, mon, ""},
		{"returning keeps the finish date", func() *Dossier {
			d := lifecycleDossier(StatusDone, earlier)
			d.FinishedAt = earlier
			return d
		}, StatusResultsReturned, proc, time.Time{}, time.Time{}, time.Time{}, ""},
		{"stopped is not finished", func() *Dossier { return lifecycleDossier(StatusProcessing, earlier) },
			StatusStopped, proc, time.Time{}, time.Time{}, time.Time{}, ""},
		{"returning a stopped dossier finishes it", func() *Dossier { return lifecycleDossier(StatusStopped, earlier) },
			StatusResultsReturned, proc, time.Time{}, time.Time{}, mon, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := c.d()
			before := *d
			u, err := d.Transition(c.to, TransitionInput{At: mon, Actor: "cb1", Note: "  Lý do đầy đủ  ", Calendar: cal, Procedure: c.proc})
			if err != nil {
				t.Fatal(err)
			}
			if u.DossierID != "d1" || u.From != before.Status || u.To != c.to || !u.At.Equal(mon) || u.Actor != "cb1" || u.Note != "Lý do đầy đủ" {
				t.Fatalf("update = %+v", u)
			}
			if !u.DueAt.Equal(c.due) || !u.ReceivedAt.Equal(c.received) || !u.FinishedAt.Equal(c.finished) || u.ReceivedBy != c.by {
				t.Fatalf("update due %v received %v by %q finished %v, want %v %v %q %v",
					u.DueAt, u.ReceivedAt, u.ReceivedBy, u.FinishedAt, c.due, c.received, c.by, c.finished)
			}
			// The dossier given holds what is stored.
			want := before
			want.Status = c.to
			if !c.due.IsZero() {
				want.DueAt = c.due
			}
			if !c.received.IsZero() {
				want.ReceivedAt, want.ReceivedBy = c.received, c.by
			}
			if !c.finished.IsZero() {
				want.FinishedAt = c.finished
			}
			if d.Status != want.Status || !d.DueAt.Equal(want.DueAt) || !d.ReceivedAt.Equal(want.ReceivedAt) ||
				d.ReceivedBy != want.ReceivedBy || !d.FinishedAt.Equal(want.FinishedAt) {
				t.Fatalf("dossier = %+v, want %+v", d, want)
			}
		})
	}
}

// Finished is the one definition of a finished dossier: exactly the
// statuses whose transition sets the finish date.
func TestFinished(t *testing.T) {
	at := time.Date(2024, 3, 4, 3, 0, 0, 0, time.UTC)
	finishing := map[DossierStatus]bool{}
	for from := StatusRegistered; from <= StatusResultsReturned; from++ {
		for to := StatusRegistered; to <= StatusResultsReturned; to++ {
			if !CanTransition(from, to) {
				continue
			}
			d := lifecycleDossier(from, at)
			u, err := d.Transition(to, TransitionInput{At: at, Note: "Lý do đầy đủ"})
			if err != nil {
				t.Fatalf("%d → %d: %v", from, to, err)
			}
			finishing[to] = !u.FinishedAt.IsZero()
		}
	}
	for s := StatusRegistered; s <= StatusResultsReturned; s++ {
		if s == StatusRegistered {
			continue // nothing moves back to registered
		}
		if s.Finished() != finishing[s] {
			t.Errorf("%s: Finished() = %t, transition sets the finish date: %t", s.Label(), s.Finished(), finishing[s])
		}
	}
	for _, c := range []struct {
		s                     DossierStatus
		finished, open, final bool
	}{
		{StatusRegistered, false, true, false},
		{StatusReceived, false, true, false},
		{StatusRejected, true, false, true},
		{StatusProcessing, false, true, false},
		{StatusSupplement, false, true, false},
		{StatusFinancialDuty, false, true, false},
		{StatusWithdrawn, true, false, true},
		{StatusStopped, false, false, false},
		{StatusDone, true, false, false},
		{StatusResultsReturned, true, false, true},
		{0, false, false, false},
		{11, false, false, false},
	} {
		if c.s.Finished() != c.finished || c.s.Open() != c.open || c.s.Final() != c.final {
			t.Errorf("%d: finished %t open %t final %t, want %t %t %t", c.s, c.s.Finished(), c.s.Open(), c.s.Final(),
				c.finished, c.open, c.final)
		}
	}
}

func TestDossierChoices(t *testing.T) {
	for _, c := range []struct {
		s              DossierStatus
		resultExpected bool
		want           []Choice
	}{
		{StatusRegistered, false, []Choice{{StatusReceived, false}, {StatusRejected, true}, {StatusSupplement, true}, {StatusWithdrawn, false}}},
		{StatusReceived, false, []Choice{{StatusProcessing, false}, {StatusSupplement, true}, {StatusWithdrawn, false}}},
		{StatusProcessing, false, []Choice{{StatusSupplement, true}, {StatusFinancialDuty, false}, {StatusWithdrawn, false},
			{StatusStopped, true}, {StatusDone, false}}},
		// A result is finished by the leader's signature, not a button.
		{StatusProcessing, true, []Choice{{StatusSupplement, true}, {StatusFinancialDuty, false}, {StatusWithdrawn, false},
			{StatusStopped, true}}},
		{StatusFinancialDuty, true, []Choice{{StatusProcessing, false}, {StatusStopped, true}}},
		{StatusDone, true, []Choice{{StatusResultsReturned, false}}},
		{StatusStopped, false, []Choice{{StatusResultsReturned, false}}},
		{StatusResultsReturned, false, nil},
		{StatusRejected, false, nil},
	} {
		d := &Dossier{Status: c.s, ResultExpected: c.resultExpected}
		if got := d.Choices(); !slices.Equal(got, c.want) {
			t.Errorf("%s (result %t): choices %v, want %v", c.s.Label(), c.resultExpected, got, c.want)
		}
		for _, ch := range d.Choices() {
			if !CanTransition(c.s, ch.To) || ch.Reason != NeedsReason(ch.To) {
				t.Errorf("%s: choice %+v disagrees with the graph", c.s.Label(), ch)
			}
		}
	}
}

func TestDossierIssuesResult(t *testing.T) {
	signed := &DossierResult{Signed: &File{Name: "kq.pdf"}}
	for _, c := range []struct {
		name string
		d    Dossier
		to   DossierStatus
		want bool
	}{
		{"signed, not issued", Dossier{Status: StatusDone, ResultExpected: true, Result: signed}, StatusResultsReturned, true},
		{"already issued", Dossier{Status: StatusDone, ResultExpected: true, Result: signed, ResultDocIDs: []string{"x"}}, StatusResultsReturned, false},
		{"not signed", Dossier{Status: StatusDone, ResultExpected: true, Result: &DossierResult{}}, StatusResultsReturned, false},
		{"no result expected", Dossier{Status: StatusDone, Result: signed}, StatusResultsReturned, false},
		{"stopped", Dossier{Status: StatusStopped, ResultExpected: true, Result: signed}, StatusResultsReturned, false},
		{"other move", Dossier{Status: StatusDone, ResultExpected: true, Result: signed}, StatusWithdrawn, false},
	} {
		if got := c.d.IssuesResult(c.to); got != c.want {
			t.Errorf("%s: %t, want %t", c.name, got, c.want)
		}
	}
}
