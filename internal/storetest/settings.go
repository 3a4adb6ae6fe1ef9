package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func testTrustAnchors(t *testing.T, newStore NewStore) {
	s := newStore(t)
	ctx := context.Background()
	v0, err := s.SettingsVersion(ctx, motcua.SettingTrustAnchors)
	must(t, err)
	at := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	a := &motcua.TrustAnchor{Fingerprint: "ab01", Subject: "CN=RootCA chuyên dùng Chính phủ G2,O=Ban Cơ yếu Chính phủ,C=VN",
		Issuer: "CN=RootCA chuyên dùng Chính phủ G2,O=Ban Cơ yếu Chính phủ,C=VN", Serial: "1F", NotBefore: at.AddDate(-1, 0, 0),
		NotAfter: at.AddDate(20, 0, 0), DER: []byte{0x30, 0x82, 0x00, 0xff}, AddedBy: "officer:quantri.tinh", AddedAt: at}
	must(t, s.CreateTrustAnchor(ctx, a))
	wantErr(t, s.CreateTrustAnchor(ctx, a), motcua.ECONFLICT, "trust_anchor_exists")
	b := *a
	b.Fingerprint, b.AddedAt, b.UpdatedAt = "cd02", at.Add(time.Hour), time.Time{}
	must(t, s.CreateTrustAnchor(ctx, &b))
	v1, err := s.SettingsVersion(ctx, motcua.SettingTrustAnchors)
	must(t, err)
	if v1 == v0 {
		t.Fatalf("trust anchor version did not move: %d", v1)
	}
	got, err := s.GetTrustAnchor(ctx, "ab01")
	must(t, err)
	if got.Subject != a.Subject || got.Issuer != a.Issuer || got.Serial != "1F" || !got.NotBefore.Equal(a.NotBefore) ||
		!got.NotAfter.Equal(a.NotAfter) || string(got.DER) != string(a.DER) || got.Disabled || got.AddedBy != a.AddedBy ||
		!got.AddedAt.Equal(at) || !got.UpdatedAt.Equal(at) {
		t.Fatalf("GetTrustAnchor = %+v", got)
	}
	_, err = s.GetTrustAnchor(ctx, "ffff")
	wantErr(t, err, motcua.ENOTFOUND, "trust_anchor_not_found")

	must(t, s.SetTrustAnchorDisabled(ctx, "ab01", true, at.Add(2*time.Hour)))
	wantErr(t, s.SetTrustAnchorDisabled(ctx, "ffff", true, at), motcua.ENOTFOUND, "trust_anchor_not_found")
	list, err := s.ListTrustAnchors(ctx)
	must(t, err)
	if len(list) != 2 || list[0].Fingerprint != "cd02" || list[1].Fingerprint != "ab01" || !list[1].Disabled || list[0].Disabled ||
		!list[1].UpdatedAt.Equal(at.Add(2*time.Hour)) {
		t.Fatalf("ListTrustAnchors = %+v", list)
	}
	v2, err := s.SettingsVersion(ctx, motcua.SettingTrustAnchors)
	must(t, err)
	if v2 == v1 {
		t.Fatal("disabling an anchor did not move the version")
	}
	// A change rolled back leaves the version where it was.
	errRollback := motcua.Invalid("x", "rollback", "rollback")
	err = s.InTx(ctx, func(tx motcua.Store) error {
		must(t, tx.SetTrustAnchorDisabled(ctx, "ab01", false, at))
		return errRollback
	})
	if err != errRollback {
		t.Fatalf("InTx = %v", err)
	}
	if v, err := s.SettingsVersion(ctx, motcua.SettingTrustAnchors); err != nil || v != v2 {
		t.Fatalf("version after a rolled-back change = %d, %v; want %d", v, err, v2)
	}
	if got, _ := s.GetTrustAnchor(ctx, "ab01"); !got.Disabled {
		t.Fatal("a rolled-back enable was kept")
	}
	if v, err := s.SettingsVersion(ctx, "no_such_setting"); err != nil || v != 0 {
		t.Fatalf("unknown setting version = %d, %v", v, err)
	}
}

func testHolidays(t *testing.T, newStore NewStore) {
	s := newStore(t)
	ctx := context.Background()
	v0, err := s.SettingsVersion(ctx, motcua.SettingHolidays)
	must(t, err)
	tet := &motcua.Holiday{Date: motcua.Date{Year: 2027, Month: 2, Day: 11}, Name: "Tết Đinh Mùi", UpdatedBy: "officer:quantri.tinh"}
	must(t, s.PutHoliday(ctx, tet))
	must(t, s.PutHoliday(ctx, &motcua.Holiday{Date: motcua.Date{Year: 2027, Month: 2, Day: 20}, Working: true, Name: "Làm bù"}))
	must(t, s.PutHoliday(ctx, &motcua.Holiday{Date: motcua.Date{Year: 2026, Month: 12, Day: 31}, Name: "Cuối năm"}))
	must(t, s.PutHoliday(ctx, &motcua.Holiday{Date: motcua.Date{Year: 2028, Month: 1, Day: 1}, Name: "Tết Dương lịch"}))
	// Putting a date again replaces its entry.
	must(t, s.PutHoliday(ctx, &motcua.Holiday{Date: tet.Date, Name: "Tết Nguyên đán Đinh Mùi", UpdatedBy: "officer:quantri.tinh"}))
	list, err := s.ListHolidays(ctx, 2027)
	must(t, err)
	if len(list) != 2 || list[0].Date != tet.Date || list[0].Name != "Tết Nguyên đán Đinh Mùi" || list[0].Working ||
		list[0].UpdatedBy != "officer:quantri.tinh" || list[0].UpdatedAt.IsZero() || !list[1].Working || list[1].Date.Day != 20 {
		t.Fatalf("ListHolidays(2027) = %+v", list)
	}
	all, err := s.ListHolidays(ctx, 0)
	must(t, err)
	if len(all) != 4 || all[0].Date.Year != 2026 || all[3].Date.Year != 2028 {
		t.Fatalf("ListHolidays(0) = %+v", all)
	}
	must(t, s.DeleteHoliday(ctx, tet.Date))
	wantErr(t, s.DeleteHoliday(ctx, tet.Date), motcua.ENOTFOUND, "holiday_not_found")
	if list, _ := s.ListHolidays(ctx, 2027); len(list) != 1 {
		t.Fatalf("after delete: %+v", list)
	}
	v1, err := s.SettingsVersion(ctx, motcua.SettingHolidays)
	must(t, err)
	if v1 < v0+6 {
		t.Fatalf("holiday version %d after six changes from %d", v1, v0)
	}
	if v, _ := s.SettingsVersion(ctx, motcua.SettingTrustAnchors); v != 0 {
		t.Fatalf("holiday changes moved the trust anchors' version to %d", v)
	}
}

func testAPIClientAdmin(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	c := &motcua.APIClient{ID: "hotich.anhoa", Name: "Phần mềm hộ tịch", AgencyCode: b.commune.Code, SecretHash: "$argon2id$a",
		Categories: []string{b.birthCert.Code}, Scopes: []string{motcua.ScopeReportsRead}}
	must(t, s.CreateAPIClient(ctx, c))
	must(t, s.CreateAPIClient(ctx, &motcua.APIClient{ID: "chungthuc.huyen", Name: "Phần mềm chứng thực", AgencyCode: b.district.Code,
		SecretHash: "$argon2id$b", Categories: []string{b.certCopy.Code}}))
	got, err := s.GetAPIClient(ctx, c.ID)
	must(t, err)
	if len(got.Scopes) != 1 || got.Scopes[0] != motcua.ScopeReportsRead {
		t.Fatalf("scopes = %v", got.Scopes)
	}
	list, err := s.ListAPIClients(ctx)
	must(t, err)
	// By agency code: the district's 000.00.23 before the commune's 000.23.01.
	if len(list) != 2 || list[0].ID != "chungthuc.huyen" || list[1].ID != c.ID || len(list[0].Scopes) != 0 || list[1].Categories[0] != b.birthCert.Code {
		t.Fatalf("ListAPIClients = %+v", list)
	}

	now := time.Date(2024, 3, 20, 8, 0, 0, 0, time.UTC)
	must(t, s.CreateAPIToken(ctx, &motcua.APIToken{ID: "t1", ClientID: c.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	must(t, s.CreateAPIToken(ctx, &motcua.APIToken{ID: "t2", ClientID: "chungthuc.huyen", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))

	u := *got
	u.Name, u.SecretHash, u.Disabled, u.OrganisationOwners = "Phần mềm hộ tịch (mới)", "$argon2id$c", true, true
	u.Categories, u.Scopes = []string{b.certCopy.Code, b.birthCert.Code}, nil
	must(t, s.UpdateAPIClient(ctx, &u))
	got, err = s.GetAPIClient(ctx, c.ID)
	must(t, err)
	if got.Name != u.Name || got.SecretHash != "$argon2id$c" || !got.Disabled || !got.OrganisationOwners || len(got.Categories) != 2 ||
		len(got.Scopes) != 0 || got.AgencyCode != b.commune.Code {
		t.Fatalf("after update = %+v", got)
	}
	bad := u
	bad.Categories = []string{"KQ.G99.000001"}
	wantErr(t, s.UpdateAPIClient(ctx, &bad), motcua.EINVALID, "unknown_category")
	if got, _ := s.GetAPIClient(ctx, c.ID); len(got.Categories) != 2 {
		t.Fatalf("a refused update changed the categories: %v", got.Categories)
	}
	bad = u
	bad.ID = "khong.co"
	wantErr(t, s.UpdateAPIClient(ctx, &bad), motcua.ENOTFOUND, "api_client_not_found")

	n, err := s.DeleteAPITokensOf(ctx, c.ID)
	must(t, err)
	if n != 1 {
		t.Fatalf("tokens removed = %d", n)
	}
	_, err = s.GetAPIToken(ctx, "t1")
	wantErr(t, err, motcua.ENOTFOUND, "api_token_not_found")
	if _, err := s.GetAPIToken(ctx, "t2"); err != nil {
		t.Fatalf("another client's token was removed: %v", err)
	}
}
