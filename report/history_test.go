package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/state"
)

// A window reaching before Kraken's first trades is measured as the
// planner plans it: from those trades on, so the years before do not read
// as missing.
func TestComputeClampsToKrakenHistory(t *testing.T) {
	xbt := ohlc.Series{Pair: "XBTUSD", Interval: 1440}
	cfg := &config.Config{Coverage: []config.Coverage{{
		Name: "all", Pairs: []string{"XBTUSD"}, Intervals: []ohlc.Interval{1440},
		Window: config.Window{From: t0 - 10000*day, To: t0 + 100*day},
	}}}
	snap := &state.Snapshot{Coverage: map[ohlc.Series]ohlc.SpanSet{
		xbt: ohlc.NewSpanSet(ohlc.Span{Start: t0, End: t0 + 100*day}),
	}}
	got := Compute(Input{Config: cfg, Snapshot: snap, Now: t0 + 200*day})
	want := []Row{{Tier: NoTier, Interval: 1440, Counts: Counts{SeriesCount: 1, Desired: 100 * day, Covered: 100 * day, CoverageEnd: t0 + 100*day, NewestEnd: t0 + 100*day, Stalest: xbt}}}
	if diff := cmp.Diff(want, got.Tiers); diff != "" {
		t.Errorf("tier rows (-want +got):\n%s", diff)
	}
}
