package main

import (
	"context"
	"strconv"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/sinks/sqlite"
	"github.com/feefifofunds/candlekeep/sources/krakenapi"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// krakenTape gives the fake a generated trade tape:
//
//	kraken tape PAIR FROM TO SEED   trades every ~20 s, with bursts of 1500 in one second
func krakenTape(ts *testscript.TestScript, k *krakenfake.Server, args []string) {
	if len(args) != 4 {
		ts.Fatalf("usage: kraken tape PAIR FROM TO SEED")
	}
	from, err := ohlc.ParseTime(args[1])
	ts.Check(err)
	to, err := ohlc.ParseTime(args[2])
	ts.Check(err)
	seed, err := strconv.ParseUint(args[3], 10, 64)
	ts.Check(err)
	k.SetTape(args[0], krakenfake.GenerateTape(krakenfake.TapeSpec{Start: from, End: to, Seed: seed, Gap: 20}))
}

// cmdRebuildCheck compares what the sink holds of a series with the fake
// Kraken's OHLC answer for the same slots, computed from its tape, its
// clock moved to the span's end for the answer to reach back that far:
//
//	rebuildcheck DB PAIR INTERVAL FROM TO
func cmdRebuildCheck(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 5 {
		ts.Fatalf("usage: rebuildcheck DB PAIR INTERVAL FROM TO")
	}
	k := ts.Value(krakenKey{}).(*krakenfake.Server)
	iv, err := ohlc.ParseInterval(args[2])
	ts.Check(err)
	from, err := ohlc.ParseTime(args[3])
	ts.Check(err)
	to, err := ohlc.ParseTime(args[4])
	ts.Check(err)
	s, span := ohlc.Series{Pair: args[1], Interval: iv}, ohlc.Span{Start: from, End: to}
	ctx := context.Background()
	k.SetNow(to + iv.Seconds())
	defer k.SetNow(scriptNow)
	client := krakenapi.New(krakenapi.Options{BaseURL: k.URL(), Limiter: rate.NewLimiter(rate.Inf, 1), Backoff: time.Millisecond})
	res, err := client.OHLC(ctx, s, 0)
	ts.Check(err)
	var want []ohlc.Candle
	for _, c := range res.Candles {
		if span.Contains(c.Time) {
			want = append(want, c)
		}
	}
	if len(want) == 0 || res.From > from {
		ts.Fatalf("the fake's answer (from %s) does not reach back to %s", ohlc.FormatTime(res.From), ohlc.FormatTime(from))
	}
	sink, err := sqlite.Open(ctx, ts.MkAbs(args[0]), "candles")
	ts.Check(err)
	defer sink.Close()
	got, err := sinks.Collect(ctx, sink, s, span)
	ts.Check(err)
	if diff := cmp.Diff(want, got); diff != "" {
		ts.Fatalf("%s %s: the sink differs from Kraken's OHLC (-kraken +sink):\n%s", s, span, diff)
	}
	ts.Logf("%s %s: %d candles equal Kraken's OHLC", s, span, len(got))
}
