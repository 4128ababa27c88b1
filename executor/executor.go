// Package executor applies a plan: it runs the plan's actions in a bounded
// worker pool, writes rows to the sink, and records in state only what the
// sink has confirmed. It is candlekeep's only writer.
package executor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sourcegraph/conc/pool"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/state"
)

// Defaults for Options.
const (
	DefaultParallelism    = 4
	DefaultBatchRows      = 10_000
	DefaultCheckpointRows = 100_000
)

// StateWriter is what the executor records in state. *state.Store
// implements it.
type StateWriter interface {
	BeginRun(ctx context.Context, run *state.Run, actions []state.ActionRecord) error
	Record(ctx context.Context, p state.Progress) error
	// RecordAll records several steps in one transaction, all or none.
	RecordAll(ctx context.Context, steps []state.Progress) error
	FinishRun(ctx context.Context, run *state.Run) error
	// SyncGapsOf is SyncGaps limited to the records of some series, for
	// a partial (targeted) plan.
	SyncGapsOf(ctx context.Context, series []ohlc.Series, found []state.Gap, now time.Time) error
	// SyncGapsExcept is SyncGaps leaving the records of some series as
	// they are, for a whole plan that did not look at them (unknown
	// pairs, series no longer configured).
	SyncGapsExcept(ctx context.Context, leftAlone func(ohlc.Series) bool, found []state.Gap, now time.Time) error
	ForgetCoverage(ctx context.Context, series ohlc.Series, spans ohlc.SpanSet) error
}

// CandleReader streams the candles of one source in time order.
type CandleReader interface {
	Read(buf []ohlc.Candle) (int, error)
	Close() error
}

// SourceError marks an error that comes from the source's data (a bad row,
// a corrupt zip) rather than from the sink or the state store: the file is
// then recorded as failed.
type SourceError struct{ Err error }

func (e *SourceError) Error() string { return e.Err.Error() }
func (e *SourceError) Unwrap() error { return e.Err }

// Options tune a run.
type Options struct {
	Parallelism    int // concurrent actions; default 4
	BatchRows      int // rows per sink write; default 10,000
	CheckpointRows int // rows between state checkpoints; default 100,000
	// Now is the clock for run and gap timestamps; default time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Parallelism <= 0 {
		o.Parallelism = DefaultParallelism
	}
	if o.BatchRows <= 0 {
		o.BatchRows = DefaultBatchRows
	}
	if o.CheckpointRows <= 0 {
		o.CheckpointRows = DefaultCheckpointRows
	}
	if o.CheckpointRows < o.BatchRows {
		o.CheckpointRows = o.BatchRows
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Executor applies plans.
type Executor struct {
	Sink  sinks.Sink
	State StateWriter
	// Open opens the source of a load_csv action.
	Open func(ctx context.Context, a planner.Action) (CandleReader, error)
	// API serves backfill_api actions.
	API Backfiller
	// Trades serves rebuild_trades actions; PairRate is one pair's
	// request rate (requests per second, 0 for no limit of its own: the
	// client's limiter is the ceiling over all pairs).
	Trades   TradeSource
	PairRate float64
	// Emit receives progress events, one at a time (never concurrently).
	Emit    func(Event)
	Options Options
}

// Failure is one action that did not complete.
type Failure struct {
	Index  int
	Action planner.Action
	Err    error
}

// Result is the outcome of a run.
type Result struct {
	RunID  int64
	Status state.RunStatus
	// Done counts the actions completed, per kind.
	Done        map[planner.Kind]int
	Skipped     int   // actions not started: the run was interrupted, or (APISkipped) the API unreachable
	APISkipped  int   // backfills skipped because another found Kraken's API unreachable
	Stopped     int   // actions the interrupt stopped part way; their rows count in Rows
	Rows        int64 // candles written
	Duration    time.Duration
	Interrupted bool
	Failures    []Failure
}

// Completed is how many actions completed, all kinds together.
func (r Result) Completed() int {
	n := 0
	for _, c := range r.Done {
		n += c
	}
	return n
}

// Apply runs every action of the plan that is a change. Cancelling ctx
// stops the run cleanly: batches already sent are confirmed and recorded,
// no new batch or action starts. Action failures do not stop the other
// actions; they are in the Result. The error is for failures of the run
// itself (state could not be written).
func (e *Executor) Apply(ctx context.Context, plan *planner.Plan) (Result, error) {
	e = e.gated()
	opts := e.Options.withDefaults()
	started := opts.Now()
	emit := e.serialEmit()

	var work []int
	var estimate int64
	records := make([]state.ActionRecord, 0, len(plan.Actions))
	for i, a := range plan.Actions {
		work = append(work, i)
		estimate += a.Estimate
		records = append(records, actionRecord(i, a))
	}

	// Everything that must reach state does so even after the first
	// Ctrl-C: a clean stop records what was confirmed.
	stateCtx := context.WithoutCancel(ctx)
	if len(work) == 0 {
		// Nothing to load: no run is recorded, but the gap records
		// still follow the plan's unfillable gaps.
		if err := e.syncGaps(stateCtx, plan, unfillableGaps(plan), opts.Now()); err != nil {
			return Result{}, fmt.Errorf("record gaps: %w", err)
		}
		return Result{Status: state.RunSucceeded}, nil
	}
	run := &state.Run{Operation: "apply", Status: state.RunRunning, PlanDigest: plan.Digest(), StartedAt: started, Actions: len(work)}
	if err := e.State.BeginRun(stateCtx, run, records); err != nil {
		return Result{}, fmt.Errorf("begin run: %w", err)
	}
	emit(RunStarted{RunID: run.ID, Actions: len(work), Estimate: estimate})

	outcomes := make([]outcome, len(work))
	writers := newWriterPool(e.Sink, opts.Parallelism)
	defer writers.closeAll()
	g := &group{e: e, opts: opts, writers: writers, emit: emit, runID: run.ID, plan: plan, work: work, records: records, outcomes: outcomes}
	order := startOrder(plan, work)
	wave := make([]int, len(work))
	done := make([]bool, len(work)) // its wave has finished
	all := waves(plan, work)
	for n, ks := range all {
		for _, k := range ks {
			wave[k] = n
		}
	}
	for n, ks := range all {
		p := pool.New().WithMaxGoroutines(opts.Parallelism)
		var small []int
		var smallRows int64
		startGroup := func() {
			ks := small
			small, smallRows = nil, 0
			p.Go(func() { g.run(ctx, ks) })
		}
		for _, k := range order {
			if wave[k] != n {
				continue
			}
			idx := work[k]
			a := plan.Actions[idx]
			if why := blocked(plan, work, outcomes, done, idx); why != "" {
				outcomes[k] = e.skipBlocked(ctx, emit, run.ID, &records[k], idx, a, why)
				continue
			}
			if isSmall(a, opts) {
				small = append(small, k)
				smallRows += a.Estimate
				if smallRows >= int64(opts.BatchRows) || len(small) == maxGroupActions {
					startGroup()
				}
				continue
			}
			p.Go(func() {
				outcomes[k] = e.runAction(ctx, opts, writers, emit, run.ID, &records[k], idx, a)
			})
		}
		if len(small) > 0 {
			startGroup()
		}
		p.Wait()
		for _, k := range ks {
			done[k] = true
		}
	}

	res := Result{RunID: run.ID}
	var gaps []state.Gap
	for k, idx := range work {
		o, a := outcomes[k], plan.Actions[idx]
		res.Rows += o.rows
		switch {
		case o.depSkipped:
			// Not run for want of its source: the span stays an open gap
			// for the next apply, after the source is fixed.
			res.Skipped++
			if o.err != nil {
				res.Failures = append(res.Failures, Failure{Index: idx, Action: a, Err: o.err})
			}
			gaps = append(gaps, state.Gap{Series: a.Series, Span: a.Span, Status: state.GapOpen})
		case o.apiSkipped:
			res.Skipped++
			res.APISkipped++
			gaps = append(gaps, state.Gap{Series: a.Series, Span: a.Span, Status: state.GapOpen})
		case o.skipped:
			res.Skipped++
			res.Interrupted = true
			gaps = append(gaps, state.Gap{Series: a.Series, Span: a.Span, Status: state.GapOpen})
		case errors.Is(o.err, ErrInterrupted):
			res.Interrupted = true
			res.Stopped++
			// Stopped on request, not failed: the rest stays an open gap
			// for the next apply.
			gaps = append(gaps, state.Gap{Series: a.Series, Span: ohlc.Span{Start: o.reached, End: a.Span.End}, Status: state.GapOpen})
		case o.err != nil:
			res.Failures = append(res.Failures, Failure{Index: idx, Action: a, Err: o.err})
			gaps = append(gaps, state.Gap{Series: a.Series, Span: ohlc.Span{Start: o.reached, End: a.Span.End}, Status: state.GapFailed, Attempts: 1, LastError: o.err.Error()})
		default:
			if res.Done == nil {
				res.Done = map[planner.Kind]int{}
			}
			res.Done[a.Kind]++
		}
		for _, sp := range o.short {
			gaps = append(gaps, state.Gap{Series: a.Series, Span: sp, Status: state.GapOpen})
		}
	}
	gaps = append(gaps, unfillableGaps(plan)...)
	var runErr error
	if err := e.syncGaps(stateCtx, plan, gaps, opts.Now()); err != nil {
		runErr = fmt.Errorf("record gaps: %w", err)
	}

	res.Duration = opts.Now().Sub(started)
	res.Status = state.RunSucceeded
	switch {
	case res.Interrupted:
		res.Status = state.RunInterrupted
	case len(res.Failures) > 0 || runErr != nil:
		res.Status = state.RunFailed
	}
	run.Status = res.Status
	run.FinishedAt = opts.Now()
	run.Succeeded = res.Completed()
	run.Failed = len(res.Failures)
	run.RowsWritten = res.Rows
	run.Error = runError(res, runErr)
	if err := e.State.FinishRun(stateCtx, run); err != nil && runErr == nil {
		runErr = fmt.Errorf("finish run: %w", err)
	}
	emit(RunFinished{Result: res})
	return res, runErr
}

func runError(res Result, runErr error) string {
	var msgs []string
	if runErr != nil {
		msgs = append(msgs, runErr.Error())
	}
	for _, f := range res.Failures {
		msgs = append(msgs, fmt.Sprintf("%s %s: %v", f.Action.Series, f.Action.Span, f.Err))
	}
	if res.Interrupted {
		msgs = append(msgs, "interrupted")
	}
	return strings.Join(msgs, "; ")
}

func (e *Executor) serialEmit() func(Event) {
	if e.Emit == nil {
		return func(Event) {}
	}
	var mu sync.Mutex
	return func(ev Event) {
		mu.Lock()
		defer mu.Unlock()
		e.Emit(ev)
	}
}

func actionRecord(i int, a planner.Action) state.ActionRecord {
	r := state.ActionRecord{Seq: i, Kind: string(a.Kind), Series: a.Series, Span: a.Span, Status: state.ActionPending, Checkpoint: a.Span.Start}
	if a.CSV != nil {
		r.Dump, r.Member, r.Fingerprint = a.CSV.Dump, a.CSV.Member, a.CSV.Fingerprint
	}
	return r
}

// unfillableGaps are the plan's gaps as gap records.
func unfillableGaps(plan *planner.Plan) []state.Gap {
	var gaps []state.Gap
	for _, g := range plan.Gaps {
		gaps = append(gaps, state.Gap{Series: g.Series, Span: g.Span, Status: state.GapUnfillable, Reason: string(g.Reason), Suggestion: g.Suggestion.Encode()})
	}
	return gaps
}

// startOrder is the order in which work starts: urgent kinds (API
// backfills) first, shortest interval first, because the API window
// slides with the clock (at one minute, ten candles of margin last ten
// minutes) while CSV loads can wait; otherwise the plan's order.
func startOrder(plan *planner.Plan, work []int) []int {
	order := make([]int, len(work))
	for k := range order {
		order[k] = k
	}
	rank := func(k int) (int, ohlc.Interval) {
		a := plan.Actions[work[k]]
		if traitsOf(a.Kind).urgent {
			return 0, a.Series.Interval
		}
		return 1, 0
	}
	slices.SortStableFunc(order, func(x, y int) int {
		rx, ix := rank(x)
		ry, iy := rank(y)
		if rx != ry {
			return rx - ry
		}
		return int(ix - iy)
	})
	return order
}
