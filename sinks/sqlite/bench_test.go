package sqlite

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/feefifofunds/candlekeep/ohlc"
)

const (
	benchRows  = 1 << 20 // a little over a million candles per write-through
	benchBatch = 10000   // what the executor hands a writer at a time
)

// syntheticCandles makes n one-minute candles shaped like Kraken's: a
// random walk around 30,000 with highs, lows, volumes and trade counts.
// The seed fixes them, so runs compare.
func syntheticCandles(n int, start int64) []ohlc.Candle {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]ohlc.Candle, n)
	price := 30000.0
	for i := range out {
		open := price
		price *= 1 + rng.NormFloat64()*0.001
		hi := math.Max(open, price) * (1 + rng.Float64()*0.0005)
		lo := math.Min(open, price) * (1 - rng.Float64()*0.0005)
		out[i] = ohlc.Candle{
			Time:   start + int64(i)*60,
			Open:   math.Round(open*10) / 10,
			High:   math.Round(hi*10) / 10,
			Low:    math.Round(lo*10) / 10,
			Close:  math.Round(price*10) / 10,
			Volume: math.Round(rng.ExpFloat64()*2e8) / 1e8,
			Trades: 1 + rng.Int64N(200),
		}
	}
	return out
}

func writeAllBench(b *testing.B, s *Sink, series ohlc.Series, candles []ohlc.Candle) {
	ctx := context.Background()
	w, err := s.NewWriter(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	for i := 0; i < len(candles); i += benchBatch {
		if err := w.Write(ctx, series, candles[i:min(i+benchBatch, len(candles))]); err != nil {
			b.Fatal(err)
		}
	}
}

func openBench(b *testing.B) *Sink {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "candles.db"), "candles")
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Setup(context.Background()); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkWrite measures the sink alone, in rows per second:
//   - empty: a million new candles into an empty table;
//   - prefilled: a million new candles of another series into a table
//     already holding a million;
//   - rewrite: the same million candles again, so every row is an update.
//
// Reproduce with: go test -run='^$' -bench=Write -count=6 ./sinks/sqlite/
func BenchmarkWrite(b *testing.B) {
	candles := syntheticCandles(benchRows, 1_600_000_000)
	report := func(b *testing.B) {
		b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	}

	b.Run("empty", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			s := openBench(b)
			b.StartTimer()
			writeAllBench(b, s, ohlc.Series{Pair: "XBTUSD", Interval: 1}, candles)
			b.StopTimer()
			s.Close()
			b.StartTimer()
		}
		report(b)
	})

	b.Run("prefilled", func(b *testing.B) {
		b.StopTimer()
		s := openBench(b)
		defer s.Close()
		writeAllBench(b, s, ohlc.Series{Pair: "ETHUSD", Interval: 1}, candles)
		b.StartTimer()
		for i := 0; i < b.N; i++ {
			// A new pair each round: inserts into a table that keeps growing.
			writeAllBench(b, s, ohlc.Series{Pair: fmt.Sprintf("XBT%dUSD", i), Interval: 1}, candles)
		}
		report(b)
	})

	b.Run("rewrite", func(b *testing.B) {
		b.StopTimer()
		s := openBench(b)
		defer s.Close()
		series := ohlc.Series{Pair: "XBTUSD", Interval: 1}
		writeAllBench(b, s, series, candles)
		b.StartTimer()
		for i := 0; i < b.N; i++ {
			writeAllBench(b, s, series, candles)
		}
		report(b)
	})
}
