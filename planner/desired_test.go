package planner

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
)

func TestWindowSpan(t *testing.T) {
	tests := []struct {
		name   string
		window config.Window
		iv     ohlc.Interval
		now    string
		want   ohlc.Span
	}{
		{"aligned from/to", config.Window{From: at(t, "2020-01-01"), To: at(t, "2021-01-01")}, 1440, "2024-01-01",
			span(t, "2020-01-01", "2021-01-01")},
		{"unaligned ends align down", config.Window{From: at(t, "2020-01-01 10:30"), To: at(t, "2020-01-02 05:59")}, 60, "2024-01-01",
			span(t, "2020-01-01 10:00", "2020-01-02 05:00")},
		{"unaligned ends, daily", config.Window{From: at(t, "2020-01-01 10:30"), To: at(t, "2020-01-03 05:59")}, 1440, "2024-01-01",
			span(t, "2020-01-01", "2020-01-03")},
		{"now mid-hour: the forming hour is not wanted", config.Window{From: at(t, "2021-02-10"), ToNow: true}, 60, "2021-02-10 12:30",
			span(t, "2021-02-10", "2021-02-10 12:00")},
		{"now mid-day: the forming day is not wanted", config.Window{From: at(t, "2021-02-01"), ToNow: true}, 1440, "2021-02-10 12:30",
			span(t, "2021-02-01", "2021-02-10")},
		{"now on a boundary: the candle just closed is wanted", config.Window{From: at(t, "2021-02-10"), ToNow: true}, 60, "2021-02-10 12:00",
			span(t, "2021-02-10", "2021-02-10 12:00")},
		{"only the forming candle: nothing", config.Window{From: at(t, "2021-02-10"), ToNow: true}, 1440, "2021-02-10 12:30",
			ohlc.Span{}},
		{"lookback", config.Window{Lookback: 7 * 86400, ToNow: true}, 60, "2021-02-10 12:30",
			span(t, "2021-02-03 12:00", "2021-02-10 12:00")},
		{"lookback without ToNow still ends now", config.Window{Lookback: 86400}, 1440, "2021-02-10 12:30",
			span(t, "2021-02-09", "2021-02-10")},
		{"a fixed end in the future stops at now", config.Window{From: at(t, "2021-01-01"), To: at(t, "2030-01-01")}, 1440, "2021-02-10 12:30",
			span(t, "2021-01-01", "2021-02-10")},
		{"a window entirely in the future: nothing", config.Window{From: at(t, "2029-01-01"), To: at(t, "2030-01-01")}, 1440, "2021-02-10",
			ohlc.Span{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, WindowSpan(tc.window, tc.iv, at(t, tc.now))); diff != "" {
				t.Errorf("WindowSpan (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDesired(t *testing.T) {
	cfg := &config.Config{
		Tiers: []config.Tier{tier1, {Name: "TIER2", Pairs: []string{"SOLUSD", "XBTUSD"}}},
		Coverage: []config.Coverage{
			{Name: "majors", Tiers: []string{"TIER1"}, Pairs: []string{"ETHUSD", "XBTUSD"}, Intervals: []ohlc.Interval{60, 1440},
				Window: config.Window{From: at(t, "2020-01-01"), To: at(t, "2020-02-01")}},
			{Name: "recent", Tiers: []string{"TIER2"}, Pairs: []string{"SOLUSD", "XBTUSD"}, Intervals: []ohlc.Interval{60},
				Window: config.Window{Lookback: 7 * 86400, ToNow: true}},
			{Name: "later", Pairs: []string{"XBTUSD"}, Intervals: []ohlc.Interval{60},
				Window: config.Window{From: at(t, "2020-02-01"), To: at(t, "2020-03-01")}},
			{Name: "future", Pairs: []string{"ADAUSD"}, Intervals: []ohlc.Interval{1440},
				Window: config.Window{From: at(t, "2030-01-01"), To: at(t, "2031-01-01")}},
		},
	}
	now := at(t, "2020-06-10 12:30")
	week := span(t, "2020-06-03 12:00", "2020-06-10 12:00")
	want := map[ohlc.Series]Want{
		{Pair: "XBTUSD", Interval: 60}: {
			Spans:    ohlc.SpanSet{span(t, "2020-01-01", "2020-03-01"), week},
			Coverage: []string{"later", "majors", "recent"},
			Tiers:    []string{"TIER1", "TIER2"},
		},
		{Pair: "XBTUSD", Interval: 1440}: {Spans: ohlc.SpanSet{span(t, "2020-01-01", "2020-02-01")}, Coverage: []string{"majors"}, Tiers: []string{"TIER1"}},
		{Pair: "ETHUSD", Interval: 60}:   {Spans: ohlc.SpanSet{span(t, "2020-01-01", "2020-02-01")}, Coverage: []string{"majors"}, Tiers: []string{"TIER1"}},
		{Pair: "ETHUSD", Interval: 1440}: {Spans: ohlc.SpanSet{span(t, "2020-01-01", "2020-02-01")}, Coverage: []string{"majors"}, Tiers: []string{"TIER1"}},
		{Pair: "SOLUSD", Interval: 60}:   {Spans: ohlc.SpanSet{week}, Coverage: []string{"recent"}, Tiers: []string{"TIER2"}},
		{Pair: "ADAUSD", Interval: 1440}: {Coverage: []string{"future"}},
	}
	if diff := cmp.Diff(want, Desired(cfg, now)); diff != "" {
		t.Errorf("Desired (-want +got):\n%s", diff)
	}
	if got := Desired(nil, now); len(got) != 0 {
		t.Errorf("Desired(nil) = %v, want nothing", got)
	}
}

// TestComputeIsDeterministic shuffles everything whose order carries no
// meaning and expects byte-identical plans.
func TestComputeIsDeterministic(t *testing.T) {
	pairs := []string{"ADAUSD", "ETHUSD", "SOLUSD", "XBTUSD", "XMRUSD"}
	ivs := []ohlc.Interval{60, 1440, 10080}
	build := func(rng *rand.Rand) Input {
		shuffled := func(pairs ...string) []string {
			p := slices.Clone(pairs)
			rng.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
			return p
		}
		blocks := []config.Coverage{
			{Name: "a", Pairs: shuffled(pairs...), Intervals: ivs, Window: config.Window{From: at(t, "2020-01-01"), ToNow: true}},
			{Name: "b", Pairs: shuffled("ETHUSD", "SOLUSD", "XBTUSD"), Intervals: []ohlc.Interval{60}, Window: config.Window{Lookback: 30 * 86400, ToNow: true}},
			{Name: "c", Tiers: []string{"TIER1"}, Pairs: []string{"XBTUSD", "ETHUSD"}, Intervals: []ohlc.Interval{1440}, Window: config.Window{From: at(t, "2015-01-01"), To: at(t, "2019-01-01")}},
		}
		rng.Shuffle(len(blocks), func(i, j int) { blocks[i], blocks[j] = blocks[j], blocks[i] })
		var members []krakencsv.Member
		for _, p := range shuffled(pairs...) {
			for _, iv := range []ohlc.Interval{60, 1440} {
				s := ohlc.Series{Pair: p, Interval: iv}
				members = append(members, member(s, s.Pair+"_"+s.Interval.String()+".csv", "sha256:"+s.String(),
					krakencsv.Profile{Rows: 1000, First: at(t, "2016-01-01"), Last: at(t, "2021-03-31")}))
			}
		}
		cov := map[ohlc.Series]ohlc.SpanSet{
			{Pair: "XBTUSD", Interval: 60}: {span(t, "2020-01-01", "2020-05-01"), span(t, "2020-09-01", "2020-09-02")},
		}
		return Input{
			Config:    configOf(blocks...),
			State:     covered(cov),
			Inventory: inventory(fullDump(t, "full", "2021-04-01", members...)),
			Now:       at(t, "2022-08-17 13:45"),
		}
	}
	first := Compute(build(rand.New(rand.NewPCG(1, 1))))
	if len(first.Listing()) < 10 {
		t.Fatalf("only %d actions; the test needs a plan with some of every kind", len(first.Listing()))
	}
	if !slices.IsSortedFunc(first.Listing(), compareActions) {
		t.Error("actions are not in plan order")
	}
	for seed := uint64(2); seed < 20; seed++ {
		got := Compute(build(rand.New(rand.NewPCG(seed, seed))))
		if diff := cmp.Diff(first, got); diff != "" {
			t.Fatalf("seed %d gives another plan (-first +got):\n%s", seed, diff)
		}
	}
}

func TestQuarters(t *testing.T) {
	quarters := []struct{ at, start, end string }{
		{"2024-01-01", "2024-01-01", "2024-04-01"},
		{"2024-03-31 23:59", "2024-01-01", "2024-04-01"},
		{"2024-04-01", "2024-04-01", "2024-07-01"},
		{"2024-12-31", "2024-10-01", "2025-01-01"},
		{"1969-12-31", "1969-10-01", "1970-01-01"},
	}
	for _, q := range quarters {
		if diff := cmp.Diff(span(t, q.start, q.end), QuarterOf(at(t, q.at))); diff != "" {
			t.Errorf("QuarterOf(%s) (-want +got):\n%s", q.at, diff)
		}
	}
	published := []struct{ now, want string }{
		{"2024-05-15", "2024-04-01"},       // Q1 ended 45 days ago
		{"2024-05-01", "2024-04-01"},       // exactly 30 days
		{"2024-04-30 23:59", "2024-01-01"}, // not quite 30 days
		{"2024-01-05", "2023-10-01"},
	}
	for _, p := range published {
		if got := PublishedUntil(at(t, p.now)); got != at(t, p.want) {
			t.Errorf("PublishedUntil(%s) = %s, want %s", p.now, ohlc.FormatTime(got), p.want)
		}
	}
	if got := quarterZip(QuarterOf(at(t, "2024-08-01"))); got != "Kraken_OHLCVT_Q3_2024.zip" {
		t.Errorf("quarterZip = %q", got)
	}
}

func TestEstimateRows(t *testing.T) {
	pr := krakencsv.Profile{Rows: 100, First: 0, Last: 99 * 3600} // 100 hours
	tests := []struct {
		name string
		pr   krakencsv.Profile
		sp   ohlc.Span
		want int64
	}{
		{"whole profile and more", pr, ohlc.Span{Start: -3600, End: 200 * 3600}, 100},
		{"exactly the profile", pr, ohlc.Span{Start: 0, End: 100 * 3600}, 100},
		{"half", pr, ohlc.Span{Start: 50 * 3600, End: 1000 * 3600}, 50},
		{"before the first row", pr, ohlc.Span{Start: -100 * 3600, End: 0}, 0},
		{"after the last row", pr, ohlc.Span{Start: 100 * 3600, End: 200 * 3600}, 0},
		{"no profile", krakencsv.Profile{}, ohlc.Span{Start: 0, End: 3600}, 0},
	}
	for _, tc := range tests {
		if got := estimateRows(tc.pr, 60, tc.sp); got != tc.want {
			t.Errorf("%s: estimateRows = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestPlanSummaryAndChanges(t *testing.T) {
	onlyGaps := &Plan{Gaps: []Gap{GapOf(gap(xbt60, ohlc.Span{Start: 0, End: 7200}, ReasonNoDump, ""))}}
	if onlyGaps.HasChanges() {
		t.Error("a plan of unfillable gaps has changes")
	}
	withLoad := &Plan{Gaps: onlyGaps.Gaps, Actions: []Action{load(xbt60, ohlc.Span{Start: 0, End: 3600}, nil, 5)}}
	if !withLoad.HasChanges() {
		t.Error("a plan with a load has no changes")
	}
	want := Summary{Loads: 1, LoadCandles: 5, Unfillable: 1, UnfillableCandleSlots: 2}
	if diff := cmp.Diff(want, withLoad.Summary()); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}
}
