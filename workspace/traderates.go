package workspace

import (
	"context"
	"fmt"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/state"
)

// rateWindow is how far on each side of a rebuild's span the candles
// the sink holds are read for its pair's trade rate.
const rateWindow = 7 * 86400

// tradeRates measures, for each pair a plan rebuilds, its trades per day
// from the trades column of the candles the sink holds nearest the
// rebuild: a week on each side of the pair's first rebuild, of the
// longest interval it builds (the fewest rows), over the part state
// records as covered. A pair with no such candles is left out: the
// planner then takes the configured default.
func tradeRates(ctx context.Context, sink sinks.Sink, snap *state.Snapshot, plan *planner.Plan) (map[string]planner.TradeRate, error) {
	rates := map[string]planner.TradeRate{}
	for _, a := range plan.Actions {
		if a.Kind != planner.RebuildTrades {
			continue
		}
		if _, done := rates[a.Series.Pair]; done {
			continue
		}
		s := ohlc.Series{Pair: a.Series.Pair, Interval: a.Builds[len(a.Builds)-1].Interval}
		around := ohlc.SpanSet{{Start: a.Span.Start - rateWindow, End: a.Span.Start}, {Start: a.Span.End, End: a.Span.End + rateWindow}}
		known := ohlc.Intersect(ohlc.NewSpanSet(snap.Coverage[s]...), around)
		var seconds, trades int64
		for _, sp := range known {
			seconds += sp.Seconds()
			err := sink.ReadCandles(ctx, s, sp, func(page []ohlc.Candle) error {
				for _, c := range page {
					trades += c.Trades
				}
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("read %s for its trade rate: %w", s, err)
			}
		}
		if seconds == 0 || trades == 0 {
			continue
		}
		rates[a.Series.Pair] = planner.TradeRate{PerDay: float64(trades) * 86400 / float64(seconds),
			Basis: fmt.Sprintf("%s candles %s to %s", s, ohlc.FormatTime(known[0].Start), ohlc.FormatTime(known[len(known)-1].End))}
	}
	return rates, nil
}

// estimateRebuilds plans again with the trade rates the sink tells, when
// the plan rebuilds anything and the sink could be reached: only a plan
// with rebuilds (opt-in) reads the sink for its estimate.
func (s *Session) estimateRebuilds(ctx context.Context, in planner.Input, p *planner.Plan) (_ *planner.Plan, err error) {
	if p.Summary().Rebuilds == 0 || !s.Sink.Checked || !s.Sink.Identity.Exists() {
		return p, nil
	}
	sink, err := OpenSinkReadOnly(ctx, s.Config)
	if err != nil {
		return nil, err
	}
	defer closeWith(&err, sink)
	if in.TradeRates, err = tradeRates(ctx, sink, in.State, p); err != nil {
		return nil, err
	}
	if len(in.TradeRates) == 0 {
		return p, nil
	}
	return planner.Compute(in), nil
}
