package state

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// ForgetCoverage removes spans from a series' coverage, whatever their
// source, in one transaction, and bumps the serial. refresh uses it when the
// sink no longer holds what state says was loaded there, so the next plan
// loads it again.
func (s *Store) ForgetCoverage(ctx context.Context, series ohlc.Series, spans ohlc.SpanSet) error {
	if len(spans) == 0 {
		return nil
	}
	err := s.write(ctx, func(ctx context.Context, tx bun.Tx) error {
		var rows []coverageRow
		if err := tx.NewSelect().Model(&rows).
			Where("sink_id = ? AND pair = ? AND interval_min = ?", s.sink, series.Pair, int(series.Interval)).
			Scan(ctx); err != nil {
			return fmt.Errorf("read coverage: %w", err)
		}
		for _, r := range rows {
			have := ohlc.SpanSet{{Start: r.StartTS, End: r.EndTS}}
			keep := ohlc.Difference(have, spans)
			if len(keep) == 1 && keep[0] == have[0] {
				continue
			}
			if _, err := tx.NewDelete().Model((*coverageRow)(nil)).Where("id = ?", r.ID).Exec(ctx); err != nil {
				return fmt.Errorf("forget coverage: %w", err)
			}
			for _, sp := range keep {
				row := &coverageRow{SinkID: s.sink, Pair: r.Pair, IntervalMin: r.IntervalMin, Source: r.Source, StartTS: sp.Start, EndTS: sp.End}
				if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
					return fmt.Errorf("forget coverage: %w", err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("forget coverage of %s: %w", series, err)
	}
	return nil
}
