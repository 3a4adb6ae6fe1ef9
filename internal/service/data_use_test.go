package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

// TestDataUses: "Ai đã sử dụng dữ liệu của tôi" reads as a citizen
// expects: agency name, the officer's full name, the purpose in
// Vietnamese, the dossier code and procedure; and it lists the dossiers
// the document was used in, not only the reads (issue 16 point 7).
func TestDataUses(t *testing.T) {
	t.Parallel()
	f := setupWarehouse(t)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	d, _, err := f.w.Add(ctx, f.owner, service.NewDocument{CategoryCode: f.catKS, Visible: true, Shared: true,
		File: service.Upload{Name: "ks.pdf", Data: f.sig.pdf(t, "Khai sinh")}})
	must(err)
	proc := &motcua.Procedure{Code: "1.000894.000.00.00.H08", Name: "Đăng ký kết hôn", AgencyCodes: []string{agencyCode},
		Cases:      []motcua.ProcedureCase{{Code: "TH1", Name: "1 ngày", ProcessingDays: 1}},
		Components: []motcua.ProcedureComponent{{Code: "KS", Name: "Giấy khai sinh", Form: motcua.FormCopy, Categories: []string{f.catKS}}}}
	must(f.store.CreateProcedure(ctx, proc))
	person := motcua.Person{Code: f.owner.SubjectCode, Name: f.owner.Name}
	// A dossier received at the counter with the document taken from the
	// warehouse, by the demo's reception officer.
	used := &motcua.Dossier{ProcedureCode: proc.Code, CaseCode: "TH1", AgencyCode: agencyCode, Submitter: person, Owner: person,
		Channel: motcua.ChannelCounter, ResultMethod: motcua.ResultAtCounter, Status: motcua.StatusRegistered,
		SubmittedAt: f.clock.Now(), ReceivedBy: "tiepnhan.anhoa",
		Components: []motcua.DossierComponent{{Code: "KS", Name: "Giấy khai sinh", Digitization: motcua.ReusedFromWarehouse,
			Attachments: []motcua.Attachment{{Source: motcua.FromWarehouse, DocumentID: d.ID, File: d.File}}}}}
	must(f.store.CreateDossier(ctx, used))
	// Another dossier of the owner's, without the document.
	other := &motcua.Dossier{ProcedureCode: proc.Code, CaseCode: "TH1", AgencyCode: agencyCode, Submitter: person, Owner: person,
		Channel: motcua.ChannelCounter, ResultMethod: motcua.ResultAtCounter, Status: motcua.StatusRegistered, SubmittedAt: f.clock.Now()}
	must(f.store.CreateDossier(ctx, other))
	reception := &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "tiepnhan.anhoa", AgencyCode: agencyCode,
		Roles: []motcua.Role{motcua.RoleReception}}
	_, err = f.w.Get(ctx, reception, d.ID, service.Access{DossierID: other.ID, Purpose: "Kiểm tra kho khi tiếp nhận"})
	must(err)

	uses, err := f.w.DataUses(ctx, f.owner, d.ID)
	must(err)
	if len(uses) != 2 {
		t.Fatalf("uses = %+v, want a read and a use in a dossier", uses)
	}
	byDossier := map[string]service.DataUse{}
	for _, u := range uses {
		byDossier[u.DossierCode] = u
		if u.AgencyName != "UBND xã An Hòa" || u.OfficerName != "Lê Thị Hoa" || u.Procedure != "Đăng ký kết hôn" {
			t.Errorf("use %+v: want agency UBND xã An Hòa, officer Lê Thị Hoa, procedure Đăng ký kết hôn", u)
		}
		if strings.Contains(u.Purpose, "document") || strings.Contains(u.Purpose, "counter") {
			t.Errorf("purpose in English: %q", u.Purpose)
		}
	}
	if u, ok := byDossier[other.Code]; !ok || !strings.Contains(u.Purpose, "Kiểm tra kho khi tiếp nhận") {
		t.Errorf("the read with dossier %s: %+v", other.Code, u)
	}
	if u, ok := byDossier[used.Code]; !ok || !strings.Contains(u.Purpose, "Sử dụng lại trong hồ sơ") {
		t.Errorf("the use in dossier %s: %+v", used.Code, u)
	}
	// Only the owner sees them.
	_, err = f.w.DataUses(ctx, f.other, d.ID)
	wantCode(t, err, "document_not_found")
}
