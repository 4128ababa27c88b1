package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks/questdb"
	"github.com/feefifofunds/candlekeep/sinks/sqlite"
)

// hostileTable is a table name that would drop a table if pasted into SQL.
const hostileTable = `candles"; DROP TABLE x; --`

// A table name is a plain identifier: configuration validation refuses
// one that is not, for either sink, naming the attribute.
func TestHostileTableNameIsRefused(t *testing.T) {
	for _, sink := range []string{
		"sink \"sqlite\" {\n  table = %q\n}\n",
		"sink \"questdb\" {\n  conf  = \"http::addr=127.0.0.1:1;\"\n  table = %q\n}\n",
	} {
		for _, name := range []string{hostileTable, `candles'; DROP TABLE x; --`, "candles x"} {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(fmt.Sprintf(sink, name)), 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"-chdir=" + dir, "validate", "-no-color"}, strings.NewReader(""), &stdout, &stderr)
			if code != 1 || !strings.Contains(stderr.String(), "Invalid table name") {
				t.Errorf("table %q: exit %d, want 1 with \"Invalid table name\":\n%s%s", name, code, stdout.String(), stderr.String())
			}
		}
	}
}

// Below configuration, the sinks do not rely on it: the SQLite sink quotes
// the name, so a hostile one is just a table name, and the QuestDB sink
// refuses quotes in it.
func TestSinksQuoteOrRefuseHostileTableNames(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "candles.db")
	victim, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer victim.Close()
	if _, err := victim.Exec(`CREATE TABLE x (v INTEGER)`); err != nil {
		t.Fatal(err)
	}

	sink, err := sqlite.Open(ctx, path, hostileTable)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	if err := sink.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	w, err := sink.NewWriter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	series := ohlc.Series{Pair: "XBTUSD", Interval: 60}
	candle := ohlc.Candle{Time: 1_600_000_000 - 1_600_000_000%3600, Open: 1, High: 2, Low: 1, Close: 2, Volume: 3, Trades: 4}
	if err := w.Write(ctx, series, []ohlc.Candle{candle}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	stats, err := sink.ReadBack(ctx, ohlc.Span{Start: candle.Time, End: candle.Time + 3600})
	if err != nil || len(stats) != 1 || stats[0].Count != 1 {
		t.Errorf("read back %+v, %v; want the one candle", stats, err)
	}
	var tables []string
	rows, err := victim.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	if want := []string{hostileTable, "x"}; strings.Join(tables, "|") != strings.Join(want, "|") {
		t.Errorf("tables %q, want %q", tables, want)
	}

	for _, name := range []string{hostileTable, `candles'; DROP TABLE x; --`} {
		if _, err := questdb.Open(ctx, "http::addr=127.0.0.1:1;", name); err == nil || !strings.Contains(err.Error(), "may not contain") {
			t.Errorf("questdb sink accepted table %q: %v", name, err)
		}
	}
}
