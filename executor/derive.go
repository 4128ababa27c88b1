package executor

import (
	"context"
	"errors"
	"fmt"

	"github.com/feefifofunds/candlekeep/internal/failpoint"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/state"
)

// derive runs a derive action: it streams the source interval's candles
// of the span back from the sink (the plan vouches the source covers the
// span, or loads it first: Action.After), aggregates them with
// ohlc.Aggregator and writes the target candles in batches, recording
// coverage as it goes like any load.
func (l *load) derive(ctx context.Context, writers *writerPool) error {
	stateCtx := context.WithoutCancel(ctx)
	src := ohlc.Series{Pair: l.a.Series.Pair, Interval: l.a.From}
	agg, err := ohlc.NewAggregator(l.a.From, l.a.Series.Interval, ohlc.SpanSet{l.a.Span})
	if err != nil {
		return l.fail(stateCtx, err)
	}
	w, err := writers.get(stateCtx)
	if err != nil {
		return l.fail(stateCtx, fmt.Errorf("open sink writer: %w", err))
	}
	defer writers.put(w)
	var batch []ohlc.Candle
	err = l.e.Sink.ReadCandles(ctx, src, l.a.Span, func(page []ohlc.Candle) error {
		failpoint.Hit("executor.derive.page")
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		var err error
		if batch, err = agg.Add(batch, page...); err != nil {
			return err
		}
		if len(batch) < l.opts.BatchRows {
			return nil
		}
		// Target candles emitted are whole: l.write checkpoints them
		// as a load's batches are, up to the last one's end.
		err = l.write(stateCtx, w, batch)
		batch = batch[:0]
		return err
	})
	if err != nil {
		if errors.Is(err, ErrInterrupted) || ctx.Err() != nil {
			return l.fail(stateCtx, ErrInterrupted)
		}
		return l.fail(stateCtx, fmt.Errorf("derive from %s: %w", src, err))
	}
	batch = agg.Finish(batch)
	if err := l.write(stateCtx, w, batch); err != nil {
		return l.fail(stateCtx, err)
	}
	return l.record(stateCtx, l.a.Span.End, state.ActionDone, "", "")
}
