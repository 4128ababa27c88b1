package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

func TestMarkdownVerdictTellsWhatChanged(t *testing.T) {
	xbt := ohlc.Series{Pair: "XBTUSD", Interval: 60}
	load := planner.Action{Kind: planner.LoadCSV, Series: xbt, Estimate: 100}
	fresh := planner.Action{Kind: planner.Unfillable, Series: xbt}
	known := planner.Action{Kind: planner.Unfillable, Series: xbt, Known: true}
	dropped := planner.Warning{Code: planner.WarnNoLongerConfigured, Series: ohlc.Series{Pair: "XMRUSD", Interval: 1440}, Candles: 821}
	history := planner.Warning{Code: planner.WarnBeforeKrakenHistory, Coverage: "all"}
	tests := []struct {
		name     string
		actions  []planner.Action
		warnings []planner.Warning
		want     string
	}{
		{"new and known gaps", []planner.Action{fresh, known, known}, nil,
			"**candlekeep plan:** no changes; 1 new unfillable gap (2 already known)."},
		{"all known", []planner.Action{known, known}, nil,
			"**candlekeep plan:** no changes; 2 unfillable gaps, all already known."},
		{"only a series dropped", nil, []planner.Warning{dropped},
			"**candlekeep plan:** no changes; 1 series no longer configured (kept in the sink)."},
		{"changes first, then gaps, then warnings", []planner.Action{load, fresh, known}, []planner.Warning{dropped, dropped, history},
			"**candlekeep plan:** 1 CSV load (100 candles), 1 new unfillable gap (1 already known), 2 series no longer configured (kept in the sink), 1 warning."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := markdownVerdict(listed(&planner.Plan{Actions: tc.actions, Warnings: tc.warnings}))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("verdict (-want +got):\n%s", diff)
			}
		})
	}
}

// A plan with only warnings is not "Stored candles match the
// configuration": it lists them, and no more than markdownWarningsShown.
func TestMarkdownListsWarnings(t *testing.T) {
	p := &planner.Plan{}
	for i := range markdownWarningsShown + 5 {
		p.Warnings = append(p.Warnings, planner.Warning{Code: planner.WarnNoLongerConfigured,
			Series: ohlc.Series{Pair: fmt.Sprintf("P%02dUSD", i), Interval: 60}, Candles: 10, CandlesEstimated: true})
	}
	var b strings.Builder
	if err := renderMarkdownFor(&b, p, 0, "pr.plan"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "Stored candles match") {
		t.Errorf("a plan with warnings says the candles match:\n%s", out)
	}
	if got := strings.Count(out, "\n- no longer configured: "); got != markdownWarningsShown {
		t.Errorf("%d warnings listed, want %d:\n%s", got, markdownWarningsShown, out)
	}
	for _, want := range []string{
		"- no longer configured: P00USD/60, about 10 candles stay in the sink (nothing is deleted)\n",
		"- … 5 more not shown (`candlekeep show pr.plan`).\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}
