package state

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

func TestForgetCoverage(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		ctx := context.Background()
		s := openStore(t, cfg)
		xbt := ohlc.Series{Pair: "XBTUSD", Interval: 60}
		eth := ohlc.Series{Pair: "ETHUSD", Interval: 60}
		for _, p := range []Progress{
			{Series: xbt, Covered: ohlc.Span{Start: 0, End: 1000}, Source: SourceCSV},
			{Series: xbt, Covered: ohlc.Span{Start: 2000, End: 3000}, Source: SourceAPI},
			{Series: eth, Covered: ohlc.Span{Start: 0, End: 1000}, Source: SourceCSV},
		} {
			if err := s.Record(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		before := serialOf(t, s)
		if err := s.ForgetCoverage(ctx, xbt, ohlc.SpanSet{{Start: 100, End: 200}, {Start: 900, End: 2500}}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Coverage(ctx, xbt)
		if err != nil {
			t.Fatal(err)
		}
		want := map[Source]ohlc.SpanSet{
			SourceCSV: {{Start: 0, End: 100}, {Start: 200, End: 900}},
			SourceAPI: {{Start: 2500, End: 3000}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("coverage after forgetting (-want +got):\n%s", diff)
		}
		if other, _ := s.Coverage(ctx, eth); len(other[SourceCSV]) != 1 {
			t.Errorf("another series lost coverage: %v", other)
		}
		if serialOf(t, s) != before+1 {
			t.Errorf("serial %d, want %d", serialOf(t, s), before+1)
		}
	})
}
