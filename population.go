package motcua

import "time"

// IdentityPurpose says why motcua reads the national population database;
// it travels with the query and is kept in the audit log, because every
// read of personal data must be traceable by its owner (SPEC §9).
type IdentityPurpose string

// The three places of SPEC §4.5 (seed 004) where identity is checked, and
// the agency push of a result for an owner motcua has not met yet.
const (
	PurposeCounter          IdentityPurpose = "counter"           // the officer's "Kiểm tra danh tính số" at the counter
	PurposeRegistration     IdentityPurpose = "registration"      // account registration on the portal
	PurposeOnlineSubmission IdentityPurpose = "online_submission" // "Đồng ý và tiếp tục" when submitting online
	PurposeResultPush       IdentityPurpose = "result_push"       // an agency pushes a result for a person without a warehouse
)

// Kinds of actor behind an identity query, as in AuditEvent.ActorKind.
const (
	ActorOfficer    = "officer"    // an officer at the counter (ActorID required)
	ActorCitizen    = "citizen"    // the citizen, self-service
	ActorSystem     = "system"     // motcua itself, unattended
	ActorIntegrator = "integrator" // an agency system through motcua's API (ActorID "client:<id>" required)
)

// IdentityQuery is one question to the national population database: who
// asks and why, and the identity claimed. FullName and BirthDate are always
// required: the database never answers on an id alone.
type IdentityQuery struct {
	ActorKind  string // ActorOfficer, ActorCitizen, ActorSystem or ActorIntegrator
	ActorID    string // officer id, citizen account id, or "client:<id>" for an integrator
	AgencyCode string // the officer's or the integrator's agency
	Purpose    IdentityPurpose
	// ServiceCode is the code of the procedure (mã thủ tục) the data is
	// read for, when known.
	ServiceCode string
	DossierID   string

	PersonalID string // 12-digit số định danh cá nhân (a 9-digit CMND is accepted too)
	FullName   string
	BirthDate  Date
}

// RegisteredCitizen is what the national population database holds of one
// person, as far as motcua uses it: the identity it records for an
// account or a warehouse owner and what the counter shows the officer.
type RegisteredCitizen struct {
	PersonalID string // 12-digit số định danh cá nhân
	LegacyID   string // old 9-digit CMND, when the person had one
	FullName   string
	Sex        Sex
	BirthDate  Date

	Ethnicity        string // dân tộc
	Nationality      string // quốc tịch
	PermanentAddress string // nơi thường trú, as one line
	CurrentAddress   string // nơi ở hiện tại, as one line
}

// Subject is the verified warehouse owner the record stands for, as of at.
func (c *RegisteredCitizen) Subject(at time.Time) *Subject {
	return &Subject{Code: c.PersonalID, Kind: SubjectPerson, Name: c.FullName, BirthDate: c.BirthDate,
		LegacyID: c.LegacyID, VerifiedAt: at}
}

// The population database's answers that motcua's services give users
// themselves (internal/popdb gives the same): its code when it cannot be
// reached, stable for API clients, and the Vietnamese messages. The
// unavailable message is the one SPEC §9 asks for: it says what happened
// and what to do instead.
const (
	CodePopulationUnavailable    = "popdb_unavailable"
	PopulationUnavailableMessage = "Không kết nối được Cơ sở dữ liệu quốc gia về dân cư. Vui lòng thử lại sau hoặc đến Bộ phận Tiếp nhận và Trả kết quả để được hỗ trợ."
	IdentityMismatchMessage      = "Xác thực thất bại: Họ và tên, Số CCCD/CMND hoặc Ngày sinh không khớp với Cơ sở dữ liệu quốc gia về dân cư. Vui lòng kiểm tra lại thông tin đã nhập."
)

// What each user is told when the population database cannot be reached
// (issue 16): the same code, popdb_unavailable, and a message that names
// what happened and what this user can do. Officers are the "Bộ phận
// Tiếp nhận" the generic message sends people to, so theirs offers the
// manual verification; citizens online keep their draft.
const (
	PopulationUnavailableOfficerMessage = "Không kết nối được Cơ sở dữ liệu quốc gia về dân cư nên chưa kiểm tra được danh tính số. " +
		"Vui lòng thử lại sau ít phút; nếu công dân không thể chờ, kiểm tra CCCD bản gốc, chọn “Đối chiếu thủ công với giấy tờ bản gốc”, " +
		"ghi lý do rồi tiếp nhận: hồ sơ được đánh dấu “chưa đối chiếu CSDLQG về dân cư” và được đối chiếu lại tự động khi cơ sở dữ liệu hoạt động trở lại."
	PopulationUnavailableSubmitMessage = "Không kết nối được Cơ sở dữ liệu quốc gia về dân cư nên chưa xác thực được danh tính để nộp hồ sơ. " +
		"Hồ sơ của bạn đã được lưu, không cần nhập lại: vui lòng thử nộp lại sau ít phút, việc nộp sẽ tiếp tục từ bước này."
	PopulationUnavailableStartMessage = "Không kết nối được Cơ sở dữ liệu quốc gia về dân cư nên chưa xác thực được danh tính để bắt đầu nộp hồ sơ trực tuyến. " +
		"Vui lòng thử lại sau ít phút."
	PopulationUnavailableRegisterMessage = "Không kết nối được Cơ sở dữ liệu quốc gia về dân cư nên chưa thể xác thực để tạo tài khoản. " +
		"Tài khoản chưa được tạo; vui lòng đăng ký lại sau ít phút hoặc đăng nhập bằng tài khoản định danh điện tử VNeID."
)

// PopulationUnavailable reports whether err says the population database
// could not be reached (never a "no match").
func PopulationUnavailable(err error) bool {
	return IsKind(err, EUNAVAILABLE) && ErrorCode(err) == CodePopulationUnavailable
}

// WithPopulationMessage returns err with message when err says the
// population database could not be reached, and err unchanged otherwise.
func WithPopulationMessage(err error, message string) error {
	if !PopulationUnavailable(err) {
		return err
	}
	var cause error
	if e, ok := err.(*Error); ok {
		cause = e.Err
	}
	return &Error{Kind: EUNAVAILABLE, Code: CodePopulationUnavailable, Message: message, Err: cause}
}
