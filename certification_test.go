package motcua_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func TestCertificationFee(t *testing.T) {
	t.Parallel()
	std := motcua.DefaultCertificationFees()
	noCap := std
	noCap.MaxPerCopyVND = 0
	local := motcua.CertificationFees{FirstPages: 3, FirstPageVND: 3000, LaterPageVND: 1500, MaxPerCopyVND: 10000}
	for _, c := range []struct {
		fees  motcua.CertificationFees
		pages int
		want  int64
	}{
		{std, 0, 0},
		{std, -3, 0},
		{std, 1, 2000},
		{std, 2, 4000},
		{std, 3, 5000},
		{std, 10, 12000},
		{std, 196, 198000},
		{std, 197, 199000},
		{std, 198, 200000}, // exactly the cap
		{std, 199, 200000}, // capped
		{std, 5000, 200000},
		{noCap, 5000, 4000 + 4998*1000},
		{local, 2, 6000},
		{local, 3, 9000},
		{local, 4, 10000}, // 10.500 capped
		{local, 5, 10000},
		{motcua.CertificationFees{LaterPageVND: 500}, 4, 2000}, // no first-page price
	} {
		t.Run(fmt.Sprintf("%+v/%d", c.fees, c.pages), func(t *testing.T) {
			if got := c.fees.Fee(c.pages); got != c.want {
				t.Errorf("Fee(%d) = %d, want %d", c.pages, got, c.want)
			}
		})
	}
	if err := std.Validate(); err != nil {
		t.Fatal(err)
	}
	wantInvalid(t, motcua.CertificationFees{FirstPageVND: -1}.Validate(), "fees", "invalid_fee_rule")
	if got := motcua.FormatVND(202000); got != "202.000 đồng" {
		t.Errorf("FormatVND = %q", got)
	}
}

func TestParseCertifiedCopyCode(t *testing.T) {
	t.Parallel()
	code := motcua.CertifiedCopyCode("052090000495", "KQ.G15.000031.123-2019", 7)
	c, err := motcua.ParseCertifiedCopyCode(code)
	if err != nil {
		t.Fatal(err)
	}
	if c.Original.Owner != "052090000495" || c.Original.Category != "KQ.G15.000031" || c.Original.Number != "123-2019" || c.N != 7 {
		t.Fatalf("parsed %+v", c)
	}
	if c.String() != code || c.Prefix() != "052090000495.KQ.G15.000031.123-2019.STP-SCT" {
		t.Fatalf("String %q Prefix %q", c.String(), c.Prefix())
	}
	for _, bad := range []string{
		"052090000495.KQ.G15.000031.123",             // no STP-SCT
		"052090000495.KQ.G15.000031.123.STP-SCT.00",  // counter 00
		"052090000495.KQ.G15.000031.123.STP-SCT.1",   // one digit
		"052090000495.KQ.G15.000031.123.STP-SCT.100", // three digits
		"052090000495.ABC.STP-SCT.01",                // no category
		"12.KQ.G15.000031.123.STP-SCT.01",            // bad owner
	} {
		_, err := motcua.ParseCertifiedCopyCode(bad)
		wantInvalid(t, err, "document_code", "invalid_certified_copy_code")
	}
	// Warehouse documents accept both result codes and copy codes, and
	// nothing else.
	for _, ok := range []string{code, "052090000495.KQ.G15.000031.123"} {
		if err := motcua.ValidateWarehouseCode(ok); err != nil {
			t.Errorf("ValidateWarehouseCode(%q): %v", ok, err)
		}
	}
	wantInvalid(t, motcua.ValidateWarehouseCode("052090000495.KQ.G15.000031.123.STP-SCT.xx"), "result_code", "invalid_result_code")
}

func validEntry() *motcua.CertificationEntry {
	at := time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)
	return &motcua.CertificationEntry{AgencyCode: "000.24.01.H08", Year: 2026, CertifiedAt: at,
		OfficerUsername: "chungthuc.thitran", OfficerName: "Võ Minh Tuấn",
		RequesterCode: "052090000495", RequesterName: "Nguyễn Văn An",
		OriginalName: "Giấy khai sinh", OriginalCode: "KQ.G15.000031.123", Pages: 2, FeeVND: 4000,
		DocumentID: "d1", DocumentCode: "052090000495.KQ.G15.000031.123.STP-SCT.01"}
}

func TestCertificationEntryValidate(t *testing.T) {
	t.Parallel()
	if err := validEntry().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, field, code string
		change            func(e *motcua.CertificationEntry)
	}{
		{"agency", "agency_code", "invalid_agency_code", func(e *motcua.CertificationEntry) { e.AgencyCode = "x" }},
		{"year", "year", "invalid_book_year", func(e *motcua.CertificationEntry) { e.Year = 1999 }},
		{"year of time", "certified_at", "invalid_certified_at", func(e *motcua.CertificationEntry) { e.Year = 2025 }},
		// 31/12 20:00 UTC is already 1 January in Việt Nam: next year's book.
		{"local new year", "certified_at", "invalid_certified_at", func(e *motcua.CertificationEntry) {
			e.CertifiedAt = time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC)
			e.Year = 2025
		}},
		{"officer", "officer", "officer_required", func(e *motcua.CertificationEntry) { e.OfficerName = " " }},
		{"requester", "requester_code", "invalid_requester_code", func(e *motcua.CertificationEntry) { e.RequesterCode = "123" }},
		{"requester name", "requester_name", "requester_name_required", func(e *motcua.CertificationEntry) { e.RequesterName = "" }},
		{"original name", "original_name", "original_name_required", func(e *motcua.CertificationEntry) { e.OriginalName = "" }},
		{"original code", "original_code", "invalid_original_code", func(e *motcua.CertificationEntry) { e.OriginalCode = "GKS.123" }},
		{"zero pages", "pages", "invalid_pages", func(e *motcua.CertificationEntry) { e.Pages = 0 }},
		{"too many pages", "pages", "invalid_pages", func(e *motcua.CertificationEntry) { e.Pages = motcua.MaxCertificationPages + 1 }},
		{"fee", "fee", "invalid_fee", func(e *motcua.CertificationEntry) { e.FeeVND = -1 }},
		{"document", "document_id", "document_required", func(e *motcua.CertificationEntry) { e.DocumentID = "" }},
		{"document code", "document_code", "invalid_certified_copy_code", func(e *motcua.CertificationEntry) {
			e.DocumentCode = "052090000495.KQ.G15.000031.123"
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := validEntry()
			c.change(e)
			wantInvalid(t, e.Validate(), c.field, c.code)
		})
	}
	if got := validEntry().BookReference(); got != "0/2026" {
		t.Errorf("BookReference = %q", got)
	}
}

func TestCertifiedCopyExpiry(t *testing.T) {
	t.Parallel()
	d := func(y int, m time.Month, day int) motcua.Date { return motcua.Date{Year: y, Month: m, Day: day} }
	for _, c := range []struct {
		issued, want motcua.Date
		days         int // the copy's usable span, for the record
	}{
		{d(2026, time.December, 7), d(2027, time.June, 7), 182},
		{d(2026, time.January, 15), d(2026, time.July, 15), 181},
		{d(2028, time.January, 15), d(2028, time.July, 15), 182}, // leap year
		{d(2026, time.August, 31), d(2027, time.March, 3), 184},  // no 31 February: Go's AddDate normalizes
		{motcua.Date{}, motcua.Date{}, 0},
	} {
		got := motcua.CertifiedCopyExpiry(c.issued)
		if got != c.want {
			t.Errorf("CertifiedCopyExpiry(%v) = %v, want %v", c.issued, got, c.want)
		}
		if !c.issued.IsZero() {
			if days := int(got.Time().Sub(c.issued.Time()).Hours()+12) / 24; days != c.days {
				t.Errorf("%v: %d days, want %d", c.issued, days, c.days)
			}
		}
	}
}

func TestNextCertifiedCopy(t *testing.T) {
	t.Parallel()
	original := motcua.ResultCode{Owner: "052090000495", Category: "KQ.G15.000031", Number: "88-2003"}
	for _, c := range []struct {
		original motcua.ResultCode
		taken    int
		want     string
		err      string
	}{
		{original, 0, "052090000495.KQ.G15.000031.88-2003.STP-SCT.01", ""},
		{original, 41, "052090000495.KQ.G15.000031.88-2003.STP-SCT.42", ""},
		{original, 98, "052090000495.KQ.G15.000031.88-2003.STP-SCT.99", ""},
		{original.WithSuffix(3), 0, "052090000495.KQ.G15.000031.88-2003.STP-SCT.01", ""}, // the original's counter is not its code
		{original, 99, "", "too_many_copies"},
	} {
		got, err := motcua.NextCertifiedCopy(c.original, c.taken)
		if motcua.ErrorCode(err) != c.err || (err == nil && got.String() != c.want) {
			t.Errorf("NextCertifiedCopy(%v, %d) = %v, %v; want %s %s", c.original, c.taken, got, err, c.want, c.err)
			continue
		}
		if err == nil {
			if back, err := motcua.ParseCertifiedCopyCode(got.String()); err != nil || back != got {
				t.Errorf("%s does not parse back: %v %v", got, back, err)
			}
		}
	}
}

func TestCopiedOriginal(t *testing.T) {
	t.Parallel()
	const owner = "052090000495"
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"KQ.G15.000031.88-2003", owner + ".KQ.G15.000031.88-2003", true},
		{" KQ.G15.000031.88-2003 ", owner + ".KQ.G15.000031.88-2003", true},
		{"88-2003", "", false},                  // a number without the original's category
		{"KQ.G15.000031", "", false},            // a category without a number
		{"KQ.G15.000031.88-2003.02", "", false}, // a counter: not a document code
		{"052090000495.KQ.G15.000031.88-2003", "", false},
		{"", "", false},
	} {
		got, err := motcua.CopiedOriginal(owner, c.in)
		if c.ok != (err == nil) || (c.ok && got.String() != c.want) {
			t.Errorf("CopiedOriginal(%q) = %v, %v; want %s ok=%v", c.in, got, err, c.want, c.ok)
		}
		if err != nil && motcua.ErrorCode(err) != "invalid_original_code" {
			t.Errorf("CopiedOriginal(%q): code %s", c.in, motcua.ErrorCode(err))
		}
	}
}
