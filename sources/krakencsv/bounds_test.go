package krakencsv

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// dailyRows is n rows a day apart from start.
func dailyRows(start int64, n int) string {
	var b strings.Builder
	for k := range n {
		b.WriteString(hourlyRows(start+86400*int64(k), 1))
	}
	return b.String()
}

// TestReaderRefusesRowsOutsideHistoryAndInterval: rows loading would
// store under the wrong time (milliseconds, before Kraken's first trades,
// past the dump's until) or as the wrong interval (a daily file named
// hourly) refuse the file at the row, on the fast path and the careful one.
func TestReaderRefusesRowsOutsideHistoryAndInterval(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		interval ohlc.Interval
		until    int64
		wantErr  string
	}{
		{name: "milliseconds", input: "1381017600000,122.0,122.0,122.0,122.0,0.1,1\n", interval: 60,
			wantErr: "XBTUSD_60.csv line 1: timestamp 1381017600000 is in the year 45732: milliseconds?"},
		{name: "before Kraken", input: "1356998400,1,1,1,1,1,1\n", interval: 60,
			wantErr: "XBTUSD_60.csv line 1: timestamp 1356998400 (2013-01-01 00:00) is before Kraken's first trades (2013-09-01 00:00)"},
		{name: "at until", input: row1 + row2, interval: 60, until: 1381176000,
			wantErr: "XBTUSD_60.csv line 2: timestamp 1381176000 (2013-10-07 20:00) is not before the dump's until (2013-10-07 20:00)"},
		{name: "before until", input: row1 + row2, interval: 60, until: 1381176000 + 3600},
		{name: "daily rows named hourly", input: dailyRows(1381017600, 30), interval: 60,
			wantErr: "XBTUSD_60.csv line 24: its first 24 rows all start on 240-minute boundaries: candles of a longer interval than the 60 minutes its name says"},
		{name: "23 daily rows are too few to tell", input: dailyRows(1381017600, 23), interval: 60},
		{name: "hourly rows", input: hourlyRows(1381017600, 100), interval: 60},
		{name: "the longest interval is not held to another", input: dailyRows(1381017600, 30), interval: 1440},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, size := range []int{1, 97} { // a row at a time, and in batches
				r := NewReader(strings.NewReader(tt.input), "XBTUSD_60.csv", tt.interval)
				r.SetUntil(tt.until)
				buf := make([]ohlc.Candle, size)
				var err error
				for err == nil {
					_, err = r.Read(buf)
				}
				got := ""
				if err.Error() != "EOF" {
					got = err.Error()
				}
				if diff := cmp.Diff(tt.wantErr, got); diff != "" {
					t.Errorf("batch %d: error (-want +got):\n%s", size, diff)
				}
			}
		})
	}
}

// TestProfileRefusesWhatLoadingRefuses: the scan finds a file in
// milliseconds or of another interval, so plan already says it.
func TestProfileRefusesWhatLoadingRefuses(t *testing.T) {
	for input, want := range map[string]string{
		"1381017600000,122.0,122.0,122.0,122.0,0.1,1\n1381021200000,122.0,122.0,122.0,122.0,0.1,1\n": "XBTUSD_60.csv line 1: timestamp 1381017600000 is in the year 45732: milliseconds?",
		dailyRows(1381017600, 546): "XBTUSD_60.csv line 24: its first 24 rows all start on 240-minute boundaries: candles of a longer interval than the 60 minutes its name says",
	} {
		_, err := profileString(input)
		if err == nil || err.Error() != want {
			t.Errorf("error %v; want %q", err, want)
		}
	}
}
