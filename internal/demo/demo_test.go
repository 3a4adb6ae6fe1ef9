package demo_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/service"
	"github.com/motcua/motcua/internal/sqlite"
)

// newStore opens a migrated SQLite store in a temp dir of its own.
func newStore(t *testing.T) motcua.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// seeded returns a store holding the demo data.
func seeded(t *testing.T) motcua.Store {
	t.Helper()
	s := newStore(t)
	if _, err := demo.Seed(context.Background(), s); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return s
}

// snapshot is everything the store can list, plus the demo subjects.
type snapshot struct {
	Agencies   []*motcua.Agency
	Categories []*motcua.DocumentCategory
	Procedures []*motcua.Procedure
	Subjects   []*motcua.Subject
}

func takeSnapshot(t *testing.T, s motcua.Store) snapshot {
	t.Helper()
	ctx := context.Background()
	var snap snapshot
	var err error
	if snap.Agencies, err = s.ListAgencies(ctx, motcua.AgencyFilter{}); err != nil {
		t.Fatal(err)
	}
	if snap.Categories, err = s.ListCategories(ctx); err != nil {
		t.Fatal(err)
	}
	if snap.Procedures, err = s.ListProcedures(ctx, ""); err != nil {
		t.Fatal(err)
	}
	for _, want := range demo.Subjects() {
		got, err := s.GetSubject(ctx, want.Code)
		if err != nil {
			t.Fatalf("GetSubject(%s): %v", want.Code, err)
		}
		snap.Subjects = append(snap.Subjects, got)
	}
	return snap
}

func TestSeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)

	sum, err := demo.Seed(ctx, s)
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	if sum.AlreadySeeded {
		t.Error("AlreadySeeded on an empty store")
	}
	if sum.Agencies != 21 {
		t.Errorf("Agencies = %d, want 21 (province + district + 9 units + 10 communes)", sum.Agencies)
	}
	if sum.Categories < 18 {
		t.Errorf("Categories = %d, want ≥ 18", sum.Categories)
	}
	if sum.Procedures < 6 {
		t.Errorf("Procedures = %d, want ≥ 6", sum.Procedures)
	}
	if sum.Subjects < 10 {
		t.Errorf("Subjects = %d, want ≥ 10", sum.Subjects)
	}

	snap := takeSnapshot(t, s)
	if len(snap.Agencies) != sum.Agencies {
		t.Errorf("store holds %d agencies, summary says %d", len(snap.Agencies), sum.Agencies)
	}
	if len(snap.Categories) != sum.Categories {
		t.Errorf("store holds %d categories, summary says %d", len(snap.Categories), sum.Categories)
	}
	if len(snap.Procedures) != sum.Procedures {
		t.Errorf("store holds %d procedures, summary says %d", len(snap.Procedures), sum.Procedures)
	}
	if len(snap.Subjects) != sum.Subjects {
		t.Errorf("found %d demo subjects, summary says %d", len(snap.Subjects), sum.Subjects)
	}
}

func TestSeedTwice(t *testing.T) {
	t.Parallel()
	s := seeded(t)
	before := takeSnapshot(t, s)

	sum, err := demo.Seed(context.Background(), s)
	if err != nil {
		t.Fatalf("second Seed: %v", err)
	}
	if want := (demo.Summary{AlreadySeeded: true}); sum != want {
		t.Errorf("second Seed = %+v, want %+v", sum, want)
	}
	if after := takeSnapshot(t, s); !reflect.DeepEqual(before, after) {
		t.Error("second Seed changed the store")
	}
}

// A failure part-way must leave nothing behind: here the last subjects
// conflict with one already stored, after every agency was inserted.
func TestSeedRollsBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	orgs := demo.Organisations()
	taken := orgs[len(orgs)-1]
	if err := s.CreateSubject(ctx, &taken); err != nil {
		t.Fatal(err)
	}

	if _, err := demo.Seed(ctx, s); !motcua.IsKind(err, motcua.ECONFLICT) {
		t.Fatalf("Seed over a taken subject code: err = %v, want ECONFLICT", err)
	}
	if _, err := s.GetAgency(ctx, demo.ProvinceCode); !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Errorf("GetAgency(province) after a failed Seed: err = %v, want ENOTFOUND", err)
	}
	if cats, err := s.ListCategories(ctx); err != nil || len(cats) != 0 {
		t.Errorf("categories after a failed Seed: %d, %v; want none", len(cats), err)
	}
}

func TestAgencyTree(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := seeded(t)

	underProvince, err := s.ListAgencies(ctx, motcua.AgencyFilter{ParentCode: demo.ProvinceCode})
	if err != nil {
		t.Fatal(err)
	}
	if len(underProvince) != 1 || underProvince[0].Code != demo.DistrictCode || underProvince[0].Level != motcua.LevelDistrict {
		t.Errorf("under the province: %+v, want only the district %s", underProvince, demo.DistrictCode)
	}

	units, err := s.ListAgencies(ctx, motcua.AgencyFilter{ParentCode: demo.DistrictCode, Level: motcua.LevelDistrict})
	if err != nil {
		t.Fatal(err)
	}
	communes, err := s.ListAgencies(ctx, motcua.AgencyFilter{ParentCode: demo.DistrictCode, Level: motcua.LevelCommune})
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.ListAgencies(ctx, motcua.AgencyFilter{ParentCode: demo.DistrictCode})
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != 9 || len(communes) != 10 || len(all) != 19 {
		t.Fatalf("under the district: %d units, %d communes, %d in all; want 9, 10, 19", len(units), len(communes), len(all))
	}
	// Ordered by code the tree lists the units and communes in seed 002
	// Appendix I order.
	for i, want := range demo.DistrictUnits() {
		if units[i].Code != want.Code || units[i].Name != want.Name {
			t.Errorf("unit %d = %s %q, want %s %q", i+1, units[i].Code, units[i].Name, want.Code, want.Name)
		}
	}
	for i, want := range demo.Communes() {
		if communes[i].Code != want.Code || communes[i].Name != want.Name {
			t.Errorf("commune %d = %s %q, want %s %q", i+1, communes[i].Code, communes[i].Name, want.Code, want.Name)
		}
	}
	if communes[0].Code != demo.TownCode {
		t.Errorf("first commune %s, want the town %s", communes[0].Code, demo.TownCode)
	}

	rows := demo.AppendixI()
	if len(rows) != 19 {
		t.Fatalf("AppendixI has %d rows, want 19", len(rows))
	}
	var received, reused [2]int // district units, communes
	for i, r := range rows {
		if r.AgencyCode != all[i].Code {
			t.Errorf("AppendixI row %d is %s, want %s", i+1, r.AgencyCode, all[i].Code)
		}
		level := 0
		if all[i].Level == motcua.LevelCommune {
			level = 1
		}
		received[level] += r.Received
		reused[level] += r.Reused
	}
	// The Appendix's Σ rows.
	if received != [2]int{1246, 2234} || reused != [2]int{21, 135} {
		t.Errorf("AppendixI totals received %v reused %v, want [1246 2234] [21 135]", received, reused)
	}
}

func TestProcedureReferences(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := seeded(t)

	procs, err := s.ListProcedures(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(procs) < 6 {
		t.Fatalf("%d procedures, want ≥ 6", len(procs))
	}
	for _, p := range procs {
		if err := motcua.ValidateProcedureCode(p.Code); err != nil {
			t.Errorf("procedure %s: %v", p.Code, err)
		}
		if len(p.AgencyCodes) == 0 {
			t.Errorf("procedure %s has no handling agency", p.Code)
		}
		for _, a := range p.AgencyCodes {
			if _, err := s.GetAgency(ctx, a); err != nil {
				t.Errorf("procedure %s agency %s: %v", p.Code, a, err)
			}
		}
		if p.ResultCategory == "" {
			t.Errorf("procedure %s issues no result", p.Code)
		} else if _, err := s.GetCategory(ctx, p.ResultCategory); err != nil {
			t.Errorf("procedure %s result category: %v", p.Code, err)
		}
		for _, c := range p.Components {
			for _, cat := range c.Categories {
				if _, err := s.GetCategory(ctx, cat); err != nil {
					t.Errorf("procedure %s component %s category %s: %v", p.Code, c.Code, cat, err)
				}
			}
		}
	}

	// Spot checks of what later flows rely on.
	marriage, err := s.GetProcedure(ctx, demo.ProcedureMarriage)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := marriage.Case("TH01"); !ok || c.ProcessingDays != 1 {
		t.Errorf("marriage case TH01 = %+v, %v; want 1 day", c, ok)
	}
	if c, ok := marriage.Case("TH02"); !ok || c.ProcessingDays != 5 {
		t.Errorf("marriage case TH02 = %+v, %v; want 5 days", c, ok)
	}
	if c, ok := marriage.Component("TH01", "TP02"); !ok || c.Required || !reflect.DeepEqual(c.Categories, []string{demo.CategoryMaritalStatus}) {
		t.Errorf("marriage TP02 = %+v, %v; want optional, accepting the marital status certificate", c, ok)
	}
	copyProc, err := s.GetProcedure(ctx, demo.ProcedureCertifiedCopy)
	if err != nil {
		t.Fatal(err)
	}
	if copyProc.TotalFeeVND() != 2000 || copyProc.ResultCategory != demo.CategoryCertifiedCopy || len(copyProc.AgencyCodes) != 11 {
		t.Errorf("certified copy: fee %d, result %s, %d agencies; want 2000, %s, 11 (justice office + communes)",
			copyProc.TotalFeeVND(), copyProc.ResultCategory, len(copyProc.AgencyCodes), demo.CategoryCertifiedCopy)
	}
}

func TestCategories(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, c := range demo.Categories() {
		if err := c.Validate(); err != nil {
			t.Errorf("category %s: %v", c.Code, err)
		}
		if seen[c.Code] || seen[c.Name] {
			t.Errorf("category %s %q repeated", c.Code, c.Name)
		}
		seen[c.Code], seen[c.Name] = true, true
		if c.PaperType != motcua.PaperResult {
			t.Errorf("category %s paper type %s, want result", c.Code, c.PaperType)
		}
	}
	for code, days := range map[string]int{
		"KQ.G01.000023":              0,
		"KQ.G02.000144":              0,
		"KQ.G15.000021":              0,
		"KQ.G15.000031":              0,
		"KQ.G15.000032":              0,
		demo.CategoryJudicialRecord1: 180,
		demo.CategoryJudicialRecord2: 180,
		demo.CategoryMaritalStatus:   180,
	} {
		var found *motcua.DocumentCategory
		for _, c := range demo.Categories() {
			if c.Code == code {
				found = &c
			}
		}
		if found == nil {
			t.Errorf("category %s missing", code)
		} else if found.ValidityDays != days {
			t.Errorf("category %s validity %d days, want %d", code, found.ValidityDays, days)
		}
	}
}

func TestCitizens(t *testing.T) {
	t.Parallel()
	citizens := demo.Citizens()
	if len(citizens) < 8 {
		t.Errorf("%d citizens, want ≥ 8", len(citizens))
	}
	seen := map[string]bool{}
	var legacy, guide int
	for _, c := range citizens {
		if c.Kind != motcua.SubjectPerson {
			t.Errorf("citizen %s kind %s", c.Code, c.Kind)
		}
		if err := c.Validate(); err != nil {
			t.Errorf("citizen %s: %v", c.Code, err)
		}
		id, err := motcua.ParsePersonalID(c.Code)
		if err != nil {
			t.Errorf("citizen %s: %v", c.Code, err)
			continue
		}
		if id.ProvinceCode != "052" {
			t.Errorf("citizen %s registered in %s, want 052 Bình Định", c.Code, id.ProvinceCode)
		}
		if c.BirthDate.IsZero() || id.BirthYear != c.BirthDate.Year {
			t.Errorf("citizen %s: id says born %d, BirthDate %s", c.Code, id.BirthYear, c.BirthDate)
		}
		if seen[c.Code] {
			t.Errorf("citizen %s repeated", c.Code)
		}
		seen[c.Code] = true
		if c.LegacyID != "" {
			legacy++
		}
		if c.Code == demo.GuideCitizenID {
			guide++
		}
	}
	if legacy == 0 {
		t.Error("no citizen has a legacy CMND")
	}
	if guide != 1 || demo.GuideCitizenID != "052090000495" {
		t.Errorf("the seeds' citizen %s appears %d times, want once", demo.GuideCitizenID, guide)
	}

	orgs := demo.Organisations()
	if len(orgs) < 2 {
		t.Errorf("%d organisations, want ≥ 2", len(orgs))
	}
	for _, o := range orgs {
		if err := o.Validate(); err != nil {
			t.Errorf("organisation %s: %v", o.Code, err)
		}
		if o.Kind != motcua.SubjectOrganisation || seen[o.Code] {
			t.Errorf("organisation %s: kind %s or code repeated", o.Code, o.Kind)
		}
		seen[o.Code] = true
	}
}

// The exported constructors hand out fresh values: a caller editing one
// result must not change the next.
func TestFreshValues(t *testing.T) {
	t.Parallel()
	p := demo.Procedures()
	p[0].AgencyCodes[0] = "changed"
	p[0].Components[0].Name = "changed"
	if again := demo.Procedures(); again[0].AgencyCodes[0] == "changed" || again[0].Components[0].Name == "changed" {
		t.Error("Procedures shares state between calls")
	}
	ps := demo.Procedures()
	for i := range ps {
		for j := range i {
			if len(ps[i].AgencyCodes) > 0 && len(ps[j].AgencyCodes) > 0 && &ps[i].AgencyCodes[0] == &ps[j].AgencyCodes[0] {
				t.Errorf("procedures %s and %s share their agency list", ps[i].Code, ps[j].Code)
			}
		}
	}
}

func TestSeedOfficers(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	sum, err := demo.Seed(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Officers != len(demo.Officers()) {
		t.Fatalf("seeded %d officers, want %d", sum.Officers, len(demo.Officers()))
	}
	seen := map[motcua.Role]bool{}
	for _, d := range demo.Officers() {
		o, err := s.GetOfficer(ctx, d.Username)
		if err != nil {
			t.Fatal(err)
		}
		if !service.CheckPassword(demo.OfficerPassword, o.PasswordHash) || o.TOTPSecret == "" {
			t.Fatalf("officer %s cannot log in with the published password and secret", o.Username)
		}
		if _, err := service.TOTPCode(o.TOTPSecret, time.Now()); err != nil {
			t.Fatalf("officer %s TOTP secret: %v", o.Username, err)
		}
		if _, err := s.GetAgency(ctx, o.AgencyCode); err != nil {
			t.Fatal(err)
		}
		for _, r := range o.Roles {
			seen[r] = true
		}
	}
	for _, r := range motcua.Roles() {
		if !seen[r] {
			t.Errorf("no demo officer has role %s", r)
		}
	}
}
