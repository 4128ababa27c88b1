package questdbtest

import (
	"strconv"
	"time"
)

// counter parses and checks one /write request of a CountOnly server. Each
// request takes one from Server.counters, so requests parse in parallel,
// as QuestDB's do; only a change of line shape takes Server.mu.
type counter struct {
	parser ilpParser
	tx     txn

	// The checks of the current shape: the table, and one per entry.
	table  *table
	checks []entryCheck
}

// entryCheck is what a CountOnly server checks of one entry of a shape: the
// column's type as a set of accepted ILP kinds and its integer range,
// copied under Server.mu so lines of that shape need no lock.
type entryCheck struct {
	repeated  bool // a column seen earlier in the line: QuestDB keeps the first
	kinds     uint8
	lo, hi    int64
	name, typ string
}

// applyCounting is apply for a CountOnly server. It checks every line as
// apply does — syntax, numbers, table and column names, column types and
// integer ranges, timestamps — creating tables and columns the same way,
// and adds the request's rows to the counts only when every line is good.
func (s *Server) applyCounting(body []byte, prec precision) *lineError {
	c, _ := s.counters.Get().(*counter)
	if c == nil {
		c = &counter{}
	}
	defer s.counters.Put(c)
	c.tx.reset()
	c.table = nil
	now := time.Now().UnixMicro()
	if err := c.parser.parse(body, prec, func(ln *ilpLine) error { return s.count(c, ln, now) }); err != nil {
		c.tx.reset()
		c.table = nil
		return err.(*lineError)
	}
	s.mu.Lock()
	for _, n := range c.tx.counts {
		n.t.received += n.n
	}
	s.writes++
	s.mu.Unlock()
	c.tx.reset()
	c.table = nil // a later request may follow a CREATE TABLE
	return nil
}

// count checks one line and counts it. Lines shaped like the previous one
// (same table, tags and field names) reuse its checks.
func (s *Server) count(c *counter, ln *ilpLine, now int64) error {
	if !ln.sameShape || c.table == nil || len(c.checks) != len(ln.entries) {
		if err := s.shapeChecks(c, ln); err != nil {
			return err
		}
	}
	t := c.table
	if _, err := lineTime(t, ln, now); err != nil {
		return err
	}
	for i := range ln.entries {
		e, ck := &ln.entries[i], &c.checks[i]
		if ck.repeated {
			continue
		}
		if ck.kinds&(1<<e.kind) == 0 {
			return &lineError{line: ln.no, msg: "table: " + t.name + ", column: " + ck.name +
				"; cast error from protocol type: " + e.kind.String() + " to column type: " + ck.typ}
		}
		if e.kind == kindInteger && (e.int < ck.lo || e.int > ck.hi) {
			return &lineError{line: ln.no, msg: "table: " + t.name + ", column: " + ck.name +
				"; line protocol value: " + strconv.FormatInt(e.int, 10) + " is out bounds of column type: " + ck.typ}
		}
	}
	tx := &c.tx
	if n := len(tx.counts); n > 0 && tx.counts[n-1].t == t {
		tx.counts[n-1].n++
	} else {
		tx.counts = append(tx.counts, stagedCount{t: t, n: 1})
	}
	return nil
}

// shapeChecks finds the line's table and columns, creating them as ILP
// does, and copies what count checks of them into c.
func (s *Server) shapeChecks(c *counter, ln *ilpLine) *lineError {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx := &c.tx
	t, lerr := s.lineTable(tx, ln)
	if lerr != nil {
		return lerr
	}
	if lerr := s.resolveColumns(tx, t, ln); lerr != nil {
		return lerr
	}
	c.table, c.checks = t, c.checks[:0]
	for i, col := range tx.idx {
		repeated := false
		for _, earlier := range tx.idx[:i] {
			repeated = repeated || earlier == col
		}
		typ := t.cols[col].typ
		ck := entryCheck{repeated: repeated, name: t.cols[col].name, typ: typ}
		for k := kindTag; k <= kindTimestamp; k++ {
			if accepts(typ, k) {
				ck.kinds |= 1 << k
			}
		}
		ck.lo, ck.hi = intRange(typ)
		c.checks = append(c.checks, ck)
	}
	return nil
}
