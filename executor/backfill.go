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
	// No since: Kraken answers its newest 720 entries, which start before
	// the API window by the margin, so a missing row at the span's start
	// reads as "no trades" like any other inside the answer.
	res, err := l.e.API.OHLC(ctx, l.a.Series, 0)
	if err != nil {
		if ctx.Err() != nil {
			err = ErrInterrupted
		} else if err = l.judgeAPI(err); errors.Is(err, ErrAPISkipped) {
			return err // recorded as skipped by runAction, not failed
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
	// The answer is in hand: it is written and recorded even if Ctrl-C
	// comes now.
	w, err := writers.get(stateCtx)
	if err != nil {
		return l.fail(stateCtx, fmt.Errorf("open sink writer: %w", err))
	}
	defer writers.put(w)
	if err := l.write(stateCtx, w, batch); err != nil {
		return l.fail(stateCtx, err)
	}
	// Coverage starts where the answer starts: before it, the API said
	// nothing. What it did not reach stays open for the next plan.
	l.checkpoint = reached.Start
	l.short = ohlc.Difference(ohlc.SpanSet{l.a.Span}, ohlc.SpanSet{reached})
	return l.record(stateCtx, reached.End, state.ActionDone, "", "")
}
