package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

// receptionFixture: a dossier submitted online to the commune, with one
// component reused, one digitized and one required paper not digitized.
func receptionFixture(t *testing.T) (*submissionFixture, *service.Reception, *motcua.Dossier) {
	t.Helper()
	f := setupSubmission(t)
	ctx := context.Background()
	owner := motcua.Person{Code: f.owner.SubjectCode, Name: f.owner.Name, Phone: "0905123456"}
	file := motcua.File{Name: "tk.pdf", Size: 10, SHA256: strings.Repeat("a", 64)}
	d := &motcua.Dossier{ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: agencyCode, Submitter: owner, Owner: owner,
		Channel: motcua.ChannelOnline, ResultMethod: motcua.ResultOnline, Status: motcua.StatusRegistered, SubmittedAt: f.clock.Now(),
		ResultExpected: true, Components: []motcua.DossierComponent{
			{Code: "TK", Name: "Tờ khai đăng ký kết hôn", Required: true, Digitization: motcua.Digitized,
				Attachments: []motcua.Attachment{{Source: motcua.Uploaded, File: file}}},
			{Code: "KS", Name: "Giấy khai sinh", Required: true, Digitization: motcua.ReusedFromWarehouse,
				Attachments: []motcua.Attachment{{Source: motcua.FromWarehouse, DocumentID: f.ksDoc.ID, File: f.ksDoc.File}}},
			{Code: "GT", Name: "Giấy tờ tùy thân", Required: true},
		}}
	if err := f.store.CreateDossier(ctx, d); err != nil {
		t.Fatal(err)
	}
	return f, service.NewReception(f.store, nil, "http://motcua.test", f.clock.Now), d
}

func officerOf(agency, name string, roles ...motcua.Role) *motcua.Principal {
	return &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: name, AgencyCode: agency, Roles: roles}
}

func TestReceptionFlow(t *testing.T) {
	t.Parallel()
	f, rec, d := receptionFixture(t)
	ctx := context.Background()
	desk := officerOf(agencyCode, "tiepnhan.anhoa", motcua.RoleReception)
	handler := officerOf(agencyCode, "xuly.anhoa", motcua.RoleProcessing)

	// The queue of new online dossiers.
	queue, total, err := rec.Queue(ctx, desk, 0, 50, 0)
	if err != nil || total != 1 || queue[0].Code != d.Code {
		t.Fatalf("queue = %d, %v", total, err)
	}

	// Refused transitions, each with its precise code.
	_, err = rec.Transition(ctx, desk, d.Code, motcua.StatusDone, "")
	wantCode(t, err, "invalid_transition")
	_, err = rec.Transition(ctx, desk, d.Code, motcua.StatusProcessing, "")
	wantCode(t, err, "invalid_transition") // must be received first
	_, err = rec.Transition(ctx, desk, d.Code, motcua.StatusRejected, " ")
	wantCode(t, err, "reason_required")
	_, err = rec.Transition(ctx, handler, d.Code, motcua.StatusReceived, "")
	wantCode(t, err, "forbidden")
	_, err = rec.Transition(ctx, officerOf("000.23.99.H08", "x", motcua.RoleReception), d.Code, motcua.StatusReceived, "")
	wantCode(t, err, "dossier_not_found")

	// Received: receipt date, receiving officer, due date in working days
	// (Wednesday 20/03/2024 15:00 in Vietnam + 1 working day).
	got, err := rec.Transition(ctx, desk, d.Code, motcua.StatusReceived, "")
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2024, 3, 21, 15, 0, 0, 0, motcua.VietnamLocation())
	if got.Status != motcua.StatusReceived || !got.ReceivedAt.Equal(f.clock.Now()) || got.ReceivedBy != "tiepnhan.anhoa" ||
		!got.DueAt.Equal(due) {
		t.Fatalf("after receipt: status %d, received %s by %q, due %s", got.Status, got.ReceivedAt, got.ReceivedBy, got.DueAt)
	}

	// Not forwarded while a required component is not digitized.
	_, err = rec.Transition(ctx, desk, d.Code, motcua.StatusProcessing, "")
	wantCode(t, err, "components_not_digitized")
	if !strings.Contains(motcua.ErrorMessage(err), "Giấy tờ tùy thân") {
		t.Fatalf("refusal does not name the component: %s", motcua.ErrorMessage(err))
	}

	// A supplement stops the clock: three working days later (Thu, Fri,
	// Mon) the dossier is back and its due date moves three working days.
	if _, err := rec.Transition(ctx, desk, d.Code, motcua.StatusSupplement, "Bổ sung bản chụp căn cước công dân"); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(5 * 24 * time.Hour) // Monday 25/03
	comps := got.Components
	comps[2].Digitization = motcua.Digitized
	comps[2].Attachments = []motcua.Attachment{{Source: motcua.Scanned, File: comps[0].Attachments[0].File}}
	if err := f.store.UpdateDossierComponents(ctx, d.ID, 0, comps); err != nil {
		t.Fatal(err)
	}
	got, err = rec.Transition(ctx, desk, d.Code, motcua.StatusReceived, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 3, 26, 15, 0, 0, 0, motcua.VietnamLocation()); !got.DueAt.Equal(want) {
		t.Fatalf("due after the supplement = %s, want %s", got.DueAt.In(motcua.VietnamLocation()), want)
	}
	if !got.ReceivedAt.Equal(time.Date(2024, 3, 20, 8, 0, 0, 0, time.UTC)) {
		t.Fatalf("the receipt date changed: %s", got.ReceivedAt)
	}

	// Forwarded; the processing officer cannot finish without an e-result,
	// and the desk cannot finish at all.
	if _, err := rec.Transition(ctx, desk, d.Code, motcua.StatusProcessing, ""); err != nil {
		t.Fatal(err)
	}
	_, err = rec.Transition(ctx, desk, d.Code, motcua.StatusDone, "")
	wantCode(t, err, "forbidden")
	_, err = rec.Transition(ctx, handler, d.Code, motcua.StatusDone, "")
	wantCode(t, err, "e_result_required")
	_, err = rec.Transition(ctx, handler, d.Code, motcua.StatusStopped, "")
	wantCode(t, err, "reason_required")

	// The history says who, when and why; the citizen was told each time.
	final, err := f.store.GetDossier(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(final.StatusHistory) != 4 || final.StatusHistory[1].Note != "Bổ sung bản chụp căn cước công dân" ||
		final.StatusHistory[3].Actor != "tiepnhan.anhoa" {
		t.Fatalf("history = %+v", final.StatusHistory)
	}
	ns, err := f.store.ListNotifications(ctx, motcua.NotificationFilter{DossierID: d.ID})
	if err != nil {
		t.Fatal(err)
	}
	status := 0
	for _, n := range ns {
		if n.Template == "dossier_status" && n.Recipient == "0905123456" {
			status++
		}
	}
	if status != 8 { // Zalo and SMS (no e-mail address) for each of the 4 changes
		t.Fatalf("%d status messages, want 8", status)
	}
}

// A supplement asked before receipt does not let processing skip the
// receipt.
func TestSupplementBeforeReceipt(t *testing.T) {
	t.Parallel()
	_, rec, d := receptionFixture(t)
	ctx := context.Background()
	desk := officerOf(agencyCode, "tiepnhan.anhoa", motcua.RoleReception)
	handler := officerOf(agencyCode, "xuly.anhoa", motcua.RoleProcessing)
	if _, err := rec.Transition(ctx, desk, d.Code, motcua.StatusSupplement, "Bổ sung tờ khai có chữ ký"); err != nil {
		t.Fatal(err)
	}
	_, err := rec.Transition(ctx, handler, d.Code, motcua.StatusProcessing, "")
	wantCode(t, err, "not_received")
}
