package sinktest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
)

// testWriteAll writes several series in one sinks.WriteAll (one commit on
// a MultiWriter) and checks each lands whole and apart, that writing them
// again changes nothing, and that a cancelled WriteAll writes nothing.
func testWriteAll(t *testing.T, open Opener) {
	s := setUp(t, open)
	ada := Fixture(t, "ADAUSD_1440.csv")
	adaEUR := ohlc.Series{Pair: "ADAEUR", Interval: 1440}
	eur := changed(ada[:100])
	batches := []sinks.Batch{
		{Series: adaDaily, Candles: ada[:100]},
		{Series: xbtDaily}, // empty: a no-op inside the batch
		{Series: adaEUR, Candles: eur},
	}
	w, err := s.NewWriter(t.Context())
	if err != nil {
		t.Fatalf("new writer: %v", err)
	}
	defer w.Close()
	for range 2 {
		if err := sinks.WriteAll(t.Context(), w, batches); err != nil {
			t.Fatalf("write all: %v", err)
		}
	}
	want := []sinks.SeriesStats{statsOf(adaEUR, eur, everything), statsOf(adaDaily, ada[:100], everything)}
	if diff := cmp.Diff(want, readBack(t, s, everything)); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err = sinks.WriteAll(ctx, w, []sinks.Batch{{Series: adaDaily, Candles: ada[100:]}, {Series: adaEUR, Candles: changed(eur)}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("write all with a cancelled context: got %v, want an error wrapping context.Canceled", err)
	}
	if diff := cmp.Diff(want, readBack(t, s, everything)); diff != "" {
		t.Errorf("read back after a cancelled write all (-want +got):\n%s", diff)
	}
}
