package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// testDossierProcessing: assignment keeps the status and leaves a
// history entry, the result draft round-trips, and an issued e-result
// counts in indicator 4.1's summary.
func testDossierProcessing(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	at := time.Date(2024, 3, 4, 2, 0, 0, 0, time.UTC)
	d := newDossier(b, at)
	d.ResultExpected = true
	must(t, s.CreateDossier(ctx, d))
	got, err := s.GetDossier(ctx, d.ID)
	must(t, err)
	if got.HandlingAgency != d.AgencyCode || got.Assignee != "" || got.Result != nil || got.Version != 1 {
		t.Fatalf("new dossier: handling %q assignee %q result %+v", got.HandlingAgency, got.Assignee, got.Result)
	}
	must(t, s.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: d.ID, From: motcua.StatusRegistered, To: motcua.StatusReceived, At: at, ReceivedAt: at}))
	must(t, s.UpdateDossierStatus(ctx, motcua.StatusUpdate{DossierID: d.ID, From: motcua.StatusReceived, To: motcua.StatusProcessing, At: at}))

	wantErr(t, s.AssignDossier(ctx, motcua.Assignment{DossierID: d.ID, Status: motcua.StatusReceived, AgencyCode: b.district.Code}),
		motcua.ECONFLICT, "stale_status")
	wantErr(t, s.AssignDossier(ctx, motcua.Assignment{DossierID: "missing", Status: motcua.StatusProcessing, AgencyCode: b.district.Code}),
		motcua.ENOTFOUND, "dossier_not_found")
	wantErr(t, s.AssignDossier(ctx, motcua.Assignment{DossierID: d.ID, Status: motcua.StatusProcessing, AgencyCode: "999.99.99.H99"}),
		motcua.EINVALID, "unknown_agency")
	must(t, s.AssignDossier(ctx, motcua.Assignment{DossierID: d.ID, Status: motcua.StatusProcessing, AgencyCode: b.district.Code,
		Assignee: "xuly.huyen", At: at.Add(time.Hour), Actor: "xuly.xa", Note: "Chuyển phòng chuyên môn thẩm định"}))
	got, err = s.GetDossier(ctx, d.ID)
	must(t, err)
	last := got.StatusHistory[len(got.StatusHistory)-1]
	if got.HandlingAgency != b.district.Code || got.Assignee != "xuly.huyen" || got.Status != motcua.StatusProcessing ||
		last.From != motcua.StatusProcessing || last.To != motcua.StatusProcessing || last.Actor != "xuly.xa" ||
		last.Note != "Chuyển phòng chuyên môn thẩm định" {
		t.Fatalf("after assignment: %+v %+v", got, last)
	}
	list, total, err := s.ListDossiers(ctx, motcua.DossierFilter{HandlingAgency: b.district.Code, Status: motcua.StatusProcessing})
	must(t, err)
	if total != 1 || list[0].ID != d.ID {
		t.Fatalf("handling agency's queue: %d", total)
	}
	if _, total, _ := s.ListDossiers(ctx, motcua.DossierFilter{HandlingAgency: b.district.Code, Assignee: "xuly.huyen"}); total != 1 {
		t.Fatalf("assigned to the officer: %d", total)
	}
	if _, total, _ := s.ListDossiers(ctx, motcua.DossierFilter{HandlingAgency: b.district.Code, Assignee: "ai.khac"}); total != 0 {
		t.Fatalf("assigned to another officer: %d", total)
	}
	if _, total, _ := s.ListDossiers(ctx, motcua.DossierFilter{HandlingAgency: b.commune.Code}); total != 0 {
		t.Fatalf("the receiving agency still handles it: %d", total)
	}

	file := motcua.File{Name: "kq.pdf", Size: 100, SHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
	r := &motcua.DossierResult{Number: "125/2024", Summary: "Giấy chứng nhận kết hôn", Draft: file, DraftedBy: "xuly.huyen",
		DraftedAt: at.Add(2 * time.Hour)}
	before := got.Version
	must(t, s.SetDossierResult(ctx, d.ID, before, r))
	wantErr(t, s.SetDossierResult(ctx, "missing", 1, r), motcua.ENOTFOUND, "dossier_not_found")
	// A second officer working from the same page is refused.
	wantErr(t, s.SetDossierResult(ctx, d.ID, before, r), motcua.ECONFLICT, "stale_dossier")
	wantErr(t, s.UpdateDossierComponents(ctx, d.ID, before, got.Components), motcua.ECONFLICT, "stale_dossier")
	got, err = s.GetDossier(ctx, d.ID)
	must(t, err)
	if got.Version != before+1 {
		t.Fatalf("version %d after one change from %d", got.Version, before)
	}
	must(t, s.UpdateDossierComponents(ctx, d.ID, got.Version, got.Components))
	if got.Result == nil || got.Result.Number != "125/2024" || got.Result.Draft != file || got.Result.Signed != nil ||
		!got.Result.DraftedAt.Equal(r.DraftedAt) {
		t.Fatalf("result = %+v", got.Result)
	}

	// An issued e-result counts in the summary (4.1), once.
	must(t, s.AddDossierResultDocument(ctx, d.ID, "doc-1"))
	must(t, s.AddDossierResultDocument(ctx, d.ID, "doc-1"))
	wantErr(t, s.AddDossierResultDocument(ctx, "missing", "doc-1"), motcua.ENOTFOUND, "dossier_not_found")
	got, err = s.GetDossier(ctx, d.ID)
	must(t, err)
	if len(got.ResultDocIDs) != 1 || !got.HasEResult() {
		t.Fatalf("result documents = %v", got.ResultDocIDs)
	}
	counts, err := s.ReuseCounts(ctx, motcua.LocalDay(at), motcua.LocalDay(at).AddDate(0, 0, 1))
	must(t, err)
	found := false
	for _, c := range counts {
		if c.AgencyCode == d.AgencyCode {
			found = true
			if c.EResult != 1 || c.ResultExpected != 1 {
				t.Fatalf("counts = %+v", c)
			}
		}
	}
	if !found {
		t.Fatal("the agency has no counts")
	}
}
