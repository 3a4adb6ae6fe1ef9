package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

var _ motcua.CertificationStore = (*Store)(nil)

// CreateCertificationEntry implements motcua.CertificationStore. The
// book's counter row is incremented in the caller's transaction (never in
// the sequence pool): concurrent issues of one book wait for each other's
// commit, and a rolled back issue leaves no gap.
func (s *Store) CreateCertificationEntry(ctx context.Context, e *motcua.CertificationEntry) error {
	now := s.now().UTC()
	if e.ID == "" {
		e.ID = NewID(now)
	}
	e.CertifiedAt = e.CertifiedAt.UTC().Truncate(time.Microsecond)
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.requireRef(ctx, "agencies", "code", e.AgencyCode, "agency_code", "unknown_agency",
			fmt.Sprintf("Không tìm thấy cơ quan chứng thực %q.", e.AgencyCode)); err != nil {
			return err
		}
		if err := tx.requireRef(ctx, "subjects", "code", e.RequesterCode, "requester_code", "unknown_subject",
			fmt.Sprintf("Không tìm thấy chủ thể có số định danh %q.", e.RequesterCode)); err != nil {
			return err
		}
		if err := tx.requireRef(ctx, "documents", "id", e.DocumentID, "document_id", "document_not_found",
			"Không tìm thấy bản sao điện tử được ghi vào sổ chứng thực."); err != nil {
			return err
		}
		if taken, err := tx.exists(ctx, "certification_entries", "document_id", e.DocumentID); err != nil {
			return err
		} else if taken {
			return motcua.Errorf(motcua.ECONFLICT, "certification_entry_exists",
				"Bản sao điện tử %s đã được ghi vào sổ chứng thực.", e.DocumentCode)
		}
		var number int
		err := tx.queryRowWrite(ctx, `INSERT INTO certification_books (agency_code, year, last) VALUES (?, ?, 1)
			ON CONFLICT (agency_code, year) DO UPDATE SET last = certification_books.last + 1 RETURNING last`,
			e.AgencyCode, e.Year).Scan(&number)
		if err != nil {
			return motcua.Internal(fmt.Errorf("allocate certification number %s/%d: %w", e.AgencyCode, e.Year, err))
		}
		_, err = tx.exec(ctx, `INSERT INTO certification_entries (id, agency_code, year, number, certified_at,
			officer_username, officer_name, requester_code, requester_name, original_name, original_code, pages, fee_vnd,
			document_id, document_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, e.AgencyCode, e.Year, number, micros(e.CertifiedAt), e.OfficerUsername, e.OfficerName,
			e.RequesterCode, e.RequesterName, e.OriginalName, e.OriginalCode, e.Pages, e.FeeVND, e.DocumentID, e.DocumentCode)
		if err != nil {
			if tx.d.IsUniqueViolation(err) {
				return motcua.Errorf(motcua.ECONFLICT, "certification_entry_exists",
					"Bản sao điện tử %s đã được ghi vào sổ chứng thực.", e.DocumentCode)
			}
			return motcua.Internal(fmt.Errorf("insert certification entry %s: %w", e.DocumentCode, err))
		}
		e.Number = number
		return nil
	})
}

const certificationColumns = `id, agency_code, year, number, certified_at, officer_username, officer_name,
	requester_code, requester_name, original_name, original_code, pages, fee_vnd, document_id, document_code`

func scanCertificationEntry(sc interface{ Scan(...any) error }) (*motcua.CertificationEntry, error) {
	e := &motcua.CertificationEntry{}
	var at sql.NullInt64
	err := sc.Scan(&e.ID, &e.AgencyCode, &e.Year, &e.Number, &at, &e.OfficerUsername, &e.OfficerName,
		&e.RequesterCode, &e.RequesterName, &e.OriginalName, &e.OriginalCode, &e.Pages, &e.FeeVND, &e.DocumentID, &e.DocumentCode)
	e.CertifiedAt = fromMicros(at)
	return e, err
}

// ListCertificationEntries implements motcua.CertificationStore.
func (s *Store) ListCertificationEntries(ctx context.Context, f motcua.CertificationFilter) ([]*motcua.CertificationEntry, error) {
	rows, err := s.query(ctx, `SELECT `+certificationColumns+` FROM certification_entries
		WHERE agency_code = ? AND year = ? ORDER BY number LIMIT ? OFFSET ?`,
		f.AgencyCode, f.Year, clampLimit(f.Limit, 1000, 100000), max(f.Offset, 0))
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("list certification entries %s/%d: %w", f.AgencyCode, f.Year, err))
	}
	return collect(rows, scanCertificationEntry, "list certification entries")
}

// GetCertificationEntryByDocument implements motcua.CertificationStore.
func (s *Store) GetCertificationEntryByDocument(ctx context.Context, documentID string) (*motcua.CertificationEntry, error) {
	e, err := scanCertificationEntry(s.queryRow(ctx, `SELECT `+certificationColumns+` FROM certification_entries
		WHERE document_id = ?`, documentID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "certification_entry_not_found",
			"Không tìm thấy mục sổ chứng thực của giấy tờ này.")
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get certification entry of %s: %w", documentID, err))
	}
	return e, nil
}
