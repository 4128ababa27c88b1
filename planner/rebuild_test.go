package planner

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
)

// withRebuild enables the API (default margin, 1 request/s) and rebuilds
// with the given budget.
func withRebuild(cfg *config.Config, maxRequests int) *config.Config {
	cfg.API = config.API{Enabled: true, RateLimit: 1,
		Rebuild: config.Rebuild{Enabled: true, MaxRequests: maxRequests, TradesPerDay: 24000}}
	return cfg
}

func TestComputeRebuild(t *testing.T) {
	const now = "2026-05-15 10:17"
	xbt1440 := ohlc.Series{Pair: "XBTUSD", Interval: 1440}
	// Two closed windows, wholly older than both API windows (hourly from
	// 2026-04-15 20:00, daily from 2024-06-04): no dump holds them.
	hourly := block(t, "hourly", 60, "2024-01-01", "2024-01-03")
	daily := block(t, "daily", 1440, "2024-01-01", "2024-01-05")
	asked := func(a Action) Action { a.Coverage, a.Tiers = []string{"daily", "hourly"}, []string{"TIER1"}; return a }
	rebuild := func(sp ohlc.Span, trades int64, requests int, builds ...Build) Action {
		var candles int64
		for _, b := range builds {
			candles += b.Span.Candles(b.Interval)
		}
		return asked(Action{Kind: RebuildTrades, Series: ohlc.Series{Pair: "XBTUSD", Interval: builds[0].Interval}, Span: sp,
			Builds: builds, Trades: trades, Requests: requests, Duration: time.Duration(requests) * time.Second,
			Basis: "default", Estimate: candles, Rate: 1})
	}
	deferred := func(s ohlc.Series, sp ohlc.Span, budget string) Gap {
		return Gap{Series: s, Span: sp, Coverage: []string{"daily", "hourly"}, Tiers: []string{"TIER1"}, Reason: ReasonDeferredBudget,
			Suggestion: Suggestion{Fix: FixNextRun, Budget: "max_requests = " + budget}}
	}
	tests := []struct {
		name         string
		cfg          *config.Config
		state        map[ohlc.Series]ohlc.SpanSet
		rates        map[string]TradeRate
		wantActions  []Action
		wantDeferred []Gap
	}{
		{
			name: "one pass over four days of trades builds both intervals",
			cfg:  withRebuild(configOf(hourly, daily), 1000),
			wantActions: []Action{rebuild(span(t, "2024-01-01", "2024-01-05"), 96000, 96,
				Build{Interval: 60, Span: span(t, "2024-01-01", "2024-01-03")},
				Build{Interval: 1440, Span: span(t, "2024-01-01", "2024-01-05")})},
		},
		{
			name:  "a known trade rate is the estimate's basis",
			cfg:   withRebuild(configOf(hourly, daily), 1000),
			rates: map[string]TradeRate{"XBTUSD": {PerDay: 1500, Basis: "XBTUSD/60 candles"}},
			wantActions: func() []Action {
				a := rebuild(span(t, "2024-01-01", "2024-01-05"), 6000, 6,
					Build{Interval: 60, Span: span(t, "2024-01-01", "2024-01-03")},
					Build{Interval: 1440, Span: span(t, "2024-01-01", "2024-01-05")})
				a.Basis = "XBTUSD/60 candles"
				return []Action{a}
			}(),
		},
		{
			name: "resumed: coverage a rebuild checkpointed is not fetched again",
			cfg:  withRebuild(configOf(hourly, daily), 1000),
			state: map[ohlc.Series]ohlc.SpanSet{
				xbt60:   {span(t, "2024-01-01", "2024-01-02")},
				xbt1440: {span(t, "2024-01-01", "2024-01-02")},
			},
			wantActions: []Action{rebuild(span(t, "2024-01-02", "2024-01-05"), 72000, 72,
				Build{Interval: 60, Span: span(t, "2024-01-02", "2024-01-03")},
				Build{Interval: 1440, Span: span(t, "2024-01-02", "2024-01-05")})},
		},
		{
			name: "the budget cuts at a day boundary and defers the rest",
			cfg:  withRebuild(configOf(hourly, daily), 50),
			wantActions: []Action{rebuild(span(t, "2024-01-01", "2024-01-03"), 48000, 48,
				Build{Interval: 60, Span: span(t, "2024-01-01", "2024-01-03")},
				Build{Interval: 1440, Span: span(t, "2024-01-01", "2024-01-03")})},
			wantDeferred: []Gap{deferred(xbt1440, span(t, "2024-01-03", "2024-01-05"), "50")},
		},
		{
			name: "a time budget allowing fewer requests cuts the same way",
			cfg: func() *config.Config {
				cfg := withRebuild(configOf(hourly, daily), 1000)
				cfg.API.Rebuild.MaxDuration = 50 * time.Second // 50 requests at 1/s
				return cfg
			}(),
			wantActions: []Action{rebuild(span(t, "2024-01-01", "2024-01-03"), 48000, 48,
				Build{Interval: 60, Span: span(t, "2024-01-01", "2024-01-03")},
				Build{Interval: 1440, Span: span(t, "2024-01-01", "2024-01-03")})},
			wantDeferred: []Gap{{Series: xbt1440, Span: span(t, "2024-01-03", "2024-01-05"), Coverage: []string{"daily", "hourly"}, Tiers: []string{"TIER1"},
				Reason: ReasonDeferredBudget, Suggestion: Suggestion{Fix: FixNextRun, Budget: `max_duration = "50.0s"`}}},
		},
		{
			name: "a budget too small for a day still buys one",
			cfg:  withRebuild(configOf(hourly, daily), 1),
			wantActions: []Action{rebuild(span(t, "2024-01-01", "2024-01-02"), 24000, 24,
				Build{Interval: 60, Span: span(t, "2024-01-01", "2024-01-02")},
				Build{Interval: 1440, Span: span(t, "2024-01-01", "2024-01-02")})},
			wantDeferred: []Gap{
				deferred(xbt60, span(t, "2024-01-02", "2024-01-03"), "1"),
				deferred(xbt1440, span(t, "2024-01-02", "2024-01-05"), "1"),
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan := Compute(Input{Config: tc.cfg, State: covered(tc.state), Inventory: inventory(), Now: at(t, now), TradeRates: tc.rates})
			if diff := cmp.Diff(tc.wantActions, plan.Actions); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantDeferred, plan.Deferred); diff != "" {
				t.Errorf("deferred (-want +got):\n%s", diff)
			}
			if len(plan.Gaps) != 0 {
				t.Errorf("gaps = %v, want none: rebuilds fill what is older than the API window", plan.Gaps)
			}
		})
	}
}

// TestRebuildBudgetSpentInPlanOrder: the first pair's rebuild takes the
// whole budget, the next pair's is deferred whole.
func TestRebuildBudgetSpentInPlanOrder(t *testing.T) {
	both := block(t, "hourly", 60, "2024-01-01", "2024-01-03")
	both.Pairs = []string{"ETHUSD", "XBTUSD"}
	plan := Compute(Input{Config: withRebuild(configOf(both), 48), Inventory: inventory(), Now: at(t, "2026-05-15 10:17")})
	var got []string
	for _, a := range plan.Actions {
		got = append(got, string(a.Kind)+" "+a.Series.String()+" "+a.Span.String())
	}
	for _, g := range plan.Deferred {
		got = append(got, string(g.Reason)+" "+g.Series.String()+" "+g.Span.String())
	}
	want := []string{
		"rebuild_trades ETHUSD/60 [2024-01-01, 2024-01-03)",
		"deferred_budget XBTUSD/60 [2024-01-01, 2024-01-03)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
}

// TestSortKeepingAfter: merging rebuilds moves actions; a derive's After
// still names the action it waits for.
func TestSortKeepingAfter(t *testing.T) {
	eth, xbt := ohlc.Series{Pair: "ETHUSD", Interval: 60}, ohlc.Series{Pair: "XBTUSD", Interval: 60}
	xbtDay := ohlc.Series{Pair: "XBTUSD", Interval: 1440}
	actions := []Action{
		{Kind: LoadCSV, Series: xbt, Span: ohlc.Span{Start: 0, End: 10}},                    // was 0
		{Kind: Derive, Series: xbtDay, Span: ohlc.Span{Start: 0, End: 10}, After: []int{0}}, // was 2
		{Kind: RebuildTrades, Series: eth, Span: ohlc.Span{Start: 0, End: 10}},              // new
	}
	got := sortKeepingAfter(actions, []int{0, 2, -1}, 3)
	want := []Action{actions[2], actions[0], {Kind: Derive, Series: xbtDay, Span: ohlc.Span{Start: 0, End: 10}, After: []int{1}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sorted (-want +got):\n%s", diff)
	}
}

func TestIntervalGroups(t *testing.T) {
	var rebuilds []Action
	for _, iv := range []ohlc.Interval{60, 10080, 1440, 21600, 5} {
		rebuilds = append(rebuilds, Action{Series: ohlc.Series{Pair: "XBTUSD", Interval: iv}})
	}
	var got [][]ohlc.Interval
	for _, g := range intervalGroups(rebuilds) {
		var ivs []ohlc.Interval
		for _, a := range g {
			ivs = append(ivs, a.Series.Interval)
		}
		got = append(got, ivs)
	}
	want := [][]ohlc.Interval{{21600, 1440, 60, 5}, {10080}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
}
