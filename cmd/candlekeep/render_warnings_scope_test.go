package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

func TestUnfillableWording(t *testing.T) {
	tests := []struct {
		unfillable, known int
		summary, apart    string
	}{
		{14, 0, "14 unfillable gaps", "14 gaps"},
		{14, 10, "4 new unfillable gaps (10 already known)", "4 new gaps (and 10 already known)"},
		{11, 10, "1 new unfillable gap (10 already known)", "1 new gap (and 10 already known)"},
		{10, 10, "10 unfillable gaps, all already known", "10 gaps, all already known,"},
		{1, 1, "1 unfillable gap, all already known", "1 gap, all already known,"},
	}
	for _, tc := range tests {
		s := planner.Summary{Unfillable: tc.unfillable, UnfillableKnown: tc.known}
		got := [2]string{unfillableCount(s), unfillableGaps(s)}
		if diff := cmp.Diff([2]string{tc.summary, tc.apart}, got); diff != "" {
			t.Errorf("%d unfillable, %d known (-want +got):\n%s", tc.unfillable, tc.known, diff)
		}
	}
}

func TestScopeWarningText(t *testing.T) {
	xmr := ohlc.Series{Pair: "XMRUSD", Interval: 1440}
	at := func(v string) int64 {
		ts, err := ohlc.ParseTime(v)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	tests := []struct {
		w    planner.Warning
		want string
	}{
		{planner.Warning{Code: planner.WarnNoLongerConfigured, Series: xmr, Candles: 821},
			"no longer configured: XMRUSD/1440, 821 candles stay in the sink (nothing is deleted)"},
		{planner.Warning{Code: planner.WarnNoLongerConfigured, Series: xmr, Candles: 3512, CandlesEstimated: true},
			"no longer configured: XMRUSD/1440, about 3,512 candles stay in the sink (nothing is deleted)"},
		{planner.Warning{Code: planner.WarnNoLongerConfigured, Series: xmr, Candles: 1},
			"no longer configured: XMRUSD/1440, 1 candle stays in the sink (nothing is deleted)"},
		{planner.Warning{Code: planner.WarnBeforeKrakenHistory, Coverage: "all", Span: ohlc.Span{Start: at("1900-01-01"), End: ohlc.KrakenFirstTrade}},
			`coverage "all" reaches back to 1900-01-01, before Kraken's first trades (2013-09-01): it is planned from 2013-09-01`},
		{planner.Warning{Code: planner.WarnBeforeKrakenHistory, Coverage: "old", Span: ohlc.Span{Start: at("1900-01-01"), End: at("2000-01-01")}},
			`coverage "old" wants only [1900-01-01, 2000-01-01), before Kraken's first trades (2013-09-01): nothing of it is planned`},
	}
	for _, tc := range tests {
		if got := warningText(tc.w); got != tc.want {
			t.Errorf("warningText(%+v)\n got %q\nwant %q", tc.w, got, tc.want)
		}
	}
}
