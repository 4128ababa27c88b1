package report

import (
	"strings"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/state"
)

// RunRef names a run, and how a row's series fared in it.
type RunRef struct {
	ID        int64
	Status    state.RunStatus // the run's, whatever its other series did
	StartedAt int64           // Unix seconds
	Outcome   Outcome
	// CrossCheck is, when a rebuild in that run found candles the sink
	// held differing from the ones it rebuilt, what it stored
	// (state.CrossCheckNote…); "" otherwise.
	CrossCheck string
}

// Outcome is how a series fared in a run: the worst of its actions there.
type Outcome string

// Outcomes, from best to worst.
const (
	OutcomeSucceeded   Outcome = "succeeded"   // every action on the series was done
	OutcomeInterrupted Outcome = "interrupted" // one was stopped part way, none failed
	OutcomeFailed      Outcome = "failed"      // one failed
)

func (o Outcome) rank() int {
	switch o {
	case OutcomeFailed:
		return 2
	case OutcomeInterrupted:
		return 1
	}
	return 0
}

// worse is the worse of two outcomes.
func worse(a, b Outcome) Outcome {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// lastRuns finds, per series, the newest run that tried an action on it
// (done, interrupted or failed: a series whose every attempt fails must
// not look untouched), and how the series fared there.
func lastRuns(runs []state.Run, actions []state.ActionRecord) map[ohlc.Series]*RunRef {
	byID := make(map[int64]state.Run, len(runs))
	for _, r := range runs {
		byID[r.ID] = r
	}
	out := make(map[ohlc.Series]*RunRef)
	for _, a := range actions {
		var outcome Outcome
		switch a.Status {
		case state.ActionDone:
			outcome = OutcomeSucceeded
		case state.ActionInterrupted:
			outcome = OutcomeInterrupted
		case state.ActionFailed:
			outcome = OutcomeFailed
		default:
			continue // never started, or still running
		}
		run, ok := byID[a.RunID]
		if !ok {
			continue
		}
		note := ""
		if a.Status == state.ActionDone && strings.HasPrefix(a.Error, state.CrossCheckNote) {
			note = a.Error
		}
		switch cur := out[a.Series]; {
		case cur == nil || run.ID > cur.ID:
			out[a.Series] = &RunRef{ID: run.ID, Status: run.Status, StartedAt: run.StartedAt.Unix(), Outcome: outcome, CrossCheck: note}
		case run.ID == cur.ID:
			cur.Outcome = worse(cur.Outcome, outcome)
			if cur.CrossCheck == "" {
				cur.CrossCheck = note
			}
		}
	}
	return out
}
