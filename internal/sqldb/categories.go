package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/motcua/motcua"
)

// CreateCategory implements motcua.CategoryStore.
func (s *Store) CreateCategory(ctx context.Context, c *motcua.DocumentCategory) error {
	_, err := s.exec(ctx, "INSERT INTO categories (code, name, paper_type, validity_days, validity_months) VALUES (?, ?, ?, ?, ?)",
		c.Code, c.Name, string(c.PaperType), c.ValidityDays, c.ValidityMonths)
	if err != nil {
		return s.insertErr(err, "category", c.Code)
	}
	return nil
}

// UpdateCategory implements motcua.CategoryStore.
func (s *Store) UpdateCategory(ctx context.Context, c *motcua.DocumentCategory) error {
	res, err := s.exec(ctx, "UPDATE categories SET name = ?, paper_type = ?, validity_days = ?, validity_months = ? WHERE code = ?",
		c.Name, string(c.PaperType), c.ValidityDays, c.ValidityMonths, c.Code)
	if err != nil {
		return motcua.Internal(fmt.Errorf("update category %s: %w", c.Code, err))
	}
	return affectedOne(res, "category", c.Code)
}

func scanCategory(sc interface{ Scan(...any) error }) (*motcua.DocumentCategory, error) {
	var c motcua.DocumentCategory
	var pt string
	if err := sc.Scan(&c.Code, &c.Name, &pt, &c.ValidityDays, &c.ValidityMonths); err != nil {
		return nil, err
	}
	c.PaperType = motcua.PaperType(pt)
	return &c, nil
}

// GetCategory implements motcua.CategoryStore.
func (s *Store) GetCategory(ctx context.Context, code string) (*motcua.DocumentCategory, error) {
	c, err := scanCategory(s.queryRow(ctx, "SELECT code, name, paper_type, validity_days, validity_months FROM categories WHERE code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("category", code)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get category %s: %w", code, err))
	}
	return c, nil
}

// ListCategories implements motcua.CategoryStore.
func (s *Store) ListCategories(ctx context.Context) ([]*motcua.DocumentCategory, error) {
	rows, err := s.query(ctx, "SELECT code, name, paper_type, validity_days, validity_months FROM categories ORDER BY code")
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("list categories: %w", err))
	}
	return collect(rows, scanCategory, "list categories")
}
