package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// sqliteWriter bulk-loads through its own connection: synchronous=OFF is
// safe for a load that can be redone (--resume), and only this connection
// uses it; the database stays in WAL mode for the server.
type sqliteWriter struct {
	path string
	db   *sql.DB
}

// Rows per multi-row INSERT; 100 × 30 columns stays far below SQLite's
// 32766 variables.
const rowsPerInsert = 100

func openSQLiteWriter(ctx context.Context, path string) (*sqliteWriter, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(OFF)")
	q.Add("_pragma", "cache_size(-4194304)") // 4 GiB: keeps the randomly inserted indexes in memory
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &sqliteWriter{path: path, db: db}, nil
}

func insertSQL(table string, columns []string, rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	return "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}

func (w *sqliteWriter) insertRows(ctx context.Context, tx *sql.Tx, table string, columns []string, rows [][]any) error {
	full, err := tx.PrepareContext(ctx, insertSQL(table, columns, rowsPerInsert))
	if err != nil {
		return err
	}
	defer full.Close()
	args := make([]any, 0, rowsPerInsert*len(columns))
	for len(rows) > 0 {
		n := min(len(rows), rowsPerInsert)
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if n == rowsPerInsert {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insertSQL(table, columns, n), args...)
		}
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

func (w *sqliteWriter) writeBatch(ctx context.Context, b *batch) error {
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := w.insertRows(ctx, tx, "subjects", subjectColumns, b.subjects); err != nil {
		return err
	}
	if err := w.insertRows(ctx, tx, "documents", documentColumns, b.documents); err != nil {
		return err
	}
	return tx.Commit()
}

func (w *sqliteWriter) finish(ctx context.Context, analyze bool) error {
	if analyze {
		if _, err := w.db.ExecContext(ctx, "ANALYZE"); err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
	}
	if _, err := w.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if fi, err := os.Stat(w.path); err == nil {
		fmt.Printf("database file: %.2f GB\n", float64(fi.Size())/1e9)
	}
	return nil
}

func (w *sqliteWriter) exec(ctx context.Context, stmt string) error {
	_, err := w.db.ExecContext(ctx, stmt)
	return err
}

func (w *sqliteWriter) close() error { return w.db.Close() }

// postgresWriter loads with COPY, one transaction per batch, without
// waiting for the WAL flush at each commit (synchronous_commit=off, this
// session only).
type postgresWriter struct {
	conn *pgx.Conn
}

func openPostgresWriter(ctx context.Context, url string) (*postgresWriter, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	for _, set := range []string{"SET synchronous_commit = off", "SET maintenance_work_mem = '1GB'"} {
		if _, err := conn.Exec(ctx, set); err != nil {
			conn.Close(ctx)
			return nil, err
		}
	}
	return &postgresWriter{conn: conn}, nil
}

func (w *postgresWriter) writeBatch(ctx context.Context, b *batch) error {
	tx, err := w.conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"subjects"}, subjectColumns, pgx.CopyFromRows(b.subjects)); err != nil {
		return fmt.Errorf("copy subjects: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"documents"}, documentColumns, pgx.CopyFromRows(b.documents)); err != nil {
		return fmt.Errorf("copy documents: %w", err)
	}
	return tx.Commit(ctx)
}

func (w *postgresWriter) finish(ctx context.Context, _ bool) error {
	for _, t := range []string{"subjects", "documents"} {
		if _, err := w.conn.Exec(ctx, "VACUUM ANALYZE "+t); err != nil {
			return fmt.Errorf("vacuum %s: %w", t, err)
		}
	}
	var size string
	if err := w.conn.QueryRow(ctx, "SELECT pg_size_pretty(pg_database_size(current_database()))").Scan(&size); err == nil {
		fmt.Printf("database size: %s\n", size)
	}
	return nil
}

func (w *postgresWriter) exec(ctx context.Context, stmt string) error {
	_, err := w.conn.Exec(ctx, stmt)
	return err
}

func (w *postgresWriter) close() error { return w.conn.Close(context.Background()) }

// discard is the --dry-run writer.
type discard struct{}

func (discard) writeBatch(context.Context, *batch) error { return nil }
func (discard) finish(context.Context, bool) error       { return nil }
func (discard) exec(context.Context, string) error       { return nil }
func (discard) close() error                             { return nil }
