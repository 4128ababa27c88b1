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

// TestProgressLinesOffTerminal drives the text view without a terminal
// through a long load on a fake clock: a progress line once at least 10 s
// passed since the action's last line, nothing in between.
func TestProgressLinesOffTerminal(t *testing.T) {
	start := time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC)
	clock := start
	var out bytes.Buffer
	v := newApplyView(&out, style{}, false)
	v.progress.now = func() time.Time { return clock }

	action := planner.Action{
		Kind:     planner.LoadCSV,
		Series:   ohlc.Series{Pair: "XBTUSD", Interval: 60},
		Span:     ohlc.Span{Start: 1514764800, End: 1601510400}, // [2018-01-01, 2020-10-01)
		CSV:      &planner.CSVSource{Dump: "hourly_2020", Member: "XBTUSD_60.csv"},
		Estimate: 3_022_680,
	}
	v.handle(executor.RunStarted{RunID: 1, Actions: 1, Estimate: action.Estimate})
	v.handle(executor.ActionStarted{Index: 0, Action: action})
	steps := []struct {
		at   time.Duration // since the action started
		rows int64
	}{
		{4 * time.Second, 100_000},
		{9*time.Second + 999*time.Millisecond, 200_000}, // not yet 10 s
		{10 * time.Second, 1_230_000},                   // due: 123,000 rows/s over 10 s
		{15 * time.Second, 1_500_000},                   // 5 s since the last line
		{21 * time.Second, 2_550_000},                   // due again: 1,320,000 in 11 s
	}
	var rows int64
	for _, s := range steps {
		clock = start.Add(s.at)
		v.handle(executor.ActionProgress{Index: 0, Rows: s.rows, Delta: s.rows - rows})
		rows = s.rows
	}
	// A progress event of an action that finished logs nothing.
	v.handle(executor.ActionFinished{Index: 0, Action: action, Rows: rows, Duration: 22 * time.Second})
	clock = start.Add(time.Minute)
	v.handle(executor.ActionProgress{Index: 0, Rows: rows, Delta: 0})

	want := []string{
		"XBTUSD/60 [2018-01-01, 2020-10-01): loading hourly_2020 › XBTUSD_60.csv",
		"XBTUSD/60 [2018-01-01, 2020-10-01): 1,230,000 of ~3,022,680 candles (40%), 123,000 rows/s",
		"XBTUSD/60 [2018-01-01, 2020-10-01): 2,550,000 of ~3,022,680 candles (84%), 120,000 rows/s",
		"XBTUSD/60 [2018-01-01, 2020-10-01): loaded 2,550,000 candles in 22.0s",
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("text view off a terminal (-want +got):\n%s", diff)
	}
}
