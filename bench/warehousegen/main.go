// Command warehousegen builds a synthetic personal data warehouse (kho dữ
// liệu cá nhân) for the benchmarks of issue 5: N documents over M owners,
// written straight into an SQLite file or a PostgreSQL database after the
// normal migrations and the demo reference data (agencies, categories,
// procedures, demo citizens).
//
//	go run ./bench/warehousegen --sqlite /tmp/motcua-bench/w.db --docs 1000000 --owners 100000
//	go run ./bench/warehousegen --postgres postgres://postgres@127.0.0.1:5432/motcua_bench --docs 10000000
//
// Owners are persons with Bình Định personal ids (052…); owner i always
// gets the same id, so a run interrupted by Ctrl-C can be continued with
// --resume, and --append adds M more owners after the existing ones. Each
// batch of owners commits together with its documents, so the database
// never holds an owner whose documents are half written.
//
// Rows are bulk-loaded (SQLite: multi-row INSERTs in large transactions on
// the generator's own connection with synchronous=OFF; PostgreSQL: COPY),
// not through the Store, which checks references row by row. The folded
// search columns must therefore be computed exactly as internal/sqldb
// does; a canary document created through the Store at start-up checks
// that they are.
package main

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"os/signal"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/postgres"
	"github.com/motcua/motcua/internal/sqldb"
	"github.com/motcua/motcua/internal/sqlite"
)

type config struct {
	sqlitePath   string
	pgURL        string
	docs         int
	owners       int
	seed         uint64
	batch        int
	workers      int
	append       bool
	resume       bool
	analyze      bool
	dryRun       bool
	cpuProfile   string
	deferIndexes bool
}

func main() {
	var c config
	flag.StringVar(&c.sqlitePath, "sqlite", "", "SQLite database `file` to fill")
	flag.StringVar(&c.pgURL, "postgres", "", "PostgreSQL `url` to fill")
	flag.IntVar(&c.docs, "docs", 10_000_000, "number of documents (approximate: per-owner counts are random)")
	flag.IntVar(&c.owners, "owners", 1_000_000, "number of owners")
	flag.Uint64Var(&c.seed, "seed", 1, "random seed; the same seed and sizes give the same data")
	flag.IntVar(&c.batch, "batch", 5000, "owners per transaction")
	flag.IntVar(&c.workers, "workers", max(1, runtime.NumCPU()-1), "goroutines generating rows")
	flag.BoolVar(&c.append, "append", false, "add --owners owners (and about --docs documents) after the existing ones")
	flag.BoolVar(&c.resume, "resume", false, "continue an interrupted run up to --owners owners in total")
	flag.BoolVar(&c.dryRun, "dry-run", false, "generate the rows without loading them (measures the generator; migrations and reference data still run)")
	flag.BoolVar(&c.analyze, "analyze", false, "run ANALYZE on SQLite at the end (PostgreSQL is always analyzed, as autovacuum would)")
	flag.BoolVar(&c.deferIndexes, "defer-indexes", true, "on a fresh load, drop the documents table's non-unique indexes and build them at the end")
	flag.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile to `file`")
	flag.Parse()
	if (c.sqlitePath == "") == (c.pgURL == "") {
		fmt.Fprintln(os.Stderr, "warehousegen: give exactly one of --sqlite PATH or --postgres URL")
		os.Exit(2)
	}
	if c.owners <= 0 || c.docs < c.owners || c.docs > 30*c.owners || c.batch <= 0 || c.workers <= 0 {
		fmt.Fprintln(os.Stderr, "warehousegen: need owners > 0 and owners ≤ docs ≤ 30×owners (1 to 30 documents each)")
		os.Exit(2)
	}
	if c.append && c.resume {
		fmt.Fprintln(os.Stderr, "warehousegen: --append and --resume exclude each other")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if c.cpuProfile != "" {
		f, err := os.Create(c.cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "warehousegen:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "warehousegen:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "warehousegen:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) error {
	store, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	from, to, err := prepare(ctx, c, store)
	var indexes []documentIndex
	if err == nil {
		indexes, err = documentIndexes(store.Dialect().Migrations())
	}
	store.Close()
	if err != nil {
		return err
	}
	g := newGenerator(c.seed, float64(c.docs)/float64(c.owners))
	var w writer
	switch {
	case c.dryRun:
		w = discard{}
	case c.sqlitePath != "":
		w, err = openSQLiteWriter(ctx, c.sqlitePath)
	default:
		w, err = openPostgresWriter(ctx, c.pgURL)
	}
	if err != nil {
		return err
	}
	defer w.close()
	if from == 0 && c.deferIndexes {
		// Built once at the end from sorted data instead of taking ten
		// million random inserts each; --resume builds them too.
		for _, ix := range indexes {
			fmt.Printf("dropping index %s until the load is done\n", ix.name)
			if err := w.exec(ctx, "DROP INDEX IF EXISTS "+ix.name); err != nil {
				return err
			}
		}
	}
	if from < to {
		fmt.Printf("generating owners %d..%d (~%d documents, %.1f per owner) with seed %d\n",
			from, to-1, int(float64(to-from)*g.meanDocs), g.meanDocs, c.seed)
		if err := load(ctx, c, g, w, from, to); err != nil {
			return err
		}
	} else {
		fmt.Printf("all %d owners exist; checking the indexes\n", from)
	}
	for _, ix := range indexes {
		start := time.Now()
		if err := w.exec(ctx, ix.create); err != nil {
			return fmt.Errorf("create index %s: %w", ix.name, err)
		}
		fmt.Printf("index %s ready in %s\n", ix.name, time.Since(start).Round(time.Second))
	}
	start := time.Now()
	fmt.Println("finishing (checkpoint / analyze)…")
	if err := w.finish(ctx, c.analyze); err != nil {
		return err
	}
	fmt.Printf("finished in %s\n", time.Since(start).Round(time.Second))
	return nil
}

func openStore(ctx context.Context, c config) (*sqldb.Store, error) {
	if c.sqlitePath != "" {
		return sqlite.Open(ctx, c.sqlitePath)
	}
	return postgres.Open(ctx, c.pgURL)
}

// canary is a document created through the Store: its folded columns are
// what internal/sqldb writes, so comparing them with ours detects a
// generator that has fallen out of date with the store.
func canary() *motcua.Document {
	code := demo.GuideCitizenID + "." + demo.CategoryCertifiedCopy + ".02022024"
	return &motcua.Document{
		Code: code, OwnerCode: demo.GuideCitizenID, OwnerName: "Trần Văn Hùng",
		Warehouse: motcua.WarehouseAgency, PaperType: motcua.PaperResult, CategoryCode: demo.CategoryCertifiedCopy,
		Name:           motcua.DefaultDocumentName(code, "Bản sao được chứng thực từ bản chính"),
		DecisionNumber: "125/2024/SCT/BS", Summary: "Chứng thực bản sao từ bản chính Giấy khai sinh của Trần Văn Hùng",
		IssuerCode: demo.TownCode, IssuedOn: motcua.Date{Year: 2024, Month: 2, Day: 2},
		File:      motcua.File{Name: code + ".pdf", Size: 182_344, SHA256: strings.Repeat("ab", 32)},
		Signature: motcua.SignatureSummary{Status: "valid", Signer: "UBND Thị trấn An Lão", TimeSource: "timestamp"},
		Visible:   true, Shared: true, Status: motcua.DocumentValid,
	}
}

// prepare migrates, seeds the reference data, checks the canary and
// returns the range of owner indexes to generate.
func prepare(ctx context.Context, c config, s *sqldb.Store) (from, to int, err error) {
	n, err := s.Migrate(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	if n > 0 {
		fmt.Printf("applied %d migrations\n", n)
	}
	sum, err := demo.Seed(ctx, s)
	if err != nil {
		return 0, 0, fmt.Errorf("seed reference data: %w", err)
	}
	if !sum.AlreadySeeded {
		fmt.Printf("seeded %d agencies, %d categories, %d procedures, %d subjects\n",
			sum.Agencies, sum.Categories, sum.Procedures, sum.Subjects)
	}
	db := s.DB()
	rebind := s.Dialect().Rebind
	var one int
	err = db.QueryRowContext(ctx, rebind("SELECT 1 FROM documents WHERE code <> ? LIMIT 1"), canary().Code).Scan(&one)
	empty := errors.Is(err, sql.ErrNoRows)
	if err != nil && !empty {
		return 0, 0, fmt.Errorf("look at documents: %w", err)
	}
	if !empty && !c.append && !c.resume {
		return 0, 0, errors.New("the documents table is not empty; use --resume to continue an interrupted run, --append to add more, or a fresh database")
	}
	if err := checkCanary(ctx, s); err != nil {
		return 0, 0, err
	}
	if empty {
		return 0, c.owners, nil
	}
	first, err := firstMissingOwner(ctx, db, rebind)
	if err != nil {
		return 0, 0, err
	}
	fmt.Printf("owners 0..%d exist\n", first-1)
	if c.append {
		return first, first + c.owners, nil
	}
	return first, c.owners, nil
}

func checkCanary(ctx context.Context, s *sqldb.Store) error {
	want := canary()
	if _, err := s.GetDocumentByCode(ctx, want.Code); motcua.IsKind(err, motcua.ENOTFOUND) {
		if err := s.CreateDocument(ctx, want); err != nil {
			return fmt.Errorf("create canary document: %w", err)
		}
	} else if err != nil {
		return err
	}
	got, err := s.GetDocumentByCode(ctx, want.Code)
	if err != nil {
		return err
	}
	var stored [6]string
	err = s.DB().QueryRowContext(ctx, s.Dialect().Rebind(`SELECT search_text, name_f, code_f, decision_f, owner_name_f, summary_f
		FROM documents WHERE code = ?`), want.Code).Scan(&stored[0], &stored[1], &stored[2], &stored[3], &stored[4], &stored[5])
	if err != nil {
		return fmt.Errorf("read canary document: %w", err)
	}
	for i, v := range sqldb.FoldedDocumentColumns(got) {
		if v != stored[i] {
			return fmt.Errorf("folded column %d of the canary is %q in the store but %q here: update foldedFields to match internal/sqldb", i, stored[i], v)
		}
	}
	return nil
}

// firstMissingOwner finds the first owner index whose subject does not
// exist. Batches commit in index order, so the existing owners are a
// prefix 0..k-1.
func firstMissingOwner(ctx context.Context, db *sql.DB, rebind func(string) string) (int, error) {
	exists := func(i int) (bool, error) {
		var one int
		err := db.QueryRowContext(ctx, rebind("SELECT 1 FROM subjects WHERE code = ?"), ownerID(i)).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		return err == nil, err
	}
	if ok, err := exists(0); err != nil || !ok {
		return 0, err
	}
	// Gallop until owner hi-1 is missing, then bisect keeping owner lo-1
	// existing and owner hi-1 missing.
	lo, hi := 1, 2
	for {
		ok, err := exists(hi - 1)
		if err != nil {
			return 0, err
		}
		if !ok {
			break
		}
		lo, hi = hi, hi*2
	}
	for lo < hi-1 {
		mid := (lo + hi) / 2
		ok, err := exists(mid - 1)
		if err != nil {
			return 0, err
		}
		if ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, nil
}

// documentIndex is a non-unique index of the documents table as the
// migrations define it.
type documentIndex struct {
	name   string
	create string // CREATE INDEX IF NOT EXISTS …
}

var (
	createIndexRE = regexp.MustCompile(`(?is)\bCREATE\s+INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s+(ON\s+documents\b[^;]*)`)
	dropIndexRE   = regexp.MustCompile(`(?is)\bDROP\s+INDEX\s+(?:IF\s+EXISTS\s+)?(\w+)`)
)

// documentIndexes reads the migrations, in order, for the non-unique
// indexes of the documents table that the schema ends up with.
func documentIndexes(fsys fs.FS) ([]documentIndex, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []documentIndex
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		for _, stmt := range strings.Split(string(b), ";") {
			if m := createIndexRE.FindStringSubmatch(stmt); m != nil {
				out = append(out, documentIndex{name: m[1], create: "CREATE INDEX IF NOT EXISTS " + m[1] + " " + strings.TrimSpace(m[2])})
			} else if m := dropIndexRE.FindStringSubmatch(stmt); m != nil {
				out = slices.DeleteFunc(out, func(ix documentIndex) bool { return ix.name == m[1] })
			}
		}
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// Generation.

// refDay is "today" for the data, fixed so that a seed always gives the
// same rows.
var refDay = motcua.Date{Year: 2026, Month: 10, Day: 31}

type generator struct {
	seed      uint64
	meanDocs  float64
	q         float64 // continuation probability of the per-owner count
	cats      *weighted[motcua.DocumentCategory]
	minorCats *weighted[motcua.DocumentCategory]
	agencies  map[string]string // code → name
	demoCMND  map[string]bool
}

func newGenerator(seed uint64, meanDocs float64) *generator {
	g := &generator{seed: seed, meanDocs: meanDocs, cats: categoryPicker(), minorCats: minorCategoryPicker(),
		agencies: map[string]string{}, demoCMND: map[string]bool{}}
	for _, a := range demo.Agencies() {
		g.agencies[a.Code] = a.Name
	}
	for _, s := range demo.Subjects() {
		if s.LegacyID != "" {
			g.demoCMND[s.LegacyID] = true
		}
	}
	// Count = 1 + G with G geometric (P(G ≥ k) = q^k) capped at 29: pick q
	// so that the mean is meanDocs.
	mean := func(q float64) float64 {
		m, p := 1.0, 1.0
		for k := 1; k <= 29; k++ {
			p *= q
			m += p
		}
		return m
	}
	lo, hi := 0.0, 1.0
	for range 60 {
		mid := (lo + hi) / 2
		if mean(mid) < meanDocs {
			lo = mid
		} else {
			hi = mid
		}
	}
	g.q = lo
	return g
}

// Birth years 1945–2019, both sexes: 150 combinations; within each, the
// six last digits are a bijection of the serial number, so owner ids are
// unique and stable. An id that a demo citizen already has moves to a
// spill range (birth years 1930–1944), which no demo citizen uses.
const (
	firstBirthYear = 1945
	birthYears     = 75
	combos         = 2 * birthYears
)

func ownerID(i int) string {
	year, female, digits := ownerIDParts(i)
	id := formatPersonalID(year, female, digits)
	if demoIDs[id] {
		id = formatPersonalID(1930+i%15, i%2 == 1, i%1_000_000)
	}
	return id
}

// demoIDs are the demo subjects' codes (read only).
var demoIDs = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range demo.Subjects() {
		m[s.Code] = true
	}
	return m
}()

func ownerIDParts(i int) (year int, female bool, digits int) {
	combo, serial := i%combos, i/combos
	return firstBirthYear + combo/2, combo%2 == 1, (serial*618_033 + 271_828) % 1_000_000
}

func formatPersonalID(year int, female bool, digits int) string {
	century := 2 * ((year - 1900) / 100)
	if female {
		century++
	}
	return fmt.Sprintf("052%d%02d%06d", century, year%100, digits)
}

// batch is one transaction's worth of rows.
type batch struct {
	owners    int
	subjects  [][]any
	documents [][]any
}

var subjectColumns = []string{"code", "kind", "name", "birth_date", "legacy_id", "phone", "email", "address", "verified_at", "created_at"}

var documentColumns = []string{"id", "code", "owner_code", "owner_name", "warehouse", "paper_type", "category_code",
	"name", "decision_number", "summary", "issuer_code", "issued_on", "expires_on", "file_name", "file_size", "file_sha256", "signature",
	"visible", "shared", "usage_count", "status", "version", "created_at", "updated_at",
	"search_text", "name_f", "code_f", "decision_f", "owner_name_f", "summary_f"}

// makeBatch generates owners [from, to) and their documents, shuffled so
// that an owner's documents are spread over the table as they are when
// they arrive over the years, not stored side by side.
func (g *generator) makeBatch(index, from, to int) *batch {
	b := &batch{owners: to - from}
	for i := from; i < to; i++ {
		sub, docs := g.owner(i)
		b.subjects = append(b.subjects, sub)
		b.documents = append(b.documents, docs...)
	}
	r := rand.New(rand.NewPCG(g.seed^0x5eed, uint64(index)))
	r.Shuffle(len(b.documents), func(i, j int) { b.documents[i], b.documents[j] = b.documents[j], b.documents[i] })
	return b
}

func dateValue(d motcua.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func stringOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func randomDate(r *rand.Rand, from, to motcua.Date) motcua.Date {
	a, b := from.Time(), to.Time()
	days := int(b.Sub(a).Hours() / 24)
	if days <= 0 {
		return from
	}
	return motcua.DateOf(a.AddDate(0, 0, r.IntN(days+1)).Add(12 * time.Hour))
}

func randomTime(r *rand.Rand, from, to time.Time) time.Time {
	return from.Add(time.Duration(r.Int64N(int64(to.Sub(from))))).UTC().Truncate(time.Microsecond)
}

var statuses = newWeighted(
	[]motcua.DocumentStatus{motcua.DocumentValid, motcua.DocumentSuperseded, motcua.DocumentRevoked, motcua.DocumentUnderFeedback, motcua.DocumentWithdrawn},
	[]float64{93, 2.5, 1, 0.5, 3})

var personalPaperTypes = newWeighted([]motcua.PaperType{motcua.PaperResult, motcua.PaperComponent, motcua.PaperOther}, []float64{70, 20, 10})

// owner returns the subject row and document rows of owner i.
func (g *generator) owner(i int) ([]any, [][]any) {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	code := ownerID(i)
	id, err := motcua.ParsePersonalID(code)
	if err != nil {
		panic(fmt.Sprintf("owner %d: generated id %s: %v", i, code, err))
	}
	female := id.Sex == motcua.SexFemale
	commune, addr := address(r)
	sub := &motcua.Subject{
		Code: code, Kind: motcua.SubjectPerson, Name: personName(r, female),
		BirthDate: randomDate(r, motcua.Date{Year: id.BirthYear, Month: 1, Day: 1}, motcua.Date{Year: id.BirthYear, Month: 12, Day: 31}),
		Phone:     fmt.Sprintf("0%s%08d", pick(r, []string{"9", "3", "8", "7"}), r.IntN(100_000_000)),
		Address:   addr,
		CreatedAt: randomTime(r, time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)),
	}
	if id.BirthYear < 2000 && i < 10_000_000 && r.IntN(2) == 0 {
		cmnd := fmt.Sprintf("21%07d", (i*7_654_321+1_234_567)%10_000_000)
		if !g.demoCMND[cmnd] {
			sub.LegacyID = cmnd
		}
	}
	if r.IntN(5) == 0 {
		sub.Email = strings.ReplaceAll(motcua.FoldText(sub.Name), " ", "") + fmt.Sprint(i) + "@example.com"
	}
	if r.IntN(10) < 6 {
		sub.VerifiedAt = randomTime(r, sub.CreatedAt, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC))
	}
	row := []any{sub.Code, string(sub.Kind), sub.Name, dateValue(sub.BirthDate), stringOrNil(sub.LegacyID),
		sub.Phone, sub.Email, sub.Address, micros(sub.VerifiedAt), micros(sub.CreatedAt)}

	n := 1
	for n < 30 && r.Float64() < g.q {
		n++
	}
	seen := map[string]int{}
	docs := make([][]any, 0, n)
	for range n {
		d := g.document(r, sub, commune, seen)
		docs = append(docs, documentRow(d))
	}
	return row, docs
}

var earliestIssue = motcua.Date{Year: 2015, Month: 1, Day: 1}

func (g *generator) document(r *rand.Rand, owner *motcua.Subject, commune string, seen map[string]int) *motcua.Document {
	cat := g.cats.pick(r)
	from := earliestIssue
	if earliestIssue.Before(owner.BirthDate) {
		from = owner.BirthDate
	}
	issued := randomDate(r, from, refDay)
	if issued.Year-owner.BirthDate.Year < 18 {
		// Minors hold birth certificates and certified copies, not land titles.
		cat = g.minorCats.pick(r)
	}
	d := &motcua.Document{OwnerCode: owner.Code, OwnerName: owner.Name, CategoryCode: cat.Code,
		Warehouse: motcua.WarehousePersonal, IssuedOn: issued, ExpiresOn: cat.ExpiryFor(issued), Version: 1}
	issuer := issuerFor(r, cat.Code)
	if issuer != "" && r.IntN(100) < 85 {
		d.Warehouse, d.IssuerCode = motcua.WarehouseAgency, issuer
	}
	prefix := owner.Code + "." + cat.Code + "." + documentNumber(r, cat.Code, issued)
	d.Code = prefix
	if k := seen[prefix]; k > 0 {
		d.Code = fmt.Sprintf("%s.%02d", prefix, k)
	}
	seen[prefix]++
	d.Name = motcua.DefaultDocumentName(d.Code, cat.Name)
	d.DecisionNumber = decisionNumber(r, cat.Code, issued)
	d.Summary = summary(r, cat, owner, commune, issued)
	if d.Warehouse == motcua.WarehouseAgency {
		d.PaperType = cat.PaperType
		d.File.Name = d.Code + ".pdf"
	} else {
		d.PaperType = personalPaperTypes.pick(r)
		d.File.Name = fmt.Sprintf("%s_%04d.pdf", pick(r, personalFileNames), r.IntN(10000))
		if r.IntN(4) == 0 {
			d.DecisionNumber = ""
		}
		if r.IntN(7) == 0 {
			d.Summary = ""
		}
	}
	d.File.Size = int64(math.Exp(math.Log(60e3) + r.Float64()*(math.Log(4e6)-math.Log(60e3))))
	var sha [32]byte
	for k := 0; k < 32; k += 8 {
		v := r.Uint64()
		for j := range 8 {
			sha[k+j] = byte(v >> (8 * j))
		}
	}
	d.File.SHA256 = hex.EncodeToString(sha[:])
	signer := g.agencies[issuerFor(r, cat.Code)]
	switch {
	case d.IssuerCode != "":
		signer = g.agencies[d.IssuerCode]
	case cat.Code == demo.CategoryIDCard:
		signer = "Công an tỉnh Bình Định"
	case cat.Code == demo.CategoryJudicialRecord1 || cat.Code == demo.CategoryJudicialRecord2:
		signer = "Sở Tư pháp tỉnh Bình Định"
	case signer == "":
		signer = "UBND tỉnh Bình Định"
	}
	signedAt := issued.Time().Add(time.Duration(7*3600+r.IntN(10*3600)) * time.Second).UTC()
	d.Signature = motcua.SignatureSummary{Status: "valid", Signer: signer, SignerOrg: signer,
		Issuer: pick(r, signatureIssuers), SigningTime: signedAt, TimeSource: "timestamp"}
	if r.IntN(5) == 0 {
		d.Signature.TimeSource = "signed_attribute"
	}
	if d.Warehouse == motcua.WarehousePersonal && r.IntN(10) == 0 {
		d.Signature.Status = "indeterminate"
		d.Signature.Reason = "untrusted_root"
		d.Signature.Warnings = []string{"Chứng thư số của người ký không thuộc danh sách tin cậy."}
	}
	d.Visible = r.IntN(100) < 96
	d.Shared = r.IntN(100) < 35
	for d.UsageCount < 50 && r.IntN(10) < 4 {
		d.UsageCount++
	}
	d.Status = statuses.pick(r)
	d.CreatedAt = signedAt.Add(time.Duration(r.Int64N(int64(72 * time.Hour)))).Truncate(time.Microsecond)
	if max := refDay.Time().Add(24 * time.Hour).UTC(); d.CreatedAt.After(max) {
		d.CreatedAt = max
	}
	d.UpdatedAt = d.CreatedAt
	d.ID = newID(r, d.CreatedAt)
	return d
}

// newID has the shape of sqldb.NewID (48-bit milliseconds, then random
// bytes, hex) but draws from r so that a seed gives the same ids.
func newID(r *rand.Rand, t time.Time) string {
	var b [14]byte
	ms := uint64(t.UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	v := r.Uint64()
	for i := 6; i < 14; i++ {
		b[i] = byte(v)
		v >>= 8
	}
	return hex.EncodeToString(b[:])
}

func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func documentRow(d *motcua.Document) []any {
	sig, err := json.Marshal(d.Signature)
	if err != nil {
		panic(err)
	}
	row := []any{d.ID, d.Code, d.OwnerCode, d.OwnerName, string(d.Warehouse), string(d.PaperType), d.CategoryCode,
		d.Name, d.DecisionNumber, d.Summary, stringOrNil(d.IssuerCode), dateValue(d.IssuedOn), dateValue(d.ExpiresOn),
		d.File.Name, d.File.Size, d.File.SHA256, string(sig),
		d.Visible, d.Shared, d.UsageCount, string(d.Status), d.Version, micros(d.CreatedAt), micros(d.UpdatedAt)}
	for _, f := range sqldb.FoldedDocumentColumns(d) {
		row = append(row, f)
	}
	return row
}

// ---------------------------------------------------------------------------
// Loading.

type writer interface {
	exec(ctx context.Context, stmt string) error
	writeBatch(ctx context.Context, b *batch) error
	finish(ctx context.Context, analyze bool) error
	close() error
}

// load generates batches on c.workers goroutines and writes them in order
// on one connection.
func load(ctx context.Context, c config, g *generator, w writer, from, to int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	nb := (to - from + c.batch - 1) / c.batch
	pending := make(chan chan *batch, c.workers)
	go func() {
		defer close(pending)
		sem := make(chan struct{}, c.workers)
		for j := range nb {
			ch := make(chan *batch, 1)
			select {
			case pending <- ch:
			case <-ctx.Done():
				return
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			go func() {
				defer func() { <-sem }()
				lo := from + j*c.batch
				ch <- g.makeBatch(j+from/c.batch, lo, min(lo+c.batch, to))
			}()
		}
	}()
	// The first batch is validated through the domain's own rules.
	validated := false
	var owners, docs atomic.Int64
	start := time.Now()
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		lastDocs, last := int64(0), start
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				d := docs.Load()
				o := owners.Load()
				rate := float64(d) / now.Sub(start).Seconds()
				eta := time.Duration(float64(to-from-int(o)) * g.meanDocs / rate * float64(time.Second))
				fmt.Printf("  %s owners %d/%d, documents %d: %.0f docs/s now, %.0f docs/s average, ETA %s\n",
					now.Sub(start).Round(time.Second), o, to-from, d, float64(d-lastDocs)/now.Sub(last).Seconds(), rate, eta.Round(time.Second))
				lastDocs, last = d, now
			}
		}
	}()
	for ch := range pending {
		var b *batch
		select {
		case b = <-ch:
		case <-ctx.Done():
			return fmt.Errorf("interrupted after %d owners; continue with --resume: %w", owners.Load(), ctx.Err())
		}
		if !validated {
			if err := validateBatch(b); err != nil {
				return err
			}
			validated = true
		}
		if err := w.writeBatch(ctx, b); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("interrupted after %d owners; continue with --resume: %w", owners.Load(), ctx.Err())
			}
			return err
		}
		owners.Add(int64(b.owners))
		docs.Add(int64(len(b.documents)))
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("interrupted after %d owners; continue with --resume: %w", owners.Load(), err)
	}
	el := time.Since(start)
	fmt.Printf("loaded %d owners and %d documents in %s: %.0f documents/s, %.0f rows/s\n",
		owners.Load(), docs.Load(), el.Round(time.Second), float64(docs.Load())/el.Seconds(),
		float64(docs.Load()+owners.Load())/el.Seconds())
	return nil
}

// validateBatch runs the domain's Validate on the rows of a batch, rebuilt
// from their columns.
func validateBatch(b *batch) error {
	for _, row := range b.subjects {
		s := motcua.Subject{Code: row[0].(string), Kind: motcua.SubjectKind(row[1].(string)), Name: row[2].(string)}
		if v, ok := row[4].(string); ok {
			s.LegacyID = v
		}
		s.Phone, s.Email = row[5].(string), row[6].(string)
		if err := s.Validate(); err != nil {
			return fmt.Errorf("generated subject %s: %w", s.Code, err)
		}
	}
	for _, row := range b.documents {
		d := motcua.Document{Code: row[1].(string), OwnerCode: row[2].(string), Warehouse: motcua.WarehouseKind(row[4].(string)),
			PaperType: motcua.PaperType(row[5].(string)), CategoryCode: row[6].(string), Name: row[7].(string),
			File:   motcua.File{Name: row[13].(string), Size: row[14].(int64), SHA256: row[15].(string)},
			Status: motcua.DocumentStatus(row[20].(string))}
		if v, ok := row[10].(string); ok {
			d.IssuerCode = v
		}
		if err := d.Validate(); err != nil {
			return fmt.Errorf("generated document %s: %w", d.Code, err)
		}
	}
	return nil
}
