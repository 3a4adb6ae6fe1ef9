package catalogue_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/catalogue"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pgtest"
	"github.com/motcua/motcua/internal/postgres"
	"github.com/motcua/motcua/internal/sqldb"
	"github.com/motcua/motcua/internal/sqlite"
)

// backends open an empty, migrated store of each kind.
var backends = map[string]func(t *testing.T) motcua.Store{
	"sqlite": func(t *testing.T) motcua.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "motcua.db"))
		return migrated(t, s, err)
	},
	"postgres": func(t *testing.T) motcua.Store {
		s, err := postgres.Open(context.Background(), pgtest.SchemaURL(t))
		return migrated(t, s, err)
	},
}

func migrated(t *testing.T, s *sqldb.Store, err error) motcua.Store {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func forEachBackend(t *testing.T, fn func(t *testing.T, s motcua.Store)) {
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, open(t))
		})
	}
}

func export(t *testing.T, s motcua.Store) []byte {
	t.Helper()
	d, err := catalogue.Export(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := d.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func decode(t *testing.T, b []byte) *catalogue.Document {
	t.Helper()
	d, err := catalogue.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustImport(t *testing.T, s motcua.Store, d *catalogue.Document, opt catalogue.Options) *catalogue.Result {
	t.Helper()
	res, err := catalogue.Import(context.Background(), s, d, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRoundTrip: the demo catalogue exported from one database and
// imported into an empty one exports byte for byte alike; importing it
// again changes nothing.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s motcua.Store) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, s); err != nil {
			t.Fatal(err)
		}
		first := export(t, s)
		d := decode(t, first)
		if len(d.Agencies) != len(demo.Agencies()) || len(d.Categories) != len(demo.Categories()) || len(d.Procedures) != len(demo.Procedures()) {
			t.Fatalf("export has %d agencies, %d categories, %d procedures", len(d.Agencies), len(d.Categories), len(d.Procedures))
		}
		// The couple's identity papers take two documents.
		if !bytes.Contains(first, []byte(`"max_documents": 2`)) {
			t.Fatal("the export lost max_documents")
		}
		// Marriage registration is the two-party procedure.
		for _, p := range d.Procedures {
			if want := map[bool]int{true: 2}[p.Code == demo.ProcedureMarriage]; p.Parties != want {
				t.Fatalf("%s: parties %d, want %d", p.Code, p.Parties, want)
			}
		}
		if again := export(t, s); !bytes.Equal(first, again) {
			t.Fatal("two exports of one catalogue differ")
		}

		res := mustImport(t, s, d, catalogue.Options{})
		if res.Changed() || res.Procedures.Unchanged != len(d.Procedures) || res.Agencies.Unchanged != len(d.Agencies) {
			t.Fatalf("re-importing the export changed something: %+v", res)
		}

		other := backends["sqlite"](t)
		res = mustImport(t, other, decode(t, first), catalogue.Options{})
		if res.Agencies.Created != len(d.Agencies) || res.Categories.Created != len(d.Categories) || res.Procedures.Created != len(d.Procedures) {
			t.Fatalf("import into an empty database: %+v", res)
		}
		if second := export(t, other); !bytes.Equal(first, second) {
			t.Fatalf("export after import differs:\n%s\n---\n%s", first, second)
		}
		res = mustImport(t, other, decode(t, first), catalogue.Options{})
		if res.Changed() {
			t.Fatalf("a second import changed something: %+v", res)
		}
	})
}

// TestRefusedImport: every problem is reported with its JSON path, and
// nothing of the document is written, not even its valid parts.
func TestRefusedImport(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s motcua.Store) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, s); err != nil {
			t.Fatal(err)
		}
		before := export(t, s)
		d := decode(t, before)
		// Valid changes that must not be applied...
		d.Procedures[0].Name = "Tên đã đổi"
		d.Categories = append(d.Categories, catalogue.Category{Code: "KQ.G15.000099", Name: "Giấy mới", PaperType: "result"})
		d.Agencies = append(d.Agencies, catalogue.Agency{Code: "000.09.09.H08", Name: "Cơ quan mới", Level: "commune", Parent: demo.DistrictCode})
		// ...next to problems.
		i := slices.IndexFunc(d.Procedures, func(p catalogue.Procedure) bool { return p.Code == demo.ProcedureBirth })
		p := &d.Procedures[i]
		p.Cases = append(p.Cases, catalogue.Case{Code: "TH02", Name: "Có yếu tố nước ngoài", ProcessingDays: 3,
			Components: []catalogue.Component{
				{Code: "A", Name: "A", Form: "copy", MaxDocuments: -1},
				{Code: "B", Name: "B", Form: "copy", AcceptedCategories: []string{demo.CategoryIDCard, "KQ.G99.000001"}},
			}})
		p.Agencies = append(p.Agencies, "000.99.99.H08")
		p.Components[0].Form = "photocopy"
		p.ResultCategory = "giấy khai sinh"
		p.Parties = 3
		d.Agencies[0].Parent = d.Agencies[len(d.Agencies)-1].Code // a cycle: province under a new commune under the district
		d.Categories[0].ValidityDays, d.Categories[0].ValidityMonths = 10, 6
		// Reception desks: an unknown desk, and a desk that is itself
		// received elsewhere (Phòng Tư pháp is received at UBND huyện's).
		if d.Agencies[2].Code != demo.JusticeOfficeCode || d.Agencies[2].ReceptionDesk != demo.DistrictCode {
			t.Fatalf("agencies[2] = %+v, want Phòng Tư pháp received at the district's desk", d.Agencies[2])
		}
		d.Agencies[3].ReceptionDesk = "000.99.88.H08"
		d.Agencies[len(d.Agencies)-1].ReceptionDesk = demo.JusticeOfficeCode

		_, err := catalogue.Import(ctx, s, d, catalogue.Options{})
		var verr *catalogue.ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("import = %v, want a validation error", err)
		}
		var got []string
		for _, pr := range verr.Problems {
			got = append(got, pr.String())
		}
		pi := "procedures[" + strconv.Itoa(i) + "]"
		want := []string{
			// Every member of the cycle: province → new commune → district → province.
			"agencies[0].parent: parent 000.09.09.H08 makes a cycle in the agency tree",
			"agencies[1].parent: parent 000.00.00.H08 makes a cycle in the agency tree",
			"agencies[" + strconv.Itoa(len(d.Agencies)-1) + "].parent: parent 000.00.23.H08 makes a cycle in the agency tree",
			"agencies[3].reception_desk: unknown agency 000.99.88.H08",
			"agencies[" + strconv.Itoa(len(d.Agencies)-1) + "].reception_desk: reception desk 000.01.23.H08 is itself received at 000.00.23.H08",
			"categories[0]: validity_months and validity_days are exclusive",
			pi + ".agencies[" + strconv.Itoa(len(p.Agencies)-1) + "]: unknown agency 000.99.99.H08",
			pi + ".cases[1].components[0].max_documents: must not be negative",
			pi + ".cases[1].components[1].accepted_categories[1]: unknown category KQ.G99.000001",
			pi + ".components[0].form: invalid form \"photocopy\" (original or copy)",
			pi + ".parties: must be 1 or 2",
			pi + ".result_category: invalid category code \"giấy khai sinh\"",
		}
		if !slices.Equal(got, want) {
			t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if after := export(t, s); !bytes.Equal(before, after) {
			t.Fatal("a refused import changed the catalogue")
		}
	})
}

// TestImportVersions: a changed procedure gets a new version, the old one
// stays readable; a dry run reports the change and writes nothing.
func TestImportVersions(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s motcua.Store) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, s); err != nil {
			t.Fatal(err)
		}
		before := export(t, s)
		d := decode(t, before)
		i := slices.IndexFunc(d.Procedures, func(p catalogue.Procedure) bool { return p.Code == demo.ProcedureMarriage })
		d.Procedures[i].Fees = []catalogue.Fee{{Name: "Lệ phí", AmountVND: 10000, Note: "Có yếu tố nước ngoài"}}
		d.Procedures[i].Cases[1].Components = []catalogue.Component{{Code: "XM", Name: "Văn bản xác minh", Required: true, Form: "original",
			Originals: 1, AcceptedCategories: []string{demo.CategoryMaritalStatus}, FormTemplate: "xac-minh.docx"}}
		// A new commune listed before its parent's code sorts, and a new
		// category a new procedure accepts.
		d.Agencies = append([]catalogue.Agency{{Code: "000.00.01.H08", Name: "UBND xã Mới", Level: "commune", Parent: "000.99.23.H08"}}, d.Agencies...)
		d.Agencies = append(d.Agencies, catalogue.Agency{Code: "000.99.23.H08", Name: "UBND huyện Mới", Level: "district", Parent: demo.ProvinceCode})
		d.Categories = append(d.Categories, catalogue.Category{Code: "KQ.G15.000099", Name: "Giấy mới", PaperType: "result", ValidityMonths: 6})
		d.Procedures = append(d.Procedures, catalogue.Procedure{Code: "1.009999.000.00.00.H08", Name: "Thủ tục mới", Field: "Hộ tịch",
			Levels: []string{"commune"}, OnlineLevel: "full", Agencies: []string{"000.00.01.H08"},
			Cases: []catalogue.Case{{Code: "TH01", Name: "3 ngày", ProcessingDays: 3}}, Components: []catalogue.Component{},
			ResultCategory: "KQ.G15.000099", Fees: []catalogue.Fee{}})

		dry := mustImport(t, s, d, catalogue.Options{DryRun: true})
		wantCounts := func(res *catalogue.Result) {
			t.Helper()
			if res.Agencies != (catalogue.Counts{Created: 2, Unchanged: len(demo.Agencies())}) ||
				res.Categories != (catalogue.Counts{Created: 1, Unchanged: len(demo.Categories())}) ||
				res.Procedures != (catalogue.Counts{Created: 1, Updated: 1, Unchanged: len(demo.Procedures()) - 1}) {
				t.Fatalf("result = %+v", res)
			}
		}
		wantCounts(dry)
		if !dry.DryRun || !bytes.Equal(before, export(t, s)) {
			t.Fatal("a dry run wrote something")
		}
		res := mustImport(t, s, d, catalogue.Options{Audit: &motcua.AuditEvent{ActorKind: "system", ActorID: "cli:test"}})
		wantCounts(res)
		evs, err := s.ListAudit(ctx, motcua.AuditFilter{ActorID: "cli:test"})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range evs {
			actions[e.Action]++
			if e.Action == "catalogue.procedure.update" && (e.ObjectID != demo.ProcedureMarriage || e.Detail != `{"after":{"version":2},"before":{"version":1}}`) {
				t.Errorf("procedure update event = %+v", e)
			}
		}
		if actions["catalogue.import"] != 1 || actions["catalogue.agency.create"] != 2 || actions["catalogue.category.create"] != 1 ||
			actions["catalogue.procedure.create"] != 1 || actions["catalogue.procedure.update"] != 1 || len(evs) != 6 {
			t.Fatalf("audit events = %v", actions)
		}
		if !slices.Equal(res.Updated, []string{demo.ProcedureMarriage}) {
			t.Fatalf("updated = %v", res.Updated)
		}
		cur, err := s.GetProcedure(ctx, demo.ProcedureMarriage)
		if err != nil {
			t.Fatal(err)
		}
		if cur.Version != 2 || cur.TotalFeeVND() != 10000 || len(cur.ComponentsFor("TH02")) != 1 || len(cur.ComponentsFor("TH01")) != 3 {
			t.Fatalf("current marriage procedure = %+v", cur)
		}
		old, err := s.GetProcedureVersion(ctx, demo.ProcedureMarriage, 1)
		if err != nil {
			t.Fatal(err)
		}
		if old.TotalFeeVND() != 0 || len(old.ComponentsFor("TH02")) != 3 {
			t.Fatalf("version 1 = %+v", old)
		}
		again := mustImport(t, s, decode(t, export(t, s)), catalogue.Options{})
		if again.Changed() {
			t.Fatalf("re-import changed %+v", again)
		}
	})
}

// TestSchema: an export satisfies the published JSON Schema, and the
// schema refuses what the import refuses by shape.
func TestSchema(t *testing.T) {
	t.Parallel()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(catalogue.Schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("catalogue.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("catalogue.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	s := backends["sqlite"](t)
	if _, err := demo.Seed(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	d := decode(t, export(t, s))
	// Exercise the optional parts too.
	d.Categories[0].ValidityMonths, d.Categories[0].ValidityDays = 6, 0
	d.Procedures[0].Cases[0].Components = []catalogue.Component{{Code: "X", Name: "X", Form: "copy", Originals: 1, Copies: 2,
		AcceptedCategories: []string{d.Categories[0].Code}, MaxDocuments: 2, AllowScan: true, FormTemplate: "x.docx"}}
	validate := func(d *catalogue.Document) error {
		var buf bytes.Buffer
		if err := d.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		return sch.Validate(v)
	}
	if err := validate(d); err != nil {
		t.Fatalf("an export does not satisfy the schema: %v", err)
	}
	for name, spoil := range map[string]func(d *catalogue.Document){
		"format":        func(d *catalogue.Document) { d.Format = "other/1" },
		"agency level":  func(d *catalogue.Document) { d.Agencies[0].Level = "ward" },
		"category code": func(d *catalogue.Document) { d.Categories[0].Code = "KQ.X1.1" },
		"both validity": func(d *catalogue.Document) { d.Categories[0].ValidityDays, d.Categories[0].ValidityMonths = 1, 1 },
		"no case":       func(d *catalogue.Document) { d.Procedures[0].Cases = []catalogue.Case{} },
		"paper form":    func(d *catalogue.Document) { d.Procedures[0].Components[0].Form = "scan" },
		"negative fee": func(d *catalogue.Document) {
			d.Procedures[0].Fees = []catalogue.Fee{{Name: "Lệ phí", AmountVND: -1}}
		},
		"online level": func(d *catalogue.Document) { d.Procedures[0].OnlineLevel = "level4" },
		"max documents": func(d *catalogue.Document) {
			d.Procedures[0].Components[0].MaxDocuments = -1
		},
	} {
		bad := decode(t, mustEncode(t, d))
		spoil(bad)
		if err := validate(bad); err == nil {
			t.Errorf("%s: the schema accepts a spoiled document", name)
		}
	}
}

func mustEncode(t *testing.T, d *catalogue.Document) []byte {
	var buf bytes.Buffer
	if err := d.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDecodeStrict: unknown fields and trailing data are refused.
func TestDecodeStrict(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"format":"motcua-catalogue/1","agencies":[],"categories":[],"procedures":[],"extra":1}`,
		`{"format":"motcua-catalogue/1","agencies":[{"code":"000.00.00.H08","name":"x","level":"province","id":3}],"categories":[],"procedures":[]}`,
		`{"format":"motcua-catalogue/1","agencies":[],"categories":[],"procedures":[]} {}`,
	} {
		if _, err := catalogue.Decode(strings.NewReader(in)); err == nil {
			t.Errorf("Decode accepted %s", in)
		}
	}
}

// TestMinimalProcedure: a procedure with only code, name and cases is
// imported, exported with every field, and imported again unchanged.
func TestMinimalProcedure(t *testing.T) {
	t.Parallel()
	s := backends["sqlite"](t)
	in := `{"format":"motcua-catalogue/1","agencies":[],"categories":[],"procedures":[
		{"code":"1.000001","name":"Thủ tục tối giản","cases":[{"code":"TH1","name":"Trong ngày","processing_days":0}]}]}`
	res := mustImport(t, s, decode(t, []byte(in)), catalogue.Options{})
	if res.Procedures.Created != 1 {
		t.Fatalf("import = %+v", res)
	}
	out := export(t, s)
	for _, want := range []string{`"online_level": "none"`, `"levels": []`, `"agencies": []`, `"components": []`, `"fees": []`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("export lacks %s:\n%s", want, out)
		}
	}
	if res := mustImport(t, s, decode(t, []byte(in)), catalogue.Options{}); res.Changed() {
		t.Fatalf("re-import of the minimal file changed %+v", res)
	}
	if res := mustImport(t, s, decode(t, out), catalogue.Options{}); res.Changed() {
		t.Fatalf("import of the export changed %+v", res)
	}
}
