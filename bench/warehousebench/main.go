// Command warehousebench measures the warehouse queries of issue 5 on a
// database built by warehousegen, through the Store as the service calls
// it: an owner's list (first page of 20, with the total) and each of the
// portal's search boxes within the owner's warehouse, then the officer's
// global searches, and the warehouse matching of a 3-component procedure
// (issue 6) as the submission service does it. It prints p50/p90/p99/max
// latency per query at each concurrency.
//
//	go run ./bench/warehousebench --sqlite /tmp/motcua-bench/w.db
//	go run ./bench/warehousebench --postgres postgres://postgres@127.0.0.1:5432/motcua_bench
//
// Every query of a run goes to owners that no earlier query of the run
// touched, so a measurement does not profit from the rows the previous one
// read. The operating system's page cache is left as it is; bench/README.md
// shows how to evict the database files first for a cold-cache run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/postgres"
	"github.com/motcua/motcua/internal/sqldb"
	"github.com/motcua/motcua/internal/sqlite"
)

type config struct {
	sqlitePath  string
	pgURL       string
	perOwnerN   int
	globalN     int
	concurrency []int
	seed        uint64
	only        string
	timeout     time.Duration
	cpuProfile  string
}

func main() {
	var c config
	var conc string
	flag.StringVar(&c.sqlitePath, "sqlite", "", "SQLite database `file` built by warehousegen")
	flag.StringVar(&c.pgURL, "postgres", "", "PostgreSQL `url` built by warehousegen")
	flag.IntVar(&c.perOwnerN, "n", 1000, "calls (each on a different owner) per per-owner query and concurrency")
	flag.IntVar(&c.globalN, "global", 8, "calls per global (no owner) search and concurrency; 0 skips them")
	flag.StringVar(&conc, "concurrency", "1,4", "comma-separated concurrency levels")
	flag.Uint64Var(&c.seed, "seed", 1, "random seed for owner sampling and search terms")
	flag.StringVar(&c.only, "only", "", "run only the queries whose name contains this")
	flag.DurationVar(&c.timeout, "timeout", 5*time.Minute, "give up on a single call after this long")
	flag.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile to `file`")
	flag.Parse()
	if (c.sqlitePath == "") == (c.pgURL == "") {
		fmt.Fprintln(os.Stderr, "warehousebench: give exactly one of --sqlite PATH or --postgres URL")
		os.Exit(2)
	}
	for _, f := range strings.Split(conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			fmt.Fprintf(os.Stderr, "warehousebench: bad concurrency %q\n", f)
			os.Exit(2)
		}
		c.concurrency = append(c.concurrency, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if c.cpuProfile != "" {
		f, err := os.Create(c.cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "warehousebench:", err)
			os.Exit(1)
		}
	}
	err := run(ctx, c)
	pprof.StopCPUProfile()
	if err != nil {
		fmt.Fprintln(os.Stderr, "warehousebench:", err)
		os.Exit(1)
	}
}

// owner is a sampled warehouse owner.
type owner struct {
	code, name string
}

// query is one measured operation: filter builds the DocumentFilter for a
// sampled owner. When match is set, each call is the submission service's
// warehouse matching for that procedure: the filter's ListDocuments, then
// motcua.MatchProcedure on the documents it returns.
type query struct {
	name   string
	global bool
	filter func(r *rand.Rand, o owner) motcua.DocumentFilter
	match  *motcua.Procedure
}

// matchProcedure is the procedure of the matching benchmark: three
// components that the warehouse can fill, with the categories the demo
// procedures accept (identity: the ID card or a certified copy; a birth
// certificate; a marital status certificate, valid 180 days, so that
// expired documents are met too). It exists only here: ListDocuments and
// MatchProcedure do not need it in the database.
func matchProcedure() *motcua.Procedure {
	return &motcua.Procedure{
		Code:  "9.000000.000.00.00.BENCH", // a valid code of no real or demo procedure
		Name:  "Thủ tục benchmark: giấy tờ tùy thân, giấy khai sinh, giấy xác nhận tình trạng hôn nhân lấy từ kho",
		Cases: []motcua.ProcedureCase{{Code: "TH01", Name: "10 ngày làm việc", ProcessingDays: 10}},
		Components: []motcua.ProcedureComponent{
			{Code: "TP01", Name: "Giấy tờ tùy thân (Thẻ căn cước công dân hoặc bản sao được chứng thực)", Required: true,
				Form: motcua.FormCopy, Categories: []string{demo.CategoryIDCard, demo.CategoryCertifiedCopy}},
			{Code: "TP02", Name: "Giấy khai sinh", Required: true, Form: motcua.FormCopy,
				Categories: []string{demo.CategoryBirthCertificate}},
			{Code: "TP03", Name: "Giấy xác nhận tình trạng hôn nhân", Required: true, Form: motcua.FormOriginal,
				Categories: []string{demo.CategoryMaritalStatus}},
		},
	}
}

// matchFilter is the filter of internal/service (Submissions.ownerDocuments):
// the owner's documents of every category the procedure accepts.
func matchFilter(p *motcua.Procedure, o owner) motcua.DocumentFilter {
	var cats []string
	for _, c := range p.Components {
		for _, cat := range c.Categories {
			if !slices.Contains(cats, cat) {
				cats = append(cats, cat)
			}
		}
	}
	return motcua.DocumentFilter{OwnerCode: o.code, CategoryCodes: cats, Limit: 500, NoTotal: true}
}

// Search terms as people type them: with or without diacritics, any case.
var (
	nameTerms     = []string{"giấy khai sinh", "giay khai sinh", "BẢN SAO", "chung nhan", "căn cước", "ly lich tu phap", "giấy phép lái xe", "ket hon"}
	codeTerms     = []string{"G15.000031", "kq.g15.000021", "KQ.G01", "kq.demo.000004", "2023", "000021"}
	decisionTerms = []string{"SCT/BS", "/2022/", "qđ-ubnd", "QD-UBND", "/KS", "lltp"}
	summaryTerms  = []string{"chung thuc", "quyền sử dụng đất", "khai sinh", "giay phep lai xe", "tình trạng hôn nhân", "can cuoc"}
	queryTerms    = []string{"giay khai sinh 2021", "bản sao chứng thực", "quyen su dung dat", "lái xe B2", "ly lich tu phap so 1"}
)

// givenName returns the given name, folded: what someone searching a
// warehouse for "Hùng" types.
func givenName(o owner) string {
	f := strings.Fields(motcua.FoldText(o.name))
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// ownerView is the filter the service applies to an owner's own list.
func ownerView(o owner) motcua.DocumentFilter {
	return motcua.DocumentFilter{OwnerCode: o.code, ExcludeStatus: motcua.DocumentWithdrawn, Limit: 20}
}

func queries() []query {
	with := func(name string, set func(f *motcua.DocumentFilter, r *rand.Rand, o owner)) query {
		return query{name: name, filter: func(r *rand.Rand, o owner) motcua.DocumentFilter {
			f := ownerView(o)
			set(&f, r, o)
			return f
		}}
	}
	return []query{
		with("owner list", func(*motcua.DocumentFilter, *rand.Rand, owner) {}),
		with("owner: name", func(f *motcua.DocumentFilter, r *rand.Rand, _ owner) { f.Name = pick(r, nameTerms) }),
		with("owner: code", func(f *motcua.DocumentFilter, r *rand.Rand, _ owner) { f.Code = pick(r, codeTerms) }),
		with("owner: decision number", func(f *motcua.DocumentFilter, r *rand.Rand, _ owner) { f.DecisionNumber = pick(r, decisionTerms) }),
		with("owner: owner name", func(f *motcua.DocumentFilter, _ *rand.Rand, o owner) { f.OwnerName = givenName(o) }),
		with("owner: owner id", func(f *motcua.DocumentFilter, _ *rand.Rand, o owner) { f.OwnerID = o.code[:9] }),
		with("owner: summary", func(f *motcua.DocumentFilter, r *rand.Rand, _ owner) { f.Summary = pick(r, summaryTerms) }),
		with("owner: combined", func(f *motcua.DocumentFilter, r *rand.Rand, o owner) {
			f.Name, f.Summary, f.OwnerName = pick(r, nameTerms), pick(r, summaryTerms), givenName(o)
		}),
		with("owner: all fields (Query)", func(f *motcua.DocumentFilter, r *rand.Rand, _ owner) { f.Query = pick(r, queryTerms) }),
		{name: "global: owner id (12 digits)", global: true, filter: func(_ *rand.Rand, o owner) motcua.DocumentFilter {
			return motcua.DocumentFilter{OwnerID: o.code, Limit: 20}
		}},
		{name: "global: owner id prefix (9)", global: true, filter: func(_ *rand.Rand, o owner) motcua.DocumentFilter {
			return motcua.DocumentFilter{OwnerID: o.code[:9], Limit: 20}
		}},
		{name: "global: code", global: true, filter: func(r *rand.Rand, o owner) motcua.DocumentFilter {
			// The beginning of a result code of this owner, as an officer
			// copies it from a paper: owner id and category.
			return motcua.DocumentFilter{Code: o.code + "." + pick(r, []string{"KQ.G15.000021", "KQ.G15.000031", "KQ.G01.000023"}), Limit: 20}
		}},
		func() query {
			p := matchProcedure()
			return query{name: "match: 3-component case", match: p,
				filter: func(_ *rand.Rand, o owner) motcua.DocumentFilter { return matchFilter(p, o) }}
		}(),
	}
}

type result struct {
	query       string
	concurrency int
	latencies   []time.Duration
	hits        int // calls with at least one match (matching: a component matched)
	wall        time.Duration
	errs        int
	// Matching only (match != nil): calls where a component had two or
	// more candidates, and per component the calls where it matched or
	// had only unusable documents.
	match    *motcua.Procedure
	multi    int
	compHits []int
	compUnus []int
}

func run(ctx context.Context, c config) error {
	var s *sqldb.Store
	var err error
	backend := "sqlite"
	if c.sqlitePath != "" {
		if _, err := os.Stat(c.sqlitePath); err != nil {
			return err
		}
		s, err = sqlite.Open(ctx, c.sqlitePath)
	} else {
		backend = "postgres"
		s, err = postgres.Open(ctx, c.pgURL)
	}
	if err != nil {
		return err
	}
	defer s.Close()
	// The schema moves on while a benchmark database lives; bring it up to
	// date (an index migration is exactly what a re-run is for).
	start := time.Now()
	if n, err := s.Migrate(ctx); err != nil {
		return err
	} else if n > 0 {
		fmt.Fprintf(os.Stderr, "applied %d migrations in %s\n", n, time.Since(start).Round(time.Millisecond))
	}
	var docs, subjects int
	if err := s.DB().QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM subjects)").Scan(&docs, &subjects); err != nil {
		return fmt.Errorf("count rows: %w", err)
	}
	fmt.Printf("%s: %d documents, %d subjects\n", backend, docs, subjects)

	qs := queries()
	if c.only != "" {
		qs = slices.DeleteFunc(qs, func(q query) bool { return !strings.Contains(q.name, c.only) })
	}
	need := 0
	for _, q := range qs {
		n := c.perOwnerN
		if q.global {
			n = c.globalN
		}
		need += n * len(c.concurrency)
	}
	const warmup = 50
	need += warmup
	owners, err := sampleOwners(ctx, s, need, c.seed)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(c.seed, 2))
	// Warm up the pools and the statement caches on owners of their own.
	for _, o := range owners[:warmup] {
		if _, _, err := s.ListDocuments(ctx, ownerView(o)); err != nil {
			return err
		}
	}
	owners = owners[warmup:]

	var results []result
	for _, q := range qs {
		for _, conc := range c.concurrency {
			n := c.perOwnerN
			if q.global {
				n = c.globalN
			}
			if n == 0 {
				continue
			}
			batch := owners[:n]
			owners = owners[n:]
			filters := make([]motcua.DocumentFilter, n)
			for i, o := range batch {
				filters[i] = q.filter(r, o)
			}
			res := measure(ctx, s, filters, q.match, conc, c.timeout)
			res.query = q.name
			results = append(results, res)
			fmt.Fprintf(os.Stderr, "  %-30s c=%d  p99 %s\n", q.name, conc, fmtDur(percentile(res.latencies, 99)))
			if q.match != nil {
				printComponents(os.Stderr, res)
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
	}
	printTable(os.Stdout, backend, docs, subjects, results)
	return nil
}

// sampleOwners returns n distinct random owners with at least one
// document (subjects without any, such as the demo organisations, are
// skipped).
func sampleOwners(ctx context.Context, s *sqldb.Store, n int, seed uint64) ([]owner, error) {
	start := time.Now()
	// ORDER BY random() is the portable way; seed the order ourselves so
	// that a run is repeatable: take a larger random set, then shuffle.
	rows, err := s.DB().QueryContext(ctx, s.Dialect().Rebind(
		"SELECT code, name FROM subjects WHERE kind = 'person' ORDER BY random() LIMIT ?"), n+n/10+100)
	if err != nil {
		return nil, fmt.Errorf("sample owners: %w", err)
	}
	defer rows.Close()
	var out []owner
	for rows.Next() {
		var o owner
		if err := rows.Scan(&o.code, &o.name); err != nil {
			return nil, err
		}
		if len(o.code) == 12 {
			out = append(out, o)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(seed, 1))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	if len(out) < n {
		return nil, fmt.Errorf("need %d owners, the database has %d", n, len(out))
	}
	fmt.Fprintf(os.Stderr, "sampled %d owners in %s\n", n, time.Since(start).Round(time.Millisecond))
	return out[:n], nil
}

// outcome is what one call found.
type outcome struct {
	hit, multi bool
	matches    []motcua.ComponentMatch
}

// call runs one measured operation: ListDocuments, and MatchProcedure on
// its documents when proc is set (as Submissions.match does, "today"
// included).
func call(ctx context.Context, s motcua.Store, f motcua.DocumentFilter, proc *motcua.Procedure) (outcome, error) {
	docs, total, err := s.ListDocuments(ctx, f)
	if err != nil {
		return outcome{}, err
	}
	if proc == nil {
		return outcome{hit: total > 0 && len(docs) > 0}, nil
	}
	ms := motcua.MatchProcedure(proc, "", f.OwnerCode, docs, motcua.DateOf(time.Now()))
	o := outcome{matches: ms}
	for _, m := range ms {
		o.hit = o.hit || m.Matches()
		o.multi = o.multi || len(m.Candidates()) >= 2
	}
	return o, nil
}

func measure(ctx context.Context, s motcua.Store, filters []motcua.DocumentFilter, proc *motcua.Procedure, conc int, timeout time.Duration) result {
	res := result{concurrency: conc, latencies: make([]time.Duration, len(filters)), match: proc}
	if proc != nil {
		res.compHits = make([]int, len(proc.Components))
		res.compUnus = make([]int, len(proc.Components))
	}
	var mu sync.Mutex
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				cctx, cancel := context.WithTimeout(ctx, timeout)
				t := time.Now()
				o, err := call(cctx, s, filters[i], proc)
				d := time.Since(t)
				cancel()
				mu.Lock()
				res.latencies[i] = d
				if err != nil {
					res.errs++
					if res.errs == 1 && !errors.Is(err, context.Canceled) {
						fmt.Fprintln(os.Stderr, "  error:", err)
					}
				}
				if o.hit {
					res.hits++
				}
				if o.multi {
					res.multi++
				}
				for k, m := range o.matches {
					switch {
					case m.Matches():
						res.compHits[k]++
					case len(m.Unusable) > 0:
						res.compUnus[k]++
					}
				}
				mu.Unlock()
			}
		}()
	}
	for i := range filters {
		select {
		case next <- i:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	res.wall = time.Since(start)
	return res
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	// Nearest rank: the smallest value with at least p% of the calls at or
	// below it.
	k := int(float64(len(s))*p/100+0.999999) - 1
	return s[min(max(k, 0), len(s)-1)]
}

func fmtDur(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return fmt.Sprintf("%.0f s", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	default:
		return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000)
	}
}

func printTable(w *os.File, backend string, docs, subjects int, results []result) {
	fmt.Fprintf(w, "\n%s, %d documents, %d subjects, %s\n\n", backend, docs, subjects, time.Now().UTC().Format(time.RFC3339))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "query\tconc\tcalls\thits\t≥2 cand.\tp50\tp90\tp99\tmax\tcalls/s\t")
	for _, r := range results {
		errs := ""
		if r.errs > 0 {
			errs = fmt.Sprintf(" (%d errors)", r.errs)
		}
		multi := "–"
		if r.match != nil {
			multi = fmt.Sprintf("%d%%", 100*r.multi/max(len(r.latencies), 1))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d%s\t%d%%\t%s\t%s\t%s\t%s\t%s\t%.0f\t\n", r.query, r.concurrency, len(r.latencies), errs,
			100*r.hits/max(len(r.latencies), 1), multi,
			fmtDur(percentile(r.latencies, 50)), fmtDur(percentile(r.latencies, 90)),
			fmtDur(percentile(r.latencies, 99)), fmtDur(slices.Max(r.latencies)),
			float64(len(r.latencies))/r.wall.Seconds())
	}
	tw.Flush()
	for _, r := range results {
		if r.match != nil {
			printComponents(w, r)
		}
	}
}

// printComponents prints, for a matching query, the share of calls in
// which each component matched, or found only unusable documents
// (expired, hidden, revoked …).
func printComponents(w *os.File, r result) {
	n := max(len(r.latencies), 1)
	var parts []string
	for k, c := range r.match.Components {
		parts = append(parts, fmt.Sprintf("%s %d%% (unusable only %d%%)", c.Code, 100*r.compHits[k]/n, 100*r.compUnus[k]/n))
	}
	fmt.Fprintf(w, "  %s c=%d: matched %s; ≥2 candidates %d%%\n", r.query, r.concurrency, strings.Join(parts, ", "), 100*r.multi/n)
}
