package executor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/internal/failpoint"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/sources/krakenapi"
	"github.com/feefifofunds/candlekeep/state"
)

// TradeSource streams a pair's trades from Kraken's public Trades
// endpoint. *krakenapi.Client implements it; its limiter is the ceiling
// over every pair, and its retries are the backfills'.
type TradeSource interface {
	Trades(q krakenapi.TradesQuery) *krakenapi.Trades
}

// rebuildRun is one rebuild_trades action under way: its tape, the
// candles it built and not yet wrote, and what it counted.
type rebuildRun struct {
	l      *load
	tape   *ohlc.Tape
	stream *krakenapi.Trades
	w      sinks.Writer
	built  []ohlc.TapeCandle
	trades int64
	began  time.Time
	check  crossCheck
}

// rebuild runs a rebuild_trades action: one stream of the pair's trades
// over the span feeds one tape that builds every interval of the
// action's builds; candles are written once the tape has passed their
// end, and coverage of every built series is recorded (the shared
// record, one state transaction for all builds) up to the tape's
// checkpoint, a boundary of all of them.
// An interrupted rebuild therefore resumes there at the next plan.
func (l *load) rebuild(ctx context.Context, writers *writerPool) error {
	stateCtx := context.WithoutCancel(ctx)
	if l.e.Trades == nil {
		return l.fail(stateCtx, errors.New("the plan has a rebuild from trades but the API is not configured"))
	}
	ivs := make([]ohlc.Interval, 0, len(l.a.Builds))
	for _, b := range l.a.Builds {
		ivs = append(ivs, b.Interval)
	}
	tape, err := ohlc.NewTape(l.a.Span, ivs...)
	if err != nil {
		return l.fail(stateCtx, err)
	}
	w, err := writers.get(stateCtx)
	if err != nil {
		return l.fail(stateCtx, fmt.Errorf("open sink writer: %w", err))
	}
	defer writers.put(w)
	r := &rebuildRun{l: l, tape: tape, w: w, began: time.Now(),
		stream: l.e.Trades.Trades(krakenapi.TradesQuery{Pair: l.a.Series.Pair, Span: l.a.Span})}
	// One pair's pace; the client's own limiter is the ceiling over all.
	var pace *rate.Limiter
	if l.e.PairRate > 0 {
		pace = rate.NewLimiter(rate.Limit(l.e.PairRate), 1)
	}
	for {
		if ctx.Err() != nil {
			return r.stop(stateCtx, ErrInterrupted)
		}
		if pace != nil {
			if err := pace.Wait(ctx); err != nil {
				return r.stop(stateCtx, ErrInterrupted)
			}
		}
		page, err := r.stream.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			if ctx.Err() != nil {
				err = ErrInterrupted
			} else if err = l.judgeAPI(err); errors.Is(err, ErrAPISkipped) && r.trades == 0 {
				// As a backfill: one not yet under way is skipped.
				return err
			}
			return r.stop(stateCtx, err)
		}
		if r.built, err = tape.Add(r.built, page...); err != nil {
			return r.stop(stateCtx, fmt.Errorf("trades of %s: %w", l.a.Series.Pair, err))
		}
		r.trades += int64(len(page))
		r.built = tape.Advance(r.built, r.stream.Reached())
		if err := r.flush(stateCtx, state.ActionRunning); err != nil {
			return l.fail(stateCtx, err)
		}
		failpoint.Hit("executor.rebuild.page")
	}
	r.built = tape.Advance(r.built, r.stream.Reached())
	if err := r.flush(stateCtx, state.ActionRunning); err != nil {
		return l.fail(stateCtx, err)
	}
	if r.check.compared > 0 {
		l.emit(CrossChecked{Index: l.idx, Action: l.a, Compared: r.check.compared, Differ: r.check.differ, First: r.check.first})
	}
	// A stream that stopped at the present leaves the rest open.
	if end := tape.Checkpoint(); r.stream.Reached() < l.a.Span.End {
		l.short = ohlc.SpanSet{{Start: end, End: l.a.Span.End}}
		return l.record(stateCtx, end, state.ActionDone, "", r.check.summary())
	}
	return l.record(stateCtx, l.a.Span.End, state.ActionDone, "", r.check.summary())
}

// stop writes and records what the tape completed before cause, then
// fails the action with it.
func (r *rebuildRun) stop(ctx context.Context, cause error) error {
	if err := r.flush(ctx, state.ActionRunning); err != nil {
		return r.l.fail(ctx, errors.Join(cause, err))
	}
	return r.l.fail(ctx, cause)
}

// flush writes the built candles inside their builds' spans (a candle
// the sink already holds is compared, not overwritten) and records
// coverage up to the tape's checkpoint once it moved on.
func (r *rebuildRun) flush(ctx context.Context, status state.ActionStatus) error {
	l := r.l
	before := l.unrecorded
	for _, b := range l.a.Builds {
		var batch []ohlc.Candle
		for _, tc := range r.built {
			if tc.Interval == b.Interval && b.Span.Contains(tc.Time) {
				batch = append(batch, tc.Candle)
			}
		}
		if len(batch) == 0 {
			continue
		}
		s := ohlc.Series{Pair: l.a.Series.Pair, Interval: b.Interval}
		fresh, err := r.check.sift(ctx, l.e.Sink, s, batch)
		if err != nil {
			return err
		}
		if len(fresh) > 0 {
			if err := r.w.Write(ctx, s, fresh); err != nil {
				return fmt.Errorf("write %d candles of %s to sink: %w", len(fresh), s, err)
			}
		}
		l.rows += int64(len(fresh))
		l.unrecorded += int64(len(fresh))
	}
	r.built = r.built[:0]
	if delta := l.unrecorded - before; delta > 0 {
		l.emit(ActionProgress{Index: l.idx, Rows: l.rows, Delta: delta})
	}
	r.progress()
	if cp := r.tape.Checkpoint(); cp > l.checkpoint {
		return l.record(ctx, cp, status, "", "")
	}
	return nil
}

// progress reports the rebuild's pace and its estimated time left.
func (r *rebuildRun) progress() {
	l := r.l
	reached := min(r.stream.Reached(), l.a.Span.End)
	p := RebuildProgress{Index: l.idx, Action: l.a, Trades: r.trades, Requests: r.stream.Requests(),
		Rows: l.rows, Reached: reached, Elapsed: time.Since(r.began)}
	// Left: the estimate's duration for the part not yet reached, once
	// the pace so far is known, that pace instead.
	done := float64(reached-l.a.Span.Start) / float64(max(1, l.a.Span.Seconds()))
	switch {
	case done >= 1:
	case done > 0.01:
		p.Left = time.Duration(float64(p.Elapsed) * (1 - done) / done)
	default:
		p.Left = l.a.Duration
	}
	l.emit(p)
}
