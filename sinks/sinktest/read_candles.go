package sinktest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
)

// testReadCandles: one series' candles in a span come back oldest first,
// in pages of at most sinks.ReadPage, only that series and span; an error
// from the callback stops the read.
func testReadCandles(t *testing.T, open Opener) {
	s := setUp(t, open)
	minutes := ohlc.Series{Pair: "XBTUSD", Interval: 1}
	const t0 = 1700000040 // a whole minute
	candles := make([]ohlc.Candle, sinks.ReadPage+sinks.ReadPage/2)
	for i := range candles {
		p := float64(100 + i%7)
		candles[i] = ohlc.Candle{Time: t0 + int64(i)*60, Open: p, High: p + 1, Low: p - 1, Close: p, Volume: 1, Trades: 1}
	}
	write(t, s, minutes, candles, 5000)
	write(t, s, adaDaily, Fixture(t, "ADAUSD_1440.csv"), 1000)

	// The span leaves out the first and last ten candles.
	span := ohlc.Span{Start: t0 + 600, End: t0 + int64(len(candles)-10)*60}
	var got []ohlc.Candle
	pages := 0
	err := s.ReadCandles(t.Context(), minutes, span, func(page []ohlc.Candle) error {
		pages++
		if len(page) == 0 || len(page) > sinks.ReadPage {
			t.Errorf("page %d holds %d candles, want 1 to %d", pages, len(page), sinks.ReadPage)
		}
		got = append(got, page...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(candles[10:len(candles)-10], got); diff != "" {
		t.Errorf("candles read (-want +got):\n%s", diff)
	}
	if pages < 2 {
		t.Errorf("%d pages for %d candles", pages, len(got))
	}

	stop := errors.New("enough")
	calls := 0
	err = s.ReadCandles(t.Context(), minutes, span, func([]ohlc.Candle) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("a callback error: %d calls, error %v; want 1 and the callback's", calls, err)
	}
	if got, err := sinks.Collect(t.Context(), s, minutes, ohlc.Span{Start: 0, End: t0}); err != nil || len(got) != 0 {
		t.Errorf("before the first candle: %d candles, %v", len(got), err)
	}
}
