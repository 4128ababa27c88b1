package executor

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	skipped bool  // never started: the run was stopped first
	err     error
}

// runAction runs one action and records its outcome in state.
func (e *Executor) runAction(ctx context.Context, opts Options, writers *writerPool, emit func(Event), runID int64, rec *state.ActionRecord, idx int, a planner.Action) outcome {
	stateCtx := context.WithoutCancel(ctx)
	if ctx.Err() != nil {
		err := e.State.Record(stateCtx, state.Progress{RunID: runID, ActionID: rec.ID, Series: a.Series, Checkpoint: a.Span.Start, Status: state.ActionSkipped, Error: "not started: the run was interrupted"})
		return outcome{skipped: true, reached: a.Span.Start, err: err}
	}
	emit(ActionStarted{Index: idx, Action: a})
	began := time.Now()
	l := &load{e: e, opts: opts, emit: emit, runID: runID, rec: rec, idx: idx, a: a, checkpoint: a.Span.Start}
	err := l.run(ctx, writers)
	if err != nil {
		emit(ActionFailed{Index: idx, Action: a, Rows: l.rows, Err: err})
		return outcome{rows: l.rows, reached: l.checkpoint, err: err}
	}
	emit(ActionFinished{Index: idx, Action: a, Rows: l.rows, Duration: time.Since(began)})
	return outcome{rows: l.rows, reached: a.Span.End}
}

// load streams one source into the sink, batch by batch, checkpointing
// coverage in state after the sink confirmed the rows.
type load struct {
	e     *Executor
	opts  Options
	emit  func(Event)
	runID int64
	rec   *state.ActionRecord
	idx   int
	a     planner.Action

	rows       int64 // confirmed by the sink
	unrecorded int64 // confirmed rows not yet in state
	first      int64 // first confirmed candle since the last record
	last       int64 // last confirmed candle
	checkpoint int64 // coverage recorded up to here
}

func (l *load) run(ctx context.Context, writers *writerPool) (err error) {
	stateCtx := context.WithoutCancel(ctx)
	if l.a.Kind != planner.LoadCSV {
		return l.fail(stateCtx, fmt.Errorf("action kind %s is not supported by this version", l.a.Kind), false)
	}
	src, err := l.e.Open(ctx, l.a)
	if err != nil {
		return l.fail(stateCtx, err, false)
	}
	defer src.Close()
	w, err := writers.get(ctx)
	if err != nil {
		return l.fail(stateCtx, fmt.Errorf("open sink writer: %w", err), false)
	}
	defer writers.put(w)

	buf := make([]ohlc.Candle, l.opts.BatchRows)
	batch := make([]ohlc.Candle, 0, l.opts.BatchRows)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		// A batch that was read is written even after Ctrl-C, so the
		// stop is clean; only a second Ctrl-C cuts it short.
		if err := w.Write(stateCtx, l.a.Series, batch); err != nil {
			return fmt.Errorf("write %d candles to sink: %w", len(batch), err)
		}
		if l.unrecorded == 0 {
			l.first = batch[0].Time
		}
		l.last = batch[len(batch)-1].Time
		l.rows += int64(len(batch))
		l.unrecorded += int64(len(batch))
		l.emit(ActionProgress{Index: l.idx, Rows: l.rows, Delta: int64(len(batch))})
		batch = batch[:0]
		if l.unrecorded >= int64(l.opts.CheckpointRows) {
			return l.record(stateCtx, l.last+l.a.Series.Interval.Seconds(), state.ActionRunning, state.FilePartial, "")
		}
		return nil
	}

	done := false
	for !done {
		if ctx.Err() != nil {
			if err := flush(); err != nil {
				return l.fail(stateCtx, err, false)
			}
			return l.fail(stateCtx, ErrInterrupted, false)
		}
		n, rerr := src.Read(buf)
		for _, c := range buf[:n] {
			if c.Time < l.a.Span.Start {
				continue
			}
			if c.Time >= l.a.Span.End {
				done = true
				break
			}
			batch = append(batch, c)
			if len(batch) == cap(batch) {
				if err := flush(); err != nil {
					return l.fail(stateCtx, err, false)
				}
				if ctx.Err() != nil {
					return l.fail(stateCtx, ErrInterrupted, false)
				}
			}
		}
		switch {
		case rerr == io.EOF:
			done = true
		case rerr != nil:
			// Rows read before a bad row are not written: the file is
			// rejected from its last checkpoint on.
			return l.fail(stateCtx, rerr, isSourceError(rerr))
		}
	}
	if err := flush(); err != nil {
		return l.fail(stateCtx, err, false)
	}
	return l.record(stateCtx, l.a.Span.End, state.ActionDone, state.FileLoaded, "")
}

// record stores coverage [checkpoint, upTo) with the action's and file's
// status, in one state transaction.
func (l *load) record(ctx context.Context, upTo int64, status state.ActionStatus, fileStatus state.FileStatus, msg string) error {
	p := state.Progress{
		RunID: l.runID, ActionID: l.rec.ID, Series: l.a.Series,
		Covered: ohlc.Span{Start: l.checkpoint, End: upTo}, Source: state.SourceCSV,
		Rows: l.unrecorded, Checkpoint: max(upTo, l.checkpoint), Status: status, Error: msg,
	}
	if l.a.CSV != nil {
		f := &state.FileRecord{Fingerprint: l.a.CSV.Fingerprint, Dump: l.a.CSV.Dump, Member: l.a.CSV.Member, Series: l.a.Series, Rows: l.unrecorded, Status: fileStatus, Error: msg}
		if l.unrecorded > 0 {
			f.First, f.Last = l.first, l.last
		}
		p.File = f
	}
	if err := l.e.State.Record(ctx, p); err != nil {
		return fmt.Errorf("record progress in state: %w", err)
	}
	l.unrecorded = 0
	l.checkpoint = max(upTo, l.checkpoint)
	return nil
}

// fail records what was confirmed before err and marks the action failed;
// a source error also marks the file failed so it is not planned again.
func (l *load) fail(ctx context.Context, cause error, sourceFault bool) error {
	upTo := l.checkpoint
	if l.unrecorded > 0 {
		upTo = l.last + l.a.Series.Interval.Seconds()
	}
	status, fileStatus := state.ActionFailed, state.FilePartial
	switch {
	case sourceFault:
		fileStatus = state.FileFailed
	case errors.Is(cause, ErrInterrupted):
		status = state.ActionInterrupted
	}
	if err := l.record(ctx, upTo, status, fileStatus, cause.Error()); err != nil {
		return errors.Join(cause, err)
	}
	return cause
}

func isSourceError(err error) bool {
	var se *SourceError
	return errors.As(err, &se)
}
