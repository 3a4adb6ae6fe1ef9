package motcua

import (
	"context"
	"strings"
	"time"
)

// IdentityMethod is how a dossier's applicant was identified at reception.
type IdentityMethod string

const (
	// IdentityPopDB: the population database confirmed the identities.
	IdentityPopDB IdentityMethod = "popdb"
	// IdentityManual: the database could not be reached and the officer
	// compared the identities with the original papers ("Đối chiếu thủ
	// công với giấy tờ bản gốc"); the dossier carries the flag
	// "chưa đối chiếu CSDLQG về dân cư" until the database confirms them.
	IdentityManual IdentityMethod = "manual"
)

// RecheckState is where the automatic re-check of a manual verification
// stands.
type RecheckState string

const (
	RecheckNone     RecheckState = ""         // checked against the database at reception: nothing to re-check
	RecheckPending  RecheckState = "pending"  // waiting for the database to answer
	RecheckMatched  RecheckState = "matched"  // the database confirmed the identities: the flag is cleared
	RecheckMismatch RecheckState = "mismatch" // the database did not confirm them: an alert for the agency
)

// ManualVerification is the officer's record of a manual check: kept
// after the re-check, for the audit of who let a dossier in and why.
type ManualVerification struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"` // the officer's username
	Reason string    `json:"reason"`
}

// IdentityCheck is how and when a dossier's identities were checked,
// stored with the dossier, and the durable re-check job of a manual
// verification: a pending row is retried until the database answers.
type IdentityCheck struct {
	DossierID  string
	AgencyCode string // the receiving agency, whose officers see the alert
	Method     IdentityMethod
	CheckedAt  time.Time
	By         string // officer username, citizen actor id, or "system" for the re-check
	Manual     *ManualVerification
	Recheck    RecheckState
	// Attempts, NextAttemptAt and LastError are the re-check job's.
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	UpdatedAt     time.Time
}

// Unconfirmed reports whether the dossier shows the flag "chưa đối chiếu
// CSDLQG về dân cư": its identities were only compared by hand.
func (c *IdentityCheck) Unconfirmed() bool { return c != nil && c.Method == IdentityManual }

// VerifiesOwner reports whether the check confirms the dossier's owner
// against the population database (at reception, or later by the
// automatic re-check of a manual verification): the dossier's
// OwnerVerified fact (indicator 4.5) is then true. A manual or mismatched
// check confirms nothing, and takes nothing away either.
func (c *IdentityCheck) VerifiesOwner() bool { return c != nil && c.Method == IdentityPopDB }

// IdentityUnconfirmedLabel is the flag a manually verified dossier shows.
const IdentityUnconfirmedLabel = "Chưa đối chiếu CSDLQG về dân cư"

// MaxManualReason bounds the officer's reason for a manual verification.
const MaxManualReason = 500

// NewManualVerification checks an officer's manual verification: a
// reason is required, so that every dossier let in without the database
// says why.
func NewManualVerification(by, reason string, at time.Time) (*ManualVerification, error) {
	reason = strings.Join(strings.Fields(reason), " ")
	if reason == "" {
		return nil, Invalid("manual_reason", "manual_reason_required",
			"Vui lòng ghi lý do đối chiếu thủ công (ví dụ: CSDLQG về dân cư không kết nối được, đã đối chiếu với CCCD bản gốc).")
	}
	if len([]rune(reason)) > MaxManualReason {
		return nil, Invalid("manual_reason", "manual_reason_too_long", "Lý do đối chiếu thủ công dài quá 500 ký tự.")
	}
	return &ManualVerification{At: at, By: by, Reason: reason}, nil
}

// Confirmed is c after the database confirmed the identities at at: the
// method becomes popdb and the flag is cleared; the manual record stays.
func (c IdentityCheck) Confirmed(at time.Time) IdentityCheck {
	c.Method, c.CheckedAt, c.By, c.Recheck, c.LastError = IdentityPopDB, at, ActorSystem, RecheckMatched, ""
	c.NextAttemptAt = time.Time{}
	return c
}

// IdentityCheckFilter selects identity checks; empty fields match all.
type IdentityCheckFilter struct {
	AgencyCode string
	Recheck    RecheckState
	Limit      int
}

// IdentityCheckStore keeps how each dossier's identities were checked and
// the re-check jobs of manual verifications.
type IdentityCheckStore interface {
	// PutIdentityCheck inserts or replaces the check of c.DossierID.
	// EINVALID (unknown_dossier) when the dossier does not exist.
	PutIdentityCheck(ctx context.Context, c *IdentityCheck) error
	// GetIdentityCheck returns ENOTFOUND (identity_check_not_found) when
	// the dossier's check was not recorded (dossiers older than issue 16).
	GetIdentityCheck(ctx context.Context, dossierID string) (*IdentityCheck, error)
	// ClaimIdentityRechecks returns up to limit pending re-checks due at
	// now and moves their next attempt to now+lease, so that another
	// worker does not take them meanwhile.
	ClaimIdentityRechecks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*IdentityCheck, error)
	// ListIdentityChecks returns the checks f selects, most recently
	// updated first.
	ListIdentityChecks(ctx context.Context, f IdentityCheckFilter) ([]*IdentityCheck, error)
}
