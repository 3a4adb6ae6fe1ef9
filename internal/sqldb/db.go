// Package sqldb implements motcua.Store on database/sql. The SQLite and
// PostgreSQL backends (internal/sqlite, internal/postgres) each supply a
// Dialect — placeholder syntax, error classification, migrations — and
// their own connection set-up; the queries, written in the SQL both
// dialects share, live here once.
package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/motcua/motcua"
)

// Dialect is what differs between the backends.
type Dialect interface {
	// Name is "sqlite" or "postgres".
	Name() string
	// Rebind rewrites the '?' placeholders of a query into the dialect's syntax.
	Rebind(query string) string
	// IsUniqueViolation reports whether err is a unique-constraint violation.
	IsUniqueViolation(err error) bool
	// Migrations holds NNNN_name.sql files applied in order.
	Migrations() fs.FS
}

// Store implements motcua.Store.
type Store struct {
	d       Dialect
	writeDB *sql.DB
	readDB  *sql.DB
	tx      *sql.Tx // set inside InTx; every query then runs on it
	now     func() time.Time
	stmts   *stmtCache // nil: statements are prepared by the driver per call
	refs    *refCache
	txDone  *[]func() // run after the transaction ends, committed or not
	// txRefs remembers, inside a transaction, the agency and category
	// codes already found to exist: no store method deletes either, so
	// an import of thousands of procedures naming the same agencies
	// checks each once.
	txRefs map[string]bool
}

var _ motcua.Store = (*Store)(nil)

// New builds a Store. writeDB receives every write and every transaction;
// readDB serves reads outside transactions (SQLite uses one writer
// connection and a read pool; PostgreSQL passes the same pool twice).
func New(d Dialect, writeDB, readDB *sql.DB) *Store {
	return &Store{d: d, writeDB: writeDB, readDB: readDB, now: time.Now, refs: newRefCache(refTTL)}
}

// CacheStatements keeps prepared statements per connection for the
// store's fixed queries, for drivers that do not cache them themselves
// (SQLite parses every query again otherwise; pgx has its own cache).
func (s *Store) CacheStatements() *Store {
	s.stmts = &stmtCache{}
	return s
}

// SerialWrites reports whether the store has a single writer connection
// (SQLite), so that writes queue rather than run in parallel.
func (s *Store) SerialWrites() bool { return s.writeDB.Stats().MaxOpenConnections == 1 }

// Dialect returns the store's dialect.
func (s *Store) Dialect() Dialect { return s.d }

// Close closes both pools.
func (s *Store) Close() error {
	err := s.writeDB.Close()
	if s.readDB != s.writeDB {
		err = errors.Join(err, s.readDB.Close())
	}
	return err
}

// Ping checks both pools.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.writeDB.PingContext(ctx); err != nil {
		return motcua.Internal(fmt.Errorf("ping database: %w", err))
	}
	if err := s.readDB.PingContext(ctx); err != nil {
		return motcua.Internal(fmt.Errorf("ping database: %w", err))
	}
	return nil
}

// InTx implements motcua.Store.
func (s *Store) InTx(ctx context.Context, fn func(tx motcua.Store) error) error {
	return s.inTx(ctx, func(tx *Store) error { return fn(tx) })
}

func (s *Store) inTx(ctx context.Context, fn func(tx *Store) error) (err error) {
	if s.tx != nil {
		return fn(s)
	}
	sqlTx, err := s.writeDB.BeginTx(ctx, nil)
	if err != nil {
		return motcua.Internal(fmt.Errorf("begin transaction: %w", err))
	}
	txs := *s
	txs.tx = sqlTx
	txs.txRefs = map[string]bool{}
	var done []func()
	txs.txDone = &done
	defer func() {
		for _, f := range done {
			f()
		}
	}()
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
			return
		}
		if cerr := sqlTx.Commit(); cerr != nil {
			err = motcua.Internal(fmt.Errorf("commit: %w", cerr))
		}
	}()
	return fn(&txs)
}

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) writer() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.writeDB
}

func (s *Store) reader() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.readDB
}

func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := s.prepared(ctx, s.writeDB, query); st != nil {
		defer st.close()
		return st.ExecContext(ctx, args...)
	}
	return s.writer().ExecContext(ctx, s.d.Rebind(query), args...)
}

func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := s.prepared(ctx, s.readDB, query); st != nil {
		// A transaction's statement must stay open while its rows are
		// read; it is closed with the transaction.
		return st.QueryContext(ctx, args...)
	}
	return s.reader().QueryContext(ctx, s.d.Rebind(query), args...)
}

func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := s.prepared(ctx, s.readDB, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.reader().QueryRowContext(ctx, s.d.Rebind(query), args...)
}

// queryRowWrite reads through the writer, for reads whose answer a write
// in the same operation depends on.
func (s *Store) queryRowWrite(ctx context.Context, query string, args ...any) *sql.Row {
	if st := s.prepared(ctx, s.writeDB, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.writer().QueryRowContext(ctx, s.d.Rebind(query), args...)
}

// exists reports whether table has a row with column = key.
func (s *Store) exists(ctx context.Context, table, column, key string) (bool, error) {
	var one int
	err := s.queryRowWrite(ctx, "SELECT 1 FROM "+table+" WHERE "+column+" = ?", key).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, motcua.Internal(fmt.Errorf("check %s %s: %w", table, key, err))
	}
	return true, nil
}

// requireRef returns EINVALID (code) when table has no row with column = key.
func (s *Store) requireRef(ctx context.Context, table, column, key, field, code, message string) error {
	ok, err := s.exists(ctx, table, column, key)
	if err != nil {
		return err
	}
	if !ok {
		return motcua.Invalid(field, code, message)
	}
	return nil
}

// insertErr maps an insert failure: a unique violation is ECONFLICT.
func (s *Store) insertErr(err error, entity, key string) error {
	if s.d.IsUniqueViolation(err) {
		return motcua.Conflict(entity, key)
	}
	return motcua.Internal(fmt.Errorf("insert %s %s: %w", entity, key, err))
}

// affectedOne returns ENOTFOUND when a write touched no row.
func affectedOne(res sql.Result, entity, key string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return motcua.Internal(fmt.Errorf("update %s %s: %w", entity, key, err))
	}
	if n == 0 {
		return motcua.NotFound(entity, key)
	}
	return nil
}

// NewID returns a 28-character, time-ordered, random identifier.
func NewID(now time.Time) string {
	var b [14]byte
	ms := uint64(now.UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	_, _ = rand.Read(b[6:])
	return hex.EncodeToString(b[:])
}

// micros stores instants as UTC microseconds since the Unix epoch; both
// dialects order and compare them the same way. NULL for the zero time.
func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func fromMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

func clampLimit(limit, def, max int) int {
	if limit <= 0 {
		return def
	}
	if limit > max {
		return max
	}
	return limit
}

// DB returns the write pool, for tests and tools that need raw SQL.
func (s *Store) DB() *sql.DB { return s.writeDB }
