// Package popdb is motcua's adapter to the National Population Database
// (Cơ sở dữ liệu quốc gia về dân cư, CSDLQG về dân cư), reached through the
// provincial data-exchange platform.
//
// It offers the three identity services of SPEC §4.5: Verify (kiểm tra
// danh tính số: does this name, id and date of birth belong to one
// citizen?), Lookup (tra cứu thông tin công dân: the citizen's record, to
// fill the submitter form) and MapLegacyID (xác định số định danh cá nhân
// từ số chứng minh nhân dân). The HTTP contract is docs/popdb.md; the
// package popdbsim serves it for development and tests.
//
// Every query carries who asks and why (Query.ActorKind, ActorID,
// AgencyCode, Purpose, DossierID), is sent to the database with it, and is
// appended to motcua's audit log, because every read of personal data must
// be traceable by its owner ("who used my data", SPEC §9).
package popdb

import (
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Citizen is the record the population database returns for one person
// (SPEC §8). Text fields hold what the database holds, in Vietnamese.
type Citizen struct {
	PersonalID string `json:"personal_id"`         // 12-digit số định danh cá nhân
	LegacyID   string `json:"legacy_id,omitempty"` // old 9-digit CMND, when the person had one
	FullName   string `json:"full_name"`
	FamilyName string `json:"family_name"`           // họ
	MiddleName string `json:"middle_name,omitempty"` // chữ đệm
	GivenName  string `json:"given_name"`            // tên

	Sex       motcua.Sex  `json:"sex"`
	BirthDate motcua.Date `json:"birth_date"`

	Ethnicity              string `json:"ethnicity,omitempty"`      // dân tộc, e.g. "Kinh"
	Religion               string `json:"religion,omitempty"`       // tôn giáo, e.g. "Không"
	MaritalStatus          string `json:"marital_status,omitempty"` // tình trạng hôn nhân, e.g. "Đã kết hôn"
	BirthRegistrationPlace string `json:"birth_registration_place,omitempty"`
	HomeTown               string `json:"home_town,omitempty"` // quê quán

	PermanentAddress Address `json:"permanent_address,omitzero"` // nơi thường trú
	CurrentAddress   Address `json:"current_address,omitzero"`   // nơi ở hiện tại
	Nationality      string  `json:"nationality,omitempty"`      // quốc tịch, e.g. "Việt Nam"

	Father         Relative `json:"father,omitzero"`
	Mother         Relative `json:"mother,omitzero"`
	Spouse         Relative `json:"spouse,omitzero"`
	Representative Relative `json:"representative,omitzero"` // người đại diện (of a minor or a ward)
	HouseholdHead  Relative `json:"household_head,omitzero"` // chủ hộ
}

// Address is an address as the population database records it: the
// administrative unit codes of the General Statistics Office (province 2
// digits, district 3, ward or commune 5) plus the free-text detail (house
// number, street, hamlet).
type Address struct {
	ProvinceCode string `json:"province_code,omitempty"`
	DistrictCode string `json:"district_code,omitempty"`
	WardCode     string `json:"ward_code,omitempty"`
	Detail       string `json:"detail,omitempty"`
}

// Relative names a related person; PersonalID is empty when the database
// holds none (older relatives often have no personal id on record).
type Relative struct {
	Name       string `json:"name,omitempty"`
	PersonalID string `json:"personal_id,omitempty"`
}

// SplitFullName splits a Vietnamese full name into family name (first
// word), middle name (the words between) and given name (last word). A
// one-word name is a given name only.
func SplitFullName(full string) (family, middle, given string) {
	words := strings.Fields(full)
	switch len(words) {
	case 0:
		return "", "", ""
	case 1:
		return "", "", words[0]
	}
	return words[0], strings.Join(words[1:len(words)-1], " "), words[len(words)-1]
}

// Purpose says why a query is made; it is sent to the database and kept in
// the audit log.
type Purpose string

// The three places of SPEC §4.5 (seed 004) where identity is checked, and
// the agency push of a result for an owner motcua has not met yet.
const (
	PurposeCounter          Purpose = "counter"           // the officer's "Kiểm tra danh tính số" at the counter
	PurposeRegistration     Purpose = "registration"      // account registration on the portal
	PurposeOnlineSubmission Purpose = "online_submission" // "Đồng ý và tiếp tục" when submitting online
	// PurposeResultPush: an agency system pushes a result (e.g. a birth
	// certificate) through motcua's API for a person who has no warehouse
	// yet; the owner is created only after a match.
	PurposeResultPush Purpose = "result_push"
)

// Kinds of actor (Query.ActorKind), sent to the database and kept in the
// audit log.
const (
	ActorOfficer    = "officer"    // an officer at the counter (ActorID required)
	ActorCitizen    = "citizen"    // the citizen, self-service
	ActorSystem     = "system"     // motcua itself, unattended
	ActorIntegrator = "integrator" // an agency system through motcua's API (ActorID "client:<id>" required)
)

func validActorKind(k string) bool {
	switch k {
	case ActorOfficer, ActorCitizen, ActorSystem, ActorIntegrator:
		return true
	}
	return false
}

func (p Purpose) valid() bool {
	switch p {
	case PurposeCounter, PurposeRegistration, PurposeOnlineSubmission, PurposeResultPush:
		return true
	}
	return false
}

// Query is one request to the population database: who asks and why, and
// the identity claimed.
//
// The identity is a 12-digit personal id (PersonalID), an old 9-digit CMND
// (LegacyID), or both (then both must belong to the same citizen). A 9-digit
// number in PersonalID is taken as a CMND, because forms have one "Số
// CCCD/CMND" field. FullName and BirthDate are always required: the
// database never answers on an id alone.
type Query struct {
	// RequestID identifies the request end to end (motcua's audit log, the
	// database's log). Generated when empty.
	RequestID string
	// ActorKind is who asks: ActorOfficer, ActorCitizen, ActorSystem or
	// ActorIntegrator. When empty it follows Purpose: "officer" at the
	// counter, "integrator" for a result push, "citizen" otherwise.
	ActorKind string
	// ActorID is the officer's id (mã cán bộ) at the counter, the citizen's
	// account id when self-service, empty before an account exists, the
	// API client ("client:<id>") for an integrator. Required when
	// ActorKind is "officer" or "integrator".
	ActorID    string
	AgencyCode string // the officer's or the integrator's agency
	Purpose    Purpose
	// ServiceCode is the code of the procedure (mã thủ tục) the data is
	// read for, when known.
	ServiceCode string
	DossierID   string

	PersonalID string
	LegacyID   string
	FullName   string
	BirthDate  motcua.Date
}

// Error codes of the package, stable for API clients.
const (
	CodeUnavailable      = motcua.CodePopulationUnavailable // EUNAVAILABLE: unreachable, 5xx or timeout
	CodeCitizenNotFound  = "citizen_not_found"              // ENOTFOUND: Lookup found no citizen with this identity
	CodeLegacyIDNotFound = "legacy_id_not_found"            // ENOTFOUND: MapLegacyID found no citizen
	CodeUnauthorized     = "popdb_unauthorized"             // EINTERNAL: the database refused motcua's credentials
	CodeProtocol         = "popdb_protocol_error"           // EINTERNAL: an answer outside the contract
	CodeAuditFailed      = "popdb_audit_failed"             // EINTERNAL: the read could not be logged, so its answer is withheld
	codeInvalidLegacyID  = "invalid_legacy_id"              // EINVALID on legacy_id
	codeInvalidPurpose   = "invalid_purpose"                // EINVALID on purpose
	codeInvalidActorKind = "invalid_actor_kind"             // EINVALID on actor_kind
	codeInvalidBirthDate = "invalid_birth_date"             // EINVALID on birth_date
	codeRequired         = "required"                       // EINVALID on a missing field
	codeIDConflict       = "conflicting_legacy_id"          // EINVALID: two different CMND numbers given
)

// User messages (Vietnamese). UnavailableMessage is the one SPEC §9 asks
// for: it says what happened and what to do instead.
const (
	UnavailableMessage = motcua.PopulationUnavailableMessage
	// NoMatchMessage is what the UI shows when Verify returns false (the
	// seed's "xác thực thất bại").
	NoMatchMessage      = motcua.IdentityMismatchMessage
	msgCitizenNotFound  = "Không tìm thấy công dân có Họ và tên, Số CCCD/CMND và Ngày sinh đã nhập trong Cơ sở dữ liệu quốc gia về dân cư. Vui lòng kiểm tra lại thông tin đã nhập."
	msgLegacyIDNotFound = "Không tìm thấy số định danh cá nhân ứng với số chứng minh nhân dân, Họ và tên và Ngày sinh đã nhập trong Cơ sở dữ liệu quốc gia về dân cư."
	msgSystemError      = "Hệ thống gặp lỗi khi kết nối Cơ sở dữ liệu quốc gia về dân cư. Vui lòng thử lại sau hoặc đến Bộ phận Tiếp nhận và Trả kết quả để được hỗ trợ."
)

// normalized returns q with white space trimmed, a CMND typed into
// PersonalID moved to LegacyID and ActorKind defaulted, or the EINVALID
// error for the first bad field in form order (Họ và tên, Số CCCD/CMND,
// Ngày sinh). needLegacy requires a CMND (MapLegacyID).
func (q Query) normalized(needLegacy bool, now time.Time) (Query, error) {
	q.PersonalID = strings.TrimSpace(q.PersonalID)
	q.LegacyID = strings.TrimSpace(q.LegacyID)
	q.FullName = strings.Join(strings.Fields(q.FullName), " ")
	q.ActorKind = strings.TrimSpace(q.ActorKind)
	q.ActorID = strings.TrimSpace(q.ActorID)
	if q.RequestID = strings.TrimSpace(q.RequestID); q.RequestID == "" {
		q.RequestID = newRequestID()
	}

	if !q.Purpose.valid() {
		return q, motcua.Invalid("purpose", codeInvalidPurpose,
			"Mục đích tra cứu Cơ sở dữ liệu quốc gia về dân cư phải là tiếp nhận tại Bộ phận Một cửa, đăng ký tài khoản, nộp hồ sơ trực tuyến hoặc trả kết quả vào kho dữ liệu.")
	}
	if q.ActorKind == "" {
		switch q.Purpose {
		case PurposeCounter:
			q.ActorKind = ActorOfficer
		case PurposeResultPush:
			q.ActorKind = ActorIntegrator
		default:
			q.ActorKind = ActorCitizen
		}
	}
	if !validActorKind(q.ActorKind) {
		return q, motcua.Invalid("actor_kind", codeInvalidActorKind,
			"Người tra cứu Cơ sở dữ liệu quốc gia về dân cư phải là cán bộ, công dân, hệ thống hoặc ứng dụng tích hợp.")
	}
	if q.ActorKind == ActorOfficer && q.ActorID == "" {
		return q, motcua.Invalid("actor_id", codeRequired, "Thiếu mã cán bộ thực hiện kiểm tra danh tính số.")
	}
	if q.ActorKind == ActorIntegrator && q.ActorID == "" {
		return q, motcua.Invalid("actor_id", codeRequired, "Thiếu mã ứng dụng tích hợp thực hiện tra cứu.")
	}

	if q.FullName == "" {
		return q, motcua.Invalid("full_name", codeRequired, "Họ và tên không được để trống.")
	}
	if motcua.IsLegacyCMND(q.PersonalID) {
		if q.LegacyID != "" && q.LegacyID != q.PersonalID {
			return q, motcua.Invalid("legacy_id", codeIDConflict, "Hai số chứng minh nhân dân đã nhập khác nhau.")
		}
		q.LegacyID, q.PersonalID = q.PersonalID, ""
	}
	if q.PersonalID != "" {
		if err := motcua.ValidatePersonalID(q.PersonalID); err != nil {
			return q, err
		}
	}
	if q.LegacyID != "" && !motcua.IsLegacyCMND(q.LegacyID) {
		return q, motcua.Invalid("legacy_id", codeInvalidLegacyID, "Số chứng minh nhân dân phải gồm đúng 9 chữ số.")
	}
	switch {
	case needLegacy && q.LegacyID == "":
		return q, motcua.Invalid("legacy_id", codeRequired, "Nhập số chứng minh nhân dân (9 chữ số).")
	case q.PersonalID == "" && q.LegacyID == "":
		return q, motcua.Invalid("personal_id", codeRequired,
			"Nhập số định danh cá nhân (số CCCD, 12 chữ số) hoặc số chứng minh nhân dân (9 chữ số).")
	}

	if q.BirthDate.IsZero() {
		return q, motcua.Invalid("birth_date", codeRequired, "Ngày sinh không được để trống.")
	}
	if _, err := motcua.ParseDate(q.BirthDate.String()); err != nil {
		return q, motcua.Invalid("birth_date", codeInvalidBirthDate, "Ngày sinh không phải là một ngày có thật.")
	}
	if motcua.DateOf(now).Before(q.BirthDate) {
		return q, motcua.Invalid("birth_date", codeInvalidBirthDate, "Ngày sinh không được sau ngày hôm nay.")
	}
	return q, nil
}

// objectID is the id the query names the citizen by, for the audit log.
func (q Query) objectID() string {
	if q.PersonalID != "" {
		return q.PersonalID
	}
	return q.LegacyID
}
