package storetest

import (
	"context"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/sqldb"
)

// RunSchema checks migration and the schema-version guard. open returns
// a store on an empty database that has not been migrated.
func RunSchema(t *testing.T, open func(t *testing.T) *sqldb.Store) {
	t.Parallel()
	ctx := context.Background()
	s := open(t)
	err := s.CheckSchema(ctx)
	wantErr(t, err, motcua.ESCHEMA, "schema_out_of_date")
	n, err := s.Migrate(ctx)
	must(t, err)
	_, latest, err := s.SchemaVersions(ctx)
	must(t, err)
	if n != latest || n == 0 {
		t.Fatalf("Migrate applied %d migrations, want %d", n, latest)
	}
	must(t, s.CheckSchema(ctx))
	if n, err = s.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("second Migrate = %d, %v; want 0, nil", n, err)
	}
	// A newer binary migrated this database: this one must refuse it.
	_, err = s.DB().ExecContext(ctx, s.Dialect().Rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
		latest+1, "9999_future.sql", 0)
	must(t, err)
	wantErr(t, s.CheckSchema(ctx), motcua.ESCHEMA, "schema_too_new")
	_, err = s.Migrate(ctx)
	wantErr(t, err, motcua.ESCHEMA, "schema_too_new")
}
