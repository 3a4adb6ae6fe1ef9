package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/motcua/motcua"
)

// checkProcedureRefs verifies that every agency and category p names
// exists: one counting query per table, and a look-up per code only to
// name a missing one (a province's commune procedures name hundreds of
// agencies).
func (s *Store) checkProcedureRefs(ctx context.Context, p *motcua.Procedure) error {
	agencies := slices.Compact(slices.Sorted(slices.Values(p.AgencyCodes)))
	if ok, err := s.allExist(ctx, "agencies", agencies); err != nil || !ok {
		if err != nil {
			return err
		}
		for _, code := range agencies {
			if err := s.requireRef(ctx, "agencies", "code", code, "agency_codes", "unknown_agency",
				fmt.Sprintf("Không tìm thấy cơ quan %q.", code)); err != nil {
				return err
			}
		}
	}
	cats := procedureCategories(p)
	if ok, err := s.allExist(ctx, "categories", cats); err != nil || !ok {
		if err != nil {
			return err
		}
		for _, code := range cats {
			if err := s.requireRef(ctx, "categories", "code", code, "categories", "unknown_category",
				fmt.Sprintf("Không tìm thấy danh mục giấy tờ %q.", code)); err != nil {
				return err
			}
		}
	}
	return nil
}

// allExist reports whether table has a row for each of the distinct codes.
func (s *Store) allExist(ctx context.Context, table string, codes []string) (bool, error) {
	if s.txRefs != nil {
		codes = slices.DeleteFunc(slices.Clone(codes), func(c string) bool { return s.txRefs[table+":"+c] })
	}
	for chunk := range slices.Chunk(codes, linkChunk) {
		args := make([]any, len(chunk))
		for i, c := range chunk {
			args[i] = c
		}
		var n int
		if err := s.queryRowWrite(ctx, "SELECT COUNT(*) FROM "+table+" WHERE code IN ("+placeholders(len(chunk))+")", args...).Scan(&n); err != nil {
			return false, motcua.Internal(fmt.Errorf("check %s: %w", table, err))
		}
		if n != len(chunk) {
			return false, nil
		}
	}
	if s.txRefs != nil {
		for _, c := range codes {
			s.txRefs[table+":"+c] = true
		}
	}
	return true, nil
}

// linkChunk bounds the rows (and so the parameters) of one statement.
const linkChunk = 500

// procedureCategories lists, once each, the categories p accepts or issues.
func procedureCategories(p *motcua.Procedure) []string {
	seen := map[string]bool{}
	var out []string
	add := func(c string) {
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, comp := range p.AllComponents() {
		for _, c := range comp.Categories {
			add(c)
		}
	}
	add(p.ResultCategory)
	return out
}

// writeProcedureLinks replaces the agency and category link rows of p,
// with multi-row inserts; a new procedure (fresh) has none to delete.
func (s *Store) writeProcedureLinks(ctx context.Context, p *motcua.Procedure, fresh bool) error {
	if !fresh {
		if _, err := s.exec(ctx, "DELETE FROM procedure_agencies WHERE procedure_code = ?", p.Code); err != nil {
			return motcua.Internal(fmt.Errorf("procedure %s agencies: %w", p.Code, err))
		}
		if _, err := s.exec(ctx, "DELETE FROM procedure_categories WHERE procedure_code = ?", p.Code); err != nil {
			return motcua.Internal(fmt.Errorf("procedure %s categories: %w", p.Code, err))
		}
	}
	for _, link := range []struct {
		table, column string
		codes         []string
	}{
		{"procedure_agencies", "agency_code", slices.Compact(slices.Sorted(slices.Values(p.AgencyCodes)))},
		{"procedure_categories", "category_code", procedureCategories(p)},
	} {
		for chunk := range slices.Chunk(link.codes, linkChunk) {
			args := make([]any, 0, 2*len(chunk))
			for _, c := range chunk {
				args = append(args, p.Code, c)
			}
			if _, err := s.exec(ctx, "INSERT INTO "+link.table+" (procedure_code, "+link.column+") VALUES "+
				valueRows("(?, ?)", len(chunk)), args...); err != nil {
				return motcua.Internal(fmt.Errorf("procedure %s %s: %w", p.Code, link.table, err))
			}
		}
	}
	return nil
}

func marshalJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", motcua.Internal(err)
	}
	return string(b), nil
}

// procedureRecord is a procedure version as the store writes it to
// procedure_versions: everything but the code and the version number.
type procedureRecord struct {
	Name           string                      `json:"name"`
	Field          string                      `json:"field"`
	Levels         []motcua.AgencyLevel        `json:"levels"`
	OnlineLevel    motcua.OnlineLevel          `json:"online_level"`
	AgencyCodes    []string                    `json:"agency_codes"`
	Cases          []motcua.ProcedureCase      `json:"cases"`
	Components     []motcua.ProcedureComponent `json:"components"`
	ResultCategory string                      `json:"result_category"`
	Fees           []motcua.Fee                `json:"fees"`
	LegalBasis     string                      `json:"legal_basis"`
	Parties        int                         `json:"parties,omitempty"` // only when more than one
}

func recordOf(p *motcua.Procedure) procedureRecord {
	agencies := slices.Clone(p.AgencyCodes)
	slices.Sort(agencies)
	agencies = slices.Compact(agencies)
	return procedureRecord{Name: p.Name, Field: p.Field, Levels: nonNil(p.Levels), OnlineLevel: p.OnlineLevel,
		AgencyCodes: nonNil(agencies), Cases: nonNil(p.Cases), Components: nonNil(p.Components),
		ResultCategory: p.ResultCategory, Fees: nonNil(p.Fees), LegalBasis: p.LegalBasis, Parties: partiesOf(p)}
}

// partiesOf is what the store keeps of Procedure.Parties: 0 for one
// party, so that a one-party procedure's record is as before.
func partiesOf(p *motcua.Procedure) int {
	if p.PartyCount() > 1 {
		return p.PartyCount()
	}
	return 0
}

func (r procedureRecord) procedure(code string, version int) *motcua.Procedure {
	return normalizeProcedure(&motcua.Procedure{Code: code, Version: version, Name: r.Name, Field: r.Field, Levels: r.Levels,
		OnlineLevel: r.OnlineLevel, AgencyCodes: r.AgencyCodes, Cases: r.Cases, Components: r.Components,
		ResultCategory: r.ResultCategory, Fees: r.Fees, LegalBasis: r.LegalBasis, Parties: r.Parties})
}

// normalizeProcedure reads every empty list as nil, so that a procedure
// reads back as it was written whatever the JSON said.
func normalizeProcedure(p *motcua.Procedure) *motcua.Procedure {
	p.Levels = nilIfEmpty(p.Levels)
	p.Fees = nilIfEmpty(p.Fees)
	p.AgencyCodes = nilIfEmpty(p.AgencyCodes)
	p.Cases = nilIfEmpty(p.Cases)
	p.Components = normalizeComponents(p.Components)
	for i := range p.Cases {
		p.Cases[i].Components = normalizeComponents(p.Cases[i].Components)
	}
	return p
}

func normalizeComponents(cs []motcua.ProcedureComponent) []motcua.ProcedureComponent {
	for i := range cs {
		cs[i].Categories = nilIfEmpty(cs[i].Categories)
	}
	return nilIfEmpty(cs)
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// procedureArgs returns the values of the columns procedureWriteColumns
// names, in that order.
func procedureArgs(p *motcua.Procedure) ([]any, error) {
	r := recordOf(p)
	var out []any
	for _, v := range []any{r.Cases, r.Components, r.Levels, r.Fees} {
		j, err := marshalJSON(v)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return append([]any{p.Name, p.Field}, append(out, nullString(p.ResultCategory), p.TotalFeeVND(),
		string(p.OnlineLevel), p.LegalBasis, max(1, partiesOf(p)))...), nil
}

const procedureWriteColumns = "name, field, cases, components, levels, fees, result_category, fee_vnd, online_level, legal_basis, parties"

// CreateProcedure implements motcua.ProcedureStore.
func (s *Store) CreateProcedure(ctx context.Context, p *motcua.Procedure) error {
	args, err := procedureArgs(p)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *Store) error {
		if err := tx.refsChanged(ctx); err != nil {
			return err
		}
		if err := tx.checkProcedureRefs(ctx, p); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "INSERT INTO procedures (code, version, "+procedureWriteColumns+") VALUES (?, 1, "+
			placeholders(len(args))+")", append([]any{p.Code}, args...)...)
		if err != nil {
			return tx.insertErr(err, "procedure", p.Code)
		}
		return tx.writeProcedureLinks(ctx, p, true)
	})
	if err == nil {
		p.Version = 1
	}
	return err
}

// UpdateProcedure implements motcua.ProcedureStore.
func (s *Store) UpdateProcedure(ctx context.Context, p *motcua.Procedure) error {
	args, err := procedureArgs(p)
	if err != nil {
		return err
	}
	version := 0
	err = s.inTx(ctx, func(tx *Store) error {
		cur, err := tx.getProcedure(ctx, p.Code)
		if err != nil {
			return err
		}
		oldJSON, err := marshalJSON(recordOf(cur))
		if err != nil {
			return err
		}
		newJSON, err := marshalJSON(recordOf(p))
		if err != nil {
			return err
		}
		if oldJSON == newJSON {
			version = cur.Version
			return nil
		}
		if err := tx.refsChanged(ctx); err != nil {
			return err
		}
		if err := tx.checkProcedureRefs(ctx, p); err != nil {
			return err
		}
		// The superseded version moves to the archive; the row keeps the current one.
		if _, err := tx.exec(ctx, "INSERT INTO procedure_versions (procedure_code, version, data, replaced_at) VALUES (?, ?, ?, ?)",
			cur.Code, cur.Version, oldJSON, micros(tx.now())); err != nil {
			return motcua.Internal(fmt.Errorf("archive procedure %s version %d: %w", cur.Code, cur.Version, err))
		}
		version = cur.Version + 1
		res, err := tx.exec(ctx, "UPDATE procedures SET version = ?, "+strings.ReplaceAll(procedureWriteColumns, ",", " = ?,")+
			" = ? WHERE code = ?", append(append([]any{version}, args...), p.Code)...)
		if err != nil {
			return motcua.Internal(fmt.Errorf("update procedure %s: %w", p.Code, err))
		}
		if err := affectedOne(res, "procedure", p.Code); err != nil {
			return err
		}
		return tx.writeProcedureLinks(ctx, p, false)
	})
	if err == nil {
		p.Version = version
	}
	return err
}

const procedureColumns = "p.code, p.version, p.name, p.field, p.cases, p.components, p.levels, p.fees, p.result_category, p.online_level, p.legal_basis, p.parties"

func scanProcedure(sc interface{ Scan(...any) error }) (*motcua.Procedure, error) {
	var p motcua.Procedure
	var cases, comps, levels, fees []byte
	var result sql.NullString
	var online string
	if err := sc.Scan(&p.Code, &p.Version, &p.Name, &p.Field, &cases, &comps, &levels, &fees, &result, &online, &p.LegalBasis, &p.Parties); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		raw []byte
		dst any
	}{{cases, &p.Cases}, {comps, &p.Components}, {levels, &p.Levels}, {fees, &p.Fees}} {
		if err := json.Unmarshal(f.raw, f.dst); err != nil {
			return nil, fmt.Errorf("procedure %s: %w", p.Code, err)
		}
	}
	p.ResultCategory = result.String
	p.OnlineLevel = motcua.OnlineLevel(online)
	p.Parties = partiesOf(&p)
	return normalizeProcedure(&p), nil
}

func (s *Store) procedureAgencies(ctx context.Context, code string) ([]string, error) {
	rows, err := s.query(ctx, "SELECT agency_code FROM procedure_agencies WHERE procedure_code = ? ORDER BY agency_code", code)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("procedure %s agencies: %w", code, err))
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (string, error) {
		var a string
		err := sc.Scan(&a)
		return a, err
	}, "procedure agencies")
}

// GetProcedure implements motcua.ProcedureStore.
func (s *Store) GetProcedure(ctx context.Context, code string) (*motcua.Procedure, error) {
	return cached(ctx, s, "procedure:"+code, cloneProcedure, func() (*motcua.Procedure, error) { return s.getProcedure(ctx, code) })
}

// GetProcedureVersion implements motcua.ProcedureStore.
func (s *Store) GetProcedureVersion(ctx context.Context, code string, version int) (*motcua.Procedure, error) {
	if version == 0 {
		return s.GetProcedure(ctx, code)
	}
	p, err := s.GetProcedure(ctx, code)
	if err != nil || p.Version == version {
		return p, err
	}
	return cached(ctx, s, fmt.Sprintf("procedure:%s@%d", code, version), cloneProcedure, func() (*motcua.Procedure, error) {
		var data []byte
		err := s.queryRow(ctx, "SELECT data FROM procedure_versions WHERE procedure_code = ? AND version = ?", code, version).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			// Another node may have made the version current since this
			// one cached the procedure.
			if cur, err := s.getProcedure(ctx, code); err == nil && cur.Version == version {
				return cur, nil
			}
			return nil, motcua.NotFound("procedure", fmt.Sprintf("%s@%d", code, version))
		}
		if err != nil {
			return nil, motcua.Internal(fmt.Errorf("get procedure %s version %d: %w", code, version, err))
		}
		var r procedureRecord
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, motcua.Internal(fmt.Errorf("procedure %s version %d: %w", code, version, err))
		}
		return r.procedure(code, version), nil
	})
}

func (s *Store) getProcedure(ctx context.Context, code string) (*motcua.Procedure, error) {
	p, err := scanProcedure(s.queryRow(ctx, "SELECT "+procedureColumns+" FROM procedures p WHERE p.code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("procedure", code)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get procedure %s: %w", code, err))
	}
	if p.AgencyCodes, err = s.procedureAgencies(ctx, code); err != nil {
		return nil, err
	}
	return p, nil
}

// ListProcedures implements motcua.ProcedureStore. The list is cached
// like single procedures: a province's catalogue (2,000 procedures,
// ~200,000 agency links) takes hundreds of milliseconds to read, and the
// public search reads it on every request.
func (s *Store) ListProcedures(ctx context.Context, agencyCode string) ([]*motcua.Procedure, error) {
	return cached(ctx, s, "procedures:"+agencyCode, cloneProcedures, func() ([]*motcua.Procedure, error) {
		return s.listProcedures(ctx, agencyCode)
	})
}

// CatalogueStamp implements motcua.ProcedureStore: versions only grow and
// procedures are never deleted, so the count and the sum of versions
// change with every new procedure or version.
func (s *Store) CatalogueStamp(ctx context.Context) (string, error) {
	return cached(ctx, s, "catalogue-stamp", func(v string) string { return v }, func() (string, error) {
		var procs, versions, agencies, names int64
		err := s.queryRow(ctx, "SELECT (SELECT COUNT(*) FROM procedures), (SELECT COALESCE(SUM(version), 0) FROM procedures), "+
			"(SELECT COUNT(*) FROM agencies), (SELECT COALESCE(SUM(LENGTH(name)), 0) FROM agencies)").Scan(&procs, &versions, &agencies, &names)
		if err != nil {
			return "", motcua.Internal(fmt.Errorf("catalogue stamp: %w", err))
		}
		return fmt.Sprintf("%d.%d.%d.%d", procs, versions, agencies, names), nil
	})
}

func cloneProcedures(ps []*motcua.Procedure) []*motcua.Procedure {
	out := make([]*motcua.Procedure, len(ps))
	for i, p := range ps {
		out[i] = cloneProcedure(p)
	}
	return out
}

func (s *Store) listProcedures(ctx context.Context, agencyCode string) ([]*motcua.Procedure, error) {
	q := "SELECT " + procedureColumns + " FROM procedures p"
	var args []any
	if agencyCode != "" {
		q += " WHERE EXISTS (SELECT 1 FROM procedure_agencies pa WHERE pa.procedure_code = p.code AND pa.agency_code = ?)"
		args = append(args, agencyCode)
	}
	rows, err := s.query(ctx, q+" ORDER BY p.code", args...)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("list procedures: %w", err))
	}
	ps, err := collect(rows, scanProcedure, "list procedures")
	if err != nil {
		return nil, err
	}
	// One query for every procedure's agencies rather than one each: a
	// province lists a couple of thousand procedures.
	lq := "SELECT procedure_code, agency_code FROM procedure_agencies"
	if agencyCode != "" {
		lq += " WHERE procedure_code IN (SELECT procedure_code FROM procedure_agencies WHERE agency_code = ?)"
	}
	links, err := s.query(ctx, lq+" ORDER BY procedure_code, agency_code", args...)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("list procedure agencies: %w", err))
	}
	pairs, err := collect(links, func(sc interface{ Scan(...any) error }) ([2]string, error) {
		var pr [2]string
		err := sc.Scan(&pr[0], &pr[1])
		return pr, err
	}, "list procedure agencies")
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]*motcua.Procedure, len(ps))
	for _, p := range ps {
		byCode[p.Code] = p
	}
	for _, pr := range pairs {
		if p := byCode[pr[0]]; p != nil {
			p.AgencyCodes = append(p.AgencyCodes, pr[1])
		}
	}
	return ps, nil
}
