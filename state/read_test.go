package state

import (
	"context"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/google/go-cmp/cmp"
)

func TestSnapshotContents(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		clock := &fakeClock{t: time.Date(2025, 5, 6, 7, 8, 9, 0, time.UTC)}
		s.now = clock.now
		ctx := context.Background()
		records := []Progress{
			{Series: xbt60, Covered: span(0, 10), Source: SourceCSV,
				File: &FileRecord{Fingerprint: "crc:a", Dump: "full", Member: "XBTUSD_60.csv", Series: xbt60, First: 0, Last: 9 * hour, Rows: 10, Status: FileLoaded}},
			// API coverage adjacent to CSV coverage: one span in the snapshot.
			{Series: xbt60, Covered: span(10, 12), Source: SourceAPI},
			{Series: xbt60, Covered: span(20, 30), Source: SourceAPI},
			{Series: eth60, Covered: span(5, 6), Source: SourceCSV,
				File: &FileRecord{Fingerprint: "crc:b", Dump: "q4", Member: "ETHUSD_60.csv", Series: eth60, Status: FileFailed, Error: "line 3: 6 fields"}},
		}
		for _, p := range records {
			if err := s.Record(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		detected := time.Date(2025, 5, 6, 0, 0, 0, 0, time.UTC)
		gaps := []Gap{
			{Series: xbt60, Span: span(12, 20), Status: GapUnfillable, Reason: "older_than_api_window", Suggestion: "Kraken_OHLCVT.zip → XBTUSD_60.csv"},
			{Series: eth60, Span: span(0, 5), Status: GapOpen},
			{Series: eth60, Span: span(6, 7), Status: GapOpen},
		}
		if err := s.SyncGaps(ctx, gaps, detected); err != nil {
			t.Fatal(err)
		}
		// Resolving the last one keeps it out of the snapshot.
		if err := s.SyncGaps(ctx, gaps[:2], detected.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := &Snapshot{
			Lineage: got.Lineage,
			Serial:  int64(len(records) + 2),
			Coverage: map[ohlc.Series]ohlc.SpanSet{
				xbt60: {span(0, 12), span(20, 30)},
				eth60: {span(5, 6)},
			},
			// The API's part, apart: no file record counts its candles.
			APICoverage: map[ohlc.Series]ohlc.SpanSet{xbt60: {span(10, 12), span(20, 30)}},
			Files: map[FileKey]FileRecord{
				{Fingerprint: "crc:a", Dump: "full", Member: "XBTUSD_60.csv"}: {Fingerprint: "crc:a", Dump: "full", Member: "XBTUSD_60.csv", Series: xbt60, First: 0, Last: 9 * hour, Rows: 10, Status: FileLoaded, UpdatedAt: clock.now()},
				{Fingerprint: "crc:b", Dump: "q4", Member: "ETHUSD_60.csv"}:   {Fingerprint: "crc:b", Dump: "q4", Member: "ETHUSD_60.csv", Series: eth60, Status: FileFailed, Error: "line 3: 6 fields", UpdatedAt: clock.now()},
			},
			Gaps: []Gap{
				{Series: eth60, Span: span(0, 5), Status: GapOpen, DetectedAt: detected},
				{Series: xbt60, Span: span(12, 20), Status: GapUnfillable, Reason: "older_than_api_window", Suggestion: "Kraken_OHLCVT.zip → XBTUSD_60.csv", DetectedAt: detected},
			},
		}
		if got.Lineage == "" {
			t.Error("empty lineage")
		}
		if diff := cmp.Diff(want, got, cmpIgnoreGapIDs); diff != "" {
			t.Errorf("snapshot (-want +got):\n%s", diff)
		}
	})
}

var cmpIgnoreGapIDs = cmp.Transformer("gapWithoutID", func(g Gap) Gap { g.ID = 0; return g })

func TestCoverageBySource(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		ctx := context.Background()
		got, err := s.Coverage(ctx, xbt60)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 0 {
			t.Errorf("coverage of an empty store = %v", got)
		}
		for _, p := range []Progress{
			{Series: xbt60, Covered: span(0, 10), Source: SourceCSV},
			{Series: xbt60, Covered: span(5, 15), Source: SourceAPI},
			{Series: ohlc.Series{Pair: "XBTUSD", Interval: 1440}, Covered: span(0, 48), Source: SourceCSV},
		} {
			if err := s.Record(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		got, err = s.Coverage(ctx, xbt60)
		if err != nil {
			t.Fatal(err)
		}
		want := map[Source]ohlc.SpanSet{SourceCSV: {span(0, 10)}, SourceAPI: {span(5, 15)}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("coverage (-want +got):\n%s", diff)
		}
	})
}
