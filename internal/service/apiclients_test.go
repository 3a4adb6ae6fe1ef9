package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

// TestAPIClientAdministration: a district administrator registers clients
// in its subtree only and sees only theirs; the province's administrator
// sees every one; a rotated secret and a revoked client stop working at
// once, tokens included; every change is audited without the secret.
func TestAPIClientAdministration(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	province, district, desk := adminTree(t, f)
	const districtCode, outside = "000.00.31.H08", "000.00.32.H08"
	if err := f.store.CreateAgency(ctx, &motcua.Agency{Code: outside, Name: "UBND huyện Hoài Nhơn", Level: motcua.LevelDistrict, ParentCode: agencyCode}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.CreateCategory(ctx, &motcua.DocumentCategory{Code: "KQ.G15.000031", Name: "Giấy khai sinh", PaperType: motcua.PaperResult}); err != nil {
		t.Fatal(err)
	}
	svc := service.NewAPIClients(f.store, fastPasswords)
	clients := service.NewClients(f.store, nil)
	n := service.NewAPIClient{ID: "hotich.hoaian", Name: "Phần mềm hộ tịch huyện Hoài Ân", AgencyCode: districtCode,
		Categories: []string{"KQ.G15.000031"}}

	other := n
	other.ID, other.AgencyCode = "hotich.hoainhon", outside
	_, _, err := svc.Create(ctx, district, other)
	wantCode(t, err, "forbidden")
	_, _, err = svc.Create(ctx, desk, n)
	wantCode(t, err, "forbidden")
	bad := n
	bad.Categories = nil
	_, _, err = svc.Create(ctx, district, bad)
	wantCode(t, err, "required") // neither categories nor scopes
	bad.Scopes = []string{"reports:everything"}
	_, _, err = svc.Create(ctx, district, bad)
	wantCode(t, err, "invalid_scope")
	bad = n
	bad.Categories = []string{"KQ.G99.000001"}
	_, _, err = svc.Create(ctx, district, bad)
	wantCode(t, err, "unknown_category")

	c, secret, err := svc.Create(ctx, district, n)
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) < 30 || c.SecretHash == secret || c.HasScope(motcua.ScopeReportsRead) {
		t.Fatalf("created %+v with secret %q", c, secret)
	}
	// A reporting system: a scope and no category.
	other.Categories, other.Scopes = nil, []string{motcua.ScopeReportsRead}
	if got, _, err := svc.Create(ctx, province, other); err != nil || !got.HasScope(motcua.ScopeReportsRead) {
		t.Fatalf("province administrator outside the district: %v", err)
	}
	mine, err := svc.List(ctx, district)
	if err != nil || len(mine) != 1 || mine[0].ID != c.ID {
		t.Fatalf("district list = %+v, %v", mine, err)
	}
	if all, err := svc.List(ctx, province); err != nil || len(all) != 2 {
		t.Fatalf("province list = %+v, %v", all, err)
	}
	_, _, err = svc.RotateSecret(ctx, district, other.ID)
	wantCode(t, err, "api_client_not_found")

	token, _, err := clients.IssueToken(ctx, c.ID, secret)
	if err != nil {
		t.Fatal(err)
	}
	_, fresh, err := svc.RotateSecret(ctx, district, c.ID)
	if err != nil || fresh == secret {
		t.Fatalf("rotate: %v", err)
	}
	_, _, err = clients.IssueToken(ctx, c.ID, secret)
	wantCode(t, err, "invalid_client")
	if cl, err := clients.Authenticate(ctx, token); cl != nil || err != nil {
		t.Fatalf("a token of the old secret still works: %v, %v", cl, err)
	}
	token, _, err = clients.IssueToken(ctx, c.ID, fresh)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Revoke(ctx, district, c.ID); err != nil {
		t.Fatal(err)
	}
	if cl, _ := clients.Authenticate(ctx, token); cl != nil {
		t.Fatal("a revoked client's token still works")
	}
	_, _, err = clients.IssueToken(ctx, c.ID, fresh)
	wantCode(t, err, "invalid_client")
	_, _, err = svc.RotateSecret(ctx, district, c.ID)
	wantCode(t, err, "client_revoked")

	events, err := f.store.ListAudit(ctx, motcua.AuditFilter{ObjectKind: "api_client"})
	if err != nil || len(events) != 4 {
		t.Fatalf("audit = %+v, %v", events, err)
	}
	for _, e := range events {
		if strings.Contains(e.Detail, secret) || strings.Contains(e.Detail, fresh) || strings.Contains(e.Detail, "argon2") || !strings.Contains(e.Detail, `"after":{`) {
			t.Fatalf("audit detail of %s = %s", e.Action, e.Detail)
		}
	}
	if events[0].Action != "api_client.revoke" || !strings.Contains(events[0].Detail, `"revoked":false`) || !strings.Contains(events[0].Detail, `"revoked":true`) {
		t.Fatalf("revoke audit = %+v", events[0])
	}
}
