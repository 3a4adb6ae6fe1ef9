package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func testAPIClients(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	c := &motcua.APIClient{ID: "hotich.anhoa", Name: "Phần mềm hộ tịch xã An Hòa", AgencyCode: b.commune.Code, SecretHash: "$argon2id$x",
		Categories: []string{b.certCopy.Code, b.birthCert.Code}}
	must(t, s.CreateAPIClient(ctx, c))
	wantErr(t, s.CreateAPIClient(ctx, c), motcua.ECONFLICT, "api_client_exists")
	bad := *c
	bad.ID, bad.AgencyCode = "khac", "000.99.99.H08"
	wantErr(t, s.CreateAPIClient(ctx, &bad), motcua.EINVALID, "unknown_agency")
	bad = *c
	bad.ID, bad.Categories = "khac", []string{b.birthCert.Code, "KQ.G99.000001"}
	wantErr(t, s.CreateAPIClient(ctx, &bad), motcua.EINVALID, "unknown_category")
	if _, err := s.GetAPIClient(ctx, "khac"); !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatalf("a client refused for an unknown category was stored: %v", err)
	}
	got, err := s.GetAPIClient(ctx, c.ID)
	must(t, err)
	if got.Name != c.Name || got.AgencyCode != c.AgencyCode || got.SecretHash != c.SecretHash || got.Disabled || got.CreatedAt.IsZero() ||
		got.OrganisationOwners || len(got.Categories) != 2 || got.Categories[0] != b.certCopy.Code || got.Categories[1] != b.birthCert.Code {
		t.Fatalf("GetAPIClient = %+v", got)
	}
	// A client for organisations, with one category.
	org := &motcua.APIClient{ID: "kinhte.huyen", Name: "Phần mềm cấp phép Phòng Kinh tế", AgencyCode: b.district.Code,
		SecretHash: "$argon2id$y", Categories: []string{b.certCopy.Code}, OrganisationOwners: true}
	must(t, s.CreateAPIClient(ctx, org))
	if got, err := s.GetAPIClient(ctx, org.ID); err != nil || !got.OrganisationOwners || len(got.Categories) != 1 || got.Categories[0] != b.certCopy.Code {
		t.Fatalf("GetAPIClient(%s) = %+v, %v", org.ID, got, err)
	}
	// A reports-only client: scopes, no categories.
	rep := &motcua.APIClient{ID: "baocao.huyen", Name: "Hệ thống báo cáo huyện", AgencyCode: b.district.Code,
		SecretHash: "$argon2id$z", Scopes: []string{motcua.ScopeReportsRead}}
	must(t, s.CreateAPIClient(ctx, rep))
	if got, err := s.GetAPIClient(ctx, rep.ID); err != nil || len(got.Categories) != 0 || len(got.Scopes) != 1 || !got.HasScope(motcua.ScopeReportsRead) {
		t.Fatalf("GetAPIClient(%s) = %+v, %v", rep.ID, got, err)
	}
	if got, _ := s.GetAPIClient(ctx, c.ID); got.HasScope(motcua.ScopeReportsRead) {
		t.Fatalf("a client without scopes reads reports: %+v", got)
	}
	_, err = s.GetAPIClient(ctx, "khong.co")
	wantErr(t, err, motcua.ENOTFOUND, "api_client_not_found")

	now := time.Date(2024, 3, 20, 8, 0, 0, 0, time.UTC)
	must(t, s.CreateAPIToken(ctx, &motcua.APIToken{ID: "t1", ClientID: c.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	must(t, s.CreateAPIToken(ctx, &motcua.APIToken{ID: "t2", ClientID: c.ID, CreatedAt: now, ExpiresAt: now.Add(2 * time.Hour)}))
	wantErr(t, s.CreateAPIToken(ctx, &motcua.APIToken{ID: "t3", ClientID: "khong.co", ExpiresAt: now}), motcua.EINVALID, "unknown_client")
	tok, err := s.GetAPIToken(ctx, "t1")
	must(t, err)
	if tok.ClientID != c.ID || !tok.ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("GetAPIToken = %+v", tok)
	}
	n, err := s.DeleteExpiredAPITokens(ctx, now.Add(time.Hour))
	must(t, err)
	if n != 1 {
		t.Fatalf("expired tokens removed = %d, want 1", n)
	}
	_, err = s.GetAPIToken(ctx, "t1")
	wantErr(t, err, motcua.ENOTFOUND, "api_token_not_found")
}
