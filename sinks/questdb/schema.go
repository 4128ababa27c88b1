package questdb

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// wantColumns are the table's columns and QuestDB types, in DDL order.
var wantColumns = []struct{ name, typ string }{
	{"pair", "SYMBOL"},
	{"interval", "SYMBOL"},
	{"open", "DOUBLE"},
	{"high", "DOUBLE"},
	{"low", "DOUBLE"},
	{"close", "DOUBLE"},
	{"volume", "DOUBLE"},
	{"trades", "LONG"},
	{"vwap", "DOUBLE"},
	{"timestamp", "TIMESTAMP"},
}

// upsertKeys are the dedup keys that make rewriting a candle replace it.
var upsertKeys = []string{"timestamp", "pair", "interval"}

// sqlColumn writes a column name for SQL. "interval" is a keyword of
// QuestDB's SQL (a type and a function), so it is double-quoted there;
// over ILP it is a plain name.
func sqlColumn(name string) string {
	if name == "interval" {
		return `"interval"`
	}
	return name
}

// sqlKeys is upsertKeys for SQL.
func sqlKeys() string {
	keys := make([]string, len(upsertKeys))
	for i, k := range upsertKeys {
		keys[i] = sqlColumn(k)
	}
	return strings.Join(keys, ", ")
}

func (s *Sink) createTableSQL() string {
	cols := make([]string, len(wantColumns))
	for i, c := range wantColumns {
		cols[i] = sqlColumn(c.name) + " " + c.typ
	}
	return "CREATE TABLE IF NOT EXISTS " + s.quoted + " (" + strings.Join(cols, ", ") +
		") TIMESTAMP(timestamp) PARTITION BY MONTH WAL DEDUP UPSERT KEYS(" + sqlKeys() + ")"
}

// Setup creates the table when it is missing and otherwise checks that it
// has candlekeep's columns and dedup keys. It must run before the first
// write: ILP would auto-create the table without dedup.
func (s *Sink) Setup(ctx context.Context) error {
	if err := s.checkReady(ctx); err != nil {
		return fmt.Errorf("set up %s: %w", s, err)
	}
	cols, err := s.showColumns(ctx)
	if tableMissing(err) {
		if _, err := s.exec.exec(ctx, s.createTableSQL()); err != nil {
			return fmt.Errorf("set up %s: create table: %w", s, err)
		}
		// Read the table back: another process may have created it first,
		// with another schema.
		cols, err = s.showColumns(ctx)
	}
	if err != nil {
		return fmt.Errorf("set up %s: %w", s, err)
	}
	if err := s.checkColumns(cols); err != nil {
		return fmt.Errorf("set up %s: %w", s, err)
	}
	return nil
}

// tableColumn is one row of SHOW COLUMNS.
type tableColumn struct {
	name, typ            string
	designated, upserted bool
}

func (s *Sink) showColumns(ctx context.Context) ([]tableColumn, error) {
	res, err := s.exec.exec(ctx, "SHOW COLUMNS FROM "+s.quoted)
	if err != nil {
		return nil, err
	}
	iName, iType, iDesignated, iUpsert := res.column("column"), res.column("type"), res.column("designated"), res.column("upsertKey")
	if iName < 0 || iType < 0 || iDesignated < 0 {
		return nil, fmt.Errorf("SHOW COLUMNS answered without column, type and designated: is this QuestDB?")
	}
	if iUpsert < 0 {
		return nil, fmt.Errorf("SHOW COLUMNS does not report upsert keys: this QuestDB predates deduplication (7.3), and candlekeep needs 7.3.10 or later (ILP over HTTP); upgrade it")
	}
	cols := make([]tableColumn, 0, len(res.Dataset))
	for _, row := range res.Dataset {
		if len(row) <= max(iName, iType, iDesignated, iUpsert) {
			return nil, fmt.Errorf("SHOW COLUMNS answered a row of %d cells", len(row))
		}
		name, ok1 := asString(row[iName])
		typ, ok2 := asString(row[iType])
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("SHOW COLUMNS answered a column without name or type")
		}
		cols = append(cols, tableColumn{name: name, typ: typ, designated: asBool(row[iDesignated]), upserted: asBool(row[iUpsert])})
	}
	return cols, nil
}

// SchemaError is an existing table that cannot take candlekeep's writes:
// what differs and the statements that fix it.
type SchemaError struct {
	Table    string
	Problems []string
	Fixes    []string // SQL to run, in order
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("table %s cannot take candlekeep's writes: %s; to fix it, run in QuestDB: %s",
		e.Table, strings.Join(e.Problems, "; "), strings.Join(e.Fixes, "; "))
}

// checkColumns compares an existing table with wantColumns and the dedup
// keys. Extra columns are fine: candlekeep leaves them NULL.
func (s *Sink) checkColumns(cols []tableColumn) error {
	e := &SchemaError{Table: s.quoted}
	byName := map[string]tableColumn{}
	var keys []string
	designated := ""
	for _, c := range cols {
		byName[strings.ToLower(c.name)] = c
		if c.upserted {
			keys = append(keys, strings.ToLower(c.name))
		}
		if c.designated {
			designated = c.name
		}
	}
	rebuild := false
	for _, w := range wantColumns {
		c, ok := byName[w.name]
		switch {
		case w.name == "timestamp" && !strings.EqualFold(designated, "timestamp"):
			if designated == "" {
				e.Problems = append(e.Problems, "the table has no designated timestamp, want timestamp")
			} else {
				e.Problems = append(e.Problems, fmt.Sprintf("the designated timestamp is %s, want timestamp", designated))
			}
			rebuild = true
		case !ok:
			e.Problems = append(e.Problems, fmt.Sprintf("column %s is missing", w.name))
			e.Fixes = append(e.Fixes, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", s.quoted, sqlColumn(w.name), w.typ))
		case !strings.EqualFold(c.typ, w.typ):
			e.Problems = append(e.Problems, fmt.Sprintf("column %s is %s, want %s", w.name, c.typ, w.typ))
			e.Fixes = append(e.Fixes, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s", s.quoted, sqlColumn(w.name), w.typ))
		}
	}
	if rebuild {
		// A designated timestamp cannot be changed in place.
		e.Fixes = []string{
			fmt.Sprintf("RENAME TABLE %s TO %s", s.quoted, sqlString(s.table+"_old")),
			"then run candlekeep init again to create the table (or set another table name in the sink block)",
		}
		return e
	}
	slices.Sort(keys)
	want := slices.Clone(upsertKeys)
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		have := "deduplication is off"
		if len(keys) > 0 {
			have = "the upsert keys are (" + strings.Join(keys, ", ") + ")"
		}
		e.Problems = append(e.Problems, have+", want ("+strings.Join(upsertKeys, ", ")+")")
		e.Fixes = append(e.Fixes, fmt.Sprintf("ALTER TABLE %s DEDUP ENABLE UPSERT KEYS(%s)", s.quoted, sqlKeys()))
	}
	if len(e.Problems) > 0 {
		return e
	}
	return nil
}
