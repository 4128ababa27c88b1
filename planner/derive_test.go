package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

var (
	xbt240 = ohlc.Series{Pair: "XBTUSD", Interval: 240}
	xbt720 = ohlc.Series{Pair: "XBTUSD", Interval: 720}
)

func deriving(b config.Coverage, from ...ohlc.Interval) config.Coverage {
	b.DeriveFrom = from
	return b
}

func derive(s ohlc.Series, sp ohlc.Span, from ohlc.Interval, after ...int) Action {
	return Action{Kind: Derive, Series: s, Span: sp, From: from, Estimate: sp.Candles(s.Interval), After: after}
}

// TestDerive is rule 4b: gaps left by dumps and the API become derive
// actions over whole target candles the source vouches for, waiting for
// the plan's own loads of the source.
func TestDerive(t *testing.T) {
	m60 := member(xbt60, "XBTUSD_60.csv", "sha256:xbt60", krakencsv.Profile{Rows: 2160, First: at(t, "2026-01-01"), Last: at(t, "2026-03-31 23:00")})
	m720 := member(xbt720, "XBTUSD_720.csv", "sha256:xbt720", krakencsv.Profile{Rows: 180, First: at(t, "2026-01-01"), Last: at(t, "2026-03-31 12:00")})
	full := fullDump(t, "full", "2026-04-01", m60, m720)
	only60 := fullDump(t, "full", "2026-04-01", m60)
	hourly := block(t, "hourly", 60, "2026-01-01", "2026-03-01")
	halfdays := block(t, "halfdays", 720, "2026-01-01", "2026-03-01")
	tiers := []string{"TIER1"}
	tests := []struct {
		name  string
		cfg   *config.Config
		state *state.Snapshot
		inv   *krakencsv.Inventory
		want  []Action
	}{
		{
			name: "720 after the cutoff, from 60 state covers",
			cfg:  configOf(deriving(block(t, "halfdays", 720, "2026-01-01", "2026-05-01"), 60)),
			state: covered(map[ohlc.Series]ohlc.SpanSet{
				xbt60: {span(t, "2026-01-01", "2026-05-01")},
			}),
			inv: inventory(full),
			want: askedBy([]string{"halfdays"}, tiers,
				load(xbt720, span(t, "2026-01-01", "2026-04-01"), source(full, m720), 180),
				derive(xbt720, span(t, "2026-04-01", "2026-05-01"), 60)),
		},
		{
			name: "a dump lacking the interval: derived after the plan's load of the source",
			cfg:  configOf(hourly, deriving(halfdays, 60)),
			inv:  inventory(only60),
			want: append(
				askedBy([]string{"hourly"}, tiers, load(xbt60, span(t, "2026-01-01", "2026-03-01"), source(only60, m60), 1416)),
				askedBy([]string{"halfdays"}, tiers, derive(xbt720, span(t, "2026-01-01", "2026-03-01"), 60, 0))...),
		},
		{
			name: "only whole target candles the source spans",
			cfg:  configOf(deriving(block(t, "halfdays", 720, "2026-01-01", "2026-01-03"), 60)),
			state: covered(map[ohlc.Series]ohlc.SpanSet{
				xbt60: {span(t, "2025-12-31 20:00", "2026-01-01 18:00"), span(t, "2026-01-02 06:00", "2026-01-03")},
			}),
			want: askedBy([]string{"halfdays"}, tiers,
				derive(xbt720, span(t, "2026-01-01", "2026-01-01 12:00"), 60),
				gap(xbt720, span(t, "2026-01-01 12:00", "2026-01-02 12:00"), ReasonNoDump,
					"Kraken_OHLCVT.zip → XBTUSD_720.csv (full history): add the zip as a dump"),
				derive(xbt720, span(t, "2026-01-02 12:00", "2026-01-03"), 60)),
		},
		{
			name: "sources in the order of preference",
			cfg:  configOf(deriving(block(t, "halfdays", 720, "2026-01-01", "2026-01-03"), 240, 60)),
			state: covered(map[ohlc.Series]ohlc.SpanSet{
				xbt60:  {span(t, "2026-01-01", "2026-01-03")},
				xbt240: {span(t, "2026-01-02", "2026-01-03")},
			}),
			want: askedBy([]string{"halfdays"}, tiers,
				derive(xbt720, span(t, "2026-01-01", "2026-01-02"), 60),
				derive(xbt720, span(t, "2026-01-02", "2026-01-03"), 240)),
		},
		{
			name: "a derived source counts as covered: weeks from days",
			cfg:  configOf(deriving(block(t, "weeks", 10080, "2026-01-01", "2026-01-29"), 1440)),
			state: covered(map[ohlc.Series]ohlc.SpanSet{
				xbt1440: {span(t, "2025-12-01", "2026-02-01")},
			}),
			want: askedBy([]string{"weeks"}, tiers,
				derive(xbtWeek, span(t, "2026-01-01", "2026-01-29"), 1440)),
		},
		{
			name: "stale: days state retired after their hours were reloaded are derived again, alone",
			cfg:  configOf(deriving(block(t, "daily", 1440, "2026-01-01", "2026-02-01"), 60)),
			state: covered(map[ohlc.Series]ohlc.SpanSet{
				xbt60:   {span(t, "2026-01-01", "2026-02-01")},
				xbt1440: {span(t, "2026-01-01", "2026-01-10"), span(t, "2026-01-12", "2026-02-01")},
			}),
			want: askedBy([]string{"daily"}, tiers,
				derive(xbt1440, span(t, "2026-01-10", "2026-01-12"), 60)),
		},
		{
			name: "without derive_from the gap stays unfillable",
			cfg:  configOf(block(t, "halfdays", 720, "2026-01-01", "2026-01-02")),
			state: covered(map[ohlc.Series]ohlc.SpanSet{
				xbt60: {span(t, "2026-01-01", "2026-01-03")},
			}),
			want: askedBy([]string{"halfdays"}, tiers,
				gap(xbt720, span(t, "2026-01-01", "2026-01-02"), ReasonNoDump,
					"Kraken_OHLCVT.zip → XBTUSD_720.csv (full history): add the zip as a dump")),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan := Compute(Input{Config: tc.cfg, State: tc.state, Inventory: tc.inv, Now: at(t, "2026-06-15")})
			if diff := cmp.Diff(tc.want, plan.Listing()); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
		})
	}
}
