package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

var testRebuild = planner.Action{Kind: planner.RebuildTrades, Series: ohlc.Series{Pair: "XBTUSD", Interval: 5},
	Span:   ohlc.Span{Start: 1795737600, End: 1795824000},
	Builds: []planner.Build{{Interval: 5, Span: ohlc.Span{Start: 1795737600, End: 1795824000}}, {Interval: 15, Span: ohlc.Span{Start: 1795737600, End: 1795824000}}}}

func TestRebuildWords(t *testing.T) {
	tests := []struct{ got, want string }{
		{rebuildCost(41000, 41, 41*time.Second, 1), "~41,000 trades, ~41 requests, ~41.0s at 1/s"},
		{rebuildCost(41000, 41, 82*time.Second, 0.5), "~41,000 trades, ~41 requests, ~1m22s at 30/m"},
		{rateText(1.0 / 3600), "1/h"},
		{rebuildIntervals(testRebuild), "5, 15"},
		{rebuildProgressLine(executor.RebuildProgress{Action: testRebuild, Trades: 12000, Requests: 13, Rows: 400, Reached: 1795780800,
			Elapsed: 4 * time.Second, Left: 6 * time.Second}),
			"XBTUSD/5 [2026-11-27, 2026-11-28): trades to 2026-11-27 12:00, 12,000 trades (3,000/s), 13 requests, 400 candles (100/s), ETA 6.0s"},
		{crossCheckLine(executor.CrossChecked{Action: testRebuild, Compared: 5, Differ: 1, First: "XBTUSD/5 at 2026-11-27 00:10: stored 3 trades, rebuilt 4"}),
			"XBTUSD/5 [2026-11-27, 2026-11-28): cross-check: 1 of 5 candles the sink held differ from the rebuilt ones (kept as stored); first: XBTUSD/5 at 2026-11-27 00:10: stored 3 trades, rebuilt 4"},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, tc.got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
}

func TestJSONEventsRebuild(t *testing.T) {
	var out bytes.Buffer
	v := newJSONEventView(&out)
	v.now = func() time.Time { return time.Date(2026, 11, 28, 1, 2, 3, 0, time.UTC) }
	v.handle(executor.RebuildProgress{Index: 2, Action: testRebuild, Trades: 12000, Requests: 13, Rows: 400, Reached: 1795780800,
		Elapsed: 4 * time.Second, Left: 6 * time.Second})
	v.handle(executor.CrossChecked{Index: 2, Action: testRebuild, Compared: 5, Differ: 0})
	const at = `"time":"2026-11-28T01:02:03Z"`
	want := []string{
		`{"type":"rebuild_progress",` + at + `,"index":2,"series":"XBTUSD/5","trades":12000,"trades_per_second":3000,"requests":13,"rows":400,"rows_per_second":100,"reached":"2026-11-27T12:00:00Z","elapsed_ms":4000,"eta_ms":6000}`,
		`{"type":"cross_check",` + at + `,"index":2,"series":"XBTUSD/5","compared":5,"differ":0}`,
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimSpace(out.String()), "\n")); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}
