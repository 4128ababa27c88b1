package state

import (
	"context"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var foo60 = ohlc.Series{Pair: "FOOUSD", Interval: 60}

// TestSyncGapsContinuesMovingGaps: a gap whose span moved between runs, as
// windows ending now or looking back do, continues its record instead of
// being resolved and recorded anew.
func TestSyncGapsContinuesMovingGaps(t *testing.T) {
	t1 := time.Date(2025, 1, 1, 23, 30, 0, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	day := t1.Truncate(24*time.Hour).Unix() / hour // hours since the epoch at that midnight
	// The window of an unknown pair looking back a day, ending at the last
	// whole hour: at 23:30 and again at 00:30.
	before, after := span(day-1, day+23), span(day, day+24)
	failed := func(s ohlc.Span, msg string) Gap {
		return Gap{Series: foo60, Span: s, Status: GapFailed, Attempts: 1, LastError: msg}
	}
	unfillable := func(s ohlc.Span) Gap {
		return Gap{Series: foo60, Span: s, Status: GapUnfillable, Reason: "older_than_api_window", Suggestion: "S"}
	}
	open := func(sr ohlc.Series, s ohlc.Span) Gap { return Gap{Series: sr, Span: s, Status: GapOpen} }
	type sync struct {
		at      time.Time
		found   []Gap
		changes bool // whether the serial moves
	}
	tests := []struct {
		name  string
		syncs []sync
		want  []Gap // every record, in ID order
	}{
		{
			name: "moving failed gap accumulates attempts",
			syncs: []sync{
				{t1, []Gap{failed(before, "e1")}, true},
				{t2, []Gap{failed(after, "e2")}, true},
			},
			want: []Gap{{Series: foo60, Span: after, Status: GapFailed, Attempts: 2, LastError: "e2", DetectedAt: t1}},
		},
		{
			name: "moving unfillable gap stays unfillable",
			syncs: []sync{
				{t1, []Gap{unfillable(before)}, true},
				{t2, []Gap{unfillable(after)}, true},
			},
			want: []Gap{{Series: foo60, Span: after, Status: GapUnfillable, Reason: "older_than_api_window", Suggestion: "S", DetectedAt: t1}},
		},
		{
			name: "failed then open keeps the history",
			syncs: []sync{
				{t1, []Gap{failed(before, "e1")}, true},
				{t2, []Gap{open(foo60, after)}, true},
			},
			want: []Gap{{Series: foo60, Span: after, Status: GapOpen, Attempts: 1, LastError: "e1", DetectedAt: t1}},
		},
		{
			name: "a gap that disappears is filled",
			syncs: []sync{
				{t1, []Gap{failed(before, "e1"), open(xbt60, span(0, 5))}, true},
				{t2, []Gap{open(xbt60, span(0, 5))}, true},
				{t2, []Gap{open(xbt60, span(0, 5))}, false},
			},
			want: []Gap{
				{Series: foo60, Span: before, Status: GapFilled, Attempts: 1, LastError: "e1", DetectedAt: t1, ResolvedAt: t2},
				{Series: xbt60, Span: span(0, 5), Status: GapOpen, DetectedAt: t1},
			},
		},
		{
			name: "one record, two found gaps: the first continues it",
			syncs: []sync{
				{t1, []Gap{open(xbt60, span(0, 10))}, true},
				// Given out of order: matching goes by span.
				{t2, []Gap{open(xbt60, span(6, 12)), open(xbt60, span(2, 5))}, true},
			},
			want: []Gap{
				{Series: xbt60, Span: span(2, 5), Status: GapOpen, DetectedAt: t1},
				{Series: xbt60, Span: span(6, 12), Status: GapOpen, DetectedAt: t2},
			},
		},
		{
			name: "two records, one found gap: the first is continued",
			syncs: []sync{
				{t1, []Gap{open(xbt60, span(6, 10)), open(xbt60, span(0, 5))}, true},
				{t2, []Gap{open(xbt60, span(3, 8))}, true},
			},
			want: []Gap{
				{Series: xbt60, Span: span(6, 10), Status: GapFilled, DetectedAt: t1, ResolvedAt: t2},
				{Series: xbt60, Span: span(3, 8), Status: GapOpen, DetectedAt: t1},
			},
		},
		{
			name: "a touching span continues the record",
			syncs: []sync{
				{t1, []Gap{failed(span(0, 10), "e1")}, true},
				{t2, []Gap{failed(span(10, 20), "e2")}, true},
			},
			want: []Gap{{Series: foo60, Span: span(10, 20), Status: GapFailed, Attempts: 2, LastError: "e2", DetectedAt: t1}},
		},
		{
			name: "an exact span beats a touching neighbour",
			syncs: []sync{
				{t1, []Gap{unfillable(span(0, 10)), open(foo60, span(10, 20))}, true},
				{t2, []Gap{open(foo60, span(10, 20))}, true},
			},
			want: []Gap{
				{Series: foo60, Span: span(0, 10), Status: GapFilled, Reason: "older_than_api_window", Suggestion: "S", DetectedAt: t1, ResolvedAt: t2},
				{Series: foo60, Span: span(10, 20), Status: GapOpen, DetectedAt: t1},
			},
		},
		{
			name: "an overlap beats a touching neighbour",
			syncs: []sync{
				{t1, []Gap{unfillable(span(0, 10)), open(foo60, span(10, 20))}, true},
				{t2, []Gap{open(foo60, span(10, 21))}, true},
			},
			want: []Gap{
				{Series: foo60, Span: span(0, 10), Status: GapFilled, Reason: "older_than_api_window", Suggestion: "S", DetectedAt: t1, ResolvedAt: t2},
				{Series: foo60, Span: span(10, 21), Status: GapOpen, DetectedAt: t1},
			},
		},
		{
			name: "both neighbours move",
			syncs: []sync{
				{t1, []Gap{unfillable(span(0, 10)), open(foo60, span(10, 20))}, true},
				{t2, []Gap{open(foo60, span(11, 21)), unfillable(span(1, 11))}, true},
			},
			want: []Gap{
				{Series: foo60, Span: span(1, 11), Status: GapUnfillable, Reason: "older_than_api_window", Suggestion: "S", DetectedAt: t1},
				{Series: foo60, Span: span(11, 21), Status: GapOpen, DetectedAt: t1},
			},
		},
		{
			name: "spans apart do not continue",
			syncs: []sync{
				{t1, []Gap{open(xbt60, span(0, 10))}, true},
				{t2, []Gap{open(xbt60, span(11, 20))}, true},
			},
			want: []Gap{
				{Series: xbt60, Span: span(0, 10), Status: GapFilled, DetectedAt: t1, ResolvedAt: t2},
				{Series: xbt60, Span: span(11, 20), Status: GapOpen, DetectedAt: t2},
			},
		},
		{
			name: "another series does not continue",
			syncs: []sync{
				{t1, []Gap{open(xbt60, span(0, 10))}, true},
				{t2, []Gap{open(ohlc.Series{Pair: "XBTUSD", Interval: 1440}, span(0, 24)), open(eth60, span(0, 10))}, true},
			},
			want: []Gap{
				{Series: xbt60, Span: span(0, 10), Status: GapFilled, DetectedAt: t1, ResolvedAt: t2},
				{Series: ohlc.Series{Pair: "XBTUSD", Interval: 1440}, Span: span(0, 24), Status: GapOpen, DetectedAt: t2},
				{Series: eth60, Span: span(0, 10), Status: GapOpen, DetectedAt: t2},
			},
		},
		{
			name: "a moved gap found again unchanged changes nothing",
			syncs: []sync{
				{t1, []Gap{unfillable(before), open(xbt60, span(0, 10))}, true},
				{t2, []Gap{unfillable(after), open(xbt60, span(2, 10))}, true},
				{t2.Add(time.Hour), []Gap{unfillable(after), open(xbt60, span(2, 10))}, false},
			},
			want: []Gap{
				{Series: foo60, Span: after, Status: GapUnfillable, Reason: "older_than_api_window", Suggestion: "S", DetectedAt: t1},
				{Series: xbt60, Span: span(2, 10), Status: GapOpen, DetectedAt: t1},
			},
		},
	}
	forEachBackend(t, func(t *testing.T, cfg Config) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := openStore(t, cfgFresh(t, cfg))
				for i, sy := range tt.syncs {
					before := serialOf(t, s)
					if err := s.SyncGaps(context.Background(), sy.found, sy.at); err != nil {
						t.Fatalf("sync %d: %v", i, err)
					}
					if moved := serialOf(t, s) != before; moved != sy.changes {
						t.Errorf("sync %d: serial moved %v, want %v", i, moved, sy.changes)
					}
				}
				if diff := cmp.Diff(tt.want, allGaps(t, s), cmpopts.IgnoreFields(Gap{}, "ID")); diff != "" {
					t.Errorf("gap records (-want +got):\n%s", diff)
				}
			})
		}
	})
}

// TestSyncGapsMatchingIsDeterministic: the same records and found gaps give
// the same result whatever order the gaps are found in, and finding them
// again changes nothing.
func TestSyncGapsMatchingIsDeterministic(t *testing.T) {
	t1 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	seed := []Gap{
		{Series: xbt60, Span: span(0, 10)},
		{Series: xbt60, Span: span(10, 20), Status: GapUnfillable, Reason: "r"},
		{Series: xbt60, Span: span(30, 40)},
		{Series: eth60, Span: span(0, 10)},
	}
	found := []Gap{
		{Series: xbt60, Span: span(5, 12)},
		{Series: xbt60, Span: span(12, 25), Status: GapUnfillable, Reason: "r"},
		{Series: xbt60, Span: span(25, 30)},
		{Series: xbt60, Span: span(35, 45)},
		{Series: eth60, Span: span(10, 11)},
	}
	reversed := make([]Gap, len(found))
	for i, g := range found {
		reversed[len(found)-1-i] = g
	}
	want := []Gap{
		{Series: eth60, Span: span(10, 11), Status: GapOpen, DetectedAt: t1},
		{Series: xbt60, Span: span(5, 12), Status: GapOpen, DetectedAt: t1},
		{Series: xbt60, Span: span(12, 25), Status: GapUnfillable, Reason: "r", DetectedAt: t1},
		// Touches [30,40) only, which [35,45) overlaps: new.
		{Series: xbt60, Span: span(25, 30), Status: GapOpen, DetectedAt: t2},
		{Series: xbt60, Span: span(35, 45), Status: GapOpen, DetectedAt: t1},
	}
	forEachBackend(t, func(t *testing.T, cfg Config) {
		for _, order := range [][]Gap{found, reversed} {
			s := openStore(t, cfgFresh(t, cfg))
			ctx := context.Background()
			if err := s.SyncGaps(ctx, seed, t1); err != nil {
				t.Fatal(err)
			}
			for run := range 3 {
				before := serialOf(t, s)
				if err := s.SyncGaps(ctx, order, t2); err != nil {
					t.Fatal(err)
				}
				if moved := serialOf(t, s) != before; moved != (run == 0) {
					t.Errorf("run %d: serial moved %v", run, moved)
				}
				// Ordered by series and span, as the records' IDs depend
				// on the order new gaps were given in.
				got, err := s.Gaps(ctx, GapFilter{Statuses: []GapStatus{GapOpen, GapUnfillable, GapFailed}})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Gap{}, "ID")); diff != "" {
					t.Errorf("run %d: unresolved gaps (-want +got):\n%s", run, diff)
				}
			}
		}
	})
}

// TestMatchGaps checks the matching rule on its own, IDs included.
func TestMatchGaps(t *testing.T) {
	rec := func(id int64, sr ohlc.Series, s ohlc.Span) gapRow {
		return gapRow{ID: id, Pair: sr.Pair, IntervalMin: int(sr.Interval), StartTS: s.Start, EndTS: s.End}
	}
	gap := func(sr ohlc.Series, s ohlc.Span) Gap { return Gap{Series: sr, Span: s} }
	tests := []struct {
		name     string
		recorded []gapRow
		found    []Gap
		want     []int
	}{
		{"nothing", nil, nil, []int{}},
		{"exact",
			[]gapRow{rec(1, xbt60, span(0, 10)), rec(2, xbt60, span(10, 20))},
			[]Gap{gap(xbt60, span(10, 20)), gap(xbt60, span(0, 10))},
			[]int{1, 0}},
		{"duplicate records: the lowest ID continues",
			[]gapRow{rec(1, xbt60, span(0, 10)), rec(2, xbt60, span(0, 10))},
			[]Gap{gap(xbt60, span(0, 10))},
			[]int{0, -1}},
		{"greedy in span order",
			[]gapRow{rec(1, xbt60, span(20, 30)), rec(2, xbt60, span(0, 25))},
			[]Gap{gap(xbt60, span(22, 24)), gap(xbt60, span(5, 21))},
			[]int{0, 1}},
		{"equal starts order by end, then ID",
			[]gapRow{rec(3, xbt60, span(0, 20)), rec(2, xbt60, span(0, 10)), rec(1, xbt60, span(0, 10))},
			[]Gap{gap(xbt60, span(5, 6))},
			[]int{-1, -1, 0}},
		{"a record ending early is passed over",
			[]gapRow{rec(1, xbt60, span(0, 2)), rec(2, xbt60, span(1, 50))},
			[]Gap{gap(xbt60, span(10, 11)), gap(xbt60, span(40, 41))},
			[]int{-1, 0}},
		{"touching after overlapping",
			[]gapRow{rec(1, xbt60, span(0, 10)), rec(2, xbt60, span(12, 20))},
			[]Gap{gap(xbt60, span(10, 11)), gap(xbt60, span(10, 12))},
			[]int{0, 1}},
		{"per series",
			[]gapRow{rec(1, eth60, span(0, 10)), rec(2, xbt60, span(0, 10))},
			[]Gap{gap(xbt60, span(5, 15)), gap(eth60, span(20, 30))},
			[]int{-1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, matchGaps(tt.recorded, tt.found)); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
		})
	}
}

// allGaps reads every gap record, filled ones included, in ID order.
func allGaps(t *testing.T, s *Store) []Gap {
	t.Helper()
	var rows []gapRow
	if err := s.db.NewSelect().Model(&rows).OrderExpr("id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	gaps := make([]Gap, len(rows))
	for i, r := range rows {
		gaps[i] = r.gap()
	}
	return gaps
}
