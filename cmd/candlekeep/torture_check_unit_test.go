package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/state"
)

// The torture test is only as good as its checks: state that claims
// candles the sink lacks must be caught, and state that lags must not be.
func TestTortureCatchesStateAheadOfSink(t *testing.T) {
	xbt := ohlc.Series{Pair: "XBTUSD", Interval: 60}
	candles := []tortureCandle{{Time: 3600, Open: 1, High: 1, Low: 1, Close: 1, Volume: 1, Trades: 1}, {Time: 7200, Open: 2, High: 2, Low: 2, Close: 2, Volume: 1, Trades: 1}}
	data := &tortureData{Series: []tortureSeries{{Series: xbt, Window: ohlc.Span{Start: 0, End: 10800}, All: candles}}}
	for _, tc := range []struct {
		name    string
		covered ohlc.Span
		wantErr string
	}{
		{"state lags the sink", ohlc.Span{}, ""},
		{"state covers a candle the sink lacks", ohlc.Span{Start: 3600, End: 7200}, "state covers [1970-01-01 01:00, 1970-01-01 02:00), where the source has 1 candles and the sink 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ctx := context.Background()
			if err := os.MkdirAll(filepath.Join(dir, ".candlekeep"), 0o700); err != nil {
				t.Fatal(err)
			}
			st, err := state.Open(ctx, state.Config{Backend: state.BackendSQLite, Path: filepath.Join(dir, ".candlekeep", "state.db")})
			if err != nil {
				t.Fatal(err)
			}
			if !tc.covered.Empty() {
				if err := st.Record(ctx, state.Progress{Series: xbt, Covered: tc.covered, Source: state.SourceCSV}); err != nil {
					t.Fatal(err)
				}
			}
			st.Close()
			err = checkStateNotAhead(t, dir, sqliteTortureSink{path: filepath.Join(dir, ".candlekeep", "candles.db")}, data)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("check failed: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("check said %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}
