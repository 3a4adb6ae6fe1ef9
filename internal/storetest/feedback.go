package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func newFeedback(b *bundle, d *motcua.Document, created time.Time) *motcua.Feedback {
	return &motcua.Feedback{DocumentID: d.ID, DocumentCode: d.Code, OwnerCode: d.OwnerCode, AgencyCode: d.IssuerCode,
		Reason: motcua.FeedbackWrongCitizenInfo, Comment: "Sai ngày sinh", Status: motcua.FeedbackOpen,
		CreatedAt: created, DueAt: created.Add(7 * 24 * time.Hour)}
}

// testFeedback: a feedback marks its document under feedback; one open
// feedback per document; a rejection puts the document back, a
// correction supersedes it with a pointer to the new one; a resolved
// feedback cannot be resolved again.
func testFeedback(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	created := time.Date(2024, 3, 4, 2, 0, 0, 0, time.UTC)

	d := newDocument(b, b.citizen, b.birthCert, "KS-1")
	must(t, s.CreateDocument(ctx, d))
	f := newFeedback(b, d, created)
	must(t, s.CreateFeedback(ctx, f))
	if f.ID == "" {
		t.Fatal("CreateFeedback assigned no id")
	}
	got, err := s.GetFeedback(ctx, f.ID)
	must(t, err)
	if got.DocumentID != d.ID || got.DocumentCode != d.Code || got.OwnerCode != b.citizen.Code || got.AgencyCode != b.commune.Code ||
		got.Reason != motcua.FeedbackWrongCitizenInfo || got.Comment != "Sai ngày sinh" || got.Status != motcua.FeedbackOpen ||
		!got.CreatedAt.Equal(created) || !got.DueAt.Equal(f.DueAt) || !got.ResolvedAt.IsZero() || got.CorrectedDocumentID != "" {
		t.Fatalf("GetFeedback = %+v\nwant %+v", got, f)
	}
	if doc, err := s.GetDocument(ctx, d.ID); err != nil || doc.Status != motcua.DocumentUnderFeedback {
		t.Fatalf("document after report: %+v, %v", doc, err)
	}
	_, err = s.GetFeedback(ctx, "nope")
	wantErr(t, err, motcua.ENOTFOUND, "feedback_not_found")

	// A second open feedback on the same document is refused and
	// changes nothing.
	wantErr(t, s.CreateFeedback(ctx, newFeedback(b, d, created.Add(time.Hour))), motcua.ECONFLICT, "feedback_open")
	orphan := newFeedback(b, d, created)
	orphan.DocumentID = "nope"
	wantErr(t, s.CreateFeedback(ctx, orphan), motcua.ENOTFOUND, "document_not_found")

	// Rejected: the document is valid again; a second resolution is a conflict.
	rej, err := s.ResolveFeedback(ctx, motcua.FeedbackResolution{FeedbackID: f.ID, Status: motcua.FeedbackRejected,
		ResolvedBy: "xuly.anhoa", Resolution: "Thông tin đúng với sổ hộ tịch", At: created.Add(24 * time.Hour)})
	must(t, err)
	if rej.Status != motcua.FeedbackRejected || rej.ResolvedBy != "xuly.anhoa" || rej.Resolution != "Thông tin đúng với sổ hộ tịch" ||
		!rej.ResolvedAt.Equal(created.Add(24*time.Hour)) {
		t.Fatalf("rejected feedback = %+v", rej)
	}
	if doc, err := s.GetDocument(ctx, d.ID); err != nil || doc.Status != motcua.DocumentValid || doc.SupersededBy != "" {
		t.Fatalf("document after rejection: %+v, %v", doc, err)
	}
	_, err = s.ResolveFeedback(ctx, motcua.FeedbackResolution{FeedbackID: f.ID, Status: motcua.FeedbackRejected, ResolvedBy: "x", Resolution: "y"})
	wantErr(t, err, motcua.ECONFLICT, "feedback_resolved")
	_, err = s.ResolveFeedback(ctx, motcua.FeedbackResolution{FeedbackID: "nope", Status: motcua.FeedbackRejected})
	wantErr(t, err, motcua.ENOTFOUND, "feedback_not_found")

	// Reported again, then corrected: superseded, pointing at the new one.
	f2 := newFeedback(b, d, created.Add(48*time.Hour))
	f2.Reason = motcua.FeedbackNotGovSigned
	must(t, s.CreateFeedback(ctx, f2))
	fixed := newDocument(b, b.citizen, b.birthCert, "KS-1")
	fixed.Code += ".01"
	must(t, s.CreateDocument(ctx, fixed))
	cor, err := s.ResolveFeedback(ctx, motcua.FeedbackResolution{FeedbackID: f2.ID, Status: motcua.FeedbackCorrected,
		ResolvedBy: "xuly.anhoa", CorrectedDocumentID: fixed.ID})
	must(t, err)
	if cor.Status != motcua.FeedbackCorrected || cor.CorrectedDocumentID != fixed.ID || cor.ResolvedAt.IsZero() {
		t.Fatalf("corrected feedback = %+v", cor)
	}
	old, err := s.GetDocument(ctx, d.ID)
	must(t, err)
	if old.Status != motcua.DocumentSuperseded || old.SupersededBy != fixed.ID {
		t.Fatalf("old document = status %s superseded by %q, want superseded by %s", old.Status, old.SupersededBy, fixed.ID)
	}
	if byCode, err := s.GetDocumentByCode(ctx, d.Code); err != nil || byCode.SupersededBy != fixed.ID {
		t.Fatalf("GetDocumentByCode superseded_by = %+v, %v", byCode, err)
	}
	if nw, err := s.GetDocument(ctx, fixed.ID); err != nil || nw.Status != motcua.DocumentValid || nw.SupersededBy != "" {
		t.Fatalf("new document: %+v, %v", nw, err)
	}
	_, err = s.ResolveFeedback(ctx, motcua.FeedbackResolution{FeedbackID: f2.ID, Status: "open"})
	wantErr(t, err, motcua.EINVALID, "invalid_feedback_status")

	// Listing: open first by deadline, then the others newest first.
	other := newDocument(b, b.other, b.certCopy, "BSC-1")
	other.IssuerCode = b.district.Code
	must(t, s.CreateDocument(ctx, other))
	late := newFeedback(b, other, created)
	late.OwnerCode = b.other.Code
	late.DueAt = created.Add(time.Hour)
	must(t, s.CreateFeedback(ctx, late))
	all, total, err := s.ListFeedback(ctx, motcua.FeedbackFilter{})
	must(t, err)
	if total != 3 || len(all) != 3 || all[0].ID != late.ID || all[1].ID != f2.ID || all[2].ID != f.ID {
		t.Fatalf("ListFeedback = %d %v", total, ids(all))
	}
	for _, c := range []struct {
		name string
		f    motcua.FeedbackFilter
		want []string
	}{
		{"agency", motcua.FeedbackFilter{AgencyCodes: []string{b.commune.Code}}, []string{f2.ID, f.ID}},
		{"agencies", motcua.FeedbackFilter{AgencyCodes: []string{b.commune.Code, b.district.Code}, Status: motcua.FeedbackOpen}, []string{late.ID}},
		{"owner", motcua.FeedbackFilter{OwnerCode: b.other.Code}, []string{late.ID}},
		{"document", motcua.FeedbackFilter{DocumentID: d.ID}, []string{f2.ID, f.ID}},
		{"status", motcua.FeedbackFilter{Status: motcua.FeedbackRejected}, []string{f.ID}},
		{"page", motcua.FeedbackFilter{Limit: 1, Offset: 1}, []string{f2.ID}},
	} {
		got, _, err := s.ListFeedback(ctx, c.f)
		must(t, err)
		if g := ids(got); !equalStrings(g, c.want) {
			t.Errorf("%s: ListFeedback = %v, want %v", c.name, g, c.want)
		}
	}

	// Counts per agency: only open feedback; overdue when due before now.
	counts, err := s.CountOpenFeedback(ctx, nil, created.Add(2*time.Hour))
	must(t, err)
	if len(counts) != 1 || counts[0] != (motcua.FeedbackCount{AgencyCode: b.district.Code, Open: 1, Overdue: 1}) {
		t.Fatalf("CountOpenFeedback = %+v", counts)
	}
	counts, err = s.CountOpenFeedback(ctx, []string{b.commune.Code, b.district.Code}, created)
	must(t, err)
	if len(counts) != 1 || counts[0] != (motcua.FeedbackCount{AgencyCode: b.district.Code, Open: 1, Overdue: 0}) {
		t.Fatalf("CountOpenFeedback before the deadline = %+v", counts)
	}
	if counts, err := s.CountOpenFeedback(ctx, []string{b.commune.Code}, created); err != nil || len(counts) != 0 {
		t.Fatalf("CountOpenFeedback of an agency without any = %+v, %v", counts, err)
	}
}

func ids(fs []*motcua.Feedback) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
