package api

import (
	"net/http"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
)

// identityCheckJSON is how a dossier's identities were checked (issue 16):
// method "popdb" (the population database confirmed them) or "manual"
// (compared with the original papers while it was down: the flag "chưa
// đối chiếu CSDLQG về dân cư"), and the state of the automatic re-check.
type identityCheckJSON struct {
	Method      string    `json:"method"`
	CheckedAt   time.Time `json:"checked_at"`
	By          string    `json:"by"`
	Unconfirmed bool      `json:"unconfirmed"`
	Flag        string    `json:"flag,omitempty"`
	Recheck     string    `json:"recheck,omitempty"`
	// Manual is the officer's verification, kept after the re-check; the
	// agency's view only.
	Manual *manualVerificationJSON `json:"manual,omitempty"`
}

type manualVerificationJSON struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Reason string    `json:"reason"`
}

func toIdentityCheckJSON(c *motcua.IdentityCheck, agency bool) *identityCheckJSON {
	if c == nil {
		return nil
	}
	out := &identityCheckJSON{Method: string(c.Method), CheckedAt: c.CheckedAt, By: c.By, Unconfirmed: c.Unconfirmed(),
		Recheck: string(c.Recheck)}
	if c.Unconfirmed() {
		out.Flag = motcua.IdentityUnconfirmedLabel
	}
	if m := c.Manual; agency && m != nil {
		out.Manual = &manualVerificationJSON{At: m.At, By: m.By, Reason: m.Reason}
	}
	return out
}

// identityAlertJSON is one dossier whose manual verification the
// population database did not confirm.
type identityAlertJSON struct {
	DossierID string             `json:"dossier_id"`
	Code      string             `json:"code"`
	Identity  *identityCheckJSON `json:"identity_check"`
}

// identityAlerts lists the agency's dossiers whose re-check found a
// mismatch: GET /api/v1/agency/identity-alerts.
func (a *api) identityAlerts(w http.ResponseWriter, r *http.Request) {
	ds, err := a.cfg.Reception.IdentityAlerts(r.Context(), principal(r))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	items := make([]identityAlertJSON, 0, len(ds))
	for _, d := range ds {
		items = append(items, identityAlertJSON{DossierID: d.ID, Code: d.Code, Identity: toIdentityCheckJSON(d.IdentityCheck, true)})
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}
