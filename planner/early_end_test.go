package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
)

// TestFileEndingEarlyIsNotNoTrades: a full-history file ending long before
// its pair's other files (issue 13: ETHUSD_60.csv cut back to 2018) vouches
// only up to its last candle, with a warning; the dump's trust_early_ends
// makes the rest "no trades", still with a warning. The scan marks such a
// member (krakencsv's TestScanMarksMembersEndingEarly).
func TestFileEndingEarlyIsNotNoTrades(t *testing.T) {
	eth60 := ohlc.Series{Pair: "ETHUSD", Interval: 60}
	cut := krakencsv.Profile{Rows: 20000, First: at(t, "2016-05-09"), Last: at(t, "2018-06-30 13:00")}
	end := cut.Last + 3600
	for _, trust := range []bool{false, true} {
		m := member(eth60, "ETHUSD_60.csv", "sha256:cut", cut)
		m.EndsEarly = at(t, "2020-10-01")
		d := fullDump(t, "full", "2020-10-01", m, member(eth1440, "ETHUSD_1440.csv", "sha256:daily", profETH1440In2021))
		d.Spec.TrustEarlyEnds = trust
		cfg := configOf(block(t, "hourly", 60, "2018-01-01", "2020-10-01"))
		cfg.Coverage[0].Pairs = []string{"ETHUSD"}
		plan := Compute(Input{Config: cfg, Inventory: inventory(d), Now: at(t, "2026-11-28")})

		want := []Action{load(eth60, span(t, "2018-01-01", "2020-10-01"), source(d, d.Members[0]), 0)}
		code := WarnFileEndsEarlyTrusted
		if !trust {
			code = WarnFileEndsEarly
			want = []Action{
				load(eth60, ohlc.Span{Start: at(t, "2018-01-01"), End: end}, source(d, d.Members[0]), 0),
				gap(eth60, ohlc.Span{Start: end, End: at(t, "2020-10-01")}, ReasonNoDump, ""),
			}
		}
		got := plan.Listing()
		for k := range got {
			got[k].Coverage, got[k].Tiers, got[k].Estimate, got[k].Suggestion = nil, nil, 0, Suggestion{}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("trust %v: actions (-want +got):\n%s", trust, diff)
		}
		wantWarnings := []Warning{{Code: code, Series: eth60, Span: ohlc.Span{Start: end, End: at(t, "2020-10-01")}, Hints: []string{"full", "ETHUSD_60.csv"}}}
		if diff := cmp.Diff(wantWarnings, plan.Warnings); diff != "" {
			t.Errorf("trust %v: warnings (-want +got):\n%s", trust, diff)
		}
	}
}
