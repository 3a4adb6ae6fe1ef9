package devidp

import (
	"slices"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// The national providers' claim names (SPEC §8 "Login").
const (
	ClaimPersonalID = "SoDinhDanh"       // số định danh cá nhân, 12 digits
	ClaimFullName   = "HoVaTen"          // họ và tên, with diacritics
	ClaimBirthDate  = "NgayThangNamSinh" // dd/mm/yyyy
	ClaimPhone      = "SoDienThoai"      // national format, e.g. 0905123456
	ClaimEmail      = "ThuDienTu"
	ClaimAccount    = "LoaiTaiKhoan" // AccountCitizen or AccountOrganisation
	ClaimOrgCode    = "MaSoDoanhNghiep"
)

// Levels of assurance accepted in acr_values; the ID token's acr is the
// first of them requested, LoA1 when none is.
var levels = []string{"LoA1", "LoA2", "LoA3"}

const defaultLevel = "LoA1"

var supportedClaims = []string{
	"sub", "aud", "exp", "iat", "iss", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash",
	"name", "preferred_username", "birthdate", "email", "phone_number",
	ClaimPersonalID, ClaimFullName, ClaimBirthDate, ClaimPhone, ClaimEmail, ClaimAccount, ClaimOrgCode,
}

// setUserinfo fills info with the user's claims for the granted scopes. The
// national claims come with "openid" alone, as relying parties of the
// national providers expect them without asking for more (our assumption);
// the standard claims follow the standard scopes.
func setUserinfo(info *oidc.UserInfo, u User, scopes []string) {
	info.Subject = u.Username()
	national := map[string]string{
		ClaimPersonalID: u.PersonalID,
		ClaimFullName:   u.Name,
		ClaimBirthDate:  u.BirthDate.Display(),
		ClaimPhone:      u.Phone,
		ClaimEmail:      u.Email,
		ClaimAccount:    u.AccountType,
		ClaimOrgCode:    u.OrgCode,
	}
	for k, v := range national {
		if v != "" {
			info.AppendClaims(k, v)
		}
	}
	if slices.Contains(scopes, oidc.ScopeProfile) {
		info.Name = u.Name
		info.PreferredUsername = u.Username()
		info.Birthdate = u.BirthDate.String()
	}
	if slices.Contains(scopes, oidc.ScopeEmail) {
		info.Email = u.Email
	}
	if slices.Contains(scopes, oidc.ScopePhone) {
		info.PhoneNumber = e164(u.Phone)
	}
}

// e164 turns a national phone number (0905123456) into the E.164 form the
// OIDC phone_number claim calls for (+84905123456).
func e164(phone string) string {
	if rest, ok := strings.CutPrefix(phone, "0"); ok {
		return "+84" + rest
	}
	return phone
}
