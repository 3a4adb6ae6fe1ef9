package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// documentSearchText is what DocumentFilter.Query matches: every field the
// portal's search boxes cover, folded (lowercase, no diacritics).
func documentSearchText(d *motcua.Document) string {
	return motcua.FoldText(strings.Join([]string{
		d.Name, d.Code, d.DecisionNumber, d.OwnerName, d.OwnerCode, d.Summary,
	}, " \x1f "))
}

// FoldedDocumentColumns returns what the search columns of a document
// hold, in column order search_text, name_f, code_f, decision_f,
// owner_name_f, summary_f. Bulk loaders that bypass the Store use it so
// that their rows match.
func FoldedDocumentColumns(d *motcua.Document) []string {
	f := motcua.FoldText
	return []string{documentSearchText(d), f(d.Name), f(d.Code), f(d.DecisionNumber), f(d.OwnerName), f(d.Summary)}
}

func foldedFields(d *motcua.Document) []any {
	cols := FoldedDocumentColumns(d)
	out := make([]any, len(cols))
	for i, c := range cols {
		out[i] = c
	}
	return out
}

func (s *Store) checkDocumentRefs(ctx context.Context, d *motcua.Document) error {
	if err := s.requireRef(ctx, "subjects", "code", d.OwnerCode, "owner_code", "unknown_subject",
		fmt.Sprintf("Không tìm thấy chủ thể có số định danh %q.", d.OwnerCode)); err != nil {
		return err
	}
	if err := s.requireRef(ctx, "categories", "code", d.CategoryCode, "category_code", "unknown_category",
		fmt.Sprintf("Không tìm thấy danh mục giấy tờ %q.", d.CategoryCode)); err != nil {
		return err
	}
	if d.IssuerCode != "" {
		return s.requireRef(ctx, "agencies", "code", d.IssuerCode, "issuer_code", "unknown_agency",
			fmt.Sprintf("Không tìm thấy cơ quan cấp %q.", d.IssuerCode))
	}
	return nil
}

// CreateDocument implements motcua.DocumentStore.
func (s *Store) CreateDocument(ctx context.Context, d *motcua.Document) error {
	now := s.now().UTC()
	if d.ID == "" {
		d.ID = NewID(now)
	}
	if d.CreatedAt.IsZero() {
		d.CreatedAt = now
	}
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = d.CreatedAt
	}
	d.CreatedAt = d.CreatedAt.UTC().Truncate(time.Microsecond)
	d.UpdatedAt = d.UpdatedAt.UTC().Truncate(time.Microsecond)
	d.Version = 1
	sig, err := marshalJSON(d.Signature)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.checkDocumentRefs(ctx, d); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO documents (id, code, owner_code, owner_name, warehouse, paper_type, category_code,
			name, decision_number, summary, issuer_code, issued_on, expires_on, file_name, file_size, file_sha256, signature,
			visible, shared, usage_count, status, version, created_at, updated_at,
			search_text, name_f, code_f, decision_f, owner_name_f, summary_f)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			append([]any{d.ID, d.Code, d.OwnerCode, d.OwnerName, string(d.Warehouse), string(d.PaperType), d.CategoryCode,
				d.Name, d.DecisionNumber, d.Summary, nullString(d.IssuerCode), d.IssuedOn, d.ExpiresOn,
				d.File.Name, d.File.Size, d.File.SHA256, sig,
				d.Visible, d.Shared, d.UsageCount, string(d.Status), d.Version, micros(d.CreatedAt), micros(d.UpdatedAt)},
				foldedFields(d)...)...)
		if err != nil {
			return tx.insertErr(err, "document", d.Code)
		}
		return nil
	})
}

const documentColumns = `id, code, owner_code, owner_name, warehouse, paper_type, category_code, name, decision_number,
	summary, issuer_code, issued_on, expires_on, file_name, file_size, file_sha256, signature, visible, shared,
	usage_count, status, version, created_at, updated_at, superseded_by`

func scanDocument(sc interface{ Scan(...any) error }) (*motcua.Document, error) {
	var d motcua.Document
	var warehouse, paper, status string
	var issuer, supersededBy sql.NullString
	var sig []byte
	var created, updated sql.NullInt64
	err := sc.Scan(&d.ID, &d.Code, &d.OwnerCode, &d.OwnerName, &warehouse, &paper, &d.CategoryCode, &d.Name,
		&d.DecisionNumber, &d.Summary, &issuer, &d.IssuedOn, &d.ExpiresOn, &d.File.Name, &d.File.Size, &d.File.SHA256,
		&sig, &d.Visible, &d.Shared, &d.UsageCount, &status, &d.Version, &created, &updated, &supersededBy)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(sig, &d.Signature); err != nil {
		return nil, fmt.Errorf("document %s signature: %w", d.ID, err)
	}
	d.Warehouse = motcua.WarehouseKind(warehouse)
	d.PaperType = motcua.PaperType(paper)
	d.Status = motcua.DocumentStatus(status)
	d.IssuerCode = issuer.String
	d.SupersededBy = supersededBy.String
	d.CreatedAt = fromMicros(created)
	d.UpdatedAt = fromMicros(updated)
	return &d, nil
}

func (s *Store) getDocument(ctx context.Context, column, key string, q func(context.Context, string, ...any) *sql.Row) (*motcua.Document, error) {
	d, err := scanDocument(q(ctx, "SELECT "+documentColumns+" FROM documents WHERE "+column+" = ?", key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("document", key)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get document %s: %w", key, err))
	}
	return d, nil
}

// GetDocument implements motcua.DocumentStore.
func (s *Store) GetDocument(ctx context.Context, id string) (*motcua.Document, error) {
	return s.getDocument(ctx, "id", id, s.queryRow)
}

// GetDocumentByCode implements motcua.DocumentStore.
func (s *Store) GetDocumentByCode(ctx context.Context, code string) (*motcua.Document, error) {
	return s.getDocument(ctx, "code", code, s.queryRow)
}

// escapeLike escapes LIKE wildcards; queries use ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// likePattern matches term anywhere.
func likePattern(term string) string { return "%" + escapeLike(term) + "%" }

// ListDocuments implements motcua.DocumentStore.
func (s *Store) ListDocuments(ctx context.Context, f motcua.DocumentFilter) ([]*motcua.Document, int, error) {
	var where []string
	var args []any
	if f.OwnerCode != "" {
		where = append(where, "owner_code = ?")
		args = append(args, f.OwnerCode)
	}
	if len(f.CategoryCodes) > 0 {
		where = append(where, "category_code IN ("+placeholders(len(f.CategoryCodes))+")")
		for _, c := range f.CategoryCodes {
			args = append(args, c)
		}
	}
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, string(f.Status))
	}
	if f.ExcludeStatus != "" {
		where = append(where, "status <> ?")
		args = append(args, string(f.ExcludeStatus))
	}
	if f.VisibleOnly {
		where = append(where, "visible = ?")
		args = append(args, true)
	}
	for _, term := range strings.Fields(motcua.FoldText(f.Query)) {
		where = append(where, `search_text LIKE ? ESCAPE '\'`)
		args = append(args, likePattern(term))
	}
	for _, box := range []struct{ column, value string }{
		{"name_f", f.Name}, {"code_f", f.Code}, {"decision_f", f.DecisionNumber},
		{"owner_name_f", f.OwnerName}, {"owner_code", f.OwnerID}, {"summary_f", f.Summary},
	} {
		if v := motcua.FoldText(box.value); v != "" {
			where = append(where, box.column+` LIKE ? ESCAPE '\'`)
			args = append(args, likePattern(v))
		}
	}
	cond := whereClause(where)
	total := -1
	if !f.NoTotal {
		if err := s.queryRow(ctx, "SELECT COUNT(*) FROM documents"+cond, args...).Scan(&total); err != nil {
			return nil, 0, motcua.Internal(fmt.Errorf("count documents: %w", err))
		}
	}
	limit := clampLimit(f.Limit, 50, 500)
	order := " ORDER BY created_at DESC, id DESC"
	if f.Unordered {
		order = ""
	}
	rows, err := s.query(ctx, "SELECT "+documentColumns+" FROM documents"+cond+order+" LIMIT ? OFFSET ?",
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, motcua.Internal(fmt.Errorf("list documents: %w", err))
	}
	docs, err := collect(rows, scanDocument, "list documents")
	return docs, total, err
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// valueRows repeats one VALUES row n times, comma-separated, for a
// multi-row INSERT.
func valueRows(row string, n int) string {
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// CountDocumentCodes implements motcua.DocumentStore.
func (s *Store) CountDocumentCodes(ctx context.Context, prefix string) (int, error) {
	// A suffixed code is prefix + ".NN": exactly three characters longer.
	var n int
	err := s.queryRowWrite(ctx, `SELECT COUNT(*) FROM documents WHERE code = ? OR (code LIKE ? ESCAPE '\' AND LENGTH(code) = ?)`,
		prefix, escapeLike(prefix)+".%", len(prefix)+3).Scan(&n)
	if err != nil {
		return 0, motcua.Internal(fmt.Errorf("count document codes %s: %w", prefix, err))
	}
	return n, nil
}

// UpdateDocumentMetadata implements motcua.DocumentStore.
func (s *Store) UpdateDocumentMetadata(ctx context.Context, d *motcua.Document) error {
	d.UpdatedAt = s.now().UTC().Truncate(time.Microsecond)
	res, err := s.exec(ctx, `UPDATE documents SET name = ?, decision_number = ?, summary = ?, owner_name = ?, visible = ?, shared = ?,
		status = ?, expires_on = ?, updated_at = ?, search_text = ?, name_f = ?, code_f = ?, decision_f = ?, owner_name_f = ?,
		summary_f = ? WHERE id = ?`,
		append(append([]any{d.Name, d.DecisionNumber, d.Summary, d.OwnerName, d.Visible, d.Shared, string(d.Status), d.ExpiresOn,
			micros(d.UpdatedAt)}, foldedFields(d)...), d.ID)...)
	if err != nil {
		return motcua.Internal(fmt.Errorf("update document %s: %w", d.ID, err))
	}
	return affectedOne(res, "document", d.ID)
}

// ReplaceDocumentFile implements motcua.DocumentStore.
func (s *Store) ReplaceDocumentFile(ctx context.Context, r motcua.FileReplacement) (*motcua.Document, error) {
	at := r.At
	if at.IsZero() {
		at = s.now()
	}
	at = at.UTC().Truncate(time.Microsecond)
	sig, err := marshalJSON(r.Signature)
	if err != nil {
		return nil, err
	}
	var out *motcua.Document
	err = s.inTx(ctx, func(tx *Store) error {
		cur, err := tx.getDocument(ctx, "id", r.DocumentID, tx.queryRowWrite)
		if err != nil {
			return err
		}
		if cur.Version != r.ExpectedVersion {
			return &motcua.Error{Kind: motcua.ECONFLICT, Code: "stale_version", Field: "version",
				Message: "Giấy tờ vừa được người khác cập nhật; vui lòng tải lại trang và thử lại."}
		}
		oldSig, err := marshalJSON(cur.Signature)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO document_versions (document_id, version, file_name, file_size, file_sha256, signature,
			replaced_at, replaced_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			cur.ID, cur.Version, cur.File.Name, cur.File.Size, cur.File.SHA256, oldSig, micros(at), r.ReplacedBy); err != nil {
			return motcua.Internal(fmt.Errorf("keep version %d of document %s: %w", cur.Version, cur.ID, err))
		}
		res, err := tx.exec(ctx, `UPDATE documents SET file_name = ?, file_size = ?, file_sha256 = ?, signature = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			r.File.Name, r.File.Size, r.File.SHA256, sig, micros(at), cur.ID, cur.Version)
		if err != nil {
			return motcua.Internal(fmt.Errorf("replace file of document %s: %w", cur.ID, err))
		}
		if err := affectedOne(res, "document", cur.ID); err != nil {
			return err
		}
		out, err = tx.getDocument(ctx, "id", cur.ID, tx.queryRowWrite)
		return err
	})
	return out, err
}

// DocumentVersions implements motcua.DocumentStore.
func (s *Store) DocumentVersions(ctx context.Context, id string) ([]motcua.DocumentVersion, error) {
	rows, err := s.query(ctx, `SELECT document_id, version, file_name, file_size, file_sha256, signature, replaced_at, replaced_by
		FROM document_versions WHERE document_id = ? ORDER BY version`, id)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("document %s versions: %w", id, err))
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (motcua.DocumentVersion, error) {
		var v motcua.DocumentVersion
		var sig []byte
		var at sql.NullInt64
		if err := sc.Scan(&v.DocumentID, &v.Version, &v.File.Name, &v.File.Size, &v.File.SHA256, &sig, &at, &v.ReplacedBy); err != nil {
			return v, err
		}
		v.ReplacedAt = fromMicros(at)
		return v, json.Unmarshal(sig, &v.Signature)
	}, "document versions")
}

// IncrementDocumentUsage implements motcua.DocumentStore.
func (s *Store) IncrementDocumentUsage(ctx context.Context, ids []string) error {
	// A document used twice (two dossiers of one group commit) gets two.
	// Rows are updated in id order, one statement each: PostgreSQL locks
	// the rows of a single multi-row UPDATE in no set order, and concurrent
	// ones could deadlock.
	counts := map[string]int{}
	var distinct []string
	for _, id := range ids {
		if counts[id] == 0 {
			distinct = append(distinct, id)
		}
		counts[id]++
	}
	slices.Sort(distinct)
	return s.inTx(ctx, func(tx *Store) error {
		for _, id := range distinct {
			res, err := tx.exec(ctx, "UPDATE documents SET usage_count = usage_count + ? WHERE id = ?", counts[id], id)
			if err != nil {
				return motcua.Internal(fmt.Errorf("count use of document %s: %w", id, err))
			}
			if err := affectedOne(res, "document", id); err != nil {
				return err
			}
		}
		return nil
	})
}
