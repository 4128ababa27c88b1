package questdb

import (
	"testing"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
	"github.com/feefifofunds/candlekeep/sinks/sinktest"
)

// BenchmarkWrite loads a million hourly candles in the executor's 10,000
// row batches through one writer into the stand-in, which parses every
// row but stores none. It reports rows/s and ILP bytes per candle.
//
//	go test -run '^$' -bench Write -benchtime 3x ./sinks/questdb/
func BenchmarkWrite(b *testing.B) {
	const total, batch = 1_000_000, 10_000
	// Real Kraken prices and volumes, repeated on consecutive hours.
	real := sinktest.Fixture(b, "XBTUSD_1440.csv")
	candles := make([]ohlc.Candle, total)
	start := int64(1_600_000_000) / 3600 * 3600
	for i := range candles {
		candles[i] = real[i%len(real)]
		candles[i].Time = start + int64(i)*3600
	}
	series := ohlc.Series{Pair: "XBTUSD", Interval: 60}

	srv := questdbtest.New(questdbtest.Options{CountOnly: true})
	defer srv.Close()
	s, err := Open(b.Context(), srv.Conf(), "candles")
	if err != nil {
		b.Fatalf("open: %v", err)
	}
	defer s.Close()
	if err := s.Setup(b.Context()); err != nil {
		b.Fatalf("setup: %v", err)
	}
	w, err := s.NewWriter(b.Context())
	if err != nil {
		b.Fatalf("new writer: %v", err)
	}
	defer w.Close()

	rows := 0
	b.ResetTimer()
	for b.Loop() {
		for i := 0; i < total; i += batch {
			if err := w.Write(b.Context(), series, candles[i:i+batch]); err != nil {
				b.Fatalf("write: %v", err)
			}
		}
		rows += total
	}
	b.StopTimer()
	if got := srv.Count("candles"); got != int64(rows) {
		b.Fatalf("server received %d rows, want %d", got, rows)
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(srv.BytesReceived())/float64(rows), "bytes/candle")
	b.ReportMetric(0, "ns/op") // a whole million per op says little
}
