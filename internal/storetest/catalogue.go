package storetest

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func testAgencies(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()

	got, err := s.GetAgency(ctx, b.district.Code)
	must(t, err)
	if *got != *b.district {
		t.Fatalf("GetAgency = %+v, want %+v", got, b.district)
	}
	wantErr(t, s.CreateAgency(ctx, &motcua.Agency{Code: b.district.Code, Name: "x", Level: motcua.LevelDistrict}),
		motcua.ECONFLICT, "agency_exists")
	wantErr(t, s.CreateAgency(ctx, &motcua.Agency{Code: "000.00.99.H08", Name: "x", Level: motcua.LevelCommune, ParentCode: "000.00.98.H08"}),
		motcua.EINVALID, "unknown_parent")
	_, err = s.GetAgency(ctx, "000.00.99.H08")
	wantErr(t, err, motcua.ENOTFOUND, "agency_not_found")

	children, err := s.ListAgencies(ctx, motcua.AgencyFilter{ParentCode: b.district.Code})
	must(t, err)
	if len(children) != 1 || children[0].Code != b.commune.Code {
		t.Fatalf("children of district = %v", children)
	}
	all, err := s.ListAgencies(ctx, motcua.AgencyFilter{})
	must(t, err)
	if len(all) != 3 || !slices.IsSortedFunc(all, func(a, b *motcua.Agency) int { return cmpString(a.Code, b.Code) }) {
		t.Fatalf("ListAgencies = %d agencies, sorted=%v", len(all), all)
	}
	communes, err := s.ListAgencies(ctx, motcua.AgencyFilter{Level: motcua.LevelCommune})
	must(t, err)
	if len(communes) != 1 {
		t.Fatalf("communes = %v", communes)
	}

	upd := *b.commune
	upd.Name = "UBND thị trấn An Lão"
	upd.ParentCode = b.province.Code
	must(t, s.UpdateAgency(ctx, &upd))
	got, err = s.GetAgency(ctx, upd.Code)
	must(t, err)
	if *got != upd {
		t.Fatalf("after update = %+v, want %+v", got, upd)
	}
	missing := upd
	missing.Code = "000.00.77.H08"
	missing.ParentCode = ""
	wantErr(t, s.UpdateAgency(ctx, &missing), motcua.ENOTFOUND, "agency_not_found")
	bad := upd
	bad.ParentCode = "000.00.66.H08"
	wantErr(t, s.UpdateAgency(ctx, &bad), motcua.EINVALID, "unknown_parent")

	// Reception desks: a unit received at the district's desk keeps the
	// desk's code, is listed by desk, and a desk must exist.
	unit := &motcua.Agency{Code: "000.01.23.H08", Name: "Phòng Tư pháp", Level: motcua.LevelDistrict,
		ParentCode: b.district.Code, ReceptionDesk: b.district.Code}
	must(t, s.CreateAgency(ctx, unit))
	got, err = s.GetAgency(ctx, unit.Code)
	must(t, err)
	if *got != *unit || got.Desk() != b.district.Code {
		t.Fatalf("GetAgency with a desk = %+v, want %+v", got, unit)
	}
	served, err := s.ListAgencies(ctx, motcua.AgencyFilter{ReceptionDesk: b.district.Code})
	must(t, err)
	if len(served) != 1 || served[0].Code != unit.Code {
		t.Fatalf("agencies received at the district's desk = %v", served)
	}
	wantErr(t, s.CreateAgency(ctx, &motcua.Agency{Code: "000.02.23.H08", Name: "x", Level: motcua.LevelDistrict,
		ReceptionDesk: "000.00.55.H08"}), motcua.EINVALID, "unknown_reception_desk")
	own := *unit
	own.ReceptionDesk = ""
	must(t, s.UpdateAgency(ctx, &own))
	got, err = s.GetAgency(ctx, unit.Code)
	must(t, err)
	if got.ReceptionDesk != "" || got.Desk() != unit.Code {
		t.Fatalf("after clearing the desk = %+v", got)
	}
	moved := own
	moved.ReceptionDesk = "000.00.55.H08"
	wantErr(t, s.UpdateAgency(ctx, &moved), motcua.EINVALID, "unknown_reception_desk")
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func testSubjects(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	got, err := s.GetSubject(ctx, b.citizen.Code)
	must(t, err)
	if got.Name != b.citizen.Name || got.BirthDate != b.citizen.BirthDate || got.Phone != b.citizen.Phone ||
		got.Kind != motcua.SubjectPerson || got.CreatedAt.IsZero() || !got.VerifiedAt.IsZero() {
		t.Fatalf("GetSubject = %+v, want %+v", got, b.citizen)
	}
	wantErr(t, s.CreateSubject(ctx, &motcua.Subject{Code: b.citizen.Code, Kind: motcua.SubjectPerson, Name: "x"}),
		motcua.ECONFLICT, "subject_exists")
	_, err = s.GetSubject(ctx, "052090000001")
	wantErr(t, err, motcua.ENOTFOUND, "subject_not_found")

	org := &motcua.Subject{Code: "4100259564", Kind: motcua.SubjectOrganisation, Name: "Công ty TNHH Xăng dầu An Lão"}
	must(t, s.CreateSubject(ctx, org))
	got, err = s.GetSubject(ctx, org.Code)
	must(t, err)
	if got.Kind != motcua.SubjectOrganisation || !got.BirthDate.IsZero() {
		t.Fatalf("organisation = %+v", got)
	}

	upd := *got
	upd.Email = "xangdau@example.vn"
	upd.VerifiedAt = time.Date(2024, 3, 20, 8, 0, 0, 123000, time.UTC)
	must(t, s.UpdateSubject(ctx, &upd))
	got, err = s.GetSubject(ctx, org.Code)
	must(t, err)
	if got.Email != upd.Email || !got.VerifiedAt.Equal(upd.VerifiedAt) {
		t.Fatalf("after update = %+v", got)
	}
	upd.Code = "4100000000"
	wantErr(t, s.UpdateSubject(ctx, &upd), motcua.ENOTFOUND, "subject_not_found")

	// Two subjects cannot claim the same legacy 9-digit id.
	must(t, s.CreateSubject(ctx, &motcua.Subject{Code: "052090000100", Kind: motcua.SubjectPerson, Name: "A", LegacyID: "215000001"}))
	wantErr(t, s.CreateSubject(ctx, &motcua.Subject{Code: "052090000101", Kind: motcua.SubjectPerson, Name: "B", LegacyID: "215000001"}),
		motcua.ECONFLICT, "")
}

func testCategories(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	got, err := s.GetCategory(ctx, b.certCopy.Code)
	must(t, err)
	if *got != *b.certCopy {
		t.Fatalf("GetCategory = %+v, want %+v", got, b.certCopy)
	}
	wantErr(t, s.CreateCategory(ctx, b.birthCert), motcua.ECONFLICT, "category_exists")
	_, err = s.GetCategory(ctx, "KQ.G15.999999")
	wantErr(t, err, motcua.ENOTFOUND, "category_not_found")
	upd := *b.birthCert
	upd.ValidityDays = 30
	upd.Name = "Giấy khai sinh (bản điện tử)"
	must(t, s.UpdateCategory(ctx, &upd))
	list, err := s.ListCategories(ctx)
	must(t, err)
	if len(list) != 2 || list[0].Code != b.certCopy.Code || *list[1] != upd {
		t.Fatalf("ListCategories = %+v", list)
	}
	upd.Code = "KQ.G15.999999"
	wantErr(t, s.UpdateCategory(ctx, &upd), motcua.ENOTFOUND, "category_not_found")
}

func testProcedures(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	got, err := s.GetProcedure(ctx, b.marriage.Code)
	must(t, err)
	if got.Name != b.marriage.Name || !slices.Equal(got.AgencyCodes, b.marriage.AgencyCodes) ||
		len(got.Components) != 2 || !slices.Equal(got.Components[1].Categories, b.marriage.Components[1].Categories) ||
		!reflect.DeepEqual(got.Cases, b.marriage.Cases) || got.Version != 1 || b.marriage.Version != 1 {
		t.Fatalf("GetProcedure = %+v", got)
	}
	wantErr(t, s.CreateProcedure(ctx, b.marriage), motcua.ECONFLICT, "procedure_exists")
	_, err = s.GetProcedure(ctx, "1.999999.000.00.00.H08")
	wantErr(t, err, motcua.ENOTFOUND, "procedure_not_found")

	bad := *b.marriage
	bad.Code = "1.000001.000.00.00.H08"
	bad.AgencyCodes = []string{"000.00.55.H08"}
	wantErr(t, s.CreateProcedure(ctx, &bad), motcua.EINVALID, "unknown_agency")
	bad.AgencyCodes = nil
	bad.ResultCategory = "KQ.G15.777777"
	wantErr(t, s.CreateProcedure(ctx, &bad), motcua.EINVALID, "unknown_category")
	if _, err := s.GetProcedure(ctx, bad.Code); !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatalf("a refused procedure was stored: %v", err)
	}

	stamp0, err := s.CatalogueStamp(ctx)
	must(t, err)
	birth := &motcua.Procedure{Code: "1.001193.000.00.00.H08", Name: "Đăng ký khai sinh",
		AgencyCodes: []string{b.commune.Code, b.district.Code}, ResultCategory: b.birthCert.Code,
		Cases: []motcua.ProcedureCase{{Code: "TH1", Name: "Trong ngày", ProcessingDays: 0}}}
	must(t, s.CreateProcedure(ctx, birth))
	atDistrict, err := s.ListProcedures(ctx, b.district.Code)
	must(t, err)
	if len(atDistrict) != 1 || atDistrict[0].Code != birth.Code || atDistrict[0].ResultCategory != b.birthCert.Code {
		t.Fatalf("procedures of district = %+v", atDistrict)
	}
	all, err := s.ListProcedures(ctx, "")
	must(t, err)
	if len(all) != 2 {
		t.Fatalf("ListProcedures = %d", len(all))
	}
	stamp1, err := s.CatalogueStamp(ctx)
	must(t, err)
	if stamp1 == stamp0 {
		t.Fatalf("CatalogueStamp %q did not change with a new procedure", stamp1)
	}

	birth.AgencyCodes = []string{b.district.Code}
	birth.Fees = []motcua.Fee{{Name: "Lệ phí", AmountVND: 8000}}
	must(t, s.UpdateProcedure(ctx, birth))
	atCommune, err := s.ListProcedures(ctx, b.commune.Code)
	must(t, err)
	if len(atCommune) != 1 || atCommune[0].Code != b.marriage.Code {
		t.Fatalf("after moving birth registration, commune has %+v", atCommune)
	}
	got, err = s.GetProcedure(ctx, birth.Code)
	must(t, err)
	if got.TotalFeeVND() != 8000 || got.Version != 2 || birth.Version != 2 {
		t.Fatalf("fee = %d, version %d (%d)", got.TotalFeeVND(), got.Version, birth.Version)
	}
	stamp2, err := s.CatalogueStamp(ctx)
	must(t, err)
	if stamp2 == stamp1 {
		t.Fatalf("CatalogueStamp %q did not change with a new version", stamp2)
	}
	must(t, s.UpdateProcedure(ctx, birth)) // unchanged: no new version
	if again, err := s.CatalogueStamp(ctx); err != nil || again != stamp2 {
		t.Fatalf("CatalogueStamp after an unchanged update = %q, %v; want %q", again, err, stamp2)
	}
	commune := *b.commune
	commune.Name += " (mới)"
	must(t, s.UpdateAgency(ctx, &commune))
	if renamed, err := s.CatalogueStamp(ctx); err != nil || renamed == stamp2 {
		t.Fatalf("CatalogueStamp after renaming an agency = %q, %v", renamed, err)
	}
	birth.Code = "1.000002.000.00.00.H08"
	wantErr(t, s.UpdateProcedure(ctx, birth), motcua.ENOTFOUND, "procedure_not_found")
}

// testProcedureVersions: a change makes a new version, an unchanged update
// none; every version stays readable, and a dossier keeps the version it
// was made with.
func testProcedureVersions(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()

	before := newDossier(b, time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC))
	before.ProcedureVersion = b.marriage.Version
	must(t, s.CreateDossier(ctx, before))

	v2 := *b.marriage
	v2.Levels = []motcua.AgencyLevel{motcua.LevelCommune}
	v2.OnlineLevel = motcua.OnlineFull
	v2.LegalBasis = "Luật Hộ tịch 2014"
	v2.Fees = []motcua.Fee{{Name: "Lệ phí", AmountVND: 0, Note: "Miễn lệ phí"}, {Name: "Phí bản sao trích lục", AmountVND: 8000}}
	v2.Cases = []motcua.ProcedureCase{
		{Code: "TH1", Name: "1 ngày làm việc – KHÔNG xác minh", ProcessingDays: 1},
		{Code: "TH2", Name: "5 ngày làm việc – có xác minh", ProcessingDays: 5, Components: []motcua.ProcedureComponent{
			{Code: "XM", Name: "Văn bản xác minh", Required: true, Form: motcua.FormOriginal, Originals: 1, Copies: 2,
				Categories: []string{b.certCopy.Code}, FormTemplate: "mau-xac-minh.docx"}}},
	}
	must(t, s.UpdateProcedure(ctx, &v2))
	if v2.Version != 2 {
		t.Fatalf("version after a change = %d, want 2", v2.Version)
	}
	same := v2
	must(t, s.UpdateProcedure(ctx, &same))
	if same.Version != 2 {
		t.Fatalf("version after an unchanged update = %d, want 2", same.Version)
	}

	cur, err := s.GetProcedure(ctx, b.marriage.Code)
	must(t, err)
	if !reflect.DeepEqual(cur, &v2) {
		t.Fatalf("current = %+v\nwant %+v", cur, &v2)
	}
	if got := cur.ComponentsFor("TH2"); len(got) != 1 || got[0].Code != "XM" {
		t.Fatalf("components of TH2 = %+v", got)
	}
	if got := cur.ComponentsFor("TH1"); len(got) != 2 {
		t.Fatalf("components of TH1 fall back to the procedure's: %+v", got)
	}
	old, err := s.GetProcedureVersion(ctx, b.marriage.Code, 1)
	must(t, err)
	if !reflect.DeepEqual(old, b.marriage) {
		t.Fatalf("version 1 = %+v\nwant %+v", old, b.marriage)
	}
	latest, err := s.GetProcedureVersion(ctx, b.marriage.Code, 0)
	must(t, err)
	if latest.Version != 2 {
		t.Fatalf("version 0 reads version %d", latest.Version)
	}
	_, err = s.GetProcedureVersion(ctx, b.marriage.Code, 3)
	wantErr(t, err, motcua.ENOTFOUND, "procedure_not_found")

	got, err := s.GetDossier(ctx, before.ID)
	must(t, err)
	if got.ProcedureVersion != 1 {
		t.Fatalf("dossier made before the change has procedure version %d", got.ProcedureVersion)
	}
	after := newDossier(b, time.Date(2026, 3, 3, 3, 0, 0, 0, time.UTC))
	after.ProcedureVersion = cur.Version
	must(t, s.CreateDossier(ctx, after))
	if got, err = s.GetDossier(ctx, after.ID); err != nil || got.ProcedureVersion != 2 {
		t.Fatalf("dossier made after the change: %+v, %v", got, err)
	}

	// A category accepted only by a case's own component is still a
	// reference the store checks.
	bad := v2
	bad.Cases = slices.Clone(v2.Cases)
	bad.Cases[1].Components = []motcua.ProcedureComponent{{Code: "XM", Name: "x", Form: motcua.FormCopy, Categories: []string{"KQ.G15.777777"}}}
	wantErr(t, s.UpdateProcedure(ctx, &bad), motcua.EINVALID, "unknown_category")
	if cur, err := s.GetProcedure(ctx, b.marriage.Code); err != nil || cur.Version != 2 {
		t.Fatalf("a refused update changed the procedure: %+v, %v", cur, err)
	}
}

// testCategoryValidity: a validity in months is stored and read back.
func testCategoryValidity(t *testing.T, newStore NewStore) {
	s, _ := setup(t, newStore)
	ctx := context.Background()
	c := &motcua.DocumentCategory{Code: "KQ.G15.000011", Name: "Phiếu lý lịch tư pháp số 1", PaperType: motcua.PaperResult, ValidityMonths: 6}
	must(t, s.CreateCategory(ctx, c))
	got, err := s.GetCategory(ctx, c.Code)
	must(t, err)
	if *got != *c {
		t.Fatalf("GetCategory = %+v, want %+v", got, c)
	}
	c.ValidityMonths, c.ValidityDays = 0, 90
	must(t, s.UpdateCategory(ctx, c))
	if got, err = s.GetCategory(ctx, c.Code); err != nil || *got != *c {
		t.Fatalf("after update = %+v, %v", got, err)
	}
}
