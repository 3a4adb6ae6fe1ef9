package motcua

import (
	"slices"
	"strings"
)

// Why a warehouse document does not match a component although its
// category does.
const (
	UnmatchedExpired = "expired" // past its validity
	UnmatchedHidden  = "hidden"  // the owner hid it
	UnmatchedStatus  = "status"  // revoked, superseded or under feedback
	// UnmatchedWithdrawn: the owner withdrew it; it is not mentioned.
	UnmatchedWithdrawn = "withdrawn"
)

// Unusability is why warehouse document d cannot be attached to a dossier
// on day, "" when it can: valid, visible and not expired. Whose it is and
// its category are the caller's rules (MatchComponent, or the owner's
// own pick from the whole warehouse, which any component may take).
func Unusability(d *Document, day Date) string {
	switch {
	case d.Status == DocumentWithdrawn:
		return UnmatchedWithdrawn
	case d.Status != DocumentValid:
		return UnmatchedStatus
	case !d.Visible:
		return UnmatchedHidden
	case !d.Usable(day):
		return UnmatchedExpired
	}
	return ""
}

// Unmatched is a document of an accepted category that cannot be used,
// with the reason, so that the owner is told ("your judicial record has
// expired") instead of seeing nothing.
type Unmatched struct {
	Document *Document
	Reason   string
}

// ComponentMatch is what the owner's warehouse offers for one dossier
// component.
type ComponentMatch struct {
	Component ProcedureComponent
	// Auto is set when exactly one document matches: it is attached
	// automatically.
	Auto *Document
	// Suggestions lists the matching documents, newest first, when there
	// are several: the applicant picks one ("Lấy từ kho").
	Suggestions []*Document
	// Unusable lists documents of an accepted category that cannot be used.
	Unusable []Unmatched
}

// Matches reports whether any document can be used.
func (m ComponentMatch) Matches() bool { return m.Auto != nil || len(m.Suggestions) > 0 }

// Candidates returns the usable documents: the automatic one or the
// suggestions.
func (m ComponentMatch) Candidates() []*Document {
	if m.Auto != nil {
		return []*Document{m.Auto}
	}
	return m.Suggestions
}

// Candidate returns the usable document with the given id, nil when the
// document is not one of the candidates.
func (m ComponentMatch) Candidate(id string) *Document {
	for _, d := range m.Candidates() {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// MatchComponent finds the owner's warehouse documents that satisfy a
// component on day: same owner, category among the component's accepted
// categories, status valid, visible, not expired; newest first. It never
// returns another subject's document.
func MatchComponent(comp ProcedureComponent, owner string, docs []*Document, day Date) ComponentMatch {
	m := ComponentMatch{Component: comp}
	var ok []*Document
	for _, d := range docs {
		if d == nil || d.OwnerCode != owner || owner == "" || !slices.Contains(comp.Categories, d.CategoryCode) {
			continue
		}
		switch reason := Unusability(d, day); reason {
		case "":
			ok = append(ok, d)
		case UnmatchedWithdrawn:
		default:
			m.Unusable = append(m.Unusable, Unmatched{d, reason})
		}
	}
	// The store may list documents in any order: sort both lists.
	slices.SortStableFunc(ok, newestFirst)
	slices.SortStableFunc(m.Unusable, func(a, b Unmatched) int { return newestFirst(a.Document, b.Document) })
	switch len(ok) {
	case 0:
	case 1:
		m.Auto = ok[0]
	default:
		m.Suggestions = ok
	}
	return m
}

// newestFirst orders by issue date, then by when the document was stored.
func newestFirst(a, b *Document) int {
	if c := compareDates(b.IssuedOn, a.IssuedOn); c != 0 {
		return c
	}
	if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
		return c
	}
	return strings.Compare(b.ID, a.ID)
}

func compareDates(a, b Date) int {
	switch {
	case a.Before(b):
		return -1
	case b.Before(a):
		return 1
	}
	return 0
}

// MatchProcedure matches every component of a procedure's case (see
// Procedure.ComponentsFor).
func MatchProcedure(p *Procedure, caseCode, owner string, docs []*Document, day Date) []ComponentMatch {
	comps := p.ComponentsFor(caseCode)
	out := make([]ComponentMatch, 0, len(comps))
	for _, c := range comps {
		out = append(out, MatchComponent(c, owner, docs, day))
	}
	return out
}

// DossierMayUse reports whether warehouse document d is one dossier dos
// (of procedure p) may use on day: a document attached to one of its
// components, or a document of its owner that one of its procedure's components
// would match (MatchComponent: accepted category, valid, visible, not expired).
// It is what an officer handling the dossier may read of the owner's
// warehouse; any other document is none of the dossier's business.
func DossierMayUse(dos *Dossier, p *Procedure, d *Document, day Date) bool {
	if dos == nil || d == nil {
		return false
	}
	for _, c := range dos.Components {
		for _, a := range c.Attachments {
			if a.DocumentID != "" && a.DocumentID == d.ID {
				return true
			}
		}
	}
	if p == nil || d.OwnerCode != dos.Owner.Code {
		return false
	}
	for _, pc := range p.ComponentsFor(dos.CaseCode) {
		if MatchComponent(pc, dos.Owner.Code, []*Document{d}, day).Candidate(d.ID) != nil {
			return true
		}
	}
	return false
}
