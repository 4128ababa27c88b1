package state

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// BulkSeed writes coverage spans and loaded file records straight into the
// tables, for benchmarks that need a large state quickly (Record would take
// one transaction per span). Exported to external tests only.
func BulkSeed(ctx context.Context, s *Store, coverage map[ohlc.Series]ohlc.SpanSet, files []FileRecord) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cov := make([]coverageRow, 0, insertBatch)
		flushCov := func() error {
			if len(cov) == 0 {
				return nil
			}
			_, err := tx.NewInsert().Model(&cov).Exec(ctx)
			cov = cov[:0]
			return err
		}
		for series, spans := range coverage {
			for _, sp := range spans {
				cov = append(cov, coverageRow{Pair: series.Pair, IntervalMin: int(series.Interval), Source: string(SourceCSV), StartTS: sp.Start, EndTS: sp.End})
				if len(cov) == insertBatch {
					if err := flushCov(); err != nil {
						return err
					}
				}
			}
		}
		if err := flushCov(); err != nil {
			return err
		}
		for from := 0; from < len(files); from += insertBatch {
			batch := files[from:min(from+insertBatch, len(files))]
			rows := make([]fileRow, len(batch))
			for i, f := range batch {
				rows[i] = fileRow{Fingerprint: f.Fingerprint, Dump: f.Dump, Member: f.Member, Pair: f.Series.Pair, IntervalMin: int(f.Series.Interval),
					FirstTS: f.First, LastTS: f.Last, RowCount: f.Rows, Status: string(f.Status)}
			}
			if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
				return fmt.Errorf("seed files: %w", err)
			}
		}
		return nil
	})
}
