package executor

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sources/krakenapi"
	"github.com/feefifofunds/candlekeep/state"
)

// ErrAPISkipped is the error of a backfill or rebuild not made because
// another one of the run found Kraken's API unreachable as a whole (a name that does not
// resolve, a refused connection, TLS failing): asking again for every
// series would repeat the same failure, retries and all.
var ErrAPISkipped = errors.New("skipped: Kraken's API is unreachable")

// APIUnreachable is sent once, when a backfill finds Kraken's API
// unreachable (its own ActionFailed follows): the run's remaining backfills
// are skipped, and the run ends failed.
type APIUnreachable struct {
	Index int // the backfill that found it
	Err   error
}

func (APIUnreachable) isEvent() {}

// apiGate stands between a run's backfills and the API. The first
// backfill failing with krakenapi.ErrUnreachable is a failure like any
// other; every backfill after it, or in flight when it came, is skipped.
type apiGate struct {
	api   Backfiller
	first atomic.Int64 // 1 + index of the backfill that found the API down; 0 while up
}

func (g *apiGate) OHLC(ctx context.Context, s ohlc.Series, since int64) (*krakenapi.Result, error) {
	return g.api.OHLC(ctx, s, since)
}

// down says whether the API was found unreachable.
func (g *apiGate) down() bool { return g.first.Load() != 0 }

// judge classifies a backfill's error: the first unreachable one trips the
// gate (and stays a failure), later ones become ErrAPISkipped.
func (g *apiGate) judge(idx int, err error) error {
	if !errors.Is(err, krakenapi.ErrUnreachable) || g.first.CompareAndSwap(0, int64(idx)+1) {
		return err
	}
	return ErrAPISkipped
}

// trippedBy says whether backfill idx found the API unreachable.
func (g *apiGate) trippedBy(idx int) bool { return g != nil && g.first.Load() == int64(idx)+1 }

// judgeAPI passes an API action's error through the run's gate: the first
// action to find Kraken unreachable keeps its error and says so, once,
// before the skipped lines of the actions in flight; a later one gets
// ErrAPISkipped. Without a gate the error is returned as it is.
func (l *load) judgeAPI(err error) error {
	g := l.e.gate()
	if g == nil {
		return err
	}
	err = g.judge(l.idx, err)
	if g.trippedBy(l.idx) {
		l.emit(APIUnreachable{Index: l.idx, Err: err})
	}
	return err
}

// gate is the run's API gate, nil without an API.
func (e *Executor) gate() *apiGate {
	g, _ := e.API.(*apiGate)
	return g
}

// gated returns a copy of e with its API behind a fresh gate, for one run.
func (e *Executor) gated() *Executor {
	if e.API == nil {
		return e
	}
	cp := *e
	cp.API = &apiGate{api: e.API}
	return &cp
}

// skipAPI records a backfill skipped because the API is unreachable: not
// started, its span still an open gap.
func (e *Executor) skipAPI(ctx context.Context, runID int64, rec *state.ActionRecord, a planner.Action) outcome {
	err := e.State.Record(context.WithoutCancel(ctx), state.Progress{RunID: runID, ActionID: rec.ID, Series: a.Series, Checkpoint: a.Span.Start, Status: state.ActionSkipped, Error: ErrAPISkipped.Error()})
	return outcome{apiSkipped: true, reached: a.Span.Start, err: err}
}
