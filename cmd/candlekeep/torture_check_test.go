package main

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
	"github.com/feefifofunds/candlekeep/state"
)

// tortureSink reads back what a sink holds, without candlekeep's code.
type tortureSink interface {
	// candles returns every stored candle per series, sorted by time,
	// duplicates included.
	candles(t *testing.T) map[ohlc.Series][]tortureCandle
	// counter returns a function counting the stored candles of a series
	// in a span, and a function to call when done counting.
	counter(t *testing.T) (count func(ohlc.Series, ohlc.Span) int64, done func())
}

// sqliteTortureSink reads the SQLite sink file.
type sqliteTortureSink struct{ path string }

func (s sqliteTortureSink) candles(t *testing.T) map[ohlc.Series][]tortureCandle {
	t.Helper()
	out := map[ohlc.Series][]tortureCandle{}
	if _, err := os.Stat(s.path); os.IsNotExist(err) {
		return out // killed before the sink was created
	}
	// Read-write, not mode=ro: a killed writer may have left a journal
	// that SQLite must roll back before reading.
	db, err := sql.Open("sqlite", "file:"+s.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var exists int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_master WHERE name = 'candles'").Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists == 0 {
		return out
	}
	rows, err := db.Query("SELECT pair, interval, ts, open, high, low, close, volume, trades, vwap FROM candles ORDER BY pair, interval, ts")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			series ohlc.Series
			c      tortureCandle
			vwap   sql.NullFloat64
		)
		if err := rows.Scan(&series.Pair, &series.Interval, &c.Time, &c.Open, &c.High, &c.Low, &c.Close, &c.Volume, &c.Trades, &vwap); err != nil {
			t.Fatal(err)
		}
		if vwap.Valid {
			c.VWAP = &vwap.Float64
		}
		out[series] = append(out[series], c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// counter asks SQLite, which counts through the primary key without
// reading the rows out.
func (s sqliteTortureSink) counter(t *testing.T) (func(ohlc.Series, ohlc.Span) int64, func()) {
	t.Helper()
	if _, err := os.Stat(s.path); os.IsNotExist(err) {
		return func(ohlc.Series, ohlc.Span) int64 { return 0 }, func() {}
	}
	db, err := sql.Open("sqlite", "file:"+s.path)
	if err != nil {
		t.Fatal(err)
	}
	count := func(series ohlc.Series, span ohlc.Span) int64 {
		var n int64
		err := db.QueryRow("SELECT count(*) FROM candles WHERE pair = ? AND interval = ? AND ts >= ? AND ts < ?",
			series.Pair, int64(series.Interval), span.Start, span.End).Scan(&n)
		if err != nil && !strings.Contains(err.Error(), "no such table") {
			t.Fatal(err)
		}
		return n
	}
	return count, func() { db.Close() }
}

// questdbTortureSink reads the stand-in's table, which lives in the test
// process and so outlives every killed apply.
type questdbTortureSink struct {
	qdb   *questdbtest.Server
	table string
}

func (s questdbTortureSink) candles(t *testing.T) map[ohlc.Series][]tortureCandle {
	t.Helper()
	out := map[ohlc.Series][]tortureCandle{}
	for _, r := range s.qdb.Rows(s.table) {
		interval, err := strconv.Atoi(r.Interval)
		if err != nil {
			t.Fatalf("stored interval %q: %v", r.Interval, err)
		}
		series := ohlc.Series{Pair: r.Pair, Interval: ohlc.Interval(interval)}
		if r.Timestamp%1_000_000 != 0 {
			t.Fatalf("%s: timestamp %d µs is not a whole second", series, r.Timestamp)
		}
		out[series] = append(out[series], tortureCandle{
			Time: r.Timestamp / 1_000_000, Open: r.Open, High: r.High, Low: r.Low, Close: r.Close,
			Volume: r.Volume, Trades: r.Trades, VWAP: r.VWAP,
		})
	}
	for _, cs := range out {
		slices.SortStableFunc(cs, func(a, b tortureCandle) int { return cmp.Compare(a.Time, b.Time) })
	}
	return out
}

func (s questdbTortureSink) counter(t *testing.T) (func(ohlc.Series, ohlc.Span) int64, func()) {
	t.Helper()
	stored := s.candles(t)
	return func(series ohlc.Series, span ohlc.Span) int64 { return countIn(stored[series], span) }, func() {}
}

// tortureState opens the workspace's state, nil when no apply got as far
// as creating it.
func tortureState(t *testing.T, dir string) *state.Store {
	t.Helper()
	path := filepath.Join(dir, ".candlekeep", "state.db")
	if _, err := os.Stat(path); os.IsNotExist(err) {
		return nil
	}
	st, err := state.Open(context.Background(), state.Config{Backend: state.BackendSQLite, Path: path})
	if err != nil {
		t.Fatal(err)
	}
	useLatestSink(t, st)
	return st
}

// checkStateNotAhead is the invariant that must hold after every kill:
// wherever state records coverage, the sink holds every candle the source
// has there, exactly once. State may lag behind the sink, never lead it.
func checkStateNotAhead(t *testing.T, dir string, sink tortureSink, data *tortureData) error {
	t.Helper()
	st := tortureState(t, dir)
	if st == nil {
		return nil
	}
	defer st.Close()
	snap, err := st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	count, done := sink.counter(t)
	defer done()
	for _, s := range data.Series {
		for _, span := range snap.Coverage[s.Series] {
			// Duplicates, which could make up for missing candles
			// here, are caught at the end: nothing removes them.
			if want, got := s.countIn(span), count(s.Series, span); got != want {
				return fmt.Errorf("%s: state covers %s, where the source has %d candles and the sink %d", s.Series, span, want, got)
			}
		}
	}
	return nil
}

func countIn(cs []tortureCandle, span ohlc.Span) int64 {
	var n int64
	for _, c := range cs {
		if span.Contains(c.Time) {
			n++
		}
	}
	return n
}

// diffCandles compares long candle lists quickly, showing cmp.Diff of a
// few candles around the first difference.
func diffCandles(want, got []tortureCandle) string {
	i := 0
	for i < len(want) && i < len(got) && sameCandle(want[i], got[i]) {
		i++
	}
	if i == len(want) && i == len(got) {
		return ""
	}
	from := max(i-2, 0)
	return fmt.Sprintf("%d candles in the source, %d in the sink; first difference at index %d:\n%s",
		len(want), len(got), i, gocmp.Diff(want[from:min(i+3, len(want))], got[from:min(i+3, len(got))]))
}

func sameCandle(a, b tortureCandle) bool {
	if (a.VWAP == nil) != (b.VWAP == nil) || (a.VWAP != nil && *a.VWAP != *b.VWAP) {
		return false
	}
	a.VWAP, b.VWAP = nil, nil
	return a == b
}

// checkTortureEnd checks a workspace whose last apply completed: the sink
// holds exactly the wanted candles with their values; state's coverage
// holds them all and claims nothing the sink lacks; no run is left
// running; the lock is free.
func checkTortureEnd(t *testing.T, dir string, sink tortureSink, data *tortureData) {
	t.Helper()
	stored := sink.candles(t)
	st := tortureState(t, dir)
	if st == nil {
		t.Fatal("no state after a completed apply")
	}
	defer st.Close()
	ctx := context.Background()
	snap, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range data.Series {
		want := s.wanted()
		if len(want) == 0 {
			t.Fatalf("%s: the fixtures hold no candle in the window %s", s.Series, s.Window)
		}
		if diff := diffCandles(want, stored[s.Series]); diff != "" {
			t.Errorf("%s: the sink differs from the source (-source +sink): %s", s.Series, diff)
		}
		cov := snap.Coverage[s.Series]
		for _, c := range want {
			if !cov.Contains(c.Time) {
				t.Errorf("%s: candle %s is in the sink but state does not cover it (coverage %s)", s.Series, ohlc.FormatTime(c.Time), cov)
				break
			}
		}
		for _, span := range cov {
			if got, src := countIn(stored[s.Series], span), s.countIn(span); got != src {
				t.Errorf("%s: state covers %s, where the source has %d candles and the sink %d", s.Series, span, src, got)
			}
		}
		delete(stored, s.Series)
	}
	for series, cs := range stored {
		t.Errorf("the sink holds %d candles of %s, which nothing wants", len(cs), series)
	}
	runs, err := st.Runs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.Status == state.RunRunning {
			t.Errorf("run %d is still %s after the last apply completed", r.ID, r.Status)
		}
		actions, err := st.RunActions(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range actions {
			if a.Status == state.ActionRunning || a.Status == state.ActionPending {
				t.Errorf("run %d (%s): action %d (%s %s) is still %s", r.ID, r.Status, a.ID, a.Kind, a.Series, a.Status)
			}
		}
	}
	if holder, err := st.LockHolder(ctx); err != nil || holder != nil {
		t.Errorf("the state lock is not free after the last apply: %+v, %v", holder, err)
	}
}
