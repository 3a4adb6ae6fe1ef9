package motcua_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// wantInvalid fails unless err is EINVALID with the field and code given
// and a Vietnamese message.
func wantInvalid(t *testing.T, err error, field, code string) {
	t.Helper()
	var e *motcua.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want EINVALID %s/%s", err, field, code)
	}
	if e.Kind != motcua.EINVALID || e.Field != field || e.Code != code || e.Message == "" {
		t.Fatalf("got kind=%s field=%s code=%s msg=%q, want EINVALID %s/%s", e.Kind, e.Field, e.Code, e.Message, field, code)
	}
}

func validDocument() *motcua.Document {
	return &motcua.Document{
		Code: "052090000495.KQ.G15.000021.02022024", OwnerCode: "052090000495", Warehouse: motcua.WarehousePersonal,
		PaperType: motcua.PaperResult, CategoryCode: "KQ.G15.000021",
		Name:     "052090000495.KQ.G15.000021.02022024.Bản sao được chứng thực từ bản chính",
		IssuedOn: motcua.Date{Year: 2024, Month: 2, Day: 2},
		File:     motcua.File{Name: "20CVCC01022024signed.pdf", Size: 1261014, SHA256: strings.Repeat("ab", 32)},
		Visible:  true, Shared: true, Status: motcua.DocumentValid,
	}
}

func TestDocumentValidate(t *testing.T) {
	t.Parallel()
	if err := validDocument().Validate(); err != nil {
		t.Fatalf("valid document: %v", err)
	}
	cases := []struct {
		name   string
		change func(d *motcua.Document)
		field  string
		code   string
	}{
		{"bad code", func(d *motcua.Document) { d.Code = "052090000495.G15.000021.1" }, "code", "invalid_result_code"},
		{"bad owner", func(d *motcua.Document) { d.OwnerCode = "12" }, "owner_code", "invalid_subject_code"},
		{"bad warehouse", func(d *motcua.Document) { d.Warehouse = "x" }, "warehouse", "invalid_warehouse_kind"},
		{"bad paper type", func(d *motcua.Document) { d.PaperType = "" }, "paper_type", "invalid_paper_type"},
		{"bad category", func(d *motcua.Document) { d.CategoryCode = "G15.21" }, "category_code", "invalid_category_code"},
		{"empty name", func(d *motcua.Document) { d.Name = "  " }, "name", "required"},
		{"long name", func(d *motcua.Document) { d.Name = strings.Repeat("ấ", 501) }, "name", "too_long"},
		{"expiry before issue", func(d *motcua.Document) { d.ExpiresOn = motcua.Date{Year: 2024, Month: 1, Day: 1} }, "expires_on", "invalid_expiry"},
		{"no file", func(d *motcua.Document) { d.File.Name = "" }, "file", "file_required"},
		{"empty file", func(d *motcua.Document) { d.File.Size = 0 }, "file", "empty_file"},
		{"bad status", func(d *motcua.Document) { d.Status = "gone" }, "status", "invalid_document_status"},
		{"bad issuer", func(d *motcua.Document) { d.IssuerCode = "!!" }, "issuer_code", "invalid_agency_code"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := validDocument()
			c.change(d)
			wantInvalid(t, d.Validate(), c.field, c.code)
		})
	}
}

func TestDocumentUsable(t *testing.T) {
	t.Parallel()
	day := motcua.Date{Year: 2024, Month: 3, Day: 10}
	d := validDocument()
	if !d.Usable(day) {
		t.Fatal("valid visible document without expiry must be usable")
	}
	d.ExpiresOn = day
	if !d.Usable(day) {
		t.Fatal("a document is usable on its expiry day")
	}
	d.ExpiresOn = day.AddDays(-1)
	if d.Usable(day) {
		t.Fatal("expired document is usable")
	}
	d = validDocument()
	d.Visible = false
	if d.Usable(day) {
		t.Fatal("hidden document is usable")
	}
	d = validDocument()
	d.Status = motcua.DocumentRevoked
	if d.Usable(day) {
		t.Fatal("revoked document is usable")
	}
}

func TestAgencyValidate(t *testing.T) {
	t.Parallel()
	ok := motcua.Agency{Code: "000.00.23.H08", Name: "UBND huyện An Lão", Level: motcua.LevelDistrict, ParentCode: "000.00.00.H08"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	a := ok
	a.Code = "000..H08"
	wantInvalid(t, a.Validate(), "agency_code", "invalid_agency_code")
	a = ok
	a.Name = ""
	wantInvalid(t, a.Validate(), "name", "required")
	a = ok
	a.Level = "village"
	wantInvalid(t, a.Validate(), "level", "invalid_agency_level")
	a = ok
	a.ParentCode = a.Code
	wantInvalid(t, a.Validate(), "parent_code", "invalid_parent")
	a = ok
	a.ParentCode = "x y"
	wantInvalid(t, a.Validate(), "parent_code", "invalid_agency_code")
}

func TestSubjectValidate(t *testing.T) {
	t.Parallel()
	person := motcua.Subject{Code: "052090000495", Kind: motcua.SubjectPerson, Name: "Nguyễn Văn An",
		LegacyID: "215123456", Phone: "0905123456", Email: "an@example.vn"}
	if err := person.Validate(); err != nil {
		t.Fatal(err)
	}
	s := person
	s.Code = "05209000049"
	wantInvalid(t, s.Validate(), "personal_id", "invalid_personal_id")
	s = person
	s.LegacyID = "2151234"
	wantInvalid(t, s.Validate(), "legacy_id", "invalid_legacy_id")
	s = person
	s.Phone = "905123456"
	wantInvalid(t, s.Validate(), "phone", "invalid_phone")
	s = person
	s.Email = "not an email"
	wantInvalid(t, s.Validate(), "email", "invalid_email")
	s = person
	s.Name = " "
	wantInvalid(t, s.Validate(), "name", "required")
	s = person
	s.Kind = ""
	wantInvalid(t, s.Validate(), "kind", "invalid_subject_kind")
	org := motcua.Subject{Code: "4100259564", Kind: motcua.SubjectOrganisation, Name: "Công ty TNHH Xăng dầu An Lão"}
	if err := org.Validate(); err != nil {
		t.Fatal(err)
	}
	org.BirthDate = motcua.Date{Year: 2000, Month: 1, Day: 1}
	wantInvalid(t, org.Validate(), "kind", "invalid_subject_kind")
}

func TestCategoryAndProcedureValidate(t *testing.T) {
	t.Parallel()
	c := motcua.DocumentCategory{Code: "KQ.G15.000031", Name: "Giấy khai sinh", PaperType: motcua.PaperResult}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.ValidityDays = -1
	wantInvalid(t, c.Validate(), "validity_days", "invalid_validity")
	c.ValidityDays = 180
	issued := motcua.Date{Year: 2024, Month: 1, Day: 1}
	if got := c.ExpiryFor(issued); got != (motcua.Date{Year: 2024, Month: 6, Day: 29}) {
		t.Fatalf("ExpiryFor = %v", got)
	}
	c.ValidityMonths = 6
	wantInvalid(t, c.Validate(), "validity_months", "invalid_validity")
	c.ValidityDays = 0
	if got := c.ExpiryFor(motcua.Date{Year: 2025, Month: 8, Day: 31}); got != (motcua.Date{Year: 2026, Month: 3, Day: 3}) {
		t.Fatalf("ExpiryFor 6 months from 31/08/2025 = %v", got)
	}
	if got := c.ExpiryFor(issued); got != (motcua.Date{Year: 2024, Month: 7, Day: 1}) {
		t.Fatalf("ExpiryFor 6 months = %v", got)
	}
	c.ValidityMonths = 0
	if got := c.ExpiryFor(issued); !got.IsZero() {
		t.Fatalf("no validity: ExpiryFor = %v", got)
	}
	c.ValidityDays = 180

	p := motcua.Procedure{Code: "1.000894.000.00.00.H08", Name: "Đăng ký kết hôn",
		Cases: []motcua.ProcedureCase{{Code: "TH1", Name: "1 ngày làm việc", ProcessingDays: 1}},
		Components: []motcua.ProcedureComponent{
			{Code: "TK", Name: "Tờ khai", Required: true, Form: motcua.FormOriginal},
			{Code: "GT", Name: "Giấy tờ tùy thân", Form: motcua.FormCopy, Categories: []string{"KQ.G01.000023"}},
		}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	q := p
	q.Cases = nil
	wantInvalid(t, q.Validate(), "cases", "required")
	q = p
	q.Components = append([]motcua.ProcedureComponent{}, p.Components...)
	q.Components[1].Code = "TK"
	wantInvalid(t, q.Validate(), "components[1]", "duplicate_component")
	q.Components[1].Code = "GT"
	q.Components[1].Form = ""
	wantInvalid(t, q.Validate(), "components[1]", "invalid_paper_form")
	q.Components[1].Form = motcua.FormCopy
	q.Components[1].Categories = []string{"CCCD"}
	wantInvalid(t, q.Validate(), "components[1]", "invalid_category_code")
	q = p
	q.Fees = []motcua.Fee{{Name: "Lệ phí", AmountVND: 2000}, {Name: "Phí", AmountVND: -5}}
	wantInvalid(t, q.Validate(), "fees[1]", "invalid_fee")
	q.Fees = []motcua.Fee{{Name: " ", AmountVND: 5}}
	wantInvalid(t, q.Validate(), "fees[0]", "required")
	q = p
	q.Parties = 3
	wantInvalid(t, q.Validate(), "parties", "invalid_parties")
	q.Parties = 2
	if err := q.Validate(); err != nil {
		t.Fatalf("two parties: %v", err)
	}
	q = p
	q.OnlineLevel = "level4"
	wantInvalid(t, q.Validate(), "online_level", "invalid_online_level")
	q = p
	q.Levels = []motcua.AgencyLevel{motcua.LevelCommune, "ward"}
	wantInvalid(t, q.Validate(), "levels[1]", "invalid_agency_level")
	q = p
	q.Cases = []motcua.ProcedureCase{{Code: "TH1", Name: "Một ngày", Components: []motcua.ProcedureComponent{
		{Code: "A", Name: "A", Form: motcua.FormCopy}, {Code: "A", Name: "B", Form: motcua.FormCopy}}}}
	wantInvalid(t, q.Validate(), "cases[0].components[1]", "duplicate_component")
	q.Cases[0].Components[1] = motcua.ProcedureComponent{Code: "B", Name: "B", Form: motcua.FormCopy, Copies: -1}
	wantInvalid(t, q.Validate(), "cases[0].components[1]", "invalid_count")
	q.Cases[0].Components[1] = motcua.ProcedureComponent{Code: "B", Name: "B", Form: motcua.FormCopy, MaxDocuments: -1}
	wantInvalid(t, q.Validate(), "cases[0].components[1]", "invalid_max_documents")
	if _, ok := p.Component("", "GT"); !ok {
		t.Fatal("Component lookup failed")
	}
	if _, ok := p.Case("TH9"); ok {
		t.Fatal("unknown case found")
	}
}

func TestDossierValidate(t *testing.T) {
	t.Parallel()
	person := motcua.Person{Code: "052090000495", Name: "Nguyễn Văn An"}
	file := motcua.File{Name: "a.pdf", Size: 10, SHA256: strings.Repeat("0", 64)}
	ok := motcua.Dossier{ProcedureCode: "1.000894.000.00.00.H08", CaseCode: "TH1", AgencyCode: "000.23.01.H08",
		Submitter: person, Owner: person, Channel: motcua.ChannelOnline, ResultMethod: motcua.ResultOnline,
		Status: motcua.StatusRegistered,
		Components: []motcua.DossierComponent{{Code: "KS", Name: "Giấy khai sinh", Digitization: motcua.ReusedFromWarehouse,
			Attachments: []motcua.Attachment{{Source: motcua.FromWarehouse, DocumentID: "d1", File: file}}}}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	if !ok.Reused() {
		t.Fatal("a component reused from the warehouse makes the dossier reused")
	}
	cases := []struct {
		change func(d *motcua.Dossier)
		field  string
		code   string
	}{
		{func(d *motcua.Dossier) { d.CaseCode = "" }, "case_code", "required"},
		{func(d *motcua.Dossier) { d.Owner.Code = "abc" }, "owner.code", "invalid_subject_code"},
		{func(d *motcua.Dossier) { d.Submitter.Name = "" }, "submitter.name", "required"},
		{func(d *motcua.Dossier) { d.Channel = 4 }, "channel", "invalid_channel"},
		{func(d *motcua.Dossier) { d.ResultMethod = "" }, "result_method", "invalid_result_method"},
		{func(d *motcua.Dossier) { d.Status = 11 }, "status", "invalid_dossier_status"},
		{func(d *motcua.Dossier) { d.Components[0].Digitization = 4 }, "components[0]", "invalid_digitization"},
		{func(d *motcua.Dossier) { d.Components[0].Attachments = nil }, "components[0]", "attachment_required"},
		{func(d *motcua.Dossier) { d.Components[0].Attachments[0].DocumentID = "" }, "components[0]", "document_required"},
	}
	for _, c := range cases {
		d := ok
		d.Components = []motcua.DossierComponent{ok.Components[0]}
		d.Components[0].Attachments = append([]motcua.Attachment{}, ok.Components[0].Attachments...)
		c.change(&d)
		wantInvalid(t, d.Validate(), c.field, c.code)
	}
	if motcua.StatusResultsReturned.Label() != "Đã trả kết quả" || !motcua.StatusResultsReturned.Final() || motcua.StatusProcessing.Final() {
		t.Fatal("status labels or finality wrong")
	}
}

func TestDate(t *testing.T) {
	t.Parallel()
	d, err := motcua.ParseDate("02/02/2024")
	if err != nil || d != (motcua.Date{Year: 2024, Month: 2, Day: 2}) || d.String() != "2024-02-02" || d.Display() != "02/02/2024" {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
	if _, err := motcua.ParseDate("31/02/2024"); err == nil {
		t.Fatal("31/02 parsed")
	}
	if got := (motcua.Date{Year: 2024, Month: 2, Day: 28}).AddDays(2); got != (motcua.Date{Year: 2024, Month: 3, Day: 1}) {
		t.Fatalf("leap AddDays = %v", got)
	}
	b, _ := d.MarshalJSON()
	var back motcua.Date
	if err := back.UnmarshalJSON(b); err != nil || back != d {
		t.Fatalf("JSON round trip %s → %v, %v", b, back, err)
	}
	var zero motcua.Date
	if b, _ := zero.MarshalJSON(); string(b) != "null" {
		t.Fatalf("zero date JSON = %s", b)
	}
}

func TestErrorHelpers(t *testing.T) {
	t.Parallel()
	nf := motcua.NotFound("document", "x")
	if motcua.ErrorKind(nf) != motcua.ENOTFOUND || motcua.ErrorCode(nf) != "document_not_found" ||
		!strings.Contains(motcua.ErrorMessage(nf), "Không tìm thấy giấy tờ") {
		t.Fatalf("NotFound = %+v", nf)
	}
	c := motcua.Conflict("dossier", "H56-1")
	if !strings.HasPrefix(c.Message, "Hồ sơ") {
		t.Fatalf("Conflict message %q", c.Message)
	}
	plain := errors.New("disk on fire")
	if motcua.ErrorKind(plain) != motcua.EINTERNAL || strings.Contains(motcua.ErrorMessage(plain), "disk") {
		t.Fatal("internal causes must not reach users")
	}
	wrapped := motcua.Internal(plain)
	if !errors.Is(wrapped, plain) {
		t.Fatal("Internal must keep its cause for logs")
	}
}
