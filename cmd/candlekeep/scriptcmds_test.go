package main

import (
	"database/sql"
	"os"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"
	_ "modernc.org/sqlite"
)

// cmdSinkCount checks how many candles the SQLite sink holds:
// sinkcount DB [PAIR INTERVAL] WANT
func cmdSinkCount(ts *testscript.TestScript, neg bool, args []string) {
	if neg || (len(args) != 2 && len(args) != 4) {
		ts.Fatalf("usage: sinkcount DB [PAIR INTERVAL] WANT")
	}
	db, err := sql.Open("sqlite", "file:"+ts.MkAbs(args[0])+"?mode=ro")
	ts.Check(err)
	defer db.Close()
	query, qargs := "SELECT count(*) FROM candles", []any{}
	if len(args) == 4 {
		query += " WHERE pair = ? AND interval = ?"
		qargs = append(qargs, args[1], args[2])
	}
	var got int64
	ts.Check(db.QueryRow(query, qargs...).Scan(&got))
	want, err := strconv.ParseInt(args[len(args)-1], 10, 64)
	ts.Check(err)
	if got != want {
		ts.Fatalf("sink holds %d candles, want %d", got, want)
	}
}

// cmdCorruptZip writes a truncated copy of a zip: corruptzip SRC DST
func cmdCorruptZip(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: corruptzip SRC DST")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	if len(data) < 100 {
		ts.Fatalf("%s is too small to truncate", args[0])
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data[:len(data)/2], 0o644))
}
