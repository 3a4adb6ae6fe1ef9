package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
)

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".sql" {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %q: name must be NNNN_name.sql", name)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %q: versions must be 1, 2, 3… without gaps", m.name)
		}
	}
	return ms, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at BIGINT NOT NULL
)`

// SchemaVersions returns the schema version of the database and the
// newest version this binary knows.
func (s *Store) SchemaVersions(ctx context.Context) (current, latest int, err error) {
	ms, err := loadMigrations(s.d.Migrations())
	if err != nil {
		return 0, 0, motcua.Internal(err)
	}
	if _, err := s.writeDB.ExecContext(ctx, createMigrationsTable); err != nil {
		return 0, 0, motcua.Internal(fmt.Errorf("create schema_migrations: %w", err))
	}
	var v sql.NullInt64
	if err := s.writeDB.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, 0, motcua.Internal(fmt.Errorf("read schema version: %w", err))
	}
	return int(v.Int64), len(ms), nil
}

// CheckSchema returns an ESCHEMA error unless the database schema is
// exactly the one this binary expects.
func (s *Store) CheckSchema(ctx context.Context) error {
	current, latest, err := s.SchemaVersions(ctx)
	if err != nil {
		return err
	}
	switch {
	case current > latest:
		return &motcua.Error{Kind: motcua.ESCHEMA, Code: "schema_too_new", Message: fmt.Sprintf(
			"database schema version %d is newer than this motcua binary supports (%d); upgrade motcua", current, latest)}
	case current < latest:
		return &motcua.Error{Kind: motcua.ESCHEMA, Code: "schema_out_of_date", Message: fmt.Sprintf(
			"database schema version %d is older than this motcua binary expects (%d); run `motcua migrate` or `motcua serve --migrate`", current, latest)}
	}
	return nil
}

// afterMigration runs Go in a migration's transaction, after its SQL.
var afterMigration = map[int]func(ctx context.Context, tx *Store) error{
	// 0014 adds the indicator contribution columns: compute them for every
	// dossier and rebuild the summaries from them, before 0015 creates the
	// triggers that keep them.
	14: func(ctx context.Context, tx *Store) error {
		_, err := tx.rebuildIndicators(ctx)
		return err
	},
}

// Migrate applies every pending migration, each in its own transaction,
// and returns how many it applied. A schema newer than the binary is an
// ESCHEMA error and nothing is changed.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	if s.d.Name() == "postgres" {
		// Nodes of a cluster started at once migrate one after the other:
		// the later ones then find nothing pending. (SQLite's single
		// writer serialises them already.)
		conn, err := s.writeDB.Conn(ctx)
		if err != nil {
			return 0, motcua.Internal(fmt.Errorf("migration lock: %w", err))
		}
		defer conn.Close()
		// One lock per schema: databases holding several (tests) do not
		// queue behind each other.
		const key = "hashtext('motcua migrate ' || current_schema())"
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock("+key+")"); err != nil {
			return 0, motcua.Internal(fmt.Errorf("migration lock: %w", err))
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock("+key+")")
	}
	current, latest, err := s.SchemaVersions(ctx)
	if err != nil {
		return 0, err
	}
	if current > latest {
		return 0, s.CheckSchema(ctx)
	}
	ms, err := loadMigrations(s.d.Migrations())
	if err != nil {
		return 0, motcua.Internal(err)
	}
	applied := 0
	for _, m := range ms[current:] {
		err := s.inTx(ctx, func(tx *Store) error {
			if _, err := tx.tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("apply migration %s: %w", m.name, err)
			}
			if after := afterMigration[m.version]; after != nil {
				if err := after(ctx, tx); err != nil {
					return fmt.Errorf("after migration %s: %w", m.name, err)
				}
			}
			_, err := tx.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, s.now().UnixMicro())
			return err
		})
		if err != nil {
			return applied, motcua.Internal(err)
		}
		applied++
	}
	return applied, nil
}
