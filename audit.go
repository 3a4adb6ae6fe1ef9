package motcua

import (
	"context"
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
type AuditStore interface {
	AuditAppender
	// ListAudit returns matching events, newest first.
	ListAudit(ctx context.Context, f AuditFilter) ([]*AuditEvent, error)
}
