package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
)

// maxRowsPerInsert is the row count of the largest multi-row INSERT. A
// batch is cut into statements of maxRowsPerInsert rows and then powers of
// two for the rest, so at most a dozen statements are ever prepared.
// 256 measured best on BenchmarkWrite (128 and 512 were slightly slower).
const maxRowsPerInsert = 256

// paramsPerRow are ts, open, high, low, close, volume, trades, vwap; pair
// and interval are bound once per statement as ?1 and ?2, which spares
// SQLite copying the pair text for every row.
const paramsPerRow = 8

type writer struct {
	sink   *Sink
	closed bool
}

var _ sinks.Writer = (*writer)(nil)

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
	if err := w.sink.write(ctx, series, candles); err != nil {
		return fmt.Errorf("write %s to %s: %w", series, w.sink.path, err)
	}
	return nil
}

// Close ends the writer; the shared connection stays with the Sink.
func (w *writer) Close() error {
	w.closed = true
	return nil
}

func (s *Sink) write(ctx context.Context, series ohlc.Series, candles []ohlc.Candle) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return errors.New("sink is closed")
	}
	if _, err := s.wconn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	for rest := candles; len(rest) > 0; {
		n := chunkRows(len(rest))
		if err := s.insertChunk(ctx, series, rest[:n]); err != nil {
			return errors.Join(err, s.rollback(ctx))
		}
		rest = rest[n:]
	}
	// Once every row is in, finish the commit even if ctx ends meanwhile:
	// an interrupted COMMIT could leave the caller unsure what happened.
	if _, err := s.wconn.ExecContext(context.WithoutCancel(ctx), "COMMIT"); err != nil {
		return errors.Join(err, s.rollback(ctx))
	}
	return nil
}

func (s *Sink) insertChunk(ctx context.Context, series ohlc.Series, chunk []ohlc.Candle) error {
	stmt, ok := s.inserts[len(chunk)]
	if !ok {
		var err error
		if stmt, err = s.wconn.PrepareContext(ctx, s.insertSQL(len(chunk))); err != nil {
			return err
		}
		s.inserts[len(chunk)] = stmt
	}
	args := s.args[:0]
	args = append(args, series.Pair, int64(series.Interval))
	for i := range chunk {
		c := &chunk[i]
		var vwap any
		if c.HasVWAP {
			vwap = c.VWAP
		}
		args = append(args, c.Time, c.Open, c.High, c.Low, c.Close, c.Volume, c.Trades, vwap)
	}
	s.args = args
	_, err := stmt.ExecContext(ctx, args...)
	clear(args) // drop references to boxed values so they can be collected
	return err
}

// rollback undoes an unfinished transaction. SQLite already rolls back by
// itself after some errors (an interrupt among them); that is not a failure.
func (s *Sink) rollback(ctx context.Context) error {
	_, err := s.wconn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
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
	b.Grow(200 + rows*60)
	b.WriteString("INSERT INTO " + s.quoted + " (pair, interval, ts, open, high, low, close, volume, trades, vwap) VALUES ")
	p := 3
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?1,?2")
		for k := 0; k < paramsPerRow; k++ {
			b.WriteString(",?")
			b.WriteString(strconv.Itoa(p))
			p++
		}
		b.WriteByte(')')
	}
	b.WriteString(" ON CONFLICT (pair, interval, ts) DO UPDATE SET open = excluded.open, high = excluded.high, low = excluded.low, " +
		"close = excluded.close, volume = excluded.volume, trades = excluded.trades, vwap = excluded.vwap")
	return b.String()
}
