package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/state"
)

// TestJSONEventsShortAndFailed covers the lines the quickstart does not
// produce: a backfill that fell short, a failure, an interruption.
func TestJSONEventsShortAndFailed(t *testing.T) {
	var out bytes.Buffer
	v := newJSONEventView(&out)
	v.now = func() time.Time { return time.Date(2026, 11, 28, 1, 2, 3, 0, time.UTC) }
	backfill := planner.Action{
		Kind: planner.BackfillAPI, Series: ohlc.Series{Pair: "XBTUSD", Interval: 60},
		Span: ohlc.Span{Start: 1795737600, End: 1795824000}, Estimate: 24,
	}
	v.handle(executor.ActionStarted{Index: 3, Action: backfill})
	v.handle(executor.ActionFinished{Index: 3, Action: backfill, Rows: 20, Duration: 1500 * time.Millisecond,
		Short: ohlc.SpanSet{{Start: 1795809600, End: 1795824000}}})
	v.handle(executor.ActionFailed{Index: 4, Action: backfill, Rows: 7, Err: fmt.Errorf("write: %w", errors.New("disk full"))})
	v.handle(executor.ActionFailed{Index: 5, Action: backfill, Rows: 0, Err: executor.ErrInterrupted})
	v.summary(executor.Result{RunID: 9, Status: state.RunInterrupted, Done: map[planner.Kind]int{planner.BackfillAPI: 1}, Skipped: 2, Rows: 27,
		Duration: 2 * time.Second, Interrupted: true, Failures: []executor.Failure{{}}}, 0)

	const at = `"time":"2026-11-28T01:02:03Z"`
	want := []string{
		`{"type":"action_started",` + at + `,"index":3,"kind":"backfill_api","series":"XBTUSD/60","span":{"start":"2026-11-27T00:00:00Z","end":"2026-11-28T00:00:00Z"},"estimated_candles":24}`,
		`{"type":"action_finished",` + at + `,"index":3,"series":"XBTUSD/60","rows":20,"duration_ms":1500,"short":[{"start":"2026-11-27T20:00:00Z","end":"2026-11-28T00:00:00Z"}]}`,
		`{"type":"action_failed",` + at + `,"index":4,"series":"XBTUSD/60","rows":7,"error":"write: disk full","interrupted":false}`,
		`{"type":"action_failed",` + at + `,"index":5,"series":"XBTUSD/60","rows":0,"error":"` + executor.ErrInterrupted.Error() + `","interrupted":true}`,
		`{"type":"summary",` + at + `,"status":"interrupted","run_id":9,"loads":0,"backfills":1,"derives":0,"failed":1,"skipped":2,"rows":27,"duration_ms":2000,"interrupted":true,"unfillable":0}`,
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON lines (-want +got):\n%s", diff)
	}
}
