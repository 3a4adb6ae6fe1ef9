package motcua

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"strconv"
	"strings"
	"time"
)

// AuditEvent records who did what to which document or dossier, when and
// from where. Audit events are append-only: no store method changes or
// deletes one.
type AuditEvent struct {
	ID         string
	At         time.Time
	ActorKind  string // citizen | officer | integrator | system
	ActorID    string
	AgencyCode string // the actor's agency, when an officer
	Action     string // e.g. document.read, document.create, dossier.submit
	ObjectKind string // document | dossier | subject | ...
	ObjectID   string
	// SubjectCode is whose personal data was touched, so that an owner can
	// see every read of their documents ("who used my data").
	SubjectCode string
	DossierID   string
	RemoteAddr  string
	Detail      string
}

// Validate checks the event's required fields.
func (e *AuditEvent) Validate() error {
	if strings.TrimSpace(e.ActorKind) == "" {
		return Invalid("actor_kind", "required", "Nhật ký thiếu loại người thực hiện.")
	}
	if strings.TrimSpace(e.Action) == "" {
		return Invalid("action", "required", "Nhật ký thiếu hành động.")
	}
	if strings.TrimSpace(e.ObjectKind) == "" || strings.TrimSpace(e.ObjectID) == "" {
		return Invalid("object", "required", "Nhật ký thiếu đối tượng.")
	}
	return nil
}

// AuditFilter selects audit events. Zero fields do not filter.
type AuditFilter struct {
	SubjectCode string
	ObjectKind  string
	ObjectID    string
	ActorID     string
	Since       time.Time
	Limit       int // default 100, at most 1000
}

// AuditAppender writes audit events.
type AuditAppender interface {
	// AppendAudit inserts the events, assigning ID and At when empty.
	// Several are written in one statement.
	AppendAudit(ctx context.Context, es ...*AuditEvent) error
}

// AuditStore is the append-only audit log.
//
// Events are sealed into a hash chain after they are appended: the sealer
// gives each event the next position of the chain and the hash
// AuditChainHash(previous event's hash, position, event). Appending stays a
// plain insert; the server seals in the background every second or so,
// and `motcua audit` on demand. Positions are handed out in the
// order events become visible to the sealer, not in the order they were
// inserted, so an event whose transaction commits late is sealed by a
// later pass instead of being skipped.
type AuditStore interface {
	AuditAppender
	// ListAudit returns matching events, newest first.
	ListAudit(ctx context.Context, f AuditFilter) ([]*AuditEvent, error)
	// SealAudit adds every committed event not yet in the hash chain to
	// it and returns how many it added. Concurrent calls, from this
	// process or another, take turns; appends never wait for a sealer.
	// Only trusted processes call it (the server's background sealer,
	// the command line); it has no permission check. Errors are EINTERNAL.
	SealAudit(ctx context.Context) (sealed int, err error)
	// VerifyAudit recomputes the whole chain and reports the first event
	// whose content, position or link to its predecessor no longer
	// matches: an event changed, removed or reordered after it was
	// sealed. A broken chain is a result (OK false), not an error; errors
	// are EINTERNAL. Changes to events not yet sealed are not detected.
	VerifyAudit(ctx context.Context) (AuditVerification, error)
}

// AuditVerification is the result of checking the audit hash chain.
type AuditVerification struct {
	OK       bool  `json:"ok"`
	Sealed   int64 `json:"sealed"`   // events in the chain
	Unsealed int64 `json:"unsealed"` // events appended but not yet sealed
	// HeadSeq and HeadHash are the last position verified and its hash:
	// the chain's head when OK. Recording them elsewhere (a log, a signed
	// report) lets a later check notice a chain rewritten from some event
	// onwards, which the chain alone cannot show.
	HeadSeq  int64  `json:"head_seq"`
	HeadHash string `json:"head_hash,omitempty"`
	// BrokenSeq is the chain position of the first event that fails the
	// check (0 when OK); BrokenID its id, when a row holds that position.
	BrokenSeq int64  `json:"broken_seq,omitempty"`
	BrokenID  string `json:"broken_id,omitempty"`
	Problem   string `json:"problem,omitempty"` // in English, for operators
}

// auditChainDomain separates this hash from any other SHA-256 of the
// same fields; a new encoding gets a new version.
const auditChainDomain = "motcua.audit-chain.v1"

// AuditChainHash returns the hex SHA-256 that seals e at position seq of
// the audit chain, prev being the hash of position seq-1 ("" for the
// first). Every field is length-prefixed, so that moving characters from
// one field to the next changes the hash. At counts in microseconds, the
// precision the stores keep.
func AuditChainHash(prev string, seq int64, e *AuditEvent) string {
	h := sha256.New()
	for _, f := range []string{auditChainDomain, prev, strconv.FormatInt(seq, 10), e.ID,
		strconv.FormatInt(e.At.UnixMicro(), 10), e.ActorKind, e.ActorID, e.AgencyCode, e.Action,
		e.ObjectKind, e.ObjectID, e.SubjectCode, e.DossierID, e.RemoteAddr, e.Detail} {
		writeField(h, f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeField(h hash.Hash, f string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(f)))
	h.Write(n[:])
	h.Write([]byte(f))
}
