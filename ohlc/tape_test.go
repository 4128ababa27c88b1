package ohlc

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tr is a trade at day0 + sec seconds + ns nanoseconds.
func tr(id, sec, ns int64, price, volume float64) Trade {
	return Trade{ID: id, Time: (day0+sec)*1e9 + ns, Price: price, Volume: volume, Side: 'b', Type: 'l'}
}

func TestTape(t *testing.T) {
	span := Span{Start: day0, End: day0 + 86400}
	trades := []Trade{
		tr(1, 0, 0, 10, 1),                // 00:00:00
		tr(2, 59, 999_999_999, 12, 3),     // 00:00:59.999999999: still the first minute
		tr(3, 60, 0, 11, 2),               // 00:01:00: the second minute
		tr(4, 3600+5, 0, 20, 1),           // 01:00:05
		tr(5, 86400-1, 500_000_000, 9, 4), // 23:59:59.5
	}
	want := []TapeCandle{
		{1, Candle{Time: day0, Open: 10, High: 12, Low: 10, Close: 12, Volume: 4, Trades: 2, VWAP: 11.5, HasVWAP: true}},
		{1, Candle{Time: day0 + 60, Open: 11, High: 11, Low: 11, Close: 11, Volume: 2, Trades: 1, VWAP: 11, HasVWAP: true}},
		{60, Candle{Time: day0, Open: 10, High: 12, Low: 10, Close: 11, Volume: 6, Trades: 3, VWAP: 68.0 / 6, HasVWAP: true}},
		{1, Candle{Time: day0 + 3600, Open: 20, High: 20, Low: 20, Close: 20, Volume: 1, Trades: 1, VWAP: 20, HasVWAP: true}},
		{60, Candle{Time: day0 + 3600, Open: 20, High: 20, Low: 20, Close: 20, Volume: 1, Trades: 1, VWAP: 20, HasVWAP: true}},
		// Only once the tape passed the day's end (Advance).
		{1, Candle{Time: day0 + 86400 - 60, Open: 9, High: 9, Low: 9, Close: 9, Volume: 4, Trades: 1, VWAP: 9, HasVWAP: true}},
		{60, Candle{Time: day0 + 86400 - 3600, Open: 9, High: 9, Low: 9, Close: 9, Volume: 4, Trades: 1, VWAP: 9, HasVWAP: true}},
		{1440, Candle{Time: day0, Open: 10, High: 20, Low: 9, Close: 9, Volume: 11, Trades: 5, VWAP: 124.0 / 11, HasVWAP: true}},
	}
	tape, err := NewTape(span, 1440, 1, 60)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tape.Add(nil, trades...)
	if err != nil {
		t.Fatal(err)
	}
	// Nothing of the last minute, hour or the day before the tape passed
	// their end.
	if diff := cmp.Diff(want[:5], got); diff != "" {
		t.Errorf("before the end (-want +got):\n%s", diff)
	}
	if cp := tape.Checkpoint(); cp != day0 {
		t.Errorf("checkpoint %d, want the day's start: the daily candle is open", cp)
	}
	got = tape.Advance(got, span.End)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if cp := tape.Checkpoint(); cp != span.End {
		t.Errorf("checkpoint %d, want the span's end", cp)
	}
}

func TestTapeOnlyWholeBucketsInsideTheSpan(t *testing.T) {
	// From 00:30 to 02:00: the 00:00 hour is not whole in the span.
	tape, _ := NewTape(Span{Start: day0 + 1800, End: day0 + 7200}, 60)
	got, err := tape.Add(nil,
		tr(1, 1000, 0, 1, 1), // before the span: ignored
		tr(2, 1900, 0, 2, 1), // in the partial first hour
		tr(3, 3700, 0, 3, 1), // 01:01:40
		tr(4, 7300, 0, 4, 1), // after the span: passes its end
	)
	if err != nil {
		t.Fatal(err)
	}
	want := []TapeCandle{{60, Candle{Time: day0 + 3600, Open: 3, High: 3, Low: 3, Close: 3, Volume: 1, Trades: 1, VWAP: 3, HasVWAP: true}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestTapeResumesFromItsCheckpoint(t *testing.T) {
	span := Span{Start: day0, End: day0 + 2*86400}
	var trades []Trade
	for k := int64(0); k < 500; k++ {
		trades = append(trades, tr(k+1, k*337, k%7, float64(100+k%13), float64(1+k%5)))
	}
	whole, _ := NewTape(span, 60, 1440)
	all, _ := whole.Add(nil, trades...)
	all = whole.Advance(all, span.End)

	// Interrupted after 300 trades: a new tape from the checkpoint, fed
	// the trades from there, completes the set; what it builds again is
	// the same.
	first, _ := NewTape(span, 60, 1440)
	got, _ := first.Add(nil, trades[:300]...)
	cp := first.Checkpoint()
	if cp%86400 != 0 || cp <= span.Start {
		t.Fatalf("checkpoint %d is not a later day boundary", cp)
	}
	second, _ := NewTape(Span{Start: cp, End: span.End}, 60, 1440)
	for _, x := range trades {
		if x.Second() >= cp {
			got, _ = second.Add(got, x)
		}
	}
	got = second.Advance(got, span.End)
	seen := map[TapeCandle]bool{}
	for _, c := range got {
		seen[c] = true
	}
	for _, c := range all {
		if !seen[c] {
			t.Errorf("candle %+v missing after the resume", c)
		}
	}
	if len(seen) != len(all) {
		t.Errorf("%d distinct candles after the resume, %d in one pass", len(seen), len(all))
	}
}

func TestTapeRefuses(t *testing.T) {
	for _, tc := range []struct {
		name      string
		intervals []Interval
		trades    []Trade
		want      string
	}{
		{"no interval", nil, nil, "at least one interval"},
		{"weeks and 15 days", []Interval{10080, 21600}, nil, "does not divide the longest"},
		{"id repeated", []Interval{60}, []Trade{tr(5, 0, 0, 1, 1), tr(5, 1, 0, 1, 1)}, "ids must increase"},
		{"time going back", []Interval{60}, []Trade{tr(5, 1, 0, 1, 1), tr(6, 0, 999, 1, 1)}, "times not decrease"},
		{"zero volume", []Interval{60}, []Trade{tr(5, 1, 0, 1, 0)}, "must be positive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tape, err := NewTape(Span{Start: day0, End: day0 + 86400}, tc.intervals...)
			if err == nil {
				_, err = tape.Add(nil, tc.trades...)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}
