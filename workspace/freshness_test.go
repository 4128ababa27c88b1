package workspace

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
)

func TestCheckFreshness(t *testing.T) {
	day := int64(86400)
	at := func(s string) int64 {
		v, err := ohlc.ParseTime(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	hourly := config.Coverage{Name: "hourly", Pairs: []string{"XBTUSD", "DOTUSD"}, Intervals: []ohlc.Interval{60},
		Window: config.Window{Lookback: 7 * day, ToNow: true}, Freshness: config.Freshness{ErrorAfter: 2 * time.Hour}}
	past := config.Coverage{Name: "past", Pairs: []string{"XBTUSD"}, Intervals: []ohlc.Interval{1440},
		Window: config.Window{From: at("2021-01-01"), To: at("2021-02-01")}, Freshness: config.Freshness{WarnAfter: time.Hour}}
	unwatched := config.Coverage{Name: "unwatched", Pairs: []string{"ETHUSD"}, Intervals: []ohlc.Interval{60},
		Window: config.Window{Lookback: day, ToNow: true}}
	cfg := &config.Config{Coverage: []config.Coverage{hourly, past, unwatched}}
	now := at("2021-03-10T10:20:00Z")
	coverage := map[ohlc.Series]ohlc.SpanSet{
		{Pair: "XBTUSD", Interval: 60}: ohlc.NewSpanSet(ohlc.Span{Start: now - 5*day, End: now - 3*day},
			ohlc.Span{Start: now - 2*day, End: at("2021-03-10T08:00:00Z")}),
		{Pair: "XBTUSD", Interval: 1440}: ohlc.NewSpanSet(ohlc.Span{Start: at("2021-01-01"), End: at("2021-02-01")}),
	}
	got := CheckFreshness(cfg, coverage, now)
	want := []Freshness{
		// Never loaded, with only error_after set: an error.
		{Series: ohlc.Series{Pair: "DOTUSD", Interval: 60}, Coverage: []string{"hourly"}, ErrorAfter: 2 * time.Hour,
			Expected: at("2021-03-10T10:00:00Z"), Status: FreshError},
		// The forming candle starts 10:00; data to 08:00 is exactly 2h old.
		{Series: ohlc.Series{Pair: "XBTUSD", Interval: 60}, Coverage: []string{"hourly"}, ErrorAfter: 2 * time.Hour,
			Expected: at("2021-03-10T10:00:00Z"), CoveredUntil: at("2021-03-10T08:00:00Z"), Age: 7200, Status: FreshPass},
		// A window that ended in the past expects data only to its end.
		{Series: ohlc.Series{Pair: "XBTUSD", Interval: 1440}, Coverage: []string{"past"}, WarnAfter: time.Hour,
			Expected: at("2021-02-01"), CoveredUntil: at("2021-02-01"), Status: FreshPass},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckFreshness (-want +got):\n%s", diff)
	}
}
