package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/motcua/motcua"
)

// checkProcedureRefs verifies that every agency and category p names exists.
func (s *Store) checkProcedureRefs(ctx context.Context, p *motcua.Procedure) error {
	for _, code := range p.AgencyCodes {
		if err := s.requireRef(ctx, "agencies", "code", code, "agency_codes", "unknown_agency",
			fmt.Sprintf("Không tìm thấy cơ quan %q.", code)); err != nil {
			return err
		}
	}
	for _, code := range procedureCategories(p) {
		if err := s.requireRef(ctx, "categories", "code", code, "categories", "unknown_category",
			fmt.Sprintf("Không tìm thấy danh mục giấy tờ %q.", code)); err != nil {
			return err
		}
	}
	return nil
}

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
	for _, comp := range p.Components {
		for _, c := range comp.Categories {
			add(c)
		}
	}
	add(p.ResultCategory)
	return out
}

// writeProcedureLinks replaces the agency and category link rows of p.
func (s *Store) writeProcedureLinks(ctx context.Context, p *motcua.Procedure) error {
	if _, err := s.exec(ctx, "DELETE FROM procedure_agencies WHERE procedure_code = ?", p.Code); err != nil {
		return motcua.Internal(fmt.Errorf("procedure %s agencies: %w", p.Code, err))
	}
	if _, err := s.exec(ctx, "DELETE FROM procedure_categories WHERE procedure_code = ?", p.Code); err != nil {
		return motcua.Internal(fmt.Errorf("procedure %s categories: %w", p.Code, err))
	}
	seen := map[string]bool{}
	for _, a := range p.AgencyCodes {
		if seen[a] {
			continue
		}
		seen[a] = true
		if _, err := s.exec(ctx, "INSERT INTO procedure_agencies (procedure_code, agency_code) VALUES (?, ?)", p.Code, a); err != nil {
			return motcua.Internal(fmt.Errorf("procedure %s agency %s: %w", p.Code, a, err))
		}
	}
	for _, c := range procedureCategories(p) {
		if _, err := s.exec(ctx, "INSERT INTO procedure_categories (procedure_code, category_code) VALUES (?, ?)", p.Code, c); err != nil {
			return motcua.Internal(fmt.Errorf("procedure %s category %s: %w", p.Code, c, err))
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

// CreateProcedure implements motcua.ProcedureStore.
func (s *Store) CreateProcedure(ctx context.Context, p *motcua.Procedure) error {
	cases, err := marshalJSON(p.Cases)
	if err != nil {
		return err
	}
	comps, err := marshalJSON(p.Components)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Store) error {
		tx.refsChanged()
		if err := tx.checkProcedureRefs(ctx, p); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO procedures (code, name, field, cases, components, result_category, fee_vnd)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			p.Code, p.Name, p.Field, cases, comps, nullString(p.ResultCategory), p.FeeVND)
		if err != nil {
			return tx.insertErr(err, "procedure", p.Code)
		}
		return tx.writeProcedureLinks(ctx, p)
	})
}

// UpdateProcedure implements motcua.ProcedureStore.
func (s *Store) UpdateProcedure(ctx context.Context, p *motcua.Procedure) error {
	cases, err := marshalJSON(p.Cases)
	if err != nil {
		return err
	}
	comps, err := marshalJSON(p.Components)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Store) error {
		tx.refsChanged()
		if err := tx.checkProcedureRefs(ctx, p); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE procedures SET name = ?, field = ?, cases = ?, components = ?, result_category = ?, fee_vnd = ?
			WHERE code = ?`, p.Name, p.Field, cases, comps, nullString(p.ResultCategory), p.FeeVND, p.Code)
		if err != nil {
			return motcua.Internal(fmt.Errorf("update procedure %s: %w", p.Code, err))
		}
		if err := affectedOne(res, "procedure", p.Code); err != nil {
			return err
		}
		return tx.writeProcedureLinks(ctx, p)
	})
}

const procedureColumns = "p.code, p.name, p.field, p.cases, p.components, p.result_category, p.fee_vnd"

func scanProcedure(sc interface{ Scan(...any) error }) (*motcua.Procedure, error) {
	var p motcua.Procedure
	var cases, comps []byte
	var result sql.NullString
	if err := sc.Scan(&p.Code, &p.Name, &p.Field, &cases, &comps, &result, &p.FeeVND); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(cases, &p.Cases); err != nil {
		return nil, fmt.Errorf("procedure %s cases: %w", p.Code, err)
	}
	if err := json.Unmarshal(comps, &p.Components); err != nil {
		return nil, fmt.Errorf("procedure %s components: %w", p.Code, err)
	}
	p.ResultCategory = result.String
	return &p, nil
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
	return cached(s, "procedure:"+code, cloneProcedure, func() (*motcua.Procedure, error) { return s.getProcedure(ctx, code) })
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

// ListProcedures implements motcua.ProcedureStore.
func (s *Store) ListProcedures(ctx context.Context, agencyCode string) ([]*motcua.Procedure, error) {
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
	for _, p := range ps {
		if p.AgencyCodes, err = s.procedureAgencies(ctx, p.Code); err != nil {
			return nil, err
		}
	}
	return ps, nil
}
