package api

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

// Wire forms the document promises and that once disagreed with it.

func TestDraftWithNothingAttachedHasEmptyArrays(t *testing.T) {
	rec := httptest.NewRecorder()
	writeDraft(rec, 200, &motcua.Draft{ID: "d1", Creator: "p1"})
	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"components", "co_applicants"} {
		if v, ok := got[field].([]any); !ok || len(v) != 0 {
			t.Errorf("%s = %#v, want []", field, got[field])
		}
	}
	for _, field := range []string{"creator", "created_at", "updated_at"} {
		if _, ok := got[field]; !ok {
			t.Errorf("%s is missing: %s", field, rec.Body)
		}
	}
}

func TestReuseTotalRowHasNoAgency(t *testing.T) {
	total, err := json.Marshal(reuseRow(motcua.ReuseRow{AgencyCount: motcua.AgencyCount{Received: 3, Reused: 1}}, 2))
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"agency_code", "agency_name", "level"} {
		if strings.Contains(string(total), `"`+field+`"`) {
			t.Errorf("a total row has %s: %s", field, total)
		}
	}
	row, _ := json.Marshal(reuseRow(motcua.ReuseRow{Agency: &motcua.Agency{Code: "X", Name: "UBND xã X", Level: motcua.LevelCommune}}, 2))
	if !strings.Contains(string(row), `"level":"commune"`) {
		t.Errorf("an agency's row lost its level: %s", row)
	}
}

func TestPublicVerificationDatesAreISO(t *testing.T) {
	v := service.PublicVerification{Code: "K", IssuedOn: motcua.Date{Year: 2024, Month: time.February, Day: 2}}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"issued_on":"2024-02-02"`) || strings.Contains(string(b), "expires_on") {
		t.Errorf("verification = %s, want an ISO issued_on and no expires_on", b)
	}
}
