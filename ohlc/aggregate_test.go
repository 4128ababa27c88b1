package ohlc

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// day0 is 2024-01-01 00:00 UTC, a Monday.
const day0 = 1704067200

func hour(h int64, o, hi, lo, c, v float64, n int64) Candle {
	return Candle{Time: day0 + h*3600, Open: o, High: hi, Low: lo, Close: c, Volume: v, Trades: n}
}

func withVWAP(c Candle, vwap float64) Candle {
	c.VWAP, c.HasVWAP = vwap, true
	return c
}

func TestAggregate(t *testing.T) {
	all := SpanSet{{Start: day0 - 86400*30, End: day0 + 86400*30}}
	for _, tc := range []struct {
		name     string
		from, to Interval
		covered  SpanSet
		src      []Candle
		want     []Candle
	}{
		{
			name: "hours to a day", from: 60, to: 1440, covered: all,
			src: []Candle{
				hour(0, 10, 12, 9, 11, 1, 2),
				hour(5, 11, 15, 11, 14, 2, 3),
				hour(23, 14, 14, 8, 9, 0.5, 1),
			},
			want: []Candle{{Time: day0, Open: 10, High: 15, Low: 8, Close: 9, Volume: 3.5, Trades: 6}},
		},
		{
			name: "vwap is the volume-weighted mean of the parts", from: 60, to: 240, covered: all,
			src: []Candle{
				withVWAP(hour(0, 10, 12, 9, 11, 1, 2), 10),
				withVWAP(hour(1, 11, 14, 11, 14, 3, 3), 14),
			},
			want: []Candle{withVWAP(Candle{Time: day0, Open: 10, High: 14, Low: 9, Close: 14, Volume: 4, Trades: 5}, 13)},
		},
		{
			name: "no vwap when a part lacks one", from: 60, to: 240, covered: all,
			src: []Candle{
				withVWAP(hour(0, 10, 12, 9, 11, 1, 2), 10),
				hour(1, 11, 14, 11, 14, 3, 3),
			},
			want: []Candle{{Time: day0, Open: 10, High: 14, Low: 9, Close: 14, Volume: 4, Trades: 5}},
		},
		{
			name: "fillers are no trades", from: 60, to: 240, covered: all,
			src: []Candle{
				hour(0, 10, 10, 10, 10, 0, 0),
				withVWAP(hour(1, 11, 14, 11, 14, 3, 3), 12),
				hour(2, 14, 14, 14, 14, 0, 0),
			},
			want: []Candle{withVWAP(Candle{Time: day0, Open: 11, High: 14, Low: 11, Close: 14, Volume: 3, Trades: 3}, 12)},
		},
		{
			name: "empty covered slots make no candle", from: 60, to: 240, covered: all,
			src: []Candle{
				hour(0, 1, 1, 1, 1, 1, 1),
				hour(12, 2, 2, 2, 2, 1, 1),
			},
			want: []Candle{
				{Time: day0, Open: 1, High: 1, Low: 1, Close: 1, Volume: 1, Trades: 1},
				{Time: day0 + 12*3600, Open: 2, High: 2, Low: 2, Close: 2, Volume: 1, Trades: 1},
			},
		},
		{
			name: "a slot only partly covered makes no candle", from: 60, to: 240,
			// Covered from 01:00 to 06:00: the 00:00 slot misses an hour,
			// the 04:00 slot two.
			covered: SpanSet{{Start: day0 + 3600, End: day0 + 6*3600}},
			src: []Candle{
				hour(1, 1, 1, 1, 1, 1, 1),
				hour(4, 2, 2, 2, 2, 1, 1),
			},
		},
		{
			name: "coverage split between two spans does not span a slot", from: 60, to: 240,
			covered: SpanSet{{Start: day0, End: day0 + 2*3600}, {Start: day0 + 3*3600, End: day0 + 8*3600}},
			src: []Candle{
				hour(0, 1, 1, 1, 1, 1, 1),
				hour(4, 2, 2, 2, 2, 1, 1),
			},
			want: []Candle{{Time: day0 + 4*3600, Open: 2, High: 2, Low: 2, Close: 2, Volume: 1, Trades: 1}},
		},
		{
			name: "days to weeks start on Thursdays, as epoch-aligned", from: 1440, to: 10080, covered: all,
			// day0 is a Monday: the week holding it began Thursday
			// 2023-12-28; the next begins Thursday 2024-01-04.
			src: []Candle{
				{Time: day0, Open: 1, High: 1, Low: 1, Close: 1, Volume: 1, Trades: 1},
				{Time: day0 + 3*86400, Open: 2, High: 2, Low: 2, Close: 2, Volume: 1, Trades: 1},
			},
			want: []Candle{
				{Time: day0 - 4*86400, Open: 1, High: 1, Low: 1, Close: 1, Volume: 1, Trades: 1},
				{Time: day0 + 3*86400, Open: 2, High: 2, Low: 2, Close: 2, Volume: 1, Trades: 1},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Aggregate(tc.from, tc.to, tc.covered, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// Chunk by chunk, one candle at a time, is the same.
			a, _ := NewAggregator(tc.from, tc.to, tc.covered)
			var chunked []Candle
			for _, c := range tc.src {
				if chunked, err = a.Add(chunked, c); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(got, a.Finish(chunked)); diff != "" {
				t.Errorf("chunked (-whole +chunked):\n%s", diff)
			}
		})
	}
}

func TestAggregateRefuses(t *testing.T) {
	all := SpanSet{{Start: 0, End: day0 * 2}}
	for _, tc := range []struct {
		name     string
		from, to Interval
		src      []Candle
		want     string
	}{
		{"shorter target", 60, 15, nil, "whole multiple"},
		{"same interval", 60, 60, nil, "whole multiple"},
		{"weeks to 15 days", 10080, 21600, nil, "whole multiple"},
		{"misaligned", 60, 1440, []Candle{{Time: day0 + 60, Trades: 1}}, "not aligned to the 60-minute interval"},
		{"out of order", 60, 1440, []Candle{{Time: day0 + 3600, Trades: 1}, {Time: day0, Trades: 1}}, "is not after the previous one"},
		{"repeated", 60, 1440, []Candle{{Time: day0, Trades: 1}, {Time: day0, Trades: 1}}, "is not after the previous one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Aggregate(tc.from, tc.to, all, tc.src)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}
