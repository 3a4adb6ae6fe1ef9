// Package sqlite is the embedded default backend: one SQLite file in WAL
// mode, written through a single connection and read through a pool.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

type dialect struct{}

func (dialect) Name() string               { return "sqlite" }
func (dialect) Rebind(query string) string { return query }

func (dialect) IsUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code()
		return code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

func (dialect) Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embedded folder is part of the binary
	}
	return sub
}

// dsn builds the connection string. busy_timeout comes first so that the
// pragmas after it wait for, instead of failing on, a lock held by another
// process. synchronous(FULL) makes every commit durable: a dossier code or
// a document row must survive a power cut once the user saw it.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		// Reads map the file instead of copying pages through pread: a
		// 20–50% lower median on a 10 M-document warehouse (bench/README.md).
		q.Add("_pragma", "mmap_size(268435456)")
	} else {
		// Take the write lock at BEGIN: a deferred transaction that reads
		// first and writes later can fail with SQLITE_BUSY when another
		// process wrote meanwhile.
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating when missing) the database file at path. It does
// not migrate; call Migrate or CheckSchema.
func Open(ctx context.Context, path string) (*sqldb.Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, motcua.Internal(fmt.Errorf("create database folder: %w", err))
	}
	if strings.ContainsAny(path, "?#") {
		return nil, motcua.Internal(fmt.Errorf("database path %q must not contain '?' or '#'", path))
	}
	writeDB, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("open %s: %w", path, err))
	}
	writeDB.SetMaxOpenConns(1)
	writeDB.SetConnMaxIdleTime(0)
	// Create the file and switch it to WAL before readers connect.
	if err := writeDB.PingContext(ctx); err != nil {
		writeDB.Close()
		return nil, motcua.Internal(fmt.Errorf("open %s: %w", path, err))
	}
	readDB, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		writeDB.Close()
		return nil, motcua.Internal(fmt.Errorf("open %s: %w", path, err))
	}
	readDB.SetMaxOpenConns(max(4, runtime.NumCPU()))
	return sqldb.New(dialect{}, writeDB, readDB).CacheStatements(), nil
}

// VacuumInto writes a transactionally consistent copy of the database
// file at path into dest (VACUUM INTO) on a connection of its own. In WAL
// mode VACUUM INTO only holds a read transaction on the source: the copy
// is the snapshot of its start while the server's writer keeps
// committing. (The read pool's query_only connections refuse it, and the
// single writer connection would queue every write behind the copy.)
func VacuumInto(ctx context.Context, path, dest string) error {
	if strings.ContainsAny(path, "?#") {
		return motcua.Internal(fmt.Errorf("database path %q must not contain '?' or '#'", path))
	}
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return motcua.Internal(fmt.Errorf("open %s: %w", path, err))
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		return motcua.Internal(fmt.Errorf("copy %s: %w", path, err))
	}
	return nil
}
