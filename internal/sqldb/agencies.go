package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/motcua/motcua"
)

func (s *Store) checkAgencyParent(ctx context.Context, a *motcua.Agency) error {
	if a.ReceptionDesk != "" && a.ReceptionDesk != a.Code {
		if err := s.requireRef(ctx, "agencies", "code", a.ReceptionDesk, "reception_desk", "unknown_reception_desk",
			fmt.Sprintf("Không tìm thấy cơ quan có bộ phận tiếp nhận %q.", a.ReceptionDesk)); err != nil {
			return err
		}
	}
	if a.ParentCode == "" {
		return nil
	}
	return s.requireRef(ctx, "agencies", "code", a.ParentCode, "parent_code", "unknown_parent",
		fmt.Sprintf("Không tìm thấy cơ quan cấp trên %q.", a.ParentCode))
}

// CreateAgency implements motcua.AgencyStore.
func (s *Store) CreateAgency(ctx context.Context, a *motcua.Agency) error {
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.refsChanged(ctx); err != nil {
			return err
		}
		if err := tx.checkAgencyParent(ctx, a); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "INSERT INTO agencies (code, name, level, parent_code, reception_desk) VALUES (?, ?, ?, ?, ?)",
			a.Code, a.Name, string(a.Level), nullString(a.ParentCode), nullString(a.ReceptionDesk))
		if err != nil {
			return tx.insertErr(err, "agency", a.Code)
		}
		return nil
	})
}

// UpdateAgency implements motcua.AgencyStore.
func (s *Store) UpdateAgency(ctx context.Context, a *motcua.Agency) error {
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.refsChanged(ctx); err != nil {
			return err
		}
		if err := tx.checkAgencyParent(ctx, a); err != nil {
			return err
		}
		res, err := tx.exec(ctx, "UPDATE agencies SET name = ?, level = ?, parent_code = ?, reception_desk = ? WHERE code = ?",
			a.Name, string(a.Level), nullString(a.ParentCode), nullString(a.ReceptionDesk), a.Code)
		if err != nil {
			return motcua.Internal(fmt.Errorf("update agency %s: %w", a.Code, err))
		}
		return affectedOne(res, "agency", a.Code)
	})
}

const agencyColumns = "code, name, level, parent_code, reception_desk"

func scanAgency(sc interface{ Scan(...any) error }) (*motcua.Agency, error) {
	var a motcua.Agency
	var level string
	var parent, desk sql.NullString
	if err := sc.Scan(&a.Code, &a.Name, &level, &parent, &desk); err != nil {
		return nil, err
	}
	a.Level = motcua.AgencyLevel(level)
	a.ParentCode, a.ReceptionDesk = parent.String, desk.String
	return &a, nil
}

// GetAgency implements motcua.AgencyStore.
func (s *Store) GetAgency(ctx context.Context, code string) (*motcua.Agency, error) {
	return cached(ctx, s, "agency:"+code, func(a *motcua.Agency) *motcua.Agency { c := *a; return &c },
		func() (*motcua.Agency, error) { return s.getAgency(ctx, code) })
}

func (s *Store) getAgency(ctx context.Context, code string) (*motcua.Agency, error) {
	a, err := scanAgency(s.queryRow(ctx, "SELECT "+agencyColumns+" FROM agencies WHERE code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("agency", code)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get agency %s: %w", code, err))
	}
	return a, nil
}

// ListAgencies implements motcua.AgencyStore.
func (s *Store) ListAgencies(ctx context.Context, f motcua.AgencyFilter) ([]*motcua.Agency, error) {
	var where []string
	var args []any
	if f.ParentCode != "" {
		where = append(where, "parent_code = ?")
		args = append(args, f.ParentCode)
	}
	if f.Level != "" {
		where = append(where, "level = ?")
		args = append(args, string(f.Level))
	}
	if f.ReceptionDesk != "" {
		where = append(where, "reception_desk = ?")
		args = append(args, f.ReceptionDesk)
	}
	q := "SELECT " + agencyColumns + " FROM agencies" + whereClause(where) + " ORDER BY code"
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("list agencies: %w", err))
	}
	return collect(rows, scanAgency, "list agencies")
}

func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error), what string) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, motcua.Internal(fmt.Errorf("%s: scan: %w", what, err))
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, motcua.Internal(fmt.Errorf("%s: %w", what, err))
	}
	return out, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
