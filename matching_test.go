package motcua_test

import (
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func TestMatchComponent(t *testing.T) {
	t.Parallel()
	const me, other = "052090000495", "052198000814"
	day := motcua.Date{Year: 2024, Month: 6, Day: 1}
	doc := func(id, owner, cat string, issued motcua.Date, change func(d *motcua.Document)) *motcua.Document {
		d := &motcua.Document{ID: id, OwnerCode: owner, CategoryCode: cat, IssuedOn: issued, Visible: true,
			Status: motcua.DocumentValid, CreatedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
		if change != nil {
			change(d)
		}
		return d
	}
	jan, mar, may := motcua.Date{Year: 2024, Month: 1, Day: 5}, motcua.Date{Year: 2024, Month: 3, Day: 5}, motcua.Date{Year: 2024, Month: 5, Day: 5}
	idCard := motcua.ProcedureComponent{Code: "GT", Categories: []string{"KQ.G01.000023", "KQ.G15.000021"}}
	noCats := motcua.ProcedureComponent{Code: "TK"}

	cases := []struct {
		name       string
		comp       motcua.ProcedureComponent
		docs       []*motcua.Document
		auto       string
		suggest    []string
		unusable   map[string]string
		wantsMatch bool
	}{
		{"nothing", idCard, nil, "", nil, nil, false},
		{"exactly one: attached", idCard, []*motcua.Document{doc("a", me, "KQ.G01.000023", jan, nil)}, "a", nil, nil, true},
		{"two: a choice, newest first", idCard, []*motcua.Document{
			doc("old", me, "KQ.G15.000021", jan, nil), doc("new", me, "KQ.G01.000023", may, nil)}, "", []string{"new", "old"}, nil, true},
		{"same issue date: newest stored first", idCard, []*motcua.Document{
			doc("first", me, "KQ.G15.000021", mar, nil),
			doc("second", me, "KQ.G15.000021", mar, func(d *motcua.Document) { d.CreatedAt = d.CreatedAt.Add(time.Hour) })},
			"", []string{"second", "first"}, nil, true},
		{"another subject's document never matches", idCard, []*motcua.Document{doc("x", other, "KQ.G01.000023", jan, nil)}, "", nil, nil, false},
		{"other category", idCard, []*motcua.Document{doc("ks", me, "KQ.G15.000031", jan, nil)}, "", nil, nil, false},
		{"component without categories", noCats, []*motcua.Document{doc("a", me, "KQ.G01.000023", jan, nil)}, "", nil, nil, false},
		{"expired", idCard, []*motcua.Document{doc("e", me, "KQ.G15.000021", jan, func(d *motcua.Document) {
			d.ExpiresOn = motcua.Date{Year: 2024, Month: 5, Day: 31}
		})}, "", nil, map[string]string{"e": motcua.UnmatchedExpired}, false},
		{"valid on its last day", idCard, []*motcua.Document{doc("l", me, "KQ.G15.000021", jan, func(d *motcua.Document) { d.ExpiresOn = day })},
			"l", nil, nil, true},
		{"hidden", idCard, []*motcua.Document{doc("h", me, "KQ.G01.000023", jan, func(d *motcua.Document) { d.Visible = false })},
			"", nil, map[string]string{"h": motcua.UnmatchedHidden}, false},
		{"revoked and under feedback", idCard, []*motcua.Document{
			doc("r", me, "KQ.G01.000023", jan, func(d *motcua.Document) { d.Status = motcua.DocumentRevoked }),
			doc("f", me, "KQ.G01.000023", jan, func(d *motcua.Document) { d.Status = motcua.DocumentUnderFeedback })},
			"", nil, map[string]string{"r": motcua.UnmatchedStatus, "f": motcua.UnmatchedStatus}, false},
		{"withdrawn documents are not mentioned", idCard, []*motcua.Document{
			doc("w", me, "KQ.G01.000023", jan, func(d *motcua.Document) { d.Status = motcua.DocumentWithdrawn })}, "", nil, nil, false},
		{"one usable among unusable: attached", idCard, []*motcua.Document{
			doc("h", me, "KQ.G01.000023", may, func(d *motcua.Document) { d.Visible = false }),
			doc("ok", me, "KQ.G15.000021", jan, nil)}, "ok", nil, map[string]string{"h": motcua.UnmatchedHidden}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := motcua.MatchComponent(c.comp, me, c.docs, day)
			if got := idOf(m.Auto); got != c.auto {
				t.Errorf("auto = %q, want %q", got, c.auto)
			}
			var sug []string
			for _, d := range m.Suggestions {
				sug = append(sug, d.ID)
			}
			if len(sug) != len(c.suggest) {
				t.Fatalf("suggestions = %v, want %v", sug, c.suggest)
			}
			for i := range sug {
				if sug[i] != c.suggest[i] {
					t.Fatalf("suggestions = %v, want %v", sug, c.suggest)
				}
			}
			if len(m.Unusable) != len(c.unusable) {
				t.Fatalf("unusable = %+v, want %v", m.Unusable, c.unusable)
			}
			for _, u := range m.Unusable {
				if c.unusable[u.Document.ID] != u.Reason {
					t.Errorf("unusable %s: reason %s, want %s", u.Document.ID, u.Reason, c.unusable[u.Document.ID])
				}
			}
			if m.Matches() != c.wantsMatch {
				t.Errorf("Matches() = %v", m.Matches())
			}
			for _, d := range c.docs {
				usable := d.ID == c.auto || slices.Contains(c.suggest, d.ID)
				if got := m.Candidate(d.ID); (got != nil) != usable {
					t.Errorf("Candidate(%s) = %v, usable %v", d.ID, got, usable)
				}
			}
		})
	}
	if m := motcua.MatchComponent(idCard, "", []*motcua.Document{doc("a", "", "KQ.G01.000023", jan, nil)}, day); m.Matches() {
		t.Fatal("an empty owner matched")
	}
}

func idOf(d *motcua.Document) string {
	if d == nil {
		return ""
	}
	return d.ID
}
