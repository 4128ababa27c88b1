package state

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestSyncGaps(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		ctx := context.Background()
		t1 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		t2, t3 := t1.Add(24*time.Hour), t1.Add(48*time.Hour)
		first := []Gap{
			{Series: xbt60, Span: span(0, 10), Status: GapOpen},
			{Series: xbt60, Span: span(20, 30), Status: GapUnfillable, Reason: "quarter_not_published", Suggestion: "Q1"},
			{Series: eth60, Span: span(0, 5)}, // no status: open
		}
		if err := s.SyncGaps(ctx, first, t1); err != nil {
			t.Fatal(err)
		}
		second := []Gap{
			// unchanged
			{Series: xbt60, Span: span(0, 10), Status: GapOpen},
			// became fillable: updated in place
			{Series: xbt60, Span: span(20, 30), Status: GapOpen, Reason: "", Suggestion: ""},
			// eth60 [0,5) is gone: resolved
			// new
			{Series: eth60, Span: span(7, 8), Status: GapUnfillable, Reason: "older_than_api_window"},
		}
		if err := s.SyncGaps(ctx, second, t2); err != nil {
			t.Fatal(err)
		}
		// Nothing found any more: everything open is resolved.
		if err := s.SyncGaps(ctx, second[:1], t3); err != nil {
			t.Fatal(err)
		}
		var rows []gapRow
		if err := s.db.NewSelect().Model(&rows).OrderExpr("id").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		got := make([]Gap, len(rows))
		for i, r := range rows {
			got[i] = r.gap()
		}
		want := []Gap{
			{Series: xbt60, Span: span(0, 10), Status: GapOpen, DetectedAt: t1},
			{Series: xbt60, Span: span(20, 30), Status: GapFilled, DetectedAt: t1, ResolvedAt: t3},
			{Series: eth60, Span: span(0, 5), Status: GapFilled, DetectedAt: t1, ResolvedAt: t2},
			{Series: eth60, Span: span(7, 8), Status: GapFilled, Reason: "older_than_api_window", DetectedAt: t2, ResolvedAt: t3},
		}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Gap{}, "ID")); diff != "" {
			t.Errorf("gap records (-want +got):\n%s", diff)
		}
		// A gap that comes back after being filled is a new record.
		if err := s.SyncGaps(ctx, []Gap{second[0], {Series: eth60, Span: span(0, 5)}}, t3); err != nil {
			t.Fatal(err)
		}
		snap, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantOpen := []Gap{
			{Series: eth60, Span: span(0, 5), Status: GapOpen, DetectedAt: t3},
			{Series: xbt60, Span: span(0, 10), Status: GapOpen, DetectedAt: t1},
		}
		if diff := cmp.Diff(wantOpen, snap.Gaps, cmpopts.IgnoreFields(Gap{}, "ID")); diff != "" {
			t.Errorf("open gaps (-want +got):\n%s", diff)
		}
	})
}

// TestSyncGapsCountsFailedAttempts: each failed attempt at a gap adds to
// its record; other outcomes keep the count and the last error.
func TestSyncGapsCountsFailedAttempts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		ctx := context.Background()
		t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		failed := func(attempts int, msg string) Gap {
			return Gap{Series: xbt60, Span: span(0, 10), Status: GapFailed, Attempts: attempts, LastError: msg}
		}
		steps := []struct {
			name  string
			found Gap
			want  Gap
		}{
			{"first failure", failed(1, "e1"),
				Gap{Status: GapFailed, Attempts: 1, LastError: "e1"}},
			{"failed again", failed(1, "e2"),
				Gap{Status: GapFailed, Attempts: 2, LastError: "e2"}},
			{"open again keeps the count", Gap{Series: xbt60, Span: span(0, 10)},
				Gap{Status: GapOpen, Attempts: 2, LastError: "e2"}},
			{"no attempts given counts one", failed(0, "e3"),
				Gap{Status: GapFailed, Attempts: 3, LastError: "e3"}},
			{"several attempts at once", failed(2, "e4"),
				Gap{Status: GapFailed, Attempts: 5, LastError: "e4"}},
			{"unfillable keeps the count", Gap{Series: xbt60, Span: span(0, 10), Status: GapUnfillable, Reason: "quarter_not_published"},
				Gap{Status: GapUnfillable, Reason: "quarter_not_published", Attempts: 5, LastError: "e4"}},
		}
		for i, st := range steps {
			before := serialOf(t, s)
			if err := s.SyncGaps(ctx, []Gap{st.found}, t0); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			// Every step changes the record, a repeated failure included.
			if serialOf(t, s) == before {
				t.Errorf("%s: the serial did not move", st.name)
			}
			want := st.want
			want.Series, want.Span, want.DetectedAt = xbt60, span(0, 10), t0
			if diff := cmp.Diff([]Gap{want}, unfilledGaps(t, s), cmpopts.IgnoreFields(Gap{}, "ID")); diff != "" {
				t.Errorf("step %d, %s: gaps (-want +got):\n%s", i, st.name, diff)
			}
		}
		// A new failed gap without a count is one attempt.
		if err := s.SyncGaps(ctx, []Gap{{Series: eth60, Span: span(0, 5), Status: GapFailed, LastError: "e"}}, t0); err != nil {
			t.Fatal(err)
		}
		want := []Gap{{Series: eth60, Span: span(0, 5), Status: GapFailed, Attempts: 1, LastError: "e", DetectedAt: t0}}
		if diff := cmp.Diff(want, unfilledGaps(t, s), cmpopts.IgnoreFields(Gap{}, "ID")); diff != "" {
			t.Errorf("new failed gap (-want +got):\n%s", diff)
		}
	})
}

// unfilledGaps reads every gap record not yet filled, failed ones
// included (Snapshot leaves those out).
func unfilledGaps(t *testing.T, s *Store) []Gap {
	t.Helper()
	var rows []gapRow
	if err := s.db.NewSelect().Model(&rows).Where("status <> ?", string(GapFilled)).OrderExpr("id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	gaps := make([]Gap, len(rows))
	for i, r := range rows {
		gaps[i] = r.gap()
	}
	return gaps
}
