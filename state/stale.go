package state

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// retireDerived makes the derived coverage built from series over span
// stale: candles of series were just written there again (a reload, a
// refetch, a new derive), so longer candles aggregated from the old ones
// may no longer match. Every derived:N row of the same pair overlapping
// span loses the whole candles that overlap it, and what those lose is
// retired in turn (weeks derived from derived days). The next plan sees
// the loss as a gap and derives again; the sink's upsert replaces the old
// candles. It runs in the transaction that records the new coverage, so
// no state records a derived span whose source changed under it.
func retireDerived(ctx context.Context, tx bun.Tx, sink int64, series ohlc.Series, span ohlc.Span) error {
	// Only intervals series divides can be derived from it; naming them
	// lets the coverage index seek instead of scanning the pair's rows,
	// as every record of every load runs this.
	var targets []int
	for _, iv := range ohlc.Intervals {
		if iv > series.Interval && iv%series.Interval == 0 {
			targets = append(targets, int(iv))
		}
	}
	if len(targets) == 0 {
		return nil
	}
	var rows []coverageRow
	if err := tx.NewSelect().Model(&rows).
		Where("sink_id = ? AND pair = ? AND interval_min IN (?) AND source = ?", sink, series.Pair, bun.In(targets), string(DerivedFrom(series.Interval))).
		Where("start_ts < ? AND end_ts > ?", span.End, span.Start).
		Scan(ctx); err != nil {
		return fmt.Errorf("read derived coverage: %w", err)
	}
	for _, r := range rows {
		iv := ohlc.Interval(r.IntervalMin)
		stale := ohlc.Span{Start: iv.AlignDown(span.Start), End: iv.AlignUp(span.End)}
		have := ohlc.SpanSet{{Start: r.StartTS, End: r.EndTS}}
		if _, err := tx.NewDelete().Model((*coverageRow)(nil)).Where("id = ?", r.ID).Exec(ctx); err != nil {
			return fmt.Errorf("retire derived coverage: %w", err)
		}
		for _, sp := range ohlc.Difference(have, ohlc.SpanSet{stale}) {
			row := &coverageRow{SinkID: sink, Pair: r.Pair, IntervalMin: r.IntervalMin, Source: r.Source, StartTS: sp.Start, EndTS: sp.End}
			if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
				return fmt.Errorf("retire derived coverage: %w", err)
			}
		}
		for _, lost := range ohlc.Intersect(have, ohlc.SpanSet{stale}) {
			if err := retireDerived(ctx, tx, sink, ohlc.Series{Pair: r.Pair, Interval: iv}, lost); err != nil {
				return err
			}
		}
	}
	return nil
}
