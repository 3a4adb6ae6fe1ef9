package sqldb

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCacheSize bounds the cached statements per pool: the fixed queries
// fit many times over; queries built with a variable number of
// placeholders beyond that run unprepared.
const stmtCacheSize = 512

// stmtCache holds one *sql.Stmt per pool and query; database/sql
// prepares it lazily on each connection and keeps it there.
type stmtCache struct {
	mu      sync.Mutex
	m       map[stmtKey]*sql.Stmt
	pending map[stmtKey]bool // being prepared
}

type stmtKey struct {
	db    *sql.DB
	query string
}

// preparedStmt is a cached statement, bound to the transaction when the
// store is inside one.
type preparedStmt struct {
	*sql.Stmt
	tx bool
}

// close releases a transaction-bound statement; cached ones stay open.
func (p preparedStmt) close() {
	if p.tx {
		_ = p.Stmt.Close()
	}
}

// prepared returns the cached statement for query on db (or, inside a
// transaction, on the transaction's connection), preparing it the first
// time; nil when the store does not cache statements or preparing failed
// (the caller then runs the query directly and reports its error).
func (s *Store) prepared(ctx context.Context, db *sql.DB, query string) *preparedStmt {
	if s.stmts == nil {
		return nil
	}
	if s.tx != nil {
		db = s.writeDB
	}
	q := s.d.Rebind(query)
	key := stmtKey{db, q}
	c := s.stmts
	c.mu.Lock()
	st, ok := c.m[key]
	if !ok && (c.pending[key] || len(c.m)+len(c.pending) >= stmtCacheSize) {
		c.mu.Unlock()
		return nil
	}
	if !ok {
		if c.m == nil {
			c.m = make(map[stmtKey]*sql.Stmt)
			c.pending = make(map[stmtKey]bool)
		}
		c.pending[key] = true
	}
	c.mu.Unlock()
	if !ok {
		// Preparing on the pool takes a connection; inside a transaction
		// on SQLite's single writer that would wait for the transaction
		// itself, so the statement is prepared in the background and this
		// call runs unprepared.
		prepare := func() *sql.Stmt {
			st, err := db.PrepareContext(context.WithoutCancel(ctx), q)
			c.mu.Lock()
			defer c.mu.Unlock()
			delete(c.pending, key)
			if err != nil {
				return nil
			}
			c.m[key] = st
			return st
		}
		if s.tx != nil {
			go prepare()
			return nil
		}
		if st = prepare(); st == nil {
			return nil
		}
	}
	if s.tx != nil {
		return &preparedStmt{Stmt: s.tx.StmtContext(ctx, st), tx: true}
	}
	return &preparedStmt{Stmt: st}
}
