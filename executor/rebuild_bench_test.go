package executor_test

import (
	"context"
	"math"
	"testing"

	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sources/krakenapi"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// BenchmarkRebuild is a rebuild end to end through the executor: two
// days of a busy pair's tape (a trade a second, bursts of 1500 in one
// second) streamed from the fake over loopback at 200 requests a second
// (the fake throttles above that), built into 1-, 5-, 15- and 60-minute
// candles in one pass, written to SQLite and checkpointed in state. It
// reports trades per second, the Trades requests made against the ideal
// ceil(trades/1000), and the plan's estimate of those requests (from
// the trade rate of the day before, as the workspace measures it from
// the sink's candles) with its error.
//
//	go test -run='^$' -bench=Rebuild -benchtime=3x ./executor/
func BenchmarkRebuild(b *testing.B) {
	ctx := context.Background()
	start := mustTime("2026-11-01")
	span := ohlc.Span{Start: start, End: start + 2*86400}
	tape := krakenfake.GenerateTape(krakenfake.TapeSpec{Start: start - 86400, End: span.End + 3600, Seed: 11, Gap: 1, Bursts: 10})
	var inSpan, dayBefore int64
	for _, tr := range tape {
		switch s := tr.Time / 1e9; {
		case span.Contains(s):
			inSpan++
		case s >= start-86400 && s < start:
			dayBefore++
		}
	}
	// The planner's estimate, from the day before's rate.
	cfg := &config.Config{API: config.API{Enabled: true, RateLimit: 200, Margin: 10,
		Rebuild: config.Rebuild{Enabled: true, MaxRequests: 1 << 30, TradesPerDay: 1}},
		Tiers:    []config.Tier{{Name: "T", Pairs: []string{"XBTUSD"}}},
		Coverage: []config.Coverage{{Name: "c", Pairs: []string{"XBTUSD"}, Intervals: []ohlc.Interval{1, 5, 15, 60}, Window: config.Window{From: span.Start, To: span.End}}}}
	plan := planner.Compute(planner.Input{Config: cfg, Now: span.End + 30*86400,
		TradeRates: map[string]planner.TradeRate{"XBTUSD": {PerDay: float64(dayBefore), Basis: "the day before"}}})
	if len(plan.Actions) != 1 || plan.Actions[0].Kind != planner.RebuildTrades || len(plan.Actions[0].Builds) != 4 {
		b.Fatalf("plan: %+v", plan.Actions)
	}
	var requests int
	for b.Loop() {
		b.StopTimer()
		kraken := krakenfake.New(krakenfake.Options{Now: span.End + 3600})
		kraken.SetTape("XBTUSD", tape)
		kraken.SetLimit(200)
		client := krakenapi.New(krakenapi.Options{BaseURL: kraken.URL(), Limiter: rate.NewLimiter(200, 1)})
		st, sink := freshSQLite(b)
		ex := &executor.Executor{Sink: sink, State: st, Trades: client}
		b.StartTimer()
		res, err := ex.Apply(ctx, plan)
		b.StopTimer()
		if err != nil || res.Done[planner.RebuildTrades] != 1 {
			b.Fatalf("rebuild: %+v, %v", res, err)
		}
		requests = kraken.TradesRequests()
		if kraken.Violations() > 0 {
			b.Fatalf("the fake saw %d requests over its limit", kraken.Violations())
		}
		sink.Close()
		st.Close()
		kraken.Close()
		b.StartTimer()
	}
	est := plan.Actions[0].Requests
	b.ReportMetric(float64(inSpan)*float64(b.N)/b.Elapsed().Seconds(), "trades/s")
	b.ReportMetric(float64(inSpan), "trades")
	b.ReportMetric(float64(requests), "requests")
	b.ReportMetric(math.Ceil(float64(inSpan)/1000), "ideal-requests")
	b.ReportMetric(float64(est), "estimated-requests")
	b.ReportMetric(100*float64(est-requests)/float64(requests), "estimate-error-%")
}
