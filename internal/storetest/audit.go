package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua"
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

	// Commit. The rolled-back allocation burnt no number where numbers are
	// taken in the transaction (SQLite); a store that takes them in their
	// own short transaction (PostgreSQL) leaves a gap.
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
	if len(list) != 1 || (list[0].Code != a.Code+"-240505-0001" && list[0].Code != a.Code+"-240505-0002") {
		t.Fatalf("after commit = %+v", list)
	}
}
