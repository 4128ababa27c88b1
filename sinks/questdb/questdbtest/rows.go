package questdbtest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Row is one stored candle, read by column name from the candle table.
type Row struct {
	Pair, Interval                 string
	Timestamp                      int64 // micros since the epoch
	Open, High, Low, Close, Volume float64
	Trades                         int64
	VWAP                           *float64 // nil when NULL
}

// Rows returns the rows of table sorted by (timestamp, pair, interval).
// Missing columns and NULLs read as zero values (VWAP as nil).
func (s *Server) Rows(table string) []Row {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tableNamed(table)
	if t == nil {
		return nil
	}
	get := func(r []cell, name string) (cell, string) {
		i, ok := t.column(name)
		if !ok {
			return cell{}, ""
		}
		return cellAt(r, i), t.cols[i].typ
	}
	out := make([]Row, 0, len(t.rows))
	for _, r := range t.rows {
		row := Row{
			Pair:      text(get(r, "pair")),
			Interval:  text(get(r, "interval")),
			Timestamp: cellAt(r, t.designated).i,
			Open:      float(get(r, "open")),
			High:      float(get(r, "high")),
			Low:       float(get(r, "low")),
			Close:     float(get(r, "close")),
			Volume:    float(get(r, "volume")),
			Trades:    integer(get(r, "trades")),
		}
		if v, typ := get(r, "vwap"); v.set {
			f := float(v, typ)
			row.VWAP = &f
		}
		out = append(out, row)
	}
	slices.SortFunc(out, func(a, b Row) int {
		return cmp.Or(cmp.Compare(a.Timestamp, b.Timestamp), strings.Compare(a.Pair, b.Pair), strings.Compare(a.Interval, b.Interval))
	})
	return out
}

func text(v cell, typ string) string {
	switch typ {
	case "SYMBOL", "STRING", "VARCHAR", "":
		return v.s
	case "DOUBLE", "FLOAT":
		return strconv.FormatFloat(v.f, 'g', -1, 64)
	}
	return strconv.FormatInt(v.i, 10)
}

func float(v cell, typ string) float64 {
	switch typ {
	case "DOUBLE", "FLOAT":
		return v.f
	case "SYMBOL", "STRING", "VARCHAR", "":
		f, _ := strconv.ParseFloat(v.s, 64)
		return f
	}
	return float64(v.i)
}

func integer(v cell, typ string) int64 {
	switch typ {
	case "DOUBLE", "FLOAT":
		return int64(v.f)
	case "SYMBOL", "STRING", "VARCHAR", "":
		n, _ := strconv.ParseInt(v.s, 10, 64)
		return n
	}
	return v.i
}

// Count is the number of rows stored in table; with CountOnly, the number
// of rows received in applied requests.
func (s *Server) Count(table string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tableNamed(table)
	switch {
	case t == nil:
		return 0
	case s.opts.CountOnly:
		return t.received
	}
	return int64(len(t.rows))
}

// DropRange deletes the rows of table whose timestamp (micros) is in
// [fromMicros, toMicros), as dropping partitions would.
func (s *Server) DropRange(table string, fromMicros, toMicros int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tableNamed(table); t != nil {
		t.dropRange(fromMicros, toMicros)
	}
}

// candleColumns are the candle table's columns in the contract's order.
var candleColumns = []column{
	{name: "pair", typ: "SYMBOL"}, {name: "interval", typ: "SYMBOL"},
	{name: "open", typ: "DOUBLE"}, {name: "high", typ: "DOUBLE"}, {name: "low", typ: "DOUBLE"},
	{name: "close", typ: "DOUBLE"}, {name: "volume", typ: "DOUBLE"}, {name: "trades", typ: "LONG"},
	{name: "vwap", typ: "DOUBLE"}, {name: "timestamp", typ: "TIMESTAMP"},
}

// CreateTableWithoutDedup creates table (replacing any) with the candle
// columns and designated timestamp but no upsert keys, as ILP
// auto-creation or a hand-made table would leave it.
func (s *Server) CreateTableWithoutDedup(table string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTable(newTable(table, slices.Clone(candleColumns), "timestamp"))
}

// CreateTable creates table (replacing any) with columns (name → QuestDB
// type, e.g. "DOUBLE") and upsert keys. Candle columns come first in the
// contract's order, the others after by name; a TIMESTAMP column named
// "timestamp" is the designated timestamp.
func (s *Server) CreateTable(table string, columns map[string]string, upsertKeys []string) {
	rank := func(name string) int {
		if i := slices.IndexFunc(candleColumns, func(c column) bool { return c.name == name }); i >= 0 {
			return i
		}
		return len(candleColumns)
	}
	names := make([]string, 0, len(columns))
	for n := range columns {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a, b)) })
	cols := make([]column, 0, len(names))
	for _, n := range names {
		cols = append(cols, column{name: n, typ: strings.ToUpper(columns[n]), upsertKey: slices.Contains(upsertKeys, n)})
	}
	designated := ""
	if strings.EqualFold(columns["timestamp"], "TIMESTAMP") {
		designated = "timestamp"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTable(newTable(table, cols, designated))
}
