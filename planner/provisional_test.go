package planner

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/state"
)

// TestComputeRefetchesProvisional: candles fetched less than the settle
// window after their close are fetched again by the next backfill.
func TestComputeRefetchesProvisional(t *testing.T) {
	fetched := "2026-05-14 12:00" // the last backfill's clock
	covered := func() *state.Snapshot {
		c := map[ohlc.Series]ohlc.SpanSet{xbt60: {span(t, "2026-05-01", fetched)}}
		return &state.Snapshot{Coverage: c, APICoverage: c}
	}
	tests := []struct {
		name   string
		now    string
		settle time.Duration
		want   []Action
	}{
		{
			name:   "a day later: the backfill starts an hour before the last fetch",
			now:    "2026-05-15 12:00",
			settle: time.Hour,
			want: []Action{{Kind: BackfillAPI, Series: xbt60, Span: span(t, "2026-05-14 11:00", "2026-05-15 12:00"), Estimate: 25, Requests: 1,
				Provisional: span(t, "2026-05-14 11:00", fetched)}},
		},
		{
			name:   "a longer settle window",
			now:    "2026-05-15 12:00",
			settle: 3 * time.Hour,
			want: []Action{{Kind: BackfillAPI, Series: xbt60, Span: span(t, "2026-05-14 09:00", "2026-05-15 12:00"), Estimate: 27, Requests: 1,
				Provisional: span(t, "2026-05-14 09:00", fetched)}},
		},
		{
			name:   "settle 0s: every fetched candle is final",
			now:    "2026-05-15 12:00",
			settle: 0,
			want:   []Action{{Kind: BackfillAPI, Series: xbt60, Span: span(t, fetched, "2026-05-15 12:00"), Estimate: 24, Requests: 1}},
		},
		{
			name:   "the same clock as the last fetch: nothing to do",
			now:    fetched,
			settle: time.Hour,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := withAPI(configOf(block(t, "hourly", 60, "2026-05-01", "now")), 0)
			cfg.API.Settle = tc.settle
			p := Compute(Input{Config: cfg, State: covered(), Now: at(t, tc.now)})
			for i := range p.Actions {
				p.Actions[i].Coverage, p.Actions[i].Tiers = nil, nil
			}
			if diff := cmp.Diff(tc.want, p.Actions); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
		})
	}
}
