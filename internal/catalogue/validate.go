package catalogue

import (
	"fmt"
	"strings"

	"github.com/motcua/motcua"
)

// Problem is one reason a document is refused, at a JSON path such as
// procedures[12].cases[0].components[3].accepted_categories[1].
type Problem struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Reason
	}
	return p.Path + ": " + p.Reason
}

// ValidationError lists every problem of a refused document, in document
// order.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("catalogue refused (%d problems):\n%s", len(e.Problems), strings.Join(lines, "\n"))
}

// known is the catalogue a document is checked against: what the
// database holds, overlaid with the document.
type known struct {
	agencies   map[string]string // code → parent code
	categories map[string]bool
}

type checker struct {
	problems []Problem
}

func (c *checker) add(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Reason: fmt.Sprintf(format, args...)})
}

func (c *checker) required(path, value string) {
	if strings.TrimSpace(value) == "" {
		c.add(path, "required")
	}
}

func knownAgency(k known, code string) bool {
	_, ok := k.agencies[code]
	return ok
}

// validate checks the document against itself and against the stored
// catalogue (existing agencies' parents, existing categories), and
// returns every problem. Entities absent from the document are kept as
// they are, so references may point at them.
func validate(d *Document, storedAgencies, storedDesks map[string]string, storedCategories map[string]bool) []Problem {
	c := &checker{}
	if d.Format != Format {
		c.add("format", "unsupported format %q, want %q", d.Format, Format)
	}
	k := known{agencies: map[string]string{}, categories: map[string]bool{}}
	for code, parent := range storedAgencies {
		k.agencies[code] = parent
	}
	for code := range storedCategories {
		k.categories[code] = true
	}

	seen := map[string]int{}
	for i, a := range d.Agencies {
		path := fmt.Sprintf("agencies[%d]", i)
		if err := motcua.ValidateAgencyCode(a.Code); err != nil {
			c.add(path+".code", "invalid agency code %q", a.Code)
		} else if j, dup := seen[a.Code]; dup {
			c.add(path+".code", "duplicate agency %s (also agencies[%d])", a.Code, j)
		}
		seen[a.Code] = i
		c.required(path+".name", a.Name)
		switch motcua.AgencyLevel(a.Level) {
		case motcua.LevelProvince, motcua.LevelDistrict, motcua.LevelCommune:
		default:
			c.add(path+".level", "invalid level %q (province, district or commune)", a.Level)
		}
		k.agencies[a.Code] = a.Parent
	}
	for i, a := range d.Agencies {
		path := fmt.Sprintf("agencies[%d].parent", i)
		if a.Parent == "" {
			continue
		}
		if a.Parent == a.Code {
			c.add(path, "an agency cannot be its own parent")
			continue
		}
		if _, ok := k.agencies[a.Parent]; !ok {
			c.add(path, "unknown agency %s", a.Parent)
			continue
		}
		// Follow the parents of the resulting tree: a cycle comes back.
		at, steps := a.Parent, 0
		for at != "" && at != a.Code && steps <= len(k.agencies) {
			at, steps = k.agencies[at], steps+1
		}
		if at == a.Code {
			c.add(path, "parent %s makes a cycle in the agency tree", a.Parent)
		}
	}
	// Reception desks: an existing agency that receives for itself, one
	// level only (the desk's own dossiers are received at the desk).
	desks := map[string]string{}
	for code, desk := range storedDesks {
		desks[code] = desk
	}
	for _, a := range d.Agencies {
		desks[a.Code] = a.ReceptionDesk
	}
	for i, a := range d.Agencies {
		path := fmt.Sprintf("agencies[%d].reception_desk", i)
		switch {
		case a.ReceptionDesk == "":
		case a.ReceptionDesk == a.Code:
			c.add(path, "an agency receiving its own dossiers has no reception_desk")
		case !knownAgency(k, a.ReceptionDesk):
			c.add(path, "unknown agency %s", a.ReceptionDesk)
		case desks[a.ReceptionDesk] != "":
			c.add(path, "reception desk %s is itself received at %s", a.ReceptionDesk, desks[a.ReceptionDesk])
		}
	}

	seen = map[string]int{}
	for i, cat := range d.Categories {
		path := fmt.Sprintf("categories[%d]", i)
		if err := motcua.ValidateCategoryCode(cat.Code); err != nil {
			c.add(path+".code", "invalid category code %q (KQ.Gnn.nnnnnn or KQ.DEMO.nnnnnn)", cat.Code)
		} else if j, dup := seen[cat.Code]; dup {
			c.add(path+".code", "duplicate category %s (also categories[%d])", cat.Code, j)
		}
		seen[cat.Code] = i
		c.required(path+".name", cat.Name)
		switch motcua.PaperType(cat.PaperType) {
		case motcua.PaperResult, motcua.PaperComponent, motcua.PaperOther:
		default:
			c.add(path+".paper_type", "invalid paper type %q (result, component or other)", cat.PaperType)
		}
		if cat.ValidityMonths < 0 {
			c.add(path+".validity_months", "must not be negative")
		}
		if cat.ValidityDays < 0 {
			c.add(path+".validity_days", "must not be negative")
		}
		if cat.ValidityMonths > 0 && cat.ValidityDays > 0 {
			c.add(path, "validity_months and validity_days are exclusive")
		}
		k.categories[cat.Code] = true
	}

	seen = map[string]int{}
	for i, p := range d.Procedures {
		path := fmt.Sprintf("procedures[%d]", i)
		if err := motcua.ValidateProcedureCode(p.Code); err != nil {
			c.add(path+".code", "invalid procedure code %q (e.g. 1.003560 or 1.003560.000.00.00.H56)", p.Code)
		} else if j, dup := seen[p.Code]; dup {
			c.add(path+".code", "duplicate procedure %s (also procedures[%d])", p.Code, j)
		}
		seen[p.Code] = i
		c.procedure(path, p, k)
	}
	return c.problems
}

func (c *checker) procedure(path string, p Procedure, k known) {
	c.required(path+".name", p.Name)
	for j, l := range p.Levels {
		switch motcua.AgencyLevel(l) {
		case motcua.LevelProvince, motcua.LevelDistrict, motcua.LevelCommune:
		default:
			c.add(fmt.Sprintf("%s.levels[%d]", path, j), "invalid level %q (province, district or commune)", l)
		}
	}
	switch p.OnlineLevel {
	case string(motcua.OnlineFull), string(motcua.OnlinePartial), onlineNone, "":
	default:
		c.add(path+".online_level", "invalid online level %q (full, partial or none)", p.OnlineLevel)
	}
	for j, a := range p.Agencies {
		if _, ok := k.agencies[a]; !ok {
			c.add(fmt.Sprintf("%s.agencies[%d]", path, j), "unknown agency %s", a)
		}
	}
	if len(p.Cases) == 0 {
		c.add(path+".cases", "a procedure needs at least one case")
	}
	cases := map[string]bool{}
	for j, cs := range p.Cases {
		cpath := fmt.Sprintf("%s.cases[%d]", path, j)
		c.required(cpath+".code", cs.Code)
		if cases[cs.Code] && cs.Code != "" {
			c.add(cpath+".code", "duplicate case %s", cs.Code)
		}
		cases[cs.Code] = true
		c.required(cpath+".name", cs.Name)
		if cs.ProcessingDays < 0 {
			c.add(cpath+".processing_days", "must not be negative")
		}
		c.components(cpath+".components", cs.Components, k)
	}
	c.components(path+".components", p.Components, k)
	if p.Parties < 0 || p.Parties > motcua.MaxParties {
		c.add(path+".parties", "must be 1 or %d", motcua.MaxParties)
	}
	if p.ResultCategory != "" {
		c.category(path+".result_category", p.ResultCategory, k)
	}
	for j, f := range p.Fees {
		fpath := fmt.Sprintf("%s.fees[%d]", path, j)
		c.required(fpath+".name", f.Name)
		if f.AmountVND < 0 {
			c.add(fpath+".amount_vnd", "must not be negative")
		}
	}
}

func (c *checker) components(path string, comps []Component, k known) {
	codes := map[string]bool{}
	for j, comp := range comps {
		cpath := fmt.Sprintf("%s[%d]", path, j)
		c.required(cpath+".code", comp.Code)
		if codes[comp.Code] && comp.Code != "" {
			c.add(cpath+".code", "duplicate component %s", comp.Code)
		}
		codes[comp.Code] = true
		c.required(cpath+".name", comp.Name)
		if comp.Form != string(motcua.FormOriginal) && comp.Form != string(motcua.FormCopy) {
			c.add(cpath+".form", "invalid form %q (original or copy)", comp.Form)
		}
		if comp.Originals < 0 {
			c.add(cpath+".originals", "must not be negative")
		}
		if comp.Copies < 0 {
			c.add(cpath+".copies", "must not be negative")
		}
		if comp.MaxDocuments < 0 {
			c.add(cpath+".max_documents", "must not be negative")
		}
		for n, cat := range comp.AcceptedCategories {
			c.category(fmt.Sprintf("%s.accepted_categories[%d]", cpath, n), cat, k)
		}
		if comp.FormTemplate != "" {
			if err := CheckTemplateName(comp.FormTemplate); err != nil {
				c.add(cpath+".form_template", "%v", err)
			}
		}
		if h := comp.FormTemplateSHA256; h != "" {
			if !isSHA256(h) {
				c.add(cpath+".form_template_sha256", "invalid SHA-256 %q (64 lowercase hex digits)", h)
			}
			if comp.FormTemplate == "" {
				c.add(cpath+".form_template", "required with form_template_sha256")
			}
		}
	}
}

// isSHA256 reports whether s is 64 lowercase hexadecimal digits.
func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

func (c *checker) category(path, code string, k known) {
	if err := motcua.ValidateCategoryCode(code); err != nil {
		c.add(path, "invalid category code %q", code)
		return
	}
	if !k.categories[code] {
		c.add(path, "unknown category %s", code)
	}
}
