package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/state"
)

// TestComputeMarksLost: of an unfillable gap, the part a run on time
// would have filled from the API, and that state had not recorded as
// unfillable, is lost.
func TestComputeMarksLost(t *testing.T) {
	// Hourly XBTUSD in 2026, no dump; the API window at now starts
	// 2026-04-15 10:00 (710 hours).
	now := at(t, "2026-05-15")
	covered := func(to string) map[ohlc.Series]ohlc.SpanSet {
		return map[ohlc.Series]ohlc.SpanSet{xbt60: {span(t, "2026-01-01", to)}}
	}
	rec := func(status state.GapStatus, from, to string) state.Gap {
		return state.Gap{Series: xbt60, Span: span(t, from, to), Status: status}
	}
	tests := []struct {
		name string
		snap state.Snapshot
		want ohlc.Span // of the one unfillable action
	}{
		{
			name: "never backfilled: nothing was reachable by a run",
			snap: state.Snapshot{Coverage: covered("2026-04-10")},
		},
		{
			// The last backfill covered up to 04-10, reaching back to
			// 03-11 10:00; the runs after it would have reached the rest.
			name: "backfilled up to 04-10, then no run: all of it lost",
			snap: state.Snapshot{Coverage: covered("2026-04-10"), APICoverage: covered("2026-04-10")},
			want: span(t, "2026-04-10", "2026-04-15 10:00"),
		},
		{
			name: "a run during the outage recorded the start as unfillable: the rest is lost now",
			snap: state.Snapshot{Coverage: covered("2026-04-10"), APICoverage: covered("2026-04-10"),
				Gaps: []state.Gap{rec(state.GapUnfillable, "2026-04-10", "2026-04-13")}},
			want: span(t, "2026-04-13", "2026-04-15 10:00"),
		},
		{
			name: "all of it recorded already: known, not lost again",
			snap: state.Snapshot{Coverage: covered("2026-04-10"), APICoverage: covered("2026-04-10"),
				Gaps: []state.Gap{rec(state.GapUnfillable, "2026-04-10", "2026-04-15 10:00")}},
		},
		{
			name: "recorded open (fillable) from a CSV-only state: that part is lost",
			snap: state.Snapshot{Coverage: covered("2026-04-10"),
				Gaps: []state.Gap{rec(state.GapOpen, "2026-04-10", "2026-04-12")}},
			want: span(t, "2026-04-10", "2026-04-12"),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := withAPI(configOf(block(t, "hourly", 60, "2026-01-01", "now")), 0)
			p := Compute(Input{Config: cfg, State: &tc.snap, Now: now})
			var lost []ohlc.Span
			for _, g := range p.Gaps {
				lost = append(lost, g.Lost)
			}
			if diff := cmp.Diff([]ohlc.Span{tc.want}, lost); diff != "" {
				t.Errorf("lost parts (-want +got):\n%s", diff)
			}
			wantN, wantSlots := 0, int64(0)
			if !tc.want.Empty() {
				wantN, wantSlots = 1, tc.want.Candles(60)
			}
			if s := p.Summary(); s.Lost != wantN || s.LostCandleSlots != wantSlots {
				t.Errorf("summary: %d lost, %d slots; want %d, %d", s.Lost, s.LostCandleSlots, wantN, wantSlots)
			}
		})
	}
}
