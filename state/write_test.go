package state

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/google/go-cmp/cmp"
)

var (
	xbt60 = ohlc.Series{Pair: "XBTUSD", Interval: 60}
	eth60 = ohlc.Series{Pair: "ETHUSD", Interval: 60}
)

const hour = 3600

func span(startHour, endHour int64) ohlc.Span {
	return ohlc.Span{Start: startHour * hour, End: endHour * hour}
}

func TestRecordMergesCoverage(t *testing.T) {
	type step struct {
		source Source
		span   ohlc.Span
	}
	tests := []struct {
		name  string
		steps []step
		want  map[Source]ohlc.SpanSet
		// rows is how many coverage rows the series must hold: merging
		// replaces rows rather than piling them up.
		rows int
	}{
		{"one span", []step{{SourceCSV, span(0, 10)}},
			map[Source]ohlc.SpanSet{SourceCSV: {span(0, 10)}}, 1},
		{"adjacent spans merge", []step{{SourceCSV, span(0, 10)}, {SourceCSV, span(10, 20)}},
			map[Source]ohlc.SpanSet{SourceCSV: {span(0, 20)}}, 1},
		{"adjacent before", []step{{SourceCSV, span(10, 20)}, {SourceCSV, span(0, 10)}},
			map[Source]ohlc.SpanSet{SourceCSV: {span(0, 20)}}, 1},
		{"overlapping spans merge", []step{{SourceCSV, span(0, 10)}, {SourceCSV, span(5, 15)}},
			map[Source]ohlc.SpanSet{SourceCSV: {span(0, 15)}}, 1},
		{"contained span changes nothing", []step{{SourceCSV, span(0, 10)}, {SourceCSV, span(2, 3)}},
			map[Source]ohlc.SpanSet{SourceCSV: {span(0, 10)}}, 1},
		{"disjoint spans stay apart", []step{{SourceCSV, span(0, 10)}, {SourceCSV, span(20, 30)}},
			map[Source]ohlc.SpanSet{SourceCSV: {span(0, 10), span(20, 30)}}, 2},
		{"bridge joins three", []step{{SourceCSV, span(0, 10)}, {SourceCSV, span(20, 30)}, {SourceCSV, span(10, 20)}},
			map[Source]ohlc.SpanSet{SourceCSV: {span(0, 30)}}, 1},
		{"sources kept apart", []step{{SourceCSV, span(0, 10)}, {SourceAPI, span(10, 20)}},
			map[Source]ohlc.SpanSet{SourceCSV: {span(0, 10)}, SourceAPI: {span(10, 20)}}, 2},
		{"empty span records nothing", []step{{SourceCSV, ohlc.Span{}}},
			map[Source]ohlc.SpanSet{}, 0},
	}
	forEachBackend(t, func(t *testing.T, cfg Config) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := openStore(t, cfgFresh(t, cfg))
				ctx := context.Background()
				for _, st := range tt.steps {
					if err := s.Record(ctx, Progress{Series: xbt60, Covered: st.span, Source: st.source}); err != nil {
						t.Fatalf("Record: %v", err)
					}
				}
				// Another series is untouched by these merges.
				if err := s.Record(ctx, Progress{Series: eth60, Covered: span(0, 100), Source: SourceCSV}); err != nil {
					t.Fatalf("Record: %v", err)
				}
				got, err := s.Coverage(ctx, xbt60)
				if err != nil {
					t.Fatalf("Coverage: %v", err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("coverage (-want +got):\n%s", diff)
				}
				n, err := s.db.NewSelect().Model((*coverageRow)(nil)).Where("pair = ?", xbt60.Pair).Count(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if n != int64(tt.rows) {
					t.Errorf("%d coverage rows, want %d", n, tt.rows)
				}
			})
		}
	})
}

func TestRecordAccumulatesFileAndAction(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		clock := &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
		s.now = clock.now
		ctx := context.Background()
		run := &Run{PlanDigest: "d1"}
		actions := []ActionRecord{{Seq: 0, Kind: "load_csv", Series: xbt60, Span: span(0, 100), Dump: "full", Member: "XBTUSD_60.csv", Fingerprint: "crc:1"}}
		if err := s.BeginRun(ctx, run, actions); err != nil {
			t.Fatalf("BeginRun: %v", err)
		}
		file := func(first, last, rows int64, status FileStatus) *FileRecord {
			return &FileRecord{Fingerprint: "crc:1", Dump: "full", Member: "XBTUSD_60.csv", Series: xbt60, First: first, Last: last, Rows: rows, Status: status}
		}
		steps := []Progress{
			{ActionID: actions[0].ID, Series: xbt60, Covered: span(0, 40), Source: SourceCSV, File: file(10*hour, 39*hour, 30, FilePartial), Rows: 30, Checkpoint: 40 * hour, Status: ActionRunning},
			{ActionID: actions[0].ID, Series: xbt60, Covered: span(40, 100), Source: SourceCSV, File: file(40*hour, 99*hour, 60, FileLoaded), Rows: 60, Checkpoint: 100 * hour, Status: ActionDone},
			// A status-only step: no rows, no range.
			{ActionID: actions[0].ID, Series: xbt60, File: file(0, 0, 0, FileLoaded)},
		}
		for _, p := range steps {
			if err := s.Record(ctx, p); err != nil {
				t.Fatalf("Record: %v", err)
			}
		}
		snap, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantFile := FileRecord{Fingerprint: "crc:1", Dump: "full", Member: "XBTUSD_60.csv", Series: xbt60,
			First: 10 * hour, Last: 99 * hour, Rows: 90, Status: FileLoaded, UpdatedAt: clock.now()}
		if diff := cmp.Diff(map[FileKey]FileRecord{wantFile.Key(): wantFile}, snap.Files); diff != "" {
			t.Errorf("files (-want +got):\n%s", diff)
		}
		got, err := s.RunActions(ctx, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := actions[0]
		want.Status, want.Rows, want.Checkpoint = ActionDone, 90, 100*hour
		if diff := cmp.Diff([]ActionRecord{want}, got); diff != "" {
			t.Errorf("actions (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(ohlc.SpanSet{span(0, 100)}, snap.Coverage[xbt60]); diff != "" {
			t.Errorf("coverage (-want +got):\n%s", diff)
		}
	})
}

func TestSerialCountsWrites(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		ctx := context.Background()
		run := &Run{}
		writes := []struct {
			name  string
			write func() error
			bumps int64
		}{
			{"BeginRun", func() error { return s.BeginRun(ctx, run, nil) }, 1},
			{"Record", func() error {
				return s.Record(ctx, Progress{Series: xbt60, Covered: span(0, 1), Source: SourceCSV})
			}, 1},
			{"SaveFileCache", func() error {
				return s.SaveFileCache(ctx, []FileCacheEntry{{Key: "k", Fingerprint: "f"}})
			}, 0},
			{"SyncGaps with a new gap", func() error {
				return s.SyncGaps(ctx, []Gap{{Series: xbt60, Span: span(5, 6)}}, time.Unix(0, 0))
			}, 1},
			{"SyncGaps with nothing new", func() error {
				return s.SyncGaps(ctx, []Gap{{Series: xbt60, Span: span(5, 6)}}, time.Unix(0, 0))
			}, 0},
			{"FinishRun", func() error { run.Status = RunSucceeded; return s.FinishRun(ctx, run) }, 1},
			{"Lock and Unlock", func() error {
				l, err := s.Lock(ctx, "test", 0)
				if err != nil {
					return err
				}
				return l.Unlock(ctx)
			}, 0},
		}
		for _, w := range writes {
			before := serialOf(t, s)
			if err := w.write(); err != nil {
				t.Fatalf("%s: %v", w.name, err)
			}
			if got := serialOf(t, s) - before; got != w.bumps {
				t.Errorf("%s bumped the serial by %d, want %d", w.name, got, w.bumps)
			}
		}
	})
}

func TestFailedRecordChangesNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		ctx := context.Background()
		if err := s.Record(ctx, Progress{Series: xbt60, Covered: span(0, 10), Source: SourceCSV}); err != nil {
			t.Fatal(err)
		}
		before, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		file := &FileRecord{Fingerprint: "crc:9", Series: xbt60, First: 10 * hour, Last: 19 * hour, Rows: 10, Status: FilePartial}
		// The action does not exist, so the last statement of the
		// transaction fails after coverage and file were written.
		err = s.Record(ctx, Progress{ActionID: 12345, Series: xbt60, Covered: span(10, 20), Source: SourceCSV, File: file, Rows: 10})
		if err == nil {
			t.Fatal("Record of a missing action succeeded")
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		err = s.Record(cancelled, Progress{Series: xbt60, Covered: span(10, 20), Source: SourceCSV, File: file})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Record with a cancelled context = %v, want context.Canceled", err)
		}
		after, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("failed Records changed state (-before +after):\n%s", diff)
		}
	})
}

func TestBeginRunInterruptsUnfinishedRuns(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		ctx := context.Background()
		t0 := time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)
		crashed := &Run{StartedAt: t0, PlanDigest: "a"}
		crashedActions := []ActionRecord{
			{Seq: 0, Kind: "load_csv", Series: xbt60, Span: span(0, 10)},
			{Seq: 1, Kind: "load_csv", Series: eth60, Span: span(0, 10)},
		}
		if err := s.BeginRun(ctx, crashed, crashedActions); err != nil {
			t.Fatal(err)
		}
		if err := s.Record(ctx, Progress{ActionID: crashedActions[0].ID, Series: xbt60, Status: ActionRunning}); err != nil {
			t.Fatal(err)
		}
		next := &Run{StartedAt: t0.Add(time.Hour), PlanDigest: "b"}
		nextActions := make([]ActionRecord, 1200) // more than one insert batch
		for i := range nextActions {
			nextActions[i] = ActionRecord{Seq: i, Kind: "load_csv", Series: xbt60, Span: span(int64(i), int64(i+1))}
		}
		if err := s.BeginRun(ctx, next, nextActions); err != nil {
			t.Fatal(err)
		}
		if next.ID == 0 || next.ID == crashed.ID {
			t.Fatalf("run IDs %d then %d", crashed.ID, next.ID)
		}
		ids := map[int64]bool{}
		for _, a := range nextActions {
			if a.ID == 0 || a.RunID != next.ID || a.Status != ActionPending || ids[a.ID] {
				t.Fatalf("action not filled in: %+v", a)
			}
			ids[a.ID] = true
		}
		runs, err := s.Runs(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		want := []Run{
			{ID: next.ID, Operation: "apply", Status: RunRunning, PlanDigest: "b", StartedAt: t0.Add(time.Hour)},
			{ID: crashed.ID, Operation: "apply", Status: RunInterrupted, PlanDigest: "a", StartedAt: t0,
				Error: fmt.Sprintf("interrupted: still running when run %d began", next.ID)},
		}
		if diff := cmp.Diff(want, runs); diff != "" {
			t.Errorf("runs (-want +got):\n%s", diff)
		}
		old, err := s.RunActions(ctx, crashed.ID)
		if err != nil {
			t.Fatal(err)
		}
		gotStatus := []ActionStatus{old[0].Status, old[1].Status}
		if diff := cmp.Diff([]ActionStatus{ActionInterrupted, ActionSkipped}, gotStatus); diff != "" {
			t.Errorf("statuses of the interrupted run's actions (-want +got):\n%s", diff)
		}
		stored, err := s.RunActions(ctx, next.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(nextActions, stored); diff != "" {
			t.Errorf("stored actions (-want +got):\n%s", diff)
		}
	})
}

func TestFinishRun(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		ctx := context.Background()
		t0 := time.Date(2025, 3, 1, 2, 0, 0, 123456000, time.UTC)
		run := &Run{StartedAt: t0, PlanDigest: "p"}
		actions := []ActionRecord{{Seq: 0, Kind: "load_csv", Series: xbt60}, {Seq: 1, Kind: "load_csv", Series: eth60}}
		if err := s.BeginRun(ctx, run, actions); err != nil {
			t.Fatal(err)
		}
		if err := s.Record(ctx, Progress{ActionID: actions[0].ID, Series: xbt60, Status: ActionDone, Rows: 7}); err != nil {
			t.Fatal(err)
		}
		run.Status, run.FinishedAt = RunInterrupted, t0.Add(90*time.Second)
		run.Actions, run.Succeeded, run.RowsWritten, run.Error = 2, 1, 7, "cancelled"
		if err := s.FinishRun(ctx, run); err != nil {
			t.Fatal(err)
		}
		runs, err := s.Runs(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]Run{*run}, runs); diff != "" {
			t.Errorf("runs (-want +got):\n%s", diff)
		}
		got, err := s.RunActions(ctx, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Status != ActionDone || got[1].Status != ActionSkipped {
			t.Errorf("action statuses %s, %s; want done, skipped", got[0].Status, got[1].Status)
		}
		if err := s.FinishRun(ctx, &Run{ID: 999, Status: RunFailed}); err == nil {
			t.Error("FinishRun of a missing run succeeded")
		}
	})
}

func TestFileCacheRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		ctx := context.Background()
		first := []FileCacheEntry{
			{Key: "file:/d/XBTUSD_60.csv:100:1", Fingerprint: "sha256:aa", Rows: 10, First: 0, Last: 9 * hour},
			{Key: "crc:2", Fingerprint: "crc:2", Rows: 5, First: hour, Last: 5 * hour},
		}
		if err := s.SaveFileCache(ctx, first); err != nil {
			t.Fatal(err)
		}
		update := []FileCacheEntry{
			{Key: "crc:2", Fingerprint: "crc:2", Rows: 6, First: hour, Last: 6 * hour},
			{Key: "crc:3", Fingerprint: "crc:3", Rows: 1},
			{Key: "crc:3", Fingerprint: "crc:3", Rows: 2}, // the last of a key wins
		}
		if err := s.SaveFileCache(ctx, update); err != nil {
			t.Fatal(err)
		}
		got, err := s.FileCache(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]FileCacheEntry{
			first[0].Key: first[0],
			"crc:2":      update[0],
			"crc:3":      update[2],
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("cache (-want +got):\n%s", diff)
		}
	})
}
