package questdb_test

import (
	"context"
	"testing"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks/questdb"
	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
)

// A table dropped behind candlekeep's back holds nothing: ReadBack says so
// rather than failing, so refresh reports the drift.
func TestReadBackOfAMissingTableIsEmpty(t *testing.T) {
	srv := questdbtest.New(questdbtest.Options{})
	defer srv.Close()
	sink, err := questdb.Open(context.Background(), srv.Conf(), "gone")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	stats, err := sink.ReadBack(context.Background(), ohlc.Span{Start: 0, End: 1 << 31})
	if err != nil || len(stats) != 0 {
		t.Fatalf("ReadBack of a missing table = %v, %v; want nothing and no error", stats, err)
	}
}
