package executor

import (
	"context"
	"errors"
	"fmt"

	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/state"
)

// ErrDependency is the error of an action not run because an action it
// waits for (planner.Action.After) did not complete.
var ErrDependency = errors.New("an action it waits for did not complete")

// waves orders the run's work (indices into it) by dependencies: every
// action of a wave waits only for actions of earlier waves. The waves run
// one after another, each on the run's bounded pool; most plans have no
// dependencies and so one wave. Actions in a cycle, or waiting for an
// action the plan does not hold, come last, in a wave of their own, and
// are skipped by blocked.
func waves(plan *planner.Plan, work []int) [][]int {
	kOf := make(map[int]int, len(work))
	for k, idx := range work {
		kOf[idx] = k
	}
	level := make([]int, len(work))
	for k := range level {
		level[k] = -1
	}
	var out [][]int
	left := len(work)
	for n := 0; left > 0; n++ {
		var wave []int
		for k, idx := range work {
			if level[k] >= 0 {
				continue
			}
			ready := true
			for _, dep := range plan.Actions[idx].After {
				if d, ok := kOf[dep]; !ok || level[d] < 0 || level[d] == n {
					ready = false
					break
				}
			}
			if ready {
				wave = append(wave, k)
			}
		}
		if len(wave) == 0 {
			// A cycle or a missing action: nothing more becomes ready.
			for k := range level {
				if level[k] < 0 {
					wave = append(wave, k)
				}
			}
		}
		for _, k := range wave {
			level[k] = n
		}
		left -= len(wave)
		out = append(out, wave)
	}
	return out
}

// blocked says why action idx cannot run: an action it waits for failed,
// was skipped or stopped, or is not part of the run; "" when it can.
func blocked(plan *planner.Plan, work []int, outcomes []outcome, done []bool, idx int) string {
	for _, dep := range plan.Actions[idx].After {
		k := -1
		for j, w := range work {
			if w == dep {
				k = j
				break
			}
		}
		if k < 0 || !done[k] {
			return fmt.Sprintf("waits for action %d, which did not run", dep)
		}
		if o := outcomes[k]; o.err != nil || o.skipped || o.apiSkipped {
			a := plan.Actions[dep]
			return fmt.Sprintf("waits for action %d (%s %s %s), which did not complete", dep, a.Kind, a.Series, a.Span)
		}
	}
	return ""
}

// skipBlocked records an action not run because of a dependency, and
// says why.
func (e *Executor) skipBlocked(ctx context.Context, emit func(Event), runID int64, rec *state.ActionRecord, idx int, a planner.Action, why string) outcome {
	err := fmt.Errorf("%s: %w", why, ErrDependency)
	emit(ActionSkipped{Index: idx, Action: a, Err: err})
	rerr := e.State.Record(context.WithoutCancel(ctx), state.Progress{RunID: runID, ActionID: rec.ID, Series: a.Series, Checkpoint: a.Span.Start, Status: state.ActionSkipped, Error: "not started: " + err.Error()})
	return outcome{skipped: true, depSkipped: true, reached: a.Span.Start, err: rerr}
}
