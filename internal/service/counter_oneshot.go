package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/motcua/motcua"
)

// CounterReception is a whole counter reception in one request (the JSON
// API's POST /api/v1/agency/receptions, for integrators and kiosks): the
// counter's first form, what to take for each component, and an
// idempotency key. It runs the web desk's steps (Start, Attach, Scan,
// Receive) with their matches and rules.
type CounterReception struct {
	CounterStart
	Components []CounterComponent
	// IdempotencyKey, when set, makes a repeated request answer the
	// dossier the first one received (per officer).
	IdempotencyKey string
}

// CounterComponent is what the desk takes for one component: a document
// of the owner's warehouse (DocumentID) or the scan of the paper the
// applicant brought (Scan), exactly one of them. A component not listed
// keeps what the warehouse matching attached on its own, or is received
// on paper and scanned later.
type CounterComponent struct {
	Code       string
	DocumentID string
	Scan       *Upload
}

// ReceiveAtOnce receives a dossier at the counter in one step and
// reports whether it was created (false: the idempotent replay of an
// earlier request). The input is checked before anything is written;
// the identities, the warehouse matches and the receipt are the desk's
// (Start, Attach, Scan, Receive).
func (c *Counter) ReceiveAtOnce(ctx context.Context, p *motcua.Principal, in CounterReception) (*motcua.Dossier, bool, error) {
	if err := c.receptionist(ctx, p); err != nil {
		return nil, false, err
	}
	key, err := idempotencyKey(p, "counter:", in.IdempotencyKey)
	if err != nil {
		return nil, false, err
	}
	if key != "" {
		if d, err := c.s.store.GetDossierByIdempotencyKey(ctx, key); err == nil {
			return d, false, nil
		} else if !motcua.IsKind(err, motcua.ENOTFOUND) {
			return nil, false, err
		}
	}
	if err := c.checkComponents(ctx, in); err != nil {
		return nil, false, err
	}
	draft, err := c.Start(ctx, p, in.CounterStart)
	if err != nil {
		return nil, false, err
	}
	for i, comp := range in.Components {
		if comp.Scan != nil {
			_, err = c.Scan(ctx, p, draft.ID, comp.Code, *comp.Scan)
		} else {
			_, err = c.Attach(ctx, p, draft.ID, comp.Code, comp.DocumentID)
		}
		if err != nil {
			return nil, false, atComponent(i, err)
		}
	}
	d, err := c.receive(ctx, p, draft.ID, key)
	if motcua.IsKind(err, motcua.ECONFLICT) && key != "" {
		// A concurrent request with the same key won.
		if again, gerr := c.s.store.GetDossierByIdempotencyKey(ctx, key); gerr == nil {
			return again, false, nil
		}
	}
	return d, err == nil, err
}

// checkComponents refuses, before any draft is made, a component list
// that names no component of the procedure's case, names one twice, or
// gives neither or both of a document and a scan.
func (c *Counter) checkComponents(ctx context.Context, in CounterReception) error {
	proc, err := c.s.store.GetProcedure(ctx, in.ProcedureCode)
	if err != nil {
		return nil // Start says what is wrong with the procedure
	}
	if _, ok := proc.Case(in.CaseCode); !ok {
		return nil // and with the case
	}
	seen := map[string]bool{}
	for i, comp := range in.Components {
		field := fmt.Sprintf("components[%d]", i)
		code := strings.TrimSpace(comp.Code)
		switch {
		case code == "":
			return motcua.Invalid(field+".component", "required", "Vui lòng cho biết mã thành phần hồ sơ.")
		case seen[code]:
			return motcua.Invalid(field+".component", "duplicate_component", "Thành phần hồ sơ "+code+" được khai báo hai lần.")
		case (comp.DocumentID == "") == (comp.Scan == nil):
			return motcua.Invalid(field, "document_or_scan",
				"Mỗi thành phần hồ sơ lấy một giấy tờ từ kho (document_id) hoặc một bản quét (scan), không cả hai.")
		}
		if _, ok := proc.Component(in.CaseCode, code); !ok {
			return motcua.Invalid(field+".component", "unknown_component", "Thành phần hồ sơ "+code+" không thuộc thủ tục đã chọn.")
		}
		seen[code] = true
	}
	return nil
}

// atComponent names the component of a refused document or scan.
func atComponent(i int, err error) error {
	var e *motcua.Error
	if errors.As(err, &e) && e.Kind == motcua.EINVALID {
		field := fmt.Sprintf("components[%d]", i)
		if e.Field != "" {
			field += "." + e.Field
		}
		return &motcua.Error{Kind: e.Kind, Code: e.Code, Field: field, Message: e.Message}
	}
	return err
}
