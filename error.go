package motcua

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Application error kinds. Every error that crosses a package boundary and
// can reach a user carries one of these kinds; the HTTP edge maps each kind
// to a status code in one place.
const (
	EINVALID     = "invalid"   // bad input; 400/422
	ENOTFOUND    = "not_found" // 404
	ECONFLICT    = "conflict"  // unique violation, stale version; 409
	EFORBIDDEN   = "forbidden" // 403
	EUNAUTH      = "unauthorized"
	ETOOMANY     = "too_many_requests" // throttled; 429
	EUNAVAILABLE = "unavailable"       // an outside system (population DB, gateway) cannot be reached; 503
	EINTERNAL    = "internal"          // anything else; its cause is logged, never shown
	ESCHEMA      = "schema"            // database schema does not match the binary
)

// Error is the one application error type.
//
// Kind is one of the E* constants. Code is a stable machine-readable code
// such as "invalid_personal_id" that API clients may switch on. Field names
// the offending input field, when there is one. Message is safe to show to
// a citizen: Vietnamese, with full diacritics. Err keeps the internal cause
// for logs.
type Error struct {
	Kind    string
	Code    string
	Field   string
	Message string
	Err     error
}

func (e *Error) Error() string {
	s := e.Code
	if s == "" {
		s = e.Kind
	}
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error of the given kind and machine code with a
// Vietnamese user message.
func Errorf(kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid builds an EINVALID error about one field.
func Invalid(field, code, message string) *Error {
	return &Error{Kind: EINVALID, Code: code, Field: field, Message: message}
}

// NotFound builds an ENOTFOUND error for an entity kind such as "document".
func NotFound(entity, key string) *Error {
	return &Error{
		Kind:    ENOTFOUND,
		Code:    entity + "_not_found",
		Message: fmt.Sprintf("Không tìm thấy %s %q.", entityNameVI(entity), key),
	}
}

// Conflict builds an ECONFLICT error for an entity kind whose key already exists.
func Conflict(entity, key string) *Error {
	return &Error{
		Kind:    ECONFLICT,
		Code:    entity + "_exists",
		Message: fmt.Sprintf("%s %q đã tồn tại.", capitalize(entityNameVI(entity)), key),
	}
}

// Internal wraps an unexpected failure. Its message is generic; the cause is
// kept for logs only.
func Internal(err error) *Error {
	return &Error{Kind: EINTERNAL, Code: "internal", Message: "Hệ thống gặp lỗi, vui lòng thử lại sau.", Err: err}
}

// ErrorKind returns the kind of err, EINTERNAL when err is not an *Error.
func ErrorKind(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// ErrorCode returns the machine code of err, "internal" when err is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Code != "" {
			return e.Code
		}
		return e.Kind
	}
	if err == nil {
		return ""
	}
	return "internal"
}

// ErrorMessage returns the user-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "Hệ thống gặp lỗi, vui lòng thử lại sau."
}

// IsKind reports whether err is an *Error of the given kind.
func IsKind(err error, kind string) bool { return err != nil && ErrorKind(err) == kind }

var entityNamesVI = map[string]string{
	"agency":       "cơ quan",
	"subject":      "chủ thể",
	"category":     "danh mục giấy tờ",
	"procedure":    "thủ tục hành chính",
	"document":     "giấy tờ",
	"dossier":      "hồ sơ",
	"blob":         "tệp tin",
	"audit_event":  "nhật ký",
	"officer":      "cán bộ",
	"account":      "tài khoản",
	"session":      "phiên đăng nhập",
	"login_state":  "phiên đăng nhập",
	"api_client":   "ứng dụng tích hợp",
	"api_token":    "mã truy cập",
	"notification": "thông báo",
	"draft":        "hồ sơ đang soạn",
	"feedback":     "phản ánh",
	"trust_anchor": "chứng thư số tin cậy",
	"holiday":      "ngày nghỉ, ngày làm bù",
	"snapshot":     "bảng tổng hợp tháng",
}

func entityNameVI(entity string) string {
	if s, ok := entityNamesVI[entity]; ok {
		return s
	}
	return entity
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
