package questdbtest

import (
	"bytes"
	"strconv"
	"time"
)

// txn holds what one /write request will apply once every line is good.
// It is reused between requests (under Server.mu).
type txn struct {
	rows   []stagedRow
	counts []stagedCount
	slab   []cell

	// The previous line's table and column indices: consecutive lines
	// mostly have the same shape, which spares map lookups.
	lastName  []byte
	lastTable *table
	shapeOf   *table
	shapeName [][]byte
	shapeIdx  []int
	idx       []int
	seen      []int // line number that last set each column, to spot repeats
}

type stagedRow struct {
	t   *table
	row []cell
}

type stagedCount struct {
	t *table
	n int64
}

func (tx *txn) reset() {
	clear(tx.rows)
	tx.rows = tx.rows[:0]
	tx.counts = tx.counts[:0]
	tx.slab = nil
	tx.lastName, tx.lastTable, tx.shapeOf = nil, nil, nil
	tx.shapeName, tx.shapeIdx = tx.shapeName[:0], tx.shapeIdx[:0]
	clear(tx.seen)
}

// newRow carves a row of n NULL cells out of a shared slab.
func (tx *txn) newRow(n int) []cell {
	if len(tx.slab) < n {
		tx.slab = make([]cell, max(4096, n))
	}
	row := tx.slab[:n:n]
	tx.slab = tx.slab[n:]
	return row
}

// apply parses body and, when every line is good, applies all its rows at
// once: one request is one transaction, as in QuestDB.
func (s *Server) apply(body []byte, prec precision) *lineError {
	if s.opts.CountOnly {
		return s.applyCounting(body, prec)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tx := &s.tx
	tx.reset()
	now := time.Now().UnixMicro()
	err := s.parser.parse(body, prec, func(ln *ilpLine) error { return s.stage(tx, ln, now) })
	if err != nil {
		tx.reset()
		return err.(*lineError)
	}
	for _, r := range tx.rows {
		r.t.upsert(r.row)
	}
	tx.reset()
	s.writes++
	return nil
}

// stage checks one line against its table's schema, creating the table or
// columns as ILP does, and stages its row.
func (s *Server) stage(tx *txn, ln *ilpLine, now int64) error {
	t, lerr := s.lineTable(tx, ln)
	if lerr != nil {
		return lerr
	}
	ts, lerr := lineTime(t, ln, now)
	if lerr != nil {
		return lerr
	}
	if err := s.resolveColumns(tx, t, ln); err != nil {
		return err
	}
	for len(tx.seen) < len(t.cols) {
		tx.seen = append(tx.seen, 0)
	}
	for i := range ln.entries {
		e, col := &ln.entries[i], tx.idx[i]
		if tx.seen[col] == ln.no {
			tx.idx[i] = -1 // a repeated column: QuestDB keeps the first value
			continue
		}
		tx.seen[col] = ln.no
		c := &t.cols[col]
		if !accepts(c.typ, e.kind) {
			return &lineError{line: ln.no, msg: "table: " + t.name + ", column: " + c.name +
				"; cast error from protocol type: " + e.kind.String() + " to column type: " + c.typ}
		}
		if lo, hi := intRange(c.typ); e.kind == kindInteger && (e.int < lo || e.int > hi) {
			return &lineError{line: ln.no, msg: "table: " + t.name + ", column: " + c.name +
				"; line protocol value: " + strconv.FormatInt(e.int, 10) + " is out bounds of column type: " + c.typ}
		}
	}
	row := tx.newRow(len(t.cols))
	for i := range ln.entries {
		if col := tx.idx[i]; col >= 0 {
			row[col] = toCell(t.cols[col].typ, &ln.entries[i])
		}
	}
	if t.designated >= 0 {
		row[t.designated] = cell{set: true, i: ts}
	}
	tx.rows = append(tx.rows, stagedRow{t: t, row: row})
	return nil
}

// lineTable finds the line's table, creating it as ILP auto-creation does
// when missing: tags as SYMBOL, then fields, then a designated "timestamp",
// no upsert keys. Like QuestDB, the table stays if the request fails.
func (s *Server) lineTable(tx *txn, ln *ilpLine) (*table, *lineError) {
	if tx.lastTable != nil && bytes.Equal(tx.lastName, ln.table) {
		return tx.lastTable, nil
	}
	name := string(ln.table)
	t := s.tableNamed(name)
	if t == nil {
		if !validTableName(name) {
			return nil, &lineError{line: ln.no, msg: "table: " + name + "; invalid table name"}
		}
		cols := make([]column, 0, len(ln.entries)+1)
		for _, e := range ln.entries {
			if !validColumnName(string(e.name)) {
				return nil, &lineError{line: ln.no, msg: "table: " + name + "; invalid column name: " + string(e.name)}
			}
			cols = append(cols, column{name: string(e.name), typ: autoType(e.kind)})
		}
		cols = append(cols, column{name: "timestamp", typ: "TIMESTAMP"})
		t = newTable(name, dedupeColumns(cols), "timestamp")
		s.tables[lower(name)] = t
	}
	tx.lastName, tx.lastTable = ln.table, t
	return t, nil
}

// dedupeColumns keeps the first of columns repeated in one line.
func dedupeColumns(cols []column) []column {
	seen := map[string]bool{}
	out := cols[:0]
	for _, c := range cols {
		if !seen[lower(c.name)] {
			seen[lower(c.name)] = true
			out = append(out, c)
		}
	}
	return out
}

// resolveColumns fills tx.idx with the column index of each entry, adding
// unknown columns to the table as ILP does.
func (s *Server) resolveColumns(tx *txn, t *table, ln *ilpLine) *lineError {
	if tx.shapeOf != t {
		tx.shapeOf = t
		tx.shapeName, tx.shapeIdx = tx.shapeName[:0], tx.shapeIdx[:0]
	}
	if ln.sameShape && len(tx.shapeIdx) == len(ln.entries) {
		tx.idx = append(tx.idx[:0], tx.shapeIdx...)
		return nil
	}
	tx.idx = tx.idx[:0]
	for i := range ln.entries {
		e := &ln.entries[i]
		if i < len(tx.shapeName) && bytes.Equal(tx.shapeName[i], e.name) {
			tx.idx = append(tx.idx, tx.shapeIdx[i])
			continue
		}
		col, ok := t.column(string(e.name))
		if !ok {
			name := string(e.name)
			if !validColumnName(name) {
				return &lineError{line: ln.no, msg: "table: " + t.name + "; invalid column name: " + name}
			}
			col = t.addColumn(column{name: name, typ: autoType(e.kind)})
		}
		tx.idx = append(tx.idx, col)
		if i < len(tx.shapeName) {
			tx.shapeName[i], tx.shapeIdx[i] = e.name, col
		} else if i == len(tx.shapeName) {
			tx.shapeName, tx.shapeIdx = append(tx.shapeName, e.name), append(tx.shapeIdx, col)
		}
	}
	return nil
}

// validTableName applies the client's and QuestDB's table name rules.
func validTableName(name string) bool {
	if name == "" || len(name) > 127 || name[0] == '.' || name[len(name)-1] == '.' {
		return false
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case '?', ',', '\'', '"', '\\', '/', ':', ')', '(', '+', '*', '%', '~', 0x7f:
			return false
		default:
			if c < 0x20 {
				return false
			}
		}
	}
	return true
}

// validColumnName applies QuestDB's column name rules.
func validColumnName(name string) bool {
	if name == "" || len(name) > 127 {
		return false
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case '?', '.', ',', '\'', '"', '\\', '/', ':', ')', '(', '+', '-', '*', '%', '~', 0x7f:
			return false
		default:
			if c < 0x20 {
				return false
			}
		}
	}
	return true
}

// lineTime is the line's timestamp (the server's clock, now, when it has
// none), refused before 1970 for a table with a designated timestamp, as
// QuestDB does.
func lineTime(t *table, ln *ilpLine, now int64) (int64, *lineError) {
	ts := now
	if ln.hasTS {
		ts = ln.ts
	}
	if ts < 0 && t.designated >= 0 {
		return 0, &lineError{line: ln.no, msg: "table: " + t.name + ", timestamp: " + strconv.FormatInt(ts, 10) +
			"; designated timestamp before 1970-01-01 is not allowed"}
	}
	return ts, nil
}
