package groupcommit

import (
	"context"
	"time"

	"github.com/motcua/motcua"
)

// maxAuditBatch keeps one multi-row insert well under both backends'
// parameter limits (12 columns per event).
const maxAuditBatch = 256

// Audit appends audit events through a Batcher: concurrent callers share
// one insert and one commit.
type Audit struct {
	b *Batcher[*motcua.AuditEvent]
}

// NewAudit wraps the store's appender.
func NewAudit(a motcua.AuditAppender) *Audit {
	return &Audit{b: New(maxAuditBatch, func(ctx context.Context, es []*motcua.AuditEvent) error {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return a.AppendAudit(ctx, es...)
	})}
}

// AppendAudit implements motcua.AuditAppender.
func (a *Audit) AppendAudit(ctx context.Context, es ...*motcua.AuditEvent) error {
	if len(es) != 1 {
		// Callers with several events already write them together.
		for _, e := range es {
			if err := a.b.Add(ctx, e); err != nil {
				return err
			}
		}
		return nil
	}
	return a.b.Add(ctx, es[0])
}
