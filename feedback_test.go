package motcua_test

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func TestFeedbackReasons(t *testing.T) {
	t.Parallel()
	want := []string{
		"Tệp tin kết quả điện tử bị sai lệch thông tin công dân",
		"Tệp tin kết quả điện tử của công dân không phải là kết quả công dân được giải quyết",
		"Tệp tin kết quả của công dân chưa được ký bằng chứng thư số được cấp bởi Ban cơ yếu chính phủ",
	}
	rs := motcua.FeedbackReasons()
	if len(rs) != len(want) {
		t.Fatalf("%d reasons, want %d", len(rs), len(want))
	}
	for i, r := range rs {
		if r.Label() != want[i] {
			t.Errorf("reason %s = %q, want %q", r, r.Label(), want[i])
		}
	}
}

func TestFeedbackValidate(t *testing.T) {
	t.Parallel()
	ok := func() *motcua.Feedback {
		return &motcua.Feedback{DocumentID: "d1", DocumentCode: "052090000495.KQ.G15.000031.KS-1", OwnerCode: "052090000495",
			AgencyCode: "000.23.01.H08", Reason: motcua.FeedbackNotOwnResult, Status: motcua.FeedbackOpen}
	}
	if err := ok().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, code string
		change     func(f *motcua.Feedback)
	}{
		{"no document", "required", func(f *motcua.Feedback) { f.DocumentID = " " }},
		{"no issuer", "document_without_issuer", func(f *motcua.Feedback) { f.AgencyCode = "" }},
		{"no reason", "invalid_feedback_reason", func(f *motcua.Feedback) { f.Reason = "" }},
		{"unknown reason", "invalid_feedback_reason", func(f *motcua.Feedback) { f.Reason = "other" }},
		{"long comment", "too_long", func(f *motcua.Feedback) { f.Comment = strings.Repeat("ă", motcua.MaxFeedbackText+1) }},
		{"bad status", "invalid_feedback_status", func(f *motcua.Feedback) { f.Status = "closed" }},
	} {
		f := ok()
		c.change(f)
		err := f.Validate()
		if motcua.ErrorCode(err) != c.code || motcua.ErrorKind(err) != motcua.EINVALID || motcua.ErrorMessage(err) == "" {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
}

func TestCheckReportable(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		issuer string
		status motcua.DocumentStatus
		kind   string
		code   string
	}{
		{"000.23.01.H08", motcua.DocumentValid, "", ""},
		{"", motcua.DocumentValid, motcua.EINVALID, "document_without_issuer"},
		{"000.23.01.H08", motcua.DocumentUnderFeedback, motcua.ECONFLICT, "feedback_open"},
		{"000.23.01.H08", motcua.DocumentSuperseded, motcua.EINVALID, "document_superseded"},
		{"000.23.01.H08", motcua.DocumentRevoked, motcua.EINVALID, "document_not_reportable"},
		{"000.23.01.H08", motcua.DocumentWithdrawn, motcua.EINVALID, "document_not_reportable"},
	} {
		err := motcua.CheckReportable(&motcua.Document{IssuerCode: c.issuer, Status: c.status})
		if motcua.ErrorKind(err) != c.kind || motcua.ErrorCode(err) != c.code {
			t.Errorf("issuer %q status %s: %v, want %s %s", c.issuer, c.status, err, c.kind, c.code)
		}
	}
}

func TestFeedbackDeadline(t *testing.T) {
	t.Parallel()
	// Reported on Thursday 2024-03-07 10:00 in Vietnam: five working days
	// skip the weekend, due Thursday 2024-03-14.
	created := time.Date(2024, 3, 7, 3, 0, 0, 0, time.UTC)
	due := motcua.FeedbackDueAt(motcua.NewCalendar(nil, nil), created)
	if want := time.Date(2024, 3, 14, 3, 0, 0, 0, time.UTC); !due.Equal(want) {
		t.Fatalf("due = %s, want %s", due, want)
	}
	f := &motcua.Feedback{Status: motcua.FeedbackOpen, DueAt: due}
	if f.Overdue(due) || !f.Overdue(due.Add(time.Second)) {
		t.Fatal("overdue only after the deadline")
	}
	f.Status = motcua.FeedbackRejected
	if f.Overdue(due.Add(time.Hour)) {
		t.Fatal("a resolved feedback is never overdue")
	}
}

// TestMatchSkipsReportedDocuments: a document under feedback or
// superseded is neither attached automatically nor suggested; the owner
// is told why (UnmatchedStatus), and the corrected one takes its place.
func TestMatchSkipsReportedDocuments(t *testing.T) {
	t.Parallel()
	const me = "052090000495"
	day := motcua.Date{Year: 2024, Month: 6, Day: 1}
	comp := motcua.ProcedureComponent{Code: "GT", Categories: []string{"KQ.G15.000021"}}
	doc := func(id string, st motcua.DocumentStatus) *motcua.Document {
		return &motcua.Document{ID: id, OwnerCode: me, CategoryCode: "KQ.G15.000021", IssuedOn: motcua.Date{Year: 2024, Month: 5, Day: 1},
			Visible: true, Status: st}
	}
	for _, c := range []struct {
		name     string
		docs     []*motcua.Document
		auto     string
		suggest  int
		unusable []string
	}{
		{"under feedback alone: nothing", []*motcua.Document{doc("a", motcua.DocumentUnderFeedback)}, "", 0, []string{"a"}},
		{"superseded alone: nothing", []*motcua.Document{doc("a", motcua.DocumentSuperseded)}, "", 0, []string{"a"}},
		{"under feedback beside a valid one: the valid one is attached",
			[]*motcua.Document{doc("a", motcua.DocumentUnderFeedback), doc("b", motcua.DocumentValid)}, "b", 0, []string{"a"}},
		{"superseded and its correction: the correction is attached",
			[]*motcua.Document{doc("old", motcua.DocumentSuperseded), doc("new", motcua.DocumentValid)}, "new", 0, []string{"old"}},
		{"two valid and one reported: a choice of two",
			[]*motcua.Document{doc("a", motcua.DocumentValid), doc("b", motcua.DocumentValid), doc("c", motcua.DocumentUnderFeedback)}, "", 2, []string{"c"}},
	} {
		m := motcua.MatchComponent(comp, me, c.docs, day)
		gotAuto := ""
		if m.Auto != nil {
			gotAuto = m.Auto.ID
		}
		var gotUnusable []string
		for _, u := range m.Unusable {
			if u.Reason != motcua.UnmatchedStatus {
				t.Errorf("%s: unusable %s for %s, want %s", c.name, u.Document.ID, u.Reason, motcua.UnmatchedStatus)
			}
			gotUnusable = append(gotUnusable, u.Document.ID)
		}
		if gotAuto != c.auto || len(m.Suggestions) != c.suggest || strings.Join(gotUnusable, ",") != strings.Join(c.unusable, ",") {
			t.Errorf("%s: auto %q, %d suggestions, unusable %v; want %q, %d, %v", c.name, gotAuto, len(m.Suggestions), gotUnusable,
				c.auto, c.suggest, c.unusable)
		}
		for _, s := range m.Suggestions {
			if s.Status != motcua.DocumentValid {
				t.Errorf("%s: suggested %s in status %s", c.name, s.ID, s.Status)
			}
		}
	}
}
