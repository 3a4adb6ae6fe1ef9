package service_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/service"
)

const otherAgencyCode = "000.23.05.H08"

type feedbackFixture struct {
	*warehouseFixture
	fb         *service.Feedbacks
	processing *motcua.Principal // of the issuing agency
	stranger   *motcua.Principal // processing officer of another agency
	reception  *motcua.Principal // of the issuing agency, wrong role
	result     *motcua.Document  // issued by agencyCode to the owner
}

func setupFeedback(t *testing.T) *feedbackFixture {
	t.Helper()
	ctx := context.Background()
	w := setupWarehouse(t)
	must(t, w.store.CreateAgency(ctx, &motcua.Agency{Code: otherAgencyCode, Name: "UBND xã An Dũng", Level: motcua.LevelCommune}))
	keys := service.NewKeys()
	leaf := w.sig.h.Agency
	keys.Set(agencyCode, &service.AgencySigner{Key: leaf.Key, Cert: leaf.Cert, Chain: leaf.Chain, Location: "An Lão, Bình Định"})
	officer := func(user, agency string, role motcua.Role) *motcua.Principal {
		return &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: user, Name: "Cán bộ " + user, AgencyCode: agency,
			Roles: []motcua.Role{role}}
	}
	f := &feedbackFixture{warehouseFixture: w,
		fb:         service.NewFeedbacks(w.store, w.w, keys, motcua.NewCalendar(nil, nil), "https://motcua.example", nil),
		processing: officer("xuly.anhoa", agencyCode, motcua.RoleProcessing),
		stranger:   officer("xuly.andung", otherAgencyCode, motcua.RoleProcessing),
		reception:  officer("tiepnhan.anhoa", agencyCode, motcua.RoleReception)}
	d, _, _, err := w.w.PushResult(ctx, &motcua.APIClient{ID: "hotich", AgencyCode: agencyCode, Categories: []string{"KQ.G15.000031", "KQ.G15.000021"}}, service.AgencyResult{
		Code: "052090000495.KQ.G15.000031.KS-1", OwnerName: "Nguyễn Văn An", DecisionNumber: "KS-1", Summary: "Đăng ký khai sinh",
		File: service.Upload{Name: "ks.pdf", Data: w.sig.pdf(t, "Giay khai sinh")}})
	must(t, err)
	f.result = d
	// The owner has a phone: the outcome goes out by SMS and Zalo.
	owner, err := w.store.GetSubject(ctx, d.OwnerCode)
	must(t, err)
	owner.Phone = "0905123456"
	must(t, w.store.UpdateSubject(ctx, owner))
	return f
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (f *feedbackFixture) report(t *testing.T) *motcua.Feedback {
	t.Helper()
	fb, err := f.fb.Report(context.Background(), f.owner, service.FeedbackReport{DocumentID: f.result.ID,
		Reason: motcua.FeedbackWrongCitizenInfo, Comment: "Sai ngày sinh"})
	must(t, err)
	return fb
}

func TestFeedbackReport(t *testing.T) {
	t.Parallel()
	f := setupFeedback(t)
	ctx := context.Background()
	fb := f.report(t)
	if fb.Status != motcua.FeedbackOpen || fb.AgencyCode != agencyCode || fb.DueAt.Before(fb.CreatedAt.Add(5*24*60*60*1e9)) {
		t.Fatalf("feedback = %+v", fb)
	}
	d, err := f.store.GetDocument(ctx, f.result.ID)
	must(t, err)
	if d.Status != motcua.DocumentUnderFeedback || d.Usable(motcua.DateOf(f.clock.Now())) {
		t.Fatalf("reported document status %s", d.Status)
	}
	events, err := f.store.ListAudit(ctx, motcua.AuditFilter{ObjectID: d.ID})
	must(t, err)
	if len(events) == 0 || events[0].Action != "document.feedback" || events[0].ActorID == "" {
		t.Fatalf("audit = %+v", events)
	}
	list, err := f.fb.ForDocument(ctx, f.owner, d.ID)
	if err != nil || len(list) != 1 || list[0].ID != fb.ID {
		t.Fatalf("ForDocument = %v, %v", list, err)
	}

	// Refusals.
	_, err = f.fb.Report(ctx, f.owner, service.FeedbackReport{DocumentID: f.result.ID, Reason: motcua.FeedbackNotOwnResult})
	wantCode(t, err, "feedback_open")
	_, err = f.fb.Report(ctx, f.other, service.FeedbackReport{DocumentID: f.result.ID, Reason: motcua.FeedbackNotOwnResult})
	wantCode(t, err, "document_not_found")
	_, err = f.fb.Report(ctx, f.processing, service.FeedbackReport{DocumentID: f.result.ID, Reason: motcua.FeedbackNotOwnResult})
	wantCode(t, err, "document_not_found")
	_, err = f.fb.Report(ctx, nil, service.FeedbackReport{DocumentID: f.result.ID, Reason: motcua.FeedbackNotOwnResult})
	wantCode(t, err, "login_required")
	own, _, err := f.w.Add(ctx, f.owner, service.NewDocument{CategoryCode: f.catBSC, Visible: true,
		File: service.Upload{Name: "bsc.pdf", Data: f.sig.pdf(t, "Ban sao")}})
	must(t, err)
	_, err = f.fb.Report(ctx, f.owner, service.FeedbackReport{DocumentID: own.ID, Reason: motcua.FeedbackNotOwnResult})
	wantCode(t, err, "document_without_issuer")
	second, _, _, err := f.w.PushResult(ctx, &motcua.APIClient{ID: "hotich", AgencyCode: agencyCode, Categories: []string{"KQ.G15.000031", "KQ.G15.000021"}}, service.AgencyResult{
		Code: "052090000495.KQ.G15.000021.BSC-2", OwnerName: "Nguyễn Văn An",
		File: service.Upload{Name: "bsc2.pdf", Data: f.sig.pdf(t, "Ban sao 2")}})
	must(t, err)
	_, err = f.fb.Report(ctx, f.owner, service.FeedbackReport{DocumentID: second.ID})
	wantCode(t, err, "invalid_feedback_reason")
}

func TestFeedbackQueueAndReject(t *testing.T) {
	t.Parallel()
	f := setupFeedback(t)
	ctx := context.Background()
	fb := f.report(t)

	queue, total, err := f.fb.Queue(ctx, f.processing, "", 0, 0)
	if err != nil || total != 1 || queue[0].ID != fb.ID {
		t.Fatalf("queue = %v %d, %v", queue, total, err)
	}
	if queue, _, err := f.fb.Queue(ctx, f.stranger, "", 0, 0); err != nil || len(queue) != 0 {
		t.Fatalf("another agency's queue = %v, %v", queue, err)
	}
	_, _, err = f.fb.Queue(ctx, f.reception, "", 0, 0)
	wantCode(t, err, "forbidden")
	_, _, err = f.fb.Queue(ctx, f.owner, "", 0, 0)
	wantCode(t, err, "forbidden")

	// Wrong agency or wrong role: as if it did not exist.
	_, err = f.fb.Get(ctx, f.stranger, fb.ID)
	wantCode(t, err, "feedback_not_found")
	_, err = f.fb.Reject(ctx, f.stranger, fb.ID, "Không thuộc thẩm quyền")
	wantCode(t, err, "feedback_not_found")
	_, err = f.fb.Reject(ctx, f.reception, fb.ID, "Không")
	wantCode(t, err, "feedback_not_found")
	_, err = f.fb.Reject(ctx, f.owner, fb.ID, "Không")
	wantCode(t, err, "forbidden")

	got, err := f.fb.Get(ctx, f.processing, fb.ID)
	if err != nil || got.Feedback.ID != fb.ID || got.Document.ID != f.result.ID || got.Corrected != nil {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	rc, file, err := f.fb.OpenFile(ctx, f.processing, fb.ID)
	must(t, err)
	data, _ := io.ReadAll(rc)
	rc.Close()
	if int64(len(data)) != file.Size || file.SHA256 != f.result.File.SHA256 {
		t.Fatalf("OpenFile: %d bytes, %+v", len(data), file)
	}

	_, err = f.fb.Reject(ctx, f.processing, fb.ID, "  ")
	wantCode(t, err, "resolution_required")
	rej, err := f.fb.Reject(ctx, f.processing, fb.ID, "Thông tin trên giấy khai sinh đúng với sổ đăng ký")
	must(t, err)
	if rej.Status != motcua.FeedbackRejected || rej.ResolvedBy != "xuly.anhoa" {
		t.Fatalf("rejected = %+v", rej)
	}
	if d, _ := f.store.GetDocument(ctx, f.result.ID); d.Status != motcua.DocumentValid {
		t.Fatalf("document after rejection: %s", d.Status)
	}
	_, err = f.fb.Reject(ctx, f.processing, fb.ID, "Lần hai")
	wantCode(t, err, "feedback_resolved")
	_, _, err = f.fb.Correct(ctx, f.processing, fb.ID, service.Correction{File: service.Upload{Name: "x.pdf", Data: pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "x"})}})
	wantCode(t, err, "feedback_resolved")

	// The owner is told, by each channel with an address.
	notes, err := f.store.ListNotifications(ctx, motcua.NotificationFilter{SubjectCode: f.result.OwnerCode})
	must(t, err)
	if len(notes) != 2 || notes[0].Template != "feedback_resolved" || !strings.Contains(notes[0].Params["outcome"], "sổ đăng ký") {
		t.Fatalf("notifications = %+v", notes)
	}
	// Every officer action is audited.
	events, err := f.store.ListAudit(ctx, motcua.AuditFilter{ObjectID: f.result.ID, ActorID: "officer:xuly.anhoa"})
	must(t, err)
	actions := map[string]bool{}
	for _, e := range events {
		actions[e.Action] = true
	}
	if !actions["document.read"] || !actions["document.download"] || !actions["feedback.reject"] {
		t.Fatalf("audit actions = %v", actions)
	}
}

func TestFeedbackCorrect(t *testing.T) {
	t.Parallel()
	f := setupFeedback(t)
	ctx := context.Background()
	fb := f.report(t)
	unsigned := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay khai sinh (ban dinh chinh)"})
	_, _, err := f.fb.Correct(ctx, f.stranger, fb.ID, service.Correction{File: service.Upload{Name: "ks.pdf", Data: unsigned}})
	wantCode(t, err, "feedback_not_found")
	_, _, err = f.fb.Correct(ctx, f.processing, fb.ID, service.Correction{File: service.Upload{Name: "ks.txt", Data: []byte("hello")}})
	wantCode(t, err, "not_pdf")

	res, nd, err := f.fb.Correct(ctx, f.processing, fb.ID, service.Correction{File: service.Upload{Name: "ks-dinh-chinh.pdf", Data: unsigned},
		Note: "Sửa ngày sinh"})
	must(t, err)
	if res.Status != motcua.FeedbackCorrected || res.CorrectedDocumentID != nd.ID || res.Resolution != "Sửa ngày sinh" {
		t.Fatalf("corrected = %+v", res)
	}
	if nd.Code != f.result.Code+".01" || nd.Status != motcua.DocumentValid || nd.IssuerCode != agencyCode ||
		nd.OwnerCode != f.result.OwnerCode || nd.Warehouse != motcua.WarehouseAgency || nd.Signature.Status != "valid" ||
		nd.Signature.Signer == "" {
		t.Fatalf("new document = %+v", nd)
	}
	old, err := f.store.GetDocument(ctx, f.result.ID)
	must(t, err)
	if old.Status != motcua.DocumentSuperseded || old.SupersededBy != nd.ID {
		t.Fatalf("old document: %s → %q", old.Status, old.SupersededBy)
	}
	v, err := f.w.VerifyPublic(ctx, old.Code)
	must(t, err)
	if v.Status != string(motcua.DocumentSuperseded) || v.ReplacedBy != nd.Code {
		t.Fatalf("verification of the old code = %+v", v)
	}
	// The owner's warehouse lists both; only the new one can be attached.
	docs, _, err := f.w.List(ctx, f.owner, motcua.DocumentFilter{})
	must(t, err)
	comp := motcua.ProcedureComponent{Code: "KS", Categories: []string{old.CategoryCode}}
	m := motcua.MatchComponent(comp, f.owner.SubjectCode, docs, motcua.DateOf(f.clock.Now()))
	if m.Auto == nil || m.Auto.ID != nd.ID || len(m.Unusable) != 1 || m.Unusable[0].Document.ID != old.ID {
		t.Fatalf("match after correction: %+v", m)
	}
	// A second report of the new result is fine; of the old one, refused.
	_, err = f.fb.Report(ctx, f.owner, service.FeedbackReport{DocumentID: old.ID, Reason: motcua.FeedbackNotOwnResult})
	wantCode(t, err, "document_superseded")
	fb2, err := f.fb.Report(ctx, f.owner, service.FeedbackReport{DocumentID: nd.ID, Reason: motcua.FeedbackNotGovSigned})
	must(t, err)
	_, nd2, err := f.fb.Correct(ctx, f.processing, fb2.ID, service.Correction{File: service.Upload{Name: "ks2.pdf", Data: unsigned}})
	must(t, err)
	if nd2.Code != f.result.Code+".02" {
		t.Fatalf("second correction code = %s", nd2.Code)
	}
	events, err := f.store.ListAudit(ctx, motcua.AuditFilter{ActorID: "officer:xuly.anhoa"})
	must(t, err)
	actions := map[string]int{}
	for _, e := range events {
		actions[e.Action]++
	}
	if actions["document.issue_correction"] != 2 || actions["feedback.correct"] != 2 {
		t.Fatalf("audit actions = %v", actions)
	}
	// The handling officer's page shows the corrected result: that read
	// is audited like the reported one, in the owner's access log.
	got, err := f.fb.Get(ctx, f.processing, fb.ID)
	if err != nil || got.Corrected == nil || got.Corrected.ID != nd.ID {
		t.Fatalf("Get after the correction = %+v, %v", got, err)
	}
	log, err := f.w.AccessLog(ctx, f.owner, nd.ID)
	must(t, err)
	if len(log) != 1 || log[0].ActorID != "officer:xuly.anhoa" || log[0].Detail != "feedback="+fb.ID {
		t.Fatalf("access log of the corrected result = %+v", log)
	}
	// Monitors of the agency see the open feedback counts: none open now.
	monitor := &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "theodoi", AgencyCode: agencyCode, Roles: []motcua.Role{motcua.RoleMonitor}}
	counts, err := f.fb.Counts(ctx, monitor, agencyCode)
	if err != nil || len(counts) != 0 {
		t.Fatalf("counts = %+v, %v", counts, err)
	}
	_, err = f.fb.Report(ctx, f.owner, service.FeedbackReport{DocumentID: nd2.ID, Reason: motcua.FeedbackNotOwnResult})
	must(t, err)
	counts, err = f.fb.Counts(ctx, monitor, agencyCode)
	if err != nil || len(counts) != 1 || counts[0].Agency.Code != agencyCode || counts[0].Open != 1 || counts[0].Overdue != 0 {
		t.Fatalf("counts = %+v, %v", counts, err)
	}
	_, err = f.fb.Counts(ctx, f.processing, agencyCode)
	wantCode(t, err, "forbidden")
}
