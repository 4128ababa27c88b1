package executor_test

import (
	"context"
	"testing"

	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sources/krakenapi"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// BenchmarkBackfill is the cost of one API request handled end to end:
// the fake Kraken's answer (the real fixture's 720 rows) fetched over the
// local HTTP stack, decoded, checked, written to SQLite and recorded in
// state, with the rate limiter out of the way.
//
//	go test -run='^$' -bench=Backfill -benchmem -count=6 ./executor/
func BenchmarkBackfill(b *testing.B) {
	ctx := context.Background()
	now := mustTime("2026-11-28T00:30:00Z")
	kraken := krakenfake.New(krakenfake.Options{Now: now})
	defer kraken.Close()
	client := krakenapi.New(krakenapi.Options{BaseURL: kraken.URL(), Limiter: rate.NewLimiter(rate.Inf, 1)})

	st, sink := freshSQLite(b)
	defer st.Close()
	defer sink.Close()
	window := planner.APIWindow(60, now, 10)
	plan := &planner.Plan{Actions: []planner.Action{{Kind: planner.BackfillAPI, Series: xbt60, Span: window, Estimate: window.Candles(60), Requests: 1}}}
	ex := &executor.Executor{Sink: sink, State: st, API: client}

	b.ReportAllocs()
	for b.Loop() {
		res, err := ex.Apply(ctx, plan)
		if err != nil || res.Done[planner.BackfillAPI] != 1 || res.Rows == 0 {
			b.Fatalf("backfill: %+v, %v", res, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/request")
}
