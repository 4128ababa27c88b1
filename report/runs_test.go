package report

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/state"
)

func TestLastRuns(t *testing.T) {
	xbt := ohlc.Series{Pair: "XBTUSD", Interval: 60}
	started := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	runs := []state.Run{
		{ID: 1, Status: state.RunSucceeded, StartedAt: started},
		{ID: 2, Status: state.RunFailed, StartedAt: started.Add(time.Hour)},
		{ID: 3, Status: state.RunInterrupted, StartedAt: started.Add(2 * time.Hour)},
	}
	ref := func(id int64, status state.RunStatus, outcome Outcome) *RunRef {
		return &RunRef{ID: id, Status: status, StartedAt: runs[id-1].StartedAt.Unix(), Outcome: outcome}
	}
	tests := []struct {
		name    string
		actions []state.ActionRecord
		want    *RunRef
	}{
		{name: "no actions"},
		{name: "every attempt failed", actions: []state.ActionRecord{
			{RunID: 1, Series: xbt, Status: state.ActionFailed},
			{RunID: 2, Series: xbt, Status: state.ActionFailed},
		}, want: ref(2, state.RunFailed, OutcomeFailed)},
		{name: "a failure after a success is the last run", actions: []state.ActionRecord{
			{RunID: 1, Series: xbt, Status: state.ActionDone},
			{RunID: 2, Series: xbt, Status: state.ActionFailed},
		}, want: ref(2, state.RunFailed, OutcomeFailed)},
		{name: "in one run, the worst of the series' actions", actions: []state.ActionRecord{
			{RunID: 2, Series: xbt, Status: state.ActionDone},
			{RunID: 2, Series: xbt, Status: state.ActionFailed},
			{RunID: 2, Series: xbt, Status: state.ActionInterrupted},
		}, want: ref(2, state.RunFailed, OutcomeFailed)},
		{name: "interrupted, none failed", actions: []state.ActionRecord{
			{RunID: 3, Series: xbt, Status: state.ActionInterrupted},
			{RunID: 3, Series: xbt, Status: state.ActionDone},
		}, want: ref(3, state.RunInterrupted, OutcomeInterrupted)},
		{name: "a run that never started the series' action does not count", actions: []state.ActionRecord{
			{RunID: 1, Series: xbt, Status: state.ActionDone},
			{RunID: 3, Series: xbt, Status: state.ActionSkipped},
		}, want: ref(1, state.RunSucceeded, OutcomeSucceeded)},
		{name: "a rebuild's cross-check finding comes with the run", actions: []state.ActionRecord{
			{RunID: 3, Series: xbt, Status: state.ActionDone},
			{RunID: 3, Series: xbt, Status: state.ActionDone, Error: state.CrossCheckNote + "1 of 5 candles differ"},
		}, want: func() *RunRef {
			r := ref(3, state.RunInterrupted, OutcomeSucceeded)
			r.CrossCheck = state.CrossCheckNote + "1 of 5 candles differ"
			return r
		}()},
		{name: "a failed action's error is no cross-check", actions: []state.ActionRecord{
			{RunID: 2, Series: xbt, Status: state.ActionFailed, Error: state.CrossCheckNote + "not one"},
		}, want: ref(2, state.RunFailed, OutcomeFailed)},
		{name: "a run no longer listed does not count", actions: []state.ActionRecord{
			{RunID: 9, Series: xbt, Status: state.ActionFailed},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lastRuns(runs, tt.actions)[xbt]
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("last run (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGroupLastRunOutcome: a tier row's last run is its series' newest,
// and in the same run it fares as its worst series did, without changing
// the series' own rows.
func TestGroupLastRunOutcome(t *testing.T) {
	ok := &RunRef{ID: 2, Outcome: OutcomeSucceeded}
	failed := &RunRef{ID: 2, Outcome: OutcomeFailed}
	older := &RunRef{ID: 1, Outcome: OutcomeFailed}
	var row Row
	for _, c := range []*RunRef{older, ok, failed, nil} {
		row.add(Counts{LastRun: c})
	}
	if diff := cmp.Diff(&RunRef{ID: 2, Outcome: OutcomeFailed}, row.LastRun); diff != "" {
		t.Errorf("group's last run (-want +got):\n%s", diff)
	}
	if ok.Outcome != OutcomeSucceeded {
		t.Errorf("a series' run was changed to %s", ok.Outcome)
	}
}
