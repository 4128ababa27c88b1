package sinktest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
)

func testSetupIdempotent(t *testing.T, open Opener) {
	s := setUp(t, open)
	ada := Fixture(t, "ADAUSD_1440.csv")
	write(t, s, adaDaily, ada, 100)
	// A second Setup on a table holding rows must neither fail nor empty it.
	if err := s.Setup(t.Context()); err != nil {
		t.Fatalf("second setup: %v", err)
	}
	want := []sinks.SeriesStats{statsOf(adaDaily, ada, everything)}
	if diff := cmp.Diff(want, readBack(t, s, everything)); diff != "" {
		t.Errorf("read back after second setup (-want +got):\n%s", diff)
	}
}

func testWriteReadBack(t *testing.T, open Opener) {
	s := setUp(t, open)
	if diff := cmp.Diff([]sinks.SeriesStats(nil), readBack(t, s, everything), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("new sink is not empty (-want +got):\n%s", diff)
	}
	ada := Fixture(t, "ADAUSD_1440.csv")
	xbt := Fixture(t, "XBTUSD_1440.csv")
	// XBTUSD first, to see ReadBack sort by series rather than by arrival.
	write(t, s, xbtDaily, xbt, 1000)
	write(t, s, adaDaily, ada, 77) // odd batches: partial statements too
	want := []sinks.SeriesStats{
		statsOf(adaDaily, ada, everything),
		statsOf(xbtDaily, xbt, everything),
	}
	if diff := cmp.Diff(want, readBack(t, s, everything)); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	if want[1].Count == (want[1].Last-want[1].First)/xbtDaily.Interval.Seconds()+1 {
		t.Fatalf("the XBTUSD fixture should have missing days, so count differs from the span length")
	}
}

func testReadBackSpan(t *testing.T, open Opener) {
	s := setUp(t, open)
	ada := Fixture(t, "ADAUSD_1440.csv")
	xbt := Fixture(t, "XBTUSD_1440.csv")
	write(t, s, adaDaily, ada, 500)
	write(t, s, xbtDaily, xbt, 500)
	inner := ohlc.Span{Start: ada[100].Time, End: ada[200].Time} // end is exclusive
	tests := []struct {
		name string
		span ohlc.Span
		want []sinks.SeriesStats
	}{
		{"inner", inner, []sinks.SeriesStats{{Series: adaDaily, Count: 100, First: ada[100].Time, Last: ada[199].Time}}},
		{"before all", ohlc.Span{Start: 0, End: xbt[0].Time}, nil},
		{"first candle only", ohlc.Span{Start: xbt[0].Time, End: xbt[0].Time + 1}, []sinks.SeriesStats{{Series: xbtDaily, Count: 1, First: xbt[0].Time, Last: xbt[0].Time}}},
		{"after all", ohlc.Span{Start: ada[len(ada)-1].Time + 1, End: everything.End}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, readBack(t, s, tc.span), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("read back %s (-want +got):\n%s", tc.span, diff)
			}
		})
	}
}

func testRewriteSame(t *testing.T, open Opener) {
	s := setUp(t, open)
	ada := Fixture(t, "ADAUSD_1440.csv")
	write(t, s, adaDaily, ada, 128)
	write(t, s, adaDaily, ada, 128)
	write(t, s, adaDaily, ada[10:60], 1000) // an overlapping part once more
	want := []sinks.SeriesStats{statsOf(adaDaily, ada, everything)}
	if diff := cmp.Diff(want, readBack(t, s, everything)); diff != "" {
		t.Errorf("read back after rewrite (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(ada, candlesOf(t, s, adaDaily)); diff != "" {
		t.Errorf("candles after rewrite (-want +got):\n%s", diff)
	}
}

func testRewriteChanged(t *testing.T, open Opener) {
	s := setUp(t, open)
	ada := Fixture(t, "ADAUSD_1440.csv")
	write(t, s, adaDaily, ada, 200)
	revised := changed(ada[300:350])
	write(t, s, adaDaily, revised, 200)
	want := []sinks.SeriesStats{statsOf(adaDaily, ada, everything)}
	if diff := cmp.Diff(want, readBack(t, s, everything)); diff != "" {
		t.Errorf("read back after revision (-want +got):\n%s", diff)
	}
	wantCandles := append(append(append([]ohlc.Candle{}, ada[:300]...), revised...), ada[350:]...)
	if diff := cmp.Diff(wantCandles, candlesOf(t, s, adaDaily)); diff != "" {
		t.Errorf("candles after revision (-want +got):\n%s", diff)
	}
}

func testSeriesIsolation(t *testing.T, open Opener) {
	s := setUp(t, open)
	ada := Fixture(t, "ADAUSD_1440.csv")
	adaHourly := ohlc.Series{Pair: "ADAUSD", Interval: 60} // daily times are hourly-aligned too
	adaEUR := ohlc.Series{Pair: "ADAEUR", Interval: 1440}
	hourly, eur := changed(ada), changed(changed(ada))
	write(t, s, adaDaily, ada, 250)
	write(t, s, adaHourly, hourly, 250)
	write(t, s, adaEUR, eur, 250)
	// Revising one series must leave the others alone.
	revised := changed(hourly[:20])
	write(t, s, adaHourly, revised, 250)
	hourly = append(revised, hourly[20:]...)

	want := []sinks.SeriesStats{
		statsOf(adaEUR, eur, everything),
		statsOf(adaHourly, hourly, everything),
		statsOf(adaDaily, ada, everything),
	}
	if diff := cmp.Diff(want, readBack(t, s, everything)); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		series ohlc.Series
		want   []ohlc.Candle
	}{{adaDaily, ada}, {adaHourly, hourly}, {adaEUR, eur}} {
		if diff := cmp.Diff(tc.want, candlesOf(t, s, tc.series)); diff != "" {
			t.Errorf("candles of %s (-want +got):\n%s", tc.series, diff)
		}
	}
}

func testConcurrentWriters(t *testing.T, open Opener) {
	s := setUp(t, open)
	ada := Fixture(t, "ADAUSD_1440.csv")
	const workers = 6
	series := make([]ohlc.Series, workers)
	for i := range series {
		series[i] = ohlc.Series{Pair: fmt.Sprintf("PAIR%dUSD", i), Interval: 1440}
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			// Small batches make the writers' transactions interleave.
			errs[i] = writeBatches(t.Context(), s, series[i], ada, 25)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent writes: %v", err)
	}
	var want []sinks.SeriesStats
	for _, sr := range series {
		want = append(want, statsOf(sr, ada, everything))
	}
	if diff := cmp.Diff(want, readBack(t, s, everything)); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
}

func testEmptyBatch(t *testing.T, open Opener) {
	s := setUp(t, open)
	w, err := s.NewWriter(t.Context())
	if err != nil {
		t.Fatalf("new writer: %v", err)
	}
	defer w.Close()
	for _, batch := range [][]ohlc.Candle{nil, {}} {
		if err := w.Write(t.Context(), adaDaily, batch); err != nil {
			t.Errorf("write of %#v: %v", batch, err)
		}
	}
	if diff := cmp.Diff([]sinks.SeriesStats(nil), readBack(t, s, everything), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("read back after empty writes (-want +got):\n%s", diff)
	}
}

func testCancelledWrite(t *testing.T, open Opener) {
	s := setUp(t, open)
	ada := Fixture(t, "ADAUSD_1440.csv")
	write(t, s, adaDaily, ada[:100], 100)
	w, err := s.NewWriter(t.Context())
	if err != nil {
		t.Fatalf("new writer: %v", err)
	}
	defer w.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err = w.Write(ctx, adaDaily, changed(ada))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("write with a cancelled context: got %v, want an error wrapping context.Canceled", err)
	}
	want := []sinks.SeriesStats{statsOf(adaDaily, ada[:100], everything)}
	if diff := cmp.Diff(want, readBack(t, s, everything)); diff != "" {
		t.Errorf("read back after cancelled write (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(ada[:100], candlesOf(t, s, adaDaily)); diff != "" {
		t.Errorf("candles after cancelled write (-want +got):\n%s", diff)
	}
	// The writer is still usable once a write failed.
	if err := w.Write(t.Context(), adaDaily, ada[100:]); err != nil {
		t.Fatalf("write after a cancelled write: %v", err)
	}
	if diff := cmp.Diff([]sinks.SeriesStats{statsOf(adaDaily, ada, everything)}, readBack(t, s, everything)); diff != "" {
		t.Errorf("read back after retry (-want +got):\n%s", diff)
	}
}

func testVWAP(t *testing.T, open Opener) {
	s := setUp(t, open)
	ada := Fixture(t, "ADAUSD_1440.csv")[:50]
	// As from the REST API: VWAP known; a few without, and a VWAP of 0.
	for i := range ada {
		if i%5 == 0 {
			continue
		}
		ada[i].VWAP, ada[i].HasVWAP = (ada[i].High+ada[i].Low+ada[i].Close)/3, true
	}
	ada[7].VWAP = 0
	write(t, s, adaDaily, ada, 16)
	if diff := cmp.Diff(ada, candlesOf(t, s, adaDaily)); diff != "" {
		t.Errorf("candles (-want +got):\n%s", diff)
	}
	// A revision without VWAP clears it rather than keeping the old one.
	plain := Fixture(t, "ADAUSD_1440.csv")[:50]
	write(t, s, adaDaily, plain, 50)
	if diff := cmp.Diff(plain, candlesOf(t, s, adaDaily)); diff != "" {
		t.Errorf("candles after rewrite without VWAP (-want +got):\n%s", diff)
	}
}
