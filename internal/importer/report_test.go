package importer

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// TestRejectsFileNeutralisesFormulas: the rejects file is opened in Excel;
// a file name, result code or message starting with a formula character
// is written as text.
func TestRejectsFileNeutralisesFormulas(t *testing.T) {
	var buf bytes.Buffer
	rw, err := NewRejectsWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	o := Outcome{Row: Row{Line: 7, File: `=HYPERLINK("http://evil.example","a").pdf`, ResultCode: "@x"},
		Rejection: Rejection{Reason: "signature_invalid", Message: "+Người ký: -2+3"}}
	if err := rw.Write(o); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"7", `'=HYPERLINK("http://evil.example","a").pdf`, "'@x", "signature_invalid", "'+Người ký: -2+3"}
	if strings.Join(recs[1], "|") != strings.Join(want, "|") {
		t.Fatalf("rejects row = %q, want %q", recs[1], want)
	}
}
