package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
	_ "modernc.org/sqlite"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// cmdSinkCount checks how many candles the SQLite sink holds:
// sinkcount DB[@TABLE] [PAIR INTERVAL] WANT (the table is candles unless
// named)
func cmdSinkCount(ts *testscript.TestScript, neg bool, args []string) {
	if neg || (len(args) != 2 && len(args) != 4) {
		ts.Fatalf("usage: sinkcount DB[@TABLE] [PAIR INTERVAL] WANT")
	}
	path, table, ok := strings.Cut(args[0], "@")
	if !ok {
		table = "candles"
	}
	db, err := sql.Open("sqlite", "file:"+ts.MkAbs(path)+"?mode=ro")
	ts.Check(err)
	defer db.Close()
	query, qargs := `SELECT count(*) FROM "`+table+`"`, []any{}
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

// krakenKey finds a script's fake Kraken in its values.
type krakenKey struct{}

// cmdKraken drives and checks the script's fake Kraken:
//
//	kraken fault SPEC       queue faults for the next OHLC requests (krakenfake.ParseFaults)
//	kraken limit N          answer throttling errors past N requests in any second
//	kraken check N          fail if more than N requests arrived in any second
//	kraken requests N       fail unless exactly N OHLC requests arrived
//	kraken now TIME         move the fake's clock (as -now takes it)
//	kraken down | up        make the fake unreachable, or reachable again
//	kraken revise TIME VOL  answer VOL as the volume of the candle opening at TIME
//	kraken tape PAIR FROM TO SEED  serve a generated trade tape (krakenTape)
func cmdKraken(ts *testscript.TestScript, neg bool, args []string) {
	k := ts.Value(krakenKey{}).(*krakenfake.Server)
	if !neg && len(args) > 0 && args[0] == "tape" {
		krakenTape(ts, k, args[1:])
		return
	}
	if !neg && len(args) == 1 && (args[0] == "down" || args[0] == "up") {
		k.SetDown(args[0] == "down")
		return
	}
	if !neg && len(args) == 3 && args[0] == "revise" {
		t, err := ohlc.ParseTime(args[1])
		ts.Check(err)
		v, err := strconv.ParseFloat(args[2], 64)
		ts.Check(err)
		k.Revise(t, v)
		return
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: kraken fault SPEC | limit N | check N | requests N | now TIME | down | up")
	}
	if args[0] == "now" {
		t, err := ohlc.ParseTime(args[1])
		ts.Check(err)
		k.SetNow(t)
		return
	}
	if args[0] == "fault" {
		faults, err := krakenfake.ParseFaults(args[1])
		ts.Check(err)
		k.Script(faults...)
		return
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	switch args[0] {
	case "limit":
		k.SetLimit(n)
	case "check":
		if k.Violations() > 0 || k.MaxPerSecond() > n {
			ts.Fatalf("the fake Kraken saw up to %d requests in one second (%d over its limit); want at most %d", k.MaxPerSecond(), k.Violations(), n)
		}
	case "requests":
		if got := k.OHLCRequests(); got != n {
			ts.Fatalf("the fake Kraken got %d OHLC requests, want %d", got, n)
		}
	default:
		ts.Fatalf("unknown kraken subcommand %q", args[0])
	}
}

// cmdSinkDelete deletes candles from the SQLite sink behind candlekeep's
// back, as a dropped partition would: sinkdelete DB PAIR INTERVAL FROM TO
func cmdSinkDelete(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 5 {
		ts.Fatalf("usage: sinkdelete DB PAIR INTERVAL FROM TO")
	}
	from, err := ohlc.ParseTime(args[3])
	ts.Check(err)
	to, err := ohlc.ParseTime(args[4])
	ts.Check(err)
	db, err := sql.Open("sqlite", "file:"+ts.MkAbs(args[0]))
	ts.Check(err)
	defer db.Close()
	res, err := db.Exec("DELETE FROM candles WHERE pair = ? AND interval = ? AND ts >= ? AND ts < ?", args[1], args[2], from, to)
	ts.Check(err)
	if n, _ := res.RowsAffected(); n == 0 {
		ts.Fatalf("sinkdelete deleted nothing")
	}
}

// cmdSinkSet changes one column of one stored candle, as a sink edited
// by hand would be: sinkset DB PAIR INTERVAL TIME COLUMN VALUE.
func cmdSinkSet(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 6 {
		ts.Fatalf("usage: sinkset DB PAIR INTERVAL TIME COLUMN VALUE")
	}
	at, err := ohlc.ParseTime(args[3])
	ts.Check(err)
	if !slices.Contains([]string{"open", "high", "low", "close", "volume", "trades", "vwap"}, args[4]) {
		ts.Fatalf("sinkset: %q is not a candle column", args[4])
	}
	db, err := sql.Open("sqlite", "file:"+ts.MkAbs(args[0]))
	ts.Check(err)
	defer db.Close()
	res, err := db.Exec("UPDATE candles SET "+args[4]+" = ? WHERE pair = ? AND interval = ? AND ts = ?", args[5], args[1], args[2], at)
	ts.Check(err)
	if n, _ := res.RowsAffected(); n != 1 {
		ts.Fatalf("sinkset changed %d candles, want 1", n)
	}
}

// questdbKey finds a script's QuestDB stand-in in its values.
type questdbKey struct{}

// cmdQuestDB drives and checks the script's QuestDB stand-in:
//
//	questdb count TABLE N            fail unless TABLE holds exactly N rows
//	questdb fault STATUS|drop        the next /write answers STATUS, or reads the body and drops the connection
//	questdb nodedup TABLE            create TABLE as ILP auto-creation would: no dedup keys
//	questdb droprange TABLE FROM TO  delete rows, as a dropped partition would
func cmdQuestDB(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: questdb count TABLE N | fault STATUS|drop | nodedup TABLE | droptable TABLE | droprange TABLE FROM TO")
	}
	q := ts.Value(questdbKey{}).(*questdbtest.Server)
	switch args[0] {
	case "count":
		if len(args) != 3 {
			ts.Fatalf("usage: questdb count TABLE N")
		}
		want, err := strconv.ParseInt(args[2], 10, 64)
		ts.Check(err)
		if got := q.Count(args[1]); got != want {
			ts.Fatalf("QuestDB table %s holds %d rows, want %d", args[1], got, want)
		}
	case "fault":
		if args[1] == "drop" {
			q.Inject(questdbtest.AcceptThenDrop())
			return
		}
		code, err := strconv.Atoi(args[1])
		ts.Check(err)
		q.Inject(questdbtest.Status(code))
	case "droptable":
		q.DropTable(args[1])
	case "nodedup":
		q.CreateTableWithoutDedup(args[1])
	case "droprange":
		if len(args) != 4 {
			ts.Fatalf("usage: questdb droprange TABLE FROM TO")
		}
		from, err := ohlc.ParseTime(args[2])
		ts.Check(err)
		to, err := ohlc.ParseTime(args[3])
		ts.Check(err)
		q.DropRange(args[1], from*1_000_000, to*1_000_000)
	default:
		ts.Fatalf("unknown questdb subcommand %q", args[0])
	}
}

// cmdStateV1 puts, in DIR/.candlekeep, the state and sink an apply of
// the quickstart's TIER2 by candlekeep's first state format left:
// statev1 DIR
func cmdStateV1(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: statev1 DIR")
	}
	dir := filepath.Join(ts.MkAbs(args[0]), ".candlekeep")
	ts.Check(os.MkdirAll(dir, 0o700))
	for _, name := range []string{"state.db", "candles.db"} {
		data, err := os.ReadFile(filepath.Join("testdata", "state-v1", name))
		ts.Check(err)
		ts.Check(os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
}

// cmdSinkDrop drops a table of a SQLite sink behind candlekeep's back:
// sinkdrop DB TABLE
func cmdSinkDrop(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: sinkdrop DB TABLE")
	}
	db, err := sql.Open("sqlite", "file:"+ts.MkAbs(args[0]))
	ts.Check(err)
	defer db.Close()
	_, err = db.Exec(`DROP TABLE "` + args[1] + `"`)
	ts.Check(err)
}
