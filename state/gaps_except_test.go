package state

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// TestSyncGapsExcept: records of a pair the plan left out (Kraken does not
// know it) are neither continued nor marked filled; the others sync as
// usual.
func TestSyncGapsExcept(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		ctx := context.Background()
		t1 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		t2 := t1.Add(24 * time.Hour)
		if err := s.SyncGaps(ctx, []Gap{
			{Series: xbt60, Span: span(0, 10)},
			{Series: eth60, Span: span(0, 5), Status: GapUnfillable, Reason: "no_dump"},
		}, t1); err != nil {
			t.Fatal(err)
		}
		if err := s.SyncGapsExcept(ctx, func(sr ohlc.Series) bool { return sr.Pair == "ETHUSD" }, nil, t2); err != nil {
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
			{Series: eth60, Span: span(0, 5), Status: GapUnfillable, Reason: "no_dump", DetectedAt: t1},
		}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Gap{}, "ID")); diff != "" {
			t.Errorf("gap records (-want +got):\n%s", diff)
		}
		if err := s.SyncGapsExcept(ctx, func(sr ohlc.Series) bool { return sr.Pair == "ETHUSD" }, []Gap{{Series: eth60, Span: span(7, 8)}}, t2); err == nil {
			t.Error("SyncGapsExcept accepted a gap of a pair left out")
		}
	})
}
