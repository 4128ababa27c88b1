package main

import (
	"database/sql"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// cmdSinkCandle checks one value of one candle in the SQLite sink:
// sinkcandle DB PAIR INTERVAL TIME COLUMN VALUE (COLUMN: open, high, low,
// close, volume, vwap or trades).
func cmdSinkCandle(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 6 {
		ts.Fatalf("usage: sinkcandle DB PAIR INTERVAL TIME COLUMN VALUE")
	}
	switch args[4] {
	case "open", "high", "low", "close", "volume", "vwap", "trades":
	default:
		ts.Fatalf("sinkcandle: no column %q", args[4])
	}
	t, err := ohlc.ParseTime(args[3])
	ts.Check(err)
	want, err := strconv.ParseFloat(args[5], 64)
	ts.Check(err)
	db, err := sql.Open("sqlite", "file:"+ts.MkAbs(args[0]))
	ts.Check(err)
	defer db.Close()
	var got float64
	err = db.QueryRow("SELECT "+args[4]+" FROM candles WHERE pair = ? AND interval = ? AND ts = ?", args[1], args[2], t).Scan(&got)
	ts.Check(err)
	if got != want {
		ts.Fatalf("%s/%s at %s: %s is %v, want %v", args[1], args[2], args[3], args[4], got, want)
	}
}
