package questdb

import (
	"errors"
	"strings"
	"testing"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
	"github.com/feefifofunds/candlekeep/sinks/sinktest"
)

// Several small series go out in one request; a rejected row is named by
// its own series and candle, and the error says the sink refused the data
// (sinks.ErrRejected), so the executor can tell it from a sink that is
// down.
func TestWriteAllOneRequestAndRejection(t *testing.T) {
	s, srv := setUpSink(t)
	ada := sinktest.Fixture(t, "ADAUSD_1440.csv")[:10]
	adaEUR := ohlc.Series{Pair: "ADAEUR", Interval: 1440}
	batches := []sinks.Batch{{Series: adaDaily, Candles: ada}, {Series: adaEUR, Candles: ada}}
	w := newWriter(t, s).(sinks.MultiWriter)
	before := srv.Writes()
	if err := w.WriteAll(t.Context(), batches); err != nil {
		t.Fatal(err)
	}
	if got := srv.Writes() - before; got != 1 {
		t.Errorf("%d requests for 20 candles of two series, want 1", got)
	}

	srv.Inject(questdbtest.Reject(13, "cast error for line protocol float"))
	err := w.WriteAll(t.Context(), batches)
	if err == nil {
		t.Fatal("write of a rejected request: no error")
	}
	for _, want := range []string{"ADAEUR/1440", ohlc.FormatTime(ada[2].Time), "row 13", "cast error"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if !errors.Is(err, sinks.ErrRejected) {
		t.Errorf("error %v does not wrap sinks.ErrRejected", err)
	}

	for range max(s.Retry.Attempts, 1) {
		srv.Inject(questdbtest.Status(503))
	}
	if err := w.WriteAll(t.Context(), batches); err == nil || errors.Is(err, sinks.ErrRejected) {
		t.Errorf("a failing server: got %v, want an error that is not a rejection", err)
	}
}
