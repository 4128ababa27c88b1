package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/state"
)

func TestComputeMarksKnownUnfillable(t *testing.T) {
	// No dump and no API: 2019–2022 of XBTUSD/1440 is one unfillable gap.
	cfg := configOf(block(t, "daily", 1440, "2019-01-01", "2022-01-01"))
	eth := ohlc.Series{Pair: "ETHUSD", Interval: 1440}
	rec := func(s ohlc.Series, status state.GapStatus, from, to string) state.Gap {
		return state.Gap{Series: s, Span: span(t, from, to), Status: status}
	}
	tests := []struct {
		name string
		gaps []state.Gap
		want bool
	}{
		{"nothing recorded: new", nil, false},
		{"recorded with the same span: known", []state.Gap{rec(xbt1440, state.GapUnfillable, "2019-01-01", "2022-01-01")}, true},
		{"within a wider record: known", []state.Gap{rec(xbt1440, state.GapUnfillable, "2018-01-01", "2023-01-01")}, true},
		{"within two touching records: known", []state.Gap{
			rec(xbt1440, state.GapUnfillable, "2019-01-01", "2020-01-01"),
			rec(xbt1440, state.GapUnfillable, "2020-01-01", "2022-01-01"),
		}, true},
		{"the window reaches further back than the record: new", []state.Gap{rec(xbt1440, state.GapUnfillable, "2020-01-01", "2022-01-01")}, false},
		{"recorded open, not unfillable: new", []state.Gap{rec(xbt1440, state.GapOpen, "2019-01-01", "2022-01-01")}, false},
		{"recorded for another series: new", []state.Gap{rec(eth, state.GapUnfillable, "2019-01-01", "2022-01-01")}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Compute(Input{Config: cfg, State: &state.Snapshot{Gaps: tc.gaps}, Now: at(t, "2024-07-01")})
			if len(p.Listing()) != 1 || p.Listing()[0].Kind != Unfillable {
				t.Fatalf("want one unfillable action, got %+v", p.Listing())
			}
			if got := p.Listing()[0].Known; got != tc.want {
				t.Errorf("Known = %v, want %v", got, tc.want)
			}
			known := 0
			if tc.want {
				known = 1
			}
			if s := p.Summary(); s.Unfillable != 1 || s.UnfillableKnown != known {
				t.Errorf("summary counts %d unfillable, %d known; want 1, %d", s.Unfillable, s.UnfillableKnown, known)
			}
		})
	}
}

func TestComputeWarnsNoLongerConfigured(t *testing.T) {
	cfg := configOf(block(t, "daily", 1440, "2019-01-01", "2022-01-01"))
	xmr := ohlc.Series{Pair: "XMRUSD", Interval: 1440}
	eth := ohlc.Series{Pair: "ETHUSD", Interval: 60}
	ada := ohlc.Series{Pair: "ADAUSD", Interval: 1440}
	all := span(t, "2019-01-01", "2022-01-01")
	file := func(fp string, s ohlc.Series, rows int64, first, last string) state.FileRecord {
		return state.FileRecord{Fingerprint: fp, Series: s, Rows: rows, First: at(t, first), Last: at(t, last), Status: state.FileLoaded}
	}
	tests := []struct {
		name    string
		snap    *state.Snapshot
		targets []Target
		want    []Warning
	}{{
		name: "a configured series is not listed",
		snap: &state.Snapshot{Coverage: map[ohlc.Series]ohlc.SpanSet{xbt1440: {all}}},
	}, {
		name: "rows written from its files, summed, are exact",
		snap: &state.Snapshot{
			Coverage: map[ohlc.Series]ohlc.SpanSet{xbt1440: {all}, xmr: {all}},
			Files: map[state.FileKey]state.FileRecord{
				{Fingerprint: "a"}: file("a", xmr, 800, "2019-01-01", "2021-03-31"),
				{Fingerprint: "b"}: file("b", xmr, 21, "2021-04-01", "2021-04-21"),
				{Fingerprint: "c"}: file("c", xbt1440, 1096, "2019-01-01", "2021-12-31"),
			},
		},
		want: []Warning{{Code: WarnNoLongerConfigured, Series: xmr, Candles: 821}},
	}, {
		name: "API coverage outside the files' rows adds candle slots: an estimate",
		snap: &state.Snapshot{
			Coverage:    map[ohlc.Series]ohlc.SpanSet{eth: {span(t, "2021-01-01", "2021-01-03")}},
			APICoverage: map[ohlc.Series]ohlc.SpanSet{eth: {span(t, "2021-01-01 12:00", "2021-01-03")}},
			Files:       map[state.FileKey]state.FileRecord{{Fingerprint: "e"}: file("e", eth, 20, "2021-01-01", "2021-01-01 23:00")},
		},
		want: []Warning{{Code: WarnNoLongerConfigured, Series: eth, Candles: 20 + 24, CandlesEstimated: true}},
	}, {
		name: "in series order; a series with no coverage left is not listed",
		snap: &state.Snapshot{Coverage: map[ohlc.Series]ohlc.SpanSet{xmr: {all}, ada: {all}, eth: nil}},
		want: []Warning{
			{Code: WarnNoLongerConfigured, Series: ada},
			{Code: WarnNoLongerConfigured, Series: xmr},
		},
	}, {
		name:    "a partial plan does not look",
		snap:    &state.Snapshot{Coverage: map[ohlc.Series]ohlc.SpanSet{xmr: {all}}},
		targets: []Target{{Kind: TargetSeries, Name: "XBTUSD/1440", Series: xbt1440}},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Compute(Input{Config: cfg, State: tc.snap, Now: at(t, "2024-07-01"), Targets: tc.targets})
			if diff := cmp.Diff(tc.want, p.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestComputeClampsToKrakenHistory(t *testing.T) {
	now := "2024-07-01"
	first := ohlc.KrakenFirstTrade
	long := config.Coverage{Name: "long", Pairs: []string{"ADAUSD"}, Intervals: []ohlc.Interval{1440},
		Window: config.Window{Lookback: 100000 * 86400, ToNow: true}}
	ancient := config.Coverage{Name: "ancient", Pairs: []string{"ADAUSD"}, Intervals: []ohlc.Interval{1440},
		Window: config.Window{From: at(t, "1900-01-01"), To: at(t, "2000-01-01")}}
	tests := []struct {
		name    string
		cfg     *config.Config
		targets []Target
		desired ohlc.SpanSet // of the first action's series
		want    []Warning
	}{{
		name:    "from 1900: wanted from Kraken's first trades, one warning naming the block",
		cfg:     configOf(block(t, "daily", 1440, "1900-01-01", "2020-01-01")),
		desired: ohlc.SpanSet{{Start: first, End: at(t, "2020-01-01")}},
		want:    []Warning{{Code: WarnBeforeKrakenHistory, Coverage: "daily", Span: ohlc.Span{Start: at(t, "1900-01-01"), End: first}}},
	}, {
		name:    "lookback 100000d",
		cfg:     configOf(long),
		desired: ohlc.SpanSet{{Start: first, End: at(t, now)}},
		want:    []Warning{{Code: WarnBeforeKrakenHistory, Coverage: "long", Span: ohlc.Span{Start: at(t, now) - 100000*86400, End: first}}},
	}, {
		name: "a window wholly before: nothing wanted, the whole window named",
		cfg:  configOf(ancient),
		want: []Warning{{Code: WarnBeforeKrakenHistory, Coverage: "ancient", Span: span(t, "1900-01-01", "2000-01-01")}},
	}, {
		name:    "starting at the first trades: no warning",
		cfg:     configOf(block(t, "daily", 1440, "2013-09-01", "2020-01-01")),
		desired: ohlc.SpanSet{{Start: first, End: at(t, "2020-01-01")}},
	}, {
		name:    "a block the targets leave out is not looked at",
		cfg:     configOf(block(t, "daily", 1440, "2019-01-01", "2020-01-01"), long),
		targets: []Target{{Kind: TargetCoverage, Name: "daily"}},
		desired: ohlc.SpanSet{span(t, "2019-01-01", "2020-01-01")},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Compute(Input{Config: tc.cfg, Now: at(t, now), Targets: tc.targets})
			if diff := cmp.Diff(tc.want, p.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			var got ohlc.SpanSet
			for _, a := range p.Listing() {
				got = append(got, a.Span)
				if a.Span.Start < first {
					t.Errorf("%s %s: reaches before Kraken's first trades", a.Kind, a.Span)
				}
			}
			if diff := cmp.Diff(tc.desired, ohlc.NewSpanSet(got...)); diff != "" {
				t.Errorf("planned spans (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWindowSpanClampsToKrakenHistory(t *testing.T) {
	w := config.Window{From: at(t, "1900-01-01"), To: at(t, "2014-01-01")}
	tests := []struct {
		iv   ohlc.Interval
		want ohlc.Span
	}{
		{60, span(t, "2013-09-01", "2014-01-01")},
		// The candle holding the first instant is wanted, as any window's
		// first candle is: weeks align to the Unix epoch, a Thursday.
		{10080, span(t, "2013-08-29", "2013-12-26")},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, WindowSpan(w, tc.iv, at(t, "2024-01-01"))); diff != "" {
			t.Errorf("WindowSpan at %d (-want +got):\n%s", tc.iv, diff)
		}
	}
}
