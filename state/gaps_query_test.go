package state

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/feefifofunds/candlekeep/ohlc"
)

func TestGapsQuery(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		ctx := context.Background()
		xbt1440 := ohlc.Series{Pair: "XBTUSD", Interval: 1440}
		sol5 := ohlc.Series{Pair: "SOLUSD", Interval: 5}
		t1 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		t2, t3 := t1.Add(24*time.Hour), t1.Add(48*time.Hour)

		a := Gap{Series: xbt60, Span: span(0, 10), Status: GapOpen}
		b := Gap{Series: xbt60, Span: span(20, 30), Status: GapUnfillable, Reason: "older_than_api_window", Suggestion: "Kraken_OHLCVT.zip → XBTUSD_60.csv"}
		c := Gap{Series: xbt1440, Span: span(0, 24), Status: GapOpen}
		d := Gap{Series: eth60, Span: span(0, 5), Status: GapFailed, LastError: "EService:Unavailable"}
		e := Gap{Series: sol5, Span: span(0, 1), Status: GapOpen}
		// Inserted in the order a b c d e, then a is filled, e is filled
		// and a comes back as a new record, so id order differs from the
		// query's order.
		for _, sync := range []struct {
			found []Gap
			at    time.Time
		}{
			{[]Gap{a, b, c, d, e}, t1},
			{[]Gap{b, c, d, e}, t2},
			{[]Gap{a, b, c, d}, t3},
		} {
			if err := s.SyncGaps(ctx, sync.found, sync.at); err != nil {
				t.Fatal(err)
			}
		}

		ethFailed := Gap{Series: eth60, Span: span(0, 5), Status: GapFailed, Attempts: 3, LastError: "EService:Unavailable", DetectedAt: t1}
		solFilled := Gap{Series: sol5, Span: span(0, 1), Status: GapFilled, DetectedAt: t1, ResolvedAt: t3}
		xbtFilled := Gap{Series: xbt60, Span: span(0, 10), Status: GapFilled, DetectedAt: t1, ResolvedAt: t2}
		xbtAgain := Gap{Series: xbt60, Span: span(0, 10), Status: GapOpen, DetectedAt: t3}
		xbtOld := Gap{Series: xbt60, Span: span(20, 30), Status: GapUnfillable, Reason: b.Reason, Suggestion: b.Suggestion, DetectedAt: t1}
		xbtDaily := Gap{Series: xbt1440, Span: span(0, 24), Status: GapOpen, DetectedAt: t1}

		tests := []struct {
			name   string
			filter GapFilter
			want   []Gap
		}{
			{"everything", GapFilter{}, []Gap{ethFailed, solFilled, xbtFilled, xbtAgain, xbtOld, xbtDaily}},
			{"filled", GapFilter{Statuses: []GapStatus{GapFilled}}, []Gap{solFilled, xbtFilled}},
			{"open or unfillable", GapFilter{Statuses: []GapStatus{GapOpen, GapUnfillable}}, []Gap{xbtAgain, xbtOld, xbtDaily}},
			{"one pair", GapFilter{Pairs: []string{"XBTUSD"}}, []Gap{xbtFilled, xbtAgain, xbtOld, xbtDaily}},
			{"one series", GapFilter{Series: []ohlc.Series{xbt1440}}, []Gap{xbtDaily}},
			{"pairs or series", GapFilter{Pairs: []string{"ETHUSD"}, Series: []ohlc.Series{xbt1440, sol5}},
				[]Gap{ethFailed, solFilled, xbtDaily}},
			{"pair and status", GapFilter{Pairs: []string{"XBTUSD", "XBTUSD"}, Statuses: []GapStatus{GapOpen}}, []Gap{xbtAgain, xbtDaily}},
			{"series and statuses", GapFilter{Series: []ohlc.Series{xbt60}, Statuses: []GapStatus{GapFilled, GapFailed}}, []Gap{xbtFilled}},
			{"limit", GapFilter{Limit: 2}, []Gap{ethFailed, solFilled}},
			{"everything filtered, then limited", GapFilter{Pairs: []string{"XBTUSD"}, Series: []ohlc.Series{sol5},
				Statuses: []GapStatus{GapOpen, GapFilled}, Limit: 3}, []Gap{solFilled, xbtFilled, xbtAgain}},
			{"unknown pair", GapFilter{Pairs: []string{"XDGUSD"}}, nil},
			{"series of a known pair at another interval", GapFilter{Series: []ohlc.Series{{Pair: "ETHUSD", Interval: 1440}}}, nil},
		}
		for _, tt := range tests {
			got, err := s.Gaps(ctx, tt.filter)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(Gap{}, "ID"), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s: gaps (-want +got):\n%s", tt.name, diff)
			}
		}
	})
}
