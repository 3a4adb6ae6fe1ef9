package service

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TOTP implements RFC 6238 time-based one-time passwords as authenticator
// apps expect them: HMAC-SHA1, 30-second steps, 6 digits.
const (
	totpStep   = 30
	totpDigits = 6
)

var totpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a random 160-bit base32 secret.
func NewTOTPSecret() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return totpEncoding.EncodeToString(b)
}

// TOTPURI is the otpauth:// URI an authenticator app enrols secret from
// (shown as a QR code on the admin page, printed by `motcua officer add`).
func TOTPURI(username, secret string) string {
	return "otpauth://totp/" + url.PathEscape("motcua:"+username) + "?secret=" + secret + "&issuer=motcua"
}

// TOTPCode returns the code of secret at t.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := totpEncoding.DecodeString(strings.ToUpper(strings.TrimRight(strings.ReplaceAll(secret, " ", ""), "=")))
	if err != nil || len(key) == 0 {
		return "", fmt.Errorf("invalid TOTP secret")
	}
	return hotp(key, uint64(t.Unix()/totpStep)), nil
}

func hotp(key []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, v%1_000_000)
}

// CheckTOTP accepts the code of the current step or of one step either
// side, to allow for clock drift.
func CheckTOTP(secret, code string, t time.Time) bool {
	_, ok := MatchTOTP(secret, code, t)
	return ok
}

// MatchTOTP is CheckTOTP that also returns the time step whose code was
// given, so that the caller can refuse a code used before (RFC 6238
// §5.2: the verifier must not accept the same OTP twice).
func MatchTOTP(secret, code string, t time.Time) (step int64, ok bool) {
	code = strings.TrimSpace(code)
	if len(code) != totpDigits {
		return 0, false
	}
	now := t.Unix() / totpStep
	for _, s := range []int64{now - 1, now, now + 1} {
		want, err := TOTPCode(secret, time.Unix(s*totpStep, 0))
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			step, ok = s, true
		}
	}
	return step, ok
}
