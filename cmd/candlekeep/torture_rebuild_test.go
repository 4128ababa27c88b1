package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// The torture's rebuild: SOLUSD's 5- and 15-minute candles over two days
// older than both API windows, rebuilt from a tape the fake serves, so
// kills land inside a rebuild too (between pages, between its sink
// batches and its state checkpoints).
const (
	tortureRebuildPair = "SOLUSD"
	tortureRebuildFrom = "2026-11-01"
	tortureRebuildTo   = "2026-11-03"
)

// addRebuilt gives kraken SOLUSD's tape and adds the series rebuilt from
// it, their candles being the fake's OHLC answers for the same slots,
// read from its JSON without candlekeep's code.
func (d *tortureData) addRebuilt(t *testing.T, kraken *krakenfake.Server) {
	t.Helper()
	from, to := mustTime(t, tortureRebuildFrom), mustTime(t, tortureRebuildTo)
	// A busy pair: a trade every ~4 s, with bursts of 1500 in a second.
	tape := krakenfake.GenerateTape(krakenfake.TapeSpec{Start: from - 3600, End: scriptNow, Seed: 3, Gap: 4})
	kraken.SetTape(tortureRebuildPair, tape)
	// A fake whose clock stands at the window's end answers its slots.
	at := krakenfake.New(krakenfake.Options{Now: to + 60})
	defer at.Close()
	at.SetTape(tortureRebuildPair, tape)
	for _, iv := range []int64{5, 15} {
		d.add(t, tortureRebuildPair, ohlc.Interval(iv), tortureRebuildFrom, tortureRebuildTo, ohlcAnswer(t, at.URL(), iv, to))
	}
}

// ohlcAnswer reads a fake's OHLC answer for SOLUSD at interval minutes:
// its closed candles with trades, before end.
func ohlcAnswer(t *testing.T, base string, interval, end int64) []tortureCandle {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("%s/0/public/OHLC?pair=%s&interval=%d", base, tortureRebuildPair, interval))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Result map[string]json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	var rows [][]json.RawMessage
	if err := json.Unmarshal(env.Result[tortureRebuildPair], &rows); err != nil {
		t.Fatal(err)
	}
	var out []tortureCandle
	for _, r := range rows {
		var tm int64
		var vals [6]string
		if err := json.Unmarshal(r[0], &tm); err != nil {
			t.Fatal(err)
		}
		for k := range vals {
			if err := json.Unmarshal(r[k+1], &vals[k]); err != nil {
				t.Fatal(err)
			}
		}
		trades := mustInt(t, string(r[7]))
		if trades == 0 || tm+interval*60 > end {
			continue
		}
		vwap := mustFloat(t, vals[4])
		out = append(out, tortureCandle{Time: tm,
			Open: mustFloat(t, vals[0]), High: mustFloat(t, vals[1]), Low: mustFloat(t, vals[2]), Close: mustFloat(t, vals[3]),
			Volume: mustFloat(t, vals[5]), Trades: trades, VWAP: &vwap})
	}
	return out
}
