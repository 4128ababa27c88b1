package executor_test

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/state"
)

// TestDeriveDailyFromHourlyMatchesKraken: derive actions waiting for the
// loads of XBTUSD's and ETHUSD's real hourly files build daily candles
// equal to Kraken's own daily files, value for value, on every day of the window:
// open, high, low, close and trades exactly, volume within the rounding
// ohlc/aggregate_real_test.go justifies.
func TestDeriveDailyFromHourlyMatchesKraken(t *testing.T) {
	f := newFixture(t)
	f.cfg.Coverage[0].Pairs = []string{"ETHUSD", "XBTUSD"}
	plan := f.plan(t)
	if len(plan.Actions) != 2 {
		t.Fatalf("want the plan to load the two hourly files, got %+v", plan.Actions)
	}
	span := ohlc.Span{Start: from, End: to}
	for i, a := range slices.Clone(plan.Actions) {
		daily := ohlc.Series{Pair: a.Series.Pair, Interval: 1440}
		plan.Actions = append(plan.Actions, planner.Action{Kind: planner.Derive, Series: daily, From: 60, Span: span, After: []int{i}})
	}

	ex := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV, Options: executor.Options{BatchRows: 100, CheckpointRows: 100}}
	res, err := ex.Apply(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) > 0 || res.Done[planner.Derive] != 2 {
		t.Fatalf("derive did not complete: %+v", res)
	}
	for _, pair := range []string{"ETHUSD", "XBTUSD"} {
		checkDerived(t, f, ohlc.Series{Pair: pair, Interval: 1440}, span)
	}
}

// checkDerived compares the derived daily candles of series with
// Kraken's, and their coverage's source.
func checkDerived(t *testing.T, f *fixture, daily ohlc.Series, span ohlc.Span) {
	t.Helper()
	got, err := sinks.Collect(context.Background(), f.sink, daily, span)
	if err != nil {
		t.Fatal(err)
	}
	want := kraken1440(t, daily.Pair, span)
	if len(got) != len(want) || len(want) < 600 {
		t.Fatalf("%d derived days, Kraken has %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Time != w.Time || g.Open != w.Open || g.High != w.High || g.Low != w.Low || g.Close != w.Close || g.Trades != w.Trades ||
			math.Abs(g.Volume-w.Volume) > 24*5e-9+5e-11+w.Volume*24*0x1p-53 {
			t.Errorf("%s: derived %+v, Kraken %+v", ohlc.FormatTime(w.Time), g, w)
		}
	}
	// State records the span with its source: derived from 60.
	cov, err := f.st.Coverage(context.Background(), daily)
	if err != nil {
		t.Fatal(err)
	}
	if got := cov[state.DerivedFrom(60)]; !got.Covers(span) || len(cov) != 1 {
		t.Errorf("coverage of %s is %v, want %s derived from 60 only", daily, cov, span)
	}
}

// kraken1440 is Kraken's own daily candles of pair inside span.
func kraken1440(t *testing.T, pair string, span ohlc.Span) []ohlc.Candle {
	t.Helper()
	return readMember(t, filepath.Join("..", "sources", "krakencsv", "testdata", "full_until_2021-04-01"), pair+"_1440.csv", span)
}
