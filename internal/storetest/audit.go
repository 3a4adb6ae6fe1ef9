package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/sqldb"
)

func testAudit(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	base := time.Date(2024, 3, 20, 1, 0, 0, 0, time.UTC)
	events := []*motcua.AuditEvent{
		{At: base, ActorKind: "citizen", ActorID: b.citizen.Code, Action: "document.create", ObjectKind: "document", ObjectID: "d1", SubjectCode: b.citizen.Code},
		{At: base.Add(time.Minute), ActorKind: "officer", ActorID: "o1", AgencyCode: b.commune.Code, Action: "document.read",
			ObjectKind: "document", ObjectID: "d1", SubjectCode: b.citizen.Code, DossierID: "x1", RemoteAddr: "127.0.0.1"},
		{At: base.Add(2 * time.Minute), ActorKind: "officer", ActorID: "o1", Action: "document.read", ObjectKind: "document", ObjectID: "d9", SubjectCode: b.other.Code},
	}
	for _, e := range events {
		must(t, s.AppendAudit(ctx, e))
		if e.ID == "" {
			t.Fatal("AppendAudit did not assign an id")
		}
	}
	mine, err := s.ListAudit(ctx, motcua.AuditFilter{SubjectCode: b.citizen.Code})
	must(t, err)
	if len(mine) != 2 || mine[0].Action != "document.read" || mine[0].AgencyCode != b.commune.Code ||
		mine[0].DossierID != "x1" || mine[0].RemoteAddr != "127.0.0.1" || !mine[0].At.Equal(base.Add(time.Minute)) {
		t.Fatalf("citizen's audit = %+v", mine)
	}
	byObject, err := s.ListAudit(ctx, motcua.AuditFilter{ObjectKind: "document", ObjectID: "d9"})
	must(t, err)
	if len(byObject) != 1 || byObject[0].SubjectCode != b.other.Code {
		t.Fatalf("by object = %+v", byObject)
	}
	byActor, err := s.ListAudit(ctx, motcua.AuditFilter{ActorID: "o1", Since: base.Add(90 * time.Second)})
	must(t, err)
	if len(byActor) != 1 || byActor[0].ObjectID != "d9" {
		t.Fatalf("by actor since = %+v", byActor)
	}
	limited, err := s.ListAudit(ctx, motcua.AuditFilter{Limit: 2})
	must(t, err)
	if len(limited) != 2 || limited[0].ObjectID != "d9" {
		t.Fatalf("limited = %+v", limited)
	}
	// Audit ids are unique: re-appending an event is refused.
	err = s.AppendAudit(ctx, events[0])
	if !motcua.IsKind(err, motcua.ECONFLICT) {
		t.Fatalf("duplicate audit id: %v", err)
	}
}

var errRollback = errors.New("roll back")

func testTransactions(t *testing.T, newStore NewStore) {
	s, b := setup(t, newStore)
	ctx := context.Background()
	a := &motcua.Agency{Code: "000.23.02.H08", Name: "UBND xã An Dũng", Level: motcua.LevelCommune, ParentCode: b.district.Code}
	err := s.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.CreateAgency(ctx, a); err != nil {
			return err
		}
		// Reads inside the transaction see its own writes.
		if _, err := tx.GetAgency(ctx, a.Code); err != nil {
			return err
		}
		// Nested calls join the outer transaction.
		return tx.InTx(ctx, func(inner motcua.Store) error {
			d := newDossier(b, time.Date(2024, 5, 5, 5, 0, 0, 0, time.UTC))
			d.AgencyCode = a.Code
			if err := inner.CreateDossier(ctx, d); err != nil {
				return err
			}
			return errRollback
		})
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("InTx returned %v, want the callback's error", err)
	}
	_, err = s.GetAgency(ctx, a.Code)
	wantErr(t, err, motcua.ENOTFOUND, "agency_not_found")
	_, total, err := s.ListDossiers(ctx, motcua.DossierFilter{})
	must(t, err)
	if total != 0 {
		t.Fatalf("rolled-back dossier is visible (%d)", total)
	}

	// Commit. The rolled-back allocation burnt no number: the register
	// has no gap on any backend.
	must(t, s.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.CreateAgency(ctx, a); err != nil {
			return err
		}
		d := newDossier(b, time.Date(2024, 5, 5, 5, 0, 0, 0, time.UTC))
		d.AgencyCode = a.Code
		return tx.CreateDossier(ctx, d)
	}))
	list, _, err := s.ListDossiers(ctx, motcua.DossierFilter{AgencyCode: a.Code})
	must(t, err)
	if len(list) != 1 || list[0].Code != a.Code+"-240505-0001" {
		t.Fatalf("after commit = %+v", list)
	}
}

// testAuditChain appends from many goroutines, in transactions that
// commit and that roll back, while two sealers run, and checks that the
// chain then holds every committed event exactly once.
func testAuditChain(t *testing.T, newStore NewStore) {
	s := newStore(t)
	ctx := context.Background()
	v, err := s.VerifyAudit(ctx)
	must(t, err)
	if !v.OK || v.Sealed != 0 || v.Unsealed != 0 || v.HeadSeq != 0 {
		t.Fatalf("empty log: %+v", v)
	}
	if n, err := s.SealAudit(ctx); err != nil || n != 0 {
		t.Fatalf("sealing an empty log = %d, %v", n, err)
	}

	event := func(w, i int) *motcua.AuditEvent {
		return &motcua.AuditEvent{ActorKind: "officer", ActorID: fmt.Sprintf("o%d", w), AgencyCode: "000.23.01.H08",
			Action: "dossier.receive", ObjectKind: "dossier", ObjectID: fmt.Sprintf("d%d-%d", w, i),
			Detail: fmt.Sprintf(`{"n":%d}`, i)}
	}
	var committed, sealed atomic.Int64
	stop := make(chan struct{})
	var sealers sync.WaitGroup
	for range 2 {
		sealers.Go(func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(time.Millisecond):
				}
				n, err := s.SealAudit(ctx)
				if err != nil {
					t.Errorf("SealAudit: %v", err)
					return
				}
				sealed.Add(int64(n))
			}
		})
	}
	var writers sync.WaitGroup
	for w := range 6 {
		writers.Go(func() {
			for i := range 24 {
				var err error
				switch i % 3 {
				case 0:
					err = s.AppendAudit(ctx, event(w, i), event(w, i+1000))
					if err == nil {
						committed.Add(2)
					}
				case 1:
					err = s.InTx(ctx, func(tx motcua.Store) error { return tx.AppendAudit(ctx, event(w, i)) })
					if err == nil {
						committed.Add(1)
					}
				case 2:
					err = s.InTx(ctx, func(tx motcua.Store) error {
						if err := tx.AppendAudit(ctx, event(w, i)); err != nil {
							return err
						}
						return errRollback
					})
					if errors.Is(err, errRollback) {
						err = nil
					}
				}
				if err != nil {
					t.Errorf("append: %v", err)
					return
				}
			}
		})
	}
	writers.Wait()
	close(stop)
	sealers.Wait()
	n, err := s.SealAudit(ctx)
	must(t, err)
	sealed.Add(int64(n))
	if sealed.Load() != committed.Load() {
		t.Fatalf("sealed %d events, %d were committed", sealed.Load(), committed.Load())
	}
	v, err = s.VerifyAudit(ctx)
	must(t, err)
	if !v.OK || v.Sealed != committed.Load() || v.Unsealed != 0 || v.HeadSeq != committed.Load() || len(v.HeadHash) != 64 {
		t.Fatalf("after concurrent appends: %+v, want %d sealed", v, committed.Load())
	}

	// An event appended later is unsealed until the next pass, which
	// chains it onto the head.
	must(t, s.AppendAudit(ctx, event(99, 1), event(99, 2)))
	after, err := s.VerifyAudit(ctx)
	must(t, err)
	if !after.OK || after.Unsealed != 2 || after.HeadHash != v.HeadHash {
		t.Fatalf("before sealing the new events: %+v", after)
	}
	if n, err := s.SealAudit(ctx); err != nil || n != 2 {
		t.Fatalf("SealAudit = %d, %v; want 2", n, err)
	}
	after, err = s.VerifyAudit(ctx)
	must(t, err)
	if !after.OK || after.Sealed != v.Sealed+2 || after.HeadSeq != v.HeadSeq+2 || after.Unsealed != 0 {
		t.Fatalf("after sealing the new events: %+v", after)
	}

	// More than a batch is sealed in several transactions, in one call.
	for b := range 3 {
		bulk := make([]*motcua.AuditEvent, 400)
		for i := range bulk {
			bulk[i] = event(200+b, i)
		}
		must(t, s.AppendAudit(ctx, bulk...))
	}
	if n, err := s.SealAudit(ctx); err != nil || n != 1200 {
		t.Fatalf("SealAudit of 1200 events = %d, %v", n, err)
	}
	v, err = s.VerifyAudit(ctx)
	must(t, err)
	if !v.OK || v.Sealed != after.Sealed+1200 || v.Unsealed != 0 {
		t.Fatalf("after sealing 1200 events: %+v", v)
	}

	// A transaction that appended before a pass and commits after it is
	// sealed by the next pass. SQLite's single writer cannot have another
	// write meanwhile.
	if serial, ok := s.(interface{ SerialWrites() bool }); ok && serial.SerialWrites() {
		return
	}
	appended, release := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- s.InTx(ctx, func(tx motcua.Store) error {
			if err := tx.AppendAudit(ctx, event(100, 1)); err != nil {
				return err
			}
			close(appended)
			<-release
			return nil
		})
	}()
	<-appended
	must(t, s.AppendAudit(ctx, event(100, 2)))
	if n, err := s.SealAudit(ctx); err != nil || n != 1 {
		t.Fatalf("SealAudit with a transaction open = %d, %v; want 1", n, err)
	}
	close(release)
	must(t, <-errc)
	if n, err := s.SealAudit(ctx); err != nil || n != 1 {
		t.Fatalf("SealAudit after the late commit = %d, %v; want 1", n, err)
	}
	after, err = s.VerifyAudit(ctx)
	must(t, err)
	if !after.OK || after.Sealed != v.Sealed+2 || after.Unsealed != 0 {
		t.Fatalf("after the late commit: %+v", after)
	}
}

// testAuditTamper changes the log behind the store's back, as someone
// with access to the database could, and checks that VerifyAudit names
// the first event that no longer fits.
func testAuditTamper(t *testing.T, newStore NewStore) {
	ctx := context.Background()
	// sealedLog returns a store whose chain holds ten events, ids[k] at
	// position k, and raw SQL on its database.
	sealedLog := func(t *testing.T) (motcua.Store, []string, *sqlExec) {
		s := newStore(t)
		st, ok := s.(*sqldb.Store)
		if !ok {
			t.Skipf("tampering needs raw SQL; %T is not a sqldb.Store", s)
		}
		base := time.Date(2024, 3, 20, 1, 0, 0, 0, time.UTC)
		ids := []string{""}
		for i := range 10 {
			e := &motcua.AuditEvent{At: base.Add(time.Duration(i) * time.Minute), ActorKind: "officer", ActorID: "o1",
				Action: "document.read", ObjectKind: "document", ObjectID: fmt.Sprintf("d%d", i), Detail: "{}"}
			must(t, s.AppendAudit(ctx, e))
			ids = append(ids, e.ID)
		}
		if n, err := s.SealAudit(ctx); err != nil || n != 10 {
			t.Fatalf("SealAudit = %d, %v", n, err)
		}
		return s, ids, &sqlExec{t: t, st: st}
	}
	verify := func(t *testing.T, s motcua.Store, seq int64, id, problem string) {
		t.Helper()
		v, err := s.VerifyAudit(ctx)
		must(t, err)
		if v.OK || v.BrokenSeq != seq || v.BrokenID != id || !strings.Contains(v.Problem, problem) {
			t.Fatalf("VerifyAudit = %+v; want broken at %d (%q) with %q", v, seq, id, problem)
		}
	}

	t.Run("Guards", func(t *testing.T) {
		t.Parallel()
		s, ids, db := sealedLog(t)
		must(t, s.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: "system", Action: "x", ObjectKind: "y", ObjectID: "z"}))
		for _, q := range []string{
			"UPDATE audit_events SET detail = 'x' WHERE chain_seq = 3",
			"UPDATE audit_events SET chain_seq = NULL, prev_hash = NULL, hash = NULL WHERE chain_seq = 10",
			"DELETE FROM audit_events WHERE chain_seq = 3",
			"UPDATE audit_events SET detail = 'x' WHERE chain_seq IS NULL",
			"UPDATE audit_events SET detail = 'x', chain_seq = 11, prev_hash = '', hash = '' WHERE chain_seq IS NULL",
			"UPDATE audit_chain SET chain_seq = 0",
			"DELETE FROM audit_chain",
		} {
			if err := db.try(q); err == nil {
				t.Errorf("%s: the database allowed it", q)
			}
		}
		v, err := s.VerifyAudit(ctx)
		must(t, err)
		if !v.OK || v.Sealed != 10 || v.Unsealed != 1 {
			t.Fatalf("after refused changes: %+v", v)
		}
		// Sealing chains the new event onto the last hash.
		if n, err := s.SealAudit(ctx); err != nil || n != 1 {
			t.Fatalf("SealAudit = %d, %v", n, err)
		}
		var prev10, hash10, prev11 string
		db.scan("SELECT prev_hash, hash FROM audit_events WHERE id = ?", []any{ids[10]}, &prev10, &hash10)
		db.scan("SELECT prev_hash FROM audit_events WHERE chain_seq = 11", nil, &prev11)
		if prev11 != hash10 || prev10 == "" {
			t.Fatalf("event 11 links to %q, event 10's hash is %q", prev11, hash10)
		}
	})
	cases := []struct {
		name    string
		tamper  []string
		seq     int64
		id      int // index into ids; 0: no row holds the position
		problem string
	}{
		{"Changed", []string{"UPDATE audit_events SET detail = '{\"x\":1}' WHERE chain_seq = 4"}, 4, 4, "changed after it was sealed"},
		{"Deleted", []string{"DELETE FROM audit_events WHERE chain_seq = 5"}, 5, 0, "event 5 is missing"},
		{"DeletedAndRenumbered", []string{
			"DELETE FROM audit_events WHERE chain_seq = 5",
			"UPDATE audit_events SET chain_seq = chain_seq + 1000 WHERE chain_seq > 5",
			"UPDATE audit_events SET chain_seq = chain_seq - 1001 WHERE chain_seq > 1000",
			"UPDATE audit_chain SET chain_seq = 9",
		}, 5, 6, "does not link"},
		{"Reordered", []string{
			"UPDATE audit_events SET chain_seq = 1003 WHERE chain_seq = 3",
			"UPDATE audit_events SET chain_seq = 3 WHERE chain_seq = 7",
			"UPDATE audit_events SET chain_seq = 7 WHERE chain_seq = 1003",
		}, 3, 7, "does not link"},
		{"Truncated", []string{"DELETE FROM audit_events WHERE chain_seq >= 9"}, 9, 0, "events 9 to 10 are missing"},
		{"HeadForged", []string{"UPDATE audit_chain SET hash = 'forged'"}, 10, 10, "chain head"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, ids, db := sealedLog(t)
			db.disableGuards()
			for _, q := range c.tamper {
				db.exec(q)
			}
			verify(t, s, c.seq, ids[c.id], c.problem)
		})
	}
	// Rewriting an event together with its own hash (SHA-256 has no
	// key) still breaks the link from the next event.
	t.Run("Rehashed", func(t *testing.T) {
		t.Parallel()
		s, ids, db := sealedLog(t)
		db.disableGuards()
		var prev string
		db.scan("SELECT prev_hash FROM audit_events WHERE chain_seq = 4", nil, &prev)
		events, err := s.ListAudit(ctx, motcua.AuditFilter{ObjectKind: "document", ObjectID: "d3"})
		must(t, err)
		if len(events) != 1 || events[0].ID != ids[4] {
			t.Fatalf("event 4 = %+v", events)
		}
		e := events[0]
		e.Detail = `{"forged":true}`
		db.exec("UPDATE audit_events SET detail = ?, hash = ? WHERE chain_seq = 4", e.Detail, motcua.AuditChainHash(prev, 4, e))
		verify(t, s, 5, ids[5], "event 5 does not link to event 4")
	})
}

// sqlExec runs raw SQL on a sqldb store's database.
type sqlExec struct {
	t  *testing.T
	st *sqldb.Store
}

func (x *sqlExec) try(q string, args ...any) error {
	_, err := x.st.DB().ExecContext(context.Background(), x.st.Dialect().Rebind(q), args...)
	return err
}

func (x *sqlExec) exec(q string, args ...any) {
	x.t.Helper()
	if err := x.try(q, args...); err != nil {
		x.t.Fatalf("%s: %v", q, err)
	}
}

func (x *sqlExec) scan(q string, args []any, dest ...any) {
	x.t.Helper()
	if err := x.st.DB().QueryRowContext(context.Background(), x.st.Dialect().Rebind(q), args...).Scan(dest...); err != nil {
		x.t.Fatalf("%s: %v", q, err)
	}
}

// disableGuards removes the triggers that keep the log append-only, as
// the owner of the database can.
func (x *sqlExec) disableGuards() {
	x.t.Helper()
	switch x.st.Dialect().Name() {
	case "sqlite":
		for _, tr := range []string{"audit_events_no_update", "audit_events_no_delete", "audit_chain_forward", "audit_chain_no_delete"} {
			x.exec("DROP TRIGGER " + tr)
		}
	case "postgres":
		x.exec("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update")
		x.exec("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_delete")
		x.exec("ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_forward")
	default:
		x.t.Skipf("no way to disable the audit triggers of dialect %s", x.st.Dialect().Name())
	}
}
