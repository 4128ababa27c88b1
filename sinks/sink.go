// Package sinks defines what a candle store must do for candlekeep: take
// batches of one series' candles, upsert them on (pair, interval, time), and
// say only when they are durably committed.
package sinks

import (
	"context"
	"errors"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// Sink is a candle store.
type Sink interface {
	// Setup creates the candle table if needed and checks an existing one
	// can take candlekeep's writes (right columns, upsert key).
	Setup(ctx context.Context) error
	// Identify reads which incarnation of the table is there, without
	// writing anything; a missing table has an empty Incarnation.
	// Setup gives a table it creates a new incarnation.
	Identify(ctx context.Context) (ohlc.SinkIdentity, error)
	// NewWriter returns a writer for one worker; writers are not shared
	// between goroutines.
	NewWriter(ctx context.Context) (Writer, error)
	// ReadBack reports, per series, what the sink holds inside span,
	// sorted by series (ohlc.Series.Compare); series with no candles
	// there are left out.
	ReadBack(ctx context.Context, span ohlc.Span) ([]SeriesStats, error)
	// ReadCandles calls fn with the stored candles of one series inside
	// span, oldest first, in pages of at most ReadPage candles, so that a
	// derived span is built from years of candles in bounded memory. The
	// page is the sink's again once fn returns; an error from fn stops
	// the read and is returned. A candle stored without VWAP comes back
	// with HasVWAP false.
	ReadCandles(ctx context.Context, s ohlc.Series, span ohlc.Span, fn func([]ohlc.Candle) error) error
	Close() error
}

// ReadPage is the most candles a ReadCandles page holds.
const ReadPage = 10_000

// Collect reads every candle of one series inside span into memory: for
// tests and small spans; the load path streams with ReadCandles.
func Collect(ctx context.Context, s Sink, series ohlc.Series, span ohlc.Span) ([]ohlc.Candle, error) {
	var out []ohlc.Candle
	err := s.ReadCandles(ctx, series, span, func(page []ohlc.Candle) error {
		out = append(out, page...)
		return nil
	})
	return out, err
}

// Writer writes candles for one worker.
type Writer interface {
	// Write upserts the candles of one series and returns nil only once
	// the sink has committed them. On error nothing may be assumed
	// written; writing the same batch again is harmless. With ctx
	// already done, Write writes nothing and returns an error wrapping
	// ctx.Err(). An empty batch is a no-op. sinks/sinktest checks these.
	Write(ctx context.Context, s ohlc.Series, candles []ohlc.Candle) error
	Close() error
}

// SeriesStats is what a sink holds for one series.
type SeriesStats struct {
	Series ohlc.Series
	Count  int64
	First  int64 // open time of the oldest candle
	Last   int64 // open time of the newest candle
}

// Settler is a sink that acknowledges writes before they are visible to
// reads (QuestDB's WAL tables). Settle waits until everything acknowledged
// can be read back, or says why it cannot be; read-backs that compare the
// sink with state call it first.
type Settler interface {
	Settle(ctx context.Context) error
}

// ErrRejected is in the chain of a write error when the sink refused the
// candles themselves (QuestDB's 400 for a row it will not take), not
// because it is unreachable or failing: writing other candles may still
// succeed.
var ErrRejected = errors.New("rejected by the sink")

// Batch is candles of one series, in time order.
type Batch struct {
	Series  ohlc.Series
	Candles []ohlc.Candle
}

// MultiWriter is a Writer that commits the batches of several series
// together, so that many small files cost one commit instead of one each.
// WriteAll follows Write's contract for all the batches at once.
type MultiWriter interface {
	WriteAll(ctx context.Context, batches []Batch) error
}

// WriteAll writes batches through w, in one commit when w is a
// MultiWriter, else one Write per batch. It returns nil only once every
// batch is committed.
func WriteAll(ctx context.Context, w Writer, batches []Batch) error {
	if mw, ok := w.(MultiWriter); ok {
		return mw.WriteAll(ctx, batches)
	}
	for _, b := range batches {
		if err := w.Write(ctx, b.Series, b.Candles); err != nil {
			return err
		}
	}
	return nil
}

// Concurrent is a sink whose writers commit independently of one
// another (QuestDB: separate HTTP requests), so that one load may keep
// several writes in flight, each on a writer of its own. A sink whose
// writers take turns (SQLite's one write transaction) does not implement
// it: a load there keeps one write in flight.
type Concurrent interface {
	// ConcurrentWrites is how many writes of one load are worth keeping
	// in flight.
	ConcurrentWrites() int
}
