package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

// TestSupplementService: the desk's request names a component; the
// citizen is told the reason and the component; the answer from the
// warehouse, three working days later, returns the dossier to 2 with the
// due date moved three working days; a replay with the same key applies
// nothing; withdrawal ends it.
func TestSupplementService(t *testing.T) {
	t.Parallel()
	f, rec, d := receptionFixture(t)
	ctx := context.Background()
	desk := officerOf(agencyCode, "tiepnhan.anhoa", motcua.RoleReception)
	got, err := rec.Transition(ctx, desk, d.Code, motcua.StatusReceived, "")
	if err != nil {
		t.Fatal(err)
	}
	due := got.DueAt
	reason := "Giấy tờ tùy thân đã hết hạn"
	_, err = rec.RequestSupplement(ctx, desk, d.Code, reason, []string{"XX"})
	wantCode(t, err, "unknown_component")
	if _, err := rec.RequestSupplement(ctx, desk, d.Code, reason, []string{"GT"}); err != nil {
		t.Fatal(err)
	}
	ns, err := f.store.ListNotifications(ctx, motcua.NotificationFilter{DossierID: d.ID})
	if err != nil {
		t.Fatal(err)
	}
	told := 0
	for _, n := range ns {
		if n.Params["status"] == motcua.StatusSupplement.Label() {
			if !strings.Contains(n.Params["note"], reason) || !strings.Contains(n.Params["note"], "Giấy tờ tùy thân") {
				t.Errorf("%s message note = %q", n.Channel, n.Params["note"])
			}
			told++
		}
	}
	if told == 0 {
		t.Fatal("the citizen was not told of the request")
	}

	// Another principal, and a component not asked for, are refused.
	_, _, err = f.subs.AnswerSupplement(ctx, f.other, d.Code, []service.SupplementPart{{Component: "GT", DocumentID: f.idNew.ID}}, "")
	wantCode(t, err, "dossier_not_found")
	_, _, err = f.subs.AnswerSupplement(ctx, f.owner, d.Code, []service.SupplementPart{{Component: "KS", DocumentID: f.ksDoc.ID}}, "")
	wantCode(t, err, "component_not_requested")
	_, _, err = f.subs.AnswerSupplement(ctx, f.owner, d.Code, []service.SupplementPart{{Component: "GT", DocumentID: f.expired.ID}}, "")
	wantCode(t, err, "document_expired")

	f.clock.Add(5 * 24 * time.Hour) // Wednesday to Monday: three working days
	answer := func() (*motcua.Dossier, bool, error) {
		return f.subs.AnswerSupplement(ctx, f.owner, d.Code, []service.SupplementPart{{Component: "GT", DocumentID: f.idNew.ID}}, "k-1")
	}
	first, created, err := answer()
	if err != nil || !created {
		t.Fatalf("answer: %v (created %t)", err, created)
	}
	if want := due.AddDate(0, 0, 5); first.Status != motcua.StatusReceived || !first.DueAt.Equal(want) {
		t.Fatalf("after the answer: status %d due %v, want 2 and %v", first.Status, first.DueAt, want)
	}
	if c, _ := first.Component("GT"); c.Digitization != motcua.ReusedFromWarehouse || c.Attachments[0].DocumentID != f.idNew.ID {
		t.Fatalf("GT = %+v", c)
	}
	again, created, err := answer()
	if err != nil || created || len(again.StatusHistory) != len(first.StatusHistory) || !again.DueAt.Equal(first.DueAt) {
		t.Fatalf("replay: %v created %t history %d/%d", err, created, len(again.StatusHistory), len(first.StatusHistory))
	}
	if doc, _ := f.store.GetDocument(ctx, f.idNew.ID); doc.UsageCount != 1 {
		t.Errorf("usage of the answer's document = %d, want 1", doc.UsageCount)
	}
	_, _, err = f.subs.AnswerSupplement(ctx, f.owner, d.Code, []service.SupplementPart{{Component: "GT", DocumentID: f.idNew.ID}}, "k-2")
	wantCode(t, err, "not_awaiting_supplement")

	if _, err := f.subs.Withdraw(ctx, f.owner, d.Code, "x"); motcua.ErrorCode(err) != "reason_required" {
		t.Fatalf("withdraw without reason: %v", err)
	}
	w, err := f.subs.Withdraw(ctx, f.owner, d.Code, "Không còn nhu cầu đăng ký")
	if err != nil || w.Status != motcua.StatusWithdrawn || w.FinishedAt.IsZero() {
		t.Fatalf("withdraw: %v %+v", err, w)
	}
}
