// Package catalogue reads and writes the whole catalogue (agencies,
// document categories, procedures with their cases and components) as one
// JSON document, the format of `motcua catalogue export|import` described
// in docs/catalogue.md and by the JSON Schema in schema.json.
//
// Every entity is identified by its national code and refers to others by
// code; the document holds no database ids, so that a province can keep
// its catalogue in a file, diff it and load it into any motcua database.
package catalogue

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/motcua/motcua"
)

// Format names the document format and its version.
const Format = "motcua-catalogue/1"

// Schema is the JSON Schema (draft 2020-12) of the document.
//
//go:embed schema.json
var Schema []byte

// Document is the whole catalogue. Export sorts every list of entities
// by code; the lists inside a procedure keep their order, which is the
// order applicants see.
type Document struct {
	Format     string      `json:"format"`
	Agencies   []Agency    `json:"agencies"`
	Categories []Category  `json:"categories"`
	Procedures []Procedure `json:"procedures"`
}

// Agency is a node of the agency tree.
type Agency struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Level  string `json:"level"`            // province | district | commune
	Parent string `json:"parent,omitempty"` // the parent's code; none for a root
	// ReceptionDesk is the code of the agency whose one-stop desk receives
	// this agency's dossiers; none when the agency receives them itself.
	ReceptionDesk string `json:"reception_desk,omitempty"`
}

// Category is an entry of the document catalogue. A document of the
// category is valid validity_months months or validity_days days after
// its issue date (at most one of them); without either it does not expire.
type Category struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	PaperType      string `json:"paper_type"` // result | component | other
	ValidityMonths int    `json:"validity_months,omitempty"`
	ValidityDays   int    `json:"validity_days,omitempty"`
}

// Procedure is an administrative procedure.
type Procedure struct {
	Code           string      `json:"code"`
	Name           string      `json:"name"`
	Field          string      `json:"field"`
	Levels         []string    `json:"levels"`       // province | district | commune
	OnlineLevel    string      `json:"online_level"` // full | partial | none (also when absent)
	Agencies       []string    `json:"agencies"`
	Cases          []Case      `json:"cases"`
	Components     []Component `json:"components"` // of every case without its own
	ResultCategory string      `json:"result_category,omitempty"`
	Fees           []Fee       `json:"fees"`
	LegalBasis     string      `json:"legal_basis,omitempty"`
	// Parties is how many people apply together: absent or 1, or 2 for
	// a two-party procedure (marriage registration).
	Parties int `json:"parties,omitempty"`
}

// Case is a case of a procedure (trường hợp giải quyết).
type Case struct {
	Code           string      `json:"code"`
	Name           string      `json:"name"`
	ProcessingDays int         `json:"processing_days"`
	Components     []Component `json:"components,omitempty"`
}

// Component is a dossier component (thành phần hồ sơ).
type Component struct {
	Code               string   `json:"code"`
	Name               string   `json:"name"`
	Required           bool     `json:"required"`
	Form               string   `json:"form"` // original | copy
	Originals          int      `json:"originals,omitempty"`
	Copies             int      `json:"copies,omitempty"`
	AcceptedCategories []string `json:"accepted_categories,omitempty"`
	// MaxDocuments is how many documents the component takes (0 or 1: one).
	MaxDocuments int    `json:"max_documents,omitempty"`
	AllowScan    bool   `json:"allow_scan,omitempty"`
	FormTemplate string `json:"form_template,omitempty"`
	// FormTemplateSHA256 is the SHA-256 (hex) of the form's file in the
	// blob store; `motcua catalogue import --templates DIR` fills it from
	// DIR/<form_template>.
	FormTemplateSHA256 string `json:"form_template_sha256,omitempty"`
}

// Fee is a named fee or charge in VND.
type Fee struct {
	Name      string `json:"name"`
	AmountVND int64  `json:"amount_vnd"`
	Note      string `json:"note,omitempty"`
}

const onlineNone = "none"

// Encode writes d as indented JSON ending with a newline. The output
// depends on d only: the same catalogue gives the same bytes.
func (d *Document) Encode(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("encode catalogue: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Decode reads a document strictly: unknown fields and trailing data are
// errors.
func Decode(r io.Reader) (*Document, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var d Document
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("read catalogue: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("read catalogue: data after the document")
	}
	return &d, nil
}

// FromDomain builds a document from domain values, sorted as Export sorts.
func FromDomain(agencies []motcua.Agency, categories []motcua.DocumentCategory, procedures []motcua.Procedure) *Document {
	d := &Document{Format: Format, Agencies: []Agency{}, Categories: []Category{}, Procedures: []Procedure{}}
	for _, a := range agencies {
		d.Agencies = append(d.Agencies, agencyOf(&a))
	}
	for _, c := range categories {
		d.Categories = append(d.Categories, categoryOf(&c))
	}
	for _, p := range procedures {
		d.Procedures = append(d.Procedures, procedureOf(&p))
	}
	d.sort()
	return d
}

func (d *Document) sort() {
	slices.SortFunc(d.Agencies, func(a, b Agency) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(d.Categories, func(a, b Category) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(d.Procedures, func(a, b Procedure) int { return strings.Compare(a.Code, b.Code) })
}

func agencyOf(a *motcua.Agency) Agency {
	return Agency{Code: a.Code, Name: a.Name, Level: string(a.Level), Parent: a.ParentCode, ReceptionDesk: a.ReceptionDesk}
}

func (a Agency) domain() motcua.Agency {
	return motcua.Agency{Code: a.Code, Name: a.Name, Level: motcua.AgencyLevel(a.Level), ParentCode: a.Parent, ReceptionDesk: a.ReceptionDesk}
}

func categoryOf(c *motcua.DocumentCategory) Category {
	return Category{Code: c.Code, Name: c.Name, PaperType: string(c.PaperType), ValidityMonths: c.ValidityMonths, ValidityDays: c.ValidityDays}
}

func (c Category) domain() motcua.DocumentCategory {
	return motcua.DocumentCategory{Code: c.Code, Name: c.Name, PaperType: motcua.PaperType(c.PaperType),
		ValidityMonths: c.ValidityMonths, ValidityDays: c.ValidityDays}
}

// procedureOf converts a procedure to the document's form; the handling
// agencies are sorted (their order means nothing) and every list is
// non-nil, so that the same procedure always encodes alike.
func procedureOf(p *motcua.Procedure) Procedure {
	out := Procedure{Code: p.Code, Name: p.Name, Field: p.Field, Levels: []string{}, OnlineLevel: string(p.OnlineLevel),
		Agencies: sortedUnique(p.AgencyCodes), Cases: []Case{}, Components: componentsOf(p.Components),
		ResultCategory: p.ResultCategory, Fees: []Fee{}, LegalBasis: p.LegalBasis}
	if p.TwoParty() {
		out.Parties = p.PartyCount()
	}
	if p.OnlineLevel == motcua.OnlineNone {
		out.OnlineLevel = onlineNone
	}
	for _, l := range p.Levels {
		out.Levels = append(out.Levels, string(l))
	}
	for _, c := range p.Cases {
		cs := Case{Code: c.Code, Name: c.Name, ProcessingDays: c.ProcessingDays}
		if len(c.Components) > 0 {
			cs.Components = componentsOf(c.Components)
		}
		out.Cases = append(out.Cases, cs)
	}
	for _, f := range p.Fees {
		out.Fees = append(out.Fees, Fee{Name: f.Name, AmountVND: f.AmountVND, Note: f.Note})
	}
	return out
}

func componentsOf(cs []motcua.ProcedureComponent) []Component {
	out := []Component{}
	for _, c := range cs {
		out = append(out, Component{Code: c.Code, Name: c.Name, Required: c.Required, Form: string(c.Form),
			Originals: c.Originals, Copies: c.Copies, AcceptedCategories: slices.Clone(c.Categories),
			MaxDocuments: c.MaxDocuments, AllowScan: c.AllowScan, FormTemplate: c.FormTemplate, FormTemplateSHA256: c.FormTemplateSHA256})
	}
	return out
}

// domain converts the document's procedure to the domain's; Version is
// left to the store.
func (p Procedure) domain() motcua.Procedure {
	out := motcua.Procedure{Code: p.Code, Name: p.Name, Field: p.Field, OnlineLevel: motcua.OnlineLevel(p.OnlineLevel),
		AgencyCodes: sortedUnique(p.Agencies), Components: componentsDomain(p.Components),
		ResultCategory: p.ResultCategory, LegalBasis: p.LegalBasis, Parties: p.Parties}
	if out.Parties == 1 {
		out.Parties = 0
	}
	if p.OnlineLevel == onlineNone { // absent ("") is none too
		out.OnlineLevel = motcua.OnlineNone
	}
	for _, l := range p.Levels {
		out.Levels = append(out.Levels, motcua.AgencyLevel(l))
	}
	for _, c := range p.Cases {
		out.Cases = append(out.Cases, motcua.ProcedureCase{Code: c.Code, Name: c.Name, ProcessingDays: c.ProcessingDays,
			Components: componentsDomain(c.Components)})
	}
	for _, f := range p.Fees {
		out.Fees = append(out.Fees, motcua.Fee{Name: f.Name, AmountVND: f.AmountVND, Note: f.Note})
	}
	return out
}

func componentsDomain(cs []Component) []motcua.ProcedureComponent {
	var out []motcua.ProcedureComponent
	for _, c := range cs {
		var cats []string
		if len(c.AcceptedCategories) > 0 {
			cats = slices.Clone(c.AcceptedCategories)
		}
		out = append(out, motcua.ProcedureComponent{Code: c.Code, Name: c.Name, Required: c.Required,
			Form: motcua.PaperForm(c.Form), Originals: c.Originals, Copies: c.Copies, Categories: cats,
			MaxDocuments: c.MaxDocuments, AllowScan: c.AllowScan, FormTemplate: c.FormTemplate, FormTemplateSHA256: c.FormTemplateSHA256})
	}
	return out
}

func sortedUnique(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}
