package state

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// TestRecordRetiresDerived checks that candles written again make the
// whole derived candles built from them stale, down a chain of derives,
// and touch nothing else.
func TestRecordRetiresDerived(t *testing.T) {
	const day = 24
	xbt1440 := ohlc.Series{Pair: "XBTUSD", Interval: 1440}
	xbtWeek := ohlc.Series{Pair: "XBTUSD", Interval: 10080}
	eth1440 := ohlc.Series{Pair: "ETHUSD", Interval: 1440}
	type step struct {
		series ohlc.Series
		source Source
		span   ohlc.Span
	}
	// Days 0 to 28 derived from hours, four weeks from days (1970-01-01
	// was a Thursday, so weeks start at day 0), ETHUSD days likewise.
	derived := []step{
		{xbt60, SourceCSV, span(0, 28*day)},
		{xbt1440, DerivedFrom(60), span(0, 28*day)},
		{xbtWeek, DerivedFrom(1440), span(0, 28*day)},
		{eth1440, DerivedFrom(60), span(0, 28*day)},
	}
	tests := []struct {
		name   string
		reload step
		want   map[ohlc.Series]map[Source]ohlc.SpanSet
	}{
		{"hours reloaded: their days and weeks go stale",
			step{xbt60, SourceAPI, span(8*day+5, 8*day+6)},
			map[ohlc.Series]map[Source]ohlc.SpanSet{
				xbt60:   {SourceCSV: {span(0, 28*day)}, SourceAPI: {span(8*day+5, 8*day+6)}},
				xbt1440: {DerivedFrom(60): {span(0, 8*day), span(9*day, 28*day)}},
				xbtWeek: {DerivedFrom(1440): {span(0, 7*day), span(14*day, 28*day)}},
				eth1440: {DerivedFrom(60): {span(0, 28*day)}},
			}},
		{"days derived again: their weeks go stale, not the days",
			step{xbt1440, DerivedFrom(60), span(15*day, 17*day)},
			map[ohlc.Series]map[Source]ohlc.SpanSet{
				xbt60:   {SourceCSV: {span(0, 28*day)}},
				xbt1440: {DerivedFrom(60): {span(0, 28*day)}},
				xbtWeek: {DerivedFrom(1440): {span(0, 14*day), span(21*day, 28*day)}},
				eth1440: {DerivedFrom(60): {span(0, 28*day)}},
			}},
		{"outside the derived spans: nothing retired",
			step{xbt60, SourceCSV, span(28*day, 30*day)},
			map[ohlc.Series]map[Source]ohlc.SpanSet{
				xbt60:   {SourceCSV: {span(0, 30*day)}},
				xbt1440: {DerivedFrom(60): {span(0, 28*day)}},
				xbtWeek: {DerivedFrom(1440): {span(0, 28*day)}},
				eth1440: {DerivedFrom(60): {span(0, 28*day)}},
			}},
	}
	forEachBackend(t, func(t *testing.T, cfg Config) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := openStore(t, cfgFresh(t, cfg))
				ctx := context.Background()
				for _, st := range append(derived, tt.reload) {
					if err := s.Record(ctx, Progress{Series: st.series, Covered: st.span, Source: st.source}); err != nil {
						t.Fatalf("Record: %v", err)
					}
				}
				got := map[ohlc.Series]map[Source]ohlc.SpanSet{}
				for ser := range tt.want {
					cov, err := s.Coverage(ctx, ser)
					if err != nil {
						t.Fatalf("Coverage: %v", err)
					}
					got[ser] = cov
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("coverage (-want +got):\n%s", diff)
				}
			})
		}
	})
}
