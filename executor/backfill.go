package executor

import (
	"context"
	"errors"
	"fmt"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakenapi"
	"github.com/feefifofunds/candlekeep/state"
)

// Backfiller fetches a series' recent candles from Kraken's REST API.
// *krakenapi.Client implements it; its rate limiter and retries are shared
// by every worker.
type Backfiller interface {
	OHLC(ctx context.Context, s ohlc.Series, since int64) (*krakenapi.Result, error)
}

// backfill runs a backfill_api action: one request reaches the whole API
// window, the closed candles inside the action's span are written in one
// batch, and the part of the span the answer vouches for is recorded as
// covered. A span the answer does not reach stays a gap for the next plan.
func (l *load) backfill(ctx context.Context, writers *writerPool) error {
	stateCtx := context.WithoutCancel(ctx)
	if l.e.API == nil {
		return l.fail(stateCtx, errors.New("the plan has an API backfill but the API is not configured"))
	}
	// since asks for entries after it: one interval before the span so the
	// span's first candle is included.
	res, err := l.e.API.OHLC(ctx, l.a.Series, l.a.Span.Start-l.a.Series.Interval.Seconds())
	if err != nil {
		if ctx.Err() != nil {
			err = ErrInterrupted
		}
		return l.fail(stateCtx, err)
	}
	reached := l.a.Span.Intersect(ohlc.Span{Start: res.From, End: res.Until})
	if reached.Empty() {
		return l.fail(stateCtx, fmt.Errorf("the API answer covers %s, nothing of %s", ohlc.Span{Start: res.From, End: res.Until}, l.a.Span))
	}
	var batch []ohlc.Candle
	for _, c := range res.Candles {
		if reached.Contains(c.Time) {
			batch = append(batch, c)
		}
	}
	w, err := writers.get(ctx)
	if err != nil {
		return l.fail(stateCtx, fmt.Errorf("open sink writer: %w", err))
	}
	defer writers.put(w)
	// Coverage starts where the answer starts: before it, the API said
	// nothing.
	l.checkpoint = reached.Start
	if err := l.write(stateCtx, w, batch); err != nil {
		return l.fail(stateCtx, err)
	}
	return l.record(stateCtx, reached.End, state.ActionDone, "", "")
}
