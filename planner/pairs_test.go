package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
)

// krakenPairs is a small cut of Kraken's AssetPairs: altname → internal name.
var krakenPairs = &PairList{Names: map[string]string{
	"XBTUSD":  "XXBTZUSD",
	"XBTEUR":  "XXBTZEUR",
	"ETHUSD":  "XETHZUSD",
	"XMRUSD":  "XXMRZUSD",
	"ADAUSD":  "ADAUSD",
	"USDCUSD": "USDCUSD",
	"XBTUSDC": "XBTUSDC",
}}

func TestUnknownPairs(t *testing.T) {
	daily := func(pairs ...string) *config.Config {
		cfg := configOf()
		cfg.Coverage = []config.Coverage{{Name: "daily", Pairs: pairs, Intervals: []ohlc.Interval{1440, 60},
			Window: config.Window{From: at(t, "2021-01-01"), To: at(t, "2021-02-01")}}}
		return cfg
	}
	fooInDump := member(ohlc.Series{Pair: "FOOBAR", Interval: 1440}, "FOOBAR_1440.csv", "sha256:foo", profXBT1440In2021)
	tests := []struct {
		name     string
		cfg      *config.Config
		pairs    *PairList
		dumps    bool // a full dump holding FOOBAR_1440.csv
		want     []Warning
		wantActs []string // pairs with actions
	}{
		{
			name:     "no cached list: nobody can tell, planned as before",
			cfg:      daily("FOOBAR", "XBTUSD"),
			wantActs: []string{"FOOBAR", "XBTUSD"},
		},
		{
			name:     "unknown, nothing close",
			cfg:      daily("FOOBAR", "XBTUSD"),
			pairs:    krakenPairs,
			want:     []Warning{{Code: WarnUnknownPair, Pair: "FOOBAR"}},
			wantActs: []string{"XBTUSD"},
		},
		{
			name:     "a typo: the close match",
			cfg:      daily("XBTUDS"),
			pairs:    krakenPairs,
			want:     []Warning{{Code: WarnUnknownPair, Pair: "XBTUDS", Hints: []string{"XBTUSD"}}},
			wantActs: nil,
		},
		{
			name:  "several close matches, nearest first",
			cfg:   daily("XBTUSDT"),
			pairs: krakenPairs,
			want:  []Warning{{Code: WarnUnknownPair, Pair: "XBTUSDT", Hints: []string{"XBTUSD", "XBTUSDC"}}},
		},
		{
			name:     "known by altname",
			cfg:      daily("XMRUSD"),
			pairs:    krakenPairs,
			wantActs: []string{"XMRUSD"},
		},
		{
			name:  "Kraken's internal name: use the altname",
			cfg:   daily("XXMRZUSD"),
			pairs: krakenPairs,
			want:  []Warning{{Code: WarnPairInternalName, Pair: "XXMRZUSD", Hints: []string{"XMRUSD"}}},
		},
		{
			name:  "near an internal name: the altname is suggested",
			cfg:   daily("XXMRUSD"),
			pairs: krakenPairs,
			want:  []Warning{{Code: WarnUnknownPair, Pair: "XXMRUSD", Hints: []string{"XMRUSD"}}},
		},
		{
			name:     "a pair a dump holds is known, whatever the list says",
			cfg:      daily("FOOBAR"),
			pairs:    krakenPairs,
			dumps:    true,
			wantActs: []string{"FOOBAR"},
		},
		{
			name:  "one warning per pair, sorted",
			cfg:   daily("ZZZUSD", "FOOBAR", "XBTUSD"),
			pairs: krakenPairs,
			want: []Warning{
				{Code: WarnUnknownPair, Pair: "FOOBAR"},
				{Code: WarnUnknownPair, Pair: "ZZZUSD"},
			},
			wantActs: []string{"XBTUSD"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Config: tc.cfg, Pairs: tc.pairs, Now: at(t, "2024-05-15")}
			if tc.dumps {
				in.Inventory = inventory(fullDump(t, "full", "2021-04-01", fooInDump))
			}
			plan := Compute(in)
			if diff := cmp.Diff(tc.want, plan.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			var acted []string
			for _, a := range plan.Listing() {
				if len(acted) == 0 || acted[len(acted)-1] != a.Series.Pair {
					acted = append(acted, a.Series.Pair)
				}
			}
			if diff := cmp.Diff(tc.wantActs, acted); diff != "" {
				t.Errorf("pairs with actions (-want +got):\n%s", diff)
			}
		})
	}
}

// A targeted plan's scope leaves out an unknown pair's series, so apply
// leaves their gap records as they were.
func TestUnknownPairOutOfScope(t *testing.T) {
	cfg := configOf()
	cfg.Coverage = []config.Coverage{{Name: "daily", Pairs: []string{"FOOBAR", "XBTUSD"}, Intervals: []ohlc.Interval{1440},
		Window: config.Window{From: at(t, "2021-01-01"), To: at(t, "2021-02-01")}}}
	targets := []Target{{Kind: TargetCoverage, Name: "daily"}}
	plan := Compute(Input{Config: cfg, Pairs: krakenPairs, Now: at(t, "2024-05-15"), Targets: targets})
	if diff := cmp.Diff([]ohlc.Series{xbt1440}, plan.Scope); diff != "" {
		t.Errorf("scope (-want +got):\n%s", diff)
	}
}
