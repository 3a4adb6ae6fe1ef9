package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/motcua/motcua"
)

// codeGroup is the dossiers of one unit and day that need codes.
type codeGroup struct {
	unit, day string
	at        time.Time
	idx       []int // positions in the CreateDossier call
}

// allocateDossierCodes takes the next sequence numbers of every group's
// unit and day, in one statement, and writes the codes into codes.
//
// The numbers are taken inside the caller's transaction: a transaction
// that fails or a process killed before the commit gives its numbers
// back, so a unit's register has no gaps, on every backend and across
// the nodes of a cluster. Concurrent receipts of one unit and day queue
// on the sequence row until the previous transaction commits; measured on
// PostgreSQL with 64 concurrent submitters, that costs no throughput
// against numbers taken in a separate transaction (see bench/README.md).
func (s *Store) allocateDossierCodes(ctx context.Context, groups []codeGroup, codes []string) error {
	if len(groups) == 0 {
		return nil
	}
	args := make([]any, 0, 3*len(groups))
	for _, g := range groups {
		args = append(args, g.unit, g.day, len(g.idx))
	}
	q := s.d.Rebind(`INSERT INTO dossier_sequences (unit, day, last) VALUES ` +
		valueRows("(?, ?, ?)", len(groups)) +
		` ON CONFLICT (unit, day) DO UPDATE SET last = dossier_sequences.last + EXCLUDED.last RETURNING unit, day, last`)
	rows, err := s.writer().QueryContext(ctx, q, args...)
	if err != nil {
		return motcua.Internal(fmt.Errorf("allocate dossier codes: %w", err))
	}
	type key struct{ unit, day string }
	last := map[key]int{}
	got, err := collect(rows, func(sc interface{ Scan(...any) error }) (key, error) {
		var k key
		var n int
		err := sc.Scan(&k.unit, &k.day, &n)
		last[k] = n
		return k, err
	}, "allocate dossier codes")
	if err != nil {
		return err
	}
	if len(got) != len(groups) {
		return motcua.Internal(fmt.Errorf("allocate dossier codes: %d sequences returned for %d", len(got), len(groups)))
	}
	for _, g := range groups {
		end := last[key{g.unit, g.day}]
		for j, i := range g.idx {
			code, err := motcua.NewDossierCode(g.unit, g.at, end-len(g.idx)+1+j)
			if err != nil {
				return err
			}
			codes[i] = code.String()
		}
	}
	return nil
}

// checkDossierRefs makes sure, in one round trip, that every dossier's
// procedure and agency exist (the service has checked them already).
func (s *Store) checkDossierRefs(ctx context.Context, ds []*motcua.Dossier) error {
	var procs, agencies []any
	for _, d := range ds {
		if !slices.Contains(procs, any(d.ProcedureCode)) {
			procs = append(procs, d.ProcedureCode)
		}
		if !slices.Contains(agencies, any(d.AgencyCode)) {
			agencies = append(agencies, d.AgencyCode)
		}
	}
	var np, na int
	err := s.queryRowWrite(ctx, `SELECT (SELECT COUNT(*) FROM procedures WHERE code IN (`+placeholders(len(procs))+`)),
		(SELECT COUNT(*) FROM agencies WHERE code IN (`+placeholders(len(agencies))+`))`,
		append(procs, agencies...)...).Scan(&np, &na)
	if err != nil {
		return motcua.Internal(fmt.Errorf("check dossier references: %w", err))
	}
	if np < len(procs) {
		for _, d := range ds {
			if err := s.requireRef(ctx, "procedures", "code", d.ProcedureCode, "procedure_code", "unknown_procedure",
				fmt.Sprintf("Không tìm thấy thủ tục %q.", d.ProcedureCode)); err != nil {
				return err
			}
		}
	}
	if na < len(agencies) {
		for _, d := range ds {
			if err := s.requireRef(ctx, "agencies", "code", d.AgencyCode, "agency_code", "unknown_agency",
				fmt.Sprintf("Không tìm thấy cơ quan tiếp nhận %q.", d.AgencyCode)); err != nil {
				return err
			}
		}
	}
	return nil
}

// CreateDossier implements motcua.DossierStore.
func (s *Store) CreateDossier(ctx context.Context, ds ...*motcua.Dossier) error {
	if len(ds) == 0 {
		return nil
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	for _, d := range ds {
		if d.ID == "" {
			d.ID = NewID(now)
		}
		if d.SubmittedAt.IsZero() {
			d.SubmittedAt = now
		}
		if d.CreatedAt.IsZero() {
			d.CreatedAt = now
		}
		d.UpdatedAt = d.CreatedAt
	}
	codes := make([]string, len(ds))
	err := s.inTx(ctx, func(tx *Store) error {
		if err := tx.checkDossierRefs(ctx, ds); err != nil {
			return err
		}
		// Dossiers without a code take the next numbers of their unit and
		// day, one statement per unit and day, in a fixed order so that
		// concurrent transactions lock the sequences alike.
		byKey := map[[2]string]int{}
		var groups []codeGroup
		for i, d := range ds {
			codes[i] = d.Code
			if d.Code != "" {
				continue
			}
			k := [2]string{d.AgencyCode, motcua.DateOf(d.SubmittedAt).String()}
			g, ok := byKey[k]
			if !ok {
				g = len(groups)
				byKey[k] = g
				groups = append(groups, codeGroup{unit: k[0], day: k[1], at: d.SubmittedAt})
			}
			groups[g].idx = append(groups[g].idx, i)
		}
		// A fixed order, so that concurrent transactions lock the
		// sequences alike.
		slices.SortFunc(groups, func(a, b codeGroup) int { return cmp.Or(cmp.Compare(a.unit, b.unit), cmp.Compare(a.day, b.day)) })
		if err := tx.allocateDossierCodes(ctx, groups, codes); err != nil {
			return err
		}
		args := make([]any, 0, (36+IndicatorCount)*len(ds))
		for i, d := range ds {
			cols, err := dossierArgs(d)
			if err != nil {
				return err
			}
			args = append(append(append(args, d.ID, codes[i]), cols...), dossierIndicatorAt(d)...)
		}
		values := valueRows("("+placeholders(36+IndicatorCount)+")", len(ds))
		_, err := tx.exec(ctx, `INSERT INTO dossiers (id, code, procedure_code, case_code, agency_code, district, ward,
			submitter, owner_code, owner, channel, result_method, status, components, result_doc_ids, reused,
			submitted_at, received_at, due_at, finished_at, owner_verified, created_at, updated_at, missed_reuse, idempotency_key,
			submitter_code, result_expected, digitized, e_result, received_by, handling_agency, assignee, result, procedure_version, co_applicants, submit_method, `+IndicatorColumns+`) VALUES `+values, args...)
		if err != nil {
			return tx.insertErr(err, "dossier", codes[0])
		}
		for _, d := range ds {
			for _, c := range d.CoApplicants {
				if _, err := tx.exec(ctx, "INSERT INTO dossier_parties (subject_code, dossier_id) VALUES (?, ?)", c.Code, d.ID); err != nil {
					return motcua.Internal(fmt.Errorf("dossier %s party: %w", d.ID, err))
				}
			}
		}
		return nil
	})
	if err == nil {
		for i, d := range ds {
			d.Code = codes[i]
		}
	}
	return err
}

// dossierArgs returns the column values after id and code, in insert order.
func dossierArgs(d *motcua.Dossier) ([]any, error) {
	submitter, err := marshalJSON(d.Submitter)
	if err != nil {
		return nil, err
	}
	owner, err := marshalJSON(d.Owner)
	if err != nil {
		return nil, err
	}
	comps, err := marshalJSON(nonNil(d.Components))
	if err != nil {
		return nil, err
	}
	results, err := marshalJSON(nonNil(d.ResultDocIDs))
	if err != nil {
		return nil, err
	}
	result, err := resultJSON(d.Result)
	if err != nil {
		return nil, err
	}
	coApplicants, err := marshalJSON(nonNil(d.CoApplicants))
	if err != nil {
		return nil, err
	}
	handling := d.HandlingAgency
	if handling == "" {
		handling = d.AgencyCode
	}
	return []any{d.ProcedureCode, d.CaseCode, d.AgencyCode, d.District, d.Ward,
		submitter, d.Owner.Code, owner, int(d.Channel), string(d.ResultMethod), int(d.Status), comps, results, d.Reused(),
		micros(d.SubmittedAt), micros(d.ReceivedAt), micros(d.DueAt), micros(d.FinishedAt), d.OwnerVerified,
		micros(d.CreatedAt), micros(d.UpdatedAt), d.MissedReuse, nullString(d.IdempotencyKey), d.Submitter.Code,
		d.ResultExpected, d.Digitized(), d.HasEResult(), d.ReceivedBy, handling, d.Assignee, result, max(d.ProcedureVersion, 1),
		coApplicants, string(d.SubmitMethod)}, nil
}

// resultJSON encodes a dossier's result; nil is the empty string.
func resultJSON(r *motcua.DossierResult) (string, error) {
	if r == nil {
		return "", nil
	}
	return marshalJSON(r)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

const dossierColumns = `id, code, procedure_code, case_code, agency_code, district, ward, submitter, owner, channel,
	result_method, status, components, result_doc_ids, submitted_at, received_at, due_at, finished_at, owner_verified,
	created_at, updated_at, missed_reuse, idempotency_key, result_expected, received_by, handling_agency, assignee, result, version, procedure_version,
	co_applicants, submit_method`

func scanDossier(sc interface{ Scan(...any) error }) (*motcua.Dossier, error) {
	var d motcua.Dossier
	var submitter, owner, comps, results, coApplicants []byte
	var method, result, submitMethod string
	var channel, status int
	var submitted, received, due, finished, created, updated sql.NullInt64
	var idem sql.NullString
	err := sc.Scan(&d.ID, &d.Code, &d.ProcedureCode, &d.CaseCode, &d.AgencyCode, &d.District, &d.Ward, &submitter,
		&owner, &channel, &method, &status, &comps, &results, &submitted, &received, &due, &finished, &d.OwnerVerified,
		&created, &updated, &d.MissedReuse, &idem, &d.ResultExpected, &d.ReceivedBy, &d.HandlingAgency, &d.Assignee, &result, &d.Version, &d.ProcedureVersion,
		&coApplicants, &submitMethod)
	d.IdempotencyKey = idem.String
	if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		raw []byte
		dst any
	}{{submitter, &d.Submitter}, {owner, &d.Owner}, {comps, &d.Components}, {results, &d.ResultDocIDs},
		{coApplicants, &d.CoApplicants}} {
		if err := json.Unmarshal(f.raw, f.dst); err != nil {
			return nil, fmt.Errorf("dossier %s: %w", d.ID, err)
		}
	}
	if result != "" {
		d.Result = new(motcua.DossierResult)
		if err := json.Unmarshal([]byte(result), d.Result); err != nil {
			return nil, fmt.Errorf("dossier %s result: %w", d.ID, err)
		}
	}
	d.Channel = motcua.Channel(channel)
	d.ResultMethod = motcua.ResultMethod(method)
	d.SubmitMethod = motcua.SubmitMethod(submitMethod)
	d.CoApplicants = nilIfEmpty(d.CoApplicants)
	d.Status = motcua.DossierStatus(status)
	d.SubmittedAt, d.ReceivedAt = fromMicros(submitted), fromMicros(received)
	d.DueAt, d.FinishedAt = fromMicros(due), fromMicros(finished)
	d.CreatedAt, d.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &d, nil
}

func (s *Store) getDossier(ctx context.Context, column, key string) (*motcua.Dossier, error) {
	d, err := scanDossier(s.queryRow(ctx, "SELECT "+dossierColumns+" FROM dossiers WHERE "+column+" = ?", key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("dossier", key)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get dossier %s: %w", key, err))
	}
	rows, err := s.query(ctx, `SELECT from_status, to_status, at, actor, note FROM dossier_status_history
		WHERE dossier_id = ? ORDER BY seq`, d.ID)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("dossier %s history: %w", d.ID, err))
	}
	d.StatusHistory, err = collect(rows, func(sc interface{ Scan(...any) error }) (motcua.StatusChange, error) {
		var c motcua.StatusChange
		var from, to int
		var at sql.NullInt64
		err := sc.Scan(&from, &to, &at, &c.Actor, &c.Note)
		c.From, c.To, c.At = motcua.DossierStatus(from), motcua.DossierStatus(to), fromMicros(at)
		return c, err
	}, "dossier history")
	if err != nil {
		return nil, err
	}
	if d.Supplements, err = s.supplements(ctx, d.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// GetDossier implements motcua.DossierStore.
func (s *Store) GetDossier(ctx context.Context, id string) (*motcua.Dossier, error) {
	return s.getDossier(ctx, "id", id)
}

// GetDossierByIdempotencyKey implements motcua.DossierStore.
func (s *Store) GetDossierByIdempotencyKey(ctx context.Context, key string) (*motcua.Dossier, error) {
	if key == "" {
		return nil, motcua.NotFound("dossier", key)
	}
	return s.getDossier(ctx, "idempotency_key", key)
}

// GetDossierByCode implements motcua.DossierStore.
func (s *Store) GetDossierByCode(ctx context.Context, code string) (*motcua.Dossier, error) {
	return s.getDossier(ctx, "code", code)
}

// ListDossiers implements motcua.DossierStore. The listed dossiers carry
// no status history; GetDossier loads it.
func (s *Store) ListDossiers(ctx context.Context, f motcua.DossierFilter) ([]*motcua.Dossier, int, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if f.HandlingAgency != "" {
		add("handling_agency = ?", f.HandlingAgency)
	}
	if f.Assignee != "" {
		add("assignee = ?", f.Assignee)
	}
	if f.AgencyCode != "" {
		add("agency_code = ?", f.AgencyCode)
	}
	if len(f.AgencyCodes) > 0 {
		where = append(where, "agency_code IN ("+placeholders(len(f.AgencyCodes))+")")
		for _, c := range f.AgencyCodes {
			args = append(args, c)
		}
	}
	if f.OwnerCode != "" {
		add("owner_code = ?", f.OwnerCode)
	}
	if f.Party != "" {
		where = append(where, "(owner_code = ? OR submitter_code = ? OR id IN (SELECT dossier_id FROM dossier_parties WHERE subject_code = ?))")
		args = append(args, f.Party, f.Party, f.Party)
	}
	if f.ProcedureCode != "" {
		add("procedure_code = ?", f.ProcedureCode)
	}
	if f.Status != 0 {
		add("status = ?", int(f.Status))
	}
	if !f.ReceivedFrom.IsZero() {
		add("received_at >= ?", f.ReceivedFrom.UnixMicro())
	}
	if !f.ReceivedTo.IsZero() {
		add("received_at < ?", f.ReceivedTo.UnixMicro())
	}
	if f.Reused != nil {
		add("reused = ?", *f.Reused)
	}
	if f.MissedReuse {
		add("missed_reuse = ?", true)
	}
	// The contribution columns motcua.IndicatorsOf computed (migration
	// 0014); late is also an open dossier past its due time now
	// (motcua.IndicatorFacts.LateAt).
	switch f.Indicator {
	case motcua.IndicatorLate:
		add("(kpi_late = 1 OR (kpi_open = 1 AND due_at < ?))", s.now().UnixMicro())
	case motcua.IndicatorOnline:
		where = append(where, "kpi_online = 1")
	case motcua.IndicatorEResult:
		where = append(where, "kpi_e_result = 1")
	case motcua.IndicatorDigitized:
		where = append(where, "kpi_digitized = 1")
	case motcua.IndicatorShared:
		where = append(where, "kpi_shared = 1")
	case motcua.IndicatorVerified:
		where = append(where, "kpi_verified = 1")
	}
	cond := whereClause(where)
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM dossiers"+cond, args...).Scan(&total); err != nil {
		return nil, 0, motcua.Internal(fmt.Errorf("count dossiers: %w", err))
	}
	limit := clampLimit(f.Limit, 50, 500)
	rows, err := s.query(ctx, "SELECT "+dossierColumns+" FROM dossiers"+cond+
		" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, motcua.Internal(fmt.Errorf("list dossiers: %w", err))
	}
	ds, err := collect(rows, scanDossier, "list dossiers")
	return ds, total, err
}

// UpdateDossierStatus implements motcua.DossierStore.
func (s *Store) UpdateDossierStatus(ctx context.Context, u motcua.StatusUpdate) error {
	at := u.At
	if at.IsZero() {
		at = s.now()
	}
	at = at.UTC().Truncate(time.Microsecond)
	return s.inTx(ctx, func(tx *Store) error {
		var cur int
		err := tx.queryRowWrite(ctx, "SELECT status FROM dossiers WHERE id = ?", u.DossierID).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			return motcua.NotFound("dossier", u.DossierID)
		}
		if err != nil {
			return motcua.Internal(fmt.Errorf("dossier %s status: %w", u.DossierID, err))
		}
		if motcua.DossierStatus(cur) != u.From {
			return &motcua.Error{Kind: motcua.ECONFLICT, Code: "stale_status", Field: "status",
				Message: fmt.Sprintf("Hồ sơ đang ở trạng thái %q, không còn ở trạng thái %q; vui lòng tải lại trang.",
					motcua.DossierStatus(cur).Label(), u.From.Label())}
		}
		set := "status = ?, updated_at = ?, version = version + 1"
		args := []any{int(u.To), micros(at)}
		if !u.DueAt.IsZero() {
			set += ", due_at = ?"
			args = append(args, micros(u.DueAt.UTC().Truncate(time.Microsecond)))
		}
		// The dates are what the caller decided (motcua.Dossier.Transition).
		if !u.ReceivedAt.IsZero() {
			set += ", received_at = ?"
			args = append(args, micros(u.ReceivedAt))
		}
		if u.ReceivedBy != "" {
			set += ", received_by = ?"
			args = append(args, u.ReceivedBy)
		}
		if !u.FinishedAt.IsZero() {
			set += ", finished_at = ?"
			args = append(args, micros(u.FinishedAt))
		}
		res, err := tx.exec(ctx, "UPDATE dossiers SET "+set+" WHERE id = ? AND status = ?", append(args, u.DossierID, cur)...)
		if err != nil {
			return motcua.Internal(fmt.Errorf("update dossier %s status: %w", u.DossierID, err))
		}
		if err := affectedOne(res, "dossier", u.DossierID); err != nil {
			return err
		}
		if err := tx.syncIndicators(ctx, u.DossierID); err != nil {
			return err
		}
		if u.Supplement != nil {
			if err := tx.putSupplement(ctx, u.DossierID, u.Supplement); err != nil {
				return err
			}
		}
		return tx.appendHistory(ctx, u.DossierID, u.From, u.To, at, u.Actor, u.Note)
	})
}

// appendHistory adds an entry to a dossier's status history.
func (s *Store) appendHistory(ctx context.Context, id string, from, to motcua.DossierStatus, at time.Time, actor, note string) error {
	_, err := s.exec(ctx, `INSERT INTO dossier_status_history (dossier_id, seq, from_status, to_status, at, actor, note)
		VALUES (?, (SELECT COUNT(*) + 1 FROM dossier_status_history WHERE dossier_id = ?), ?, ?, ?, ?, ?)`,
		id, id, int(from), int(to), micros(at), actor, note)
	if err != nil {
		return motcua.Internal(fmt.Errorf("dossier %s history: %w", id, err))
	}
	return nil
}

// UpdateDossierComponents implements motcua.DossierStore.
func (s *Store) UpdateDossierComponents(ctx context.Context, id string, version int, comps []motcua.DossierComponent) error {
	raw, err := marshalJSON(nonNil(comps))
	if err != nil {
		return err
	}
	d := &motcua.Dossier{Components: comps}
	q := "UPDATE dossiers SET components = ?, reused = ?, digitized = ?, updated_at = ?, version = version + 1 WHERE id = ?"
	args := []any{raw, d.Reused(), d.Digitized(), s.now().UTC().UnixMicro(), id}
	if version != 0 {
		q += " AND version = ?"
		args = append(args, version)
	}
	return s.inTx(ctx, func(tx *Store) error {
		res, err := tx.exec(ctx, q, args...)
		if err != nil {
			return motcua.Internal(fmt.Errorf("update dossier %s components: %w", id, err))
		}
		if err := tx.changedOne(ctx, res, id); err != nil {
			return err
		}
		return tx.syncIndicators(ctx, id)
	})
}

// CorrectDossierReceipt implements motcua.DossierStore.
func (s *Store) CorrectDossierReceipt(ctx context.Context, id string, at time.Time) error {
	return s.inTx(ctx, func(tx *Store) error {
		var received sql.NullInt64
		err := tx.queryRowWrite(ctx, "SELECT received_at FROM dossiers WHERE id = ?", id).Scan(&received)
		if errors.Is(err, sql.ErrNoRows) {
			return motcua.NotFound("dossier", id)
		}
		if err != nil {
			return motcua.Internal(fmt.Errorf("dossier %s receipt: %w", id, err))
		}
		if !received.Valid {
			return motcua.Invalid("received_at", "not_received", "Hồ sơ chưa được tiếp nhận nên chưa có ngày tiếp nhận để điều chỉnh.")
		}
		_, err = tx.exec(ctx, "UPDATE dossiers SET received_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
			at.UTC().UnixMicro(), s.now().UTC().UnixMicro(), id)
		if err != nil {
			return motcua.Internal(fmt.Errorf("correct dossier %s receipt: %w", id, err))
		}
		return tx.syncIndicators(ctx, id)
	})
}
