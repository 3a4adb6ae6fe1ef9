package storetest

import (
	"context"
	"regexp"
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
	checkRuleFreeSchema(t, s)
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

// ruleInSQL matches what would be an indicator's rule or Vietnam's clock in
// SQL: a trigger, function or index reading a dossier's facts (receipt,
// due and finish dates, channel, reuse, verification, digitization,
// results) rather than the contribution columns Go computed, or turning an
// instant into a day.
var ruleInSQL = regexp.MustCompile(`(?i)\b(new|old|d)\.(received_at|finished_at|due_at|channel|reused|owner_verified|digitized|` +
	`e_result|missed_reuse|result_expected)\b|25200|86400|finished_at is (not )?null|missed_reuse and|unixepoch`)

// checkRuleFreeSchema checks issue 14's rule that the migrated schema's
// triggers, functions and indexes only add up what Go computed: no
// indicator formula and no time zone lives in SQL.
func checkRuleFreeSchema(t *testing.T, s *sqldb.Store) {
	t.Helper()
	q := `SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN ('trigger', 'index', 'view')`
	if s.Dialect().Name() == "postgres" {
		q = `SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()
			UNION ALL SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
				JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND NOT t.tgisinternal
			UNION ALL SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()`
	}
	rows, err := s.DB().QueryContext(context.Background(), q)
	must(t, err)
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name, def string
		must(t, rows.Scan(&name, &def))
		n++
		if m := ruleInSQL.FindString(def); m != "" {
			t.Errorf("%s holds a rule in SQL (%q):\n%s", name, m, def)
		}
	}
	must(t, rows.Err())
	if n < 10 {
		t.Fatalf("read only %d triggers, functions and indexes", n)
	}
}
