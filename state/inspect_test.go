package state

import (
	"context"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/google/go-cmp/cmp"
)

func TestInspectReads(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		clock := &fakeClock{t: time.Date(2025, 5, 6, 7, 8, 9, 0, time.UTC)}
		s.now = clock.now
		ctx := context.Background()

		// An empty store knows no series.
		all, err := s.CoverageBySource(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 0 {
			t.Errorf("coverage of an empty store = %v", all)
		}

		runs := [][]ActionRecord{
			{
				{Seq: 0, Kind: "load_csv", Series: xbt60, Span: span(0, 10), Dump: "full", Member: "XBTUSD_60.csv", Fingerprint: "crc:a"},
				{Seq: 1, Kind: "load_csv", Series: eth60, Span: span(5, 6), Dump: "q4", Member: "ETHUSD_60.csv", Fingerprint: "crc:b"},
			},
			{
				{Seq: 0, Kind: "backfill_api", Series: xbt60, Span: span(10, 12)},
				{Seq: 1, Kind: "backfill_api", Series: xbt60, Span: span(20, 30)},
			},
		}
		for _, actions := range runs {
			if err := s.BeginRun(ctx, &Run{}, actions); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range []Progress{
			{RunID: 1, ActionID: runs[0][0].ID, Series: xbt60, Covered: span(0, 10), Source: SourceCSV, Rows: 10, Status: ActionDone,
				File: &FileRecord{Fingerprint: "crc:a", Dump: "full", Member: "XBTUSD_60.csv", Series: xbt60, First: 0, Last: 9 * hour, Rows: 10, Status: FileLoaded}},
			{RunID: 1, ActionID: runs[0][1].ID, Series: eth60, Covered: span(5, 6), Source: SourceCSV, Status: ActionFailed, Error: "line 3: 6 fields",
				File: &FileRecord{Fingerprint: "crc:b", Dump: "q4", Member: "ETHUSD_60.csv", Series: eth60, Status: FileFailed, Error: "line 3: 6 fields"}},
			{RunID: 2, ActionID: runs[1][0].ID, Series: xbt60, Covered: span(10, 12), Source: SourceAPI, Rows: 2, Status: ActionDone},
			{RunID: 2, ActionID: runs[1][1].ID, Series: xbt60, Covered: span(20, 30), Source: SourceAPI, Rows: 10, Status: ActionDone},
		} {
			if err := s.Record(ctx, p); err != nil {
				t.Fatal(err)
			}
		}

		all, err = s.CoverageBySource(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantAll := map[ohlc.Series]map[Source]ohlc.SpanSet{
			xbt60: {SourceCSV: {span(0, 10)}, SourceAPI: {span(10, 12), span(20, 30)}},
			eth60: {SourceCSV: {span(5, 6)}},
		}
		if diff := cmp.Diff(wantAll, all); diff != "" {
			t.Errorf("coverage by source (-want +got):\n%s", diff)
		}

		files, err := s.FilesOf(ctx, xbt60)
		if err != nil {
			t.Fatal(err)
		}
		wantFiles := []FileRecord{{Fingerprint: "crc:a", Dump: "full", Member: "XBTUSD_60.csv", Series: xbt60, First: 0, Last: 9 * hour, Rows: 10, Status: FileLoaded, UpdatedAt: clock.now()}}
		if diff := cmp.Diff(wantFiles, files); diff != "" {
			t.Errorf("files of %s (-want +got):\n%s", xbt60, diff)
		}
		none, err := s.FilesOf(ctx, ohlc.Series{Pair: "ADAUSD", Interval: 60})
		if err != nil {
			t.Fatal(err)
		}
		if len(none) != 0 {
			t.Errorf("files of an unknown series = %v", none)
		}

		type brief struct {
			RunID  int64
			Seq    int
			Kind   string
			Status ActionStatus
			Rows   int64
		}
		briefs := func(actions []ActionRecord) []brief {
			out := make([]brief, len(actions))
			for i, a := range actions {
				out[i] = brief{a.RunID, a.Seq, a.Kind, a.Status, a.Rows}
			}
			return out
		}
		for _, tc := range []struct {
			limit int
			want  []brief
		}{
			{0, []brief{{2, 1, "backfill_api", ActionDone, 10}, {2, 0, "backfill_api", ActionDone, 2}, {1, 0, "load_csv", ActionDone, 10}}},
			{2, []brief{{2, 1, "backfill_api", ActionDone, 10}, {2, 0, "backfill_api", ActionDone, 2}}},
		} {
			got, err := s.ActionsOf(ctx, xbt60, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, briefs(got)); diff != "" {
				t.Errorf("actions of %s, limit %d (-want +got):\n%s", xbt60, tc.limit, diff)
			}
		}
		eth, err := s.ActionsOf(ctx, eth60, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(eth) != 1 || eth[0].Error != "line 3: 6 fields" || eth[0].Status != ActionFailed {
			t.Errorf("actions of %s = %+v, want the one failed load with its error", eth60, eth)
		}
	})
}
