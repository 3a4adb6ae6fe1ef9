// Command cataloguegen generates a province-sized catalogue (issue 15's
// scale: 2,000 procedures in 30 fields, 500 agencies, 300 categories) and
// times `catalogue import` of it on SQLite and PostgreSQL: the first
// import into an empty database, an import that changes a tenth of the
// procedures (new versions), an import that changes nothing, and an
// export.
//
//	go run ./bench/cataloguegen                               # SQLite in a temp folder
//	go run ./bench/cataloguegen --postgres postgres://postgres@127.0.0.1:5432/motcua_catbench
//	go run ./bench/cataloguegen --output /tmp/province.json --sqlite=false
//
// The PostgreSQL database must be empty (the tool migrates it). The
// catalogue is the same for a given --seed.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/catalogue"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/postgres"
	"github.com/motcua/motcua/internal/sqldb"
	"github.com/motcua/motcua/internal/sqlite"
)

// Size is the catalogue to generate.
type Size struct {
	Procedures, Fields, Agencies, Categories int
}

func main() {
	var size Size
	flag.IntVar(&size.Procedures, "procedures", 2000, "procedures")
	flag.IntVar(&size.Fields, "fields", 30, "fields (lĩnh vực)")
	flag.IntVar(&size.Agencies, "agencies", 500, "agencies (province, departments, districts, district units, communes)")
	flag.IntVar(&size.Categories, "categories", 300, "document categories")
	seed := flag.Uint64("seed", 1, "random seed")
	output := flag.String("output", "", "also write the catalogue document to `FILE`")
	useSQLite := flag.Bool("sqlite", true, "time the import on SQLite in a temp folder")
	pgURL := flag.String("postgres", "", "time the import on this empty PostgreSQL database `url`")
	alongside := flag.Bool("alongside-demo", false, "make a catalogue to import into a demo database: under the demo province,\n"+
		"no agency code of the demo's, and the demo's town and justice office handling every commune and district procedure")
	flag.Parse()

	doc := Generate(size, *seed)
	if *alongside {
		AlongsideDemo(doc)
	}
	var buf bytes.Buffer
	if err := doc.Encode(&buf); err != nil {
		fail(err)
	}
	fmt.Printf("catalogue: %d agencies, %d categories, %d procedures (%d cases, %d components, %d agency links), %.1f MB\n",
		len(doc.Agencies), len(doc.Categories), len(doc.Procedures), count(doc, "cases"), count(doc, "components"),
		count(doc, "links"), float64(buf.Len())/1e6)
	if *output != "" {
		if err := os.WriteFile(*output, buf.Bytes(), 0o644); err != nil {
			fail(err)
		}
	}
	ctx := context.Background()
	if *useSQLite {
		dir, err := os.MkdirTemp("", "cataloguegen")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
		s, err := sqlite.Open(ctx, filepath.Join(dir, "motcua.db"))
		if err != nil {
			fail(err)
		}
		bench(ctx, "sqlite", s, buf.Bytes())
		s.Close()
	}
	if *pgURL != "" {
		s, err := postgres.Open(ctx, *pgURL)
		if err != nil {
			fail(err)
		}
		bench(ctx, "postgres", s, buf.Bytes())
		s.Close()
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "cataloguegen:", err)
	os.Exit(1)
}

func count(d *catalogue.Document, what string) int {
	n := 0
	for _, p := range d.Procedures {
		switch what {
		case "cases":
			n += len(p.Cases)
		case "components":
			n += len(p.Components)
			for _, c := range p.Cases {
				n += len(c.Components)
			}
		case "links":
			n += len(p.Agencies)
		}
	}
	return n
}

// bench times the imports and the export on s, starting from raw, the
// encoded document (decoding is part of what `catalogue import` does).
func bench(ctx context.Context, name string, s *sqldb.Store, raw []byte) {
	if _, err := s.Migrate(ctx); err != nil {
		fail(err)
	}
	step := func(what string, fn func() (*catalogue.Result, error)) {
		start := time.Now()
		res, err := fn()
		if err != nil {
			fail(fmt.Errorf("%s %s: %w", name, what, err))
		}
		el := time.Since(start)
		if res == nil {
			fmt.Printf("%-9s %-28s %8.2f s\n", name, what, el.Seconds())
			return
		}
		fmt.Printf("%-9s %-28s %8.2f s   procedures %+v\n", name, what, el.Seconds(), res.Procedures)
	}
	imp := func(mutate func(*catalogue.Document)) func() (*catalogue.Result, error) {
		return func() (*catalogue.Result, error) {
			d, err := catalogue.Decode(bytes.NewReader(raw))
			if err != nil {
				return nil, err
			}
			if mutate != nil {
				mutate(d)
			}
			return catalogue.Import(ctx, s, d, catalogue.Options{})
		}
	}
	step("import into empty database", imp(nil))
	step("import again (no change)", imp(nil))
	step("import, 10% changed", imp(func(d *catalogue.Document) {
		for i := 0; i < len(d.Procedures); i += 10 {
			d.Procedures[i].Fees = append(d.Procedures[i].Fees, catalogue.Fee{Name: "Phí bổ sung", AmountVND: 10000})
		}
	}))
	// What GET /api/v1/procedures reads today: every current procedure
	// with its handling agencies.
	var lists []time.Duration
	var first time.Duration
	for i := range 21 {
		start := time.Now()
		if _, err := s.ListProcedures(ctx, ""); err != nil {
			fail(err)
		}
		if i == 0 {
			first = time.Since(start)
			continue
		}
		lists = append(lists, time.Since(start))
	}
	slices.Sort(lists)
	// The first call reads the database, the others the store's cache.
	fmt.Printf("%-9s %-28s %8.1f ms first, %.1f ms p50, %.1f ms max of %d\n", name, "ListProcedures (all)", ms(first),
		ms(lists[len(lists)/2]), ms(lists[len(lists)-1]), len(lists))
	step("export", func() (*catalogue.Result, error) {
		var out bytes.Buffer
		err := s.InTx(ctx, func(tx motcua.Store) error {
			d, err := catalogue.Export(ctx, tx)
			if err != nil {
				return err
			}
			return d.Encode(&out)
		})
		return nil, err
	})
}

var fieldNames = []string{"Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Lưu thông hàng hóa trong nước", "Lý lịch tư pháp",
	"Giáo dục và Đào tạo", "Y tế", "Lao động", "Người có công", "Bảo trợ xã hội", "Đăng ký kinh doanh", "Thành lập và hoạt động doanh nghiệp",
	"Môi trường", "Tài nguyên nước", "Giao thông đường bộ", "Văn hóa", "Thể thao", "Du lịch", "Nông nghiệp", "Thủy lợi",
	"Lâm nghiệp", "Nội vụ", "Tôn giáo", "Thi đua khen thưởng", "Tư pháp", "Nuôi con nuôi", "Hòa giải ở cơ sở", "Phổ biến giáo dục pháp luật", "Quốc tịch"}

// AlongsideDemo adapts a generated catalogue to be imported into a demo
// database (motcua serve --demo), for timing the demo's pages with a
// province-sized catalogue: the generated province (the demo's code)
// is left out so the demo's stays, the generated districts are
// renumbered away from the demo's (000.00.23.H08), and the demo's town
// and justice office handle every commune and district procedure, so
// that their officers' desks list a province's share.
func AlongsideDemo(d *catalogue.Document) {
	const province = "000.00.00.H08"
	rename := map[string]string{}
	var agencies []catalogue.Agency
	for _, a := range d.Agencies {
		if a.Code == province {
			continue
		}
		parts := strings.Split(a.Code, ".")
		if parts[2] != "00" {
			var n int
			fmt.Sscan(parts[2], &n)
			parts[2] = fmt.Sprintf("%02d", n+50)
			rename[a.Code] = strings.Join(parts, ".")
			a.Code = rename[a.Code]
		}
		if r, ok := rename[a.Parent]; ok {
			a.Parent = r
		}
		agencies = append(agencies, a)
	}
	d.Agencies = agencies
	for i := range d.Procedures {
		p := &d.Procedures[i]
		for j, code := range p.Agencies {
			if r, ok := rename[code]; ok {
				p.Agencies[j] = r
			}
		}
		switch {
		case slices.Contains(p.Levels, "commune"):
			p.Agencies = append(p.Agencies, demo.TownCode)
		case slices.Contains(p.Levels, "district"):
			p.Agencies = append(p.Agencies, demo.JusticeOfficeCode)
		}
		slices.Sort(p.Agencies)
	}
}

// Generate builds a catalogue of the given size, the same for a seed:
// one province, its departments, districts with their units and communes;
// categories of 30 ministries; procedures at each level, a commune
// procedure handled by every commune as in a real province.
func Generate(size Size, seed uint64) *catalogue.Document {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	d := &catalogue.Document{Format: catalogue.Format}
	province := "000.00.00.H08"
	d.Agencies = append(d.Agencies, catalogue.Agency{Code: province, Name: "UBND tỉnh (sinh tự động)", Level: "province"})
	const units = 8
	districts := max(1, size.Agencies/33)
	departments := max(1, size.Agencies/12)
	communes := max(0, size.Agencies-1-departments-districts*(1+units))
	var deptCodes, unitCodes, communeCodes []string
	for i := range departments {
		code := fmt.Sprintf("%03d.00.00.H08", i+1)
		deptCodes = append(deptCodes, code)
		d.Agencies = append(d.Agencies, catalogue.Agency{Code: code, Name: fmt.Sprintf("Sở %d", i+1), Level: "province", Parent: province})
	}
	for i := range districts {
		dc := fmt.Sprintf("000.00.%02d.H08", i+10)
		d.Agencies = append(d.Agencies, catalogue.Agency{Code: dc, Name: fmt.Sprintf("UBND huyện %d", i+1), Level: "district", Parent: province})
		for u := range units {
			code := fmt.Sprintf("000.%02d.%02d.H08", u+1, i+10)
			unitCodes = append(unitCodes, code)
			d.Agencies = append(d.Agencies, catalogue.Agency{Code: code, Name: fmt.Sprintf("Phòng %d huyện %d", u+1, i+1), Level: "district", Parent: dc})
		}
		for c := i; c < communes; c += districts {
			code := fmt.Sprintf("%03d.%02d.%02d.H08", c/districts+1, i+10, 99)
			communeCodes = append(communeCodes, code)
			d.Agencies = append(d.Agencies, catalogue.Agency{Code: code, Name: fmt.Sprintf("UBND xã %d huyện %d", c/districts+1, i+1), Level: "commune", Parent: dc})
		}
	}
	var cats []string
	for i := range size.Categories {
		code := fmt.Sprintf("KQ.G%02d.%06d", i%30+1, i/30+1)
		cats = append(cats, code)
		c := catalogue.Category{Code: code, Name: fmt.Sprintf("Giấy tờ %d", i+1), PaperType: []string{"result", "component", "other"}[i%3]}
		if i%7 == 0 {
			c.ValidityMonths = 6
		}
		d.Categories = append(d.Categories, c)
	}
	fields := fieldNames
	for len(fields) < size.Fields {
		fields = append(fields, fmt.Sprintf("Lĩnh vực %d", len(fields)+1))
	}
	fields = fields[:max(1, size.Fields)]
	pick := func(n int) []string {
		var out []string
		for range n {
			out = append(out, cats[rng.IntN(len(cats))])
		}
		return out
	}
	components := func(n int) []catalogue.Component {
		out := []catalogue.Component{}
		for j := range n {
			c := catalogue.Component{Code: fmt.Sprintf("TP%02d", j+1), Name: fmt.Sprintf("Thành phần hồ sơ số %d của thủ tục", j+1),
				Required: rng.IntN(3) > 0, Form: []string{"original", "copy"}[rng.IntN(2)], Originals: rng.IntN(2), Copies: rng.IntN(3)}
			if j == 0 {
				c.Name, c.AllowScan, c.FormTemplate = "Tờ khai theo mẫu", true, "to-khai.docx"
			} else if len(cats) > 0 {
				c.AcceptedCategories = slices.Compact(slices.Sorted(slices.Values(pick(rng.IntN(3)))))
			}
			out = append(out, c)
		}
		return out
	}
	for i := range size.Procedures {
		p := catalogue.Procedure{Code: fmt.Sprintf("%d.%06d.000.00.00.H08", 1+i%2, 100000+i), Name: fmt.Sprintf("Thủ tục hành chính số %d", i+1),
			Field: fields[i%len(fields)], OnlineLevel: []string{"full", "partial", "none"}[i%3], Fees: []catalogue.Fee{},
			LegalBasis: fmt.Sprintf("Nghị định số %d/2024/NĐ-CP", i%200+1)}
		switch level := i % 3; {
		case level == 0 || len(communeCodes) == 0 && len(unitCodes) == 0:
			p.Levels, p.Agencies = []string{"province"}, []string{deptCodes[i%len(deptCodes)]}
		case level == 1 && len(unitCodes) > 0:
			p.Levels = []string{"district"}
			for j := i % units; j < len(unitCodes); j += units {
				p.Agencies = append(p.Agencies, unitCodes[j])
			}
		default:
			p.Levels, p.Agencies = []string{"commune"}, append([]string(nil), communeCodes...)
		}
		slices.Sort(p.Agencies)
		p.Components = components(3 + rng.IntN(6))
		for c := range 1 + rng.IntN(3) {
			cs := catalogue.Case{Code: fmt.Sprintf("TH%02d", c+1), Name: fmt.Sprintf("Trường hợp %d", c+1), ProcessingDays: 1 + rng.IntN(20)}
			if c == 2 {
				cs.Components = components(2)
			}
			p.Cases = append(p.Cases, cs)
		}
		if len(cats) > 0 && i%4 != 3 {
			p.ResultCategory = cats[rng.IntN(len(cats))]
		}
		for f := range rng.IntN(3) {
			p.Fees = append(p.Fees, catalogue.Fee{Name: []string{"Lệ phí", "Phí thẩm định"}[f], AmountVND: int64(rng.IntN(100)) * 10000})
		}
		d.Procedures = append(d.Procedures, p)
	}
	return d
}
