package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/state"
)

func TestAxisTicks(t *testing.T) {
	at := func(s string) int64 { v, _ := ohlc.ParseTime(s); return v }
	labels := func(ts []tick) []string {
		var out []string
		for _, tk := range ts {
			out = append(out, tk.Label)
		}
		return out
	}
	tests := []struct {
		name     string
		from, to string
		want     []string
	}{
		{"years", "2018-01-01", "2021-01-01", []string{"2018", "2019", "2020", "2021"}},
		{"a decade in steps of two", "2013-09-01", "2026-11-28", []string{"2014", "2016", "2018", "2020", "2022", "2024", "2026"}},
		{"months", "2024-01-15", "2024-07-01", []string{"Feb 2024", "Mar 2024", "Apr 2024", "May 2024", "Jun 2024", "Jul 2024"}},
		{"a 7-day window in days", "2026-11-21", "2026-11-28", []string{"Nov 21", "Nov 22", "Nov 23", "Nov 24", "Nov 25", "Nov 26", "Nov 27", "Nov 28"}},
		{"a day in hours", "2026-11-27 12:00", "2026-11-28 00:00", []string{"12:00", "14:00", "16:00", "18:00", "20:00", "22:00", "00:00"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, labels(axisTicks(at(tc.from), at(tc.to)))); diff != "" {
				t.Errorf("labels (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHTMLStaysSmall renders 8,000 series of a dozen covered stretches
// each, as the report benchmark's state has: the page must stay under 5 MB.
func TestHTMLStaysSmall(t *testing.T) {
	from, to := int64(ohlc.KrakenFirstTrade), int64(ohlc.KrakenFirstTrade+12*365*86400)
	var pairs []string
	cov := map[ohlc.Series]ohlc.SpanSet{}
	intervals := []ohlc.Interval{1, 5, 15, 30, 60, 240, 720, 1440}
	for p := range 1000 {
		pairs = append(pairs, fmt.Sprintf("P%04dUSD", p))
		for _, iv := range intervals {
			var set ohlc.SpanSet
			step := (to - from) / 12
			for k := range int64(12) {
				set = append(set, ohlc.Span{Start: from + k*step, End: from + k*step + step*9/10})
			}
			cov[ohlc.Series{Pair: pairs[p], Interval: iv}] = set
		}
	}
	cfg := &config.Config{
		Tiers:    []config.Tier{{Name: "ALL", Pairs: pairs}},
		Coverage: []config.Coverage{{Name: "all", Tiers: []string{"ALL"}, Pairs: pairs, Intervals: intervals, Window: config.Window{From: from, To: to}}},
	}
	var b strings.Builder
	if err := WriteHTML(&b, Compute(Input{Config: cfg, Snapshot: &state.Snapshot{Coverage: cov}, Now: to})); err != nil {
		t.Fatal(err)
	}
	if n := b.Len(); n > 5<<20 {
		t.Errorf("8,000 series make %d bytes of HTML, over 5 MB", n)
	} else {
		t.Logf("8,000 series: %d bytes", n)
	}
	if n := strings.Count(b.String(), `<div class="r">`); n != 8000 {
		t.Errorf("%d rows, want 8,000", n)
	}
}
