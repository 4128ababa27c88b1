package sqlitefile

import (
	"context"
	"database/sql/driver"
)

// conn_ passes every call to the driver's connection and explains the
// errors of those that touch the file. modernc.org/sqlite implements each
// optional interface used here; without one, database/sql is told to fall
// back (driver.ErrSkip) as it would be by the driver itself.
type conn_ struct {
	inner driver.Conn
	path  string
}

func (c *conn_) explain(err error) error { return Explain(err, c.path) }

func (c *conn_) Prepare(query string) (driver.Stmt, error) {
	s, err := c.inner.Prepare(query)
	if err != nil {
		return nil, c.explain(err)
	}
	return &stmt{inner: s, c: c}, nil
}

func (c *conn_) Close() error { return c.explain(c.inner.Close()) }

func (c *conn_) Begin() (driver.Tx, error) {
	t, err := c.inner.Begin()
	if err != nil {
		return nil, c.explain(err)
	}
	return &tx{inner: t, c: c}, nil
}

func (c *conn_) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	b, ok := c.inner.(driver.ConnBeginTx)
	if !ok {
		return c.Begin()
	}
	t, err := b.BeginTx(ctx, opts)
	if err != nil {
		return nil, c.explain(err)
	}
	return &tx{inner: t, c: c}, nil
}

func (c *conn_) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	p, ok := c.inner.(driver.ConnPrepareContext)
	if !ok {
		return c.Prepare(query)
	}
	s, err := p.PrepareContext(ctx, query)
	if err != nil {
		return nil, c.explain(err)
	}
	return &stmt{inner: s, c: c}, nil
}

func (c *conn_) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.inner.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	r, err := e.ExecContext(ctx, query, args)
	return r, c.explain(err)
}

func (c *conn_) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.inner.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	r, err := q.QueryContext(ctx, query, args)
	return r, c.explain(err)
}

func (c *conn_) Ping(ctx context.Context) error {
	if p, ok := c.inner.(driver.Pinger); ok {
		return c.explain(p.Ping(ctx))
	}
	return nil
}

func (c *conn_) ResetSession(ctx context.Context) error {
	if r, ok := c.inner.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *conn_) IsValid() bool {
	if v, ok := c.inner.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

type tx struct {
	inner driver.Tx
	c     *conn_
}

func (t *tx) Commit() error   { return t.c.explain(t.inner.Commit()) }
func (t *tx) Rollback() error { return t.c.explain(t.inner.Rollback()) }

type stmt struct {
	inner driver.Stmt
	c     *conn_
}

func (s *stmt) Close() error  { return s.c.explain(s.inner.Close()) }
func (s *stmt) NumInput() int { return s.inner.NumInput() }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	r, err := s.inner.Exec(args)
	return r, s.c.explain(err)
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	r, err := s.inner.Query(args)
	return r, s.c.explain(err)
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	e, ok := s.inner.(driver.StmtExecContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	r, err := e.ExecContext(ctx, args)
	return r, s.c.explain(err)
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := s.inner.(driver.StmtQueryContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	r, err := q.QueryContext(ctx, args)
	return r, s.c.explain(err)
}
