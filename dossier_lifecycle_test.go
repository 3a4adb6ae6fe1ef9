package motcua_test

import (
	"testing"

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
		{StatusResultsReturned, StatusProcessing, false},
		{StatusRejected, StatusReceived, false},
	} {
		if got := CanTransition(c.from, c.to); got != c.want {
			t.Errorf("%s → %s = %t, want %t", c.from.Label(), c.to.Label(), got, c.want)
		}
	}
	if allowed != 21 {
		t.Errorf("%d allowed transitions, want 21 (table changed?)", allowed)
	}
}

func TestCheckTransition(t *testing.T) {
	requireInvalid(t, CheckTransition(StatusRegistered, StatusDone, ""), "status", "invalid_transition")
	requireInvalid(t, CheckTransition(StatusRegistered, StatusRejected, "  "), "note", "reason_required")
	requireInvalid(t, CheckTransition(StatusProcessing, StatusStopped, "abc"), "note", "reason_required")
	if err := CheckTransition(StatusRegistered, StatusRejected, "Hồ sơ không thuộc thẩm quyền"); err != nil {
		t.Fatal(err)
	}
	if err := CheckTransition(StatusRegistered, StatusReceived, ""); err != nil {
		t.Fatal(err)
	}
}
