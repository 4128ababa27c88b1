package main

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// row is one candle as the test reads it, independently of candlekeep's
// own parser.
type row struct {
	Pair                           string
	Interval                       int
	TS                             int64
	Open, High, Low, Close, Volume float64
	Trades                         int64
}

// expectedSeries says where the quickstart's candles for one series come
// from and which window of them is wanted.
type expectedSeries struct {
	pair     string
	interval int
	file     string // under examples/quickstart/data; "zip:" reads the 2021 zip
	from, to string
}

var quickstartExpect = []expectedSeries{
	{"XBTUSD", 60, "Kraken_OHLCVT_2020-10-01/XBTUSD_60.csv", "2018-01-01", "2020-10-01"},
	{"ETHUSD", 60, "Kraken_OHLCVT_2020-10-01/ETHUSD_60.csv", "2018-01-01", "2020-10-01"},
	{"STORJUSD", 60, "Kraken_OHLCVT_2020-10-01/STORJUSD_60.csv", "2018-01-01", "2020-10-01"},
	{"XBTUSD", 1440, "Kraken_OHLCVT_2022-07-01/XBTUSD_1440.csv", "2019-01-01", "2022-07-01"},
	{"ETHUSD", 1440, "zip:Kraken_OHLCVT/ETHUSD_1440.csv", "2019-01-01", "2021-04-01"},
	{"ADAUSD", 1440, "zip:Kraken_OHLCVT/ADAUSD_1440.csv", "2019-01-01", "2021-04-01"},
	{"XMRUSD", 1440, "zip:Kraken_OHLCVT/XMRUSD_1440.csv", "2019-01-01", "2021-04-01"},
}

// TestQuickstartLoadsExactlyTheFixtureRows applies the quickstart and
// compares the sink, value by value, with the rows of the real CSV files
// inside the configured windows; a second apply must change nothing.
func TestQuickstartLoadsExactlyTheFixtureRows(t *testing.T) {
	dir := t.TempDir()
	if err := copyQuickstart(dir); err != nil {
		t.Fatal(err)
	}
	apply := func() string {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"-chdir=" + dir, "apply", "-auto-approve", "-no-color", "-now=2026-11-28"}, strings.NewReader(""), &stdout, &stderr)
		if code != 0 {
			t.Fatalf("apply exited %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	apply()

	var want []row
	for _, e := range quickstartExpect {
		want = append(want, readExpected(t, e)...)
	}
	got := readSink(t, filepath.Join(dir, ".candlekeep", "candles.db"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("sink differs from the CSV rows in the window (-want +got):\n%s", diff)
	}

	out := apply()
	if !strings.HasPrefix(out, "No changes.") {
		t.Errorf("second apply did not report no changes:\n%s", out)
	}
	if again := readSink(t, filepath.Join(dir, ".candlekeep", "candles.db")); !cmp.Equal(got, again) {
		t.Errorf("second apply changed the sink: %d rows before, %d after", len(got), len(again))
	}
}

func readExpected(t *testing.T, e expectedSeries) []row {
	t.Helper()
	data := filepath.Join("..", "..", "examples", "quickstart", "data")
	var r io.Reader
	if member, ok := strings.CutPrefix(e.file, "zip:"); ok {
		zr, err := zip.OpenReader(filepath.Join(data, "Kraken_OHLCVT_2021-04-01.zip"))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		f, err := zr.Open(member)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r = f
	} else {
		f, err := os.Open(filepath.Join(data, e.file))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r = f
	}
	from, _ := time.Parse("2006-01-02", e.from)
	to, _ := time.Parse("2006-01-02", e.to)
	records, err := csv.NewReader(r).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", e.file, err)
	}
	var rows []row
	for _, rec := range records {
		ts := mustInt(t, rec[0])
		if ts < from.Unix() || ts >= to.Unix() {
			continue
		}
		rows = append(rows, row{e.pair, e.interval, ts, mustFloat(t, rec[1]), mustFloat(t, rec[2]), mustFloat(t, rec[3]), mustFloat(t, rec[4]), mustFloat(t, rec[5]), mustInt(t, rec[6])})
	}
	if len(rows) == 0 {
		t.Fatalf("%s: no rows in the window: the expectation is wrong", e.file)
	}
	return rows
}

func readSink(t *testing.T, path string) []row {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The order of quickstartExpect, then time.
	var order strings.Builder
	order.WriteString("CASE")
	for i, e := range quickstartExpect {
		fmt.Fprintf(&order, " WHEN pair = '%s' AND interval = %d THEN %d", e.pair, e.interval, i)
	}
	order.WriteString(" ELSE 999 END, ts")
	rs, err := db.Query("SELECT pair, interval, ts, open, high, low, close, volume, trades FROM candles ORDER BY " + order.String())
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var rows []row
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.Pair, &r.Interval, &r.TS, &r.Open, &r.High, &r.Low, &r.Close, &r.Volume, &r.Trades); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
