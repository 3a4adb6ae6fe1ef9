package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/importer"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/sqlite"
)

// importBundle is a migrated, seeded data folder, its demo CA and an
// import folder to fill.
type importBundle struct {
	dataDir string
	dir     string // the import folder
	ca      *demo.CA
}

func setupImport(t testing.TB) *importBundle {
	t.Helper()
	ctx := context.Background()
	dataDir := t.TempDir()
	for _, cmd := range []string{"migrate", "seed-demo"} {
		var stderr bytes.Buffer
		if code := run(ctx, []string{cmd, "--data-dir", dataDir}, io.Discard, &stderr); code != 0 {
			t.Fatalf("%s: exit %d: %s", cmd, code, stderr.String())
		}
	}
	ca, err := demo.LoadOrCreateCA(demoCADir(dataDir))
	if err != nil {
		t.Fatal(err)
	}
	// The import folder is a subfolder, so that a file next to it exists
	// for the "../" row to reach for.
	dir := filepath.Join(t.TempDir(), "import")
	if err := os.Mkdir(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	return &importBundle{dataDir: dataDir, dir: dir, ca: ca}
}

// signed writes a signed PDF of about size bytes under the import folder.
func (b *importBundle) signed(t testing.TB, name, text string, size int) {
	t.Helper()
	pdf, err := b.ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: text, Padding: size, Seed: uint64(len(name))}), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.write(t, name, pdf)
}

func (b *importBundle) write(t testing.TB, name string, data []byte) {
	t.Helper()
	path := filepath.Join(b.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o640); err != nil {
		t.Fatal(err)
	}
}

type manifestRow struct {
	file, owner, name, category, code, decision, summary, agency, date string
}

// manifest writes rows as a manifest with a BOM and the columns in an
// unusual order.
func (b *importBundle) manifest(t testing.TB, name string, rows []manifestRow) {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"result_code", "file", "owner_id", "owner_name", "category", "decision_number", "summary", "issuing_agency", "Issue_Date"})
	for _, r := range rows {
		_ = w.Write([]string{r.code, r.file, r.owner, r.name, r.category, r.decision, r.summary, r.agency, r.date})
	}
	w.Flush()
	b.write(t, name, buf.Bytes())
}

func (b *importBundle) importArgs(extra ...string) []string {
	return append([]string{"--dir", b.dir, "--data-dir", b.dataDir, "--demo-ca", "--log-format", "json"}, extra...)
}

func resultCode(t testing.TB, owner, category, number string) string {
	t.Helper()
	c, err := motcua.NewResultCode(owner, category, number)
	if err != nil {
		t.Fatal(err)
	}
	return c.String()
}

func readRejects(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != "line,file,result_code,reason,message" {
		t.Fatalf("rejects header: %v", recs)
	}
	got := map[string]string{} // file → reason
	prevLine := 0
	for _, r := range recs[1:] {
		var line int
		fmt.Sscan(r[0], &line)
		if line <= prevLine {
			t.Errorf("rejects not in manifest order: line %d after %d", line, prevLine)
		}
		prevLine = line
		if r[4] == "" {
			t.Errorf("reject of %s has no message", r[1])
		}
		got[r[1]] = r[3]
	}
	return got
}

func TestImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupImport(t)
	citizens := demo.Citizens()
	today := motcua.DateOf(time.Now())

	var rows []manifestRow
	var good []string
	for i, c := range citizens[:5] {
		file := fmt.Sprintf("2023/ks-%d.pdf", i)
		code := resultCode(t, c.Code, demo.CategoryBirthCertificate, fmt.Sprintf("KS-%03d", i))
		b.signed(t, file, code, 2000)
		rows = append(rows, manifestRow{file, c.Code, c.Name, demo.CategoryBirthCertificate, code,
			fmt.Sprintf("%d/2023/KS", i), "Đăng ký khai sinh", demo.TownCode, "15/03/2023"})
		good = append(good, code)
	}
	c := citizens[5]
	code := func(n string) string { return resultCode(t, c.Code, demo.CategoryJudicialRecord1, n) }
	row := func(file, code string) manifestRow {
		return manifestRow{file, c.Code, c.Name, demo.CategoryJudicialRecord1, code, "", "Cấp Phiếu lý lịch tư pháp số 1",
			demo.JusticeOfficeCode, today.String()}
	}
	b.write(t, "unsigned.pdf", demo.SampleUnsigned())
	tampered, err := b.ca.SampleTampered(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.write(t, "tampered.pdf", tampered)
	for _, f := range []string{"bad-code.pdf", "owner.pdf", "agency.pdf", "date.pdf", "dup.pdf", "old.pdf", "id.pdf", "name.pdf"} {
		b.signed(t, f, f, 0)
	}
	// A file right outside the import folder, reached by "../" and by a
	// symbolic link: both must be refused although the file exists.
	b.signed(t, "../escape.pdf", "escape", 0)
	if err := os.Symlink(filepath.Join(b.dir, "..", "escape.pdf"), filepath.Join(b.dir, "link.pdf")); err != nil {
		t.Fatal(err)
	}
	badOwner := row("owner.pdf", code("LLTP-2"))
	badOwner.owner = citizens[6].Code
	badAgency := row("agency.pdf", code("LLTP-3"))
	badAgency.agency = "000.99.99.H08"
	badDate := row("date.pdf", code("LLTP-4"))
	badDate.date = "31/02/2024"
	// Issue 13: an issue date before 1900, a 12-digit owner that is no
	// personal id (it used to become an organisation) and a known owner
	// under another name are refused like on the API.
	oldDate := row("old.pdf", code("LLTP-8"))
	oldDate.date = "01/01/1800"
	badID := row("id.pdf", resultCode(t, "052990000495", demo.CategoryJudicialRecord1, "LLTP-9"))
	badID.owner = "052990000495"
	badName := row("name.pdf", code("LLTP-10"))
	badName.name = "Người Khác Hẳn"
	rows = append(rows, oldDate, badID, badName)
	rows = append(rows,
		row("unsigned.pdf", code("LLTP-0")),
		row("tampered.pdf", code("LLTP-1")),
		row("bad-code.pdf", c.Code+".KQ.G15"),
		badOwner,
		badAgency,
		badDate,
		row("missing.pdf", code("LLTP-5")),
		row("../escape.pdf", code("LLTP-6")),
		row("link.pdf", code("LLTP-7")),
		row("dup.pdf", good[0]),
	)
	wantRejects := map[string]string{
		"unsigned.pdf":  "unsigned",
		"tampered.pdf":  "digest_mismatch",
		"bad-code.pdf":  "invalid_result_code",
		"owner.pdf":     "owner_mismatch",
		"agency.pdf":    "unknown_agency",
		"date.pdf":      "invalid_issue_date",
		"missing.pdf":   "file_not_found",
		"../escape.pdf": "file_outside_folder",
		"link.pdf":      "file_outside_folder",
		"dup.pdf":       "duplicate_result_code",
		"old.pdf":       "issue_date_too_early",
		"id.pdf":        "invalid_birth_year",
		"name.pdf":      "owner_name_mismatch",
	}
	b.manifest(t, "manifest.csv", rows)

	rejectsPath := filepath.Join(t.TempDir(), "rejects.csv")
	var stdout, stderr bytes.Buffer
	err = runImport(ctx, b.importArgs("--rejects", rejectsPath, "--workers", "3"), &stdout, &stderr)
	var rejected rowsRejectedError
	if !errors.As(err, &rejected) || rejected.rejected != len(wantRejects) {
		t.Fatalf("first import: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"Đã nhập vào kho:            5", "Đã có trong kho, bỏ qua:    0",
		fmt.Sprintf("Bị từ chối:                 %d", len(wantRejects)), "unsigned (1 dòng)", "dòng/giây", rejectsPath} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	got := readRejects(t, rejectsPath)
	for file, reason := range wantRejects {
		if got[file] != reason {
			t.Errorf("%s: reason %q, want %q", file, got[file], reason)
		}
	}
	if len(got) != len(wantRejects) {
		t.Errorf("rejects %v, want %v", got, wantRejects)
	}

	// The imported documents are in their owners' agency warehouses.
	st, err := sqlite.Open(ctx, filepath.Join(b.dataDir, "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i, owner := range citizens[:5] {
		docs, n, err := st.ListDocuments(ctx, motcua.DocumentFilter{OwnerCode: owner.Code})
		if err != nil || n != 1 {
			t.Fatalf("%s: %d documents, %v", owner.Code, n, err)
		}
		d := docs[0]
		if d.Code != good[i] || d.Warehouse != motcua.WarehouseAgency || d.IssuerCode != demo.TownCode ||
			d.IssuedOn != (motcua.Date{Year: 2023, Month: time.March, Day: 15}) || d.DecisionNumber != fmt.Sprintf("%d/2023/KS", i) ||
			d.Summary != "Đăng ký khai sinh" || d.OwnerName != owner.Name || d.Signature.Status != "valid" || d.File.Name != fmt.Sprintf("ks-%d.pdf", i) {
			t.Errorf("imported document %+v", d)
		}
	}
	if _, n, _ := st.ListDocuments(ctx, motcua.DocumentFilter{OwnerCode: c.Code}); n != 0 {
		t.Errorf("%d rejected documents stored", n)
	}

	// A second run skips the imported rows and stores nothing.
	stdout.Reset()
	err = runImport(ctx, b.importArgs("--rejects", rejectsPath), &stdout, &stderr)
	if !errors.As(err, &rejected) || rejected.rejected != len(wantRejects) ||
		!strings.Contains(stdout.String(), "Đã nhập vào kho:            0") || !strings.Contains(stdout.String(), "Đã có trong kho, bỏ qua:    5") {
		t.Fatalf("second import: %v\n%s", err, stdout.String())
	}
	if _, n, _ := st.ListDocuments(ctx, motcua.DocumentFilter{Query: "KQ."}); n != 5 {
		t.Errorf("%d documents after the second run, want 5", n)
	}

	// A known code with another file is refused; a manifest of good rows
	// only ends with exit status 0 and leaves no default rejects file.
	b.signed(t, "other.pdf", "another file", 0)
	b.manifest(t, "conflict.csv", []manifestRow{{"other.pdf", citizens[0].Code, citizens[0].Name, demo.CategoryBirthCertificate,
		good[0], "", "", demo.TownCode, "2023-03-15"}})
	stdout.Reset()
	err = runImport(ctx, b.importArgs("--manifest", filepath.Join(b.dir, "conflict.csv")), &stdout, &stderr)
	if !errors.As(err, &rejected) || rejected.rejected != 1 || !strings.HasPrefix(filepath.Base(rejected.path), "rejects-") {
		t.Fatalf("conflicting import: %v\n%s", err, stdout.String())
	}
	if got := readRejects(t, rejected.path); got["other.pdf"] != "result_code_exists" {
		t.Errorf("conflict rejects: %v", got)
	}
	b.manifest(t, "good.csv", rows[:5])
	stdout.Reset()
	if err := runImport(ctx, b.importArgs("--manifest", filepath.Join(b.dir, "good.csv")), &stdout, &stderr); err != nil {
		t.Fatalf("good rows only: %v\n%s", err, stdout.String())
	}
	if m, _ := filepath.Glob(filepath.Join(b.dir, "rejects-*.csv")); len(m) != 1 {
		t.Errorf("rejects files %v, want only the conflict's", m)
	}
}

func TestImportResumesAfterInterruption(t *testing.T) {
	t.Parallel()
	b := setupImport(t)
	var rows []manifestRow
	const total = 30
	for i := range total {
		c := demo.Citizens()[i%10]
		code := resultCode(t, c.Code, demo.CategoryCertifiedCopy, fmt.Sprintf("CT-%03d", i))
		file := fmt.Sprintf("ct-%02d.pdf", i)
		b.signed(t, file, code, 0)
		rows = append(rows, manifestRow{file, c.Code, c.Name, demo.CategoryCertifiedCopy, code, "", "", demo.TownCode, "2024-01-02"})
	}
	b.manifest(t, "manifest.csv", rows)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seen := 0
	var stdout, stderr bytes.Buffer
	err := importResults(ctx, b.importArgs("--workers", "1"), &stdout, &stderr, func(importer.Outcome) {
		if seen++; seen == 3 {
			cancel() // Ctrl-C
		}
	})
	if err == nil || !strings.Contains(err.Error(), "interrupted") || !strings.Contains(stdout.String(), "Chạy lại đúng lệnh này") {
		t.Fatalf("interrupted import: %v\n%s", err, stdout.String())
	}
	if seen < 3 || seen > 5 {
		t.Fatalf("%d rows dealt with after cancelling at the third; in-flight rows should finish, no new ones start", seen)
	}
	first := seen

	stdout.Reset()
	if err := runImport(context.Background(), b.importArgs("--workers", "2"), &stdout, &stderr); err != nil {
		t.Fatalf("resumed import: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, fmt.Sprintf("Đã nhập vào kho:            %d\n", total-first)) ||
		!strings.Contains(out, fmt.Sprintf("Đã có trong kho, bỏ qua:    %d\n", first)) {
		t.Fatalf("resumed import summary:\n%s", out)
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(b.dataDir, "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	docs, n, err := st.ListDocuments(context.Background(), motcua.DocumentFilter{Limit: 500})
	if err != nil || n != total {
		t.Fatalf("%d documents (%v), want %d", n, err, total)
	}
	codes := map[string]bool{}
	for _, d := range docs {
		codes[d.Code] = true
	}
	for _, r := range rows {
		if !codes[r.code] {
			t.Errorf("%s not imported", r.code)
		}
	}
}

func TestImportUsage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "manifest.csv"), []byte("file,owner\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--data-dir", dir}, "--dir is required"},
		{[]string{"--dir", filepath.Join(dir, "none"), "--trust-dir", dir}, "not a folder"},
		{[]string{"--dir", dir, "--workers", "0", "--trust-dir", dir}, "--workers"},
		{[]string{"--dir", dir, "--data-dir", dir, "--trust-dir", dir}, `unknown column "owner"`},
	}
	for _, c := range cases {
		err := runImport(ctx, c.args, io.Discard, io.Discard)
		if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("import %v: %v, want a usage error with %q", c.args, err, c.want)
		}
	}

	// An unmigrated database is refused with the way out.
	b := &importBundle{dataDir: t.TempDir(), dir: t.TempDir()}
	if _, err := demo.LoadOrCreateCA(demoCADir(b.dataDir)); err != nil {
		t.Fatal(err)
	}
	b.manifest(t, "manifest.csv", nil)
	err := runImport(ctx, b.importArgs(), io.Discard, io.Discard)
	if err == nil || errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "motcua migrate") {
		t.Fatalf("import on an unmigrated database: %v", err)
	}

	// --demo-ca with no demo CA in the database nor in the data folder:
	// a new CA could not have signed the files.
	nb := &importBundle{dataDir: t.TempDir(), dir: t.TempDir()}
	nb.manifest(t, "manifest.csv", nil)
	st, _, err := (&commonConfig{DataDir: nb.dataDir}).openStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st.Close()
	err = runImport(ctx, nb.importArgs(), io.Discard, io.Discard)
	if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "no demo CA") {
		t.Fatalf("import --demo-ca without a demo CA: %v, want a usage error with %q", err, "no demo CA")
	}
}

// TestImportTrustsStoredAnchors: without --trust-dir or --demo-ca, the
// import trusts the enabled anchors administrators stored in the
// database, as the server does; with none, it refuses to start.
func TestImportTrustsStoredAnchors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupImport(t)
	c := demo.Citizens()[0]
	code := resultCode(t, c.Code, demo.CategoryBirthCertificate, "KS-ANCHOR")
	b.signed(t, "ks.pdf", code, 0)
	b.manifest(t, "manifest.csv", []manifestRow{{"ks.pdf", c.Code, c.Name, demo.CategoryBirthCertificate, code,
		"1/2023/KS", "Đăng ký khai sinh", demo.TownCode, "15/03/2023"}})
	args := []string{"--dir", b.dir, "--data-dir", b.dataDir, "--log-format", "json"}
	noTrust := func(when string) {
		t.Helper()
		err := runImport(ctx, args, io.Discard, io.Discard)
		if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "no trusted certificates") {
			t.Fatalf("import %s: %v, want a usage error naming no trusted certificates", when, err)
		}
	}
	noTrust("without any anchor")

	st, err := sqlite.Open(ctx, filepath.Join(b.dataDir, "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	anchor, err := motcua.ParseTrustAnchor(b.ca.Root.Raw)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	anchor.AddedBy, anchor.AddedAt, anchor.UpdatedAt = "system", now, now
	if err := st.CreateTrustAnchor(ctx, anchor); err != nil {
		t.Fatal(err)
	}
	if err := st.SetTrustAnchorDisabled(ctx, anchor.Fingerprint, true, now); err != nil {
		t.Fatal(err)
	}
	noTrust("with a disabled anchor")
	if err := st.SetTrustAnchorDisabled(ctx, anchor.Fingerprint, false, now); err != nil {
		t.Fatal(err)
	}
	if err := runImport(ctx, args, io.Discard, io.Discard); err != nil {
		t.Fatalf("import trusting the stored anchor: %v", err)
	}
	docs, n, err := st.ListDocuments(ctx, motcua.DocumentFilter{OwnerCode: c.Code})
	if err != nil || !slices.ContainsFunc(docs, func(d *motcua.Document) bool { return d.Code == code && d.Signature.Status == "valid" }) {
		t.Fatalf("%s not imported: %d documents %v", code, n, err)
	}
}

// BenchmarkImport measures a first import of 200 signed 100 KB PDFs into
// SQLite, as `go test -run '^$' -bench Import ./cmd/motcua`.
func BenchmarkImport(b *testing.B) {
	const rows = 200
	for range b.N {
		b.StopTimer()
		ib := setupImport(b)
		var ms []manifestRow
		for i := range rows {
			c := demo.Citizens()[i%10]
			code := resultCode(b, c.Code, demo.CategoryCertifiedCopy, fmt.Sprintf("CT-%04d", i))
			file := fmt.Sprintf("%02d/ct-%04d.pdf", i%20, i)
			ib.signed(b, file, code, 100<<10)
			ms = append(ms, manifestRow{file, c.Code, c.Name, demo.CategoryCertifiedCopy, code, "", "", demo.TownCode, "2024-01-02"})
		}
		ib.manifest(b, "manifest.csv", ms)
		b.StartTimer()
		start := time.Now()
		if err := runImport(context.Background(), ib.importArgs(), io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(rows/time.Since(start).Seconds(), "rows/s")
	}
}
