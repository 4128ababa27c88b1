package state

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// gcSeed holds what seedGC recorded, for the assertions.
type gcSeed struct {
	t0                 time.Time
	short, long        int64 // a run deleted at the cutoff and one kept
	interrupted, alive int64 // a run without finish time, and one still running
}

// seedGC records gaps resolved at t0+1d and t0+10d and others unresolved
// since t0, and four runs: finished t0+1h (2 actions), finished t0+20d
// (1 action), interrupted without finish time after starting t0+3d
// (1 action), and one still running since t0+4d.
func seedGC(t *testing.T, s *Store) gcSeed {
	t.Helper()
	ctx := context.Background()
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	a := Gap{Series: xbt60, Span: span(0, 10), Status: GapOpen}
	b := Gap{Series: xbt60, Span: span(20, 30), Status: GapOpen}
	c := Gap{Series: eth60, Span: span(0, 5), Status: GapUnfillable, Reason: "older_than_api_window"}
	d := Gap{Series: eth60, Span: span(10, 15), Status: GapFailed, LastError: "EService:Unavailable"}
	for _, sync := range []struct {
		found []Gap
		at    time.Time
	}{
		{[]Gap{a, b, c, d}, t0},
		{[]Gap{b, c, d}, t0.Add(day)},   // a filled at t0+1d
		{[]Gap{c, d}, t0.Add(10 * day)}, // b filled at t0+10d
	} {
		if err := s.SyncGaps(ctx, sync.found, sync.at); err != nil {
			t.Fatal(err)
		}
	}
	actions := func(n int) []ActionRecord {
		out := make([]ActionRecord, n)
		for i := range out {
			out[i] = ActionRecord{Seq: i, Kind: "load_csv", Series: xbt60, Span: span(int64(i)*10, int64(i)*10+10)}
		}
		return out
	}
	begin := func(at time.Time, n int) *Run {
		r := &Run{StartedAt: at}
		if err := s.BeginRun(ctx, r, actions(n)); err != nil {
			t.Fatal(err)
		}
		return r
	}
	finish := func(r *Run, at time.Time, st RunStatus) {
		r.Status, r.FinishedAt = st, at
		if err := s.FinishRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	short := begin(t0, 2)
	finish(short, t0.Add(time.Hour), RunSucceeded)
	long := begin(t0.Add(2*day), 1)
	finish(long, t0.Add(20*day), RunFailed)
	interrupted := begin(t0.Add(3*day), 1)
	alive := begin(t0.Add(4*day), 0) // marks the previous one interrupted
	if err := s.Record(ctx, Progress{Series: xbt60, Covered: span(0, 100), Source: SourceCSV,
		File: &FileRecord{Fingerprint: "f1", Dump: "d.zip", Member: "XBTUSD_60.csv", Series: xbt60, First: 0, Last: 99, Rows: 5, Status: FileLoaded}}); err != nil {
		t.Fatal(err)
	}
	return gcSeed{t0: t0, short: short.ID, long: long.ID, interrupted: interrupted.ID, alive: alive.ID}
}

func TestGC(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		ctx := context.Background()
		s := openStore(t, cfg)
		seed := seedGC(t, s)
		day := 24 * time.Hour
		gapsBefore, runsBefore := seed.t0.Add(5*day), seed.t0.Add(10*day)
		before, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		allGaps, err := s.Gaps(ctx, GapFilter{})
		if err != nil {
			t.Fatal(err)
		}

		want := GCResult{Gaps: 1, Runs: 2, Actions: 3}
		got, err := s.GC(ctx, gapsBefore, runsBefore, true)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("dry run (-want +got):\n%s", diff)
		}
		if serialOf(t, s) != before.Serial {
			t.Errorf("dry run moved the serial from %d to %d", before.Serial, serialOf(t, s))
		}
		if gaps, _ := s.Gaps(ctx, GapFilter{}); len(gaps) != len(allGaps) {
			t.Errorf("dry run deleted gaps: %d left of %d", len(gaps), len(allGaps))
		}

		got, err = s.GC(ctx, gapsBefore, runsBefore, false)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("gc (-want +got):\n%s", diff)
		}
		if serialOf(t, s) != before.Serial+1 {
			t.Errorf("serial %d after gc, want %d", serialOf(t, s), before.Serial+1)
		}

		gaps, err := s.Gaps(ctx, GapFilter{})
		if err != nil {
			t.Fatal(err)
		}
		type kept struct {
			Series ohlc.Series
			Span   ohlc.Span
			Status GapStatus
		}
		var gotGaps []kept
		for _, g := range gaps {
			gotGaps = append(gotGaps, kept{g.Series, g.Span, g.Status})
		}
		wantGaps := []kept{
			{eth60, span(0, 5), GapUnfillable},
			{eth60, span(10, 15), GapFailed},
			{xbt60, span(20, 30), GapFilled}, // resolved after the cutoff
		}
		if diff := cmp.Diff(wantGaps, gotGaps); diff != "" {
			t.Errorf("gaps left (-want +got):\n%s", diff)
		}

		runs, err := s.Runs(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, r := range runs {
			ids = append(ids, r.ID)
		}
		if diff := cmp.Diff([]int64{seed.alive, seed.long}, ids); diff != "" {
			t.Errorf("runs left (-want +got):\n%s", diff)
		}
		for id, n := range map[int64]int{seed.short: 0, seed.interrupted: 0, seed.long: 1} {
			acts, err := s.RunActions(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if len(acts) != n {
				t.Errorf("run %d has %d actions, want %d", id, len(acts), n)
			}
		}

		after, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(before.Coverage, after.Coverage); diff != "" {
			t.Errorf("coverage changed (-before +after):\n%s", diff)
		}
		if diff := cmp.Diff(before.Files, after.Files); diff != "" {
			t.Errorf("files changed (-before +after):\n%s", diff)
		}

		again, err := s.GC(ctx, gapsBefore, runsBefore, false)
		if err != nil {
			t.Fatal(err)
		}
		if !again.Empty() {
			t.Errorf("second gc deleted %+v, want nothing", again)
		}
		if serialOf(t, s) != before.Serial+1 {
			t.Errorf("a gc deleting nothing moved the serial to %d", serialOf(t, s))
		}
	})
}

// TestGCCutoffIsExclusive keeps what was resolved or finished exactly at
// the cutoff.
func TestGCCutoffIsExclusive(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		seed := seedGC(t, s)
		day := 24 * time.Hour
		got, err := s.GC(context.Background(), seed.t0.Add(day), seed.t0.Add(time.Hour), false)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(GCResult{}, got); diff != "" {
			t.Errorf("gc at the cutoff (-want +got):\n%s", diff)
		}
	})
}

// TestRunActionsCascade checks that the foreign key removes a run's actions
// with it, so the pragma that enables it on SQLite is in force.
func TestRunActionsCascade(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		ctx := context.Background()
		s := openStore(t, cfg)
		seed := seedGC(t, s)
		if _, err := s.db.NewDelete().Model((*runRow)(nil)).Where("id = ?", seed.short).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		n, err := s.db.NewSelect().Model((*actionRow)(nil)).Where("run_id = ?", seed.short).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%d actions outlived their run", n)
		}
	})
}
