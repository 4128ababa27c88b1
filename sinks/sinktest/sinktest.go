// Package sinktest is the contract every candle sink must pass: call Run
// from the sink's own tests. It checks what the executor relies on —
// idempotent setup, upserts on (pair, interval, time), series kept apart,
// concurrent writers, all-or-nothing writes — on real Kraken candles.
package sinktest

import (
	"context"
	"slices"
	"testing"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
)

// Opener returns a new, empty sink that is not set up yet. Run calls
// Setup and closes the sink when the test ends; the opener cleans up
// anything else (files, servers) with t.Cleanup.
type Opener func(t *testing.T) sinks.Sink

// Run runs the contract suite, each case on a fresh sink from open.
func Run(t *testing.T, open Opener) {
	cases := []struct {
		name string
		run  func(t *testing.T, open Opener)
	}{
		{"SetupIsIdempotent", testSetupIdempotent},
		{"WriteThenReadBack", testWriteReadBack},
		{"ReadBackInsideSpan", testReadBackSpan},
		{"RewriteSameCandlesChangesNothing", testRewriteSame},
		{"RewriteChangedCandlesReplaces", testRewriteChanged},
		{"SeriesDoNotBleed", testSeriesIsolation},
		{"ConcurrentWriters", testConcurrentWriters},
		{"EmptyBatchIsNoOp", testEmptyBatch},
		{"CancelledWriteWritesNothing", testCancelledWrite},
		{"VWAPRoundTrips", testVWAP},
		{"WriteAllSeriesTogether", testWriteAll},
		{"IdentifyNamesTheIncarnation", testIdentify},
		{"ReadCandlesStreamsInPages", testReadCandles},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, open) })
	}
}

// everything is a span holding any candle the tests write.
var everything = ohlc.Span{Start: 0, End: 4102444800} // 2100-01-01

var (
	adaDaily = ohlc.Series{Pair: "ADAUSD", Interval: 1440}
	xbtDaily = ohlc.Series{Pair: "XBTUSD", Interval: 1440}
)

// setUp opens a sink through open, sets it up and closes it at the end.
func setUp(t *testing.T, open Opener) sinks.Sink {
	t.Helper()
	s := open(t)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close sink: %v", err)
		}
	})
	if err := s.Setup(t.Context()); err != nil {
		t.Fatalf("setup: %v", err)
	}
	return s
}

// write writes candles through one new writer in batches of batch rows.
func write(t *testing.T, s sinks.Sink, series ohlc.Series, candles []ohlc.Candle, batch int) {
	t.Helper()
	if err := writeBatches(t.Context(), s, series, candles, batch); err != nil {
		t.Fatalf("write %s: %v", series, err)
	}
}

func writeBatches(ctx context.Context, s sinks.Sink, series ohlc.Series, candles []ohlc.Candle, batch int) error {
	w, err := s.NewWriter(ctx)
	if err != nil {
		return err
	}
	for len(candles) > 0 {
		n := min(batch, len(candles))
		if err := w.Write(ctx, series, candles[:n]); err != nil {
			w.Close()
			return err
		}
		candles = candles[n:]
	}
	return w.Close()
}

func readBack(t *testing.T, s sinks.Sink, span ohlc.Span) []sinks.SeriesStats {
	t.Helper()
	got, err := s.ReadBack(t.Context(), span)
	if err != nil {
		t.Fatalf("read back %s: %v", span, err)
	}
	return got
}

// statsOf computes what a sink must report for candles written to series,
// restricted to span.
func statsOf(series ohlc.Series, candles []ohlc.Candle, span ohlc.Span) sinks.SeriesStats {
	st := sinks.SeriesStats{Series: series}
	for _, c := range candles {
		if !span.Contains(c.Time) {
			continue
		}
		if st.Count == 0 || c.Time < st.First {
			st.First = c.Time
		}
		if st.Count == 0 || c.Time > st.Last {
			st.Last = c.Time
		}
		st.Count++
	}
	return st
}

// candlesOf reads every stored candle of series.
func candlesOf(t *testing.T, s sinks.Sink, series ohlc.Series) []ohlc.Candle {
	t.Helper()
	got, err := sinks.Collect(t.Context(), s, series, everything)
	if err != nil {
		t.Fatalf("candles %s: %v", series, err)
	}
	return got
}

// changed returns a copy of candles with different prices, volume and
// trades, as Kraken revising closed candles after the fact.
func changed(candles []ohlc.Candle) []ohlc.Candle {
	out := slices.Clone(candles)
	for i := range out {
		c := &out[i]
		c.Open *= 1.5
		c.High *= 1.5
		c.Low *= 1.5
		c.Close *= 1.5
		c.Volume += 0.125
		c.Trades++
	}
	return out
}
