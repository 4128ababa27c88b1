package executor

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

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
	// unvalidated: the file has not yet been read through the strict
	// parser to the span's end, so no coverage may be recorded.
	unvalidated bool
	// short are the parts of a completed action's span its source did
	// not reach (an API answer starting late or ending early).
	short ohlc.SpanSet
}

// newLoad is the load of action a, the idx-th of the plan, with nothing
// confirmed yet.
func newLoad(e *Executor, opts Options, emit func(Event), runID int64, rec *state.ActionRecord, idx int, a planner.Action) *load {
	return &load{e: e, opts: opts, emit: emit, runID: runID, rec: rec, idx: idx, a: a, checkpoint: a.Span.Start}
}

func (l *load) run(ctx context.Context, writers *writerPool) error {
	r, ok := runnerOf(l.a.Kind)
	if !ok {
		return l.fail(context.WithoutCancel(ctx), fmt.Errorf("action kind %s is not supported by this version", l.a.Kind))
	}
	return r.run(l, ctx, writers)
}

// loadCSV is load_csv's runner: one dump member, restricted to the span,
// read once. Its batches go to the sink with writes kept in flight
// (writeAhead) while the strict parser reads on (checking a plain file's
// SHA-256 or a member's CRC when it reaches the end), and state claims
// nothing of the file until the whole span was read without fault: a bad
// row anywhere fails the action with nothing recorded, though rows before
// it may have reached the sink (docs/reliability.md). A load stopped
// before its end by Ctrl-C or a sink failure reads the rest of the span
// through the parser (fail), so what the sink confirmed is still
// recorded.
func (l *load) loadCSV(ctx context.Context, writers *writerPool) error {
	stateCtx := context.WithoutCancel(ctx)
	l.unvalidated = true
	src, err := l.e.Open(ctx, l.a)
	if err != nil {
		return l.fail(stateCtx, err)
	}
	defer src.Close()
	ws, err := writers.getN(ctx, l.writesAhead())
	if err != nil {
		return l.fail(stateCtx, fmt.Errorf("open sink writer: %w", err))
	}
	defer writers.putAll(ws)

	// Batches are parsed ahead while the sink takes earlier ones: one
	// buffer per write in flight, one being confirmed, one being filled,
	// one waiting.
	batches := startBatches(src, l.a.Span, l.opts.BatchRows, len(ws)+3)
	defer batches.close()
	wa := startWriteAhead(stateCtx, ws, l.a.Series, batches.batches)
	defer wa.close()
	interrupted := false
	for {
		p, ok := wa.next()
		if !ok {
			break
		}
		if p.err != nil {
			return l.fail(stateCtx, fmt.Errorf("write %d candles to sink: %w", len(p.batch), p.err))
		}
		if err := l.confirmed(stateCtx, p.batch); err != nil {
			return l.fail(stateCtx, err)
		}
		batches.free <- p.batch[:0]
		if ctx.Err() != nil && !interrupted {
			// Ctrl-C: nothing new is sent; the writes in flight are
			// answered and confirmed, then recorded.
			interrupted = true
			wa.halt()
		}
	}
	if interrupted || ctx.Err() != nil {
		return l.fail(stateCtx, ErrInterrupted)
	}
	<-batches.done
	if batches.err != nil {
		// A bad row, a failed checksum, or the file changed: the rows
		// of the unfinished batch were not written, and none is claimed.
		return l.fail(stateCtx, batches.err)
	}
	// The whole span went through the strict parser: the file may be
	// claimed.
	l.unvalidated = false
	if err := l.checkPromise(l.rows); err != nil {
		return l.fail(stateCtx, err)
	}
	return l.record(stateCtx, l.a.Span.End, state.ActionDone, state.FileLoaded, "")
}

// writeAheadBatches is the size, in batches, from which a load keeps
// several writes in flight: a smaller one gains little from more writers
// and would cost the making of them (a whole archive's thousands of
// medium members, loaded side by side, keep the cores busy anyway).
const writeAheadBatches = 10

// writesAhead is how many writes a load keeps in flight, each on a
// writer of its own: for a big load, as many as the sink takes at once
// (sinks.Concurrent); else one, the next sent as soon as the last is
// answered.
func (l *load) writesAhead() int {
	if c, ok := l.e.Sink.(sinks.Concurrent); ok && l.a.Estimate >= writeAheadBatches*int64(l.opts.BatchRows) {
		return max(1, c.ConcurrentWrites())
	}
	return 1
}

// validate reads the action's span through the strict parser and discards
// it: fail's check of a load stopped before the span's end, so that what
// the sink confirmed may still be recorded.
func (l *load) validate(ctx context.Context) error {
	src, err := l.e.Open(ctx, l.a)
	if err != nil {
		return err
	}
	defer src.Close()
	buf := make([]ohlc.Candle, l.opts.BatchRows)
	for {
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		n, err := src.Read(buf)
		switch {
		case n > 0 && buf[n-1].Time >= l.a.Span.End, err == io.EOF:
			return nil
		case err != nil:
			return err
		}
	}
}

// write sends one batch to the sink and confirms it.
func (l *load) write(ctx context.Context, w sinks.Writer, batch []ohlc.Candle) error {
	if len(batch) == 0 {
		return nil
	}
	if err := w.Write(ctx, l.a.Series, batch); err != nil {
		return fmt.Errorf("write %d candles to sink: %w", len(batch), err)
	}
	return l.confirmed(ctx, batch)
}

// confirmed counts a batch the sink confirmed and, every CheckpointRows
// confirmed rows, records the coverage they prove (never inside a CSV
// file, which is claimed once read to its end: l.unvalidated). It runs to completion even after the first
// Ctrl-C, so a stop is clean; only a second one cuts it short.
func (l *load) confirmed(ctx context.Context, batch []ohlc.Candle) error {
	if len(batch) == 0 {
		return nil
	}
	l.confirm(batch)
	l.emit(ActionProgress{Index: l.idx, Rows: l.rows, Delta: int64(len(batch))})
	if l.unrecorded >= int64(l.opts.CheckpointRows) && !l.unvalidated {
		return l.record(ctx, l.last+l.a.Series.Interval.Seconds(), state.ActionRunning, state.FilePartial, "")
	}
	return nil
}

// record stores coverage [checkpoint, upTo) with the action's status and,
// unless fileStatus is empty, the file's, in one state transaction.
func (l *load) record(ctx context.Context, upTo int64, status state.ActionStatus, fileStatus state.FileStatus, msg string) error {
	steps := l.steps(upTo, status, fileStatus, msg)
	var err error
	if len(steps) == 1 {
		err = l.e.State.Record(ctx, steps[0])
	} else {
		err = l.e.State.RecordAll(ctx, steps)
	}
	if err != nil {
		return fmt.Errorf("record progress in state: %w", err)
	}
	l.recorded(upTo)
	return nil
}

// source is the coverage source of the action's kind.
func (l *load) source() state.Source {
	r, ok := runnerOf(l.a.Kind)
	if !ok {
		return ""
	}
	return r.source(l.a)
}

// progress is the state step of the action's own series that record
// stores: its coverage [checkpoint, upTo), its status and its file.
func (l *load) progress(upTo int64, status state.ActionStatus, fileStatus state.FileStatus, msg string) state.Progress {
	p := state.Progress{
		RunID: l.runID, ActionID: l.rec.ID, Series: l.a.Series,
		Covered: ohlc.Span{Start: l.checkpoint, End: upTo}, Source: l.source(),
		Rows: l.unrecorded, Checkpoint: max(upTo, l.checkpoint), Status: status, Error: msg,
	}
	if l.a.CSV != nil && fileStatus != "" {
		f := &state.FileRecord{Fingerprint: l.a.CSV.Fingerprint, Dump: l.a.CSV.Dump, Member: l.a.CSV.Member, Series: l.a.Series, Rows: l.unrecorded, Status: fileStatus, Error: msg}
		if l.unrecorded > 0 {
			f.First, f.Last = l.first, l.last
		}
		p.File = f
	}
	return p
}

// steps are the state steps record stores in one transaction: progress,
// and for an action that builds several series at once (Builds) each
// series' coverage over its build's part of [checkpoint, upTo) instead
// of the action's own.
func (l *load) steps(upTo int64, status state.ActionStatus, fileStatus state.FileStatus, msg string) []state.Progress {
	own := l.progress(upTo, status, fileStatus, msg)
	if len(l.a.Builds) == 0 {
		return []state.Progress{own}
	}
	done := own.Covered
	own.Covered = ohlc.Span{}
	steps := []state.Progress{own}
	for _, b := range l.a.Builds {
		sp := b.Span.Intersect(done)
		if sp.Empty() {
			continue
		}
		s := ohlc.Series{Pair: l.a.Series.Pair, Interval: b.Interval}
		if s == l.a.Series {
			steps[0].Covered = sp
			continue
		}
		steps = append(steps, state.Progress{Series: s, Covered: sp, Source: own.Source})
	}
	return steps
}

// recorded notes that state holds what progress(upTo, …) described.
func (l *load) recorded(upTo int64) {
	l.unrecorded = 0
	l.checkpoint = max(upTo, l.checkpoint)
}

// fail records what the sink confirmed before cause and marks the action
// failed (or interrupted). Bad content marks the file failed, so it is not
// planned again; a file that changed since the plan gets no record under
// the fingerprint it no longer has.
func (l *load) fail(ctx context.Context, cause error) error {
	if errors.Is(cause, context.Canceled) {
		// Ctrl-C reached the action while it opened or read its file:
		// stopped on request, not failed.
		cause = ErrInterrupted
	}
	if l.unvalidated && l.unrecorded > 0 && !isSourceError(cause) && !errors.Is(cause, krakencsv.ErrChanged) {
		// Stopped before the span's end by something else than the
		// file: read the rest through the parser, so that what the sink
		// confirmed is recorded if the file is good, and a bad one
		// fails as bad.
		if err := l.validate(ctx); err != nil {
			cause = errors.Join(cause, err)
		} else {
			l.unvalidated = false
		}
	}
	upTo := l.checkpoint
	if l.unrecorded > 0 && !l.unvalidated {
		upTo = l.last + l.a.Series.Interval.Seconds()
	}
	status, fileStatus := state.ActionFailed, state.FilePartial
	switch {
	case errors.Is(cause, ErrInterrupted):
		status = state.ActionInterrupted
	case errors.Is(cause, krakencsv.ErrChanged):
		fileStatus = ""
	case isSourceError(cause):
		fileStatus = state.FileFailed
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
