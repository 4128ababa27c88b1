// Package sinks defines what a candle store must do for candlekeep: take
// batches of one series' candles, upsert them on (pair, interval, time), and
// say only when they are durably committed.
package sinks

import (
	"context"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// Sink is a candle store.
type Sink interface {
	// Setup creates the candle table if needed and checks an existing one
	// can take candlekeep's writes (right columns, upsert key).
	Setup(ctx context.Context) error
	// NewWriter returns a writer for one worker; writers are not shared
	// between goroutines.
	NewWriter(ctx context.Context) (Writer, error)
	// ReadBack reports, per series, what the sink holds inside span,
	// sorted by series (ohlc.Series.Compare); series with no candles
	// there are left out.
	ReadBack(ctx context.Context, span ohlc.Span) ([]SeriesStats, error)
	Close() error
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
