package motcua

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file holds every identifier format of the system in one place, so
// that a format can be corrected where the published shape turns out to be
// wrong. Where the legal text was not available the shapes follow what
// deployed systems use (SPEC §8 "Codes").

// ---------------------------------------------------------------------------
// Personal identification number (số định danh cá nhân), TT 07/2016/TT-BCA art. 7.

// Sex as encoded in the personal identification number.
type Sex string

const (
	SexMale   Sex = "male"
	SexFemale Sex = "female"
)

// PersonalID is a parsed 12-digit personal identification number.
type PersonalID struct {
	Number       string // the 12 digits as given
	ProvinceCode string // 3-digit province of birth registration
	ProvinceName string
	Sex          Sex
	BirthYear    int
}

// ParsePersonalID parses a 12-digit personal identification number: a
// 3-digit province of birth registration, one digit for century and sex
// (even = male, odd = female; 0/1 1900s, 2/3 2000s, 4/5 2100s, 6/7 2200s,
// 8/9 2300s), two digits of birth year and six random digits.
//
// Errors are EINVALID on field "personal_id" with code
// "invalid_personal_id" (not exactly 12 ASCII digits),
// "unknown_province_code" (province not in the TT 07/2016 table) or
// "invalid_birth_year" (birth year after the current year).
func ParsePersonalID(s string) (PersonalID, error) {
	if len(s) != 12 || !allDigits(s) {
		return PersonalID{}, Invalid("personal_id", "invalid_personal_id",
			"Số định danh cá nhân phải gồm đúng 12 chữ số.")
	}
	province := s[:3]
	name, ok := ProvinceName(province)
	if !ok {
		return PersonalID{}, Invalid("personal_id", "unknown_province_code",
			fmt.Sprintf("Mã tỉnh nơi đăng ký khai sinh %q (3 chữ số đầu của số định danh cá nhân) không có trong danh mục 63 tỉnh, thành phố.", province))
	}
	century := int(s[3] - '0')
	sex := SexMale
	if century%2 == 1 {
		sex = SexFemale
	}
	year := 1900 + 100*(century/2) + int(s[4]-'0')*10 + int(s[5]-'0')
	if year > time.Now().Year() {
		return PersonalID{}, Invalid("personal_id", "invalid_birth_year",
			fmt.Sprintf("Năm sinh %d suy ra từ số định danh cá nhân (chữ số thứ 4 đến 6) lớn hơn năm hiện tại.", year))
	}
	return PersonalID{Number: s, ProvinceCode: province, ProvinceName: name, Sex: sex, BirthYear: year}, nil
}

// ValidatePersonalID reports the error ParsePersonalID would return.
func ValidatePersonalID(s string) error {
	_, err := ParsePersonalID(s)
	return err
}

// IsLegacyCMND reports whether s has the shape of a legacy 9-digit identity
// card number (CMND). Mapping it to a personal identification number is the
// population database's job.
func IsLegacyCMND(s string) bool { return len(s) == 9 && allDigits(s) }

// ProvinceName returns the name of a province of birth registration from
// the 3-digit codes of TT 07/2016/TT-BCA (63 provinces; the codes keep their
// meaning after later province mergers because they record where a birth
// was registered).
func ProvinceName(code string) (string, bool) {
	var name string
	switch code {
	case "001":
		name = "Hà Nội"
	case "002":
		name = "Hà Giang"
	case "004":
		name = "Cao Bằng"
	case "006":
		name = "Bắc Kạn"
	case "008":
		name = "Tuyên Quang"
	case "010":
		name = "Lào Cai"
	case "011":
		name = "Điện Biên"
	case "012":
		name = "Lai Châu"
	case "014":
		name = "Sơn La"
	case "015":
		name = "Yên Bái"
	case "017":
		name = "Hòa Bình"
	case "019":
		name = "Thái Nguyên"
	case "020":
		name = "Lạng Sơn"
	case "022":
		name = "Quảng Ninh"
	case "024":
		name = "Bắc Giang"
	case "025":
		name = "Phú Thọ"
	case "026":
		name = "Vĩnh Phúc"
	case "027":
		name = "Bắc Ninh"
	case "030":
		name = "Hải Dương"
	case "031":
		name = "Hải Phòng"
	case "033":
		name = "Hưng Yên"
	case "034":
		name = "Thái Bình"
	case "035":
		name = "Hà Nam"
	case "036":
		name = "Nam Định"
	case "037":
		name = "Ninh Bình"
	case "038":
		name = "Thanh Hóa"
	case "040":
		name = "Nghệ An"
	case "042":
		name = "Hà Tĩnh"
	case "044":
		name = "Quảng Bình"
	case "045":
		name = "Quảng Trị"
	case "046":
		name = "Thừa Thiên Huế"
	case "048":
		name = "Đà Nẵng"
	case "049":
		name = "Quảng Nam"
	case "051":
		name = "Quảng Ngãi"
	case "052":
		name = "Bình Định"
	case "054":
		name = "Phú Yên"
	case "056":
		name = "Khánh Hòa"
	case "058":
		name = "Ninh Thuận"
	case "060":
		name = "Bình Thuận"
	case "062":
		name = "Kon Tum"
	case "064":
		name = "Gia Lai"
	case "066":
		name = "Đắk Lắk"
	case "067":
		name = "Đắk Nông"
	case "068":
		name = "Lâm Đồng"
	case "070":
		name = "Bình Phước"
	case "072":
		name = "Tây Ninh"
	case "074":
		name = "Bình Dương"
	case "075":
		name = "Đồng Nai"
	case "077":
		name = "Bà Rịa - Vũng Tàu"
	case "079":
		name = "Hồ Chí Minh"
	case "080":
		name = "Long An"
	case "082":
		name = "Tiền Giang"
	case "083":
		name = "Bến Tre"
	case "084":
		name = "Trà Vinh"
	case "086":
		name = "Vĩnh Long"
	case "087":
		name = "Đồng Tháp"
	case "089":
		name = "An Giang"
	case "091":
		name = "Kiên Giang"
	case "092":
		name = "Cần Thơ"
	case "093":
		name = "Hậu Giang"
	case "094":
		name = "Sóc Trăng"
	case "095":
		name = "Bạc Liêu"
	case "096":
		name = "Cà Mau"
	default:
		return "", false
	}
	return name, true
}

// ---------------------------------------------------------------------------
// Agency electronic code (mã định danh điện tử), QCVN 102:2016/BTTTT.

// maxAgencyCodeLen bounds agency codes; the longest real shape
// ("000.00.00.H30") is far shorter, so anything longer is garbage.
const maxAgencyCodeLen = 50

// ValidateAgencyCode checks only the dotted shape of an agency electronic
// code: 2 to 5 non-empty groups of ASCII letters and digits separated by
// dots, e.g. "000.00.06.H56" or "H56.14". The codes themselves are data
// loaded from the catalogue. Error: EINVALID, field "agency_code", code
// "invalid_agency_code".
func ValidateAgencyCode(s string) error {
	if !isAgencyCode(s) {
		return Invalid("agency_code", "invalid_agency_code", msgAgencyCode)
	}
	return nil
}

const msgAgencyCode = "Mã định danh điện tử của cơ quan phải gồm từ 2 đến 5 nhóm chữ cái hoặc chữ số (không dấu), ngăn cách bằng dấu chấm, ví dụ 000.00.00.H30."

func isAgencyCode(s string) bool {
	if len(s) > maxAgencyCodeLen {
		return false
	}
	groups := strings.Split(s, ".")
	if len(groups) < 2 || len(groups) > 5 {
		return false
	}
	for _, g := range groups {
		if g == "" || !allAlnum(g) {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------
// Document category (national result catalogue) code.

// ValidateCategoryCode checks a result-catalogue code: "KQ.Gnn.nnnnnn"
// (Gnn = issuing ministry, nnnnnn = result number), or the clearly local
// demo form "KQ.DEMO.nnnnnn" used where the national code is unknown.
// Error: EINVALID, field "category_code", code "invalid_category_code".
func ValidateCategoryCode(s string) error {
	if !isCategoryCode(s) {
		return Invalid("category_code", "invalid_category_code", msgCategoryCode)
	}
	return nil
}

const msgCategoryCode = "Mã danh mục giấy tờ phải có dạng KQ.Gnn.nnnnnn (ví dụ KQ.G15.000031) hoặc KQ.DEMO.nnnnnn."

func isCategoryCode(s string) bool {
	rest, ok := strings.CutPrefix(s, "KQ.")
	if !ok {
		return false
	}
	group, number, ok := strings.Cut(rest, ".")
	if !ok || len(number) != 6 || !allDigits(number) {
		return false
	}
	if group == "DEMO" {
		return true
	}
	return len(group) == 3 && group[0] == 'G' && allDigits(group[1:])
}

// ---------------------------------------------------------------------------
// Procedure code.

const maxProcedureCodeLen = 64

// ValidateProcedureCode checks the shape of a procedure code such as
// "1.003560.000.00.00.H56": one or more digits, a dot and the six digits of
// the national procedure code, optionally followed by dot-separated groups
// of ASCII letters and digits naming the implementing unit. Error: EINVALID,
// field "procedure_code", code "invalid_procedure_code".
func ValidateProcedureCode(s string) error {
	if !isProcedureCode(s) {
		return Invalid("procedure_code", "invalid_procedure_code",
			"Mã thủ tục hành chính phải bắt đầu bằng chữ số, dấu chấm và 6 chữ số (ví dụ 1.003560), có thể tiếp theo là các nhóm chữ cái hoặc chữ số ngăn cách bằng dấu chấm (ví dụ 1.003560.000.00.00.H56).")
	}
	return nil
}

func isProcedureCode(s string) bool {
	if len(s) > maxProcedureCodeLen {
		return false
	}
	groups := strings.Split(s, ".")
	if len(groups) < 2 || groups[0] == "" || !allDigits(groups[0]) ||
		len(groups[1]) != 6 || !allDigits(groups[1]) {
		return false
	}
	for _, g := range groups[2:] {
		if g == "" || !allAlnum(g) {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------
// Subject (owner) identifiers.

// ValidateSubjectCode checks the shape of an owner identifier: a 12-digit
// personal identification number, an organisation's tax/enterprise code
// (10 digits, or 10 digits "-" 3 digits for a branch), or an agency
// electronic code. Only the shape is checked: use ValidatePersonalID to also
// check a person's province and birth year. Error: EINVALID, field
// "subject_code", code "invalid_subject_code".
func ValidateSubjectCode(s string) error {
	if !isSubjectCode(s) {
		return Invalid("subject_code", "invalid_subject_code", msgSubjectCode)
	}
	return nil
}

const msgSubjectCode = "Mã chủ thể phải là số định danh cá nhân (12 chữ số), mã số thuế hoặc mã số doanh nghiệp (10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số) hoặc mã định danh điện tử của cơ quan."

func isSubjectCode(s string) bool {
	switch {
	case len(s) == 12 && allDigits(s):
		return true
	case len(s) == 10 && allDigits(s):
		return true
	case len(s) == 14 && s[10] == '-' && allDigits(s[:10]) && allDigits(s[11:]):
		return true
	}
	return isAgencyCode(s)
}

// OwnerKind tells from an owner identifier whose it is, checking it the
// way its kind is checked everywhere else: 12 digits are a person's
// personal identification number (ParsePersonalID: province, century and
// birth year), never an organisation's; 10 digits (or 10-3 for a branch)
// are a tax/enterprise code and an agency electronic code is an agency,
// both organisations. Errors: ParsePersonalID's for 12 digits, otherwise
// ValidateSubjectCode's.
func OwnerKind(code string) (SubjectKind, error) {
	if len(code) == 12 && allDigits(code) {
		if err := ValidatePersonalID(code); err != nil {
			return "", err
		}
		return SubjectPerson, nil
	}
	if err := ValidateSubjectCode(code); err != nil {
		return "", err
	}
	return SubjectOrganisation, nil
}

// ---------------------------------------------------------------------------
// Result code (mã kết quả).

// ResultCode is <owner id>.<category code>.<document number>[.NN], e.g.
// "052090000495.KQ.G15.000021.02022024". Suffix is the uniqueness counter
// added when the prefix already exists (1..99); 0 means no suffix.
type ResultCode struct {
	Owner    string // subject code of the owner
	Category string // KQ.Gnn.nnnnnn
	Number   string // document number, no dots
	Suffix   int
}

const maxDocumentNumberLen = 40

// String returns the code with its suffix, if any, as two digits.
func (c ResultCode) String() string {
	if c.Suffix == 0 {
		return c.Prefix()
	}
	return fmt.Sprintf("%s.%02d", c.Prefix(), c.Suffix)
}

// Prefix returns the code without its uniqueness suffix.
func (c ResultCode) Prefix() string {
	return c.Owner + "." + c.Category + "." + c.Number
}

// WithSuffix returns c with uniqueness suffix n (1..99; 0 removes it).
// Codes with a suffix outside 0..99 do not parse.
func (c ResultCode) WithSuffix(n int) ResultCode {
	c.Suffix = n
	return c
}

// ParseResultCode parses a result code. The owner is everything before
// ".KQ."; document numbers never contain dots, so a trailing ".NN" after the
// number is always the uniqueness suffix. Error: EINVALID, field
// "result_code", code "invalid_result_code", with a message naming the
// part that is wrong.
func ParseResultCode(s string) (ResultCode, error) {
	const sep = ".KQ."
	var firstErr error
	// An agency owner could, in theory, contain a "KQ" group; try each
	// ".KQ." in turn. At most one split of a well-formed code parses,
	// because the part after the category holds at most one dot.
	for from := 0; ; {
		i := strings.Index(s[from:], sep)
		if i < 0 {
			break
		}
		i += from
		c, err := parseResultCodeAt(s, i)
		if err == nil {
			return c, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		from = i + 1
	}
	if firstErr != nil {
		return ResultCode{}, firstErr
	}
	return ResultCode{}, invalidResultCode("Mã kết quả phải có dạng <mã chủ thể>.KQ.Gnn.nnnnnn.<số giấy tờ>, ví dụ 052090000495.KQ.G15.000021.02022024; không tìm thấy phần mã danh mục bắt đầu bằng KQ.")
}

// parseResultCodeAt parses s with the owner ending at index i, where
// s[i:] starts with ".KQ.".
func parseResultCodeAt(s string, i int) (ResultCode, error) {
	owner := s[:i]
	if !isSubjectCode(owner) {
		return ResultCode{}, invalidResultCode("Mã chủ thể trong mã kết quả không hợp lệ: " + msgSubjectCode)
	}
	// Category is exactly three dot groups: KQ, Gnn and nnnnnn.
	rest := s[i+1:]
	parts := strings.SplitN(rest, ".", 4)
	if len(parts) < 3 || !isCategoryCode(strings.Join(parts[:3], ".")) {
		return ResultCode{}, invalidResultCode("Mã danh mục trong mã kết quả phải có dạng KQ.Gnn.nnnnnn hoặc KQ.DEMO.nnnnnn.")
	}
	if len(parts) < 4 {
		return ResultCode{}, invalidResultCode("Mã kết quả thiếu số giấy tờ sau mã danh mục.")
	}
	c := ResultCode{Owner: owner, Category: strings.Join(parts[:3], ".")}
	number, suffix, hasSuffix := strings.Cut(parts[3], ".")
	if !isDocumentNumber(number) || strings.Contains(suffix, ".") {
		return ResultCode{}, invalidResultCode(msgResultNumber)
	}
	c.Number = number
	if hasSuffix {
		n, ok := parseSuffix(suffix)
		if !ok {
			return ResultCode{}, invalidResultCode("Hậu tố phân biệt ở cuối mã kết quả phải gồm đúng 2 chữ số, từ 01 đến 99.")
		}
		c.Suffix = n
	}
	return c, nil
}

const msgResultNumber = "Số giấy tờ trong mã kết quả phải gồm 1 đến 40 ký tự là chữ cái không dấu, chữ số, '-', '/' hoặc '_' (không có dấu chấm)."

func invalidResultCode(msg string) *Error {
	return Invalid("result_code", "invalid_result_code", msg)
}

// NewResultCode builds a result code without suffix, validating each part.
// Errors are EINVALID: "invalid_subject_code" on field "subject_code",
// "invalid_category_code" on field "category_code", or
// "invalid_document_number" on field "document_number".
func NewResultCode(owner, category, number string) (ResultCode, error) {
	if err := ValidateSubjectCode(owner); err != nil {
		return ResultCode{}, err
	}
	if err := ValidateCategoryCode(category); err != nil {
		return ResultCode{}, err
	}
	if !isDocumentNumber(number) {
		return ResultCode{}, Invalid("document_number", "invalid_document_number",
			"Số giấy tờ dùng trong mã kết quả phải gồm 1 đến 40 ký tự là chữ cái không dấu, chữ số, '-', '/' hoặc '_' (không có dấu chấm).")
	}
	return ResultCode{Owner: owner, Category: category, Number: number}, nil
}

func isDocumentNumber(s string) bool {
	if len(s) == 0 || len(s) > maxDocumentNumberLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !isASCIIAlnum(b) && b != '-' && b != '/' && b != '_' {
			return false
		}
	}
	return true
}

// parseSuffix parses a two-digit uniqueness suffix 01..99.
func parseSuffix(s string) (int, bool) {
	if len(s) != 2 || !allDigits(s) {
		return 0, false
	}
	n := int(s[0]-'0')*10 + int(s[1]-'0')
	return n, n > 0
}

// ---------------------------------------------------------------------------
// Dossier code (mã số hồ sơ), TT 01/2018/TT-VPCP art. 19.

// DossierCode is <receiving unit's electronic code>-<YYMMDD>-<NNNN>, e.g.
// "000.00.06.H56-231027-0361". Seq runs 0001..9999 per unit and day.
type DossierCode struct {
	Unit string    // agency electronic code of the receiving unit
	Day  time.Time // midnight in Asia/Ho_Chi_Minh
	Seq  int
}

// String formats the code. Day is read in Asia/Ho_Chi_Minh.
func (c DossierCode) String() string {
	return fmt.Sprintf("%s-%s-%04d", c.Unit, c.Day.In(VietnamLocation()).Format("060102"), c.Seq)
}

const msgDossierShape = "Mã hồ sơ phải có dạng <mã đơn vị tiếp nhận>-<YYMMDD>-<NNNN>, ví dụ 000.00.06.H56-231027-0361."

func invalidDossierCode(msg string) *Error {
	return Invalid("dossier_code", "invalid_dossier_code", msg)
}

// ParseDossierCode parses a dossier code; the date must be a real calendar
// date (years 2000–2099) and the sequence 0001..9999. Error: EINVALID,
// field "dossier_code", code "invalid_dossier_code".
func ParseDossierCode(s string) (DossierCode, error) {
	parts := strings.Split(s, "-")
	if len(parts) != 3 {
		return DossierCode{}, invalidDossierCode(msgDossierShape)
	}
	unit, date, seq := parts[0], parts[1], parts[2]
	if !isAgencyCode(unit) {
		return DossierCode{}, invalidDossierCode("Mã đơn vị tiếp nhận trong mã hồ sơ không hợp lệ: " + msgAgencyCode)
	}
	if len(date) != 6 || !allDigits(date) {
		return DossierCode{}, invalidDossierCode("Ngày tiếp nhận trong mã hồ sơ phải gồm 6 chữ số theo dạng YYMMDD. " + msgDossierShape)
	}
	yy, _ := strconv.Atoi(date[0:2])
	mm, _ := strconv.Atoi(date[2:4])
	dd, _ := strconv.Atoi(date[4:6])
	loc := VietnamLocation()
	day := time.Date(2000+yy, time.Month(mm), dd, 0, 0, 0, 0, loc)
	if y, m, d := day.Date(); y != 2000+yy || int(m) != mm || d != dd {
		return DossierCode{}, invalidDossierCode(fmt.Sprintf("Ngày tiếp nhận %q trong mã hồ sơ không phải là một ngày có thật (dạng YYMMDD).", date))
	}
	if len(seq) != 4 || !allDigits(seq) || seq == "0000" {
		return DossierCode{}, invalidDossierCode("Số thứ tự trong ngày của mã hồ sơ phải gồm đúng 4 chữ số, từ 0001 đến 9999.")
	}
	n, _ := strconv.Atoi(seq)
	return DossierCode{Unit: unit, Day: day, Seq: n}, nil
}

// NewDossierCode builds the code of the seq-th dossier that unit received on
// t's calendar day in Asia/Ho_Chi_Minh.
//
// Errors (all EINVALID): the unit's "invalid_agency_code" (field
// "agency_code"); "invalid_dossier_code" (field "dossier_code") when seq < 1
// or the day is outside 2000–2099, which YYMMDD cannot express;
// "dossier_sequence_exhausted" (field "dossier_code") when seq > 9999.
func NewDossierCode(unit string, t time.Time, seq int) (DossierCode, error) {
	if err := ValidateAgencyCode(unit); err != nil {
		return DossierCode{}, err
	}
	day := LocalDay(t)
	if y := day.Year(); y < 2000 || y > 2099 {
		return DossierCode{}, invalidDossierCode(fmt.Sprintf("Ngày tiếp nhận thuộc năm %d, nằm ngoài khoảng 2000–2099 mà mã hồ sơ (YYMMDD) biểu diễn được.", y))
	}
	if seq < 1 {
		return DossierCode{}, invalidDossierCode("Số thứ tự trong ngày của mã hồ sơ phải bắt đầu từ 0001.")
	}
	if seq > 9999 {
		return DossierCode{}, Invalid("dossier_code", "dossier_sequence_exhausted",
			"Đơn vị đã tiếp nhận đủ 9999 hồ sơ trong ngày; không thể cấp thêm mã hồ sơ cho ngày này.")
	}
	return DossierCode{Unit: unit, Day: day, Seq: seq}, nil
}

// ---------------------------------------------------------------------------
// Digitized component and e-certified copy codes.

// ComponentCode returns the code of a digitized dossier component:
// <owner id>.<procedure code>.<component code>, plus ".NN" when suffix > 0.
// The parts are not validated; callers pass codes they already hold.
func ComponentCode(owner, procedureCode, componentCode string, suffix int) string {
	s := owner + "." + procedureCode + "." + componentCode
	if suffix > 0 {
		s += fmt.Sprintf(".%02d", suffix)
	}
	return s
}

// IsComponentCode reports whether s is a digitized component's code of
// owner: <owner>.<procedure code>.<component code>[.NN].
func IsComponentCode(s, owner string) bool {
	rest, ok := strings.CutPrefix(s, owner+".")
	if !ok || owner == "" {
		return false
	}
	if i := strings.LastIndexByte(rest, '.'); i > 0 {
		if _, ok := parseSuffix(rest[i+1:]); ok {
			rest = rest[:i]
		}
	}
	i := strings.LastIndexByte(rest, '.')
	if i <= 0 {
		return false
	}
	comp := rest[i+1:]
	return comp != "" && len(comp) <= 20 && allAlnum(comp) && isProcedureCode(rest[:i])
}

// CertifiedCopyCode returns the code of the n-th electronic certified copy
// (01..99) of a document: <owner id>.<document code>.STP-SCT.NN.
func CertifiedCopyCode(owner, documentCode string, n int) string {
	return fmt.Sprintf("%s.%s.STP-SCT.%02d", owner, documentCode, n)
}

// certifiedCopyMark separates the original's code from the copy counter.
const certifiedCopyMark = ".STP-SCT."

// CertifiedCopy is a parsed certified copy code: the original's result
// code (owner, category, number) and the copy counter NN (1..99).
type CertifiedCopy struct {
	Original ResultCode
	N        int
}

// String returns the copy's code.
func (c CertifiedCopy) String() string {
	return c.Prefix() + fmt.Sprintf(".%02d", c.N)
}

// Prefix returns the code without its counter: <original>.STP-SCT.
func (c CertifiedCopy) Prefix() string {
	return c.Original.String() + strings.TrimSuffix(certifiedCopyMark, ".")
}

// ParseCertifiedCopyCode parses <owner id>.<category>.<number>.STP-SCT.NN,
// whose part before ".STP-SCT" is the original's result code. Error:
// EINVALID, field "document_code", code "invalid_certified_copy_code".
func ParseCertifiedCopyCode(s string) (CertifiedCopy, error) {
	bad := func(msg string) error {
		return Invalid("document_code", "invalid_certified_copy_code", msg)
	}
	i := strings.LastIndex(s, certifiedCopyMark)
	if i < 0 {
		return CertifiedCopy{}, bad("Mã bản sao chứng thực phải có dạng <số định danh>.<mã giấy tờ>.STP-SCT.NN.")
	}
	n, ok := parseSuffix(s[i+len(certifiedCopyMark):])
	if !ok {
		return CertifiedCopy{}, bad("Số thứ tự bản sao ở cuối mã bản sao chứng thực phải gồm đúng 2 chữ số, từ 01 đến 99.")
	}
	orig, err := ParseResultCode(s[:i])
	if err != nil {
		return CertifiedCopy{}, bad("Phần mã giấy tờ bản chính trong mã bản sao chứng thực không hợp lệ: " + ErrorMessage(err))
	}
	return CertifiedCopy{Original: orig, N: n}, nil
}

// ValidateWarehouseCode checks the code of a warehouse document: a result
// code or a certified copy code. Error: EINVALID, code
// "invalid_result_code", with the result code's message.
func ValidateWarehouseCode(s string) error {
	_, err := ParseResultCode(s)
	if err != nil && strings.Contains(s, certifiedCopyMark) {
		if _, cerr := ParseCertifiedCopyCode(s); cerr == nil {
			return nil
		}
	}
	return err
}

// ---------------------------------------------------------------------------

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isASCIIAlnum(s[i]) {
			return false
		}
	}
	return true
}

func isASCIIAlnum(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}
