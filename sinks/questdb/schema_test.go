package questdb

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCreateTableSQL(t *testing.T) {
	s, err := Open(t.Context(), "http::addr=localhost:9000;", "candles")
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	want := `CREATE TABLE IF NOT EXISTS 'candles' (pair SYMBOL, "interval" SYMBOL, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, trades LONG, vwap DOUBLE, timestamp TIMESTAMP) TIMESTAMP(timestamp) PARTITION BY MONTH WAL DEDUP UPSERT KEYS(timestamp, pair, "interval")`
	if diff := cmp.Diff(want, s.createTableSQL()); diff != "" {
		t.Errorf("DDL (-want +got):\n%s", diff)
	}
}

// goodColumns is what SHOW COLUMNS reports for the table candlekeep creates.
func goodColumns() []tableColumn {
	var cols []tableColumn
	for _, w := range wantColumns {
		k := w.name == "timestamp" || w.name == "pair" || w.name == "interval"
		cols = append(cols, tableColumn{name: w.name, typ: w.typ, designated: w.name == "timestamp", upserted: k})
	}
	return cols
}

func TestCheckColumns(t *testing.T) {
	s, err := Open(t.Context(), "http::addr=localhost:9000;", "candles")
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	edit := func(f func(cols []tableColumn) []tableColumn) []tableColumn { return f(goodColumns()) }
	tests := []struct {
		name string
		cols []tableColumn
		want *SchemaError // nil: accepted
	}{
		{"as created", goodColumns(), nil},
		{"extra column", append(goodColumns(), tableColumn{name: "source", typ: "SYMBOL"}), nil},
		{"no dedup", edit(func(c []tableColumn) []tableColumn {
			for i := range c {
				c[i].upserted = false
			}
			return c
		}), &SchemaError{
			Table:    "'candles'",
			Problems: []string{"deduplication is off, want (timestamp, pair, interval)"},
			Fixes:    []string{`ALTER TABLE 'candles' DEDUP ENABLE UPSERT KEYS(timestamp, pair, "interval")`},
		}},
		{"dedup without interval", edit(func(c []tableColumn) []tableColumn { c[1].upserted = false; return c }), &SchemaError{
			Table:    "'candles'",
			Problems: []string{"the upsert keys are (pair, timestamp), want (timestamp, pair, interval)"},
			Fixes:    []string{`ALTER TABLE 'candles' DEDUP ENABLE UPSERT KEYS(timestamp, pair, "interval")`},
		}},
		{"wrong types, missing vwap", edit(func(c []tableColumn) []tableColumn {
			c[7].typ = "INT"
			c[2].typ = "FLOAT"
			return append(c[:8], c[9])
		}), &SchemaError{
			Table:    "'candles'",
			Problems: []string{"column open is FLOAT, want DOUBLE", "column trades is INT, want LONG", "column vwap is missing"},
			Fixes: []string{
				"ALTER TABLE 'candles' ALTER COLUMN open TYPE DOUBLE",
				"ALTER TABLE 'candles' ALTER COLUMN trades TYPE LONG",
				"ALTER TABLE 'candles' ADD COLUMN vwap DOUBLE",
			},
		}},
		{"other designated timestamp", edit(func(c []tableColumn) []tableColumn {
			c[9].designated = false
			return append(c, tableColumn{name: "ts", typ: "TIMESTAMP", designated: true})
		}), &SchemaError{
			Table:    "'candles'",
			Problems: []string{"the designated timestamp is ts, want timestamp"},
			Fixes:    []string{"RENAME TABLE 'candles' TO 'candles_old'", "then run candlekeep init again to create the table (or set another table name in the sink block)"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.checkColumns(tc.cols)
			var got *SchemaError
			if err != nil && !errors.As(err, &got) {
				t.Fatalf("check: %v is not a *SchemaError", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("check (-want +got):\n%s", diff)
			}
		})
	}
}
