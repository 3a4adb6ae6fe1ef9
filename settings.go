package motcua

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"time"
)

// TrustAnchor is a CA certificate (a root, or an intermediate trusted on
// its own) that signed PDFs may chain to, added by an administrator and
// kept in the database. It complements the anchors of the configuration
// (--trust-dir, the demo CA), which stay trusted whatever the database
// says. An anchor is never deleted: it is disabled, so that the audit log
// and old signature reports keep pointing at something.
type TrustAnchor struct {
	// Fingerprint is the lowercase hex SHA-256 of the DER certificate:
	// the anchor's identifier.
	Fingerprint string
	Subject     string
	Issuer      string
	Serial      string // hexadecimal
	NotBefore   time.Time
	NotAfter    time.Time
	DER         []byte
	Disabled    bool
	AddedBy     string // the administrator's actor id
	AddedAt     time.Time
	UpdatedAt   time.Time
}

// MaxTrustAnchorSize bounds an uploaded certificate file; a real CA
// certificate is a few kilobytes.
const MaxTrustAnchorSize = 64 << 10

// Certificate parses the anchor's DER.
func (a *TrustAnchor) Certificate() (*x509.Certificate, error) {
	return x509.ParseCertificate(a.DER)
}

// CertificateFingerprint is the identifier of a certificate: the
// lowercase hex SHA-256 of its DER encoding.
func CertificateFingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// ParseTrustAnchor reads one CA certificate, PEM or DER, as an
// administrator uploads it, and describes it. It refuses with EINVALID on
// field "certificate":
//   - certificate_required: nothing was sent;
//   - certificate_too_large: more than MaxTrustAnchorSize bytes;
//   - certificate_unreadable: neither a PEM certificate nor DER X.509;
//   - several_certificates: a PEM file with more than one certificate;
//   - not_a_ca_certificate: a certificate that may not issue others (no
//     basic constraints with CA true, or a key usage without certSign),
//     such as a signer's own certificate.
func ParseTrustAnchor(data []byte) (*TrustAnchor, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Invalid("certificate", "certificate_required", "Vui lòng chọn tệp chứng thư số của tổ chức cung cấp dịch vụ chứng thực (CA), dạng PEM hoặc DER.")
	}
	if len(data) > MaxTrustAnchorSize {
		return nil, Invalid("certificate", "certificate_too_large",
			fmt.Sprintf("Tệp chứng thư số lớn hơn %d KB; một chứng thư số CA chỉ vài KB. Vui lòng kiểm tra lại tệp.", MaxTrustAnchorSize>>10))
	}
	der := data
	if bytes.Contains(data, []byte("-----BEGIN")) {
		var certs [][]byte
		rest := data
		for {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			if b.Type == "CERTIFICATE" {
				certs = append(certs, b.Bytes)
			}
		}
		switch len(certs) {
		case 0:
			return nil, unreadableCertificate(nil)
		case 1:
			der = certs[0]
		default:
			return nil, Invalid("certificate", "several_certificates",
				fmt.Sprintf("Tệp chứa %d chứng thư số; vui lòng tải lên từng chứng thư CA một.", len(certs)))
		}
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, unreadableCertificate(err)
	}
	if !cert.BasicConstraintsValid || !cert.IsCA || cert.KeyUsage != 0 && cert.KeyUsage&x509.KeyUsageCertSign == 0 {
		return nil, Invalid("certificate", "not_a_ca_certificate",
			fmt.Sprintf("Chứng thư số %q không phải là chứng thư của tổ chức cung cấp dịch vụ chứng thực (CA): nó không được phép cấp chứng thư cho người ký. "+
				"Vui lòng tải lên chứng thư gốc (Root CA) hoặc chứng thư CA trung gian, không phải chứng thư của người ký.", cert.Subject.CommonName))
	}
	return &TrustAnchor{Fingerprint: CertificateFingerprint(der), Subject: cert.Subject.String(), Issuer: cert.Issuer.String(),
		Serial: fmt.Sprintf("%X", cert.SerialNumber), NotBefore: cert.NotBefore.UTC(), NotAfter: cert.NotAfter.UTC(), DER: der}, nil
}

func unreadableCertificate(cause error) error {
	e := Invalid("certificate", "certificate_unreadable",
		"Tệp tải lên không phải là chứng thư số X.509 đọc được (PEM hoặc DER). Vui lòng xuất lại chứng thư CA dạng .pem, .crt hoặc .cer.")
	e.Err = cause
	return e
}

// Holiday is an entry of the administration's calendar kept in the
// database: a day off (a public holiday, its compensatory or swapped day)
// or, with Working, a working day (a make-up Saturday, or a weekday the
// built-in calendar took off but the year's official plan did not). The
// entries apply on top of the built-in calendar and the --holidays file.
type Holiday struct {
	Date      Date
	Working   bool
	Name      string
	UpdatedBy string // the administrator's actor id
	UpdatedAt time.Time
}

// Validate checks the entry's date and name.
func (h *Holiday) Validate() error {
	if h.Date.IsZero() {
		return Invalid("date", "date_required", "Vui lòng nhập ngày (dd/mm/yyyy).")
	}
	if h.Date.Year < minHolidayYear || h.Date.Year > maxHolidayYear {
		return Invalid("date", "date_out_of_range", fmt.Sprintf("Năm %d nằm ngoài khoảng %d–%d.", h.Date.Year, minHolidayYear, maxHolidayYear))
	}
	if len(h.Name) > 200 {
		return Invalid("name", "name_too_long", "Tên ngày nghỉ dài quá 200 ký tự.")
	}
	return nil
}

// SettingsStore keeps what administrators configure for the whole
// province: trust anchors and the holiday calendar. Every write also
// advances the setting's version (SettingsVersion) in the same
// transaction, so that every node notices the change with one cheap read.
// The store checks integrity only; who may write is the service's rule.
type SettingsStore interface {
	// CreateTrustAnchor stores a; ECONFLICT trust_anchor_exists when its
	// fingerprint is already stored.
	CreateTrustAnchor(ctx context.Context, a *TrustAnchor) error
	// GetTrustAnchor returns the anchor; ENOTFOUND trust_anchor_not_found.
	GetTrustAnchor(ctx context.Context, fingerprint string) (*TrustAnchor, error)
	// ListTrustAnchors returns every anchor, enabled or not, newest first.
	ListTrustAnchors(ctx context.Context) ([]*TrustAnchor, error)
	// SetTrustAnchorDisabled disables or enables the anchor;
	// ENOTFOUND trust_anchor_not_found.
	SetTrustAnchorDisabled(ctx context.Context, fingerprint string, disabled bool, at time.Time) error

	// PutHoliday adds the entry or replaces the one of its date.
	PutHoliday(ctx context.Context, h *Holiday) error
	// DeleteHoliday removes the entry of d; ENOTFOUND holiday_not_found.
	DeleteHoliday(ctx context.Context, d Date) error
	// ListHolidays returns the entries of year (every year when 0), by date.
	ListHolidays(ctx context.Context, year int) ([]*Holiday, error)

	// SettingsVersion is a number that changes whenever the named setting
	// (SettingTrustAnchors, SettingHolidays) does; 0 before any change.
	SettingsVersion(ctx context.Context, name string) (int64, error)
}

// Names of the versioned settings.
const (
	SettingTrustAnchors = "trust_anchors"
	SettingHolidays     = "holidays"
)
