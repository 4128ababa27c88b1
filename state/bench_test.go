package state

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/uptrace/bun"
)

// BenchmarkSnapshot measures Snapshot on a large SQLite state: 1,000 pairs
// × 8 intervals, 100,000 coverage rows and 20,000 file records.
//
//	go test ./state -run '^$' -bench Snapshot -benchmem -count 6
func BenchmarkSnapshot(b *testing.B) {
	const (
		pairs         = 1000
		coverageRows  = 100_000
		fileRecords   = 20_000
		spanSeconds   = 86400 * 7
		intervalCount = 8
	)
	ctx := context.Background()
	s, err := Open(ctx, Config{Path: filepath.Join(b.TempDir(), "state.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	intervals := []ohlc.Interval{1, 5, 15, 30, 60, 240, 720, 1440}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cov := make([]coverageRow, 0, insertBatch)
		for i := range coverageRows {
			series := i % (pairs * intervalCount)
			nth := int64(i / (pairs * intervalCount))
			cov = append(cov, coverageRow{
				Pair: fmt.Sprintf("PAIR%04d", series/intervalCount), IntervalMin: int(intervals[series%intervalCount]),
				Source: string(SourceCSV), StartTS: nth * 2 * spanSeconds, EndTS: nth*2*spanSeconds + spanSeconds,
			})
			if len(cov) == insertBatch {
				if _, err := tx.NewInsert().Model(&cov).Exec(ctx); err != nil {
					return err
				}
				cov = cov[:0]
			}
		}
		files := make([]fileRow, 0, insertBatch)
		for i := range fileRecords {
			series := i % (pairs * intervalCount)
			files = append(files, fileRow{
				Fingerprint: fmt.Sprintf("crc32:%08x:%d", i, i*1000), Dump: "full",
				Member: fmt.Sprintf("PAIR%04d_%d.csv", series/intervalCount, intervals[series%intervalCount]),
				Pair:   fmt.Sprintf("PAIR%04d", series/intervalCount), IntervalMin: int(intervals[series%intervalCount]),
				FirstTS: 0, LastTS: 1_700_000_000, RowCount: 100_000, Status: string(FileLoaded),
			})
			if len(files) == insertBatch {
				if _, err := tx.NewInsert().Model(&files).Exec(ctx); err != nil {
					return err
				}
				files = files[:0]
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		snap, err := s.Snapshot(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(snap.Files) != fileRecords || len(snap.Coverage) != pairs*intervalCount {
			b.Fatalf("snapshot holds %d files and %d series", len(snap.Files), len(snap.Coverage))
		}
	}
}
