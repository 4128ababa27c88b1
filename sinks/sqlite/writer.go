package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"github.com/feefifofunds/candlekeep/internal/failpoint"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
)

// maxRowsPerInsert is the row count of the largest multi-row INSERT. A
// batch is cut into statements of maxRowsPerInsert rows and then powers of
// two for the rest, so at most a dozen statements are ever prepared.
// Between 64 and 512 rows BenchmarkWrite shows no difference above noise;
// 256 keeps each statement's text near 5 KB.
const maxRowsPerInsert = 256

// paramsPerRow are ts, open, high, low, close, volume, trades, vwap; pair
// and interval are bound once per statement as ?1 and ?2, which spares
// SQLite copying the pair text for every row.
const paramsPerRow = 8

type writer struct {
	sink   *Sink
	closed bool
}

var (
	_ sinks.Writer      = (*writer)(nil)
	_ sinks.MultiWriter = (*writer)(nil)
)

// Write upserts the candles of one series in one transaction, committed
// before it returns.
func (w *writer) Write(ctx context.Context, series ohlc.Series, candles []ohlc.Candle) error {
	if w.closed {
		return fmt.Errorf("write %s to %s: writer is closed", series, w.sink.path)
	}
	if len(candles) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("write %s to %s: %w", series, w.sink.path, err)
	}
	if err := w.sink.write(ctx, []sinks.Batch{{Series: series, Candles: candles}}); err != nil {
		return fmt.Errorf("write %s to %s: %w", series, w.sink.path, err)
	}
	return nil
}

// WriteAll upserts the batches of several series in one transaction,
// committed before it returns.
func (w *writer) WriteAll(ctx context.Context, batches []sinks.Batch) error {
	if w.closed {
		return fmt.Errorf("write to %s: writer is closed", w.sink.path)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("write to %s: %w", w.sink.path, err)
	}
	if err := w.sink.write(ctx, batches); err != nil {
		return fmt.Errorf("write %d series to %s: %w", len(batches), w.sink.path, err)
	}
	return nil
}

// Close ends the writer; the shared connection stays with the Sink.
func (w *writer) Close() error {
	w.closed = true
	return nil
}

func (s *Sink) write(ctx context.Context, batches []sinks.Batch) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return errors.New("sink is closed")
	}
	// The driver connection is used directly: database/sql would copy and
	// check thousands of arguments per statement, a tenth of the load time.
	return s.wconn.Raw(func(dc any) error {
		conn, ok := dc.(driverConn)
		if !ok {
			return fmt.Errorf("sqlite driver connection %T lacks context methods", dc)
		}
		return s.writeTx(ctx, conn, batches)
	})
}

// insertStmt is what the write path needs of modernc's statement.
type insertStmt interface {
	driver.Stmt
	driver.StmtExecContext
}

// driverConn is what the write path needs of modernc's connection.
type driverConn interface {
	driver.ConnPrepareContext
	driver.ExecerContext
}

// writeTx runs one transaction. Statements run without ctx's cancellation
// (which costs the driver a goroutine and a progress callback per
// statement); ctx is checked between statements instead, each being
// under a millisecond.
func (s *Sink) writeTx(ctx context.Context, conn driverConn, batches []sinks.Batch) error {
	bg := context.WithoutCancel(ctx)
	if _, err := conn.ExecContext(bg, "BEGIN IMMEDIATE", nil); err != nil {
		return err
	}
	for _, b := range batches {
		for rest := b.Candles; len(rest) > 0; {
			if err := ctx.Err(); err != nil {
				return errors.Join(err, s.rollback(bg, conn))
			}
			n := chunkRows(len(rest))
			if err := s.insertChunk(bg, conn, b.Series, rest[:n]); err != nil {
				return errors.Join(err, s.rollback(bg, conn))
			}
			rest = rest[n:]
		}
	}
	failpoint.Hit("sqlite.batch.commit")
	if _, err := conn.ExecContext(bg, "COMMIT", nil); err != nil {
		return errors.Join(err, s.rollback(bg, conn))
	}
	failpoint.Hit("sqlite.batch.committed")
	return nil
}

func (s *Sink) insertChunk(ctx context.Context, conn driverConn, series ohlc.Series, chunk []ohlc.Candle) error {
	stmt, ok := s.inserts[len(chunk)]
	if !ok {
		prepared, err := conn.PrepareContext(ctx, s.insertSQL(len(chunk)))
		if err != nil {
			return err
		}
		if stmt, ok = prepared.(insertStmt); !ok {
			prepared.Close()
			return fmt.Errorf("sqlite driver statement %T lacks ExecContext", prepared)
		}
		s.inserts[len(chunk)] = stmt
	}
	n := 2 + paramsPerRow*len(chunk)
	if len(s.args) < n {
		s.args = make([]driver.NamedValue, n)
		for i := range s.args {
			s.args[i].Ordinal = i + 1
		}
	}
	args := s.args[:n]
	args[0].Value, args[1].Value = series.Pair, int64(series.Interval)
	for i := range chunk {
		c := &chunk[i]
		row := args[2+i*paramsPerRow : 2+(i+1)*paramsPerRow]
		row[0].Value = c.Time
		row[1].Value = c.Open
		row[2].Value = c.High
		row[3].Value = c.Low
		row[4].Value = c.Close
		row[5].Value = c.Volume
		row[6].Value = c.Trades
		if c.HasVWAP {
			row[7].Value = c.VWAP
		} else {
			row[7].Value = nil
		}
	}
	_, err := stmt.ExecContext(ctx, args)
	return err
}

// rollback undoes an unfinished transaction. SQLite already rolls back by
// itself after some errors; that is not a failure.
func (s *Sink) rollback(ctx context.Context, conn driverConn) error {
	_, err := conn.ExecContext(ctx, "ROLLBACK", nil)
	if err != nil && strings.Contains(err.Error(), "no transaction is active") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("rollback: %w", err)
	}
	return nil
}

// chunkRows picks the size of the next INSERT for n remaining rows.
func chunkRows(n int) int {
	if n >= maxRowsPerInsert {
		return maxRowsPerInsert
	}
	p := 1
	for p*2 <= n {
		p *= 2
	}
	return p
}

func (s *Sink) insertSQL(rows int) string {
	var b strings.Builder
	b.Grow(300 + rows*20)
	b.WriteString("INSERT INTO " + s.quoted + " (pair, interval, ts, open, high, low, close, volume, trades, vwap) " +
		"SELECT ?, ?, column1, column2, column3, column4, column5, column6, column7, column8 FROM (VALUES ")
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?)")
	}
	// "WHERE true" resolves SQLite's parsing ambiguity between a join's ON
	// and the upsert's ON CONFLICT.
	b.WriteString(") WHERE true ON CONFLICT (pair, interval, ts) DO UPDATE SET open = excluded.open, high = excluded.high, low = excluded.low, " +
		"close = excluded.close, volume = excluded.volume, trades = excluded.trades, vwap = excluded.vwap")
	return b.String()
}
