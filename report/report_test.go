package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/state"
)

const day = 86400

// t0 is the tests' day 0: windows before Kraken's first trades are clamped
// to them, so the tests' times start there.
const t0 = ohlc.KrakenFirstTrade

func TestCompute(t *testing.T) {
	xbt := ohlc.Series{Pair: "XBTUSD", Interval: 60}
	eth := ohlc.Series{Pair: "ETHUSD", Interval: 60}
	storj := ohlc.Series{Pair: "STORJUSD", Interval: 60}
	cfg := &config.Config{
		Tiers: []config.Tier{{Name: "TIER1", Pairs: []string{"XBTUSD", "ETHUSD"}}, {Name: "MAJORS", Pairs: []string{"XBTUSD"}}},
		Coverage: []config.Coverage{{
			Name: "hourly", Tiers: []string{"TIER1", "MAJORS"}, Pairs: []string{"ETHUSD", "STORJUSD", "XBTUSD"},
			Intervals: []ohlc.Interval{60}, Window: config.Window{From: t0, To: t0 + 100*day},
		}},
	}
	snap := &state.Snapshot{Coverage: map[ohlc.Series]ohlc.SpanSet{
		xbt:   ohlc.NewSpanSet(ohlc.Span{Start: t0, End: t0 + 90*day}),
		eth:   ohlc.NewSpanSet(ohlc.Span{Start: t0, End: t0 + 40*day}, ohlc.Span{Start: t0 + 50*day, End: t0 + 100*day}),
		storj: nil,
	}}
	gaps := []state.Gap{
		{Series: xbt, Span: ohlc.Span{Start: t0 + 90*day, End: t0 + 100*day}, Status: state.GapUnfillable},
		{Series: eth, Span: ohlc.Span{Start: t0 + 40*day, End: t0 + 50*day}, Status: state.GapFailed},
		{Series: eth, Span: ohlc.Span{Start: t0 + 40*day, End: t0 + 50*day}, Status: state.GapFilled}, // not counted
		{Series: storj, Span: ohlc.Span{Start: t0, End: t0 + 100*day}, Status: state.GapOpen},
	}
	runs := []state.Run{{ID: 1, Status: state.RunSucceeded}, {ID: 2, Status: state.RunFailed}}
	actions := []state.ActionRecord{
		{RunID: 1, Series: xbt, Status: state.ActionDone},
		{RunID: 2, Series: xbt, Status: state.ActionFailed}, // a failed attempt is the last run too
		{RunID: 2, Series: eth, Status: state.ActionDone},
	}
	now := int64(t0 + 200*day)
	run2ok := &RunRef{ID: 2, Status: state.RunFailed, StartedAt: runs[1].StartedAt.Unix(), Outcome: OutcomeSucceeded}
	run2failed := &RunRef{ID: 2, Status: state.RunFailed, StartedAt: runs[1].StartedAt.Unix(), Outcome: OutcomeFailed}

	tests := []struct {
		name string
		in   Input
		want []Row
	}{{
		name: "by tier",
		in:   Input{Config: cfg, Snapshot: snap, Gaps: gaps, Runs: runs, Actions: actions, Now: now},
		want: []Row{
			// A tier's newest candle runs from its stalest series (XBTUSD)
			// to its freshest (ETHUSD).
			{Tier: "TIER1", Interval: 60, Counts: Counts{SeriesCount: 2, Desired: 200 * day, Covered: 180 * day, UnfillableGaps: 1, FailedGaps: 1, CoverageEnd: t0 + 90*day, NewestEnd: t0 + 100*day, Stalest: xbt, LastRun: run2failed}},
			{Tier: "MAJORS", Interval: 60, Counts: Counts{SeriesCount: 1, Desired: 100 * day, Covered: 90 * day, UnfillableGaps: 1, CoverageEnd: t0 + 90*day, NewestEnd: t0 + 90*day, Stalest: xbt, LastRun: run2failed}},
			{Tier: NoTier, Interval: 60, Counts: Counts{SeriesCount: 1, Desired: 100 * day, OpenGaps: 1, Stalest: storj}},
		},
	}, {
		name: "since and target",
		in: Input{Config: cfg, Snapshot: snap, Gaps: gaps, Now: now, Since: t0 + 45*day,
			Targets: []planner.Target{{Kind: planner.TargetSeries, Name: "ETHUSD/60", Series: eth}}},
		want: []Row{
			{Tier: "TIER1", Interval: 60, Counts: Counts{SeriesCount: 1, Desired: 55 * day, Covered: 50 * day, FailedGaps: 1, CoverageEnd: t0 + 100*day, NewestEnd: t0 + 100*day, Stalest: eth}},
		},
	}, {
		name: "exclude: a series in an excluded tier is left out of every tier",
		in: Input{Config: cfg, Snapshot: snap, Gaps: gaps, Runs: runs, Actions: actions, Now: now,
			Excludes: []planner.Target{{Kind: planner.TargetTier, Name: "MAJORS"}}},
		want: []Row{
			{Tier: "TIER1", Interval: 60, Counts: Counts{SeriesCount: 1, Desired: 100 * day, Covered: 90 * day, FailedGaps: 1, CoverageEnd: t0 + 100*day, NewestEnd: t0 + 100*day, Stalest: eth, LastRun: run2ok}},
			{Tier: NoTier, Interval: 60, Counts: Counts{SeriesCount: 1, Desired: 100 * day, OpenGaps: 1, Stalest: storj}},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compute(tt.in)
			if diff := cmp.Diff(tt.want, got.Tiers); diff != "" {
				t.Errorf("tier rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	for share, want := range map[float64]string{0: "0.0%", 1: "100.0%", 0.9996: "99.9%", 1004.0 / 1096: "91.6%"} {
		if got := Percent(share); got != want {
			t.Errorf("Percent(%v) = %s, want %s", share, got, want)
		}
	}
}
