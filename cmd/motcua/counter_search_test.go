package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/catalogue"
	"github.com/motcua/motcua/internal/demo"
)

// TestCounterSearchesProcedures: an agency that handles more procedures
// than the counter's list holds gets a search on its desk; the list shows
// the first ones and says how many there are, a search without diacritics
// narrows it, and a refused form keeps the chosen procedure although it
// is not on the first page.
func TestCounterSearchesProcedures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	if code := run(ctx, []string{"seed-demo", "--data-dir", dir}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("seed-demo exit %d", code)
	}
	doc := &catalogue.Document{Format: catalogue.Format}
	for i := range 60 {
		doc.Procedures = append(doc.Procedures, catalogue.Procedure{Code: fmt.Sprintf("1.3000%02d", i),
			Name: fmt.Sprintf("Thủ tục thử quầy số %02d", i), Field: "Thử nghiệm", Levels: []string{"commune"}, OnlineLevel: "none",
			Agencies: []string{demo.TownCode}, Cases: []catalogue.Case{{Code: "TH01", Name: "Trường hợp chung", ProcessingDays: 3}},
			Components: []catalogue.Component{{Code: "TP01", Name: "Đơn đề nghị", Required: true, Form: "original", Originals: 1}}})
	}
	var b bytes.Buffer
	if err := doc.Encode(&b); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "catalogue.json")
	if err := os.WriteFile(file, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	if code := run(ctx, []string{"catalogue", "import", "--data-dir", dir, file}, io.Discard, &errb); code != 0 {
		t.Fatalf("import: exit %d\n%s", code, errb.String())
	}

	ts := startServer(t, "--data-dir", dir)
	o := demoOfficer(t, "tiepnhan.thitran")
	officer := officerLogin(t, ts, o.Username, o.Password, o.TOTPSecret)
	count := regexp.MustCompile(`Danh sách có (\d+) trong (\d+) thủ tục`)
	option := regexp.MustCompile(`<option value="([^"|]+)\|`)
	procedures := func(page string) map[string]bool {
		out := map[string]bool{}
		for _, m := range option.FindAllStringSubmatch(page, -1) {
			out[m[1]] = true
		}
		return out
	}

	resp, page := officer.get(ts.url + "/can-bo/tiep-nhan?full_name=Nguyen+Van+A")
	m := count.FindStringSubmatch(page)
	total := 0
	if m != nil {
		total, _ = strconv.Atoi(m[2])
	}
	if resp.StatusCode != 200 || m == nil || m[1] != "50" || total < 60 || len(procedures(page)) != 50 ||
		!strings.Contains(page, `<input type="hidden" name="full_name" value="Nguyen Van A">`) {
		t.Fatalf("desk of an agency with %s procedures: %d, %d listed\n%s", m, resp.StatusCode, len(procedures(page)), page)
	}
	if procedures(page)["1.300059"] {
		t.Fatalf("the last procedure is on the first page: the list is not bounded")
	}

	_, page = officer.get(ts.url + "/can-bo/tiep-nhan?tim=" + url.QueryEscape("thu quay so 07"))
	if got := procedures(page); len(got) != 1 || !got["1.300007"] || !strings.Contains(page, "Danh sách có 1 trong 1 thủ tục khớp") {
		t.Fatalf("search thu quay so 07: %v\n%s", got, page)
	}
	_, page = officer.get(ts.url + "/can-bo/tiep-nhan?tim=khong+co+thu+tuc+nay")
	if len(procedures(page)) != 0 || !strings.Contains(page, "Không có thủ tục nào khớp") {
		t.Fatalf("a search without match:\n%s", page)
	}

	// A refused form (no identity number) keeps the choice from a search.
	resp, page = officer.post(ts.url+"/can-bo/tiep-nhan", url.Values{"choice": {"1.300059|TH01"}, "full_name": {"Nguyễn Văn A"},
		"birth_date": {"01/01/1990"}})
	if resp.StatusCode < 400 || !strings.Contains(page, `<option value="1.300059|TH01" selected>`) {
		t.Fatalf("refused form: %d\n%s", resp.StatusCode, page)
	}
}
