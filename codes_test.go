package motcua_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// requireInvalid fails unless err is an EINVALID *motcua.Error with the
// given field and code and a non-empty message.
func requireInvalid(t *testing.T, err error, field, code string) {
	t.Helper()
	var e *motcua.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want *motcua.Error %s/%s", err, err, field, code)
	}
	if e.Kind != motcua.EINVALID || e.Field != field || e.Code != code {
		t.Fatalf("error = kind %q field %q code %q, want kind %q field %q code %q (%v)",
			e.Kind, e.Field, e.Code, motcua.EINVALID, field, code, err)
	}
	if e.Message == "" {
		t.Fatalf("error %v has no user message", err)
	}
}

func TestParsePersonalID(t *testing.T) {
	t.Parallel()

	tests := []struct {
		in   string
		want motcua.PersonalID
	}{
		{"052090000495", motcua.PersonalID{Number: "052090000495", ProvinceCode: "052", ProvinceName: "Bình Định", Sex: motcua.SexMale, BirthYear: 1990}},
		{"052098000814", motcua.PersonalID{Number: "052098000814", ProvinceCode: "052", ProvinceName: "Bình Định", Sex: motcua.SexMale, BirthYear: 1998}},
		{"001185123456", motcua.PersonalID{Number: "001185123456", ProvinceCode: "001", ProvinceName: "Hà Nội", Sex: motcua.SexFemale, BirthYear: 1985}},
		{"079203000001", motcua.PersonalID{Number: "079203000001", ProvinceCode: "079", ProvinceName: "Hồ Chí Minh", Sex: motcua.SexMale, BirthYear: 2003}},
		{"096310000001", motcua.PersonalID{Number: "096310000001", ProvinceCode: "096", ProvinceName: "Cà Mau", Sex: motcua.SexFemale, BirthYear: 2010}},
		{"066000999999", motcua.PersonalID{Number: "066000999999", ProvinceCode: "066", ProvinceName: "Đắk Lắk", Sex: motcua.SexMale, BirthYear: 1900}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := motcua.ParsePersonalID(tt.in)
			if err != nil {
				t.Fatalf("ParsePersonalID(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParsePersonalID(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if err := motcua.ValidatePersonalID(tt.in); err != nil {
				t.Fatalf("ValidatePersonalID(%q): %v", tt.in, err)
			}
		})
	}

	// A person born this year is valid; next year is not.
	yy := time.Now().Year() % 100
	thisYear := fmt.Sprintf("0522%02d000001", yy)
	if _, err := motcua.ParsePersonalID(thisYear); err != nil {
		t.Errorf("ParsePersonalID(%q) (born this year): %v", thisYear, err)
	}
}

func TestParsePersonalIDInvalid(t *testing.T) {
	t.Parallel()

	nextYear := time.Now().Year() + 1
	tests := []struct {
		in   string
		code string
	}{
		{"", "invalid_personal_id"},
		{"05209000049", "invalid_personal_id"},   // 11 digits
		{"0520900004950", "invalid_personal_id"}, // 13 digits
		{"05209000049a", "invalid_personal_id"},
		{" 52090000495", "invalid_personal_id"},
		{"052090000495 ", "invalid_personal_id"},
		{"０52090000495", "invalid_personal_id"}, // full-width digit
		{"052-90000495", "invalid_personal_id"},
		{"000090000495", "unknown_province_code"},
		{"003090000495", "unknown_province_code"}, // gap in the table
		{"097090000495", "unknown_province_code"},
		{"999090000495", "unknown_province_code"},
		{"052400000495", "invalid_birth_year"}, // 2100
		{"052990000495", "invalid_birth_year"}, // 2399
		{fmt.Sprintf("052%d%02d000001", 2*((nextYear-1900)/100), nextYear%100), "invalid_birth_year"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			_, err := motcua.ParsePersonalID(tt.in)
			requireInvalid(t, err, "personal_id", tt.code)
			requireInvalid(t, motcua.ValidatePersonalID(tt.in), "personal_id", tt.code)
		})
	}
}

func TestProvinceName(t *testing.T) {
	t.Parallel()

	count := 0
	for i := range 1000 {
		code := fmt.Sprintf("%03d", i)
		name, ok := motcua.ProvinceName(code)
		if ok {
			count++
			if name == "" {
				t.Errorf("ProvinceName(%q) is empty", code)
			}
		}
	}
	if count != 63 {
		t.Errorf("province table has %d codes, want 63", count)
	}
	for code, want := range map[string]string{"001": "Hà Nội", "052": "Bình Định", "096": "Cà Mau", "077": "Bà Rịa - Vũng Tàu"} {
		if got, ok := motcua.ProvinceName(code); !ok || got != want {
			t.Errorf("ProvinceName(%q) = %q, %v; want %q", code, got, ok, want)
		}
	}
	for _, code := range []string{"", "52", "0052", "abc"} {
		if _, ok := motcua.ProvinceName(code); ok {
			t.Errorf("ProvinceName(%q) ok, want not found", code)
		}
	}
}

func TestIsLegacyCMND(t *testing.T) {
	t.Parallel()

	for s, want := range map[string]bool{
		"215123456":    true,
		"000000000":    true,
		"21512345":     false,
		"2151234567":   false,
		"052090000495": false,
		"21512345a":    false,
		"":             false,
	} {
		if got := motcua.IsLegacyCMND(s); got != want {
			t.Errorf("IsLegacyCMND(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestValidateAgencyCode(t *testing.T) {
	t.Parallel()

	for _, s := range []string{"000.00.06.H56", "000.00.00.H30", "H56.14", "000.23.36.H08", "a.b", "1.2.3.4.5", "h56.14"} {
		if err := motcua.ValidateAgencyCode(s); err != nil {
			t.Errorf("ValidateAgencyCode(%q): %v", s, err)
		}
	}
	for _, s := range []string{
		"", "H56", ".H56", "H56.", "000..00", "1.2.3.4.5.6", "000.00.06.H56-1", "000.00.06 .H56",
		"000.00.Đ6.H56", "000.00.06.H56\n", strings.Repeat("1", 30) + "." + strings.Repeat("2", 30),
	} {
		requireInvalid(t, motcua.ValidateAgencyCode(s), "agency_code", "invalid_agency_code")
	}
}

func TestValidateCategoryCode(t *testing.T) {
	t.Parallel()

	for _, s := range []string{"KQ.G15.000021", "KQ.G02.000144", "KQ.G01.000023", "KQ.G15.000031", "KQ.DEMO.000001"} {
		if err := motcua.ValidateCategoryCode(s); err != nil {
			t.Errorf("ValidateCategoryCode(%q): %v", s, err)
		}
	}
	for _, s := range []string{
		"", "KQ", "KQ.G15", "KQ.G15.", "KQ.G15.00002", "KQ.G15.0000211", "kq.g15.000021", "KQ.G1.000021",
		"KQ.G150.000021", "KQ.X15.000021", "KQ.G1A.000021", "KQ.DEMO.00001", "KQ.DEM.000001",
		"KQ.G15.000021.", "KQ.G15.000021.01", "XX.G15.000021", " KQ.G15.000021",
	} {
		requireInvalid(t, motcua.ValidateCategoryCode(s), "category_code", "invalid_category_code")
	}
}

func TestValidateProcedureCode(t *testing.T) {
	t.Parallel()

	for _, s := range []string{"1.003560.000.00.00.H56", "1.003560", "2.002183.000.00.00.H08", "12.000001.H56"} {
		if err := motcua.ValidateProcedureCode(s); err != nil {
			t.Errorf("ValidateProcedureCode(%q): %v", s, err)
		}
	}
	for _, s := range []string{
		"", "1", "1.", "1.00356", "1.0035600", ".003560", "a.003560", "1.003560.", "1.003560..H56",
		"1.003560.000-00", "1.00356a.000", "1.003560.Đ", "1.003560." + strings.Repeat("0", 60),
	} {
		requireInvalid(t, motcua.ValidateProcedureCode(s), "procedure_code", "invalid_procedure_code")
	}
}

func TestValidateSubjectCode(t *testing.T) {
	t.Parallel()

	for _, s := range []string{"052090000495", "0000000000", "4100259236", "4100259236-001", "000.00.06.H56", "H56.14"} {
		if err := motcua.ValidateSubjectCode(s); err != nil {
			t.Errorf("ValidateSubjectCode(%q): %v", s, err)
		}
	}
	for _, s := range []string{
		"", "05209000049", "0520900004950", "410025923", "4100259236-01", "4100259236-0011", "4100259236_001",
		"410025923a", "H56", "052090000495 ", "4100259236-00a",
	} {
		requireInvalid(t, motcua.ValidateSubjectCode(s), "subject_code", "invalid_subject_code")
	}
}

func TestParseResultCode(t *testing.T) {
	t.Parallel()

	tests := []struct {
		in   string
		want motcua.ResultCode
	}{
		{"052090000495.KQ.G15.000021.02022024", motcua.ResultCode{Owner: "052090000495", Category: "KQ.G15.000021", Number: "02022024"}},
		{"052098000814.KQ.G02.000144.CS10387", motcua.ResultCode{Owner: "052098000814", Category: "KQ.G02.000144", Number: "CS10387"}},
		{"0000000000.KQ.G15.000021.02022024", motcua.ResultCode{Owner: "0000000000", Category: "KQ.G15.000021", Number: "02022024"}},
		{"052090000495.KQ.G15.000021.02022024.03", motcua.ResultCode{Owner: "052090000495", Category: "KQ.G15.000021", Number: "02022024", Suffix: 3}},
		{"052090000495.KQ.G15.000021.02022024.99", motcua.ResultCode{Owner: "052090000495", Category: "KQ.G15.000021", Number: "02022024", Suffix: 99}},
		{"4100259236-001.KQ.G02.000144.123/GCN-SCT", motcua.ResultCode{Owner: "4100259236-001", Category: "KQ.G02.000144", Number: "123/GCN-SCT"}},
		{"000.00.06.H56.KQ.DEMO.000001.so_1", motcua.ResultCode{Owner: "000.00.06.H56", Category: "KQ.DEMO.000001", Number: "so_1"}},
		// A number that looks like a suffix is the number when nothing follows it.
		{"052090000495.KQ.G15.000021.03", motcua.ResultCode{Owner: "052090000495", Category: "KQ.G15.000021", Number: "03"}},
		{"052090000495.KQ.G15.000021.03.01", motcua.ResultCode{Owner: "052090000495", Category: "KQ.G15.000021", Number: "03", Suffix: 1}},
		// An agency owner with a "KQ" group still parses.
		{"H56.KQ.KQ.G15.000021.X1", motcua.ResultCode{Owner: "H56.KQ", Category: "KQ.G15.000021", Number: "X1"}},
		{"1.KQ.2.KQ.G15.000021.X1", motcua.ResultCode{Owner: "1.KQ.2", Category: "KQ.G15.000021", Number: "X1"}},
		{"052090000495.KQ.G15.000021." + strings.Repeat("A", 40), motcua.ResultCode{Owner: "052090000495", Category: "KQ.G15.000021", Number: strings.Repeat("A", 40)}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := motcua.ParseResultCode(tt.in)
			if err != nil {
				t.Fatalf("ParseResultCode(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParseResultCode(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Fatalf("String() = %q, want %q", s, tt.in)
			}
			wantPrefix := tt.want.Owner + "." + tt.want.Category + "." + tt.want.Number
			if p := got.Prefix(); p != wantPrefix {
				t.Fatalf("Prefix() = %q, want %q", p, wantPrefix)
			}
		})
	}
}

func TestParseResultCodeInvalid(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name, in string
		msgHas   string // a word of the message that names the wrong part
	}{
		{"empty", "", "KQ"},
		{"no catalogue", "052090000495.G15.000021.02022024", "KQ"},
		{"lowercase kq", "052090000495.kq.G15.000021.02022024", "KQ"},
		{"no owner", ".KQ.G15.000021.02022024", "chủ thể"},
		{"short owner", "05209000049.KQ.G15.000021.02022024", "chủ thể"},
		{"bad owner", "05209000049x.KQ.G15.000021.02022024", "chủ thể"},
		{"owner with space", "052090000495 .KQ.G15.000021.02022024", "chủ thể"},
		{"bad ministry", "052090000495.KQ.G1.000021.02022024", "danh mục"},
		{"bad result number", "052090000495.KQ.G15.00021.02022024", "danh mục"},
		{"category only", "052090000495.KQ.G15", "danh mục"},
		{"no number", "052090000495.KQ.G15.000021", "số giấy tờ"},
		{"empty number", "052090000495.KQ.G15.000021.", "Số giấy tờ"},
		{"number with space", "052090000495.KQ.G15.000021.02 2024", "Số giấy tờ"},
		{"number with accent", "052090000495.KQ.G15.000021.QĐ-UBND", "Số giấy tờ"},
		{"number too long", "052090000495.KQ.G15.000021." + strings.Repeat("A", 41), "Số giấy tờ"},
		{"number with dots", "052090000495.KQ.G15.000021.A.B.01", "Số giấy tờ"},
		{"suffix 00", "052090000495.KQ.G15.000021.02022024.00", "Hậu tố"},
		{"suffix one digit", "052090000495.KQ.G15.000021.02022024.3", "Hậu tố"},
		{"suffix three digits", "052090000495.KQ.G15.000021.02022024.003", "Hậu tố"},
		{"suffix letters", "052090000495.KQ.G15.000021.02022024.AB", "Hậu tố"},
		{"suffix empty", "052090000495.KQ.G15.000021.02022024.", "Hậu tố"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := motcua.ParseResultCode(tt.in)
			requireInvalid(t, err, "result_code", "invalid_result_code")
			if msg := motcua.ErrorMessage(err); !strings.Contains(msg, tt.msgHas) {
				t.Fatalf("message %q does not mention %q", msg, tt.msgHas)
			}
		})
	}
}

func TestNewResultCode(t *testing.T) {
	t.Parallel()

	c, err := motcua.NewResultCode("052090000495", "KQ.G15.000021", "02022024")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.String(), "052090000495.KQ.G15.000021.02022024"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}

	c3 := c.WithSuffix(3)
	if got, want := c3.String(), "052090000495.KQ.G15.000021.02022024.03"; got != want {
		t.Fatalf("WithSuffix(3).String() = %q, want %q", got, want)
	}
	if c3.Prefix() != c.String() {
		t.Fatalf("Prefix() = %q, want %q", c3.Prefix(), c.String())
	}
	if c.Suffix != 0 {
		t.Fatalf("WithSuffix modified the receiver: %+v", c)
	}
	if got := c3.WithSuffix(0).String(); got != c.String() {
		t.Fatalf("WithSuffix(0).String() = %q, want %q", got, c.String())
	}
	for _, n := range []int{1, 10, 99} {
		s := c.WithSuffix(n).String()
		back, err := motcua.ParseResultCode(s)
		if err != nil || back != c.WithSuffix(n) {
			t.Fatalf("ParseResultCode(%q) = %+v, %v; want %+v", s, back, err, c.WithSuffix(n))
		}
	}

	bad := []struct {
		owner, category, number string
		field, code             string
	}{
		{"05209000049", "KQ.G15.000021", "1", "subject_code", "invalid_subject_code"},
		{"", "KQ.G15.000021", "1", "subject_code", "invalid_subject_code"},
		{"052090000495", "KQ.G15.21", "1", "category_code", "invalid_category_code"},
		{"052090000495", "", "1", "category_code", "invalid_category_code"},
		{"052090000495", "KQ.G15.000021", "", "document_number", "invalid_document_number"},
		{"052090000495", "KQ.G15.000021", "1.2", "document_number", "invalid_document_number"},
		{"052090000495", "KQ.G15.000021", "số 1", "document_number", "invalid_document_number"},
		{"052090000495", "KQ.G15.000021", strings.Repeat("9", 41), "document_number", "invalid_document_number"},
	}
	for _, tt := range bad {
		_, err := motcua.NewResultCode(tt.owner, tt.category, tt.number)
		requireInvalid(t, err, tt.field, tt.code)
	}
}

func TestParseDossierCode(t *testing.T) {
	t.Parallel()

	loc := motcua.VietnamLocation()
	tests := []struct {
		in   string
		want motcua.DossierCode
	}{
		{"000.00.06.H56-231027-0361", motcua.DossierCode{Unit: "000.00.06.H56", Day: time.Date(2023, 10, 27, 0, 0, 0, 0, loc), Seq: 361}},
		{"H56.14-240823-0001", motcua.DossierCode{Unit: "H56.14", Day: time.Date(2024, 8, 23, 0, 0, 0, 0, loc), Seq: 1}},
		{"000.23.36.H08-240229-9999", motcua.DossierCode{Unit: "000.23.36.H08", Day: time.Date(2024, 2, 29, 0, 0, 0, 0, loc), Seq: 9999}},
		{"000.00.00.H30-000101-0010", motcua.DossierCode{Unit: "000.00.00.H30", Day: time.Date(2000, 1, 1, 0, 0, 0, 0, loc), Seq: 10}},
		{"000.00.00.H30-991231-0010", motcua.DossierCode{Unit: "000.00.00.H30", Day: time.Date(2099, 12, 31, 0, 0, 0, 0, loc), Seq: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := motcua.ParseDossierCode(tt.in)
			if err != nil {
				t.Fatalf("ParseDossierCode(%q): %v", tt.in, err)
			}
			if got.Unit != tt.want.Unit || !got.Day.Equal(tt.want.Day) || got.Seq != tt.want.Seq {
				t.Fatalf("ParseDossierCode(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if got.Day.Location() != loc {
				t.Fatalf("Day location = %v, want %v", got.Day.Location(), loc)
			}
			if s := got.String(); s != tt.in {
				t.Fatalf("String() = %q, want %q", s, tt.in)
			}
		})
	}
}

func TestParseDossierCodeInvalid(t *testing.T) {
	t.Parallel()

	for _, s := range []string{
		"",
		"000.00.06.H56",
		"000.00.06.H56-231027",
		"000.00.06.H56-231027-0361-1",
		"-231027-0361",
		"H56-231027-0361",            // one group is not an agency code
		"000.00.06.H56.-231027-0361", // empty group
		"000.00.06.H5 6-231027-0361",
		"000.00.06.H56-2310270-0361",
		"000.00.06.H56-23102-0361",
		"000.00.06.H56-23102a-0361",
		"000.00.06.H56-231327-0361", // month 13
		"000.00.06.H56-230229-0361", // 2023 is not a leap year
		"000.00.06.H56-231000-0361", // day 0
		"000.00.06.H56-230431-0361", // 31 April
		"000.00.06.H56-000001-0361", // month 0
		"000.00.06.H56-231027-0000",
		"000.00.06.H56-231027-361",
		"000.00.06.H56-231027-10000",
		"000.00.06.H56-231027-03a1",
		"000.00.06.H56-231027-+361",
		"000.00.06.H56_231027_0361",
	} {
		_, err := motcua.ParseDossierCode(s)
		requireInvalid(t, err, "dossier_code", "invalid_dossier_code")
	}
}

func TestNewDossierCode(t *testing.T) {
	t.Parallel()

	// 17:30 UTC on 26 Oct is 00:30 on 27 Oct in Vietnam: the day is the Vietnamese one.
	at := time.Date(2023, 10, 26, 17, 30, 0, 0, time.UTC)
	c, err := motcua.NewDossierCode("000.00.06.H56", at, 361)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.String(), "000.00.06.H56-231027-0361"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
	if want := time.Date(2023, 10, 27, 0, 0, 0, 0, motcua.VietnamLocation()); !c.Day.Equal(want) {
		t.Fatalf("Day = %v, want %v", c.Day, want)
	}
	back, err := motcua.ParseDossierCode(c.String())
	if err != nil || back.Unit != c.Unit || !back.Day.Equal(c.Day) || back.Seq != c.Seq {
		t.Fatalf("ParseDossierCode(%q) = %+v, %v; want %+v", c.String(), back, err, c)
	}

	// 16:59 UTC is still 23:59 of the same Vietnamese day.
	c, err = motcua.NewDossierCode("H56.14", time.Date(2024, 8, 23, 16, 59, 0, 0, time.UTC), 1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.String(), "H56.14-240823-0001"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}

	_, err = motcua.NewDossierCode("000.00.06.H56", at, 10000)
	requireInvalid(t, err, "dossier_code", "dossier_sequence_exhausted")
	_, err = motcua.NewDossierCode("000.00.06.H56", at, 0)
	requireInvalid(t, err, "dossier_code", "invalid_dossier_code")
	_, err = motcua.NewDossierCode("000.00.06.H56", time.Date(1999, 12, 31, 12, 0, 0, 0, time.UTC), 1)
	requireInvalid(t, err, "dossier_code", "invalid_dossier_code")
	_, err = motcua.NewDossierCode("000.00.06.H56", time.Date(2100, 1, 1, 12, 0, 0, 0, time.UTC), 1)
	requireInvalid(t, err, "dossier_code", "invalid_dossier_code")
	_, err = motcua.NewDossierCode("H56", at, 1)
	requireInvalid(t, err, "agency_code", "invalid_agency_code")
}

func TestLocalDay(t *testing.T) {
	t.Parallel()

	loc := motcua.VietnamLocation()
	if _, off := time.Date(2024, 7, 1, 0, 0, 0, 0, loc).Zone(); off != 7*3600 {
		t.Fatalf("VietnamLocation offset = %d, want %d", off, 7*3600)
	}
	if motcua.VietnamLocation() != loc {
		t.Fatal("VietnamLocation is not computed once")
	}
	tests := []struct {
		in   time.Time
		want time.Time
	}{
		{time.Date(2023, 10, 26, 17, 0, 0, 0, time.UTC), time.Date(2023, 10, 27, 0, 0, 0, 0, loc)},
		{time.Date(2023, 10, 26, 16, 59, 59, 0, time.UTC), time.Date(2023, 10, 26, 0, 0, 0, 0, loc)},
		{time.Date(2023, 10, 27, 23, 59, 59, 999, loc), time.Date(2023, 10, 27, 0, 0, 0, 0, loc)},
	}
	for _, tt := range tests {
		got := motcua.LocalDay(tt.in)
		if !got.Equal(tt.want) || got.Location() != loc {
			t.Errorf("LocalDay(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestComponentAndCertifiedCopyCodes(t *testing.T) {
	t.Parallel()

	if got, want := motcua.ComponentCode("052090000495", "1.003560.000.00.00.H56", "TP1", 0), "052090000495.1.003560.000.00.00.H56.TP1"; got != want {
		t.Errorf("ComponentCode = %q, want %q", got, want)
	}
	if got, want := motcua.ComponentCode("052090000495", "1.003560.000.00.00.H56", "TP1", 2), "052090000495.1.003560.000.00.00.H56.TP1.02"; got != want {
		t.Errorf("ComponentCode = %q, want %q", got, want)
	}
	if got, want := motcua.CertifiedCopyCode("052090000495", "KQ.G15.000031.123", 1), "052090000495.KQ.G15.000031.123.STP-SCT.01"; got != want {
		t.Errorf("CertifiedCopyCode = %q, want %q", got, want)
	}
	if got, want := motcua.CertifiedCopyCode("052090000495", "ABC", 42), "052090000495.ABC.STP-SCT.42"; got != want {
		t.Errorf("CertifiedCopyCode = %q, want %q", got, want)
	}
}

func FuzzParseResultCode(f *testing.F) {
	for _, s := range []string{
		"052090000495.KQ.G15.000021.02022024",
		"052098000814.KQ.G02.000144.CS10387",
		"0000000000.KQ.G15.000021.02022024",
		"052090000495.KQ.G15.000021.02022024.03",
		"000.00.06.H56.KQ.DEMO.000001.A/1",
		"H56.KQ.KQ.G15.000021.X1",
		"052090000495.KQ.G15.000021.02022024.00",
		".KQ.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := motcua.ParseResultCode(s)
		if err != nil {
			var e *motcua.Error
			if !errors.As(err, &e) || e.Code != "invalid_result_code" || e.Field != "result_code" {
				t.Fatalf("ParseResultCode(%q) error = %v, want invalid_result_code", s, err)
			}
			return
		}
		if got := c.String(); got != s {
			t.Fatalf("ParseResultCode(%q).String() = %q", s, got)
		}
		again, err := motcua.NewResultCode(c.Owner, c.Category, c.Number)
		if err != nil {
			t.Fatalf("NewResultCode(%+v) rejects a parsed code: %v", c, err)
		}
		if again.WithSuffix(c.Suffix) != c {
			t.Fatalf("NewResultCode = %+v, want %+v", again.WithSuffix(c.Suffix), c)
		}
	})
}

func FuzzParseDossierCode(f *testing.F) {
	for _, s := range []string{
		"000.00.06.H56-231027-0361",
		"H56.14-240823-0001",
		"000.00.06.H56-230229-0361",
		"000.00.06.H56-231027-0000",
		"--",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := motcua.ParseDossierCode(s)
		if err != nil {
			var e *motcua.Error
			if !errors.As(err, &e) || e.Code != "invalid_dossier_code" || e.Field != "dossier_code" {
				t.Fatalf("ParseDossierCode(%q) error = %v, want invalid_dossier_code", s, err)
			}
			return
		}
		if got := c.String(); got != s {
			t.Fatalf("ParseDossierCode(%q).String() = %q", s, got)
		}
		again, err := motcua.NewDossierCode(c.Unit, c.Day, c.Seq)
		if err != nil {
			t.Fatalf("NewDossierCode(%+v) rejects a parsed code: %v", c, err)
		}
		if again.String() != s {
			t.Fatalf("NewDossierCode(%+v).String() = %q, want %q", c, again.String(), s)
		}
	})
}

func TestIsComponentCode(t *testing.T) {
	for _, tc := range []struct {
		code, owner string
		want        bool
	}{
		{"052090000495.1.001193.000.00.00.H08.TP03", "052090000495", true},
		{"052090000495.1.001193.000.00.00.H08.TP03.02", "052090000495", true},
		{"052090000495.1.TP03", "052090000495", false}, // no procedure code
		{"052090000496.1.001193.000.00.00.H08.TP03", "052090000495", false},
		{"052090000495.TP03", "052090000495", false},
		{"052090000495.1.001193.000.00.00.H08.TP-03", "052090000495", false},
		{"052090000495.KQ.G15.000031.123", "052090000495", false},
	} {
		if got := motcua.IsComponentCode(tc.code, tc.owner); got != tc.want {
			t.Errorf("IsComponentCode(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
}
