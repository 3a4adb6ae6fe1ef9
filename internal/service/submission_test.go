package service_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/popdb"
	"github.com/motcua/motcua/internal/popdb/popdbsim"
	"github.com/motcua/motcua/internal/service"
)

type submissionFixture struct {
	*warehouseFixture
	subs     *service.Submissions
	proc     *motcua.Procedure
	ksDoc    *motcua.Document
	idOld    *motcua.Document
	idNew    *motcua.Document
	expired  *motcua.Document
	theirsID string
}

const idCardCat = "KQ.G01.000023"

func setupSubmission(t *testing.T) *submissionFixture {
	t.Helper()
	f := setupWarehouse(t)
	ctx := context.Background()
	identity, _ := withPopulation(t, f.fixture)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// The owner's profile matches the population database.
	c := demoCitizen(t)
	sub, _ := f.store.GetSubject(ctx, c.PersonalID)
	sub.Name, sub.BirthDate, sub.Phone = c.FullName, c.BirthDate, "0905123456"
	must(f.store.UpdateSubject(ctx, sub))
	f.owner.Name = c.FullName
	must(f.store.CreateCategory(ctx, &motcua.DocumentCategory{Code: idCardCat, Name: "Thẻ căn cước công dân", PaperType: motcua.PaperResult}))
	proc := &motcua.Procedure{Code: "1.000894.000.00.00.H08", Name: "Đăng ký kết hôn", AgencyCodes: []string{agencyCode},
		Cases: []motcua.ProcedureCase{{Code: "TH1", Name: "1 ngày làm việc", ProcessingDays: 1}},
		Components: []motcua.ProcedureComponent{
			{Code: "TK", Name: "Tờ khai đăng ký kết hôn", Required: true, Form: motcua.FormOriginal},
			{Code: "KS", Name: "Giấy khai sinh", Required: true, Form: motcua.FormCopy, Categories: []string{f.catKS}},
			{Code: "GT", Name: "Giấy tờ tùy thân", Required: true, Form: motcua.FormCopy, Categories: []string{idCardCat, f.catBSC}},
		}}
	must(f.store.CreateProcedure(ctx, proc))
	add := func(p *motcua.Principal, cat, num string, issued motcua.Date) *motcua.Document {
		d, _, err := f.w.Add(ctx, p, service.NewDocument{CategoryCode: cat, DecisionNumber: num, IssuedOn: issued,
			Visible: true, Shared: true, File: service.Upload{Name: num + ".pdf", Data: f.sig.pdf(t, num)}})
		must(err)
		return d
	}
	today := motcua.DateOf(f.clock.Now())
	sf := &submissionFixture{warehouseFixture: f, proc: proc,
		ksDoc:   add(f.owner, f.catKS, "KS1", motcua.Date{Year: 1990, Month: 2, Day: 3}),
		idOld:   add(f.owner, idCardCat, "CCCD-OLD", today.AddDays(-400)),
		idNew:   add(f.owner, f.catBSC, "BSC-NEW", today.AddDays(-10)),
		expired: add(f.owner, f.catBSC, "BSC-OLD", today.AddDays(-300)), // 180-day validity: expired
	}
	sf.theirsID = add(f.other, idCardCat, "THEIRS", today).ID
	sf.subs = service.NewSubmissions(f.store, f.w, identity, "http://motcua.test", f.clock.Now)
	return sf
}

func TestSubmissionFlow(t *testing.T) {
	t.Parallel()
	f := setupSubmission(t)
	ctx := context.Background()
	d, err := f.subs.CreateDraft(ctx, f.owner, service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: agencyCode})
	if err != nil {
		t.Fatal(err)
	}
	ks, ok := d.Component("KS")
	if !ok || !ks.Auto || ks.DocumentID != f.ksDoc.ID || !d.OwnerVerified || d.Ward != "UBND xã An Hòa" {
		t.Fatalf("draft = %+v", d)
	}
	if _, ok := d.Component("GT"); ok {
		t.Fatal("a component with two matches must not be attached automatically")
	}
	v, err := f.subs.View(ctx, f.owner, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	gt := v.Matches[2]
	if len(gt.Suggestions) != 2 || gt.Suggestions[0].ID != f.idNew.ID || len(gt.Unusable) != 1 || gt.Unusable[0].Reason != motcua.UnmatchedExpired {
		t.Fatalf("GT matches = %+v", gt)
	}

	// Refusals when taking from the warehouse.
	_, err = f.subs.Attach(ctx, f.owner, d.ID, "GT", f.theirsID)
	wantCode(t, err, "document_not_matching")
	_, err = f.subs.Attach(ctx, f.owner, d.ID, "GT", f.expired.ID)
	wantCode(t, err, "document_expired")
	_, err = f.subs.Attach(ctx, f.owner, d.ID, "XX", f.idNew.ID)
	wantCode(t, err, "unknown_component")
	_, err = f.subs.Attach(ctx, f.other, d.ID, "GT", f.idNew.ID)
	wantCode(t, err, "draft_not_found")
	if _, err := f.subs.Attach(ctx, f.owner, d.ID, "GT", f.idNew.ID); err != nil {
		t.Fatal(err)
	}

	_, _, err = f.subs.Submit(ctx, f.owner, d.ID, service.SubmitOptions{})
	wantCode(t, err, "component_missing")
	_, err = f.subs.Upload(ctx, f.owner, d.ID, "TK", service.Upload{Name: "to-khai.pdf", Data: pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Chua ky"})})
	wantCode(t, err, "unsigned")
	if _, err := f.subs.Upload(ctx, f.owner, d.ID, "TK", service.Upload{Name: "to-khai.pdf", Data: f.sig.pdf(t, "To khai")}); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.subs.Submit(ctx, f.owner, d.ID, service.SubmitOptions{ResultMethod: motcua.ResultByPost})
	wantCode(t, err, "required")

	dos, created, err := f.subs.Submit(ctx, f.owner, d.ID, service.SubmitOptions{ResultMethod: motcua.ResultAtCounter})
	if err != nil || !created {
		t.Fatalf("submit: %v", err)
	}
	if dos.Status != motcua.StatusRegistered || dos.Channel != motcua.ChannelOnline || !dos.Reused() || dos.MissedReuse ||
		dos.Code != agencyCode+"-"+motcua.DateOf(f.clock.Now()).Time().Format("060102")+"-0001" {
		t.Fatalf("dossier = %+v", dos)
	}
	states := map[string]motcua.Digitization{}
	for _, c := range dos.Components {
		states[c.Code] = c.Digitization
	}
	if states["TK"] != motcua.Digitized || states["KS"] != motcua.ReusedFromWarehouse || states["GT"] != motcua.ReusedFromWarehouse {
		t.Fatalf("component states = %v", states)
	}
	// 20/03/2024 is a Wednesday: one working day later is Thursday.
	if due := motcua.DateOf(dos.DueAt); due != (motcua.Date{Year: 2024, Month: 3, Day: 21}) {
		t.Fatalf("due = %v", due)
	}
	for id, want := range map[string]int{f.ksDoc.ID: 1, f.idNew.ID: 1, f.idOld.ID: 0} {
		doc, _ := f.store.GetDocument(ctx, id)
		if doc.UsageCount != want {
			t.Errorf("usage of %s = %d, want %d", doc.Code, doc.UsageCount, want)
		}
	}
	msgs, _ := f.store.ListNotifications(ctx, motcua.NotificationFilter{DossierID: dos.ID})
	if len(msgs) != 2 || msgs[0].Recipient != "0905123456" || msgs[0].Params["code"] != dos.Code {
		t.Fatalf("notifications = %+v", msgs)
	}

	// Submitting again returns the same dossier and counts nothing twice.
	again, created, err := f.subs.Submit(ctx, f.owner, d.ID, service.SubmitOptions{})
	if err != nil || created || again.ID != dos.ID {
		t.Fatalf("resubmit = %+v, %v, %v", again, created, err)
	}
	if doc, _ := f.store.GetDocument(ctx, f.ksDoc.ID); doc.UsageCount != 1 {
		t.Fatalf("usage after resubmit = %d", doc.UsageCount)
	}
	list, total, err := f.subs.MyDossiers(ctx, f.owner, 10, 0)
	if err != nil || total != 1 || list[0].Code != dos.Code {
		t.Fatalf("my dossiers = %d, %v", total, err)
	}
	if _, err := f.subs.MyDossier(ctx, f.other, dos.Code); motcua.ErrorCode(err) != "dossier_not_found" {
		t.Fatalf("another citizen read the dossier: %v", err)
	}
}

func TestSubmissionMissedReuseAndIdempotency(t *testing.T) {
	t.Parallel()
	f := setupSubmission(t)
	ctx := context.Background()
	draft := func() *motcua.Draft {
		d, err := f.subs.CreateDraft(ctx, f.owner, service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: agencyCode})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{"TK", "GT"} {
			if _, err := f.subs.Upload(ctx, f.owner, d.ID, c, service.Upload{Name: c + ".pdf", Data: f.sig.pdf(t, c)}); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}
	// GT uploaded although the warehouse had matches: missed reuse.
	d := draft()
	dos, _, err := f.subs.Submit(ctx, f.owner, d.ID, service.SubmitOptions{IdempotencyKey: "k-1"})
	if err != nil || !dos.MissedReuse || !dos.Reused() {
		t.Fatalf("missed reuse: %+v, %v", dos, err)
	}
	for _, c := range dos.Components {
		if want := c.Code == "GT"; (len(c.MissedCodes) == 2) != want {
			t.Fatalf("component %s missed %v", c.Code, c.MissedCodes)
		}
	}
	// The same key on another draft answers with the first dossier.
	other := draft()
	same, created, err := f.subs.Submit(ctx, f.owner, other.ID, service.SubmitOptions{IdempotencyKey: "k-1"})
	if err != nil || created || same.ID != dos.ID {
		t.Fatalf("idempotency key: %+v, %v, %v", same, created, err)
	}

	// 16 concurrent submissions of one draft: one dossier, usage +1 exactly.
	before, _ := f.store.GetDocument(ctx, f.ksDoc.ID)
	d = draft()
	var wg sync.WaitGroup
	ids := make([]string, 16)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, _, err := f.subs.Submit(ctx, f.owner, d.ID, service.SubmitOptions{})
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = got.ID
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent submissions made different dossiers: %v", ids)
		}
	}
	after, _ := f.store.GetDocument(ctx, f.ksDoc.ID)
	if after.UsageCount != before.UsageCount+1 {
		t.Fatalf("usage went from %d to %d, want +1", before.UsageCount, after.UsageCount)
	}
}

func TestDraftRefusals(t *testing.T) {
	t.Parallel()
	f := setupSubmission(t)
	ctx := context.Background()
	cases := []struct {
		in   service.DraftInput
		code string
	}{
		{service.DraftInput{ProcedureCode: "1.999999.000.00.00.H08", CaseCode: "TH1", AgencyCode: agencyCode}, "unknown_procedure"},
		{service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH9", AgencyCode: agencyCode}, "unknown_case"},
		{service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: "000.00.99.H08"}, "agency_not_handling"},
	}
	for _, c := range cases {
		_, err := f.subs.CreateDraft(ctx, f.owner, c.in)
		wantCode(t, err, c.code)
	}
	officer := &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "x", AgencyCode: agencyCode, Roles: []motcua.Role{motcua.RoleReception}}
	_, err := f.subs.CreateDraft(ctx, officer, service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: agencyCode})
	wantCode(t, err, "forbidden")
	// An owner whose profile no longer matches the population database is stopped.
	sub, _ := f.store.GetSubject(ctx, f.owner.SubjectCode)
	sub.BirthDate = sub.BirthDate.AddDays(1)
	_ = f.store.UpdateSubject(ctx, sub)
	_, err = f.subs.CreateDraft(ctx, f.owner, service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: agencyCode})
	wantCode(t, err, "identity_mismatch")
}

func TestSubmitForAnotherOwner(t *testing.T) {
	t.Parallel()
	f := setupSubmission(t)
	ctx := context.Background()
	var child popdb.Citizen
	for _, c := range popdbsim.DemoCitizens() {
		if c.PersonalID != f.owner.SubjectCode && c.PersonalID != f.other.SubjectCode {
			child = c
			break
		}
	}
	in := service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: agencyCode,
		Owner: &motcua.Person{Code: child.PersonalID, Name: strings.ToUpper(motcua.FoldText(child.FullName)), BirthDate: child.BirthDate.AddDays(1)}}
	_, err := f.subs.CreateDraft(ctx, f.owner, in)
	wantCode(t, err, "owner_identity_mismatch")
	in.Owner.BirthDate = child.BirthDate
	d, err := f.subs.CreateDraft(ctx, f.owner, in)
	if err != nil {
		t.Fatal(err)
	}
	if d.Owner.Code != child.PersonalID || d.Submitter.Code != f.owner.SubjectCode || len(d.Components) != 0 {
		t.Fatalf("draft for a child = %+v", d)
	}
	// The applicant's own warehouse is not offered for someone else's dossier.
	v, err := f.subs.View(ctx, f.owner, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range v.Matches {
		if m.Matches() || len(m.Unusable) > 0 {
			t.Fatalf("offers for another owner: %+v", m)
		}
	}
	_, err = f.subs.Attach(ctx, f.owner, d.ID, "KS", f.ksDoc.ID)
	wantCode(t, err, "document_not_matching")
	for _, c := range []string{"TK", "KS", "GT"} {
		if _, err := f.subs.Upload(ctx, f.owner, d.ID, c, service.Upload{Name: c + ".pdf", Data: f.sig.pdf(t, c)}); err != nil {
			t.Fatal(err)
		}
	}
	dos, _, err := f.subs.Submit(ctx, f.owner, d.ID, service.SubmitOptions{})
	if err != nil || dos.Owner.Code != child.PersonalID || dos.Reused() {
		t.Fatalf("dossier for a child = %+v, %v", dos, err)
	}
	list, _, err := f.subs.MyDossiers(ctx, f.owner, 10, 0)
	if err != nil || len(list) != 1 || list[0].ID != dos.ID {
		t.Fatalf("the applicant's list lacks the dossier: %+v, %v", list, err)
	}
	msgs, _ := f.store.ListNotifications(ctx, motcua.NotificationFilter{DossierID: dos.ID})
	if len(msgs) == 0 || msgs[0].Recipient != "0905123456" {
		t.Fatalf("the applicant must be notified: %+v", msgs)
	}
}

func TestDraftFile(t *testing.T) {
	t.Parallel()
	f := setupSubmission(t)
	ctx := context.Background()
	d, err := f.subs.CreateDraft(ctx, f.owner, service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: agencyCode})
	if err != nil {
		t.Fatal(err)
	}
	form := f.sig.pdf(t, "To khai")
	if _, err := f.subs.Upload(ctx, f.owner, d.ID, "TK", service.Upload{Name: "tờ khai.pdf", Data: form}); err != nil {
		t.Fatal(err)
	}
	read := func(p *motcua.Principal, id, component string) ([]byte, motcua.File, error) {
		t.Helper()
		rc, file, err := f.subs.DraftFile(ctx, p, id, component, 0)
		if err != nil {
			return nil, file, err
		}
		defer rc.Close()
		data, err := io.ReadAll(rc)
		if err != nil {
			t.Fatalf("read the file of %s: %v", component, err)
		}
		return data, file, nil
	}

	// The creator reads back the bytes uploaded.
	got, file, err := read(f.owner, d.ID, "TK")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, form) || file.Name != "tờ khai.pdf" || file.Size != int64(len(form)) {
		t.Fatalf("uploaded file = %+v (%d bytes), want tờ khai.pdf (%d bytes)", file, len(got), len(form))
	}
	// Anyone else: as if the draft did not exist; officers: not theirs to apply.
	_, _, err = read(f.other, d.ID, "TK")
	wantCode(t, err, "draft_not_found")
	if !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatalf("another citizen: %v, want ENOTFOUND", err)
	}
	officer := &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "x", AgencyCode: agencyCode, Roles: []motcua.Role{motcua.RoleReception}}
	_, _, err = read(officer, d.ID, "TK")
	wantCode(t, err, "forbidden")
	_, _, err = read(nil, d.ID, "TK")
	if err == nil {
		t.Fatal("an anonymous read must fail")
	}
	// A component the procedure lacks, and one with nothing attached yet.
	_, _, err = read(f.owner, d.ID, "XX")
	wantCode(t, err, "unknown_component")
	_, _, err = read(f.owner, d.ID, "GT")
	wantCode(t, err, "component_file_not_found")
	if !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatalf("component without a file: %v, want ENOTFOUND", err)
	}

	// A component attached from the warehouse shows the document's file;
	// the owner's own read is not in the document's access log.
	got, file, err = read(f.owner, d.ID, "KS")
	if err != nil {
		t.Fatal(err)
	}
	if file.SHA256 != f.ksDoc.File.SHA256 || int64(len(got)) != f.ksDoc.File.Size {
		t.Fatalf("warehouse component file = %+v, want %+v", file, f.ksDoc.File)
	}
	if log, err := f.w.AccessLog(ctx, f.owner, f.ksDoc.ID); err != nil || len(log) != 0 {
		t.Fatalf("access log after the owner's own read = %+v, %v", log, err)
	}
}
