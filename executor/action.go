package executor

import (
	"context"
	"errors"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/state"
)

// ErrInterrupted is an action's error when the run was stopped under it:
// what it wrote before the stop is recorded, the rest is left for the next
// apply.
var ErrInterrupted = errors.New("interrupted")

// outcome is what one action did.
type outcome struct {
	rows    int64
	reached int64 // coverage was recorded up to here
	skipped bool  // never started: the run was stopped first, or (depSkipped) a dependency failed
	// depSkipped: not run because an action it waits for did not complete.
	depSkipped bool
	// apiSkipped: a backfill not made because the API was unreachable.
	apiSkipped bool
	short      ohlc.SpanSet
	err        error
}

// runAction runs one action and records its outcome in state.
func (e *Executor) runAction(ctx context.Context, opts Options, writers *writerPool, emit func(Event), runID int64, rec *state.ActionRecord, idx int, a planner.Action) outcome {
	if ctx.Err() != nil {
		return e.skip(ctx, runID, rec, a)
	}
	g := e.gate()
	if traitsOf(a.Kind).api && g != nil && g.down() {
		return e.skipAPI(ctx, runID, rec, a)
	}
	emit(ActionStarted{Index: idx, Action: a})
	began := time.Now()
	l := newLoad(e, opts, emit, runID, rec, idx, a)
	err := l.run(ctx, writers)
	if errors.Is(err, ErrAPISkipped) {
		emit(ActionFailed{Index: idx, Action: a, Err: err})
		return e.skipAPI(ctx, runID, rec, a)
	}
	return l.finish(err, began)
}

// skip records an action the run was stopped before.
func (e *Executor) skip(ctx context.Context, runID int64, rec *state.ActionRecord, a planner.Action) outcome {
	err := e.State.Record(context.WithoutCancel(ctx), state.Progress{RunID: runID, ActionID: rec.ID, Series: a.Series, Checkpoint: a.Span.Start, Status: state.ActionSkipped, Error: "not started: the run was interrupted"})
	return outcome{skipped: true, reached: a.Span.Start, err: err}
}

// finish reports how the action ended, given the error its run returned.
func (l *load) finish(err error, began time.Time) outcome {
	if err != nil {
		l.emit(ActionFailed{Index: l.idx, Action: l.a, Rows: l.rows, Err: err})
		return outcome{rows: l.rows, reached: l.checkpoint, err: err}
	}
	l.emit(ActionFinished{Index: l.idx, Action: l.a, Rows: l.rows, Duration: time.Since(began), Short: l.short})
	return outcome{rows: l.rows, reached: l.a.Span.End, short: l.short}
}
