package state

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// TestSyncGapsOf: a partial plan's sync resolves and continues records of
// its own series only; the others keep their records untouched.
func TestSyncGapsOf(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		ctx := context.Background()
		t1 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		t2 := t1.Add(24 * time.Hour)
		if err := s.SyncGaps(ctx, []Gap{
			{Series: xbt60, Span: span(0, 10)},
			{Series: xbt60, Span: span(20, 30)},
			{Series: eth60, Span: span(0, 5), Status: GapUnfillable, Reason: "no_dump"},
		}, t1); err != nil {
			t.Fatal(err)
		}
		// The plan of XBTUSD/60 alone found [20,30) only, now [22,30).
		if err := s.SyncGapsOf(ctx, []ohlc.Series{xbt60}, []Gap{{Series: xbt60, Span: span(22, 30)}}, t2); err != nil {
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
			{Series: xbt60, Span: span(0, 10), Status: GapFilled, DetectedAt: t1, ResolvedAt: t2},
			{Series: xbt60, Span: span(22, 30), Status: GapOpen, DetectedAt: t1},
			{Series: eth60, Span: span(0, 5), Status: GapUnfillable, Reason: "no_dump", DetectedAt: t1},
		}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Gap{}, "ID")); diff != "" {
			t.Errorf("gap records (-want +got):\n%s", diff)
		}

		// An empty scope changes nothing, not even the serial.
		before, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SyncGapsOf(ctx, nil, nil, t2); err != nil {
			t.Fatal(err)
		}
		after, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if before.Serial != after.Serial {
			t.Errorf("serial moved from %d to %d with nothing to sync", before.Serial, after.Serial)
		}

		// A found gap outside the scope is refused, and nothing is written.
		err = s.SyncGapsOf(ctx, []ohlc.Series{xbt60}, []Gap{{Series: eth60, Span: span(7, 8)}}, t2)
		if err == nil {
			t.Fatal("SyncGapsOf accepted a gap outside its series")
		}
		if diff := cmp.Diff("record gaps: gap ETHUSD/60 "+span(7, 8).String()+" is outside the series planned", err.Error()); diff != "" {
			t.Errorf("error (-want +got):\n%s", diff)
		}
	})
}
