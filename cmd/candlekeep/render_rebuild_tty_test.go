package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
)

// TestRebuildProgressOnTerminal: on a terminal a running rebuild shows
// in the progress bar's description the trade time it reached, its
// trades per second and its ETA, beside the other running series, and
// keeps them there when another action starts.
func TestRebuildProgressOnTerminal(t *testing.T) {
	var out bytes.Buffer
	v := newApplyView(&out, style{}, true)
	v.throttle = 0 // redraw on every event, to see each description
	v.handle(executor.RunStarted{RunID: 1, Actions: 2, Estimate: 400})
	v.handle(executor.ActionStarted{Index: 0, Action: testRebuild})
	v.handle(executor.RebuildProgress{Index: 0, Action: testRebuild, Trades: 12000, Requests: 13, Rows: 400, Reached: 1795780800,
		Elapsed: 4 * time.Second, Left: 6 * time.Second})
	other := testRebuild
	other.Series = ohlc.Series{Pair: "ETHUSD", Interval: 60}
	v.handle(executor.ActionStarted{Index: 1, Action: other})
	var got []string
	for _, frame := range strings.Split(out.String(), "\r") {
		if desc, _, ok := strings.Cut(frame, "   0% |"); ok && strings.HasPrefix(desc, "candles") {
			if len(got) == 0 || got[len(got)-1] != desc {
				got = append(got, desc)
			}
		}
	}
	want := []string{
		"candles (XBTUSD/5)",
		"candles (XBTUSD/5 trades to 2026-11-27 12:00, 3,000 trades/s, ETA 6.0s)",
		"candles (XBTUSD/5 trades to 2026-11-27 12:00, 3,000 trades/s, ETA 6.0s, ETHUSD/60)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bar descriptions (-want +got):\n%s\nout: %q", diff, out.String())
	}
}
