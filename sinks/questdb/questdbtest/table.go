package questdbtest

import (
	"math"
	"strings"
)

// column is one column of a table. typ is QuestDB's upper-case type name.
type column struct {
	name      string
	typ       string
	upsertKey bool
}

// cell is one stored value. Doubles keep NaN as QuestDB's NULL.
type cell struct {
	set bool
	f   float64
	i   int64 // LONG, INT, SHORT, BYTE, TIMESTAMP (micros), DATE (millis)
	s   string
	b   bool
}

// table is a QuestDB table: its schema and its rows.
type table struct {
	name       string
	id         int // QuestDB's table id: a table created anew gets a new one
	cols       []column
	byName     map[string]int // lower-case name → index
	designated int            // index of the designated timestamp, -1 for none
	dedup      bool
	rows       [][]cell       // rows shorter than cols have NULL in the later columns
	keyIndex   map[string]int // upsert key → index in rows, when dedup
	received   int64          // rows received, when counting only
	keyScratch []byte         // reused to build upsert keys
}

// defaultSymbolCapacity is what QuestDB gives a SYMBOL column created
// without CAPACITY.
const defaultSymbolCapacity = 128

func newTable(name string, cols []column, designated string) *table {
	t := &table{name: name, byName: map[string]int{}, designated: -1}
	for _, c := range cols {
		t.addColumn(c)
	}
	if i, ok := t.column(designated); ok {
		t.designated = i
	}
	for _, c := range t.cols {
		t.dedup = t.dedup || c.upsertKey
	}
	if t.dedup {
		t.keyIndex = map[string]int{}
	}
	return t
}

func (t *table) addColumn(c column) int {
	t.cols = append(t.cols, c)
	t.byName[strings.ToLower(c.name)] = len(t.cols) - 1
	return len(t.cols) - 1
}

// column finds a column by name, case-insensitively as QuestDB does.
func (t *table) column(name string) (int, bool) {
	if i, ok := t.byName[name]; ok {
		return i, true
	}
	i, ok := t.byName[strings.ToLower(name)]
	return i, ok
}

// upsert stores row, replacing the row with the same upsert key when the
// table has one.
func (t *table) upsert(row []cell) {
	if !t.dedup {
		t.rows = append(t.rows, row)
		return
	}
	key := t.key(row)
	if i, ok := t.keyIndex[string(key)]; ok {
		t.rows[i] = row
		return
	}
	t.keyIndex[string(key)] = len(t.rows)
	t.rows = append(t.rows, row)
}

// key encodes the row's upsert-key cells; NULL and the empty string differ.
func (t *table) key(row []cell) []byte {
	k := t.keyScratch[:0]
	for i, c := range t.cols {
		if !c.upsertKey {
			continue
		}
		v := cellAt(row, i)
		if !v.set {
			k = append(k, 0)
			continue
		}
		k = append(k, 1)
		switch c.typ {
		case "SYMBOL", "STRING", "VARCHAR":
			k = append(k, v.s...)
			k = append(k, 0xff)
		case "DOUBLE", "FLOAT":
			k = appendUint64(k, math.Float64bits(v.f))
		case "BOOLEAN":
			k = append(k, byte(btoi(v.b)))
		default:
			k = appendUint64(k, uint64(v.i))
		}
	}
	t.keyScratch = k
	return k
}

func appendUint64(b []byte, v uint64) []byte {
	return append(b, byte(v>>56), byte(v>>48), byte(v>>40), byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// dropRange deletes the rows whose designated timestamp is in [from, to).
func (t *table) dropRange(from, to int64) {
	if t.designated < 0 {
		return
	}
	kept := t.rows[:0]
	for _, r := range t.rows {
		ts := cellAt(r, t.designated).i
		if ts < from || ts >= to {
			kept = append(kept, r)
		}
	}
	clear(t.rows[len(kept):])
	t.rows = kept
	if t.dedup {
		clear(t.keyIndex)
		for i, r := range t.rows {
			t.keyIndex[string(t.key(r))] = i
		}
	}
}

func cellAt(row []cell, i int) cell {
	if i < 0 || i >= len(row) {
		return cell{}
	}
	return row[i]
}

// accepts reports whether QuestDB writes a value of protocol kind k into a
// column of type typ (LineWalAppender's cast rules).
func accepts(typ string, k ilpKind) bool {
	switch k {
	case kindTag:
		return typ == "SYMBOL" || typ == "STRING" || typ == "VARCHAR"
	case kindInteger:
		switch typ {
		case "LONG", "INT", "SHORT", "BYTE", "TIMESTAMP", "DATE", "DOUBLE", "FLOAT", "SYMBOL":
			return true
		}
	case kindFloat:
		return typ == "DOUBLE" || typ == "FLOAT" || typ == "SYMBOL"
	case kindString:
		return typ == "STRING" || typ == "VARCHAR" || typ == "SYMBOL"
	case kindBoolean:
		switch typ {
		case "BOOLEAN", "BYTE", "SHORT", "INT", "LONG", "FLOAT", "DOUBLE", "SYMBOL":
			return true
		}
	case kindTimestamp:
		return typ == "TIMESTAMP" || typ == "DATE" || typ == "SYMBOL"
	}
	return false
}

// intRange is the range QuestDB checks integers against per column type.
func intRange(typ string) (int64, int64) {
	switch typ {
	case "INT":
		return math.MinInt32, math.MaxInt32
	case "SHORT":
		return math.MinInt16, math.MaxInt16
	case "BYTE":
		return math.MinInt8, math.MaxInt8
	}
	return math.MinInt64, math.MaxInt64
}

// autoType is the column type ILP auto-creation gives a value kind.
func autoType(k ilpKind) string {
	return [...]string{"SYMBOL", "DOUBLE", "LONG", "BOOLEAN", "VARCHAR", "TIMESTAMP"}[k]
}

// toCell converts e for a column of type typ; accepts(typ, e.kind) holds.
func toCell(typ string, e *ilpEntry) cell {
	if typ == "SYMBOL" && e.kind != kindTag && e.kind != kindString {
		return cell{set: true, s: string(e.text)}
	}
	switch e.kind {
	case kindTag, kindString:
		return cell{set: true, s: string(e.text)}
	case kindFloat:
		if math.IsNaN(e.num) {
			return cell{}
		}
		return cell{set: true, f: e.num}
	case kindInteger:
		if typ == "DOUBLE" || typ == "FLOAT" {
			return cell{set: true, f: float64(e.int)}
		}
		if typ == "DATE" {
			return cell{set: true, i: e.int}
		}
		return cell{set: true, i: e.int}
	case kindBoolean:
		switch typ {
		case "BOOLEAN":
			return cell{set: true, b: e.bool}
		case "DOUBLE", "FLOAT":
			return cell{set: true, f: float64(btoi(e.bool))}
		}
		return cell{set: true, i: int64(btoi(e.bool))}
	case kindTimestamp:
		if typ == "DATE" {
			return cell{set: true, i: e.int / 1000}
		}
		return cell{set: true, i: e.int}
	}
	return cell{}
}

func lower(s string) string { return strings.ToLower(s) }
