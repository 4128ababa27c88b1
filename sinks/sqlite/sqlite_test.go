package sqlite

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/sinks/sinktest"
)

func openTemp(t *testing.T) *Sink {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "data", "candles.db"), "candles")
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

func TestContract(t *testing.T) {
	sinktest.Run(t, func(t *testing.T) sinks.Sink { return openTemp(t) })
}

func TestSetupRefusesWrongSchema(t *testing.T) {
	tests := []struct {
		name      string
		ddl       string
		wantParts []string
	}{
		{
			name:      "other columns",
			ddl:       `CREATE TABLE candles (symbol TEXT, t INTEGER, price REAL, PRIMARY KEY (symbol, t))`,
			wantParts: []string{"column pair is missing", "column vwap is missing", "primary key is (symbol, t), want (pair, interval, ts)"},
		},
		{
			name:      "wrong type",
			ddl:       `CREATE TABLE candles (pair TEXT, interval INTEGER, ts TEXT, open REAL, high REAL, low REAL, close REAL, volume REAL, trades INTEGER, vwap REAL, PRIMARY KEY (pair, interval, ts))`,
			wantParts: []string{`column ts has type "TEXT", want INTEGER`},
		},
		{
			name:      "no primary key",
			ddl:       `CREATE TABLE candles (pair TEXT, interval INTEGER, ts INTEGER, open REAL, high REAL, low REAL, close REAL, volume REAL, trades INTEGER, vwap REAL)`,
			wantParts: []string{"primary key is (none), want (pair, interval, ts)"},
		},
		{
			name:      "key in other order",
			ddl:       `CREATE TABLE candles (pair TEXT, interval INTEGER, ts INTEGER, open REAL, high REAL, low REAL, close REAL, volume REAL, trades INTEGER, vwap REAL, PRIMARY KEY (ts, pair, interval))`,
			wantParts: []string{"primary key is (ts, pair, interval), want (pair, interval, ts)"},
		},
		{
			name:      "extra required column",
			ddl:       `CREATE TABLE candles (pair TEXT, interval INTEGER, ts INTEGER, open REAL, high REAL, low REAL, close REAL, volume REAL, trades INTEGER, vwap REAL, source TEXT NOT NULL, PRIMARY KEY (pair, interval, ts))`,
			wantParts: []string{"extra column source is NOT NULL without a default"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t)
			defer s.Close()
			if _, err := s.db.ExecContext(t.Context(), tc.ddl); err != nil {
				t.Fatalf("create table by hand: %v", err)
			}
			err := s.Setup(t.Context())
			if err == nil {
				t.Fatalf("setup accepted a table made with %s", tc.ddl)
			}
			msg := err.Error()
			for _, part := range append(tc.wantParts, "table candles in "+s.Path(), "drop or rename that table") {
				if !strings.Contains(msg, part) {
					t.Errorf("error %q does not say %q", msg, part)
				}
			}
		})
	}
}

func TestSetupAcceptsExtraNullableColumn(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	ddl := `CREATE TABLE candles (pair TEXT, interval INTEGER, ts INTEGER, open REAL, high REAL, low REAL, close REAL, volume REAL, trades INTEGER, vwap REAL, note TEXT, PRIMARY KEY (pair, interval, ts))`
	if _, err := s.db.ExecContext(t.Context(), ddl); err != nil {
		t.Fatalf("create table by hand: %v", err)
	}
	if err := s.Setup(t.Context()); err != nil {
		t.Fatalf("setup: %v", err)
	}
}

func TestOpenUnwritablePath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "afile")
	if err := os.WriteFile(file, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(file, "candles.db")
	s, err := Open(t.Context(), path, "candles")
	if err == nil {
		s.Close()
		t.Fatalf("open %s succeeded", path)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %s", err, path)
	}
}

func TestOpenRefusesQuestionMark(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c?mode=ro.db")
	if _, err := Open(t.Context(), path, "candles"); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("open %s: got %v, want an error naming the path", path, err)
	}
}

// TestWriteIsDurable checks a returned Write is visible to an independent
// connection, as another process would see it after a crash.
func TestWriteIsDurable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "candles.db")
	s, err := Open(t.Context(), path, "order") // a keyword, to exercise quoting
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()
	if err := s.Setup(t.Context()); err != nil {
		t.Fatalf("setup: %v", err)
	}
	candles := sinktest.Fixture(t, "ADAUSD_1440.csv")
	candles[3].VWAP, candles[3].HasVWAP = 0.5, true
	w, err := s.NewWriter(t.Context())
	if err != nil {
		t.Fatalf("new writer: %v", err)
	}
	series := ohlc.Series{Pair: "ADAUSD", Interval: 1440}
	if err := w.Write(t.Context(), series, candles); err != nil {
		t.Fatalf("write: %v", err)
	}

	// Still open, not closed: the commit alone must make the rows visible.
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatalf("open second connection: %v", err)
	}
	defer other.Close()
	var count, vwaps int64
	var first, last int64
	row := other.QueryRowContext(t.Context(), `SELECT count(*), count(vwap), min(ts), max(ts) FROM "order" WHERE pair = 'ADAUSD' AND interval = 1440`)
	if err := row.Scan(&count, &vwaps, &first, &last); err != nil {
		t.Fatalf("query from second connection: %v", err)
	}
	got := []int64{count, vwaps, first, last}
	want := []int64{int64(len(candles)), 1, candles[0].Time, candles[len(candles)-1].Time}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("count, vwaps, first, last seen by a second connection (-want +got):\n%s", diff)
	}
	var mode string
	if err := other.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode = %q (%v), want wal", mode, err)
	}
}

func TestWriteAfterCloseFails(t *testing.T) {
	s := openTemp(t)
	if err := s.Setup(t.Context()); err != nil {
		t.Fatalf("setup: %v", err)
	}
	w, err := s.NewWriter(t.Context())
	if err != nil {
		t.Fatalf("new writer: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	candles := sinktest.Fixture(t, "ADAUSD_1440.csv")[:3]
	if err := w.Write(t.Context(), ohlc.Series{Pair: "ADAUSD", Interval: 1440}, candles); err == nil {
		t.Error("write after close succeeded")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
}

func TestChunkRows(t *testing.T) {
	for _, n := range []int{1, 2, 3, 255, 256, 257, 511, 10000} {
		left, statements := n, 0
		for left > 0 {
			c := chunkRows(left)
			if c < 1 || c > left || c > maxRowsPerInsert {
				t.Fatalf("chunkRows(%d) = %d", left, c)
			}
			left -= c
			statements++
		}
		if limit := n/maxRowsPerInsert + 9; statements > limit {
			t.Errorf("%d rows took %d statements, want at most %d", n, statements, limit)
		}
	}
}

func TestContractNewIncarnation(t *testing.T) {
	sinktest.CheckNewIncarnation(t, func(t *testing.T) sinks.Sink { return openTemp(t) }, func(t *testing.T, s sinks.Sink) {
		if _, err := s.(*Sink).db.ExecContext(t.Context(), `DROP TABLE "candles"`); err != nil {
			t.Fatal(err)
		}
	})
}

// A sink file that does not exist is identified without being created.
func TestIdentifyCreatesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "candles.db")
	id, err := Identify(t.Context(), path, "candles")
	if err != nil {
		t.Fatal(err)
	}
	if id.Exists() {
		t.Errorf("a missing file has incarnation %q", id.Incarnation)
	}
	if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Identify created %s: %v", filepath.Dir(path), err)
	}
}
