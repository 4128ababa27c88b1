// Package sqlite is the embedded candle sink: one SQLite table keyed by
// (pair, interval, ts), written through modernc.org/sqlite (pure Go, no cgo),
// so candlekeep runs with nothing else installed.
//
// Durability: the database runs in WAL mode with synchronous=FULL. A Write
// returns only after its transaction has committed and the WAL has been
// synced to disk, so a confirmed batch survives a killed process, an
// operating-system crash and a power cut alike: state, which records a batch
// only after Write returned, can never claim rows this file lost. At 10,000
// rows per batch the sync costs too little to measure against the inserts.
//
// Concurrency: SQLite admits one writer at a time. All writers of a Sink
// share one connection behind a mutex, so workers queue in Go instead of
// meeting SQLITE_BUSY, and the connection's page cache stays warm. Reads
// (ReadBack, Candles) use other pooled connections and, thanks to WAL, never
// wait for a writer.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/feefifofunds/candlekeep/internal/sqlitefile"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
)

// busyTimeoutMillis bounds how long a connection waits for a lock held by
// another process (a second candlekeep, or a user's sqlite3 shell).
const busyTimeoutMillis = 10000

// Sink stores candles in one table of a SQLite database file.
type Sink struct {
	db     *sql.DB
	path   string
	table  string // as configured
	quoted string // table name quoted for SQL

	writeMu sync.Mutex          // serializes writers; guards everything below
	wconn   *sql.Conn           // the one connection all writers share
	inserts map[int]insertStmt  // multi-row INSERTs by row count
	args    []driver.NamedValue // reused between statements
	closed  bool
}

var (
	_ sinks.Sink = (*Sink)(nil)
)

// Open opens (creating if needed) the database file at path, and its parent
// directory. The table is not touched until Setup.
func Open(ctx context.Context, path, table string) (*Sink, error) {
	if path == "" {
		return nil, errors.New("open sqlite sink: empty path")
	}
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("open sqlite sink %s: the path may not contain '?'", path)
	}
	if table == "" {
		return nil, fmt.Errorf("open sqlite sink %s: empty table name", path)
	}
	// The candles are private: 0700 for a directory created here, 0600 for
	// the file, created before SQLite opens it (SQLite would make it 0644)
	// and whose mode SQLite copies to its -wal and -shm files.
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open sqlite sink %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open sqlite sink %s: %w", path, err)
	}
	f.Close()
	dsn := path + fmt.Sprintf("?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate", busyTimeoutMillis)
	// Its disk errors name the file, and say when the disk is full.
	db := sqlitefile.Open(dsn, path)
	// The first connection creates the file and switches it to WAL, so an
	// unwritable location fails here rather than at the first write.
	wconn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite sink %s: %w", path, err)
	}
	if err := wconn.PingContext(ctx); err != nil {
		wconn.Close()
		db.Close()
		return nil, fmt.Errorf("open sqlite sink %s: %w", path, err)
	}
	return &Sink{
		db:      db,
		path:    path,
		table:   table,
		quoted:  quoteIdent(table),
		wconn:   wconn,
		inserts: map[int]insertStmt{},
	}, nil
}

// Path is the database file.
func (s *Sink) Path() string { return s.path }

// Close releases the database. Writers must be done before.
func (s *Sink) Close() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.wconn == nil { // opened read-only
		if err := s.db.Close(); err != nil {
			return fmt.Errorf("close sqlite sink %s: %w", s.path, err)
		}
		return nil
	}
	var errs []error
	errs = append(errs, s.wconn.Raw(func(any) error {
		// Driver statements belong to the connection: close them inside Raw.
		var errs []error
		for _, st := range s.inserts {
			errs = append(errs, st.Close())
		}
		return errors.Join(errs...)
	}))
	errs = append(errs, s.wconn.Close(), s.db.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close sqlite sink %s: %w", s.path, err)
	}
	return nil
}

// NewWriter returns a writer; any number may write at once, and their
// transactions take turns.
func (s *Sink) NewWriter(ctx context.Context) (sinks.Writer, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("new sqlite writer %s: %w", s.path, err)
	}
	if s.wconn == nil {
		return nil, fmt.Errorf("new sqlite writer %s: the sink was opened read-only", s.path)
	}
	return &writer{sink: s}, nil
}

// ReadBack reports count, first and last candle per series inside span,
// sorted by series.
//
// It walks the primary key (pair, interval, ts) instead of filtering on ts:
// a skip-scan finds each series with a seek or two, and each series'
// candles in span are one range of the key. A plain `WHERE ts >= ? AND ts < ?
// GROUP BY pair, interval` scans the whole table, and a drift check asks
// once per month: minutes on a few million rows. This reads what lies in
// span plus two seeks per series.
func (s *Sink) ReadBack(ctx context.Context, span ohlc.Span) ([]sinks.SeriesStats, error) {
	rows, err := s.db.QueryContext(ctx, readBackSQL(s.quoted), span.Start, span.End)
	if err != nil {
		return nil, fmt.Errorf("read back %s: %w", s.path, err)
	}
	defer rows.Close()
	var out []sinks.SeriesStats
	for rows.Next() {
		var st sinks.SeriesStats
		var iv int64
		if err := rows.Scan(&st.Series.Pair, &iv, &st.Count, &st.First, &st.Last); err != nil {
			return nil, fmt.Errorf("read back %s: %w", s.path, err)
		}
		st.Series.Interval = ohlc.Interval(iv)
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read back %s: %w", s.path, err)
	}
	return out, nil
}

// readBackSQL is ReadBack's query on table t: ?1 and ?2 are the span.
// The pairs are found by skip-scan (the least pair after the last), the
// intervals of each pair the same way, each a seek in the primary key;
// then each series' candles in the span are one range of the key.
func readBackSQL(t string) string {
	in := func(agg string) string {
		return `(SELECT ` + agg + ` FROM ` + t + ` c WHERE c.pair = k.pair AND c.interval = k.interval AND c.ts >= ?1 AND c.ts < ?2)`
	}
	return `WITH RECURSIVE
	p(pair) AS (
		SELECT min(pair) FROM ` + t + `
		UNION ALL
		SELECT (SELECT min(pair) FROM ` + t + ` c WHERE c.pair > p.pair) FROM p WHERE p.pair IS NOT NULL),
	k(pair, interval) AS (
		SELECT pair, (SELECT min(interval) FROM ` + t + ` c WHERE c.pair = p.pair) FROM p WHERE p.pair IS NOT NULL
		UNION ALL
		SELECT pair, (SELECT min(interval) FROM ` + t + ` c WHERE c.pair = k.pair AND c.interval > k.interval) FROM k WHERE k.interval IS NOT NULL)
	SELECT pair, interval, n, ` + in("min(ts)") + `, ` + in("max(ts)") + ` FROM (
		SELECT pair, interval, ` + in("count(*)") + ` AS n FROM k WHERE interval IS NOT NULL) AS k
	WHERE n > 0 ORDER BY pair, interval`
}

// Candles returns the stored candles of one series inside span, oldest
// first: sinks.Collect, for tests and drift checks.
func (s *Sink) Candles(ctx context.Context, series ohlc.Series, span ohlc.Span) ([]ohlc.Candle, error) {
	return sinks.Collect(ctx, s, series, span)
}

// ReadCandles streams the rows of one query in pages (sinks.Sink).
func (s *Sink) ReadCandles(ctx context.Context, series ohlc.Series, span ohlc.Span, fn func([]ohlc.Candle) error) error {
	q := `SELECT ts, open, high, low, close, volume, trades, vwap FROM ` + s.quoted +
		` WHERE pair = ? AND interval = ? AND ts >= ? AND ts < ? ORDER BY ts`
	rows, err := s.db.QueryContext(ctx, q, series.Pair, int64(series.Interval), span.Start, span.End)
	if err != nil {
		return fmt.Errorf("read candles %s from %s: %w", series, s.path, err)
	}
	defer rows.Close()
	page := make([]ohlc.Candle, 0, min(sinks.ReadPage, max(0, span.Candles(series.Interval))))
	for rows.Next() {
		var c ohlc.Candle
		var vwap sql.NullFloat64
		if err := rows.Scan(&c.Time, &c.Open, &c.High, &c.Low, &c.Close, &c.Volume, &c.Trades, &vwap); err != nil {
			return fmt.Errorf("read candles %s from %s: %w", series, s.path, err)
		}
		c.VWAP, c.HasVWAP = vwap.Float64, vwap.Valid
		if page = append(page, c); len(page) == sinks.ReadPage {
			if err := fn(page); err != nil {
				return err
			}
			page = page[:0]
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read candles %s from %s: %w", series, s.path, err)
	}
	if len(page) > 0 {
		return fn(page)
	}
	return nil
}

// quoteIdent quotes an SQL identifier; config validates table names
// already, quoting keeps keywords such as "order" usable too.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
