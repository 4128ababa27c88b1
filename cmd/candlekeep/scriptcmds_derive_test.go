package main

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/sinks/sqlite"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
)

// cmdSinkMatches compares the SQLite sink's candles of a series with the
// rows of a Kraken CSV file over a span:
// sinkmatches DB PAIR INTERVAL PARTS DUMP MEMBER FROM TO. Open, high,
// low, close and trades must be equal, volume within the rounding of
// summing PARTS shorter candles that docs/decisions.md ("Derived
// candles") justifies, and the sink must hold exactly the file's candles.
func cmdSinkMatches(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 8 {
		ts.Fatalf("usage: sinkmatches DB PAIR INTERVAL PARTS DUMP MEMBER FROM TO")
	}
	iv, err := ohlc.ParseInterval(args[2])
	ts.Check(err)
	parts, err := strconv.Atoi(args[3])
	ts.Check(err)
	from, err := ohlc.ParseTime(args[6])
	ts.Check(err)
	to, err := ohlc.ParseTime(args[7])
	ts.Check(err)
	series, span := ohlc.Series{Pair: args[1], Interval: iv}, ohlc.Span{Start: from, End: to}
	ctx := context.Background()

	sink, err := sqlite.OpenReadOnly(ts.MkAbs(args[0]), "candles")
	ts.Check(err)
	defer sink.Close()
	got, err := sinks.Collect(ctx, sink, series, span)
	ts.Check(err)

	dump := ts.MkAbs(args[4])
	file, err := krakencsv.Open(ctx, krakencsv.Source{DumpPath: dump, IsZip: strings.HasSuffix(dump, ".zip"), Member: args[5]})
	ts.Check(err)
	defer file.Close()
	var want []ohlc.Candle
	buf := make([]ohlc.Candle, 4096)
	for {
		k, err := file.Read(buf)
		for _, c := range buf[:k] {
			if span.Contains(c.Time) {
				want = append(want, c)
			}
		}
		if err != nil {
			break
		}
	}
	if len(got) != len(want) || len(want) == 0 {
		ts.Fatalf("the sink holds %d candles of %s in %s, the file %d", len(got), series, span, len(want))
	}
	n := float64(parts)
	for i, w := range want {
		g := got[i]
		if g.Time != w.Time || g.Open != w.Open || g.High != w.High || g.Low != w.Low || g.Close != w.Close || g.Trades != w.Trades ||
			math.Abs(g.Volume-w.Volume) > n*5e-9+5e-11+w.Volume*n*0x1p-53 {
			ts.Fatalf("%s at %s: sink %+v, file %+v", series, ohlc.FormatTime(w.Time), g, w)
		}
	}
	ts.Logf("%d candles of %s match", len(want), series)
}
