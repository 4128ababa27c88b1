package state

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// RecordAll stores several steps with one serial bump, and on any bad
// step stores none of them.
func TestRecordAll(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfgFresh(t, cfg))
		ctx := context.Background()
		serial := func() int64 {
			snap, err := s.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return snap.Serial
		}
		file := func(s ohlc.Series, fp string) *FileRecord {
			return &FileRecord{Fingerprint: fp, Dump: "q", Member: s.Pair + "_60.csv", Series: s, First: 0, Last: 9 * hour, Rows: 10, Status: FileLoaded}
		}
		before := serial()
		good := []Progress{
			{Series: xbt60, Covered: span(0, 10), Source: SourceCSV, File: file(xbt60, "crc:1"), Rows: 10},
			{Series: eth60, Covered: span(0, 10), Source: SourceCSV, File: file(eth60, "crc:2"), Rows: 10},
		}
		if err := s.RecordAll(ctx, good); err != nil {
			t.Fatalf("RecordAll: %v", err)
		}
		if got := serial() - before; got != 1 {
			t.Errorf("serial bumped %d times, want 1", got)
		}
		for _, series := range []ohlc.Series{xbt60, eth60} {
			got, err := s.Coverage(ctx, series)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(map[Source]ohlc.SpanSet{SourceCSV: {span(0, 10)}}, got); diff != "" {
				t.Errorf("%s coverage (-want +got):\n%s", series, diff)
			}
		}

		// The second step is bad (a file without a fingerprint): the
		// first one's coverage must not be stored either.
		bad := []Progress{
			{Series: xbt60, Covered: span(10, 20), Source: SourceCSV},
			{Series: eth60, Covered: span(10, 20), Source: SourceCSV, File: &FileRecord{Series: eth60}},
		}
		before = serial()
		err := s.RecordAll(ctx, bad)
		if err == nil || !strings.Contains(err.Error(), "ETHUSD") {
			t.Fatalf("RecordAll of a bad step: %v, want an error naming ETHUSD", err)
		}
		if got := serial(); got != before {
			t.Errorf("serial moved from %d to %d on a failed RecordAll", before, got)
		}
		got, err := s.Coverage(ctx, xbt60)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[Source]ohlc.SpanSet{SourceCSV: {span(0, 10)}}, got); diff != "" {
			t.Errorf("coverage after a failed RecordAll (-want +got):\n%s", diff)
		}
	})
}
