package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/sqlite"
)

// VacuumInto copies the committed state while the writer holds an open
// transaction: it needs no write lock (the backup no longer stalls the
// server's writes), and the copy has none of the uncommitted rows.
func TestVacuumIntoBesideAnOpenWrite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "motcua.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	committed := &motcua.Agency{Code: "000.00.00.H08", Name: "UBND tỉnh Bình Định", Level: motcua.LevelProvince}
	if err := s.CreateAgency(ctx, committed); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(dir, "copy.db")
	err = s.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.CreateAgency(ctx, &motcua.Agency{Code: "000.00.01.H08", Name: "UBND huyện An Lão", Level: motcua.LevelDistrict,
			ParentCode: committed.Code}); err != nil {
			return err
		}
		// The writer holds the write lock until this function returns.
		return sqlite.VacuumInto(ctx, path, dest)
	})
	if err != nil {
		t.Fatal(err)
	}
	cp, err := sqlite.Open(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if _, err := cp.GetAgency(ctx, committed.Code); err != nil {
		t.Fatalf("the copy lacks the committed agency: %v", err)
	}
	if _, err := cp.GetAgency(ctx, "000.00.01.H08"); !motcua.IsKind(err, motcua.ENOTFOUND) {
		t.Fatalf("the copy holds a row not yet committed: %v", err)
	}
}
