// Package procsearch is the public search of the procedure catalogue
// (/thu-tuc): an in-memory index of the current procedures with their
// text folded once (motcua.FoldText), so that a search over a province's
// 2,000 procedures neither reads the database nor folds the catalogue on
// every request. Catalogue keeps the index current against the store's
// CatalogueStamp.
package procsearch

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/motcua/motcua"
)

// DefaultPerPage is the page size when a query gives none.
const DefaultPerPage = 20

// MaxPerPage bounds a page, whatever the query asks.
const MaxPerPage = 100

// Index is an immutable search index of the catalogue. The procedures it
// returns are shared by every reader: callers must not modify them.
type Index struct {
	stamp  string
	procs  []*motcua.Procedure // ordered by code
	text   []string            // folded name, code, field, levels and online level of each procedure
	name   []string            // folded name of each procedure
	field  []string            // folded field of each procedure
	fields []string            // distinct fields, in Vietnamese order of their folded form

	agencies   []*motcua.Agency // ordered by code
	agencyIdx  map[string]int
	agencyText []string         // folded agency names
	agencyProc [][]int32        // procedures each agency handles
	handling   []*motcua.Agency // agencies that handle at least one procedure
}

// Build indexes the current procedures and the agencies. stamp is the
// catalogue stamp they were read at (see motcua.ProcedureStore).
func Build(stamp string, procs []*motcua.Procedure, agencies []*motcua.Agency) *Index {
	ix := &Index{stamp: stamp, procs: slices.Clone(procs), agencies: slices.Clone(agencies), agencyIdx: make(map[string]int, len(agencies))}
	slices.SortFunc(ix.procs, func(a, b *motcua.Procedure) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(ix.agencies, func(a, b *motcua.Agency) int { return strings.Compare(a.Code, b.Code) })
	ix.agencyText = make([]string, len(ix.agencies))
	ix.agencyProc = make([][]int32, len(ix.agencies))
	for i, a := range ix.agencies {
		ix.agencyIdx[a.Code] = i
		ix.agencyText[i] = motcua.FoldText(a.Name)
	}
	ix.text = make([]string, len(ix.procs))
	ix.name = make([]string, len(ix.procs))
	ix.field = make([]string, len(ix.procs))
	seenField := map[string]string{}
	var b strings.Builder
	for i, p := range ix.procs {
		b.Reset()
		b.WriteString(p.Name)
		b.WriteString(" | ")
		b.WriteString(p.Code)
		b.WriteString(" | ")
		b.WriteString(p.Field)
		for _, l := range p.Levels {
			b.WriteString(" | ")
			b.WriteString(l.Label())
		}
		if p.OnlineLevel != motcua.OnlineNone {
			b.WriteString(" | ")
			b.WriteString(p.OnlineLevel.Label())
		}
		ix.text[i] = motcua.FoldText(b.String())
		ix.name[i] = motcua.FoldText(p.Name)
		ix.field[i] = motcua.FoldText(p.Field)
		if p.Field != "" {
			if _, ok := seenField[ix.field[i]]; !ok {
				seenField[ix.field[i]] = p.Field
			}
		}
		for _, code := range p.AgencyCodes {
			if j, ok := ix.agencyIdx[code]; ok {
				ix.agencyProc[j] = append(ix.agencyProc[j], int32(i))
			}
		}
	}
	for i, a := range ix.agencies {
		if len(ix.agencyProc[i]) > 0 {
			ix.handling = append(ix.handling, a)
		}
	}
	folded := make([]string, 0, len(seenField))
	for f := range seenField {
		folded = append(folded, f)
	}
	slices.Sort(folded)
	for _, f := range folded {
		ix.fields = append(ix.fields, seenField[f])
	}
	return ix
}

// Stamp is the catalogue stamp the index was built at.
func (ix *Index) Stamp() string { return ix.stamp }

// Len is the number of procedures.
func (ix *Index) Len() int { return len(ix.procs) }

// Fields returns the distinct fields (lĩnh vực), for a filter's choices.
func (ix *Index) Fields() []string { return ix.fields }

// Procedure returns the current procedure with the given code.
func (ix *Index) Procedure(code string) (*motcua.Procedure, bool) {
	i, found := slices.BinarySearchFunc(ix.procs, code, func(p *motcua.Procedure, code string) int { return strings.Compare(p.Code, code) })
	if !found {
		return nil, false
	}
	return ix.procs[i], true
}

// Agency returns the agency with the given code.
func (ix *Index) Agency(code string) (*motcua.Agency, bool) {
	i, ok := ix.agencyIdx[code]
	if !ok {
		return nil, false
	}
	return ix.agencies[i], true
}

// Agencies returns the agencies that handle at least one procedure, for a
// filter's choices, ordered by code. The slice is shared: do not modify it.
func (ix *Index) Agencies() []*motcua.Agency { return ix.handling }

// Query is one search. Zero fields do not filter.
type Query struct {
	// Text is matched accent- and case-insensitively: every word must
	// occur in the procedure's name, code, field, level or online level,
	// or in the name of one of its handling agencies.
	Text string
	// Field keeps the procedures of this field (compared folded).
	Field string
	// Agency keeps the procedures this agency (by code) handles.
	Agency string
	// Agencies, when not empty, keeps the procedures that one of these
	// agencies handles (a reception desk receives for several).
	Agencies []string
	// Level keeps the procedures carried out at this level.
	Level motcua.AgencyLevel
	// Page is 1-based; PerPage defaults to DefaultPerPage.
	Page, PerPage int
}

// Result is one page of a search.
type Result struct {
	Procedures []*motcua.Procedure
	// Total is the number of matching procedures; Page the page returned
	// (clamped to 1..Pages), Pages the number of pages (at least 1).
	Total, Page, Pages, PerPage int
}

// Search returns the page of procedures that match q. With text, the
// procedures whose code starts with it come first, then those whose name
// contains it as a phrase, then the others; each group in code order.
func (ix *Index) Search(q Query) Result {
	perPage := q.PerPage
	if perPage <= 0 {
		perPage = DefaultPerPage
	}
	perPage = min(perPage, MaxPerPage)
	n := len(ix.procs)
	ok := make([]bool, n)
	for i := range ok {
		ok[i] = true
	}
	for _, agencies := range [][]string{{q.Agency}, q.Agencies} {
		if len(agencies) == 0 || agencies[0] == "" && len(agencies) == 1 {
			continue
		}
		handled := make([]bool, n)
		for _, code := range agencies {
			if j, found := ix.agencyIdx[code]; found {
				for _, i := range ix.agencyProc[j] {
					handled[i] = true
				}
			}
		}
		for i := range ok {
			ok[i] = ok[i] && handled[i]
		}
	}
	if q.Field != "" {
		f := motcua.FoldText(q.Field)
		for i := range ok {
			ok[i] = ok[i] && ix.field[i] == f
		}
	}
	if q.Level != "" {
		for i := range ok {
			ok[i] = ok[i] && slices.Contains(ix.procs[i].Levels, q.Level)
		}
	}
	phrase := motcua.FoldText(q.Text)
	if phrase != "" {
		var byAgency []bool
		for _, word := range strings.Fields(phrase) {
			byAgency = ix.agencyMatches(word, byAgency)
			for i := range ok {
				ok[i] = ok[i] && (strings.Contains(ix.text[i], word) || byAgency[i])
			}
		}
	}
	// Three rank groups, each already in code order.
	var groups [3][]int32
	for i, hit := range ok {
		if !hit {
			continue
		}
		g := 2
		switch {
		case phrase == "":
			g = 0
		case strings.HasPrefix(strings.ToLower(ix.procs[i].Code), phrase):
			g = 0
		case strings.Contains(ix.name[i], phrase):
			g = 1
		}
		groups[g] = append(groups[g], int32(i))
	}
	total := len(groups[0]) + len(groups[1]) + len(groups[2])
	res := Result{Total: total, PerPage: perPage, Pages: max(1, (total+perPage-1)/perPage)}
	res.Page = min(max(q.Page, 1), res.Pages)
	skip := (res.Page - 1) * perPage
	for _, g := range groups {
		for _, i := range g {
			if skip > 0 {
				skip--
				continue
			}
			if len(res.Procedures) == perPage {
				return res
			}
			res.Procedures = append(res.Procedures, ix.procs[i])
		}
	}
	return res
}

// agencyMatches marks the procedures handled by an agency whose folded
// name contains word, reusing buf.
func (ix *Index) agencyMatches(word string, buf []bool) []bool {
	if buf == nil {
		buf = make([]bool, len(ix.procs))
	} else {
		clear(buf)
	}
	for j, name := range ix.agencyText {
		if strings.Contains(name, word) {
			for _, i := range ix.agencyProc[j] {
				buf[i] = true
			}
		}
	}
	return buf
}

// Source is what Catalogue reads: the store.
type Source interface {
	CatalogueStamp(ctx context.Context) (string, error)
	ListProcedures(ctx context.Context, agencyCode string) ([]*motcua.Procedure, error)
	ListAgencies(ctx context.Context, f motcua.AgencyFilter) ([]*motcua.Agency, error)
}

// Catalogue keeps an index current: it rebuilds it when the store's
// catalogue stamp changes. Safe for concurrent use.
type Catalogue struct {
	src Source
	mu  sync.Mutex // held while rebuilding
	cur atomic.Pointer[Index]
}

// NewCatalogue returns a Catalogue over src; the first Index call builds
// the index.
func NewCatalogue(src Source) *Catalogue { return &Catalogue{src: src} }

// Index returns an index of the current catalogue. While one request
// rebuilds a changed catalogue, the others keep searching the previous
// index rather than wait.
func (c *Catalogue) Index(ctx context.Context) (*Index, error) {
	stamp, err := c.src.CatalogueStamp(ctx)
	if err != nil {
		return nil, err
	}
	cur := c.cur.Load()
	if cur != nil && cur.stamp == stamp {
		return cur, nil
	}
	if cur != nil {
		if !c.mu.TryLock() {
			return cur, nil
		}
	} else {
		c.mu.Lock()
	}
	defer c.mu.Unlock()
	if cur := c.cur.Load(); cur != nil && cur.stamp == stamp {
		return cur, nil
	}
	// Read after the stamp: a change in between makes an index newer than
	// its stamp, rebuilt once more on the next request, never an older one.
	procs, err := c.src.ListProcedures(ctx, "")
	if err != nil {
		return nil, err
	}
	agencies, err := c.src.ListAgencies(ctx, motcua.AgencyFilter{})
	if err != nil {
		return nil, err
	}
	ix := Build(stamp, procs, agencies)
	c.cur.Store(ix)
	return ix, nil
}
