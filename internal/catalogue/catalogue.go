package catalogue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/motcua/motcua"
)

// Export reads the whole catalogue from s. Run it in a transaction
// (Store.InTx) for a consistent snapshot while others write.
func Export(ctx context.Context, s motcua.Store) (*Document, error) {
	d := &Document{Format: Format, Agencies: []Agency{}, Categories: []Category{}, Procedures: []Procedure{}}
	agencies, err := s.ListAgencies(ctx, motcua.AgencyFilter{})
	if err != nil {
		return nil, fmt.Errorf("export agencies: %w", err)
	}
	for _, a := range agencies {
		d.Agencies = append(d.Agencies, agencyOf(a))
	}
	cats, err := s.ListCategories(ctx)
	if err != nil {
		return nil, fmt.Errorf("export categories: %w", err)
	}
	for _, c := range cats {
		d.Categories = append(d.Categories, categoryOf(c))
	}
	procs, err := s.ListProcedures(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("export procedures: %w", err)
	}
	for _, p := range procs {
		d.Procedures = append(d.Procedures, procedureOf(p))
	}
	d.sort()
	return d, nil
}

// Counts is what an import did to one kind of entity.
type Counts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Changed reports whether anything was created or updated.
func (c Counts) Changed() bool { return c.Created+c.Updated > 0 }

// Result summarises an import; the code lists name what was created or
// updated, in document order.
type Result struct {
	DryRun     bool   `json:"dry_run"`
	Agencies   Counts `json:"agencies"`
	Categories Counts `json:"categories"`
	Procedures Counts `json:"procedures"`

	Created []string `json:"created"`
	Updated []string `json:"updated"`
}

// Changed reports whether the import changed (or, dry, would change)
// anything.
func (r *Result) Changed() bool {
	return r.Agencies.Changed() || r.Categories.Changed() || r.Procedures.Changed()
}

// Options tune Import.
type Options struct {
	// DryRun validates and computes the summary, writing nothing.
	DryRun bool
	// Audit, when not nil, is who imports (ActorKind, ActorID,
	// AgencyCode, RemoteAddr): every created or updated entity and the
	// import itself are then audited in the import's transaction.
	Audit *motcua.AuditEvent
}

var errDryRun = errors.New("dry run")

// Import creates or updates, by code, every entity of d, in one
// transaction of s: all or nothing. Entities the document does not
// mention are left as they are. A procedure that changes gets a new
// version (drafts and dossiers keep theirs); an unchanged entity is not
// written, so that importing the same document twice changes nothing the
// second time.
//
// A refused document returns a *ValidationError listing every problem;
// nothing is written. The check runs inside the transaction, against the
// catalogue the transaction sees.
func Import(ctx context.Context, s motcua.Store, d *Document, opt Options) (*Result, error) {
	var res *Result
	err := s.InTx(ctx, func(tx motcua.Store) error {
		var err error
		var events []*motcua.AuditEvent
		res, events, err = apply(ctx, tx, d)
		if err != nil {
			return err
		}
		if opt.Audit != nil {
			if err := audit(ctx, tx, *opt.Audit, res, events); err != nil {
				return err
			}
		}
		if opt.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		res.DryRun = true
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// apply validates d against the catalogue tx sees and writes it; the
// events describe each change, for the audit log.
func apply(ctx context.Context, tx motcua.Store, d *Document) (*Result, []*motcua.AuditEvent, error) {
	agencies, err := tx.ListAgencies(ctx, motcua.AgencyFilter{})
	if err != nil {
		return nil, nil, err
	}
	cats, err := tx.ListCategories(ctx)
	if err != nil {
		return nil, nil, err
	}
	procs, err := tx.ListProcedures(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	storedAgencies := make(map[string]*motcua.Agency, len(agencies))
	parents := make(map[string]string, len(agencies))
	desks := make(map[string]string, len(agencies))
	for _, a := range agencies {
		storedAgencies[a.Code] = a
		parents[a.Code] = a.ParentCode
		desks[a.Code] = a.ReceptionDesk
	}
	storedCats := make(map[string]*motcua.DocumentCategory, len(cats))
	catCodes := make(map[string]bool, len(cats))
	for _, c := range cats {
		storedCats[c.Code] = c
		catCodes[c.Code] = true
	}
	storedProcs := make(map[string]*motcua.Procedure, len(procs))
	for _, p := range procs {
		storedProcs[p.Code] = p
	}

	if problems := validate(d, parents, desks, catCodes); len(problems) > 0 {
		return nil, nil, &ValidationError{Problems: problems}
	}
	// The domain's own rules, as a last check: a problem here is one the
	// checks above missed, reported at the entity's path.
	var problems []Problem
	for i, a := range d.Agencies {
		v := a.domain()
		if err := v.Validate(); err != nil {
			problems = append(problems, domainProblem(fmt.Sprintf("agencies[%d]", i), err))
		}
	}
	for i, c := range d.Categories {
		v := c.domain()
		if err := v.Validate(); err != nil {
			problems = append(problems, domainProblem(fmt.Sprintf("categories[%d]", i), err))
		}
	}
	for i, p := range d.Procedures {
		v := p.domain()
		if err := v.Validate(); err != nil {
			problems = append(problems, domainProblem(fmt.Sprintf("procedures[%d]", i), err))
		}
	}
	if len(problems) > 0 {
		return nil, nil, &ValidationError{Problems: problems}
	}

	res := &Result{}
	var events []*motcua.AuditEvent
	event := func(kind, action, code string, before, after any) {
		detail, _ := json.Marshal(map[string]any{"before": before, "after": after})
		events = append(events, &motcua.AuditEvent{Action: "catalogue." + kind + "." + action, ObjectKind: kind, ObjectID: code,
			Detail: string(detail)})
	}
	for _, i := range parentsFirst(d.Agencies) {
		a := d.Agencies[i].domain()
		old, ok := storedAgencies[a.Code]
		switch {
		case !ok:
			if err := tx.CreateAgency(ctx, &a); err != nil {
				return nil, nil, fmt.Errorf("agencies[%d] %s: %w", i, a.Code, err)
			}
			res.Agencies.Created++
			res.Created = append(res.Created, a.Code)
			event("agency", "create", a.Code, nil, d.Agencies[i])
		case *old != a:
			if err := tx.UpdateAgency(ctx, &a); err != nil {
				return nil, nil, fmt.Errorf("agencies[%d] %s: %w", i, a.Code, err)
			}
			res.Agencies.Updated++
			res.Updated = append(res.Updated, a.Code)
			event("agency", "update", a.Code, agencyOf(old), d.Agencies[i])
		default:
			res.Agencies.Unchanged++
		}
	}
	for i, c := range d.Categories {
		v := c.domain()
		old, ok := storedCats[v.Code]
		switch {
		case !ok:
			if err := tx.CreateCategory(ctx, &v); err != nil {
				return nil, nil, fmt.Errorf("categories[%d] %s: %w", i, v.Code, err)
			}
			res.Categories.Created++
			res.Created = append(res.Created, v.Code)
			event("category", "create", v.Code, nil, c)
		case *old != v:
			if err := tx.UpdateCategory(ctx, &v); err != nil {
				return nil, nil, fmt.Errorf("categories[%d] %s: %w", i, v.Code, err)
			}
			res.Categories.Updated++
			res.Updated = append(res.Updated, v.Code)
			event("category", "update", v.Code, categoryOf(old), c)
		default:
			res.Categories.Unchanged++
		}
	}
	for i, p := range d.Procedures {
		v := p.domain()
		old, ok := storedProcs[v.Code]
		switch {
		case !ok:
			if err := tx.CreateProcedure(ctx, &v); err != nil {
				return nil, nil, fmt.Errorf("procedures[%d] %s: %w", i, v.Code, err)
			}
			res.Procedures.Created++
			res.Created = append(res.Created, v.Code)
			event("procedure", "create", v.Code, nil, map[string]int{"version": v.Version})
		case !reflect.DeepEqual(procedureOf(old), procedureOf(&v)):
			if err := tx.UpdateProcedure(ctx, &v); err != nil {
				return nil, nil, fmt.Errorf("procedures[%d] %s: %w", i, v.Code, err)
			}
			res.Procedures.Updated++
			res.Updated = append(res.Updated, v.Code)
			// Every version stays readable (GetProcedureVersion): the
			// event names them rather than copying them.
			event("procedure", "update", v.Code, map[string]int{"version": old.Version}, map[string]int{"version": v.Version})
		default:
			res.Procedures.Unchanged++
		}
	}
	return res, events, nil
}

// audit appends the events of the changes, then one for the import,
// stamped with who imports.
func audit(ctx context.Context, tx motcua.Store, who motcua.AuditEvent, res *Result, events []*motcua.AuditEvent) error {
	summary, _ := json.Marshal(map[string]Counts{"agencies": res.Agencies, "categories": res.Categories, "procedures": res.Procedures})
	events = append(events, &motcua.AuditEvent{Action: "catalogue.import", ObjectKind: "catalogue", ObjectID: Format, Detail: string(summary)})
	for _, e := range events {
		e.ActorKind, e.ActorID, e.AgencyCode, e.RemoteAddr = who.ActorKind, who.ActorID, who.AgencyCode, who.RemoteAddr
	}
	// Bounded statements: a province's first import audits thousands.
	for chunk := range slices.Chunk(events, 500) {
		if err := tx.AppendAudit(ctx, chunk...); err != nil {
			return fmt.Errorf("audit the catalogue import: %w", err)
		}
	}
	return nil
}

func domainProblem(path string, err error) Problem {
	var e *motcua.Error
	if errors.As(err, &e) && e.Field != "" {
		path += "." + e.Field
	}
	return Problem{Path: path, Reason: motcua.ErrorMessage(err)}
}

// parentsFirst orders the document's agencies so that a parent or a
// reception desk the document creates comes before the agencies naming
// it; validate has ruled out cycles (a desk has no desk of its own).
func parentsFirst(as []Agency) []int {
	index := make(map[string]int, len(as))
	for i, a := range as {
		index[a.Code] = i
	}
	done := make([]bool, len(as))
	order := make([]int, 0, len(as))
	var visit func(i int)
	visit = func(i int) {
		if done[i] {
			return
		}
		done[i] = true
		if j, ok := index[as[i].Parent]; ok && as[i].Parent != "" {
			visit(j)
		}
		if j, ok := index[as[i].ReceptionDesk]; ok && as[i].ReceptionDesk != "" {
			visit(j)
		}
		order = append(order, i)
	}
	for i := range as {
		visit(i)
	}
	return order
}
