package motcua

import (
	"fmt"
	"strings"
)

// transitions is the dossier state machine: for each status, the statuses
// it may move to. Forwarding between officers or agencies keeps status 4
// and is not a transition.
var transitions = map[DossierStatus][]DossierStatus{
	StatusRegistered:    {StatusReceived, StatusRejected, StatusSupplement, StatusWithdrawn},
	StatusReceived:      {StatusProcessing, StatusSupplement, StatusWithdrawn},
	StatusProcessing:    {StatusSupplement, StatusFinancialDuty, StatusStopped, StatusDone, StatusWithdrawn},
	StatusSupplement:    {StatusReceived, StatusProcessing, StatusRejected, StatusWithdrawn},
	StatusFinancialDuty: {StatusProcessing, StatusDone, StatusStopped},
	StatusStopped:       {StatusResultsReturned},
	StatusDone:          {StatusResultsReturned},
}

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

// CheckTransition returns EINVALID (invalid_transition) when from may not
// move to to, and EINVALID (reason_required) when the move needs a reason
// and note is blank.
func CheckTransition(from, to DossierStatus, note string) error {
	if !CanTransition(from, to) {
		return Invalid("status", "invalid_transition", fmt.Sprintf("Hồ sơ đang ở trạng thái “%s”, không thể chuyển sang “%s”.",
			from.Label(), to.Label()))
	}
	if NeedsReason(to) && len([]rune(strings.TrimSpace(note))) < 5 {
		return Invalid("note", "reason_required", fmt.Sprintf("Vui lòng nhập lý do (ít nhất 5 ký tự) khi chuyển hồ sơ sang “%s”.", to.Label()))
	}
	return nil
}
