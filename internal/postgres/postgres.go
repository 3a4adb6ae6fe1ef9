// Package postgres is the backend for provincial and national scale.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

type dialect struct{}

func (dialect) Name() string { return "postgres" }

// Rebind turns each '?' into $1, $2, …; the shared queries hold no '?'
// inside string literals.
func (dialect) Rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

func (dialect) IsUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

func (dialect) Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embedded folder is part of the binary
	}
	return sub
}

// Open connects to the database at url (postgres://…). It does not
// migrate; call Migrate or CheckSchema.
func Open(ctx context.Context, url string) (*sqldb.Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("open postgres: %w", err))
	}
	// A few connections per core: more only make the server switch
	// between backends (on 2 cores, 5 connections serve 64 concurrent
	// submissions at twice the rate 32 did).
	conns := 2*runtime.NumCPU() + 1
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, motcua.Internal(fmt.Errorf("connect to postgres: %w", err))
	}
	return sqldb.New(dialect{}, db, db), nil
}
