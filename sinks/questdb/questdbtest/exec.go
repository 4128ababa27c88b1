package questdbtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// execResult is QuestDB's /exec answer to a query returning rows.
type execResult struct {
	Query     string       `json:"query"`
	Columns   []execColumn `json:"columns"`
	Timestamp int          `json:"timestamp"` // index of the designated timestamp in columns, or -1
	Dataset   [][]any      `json:"dataset"`
	Count     int          `json:"count"`
}

type execColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

func (s *Server) serveExec(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query().Get("query")
	answer, err := s.exec(q)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		writeJSON(w, struct {
			Query    string `json:"query"`
			Error    string `json:"error"`
			Position int    `json:"position"`
		}{q, err.msg, err.pos})
		return
	}
	writeJSON(w, answer)
}

// writeJSON writes v as QuestDB does: no HTML escaping of < > &.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// exec runs one statement under the lock, so it sees whole requests only.
func (s *Server) exec(q string) (any, *sqlError) {
	if strings.TrimSpace(q) == "" {
		return nil, &sqlError{pos: 0, msg: "No query text"}
	}
	if buildQuery.MatchString(q) {
		return s.buildResult(q), nil
	}
	if m := walQuery.FindStringSubmatch(q); m != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.walTables(q, m), nil
	}
	if m := tablesQuery.FindStringSubmatch(q); m != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.tablesMeta(q, m), nil
	}
	toks, err := tokenize(q)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case p.keyword("CREATE"):
		return s.createTable(p)
	case p.keyword("SHOW"):
		return s.showColumns(p, q)
	case p.isKeyword("SELECT"):
		return s.selectRows(p, q)
	}
	return nil, &sqlError{pos: toks[0].pos, msg: "statement not supported by the QuestDB stand-in"}
}

// columnTypes are the types CREATE TABLE takes here.
var columnTypes = map[string]bool{
	"SYMBOL": true, "STRING": true, "VARCHAR": true, "DOUBLE": true, "FLOAT": true, "LONG": true,
	"INT": true, "SHORT": true, "BYTE": true, "BOOLEAN": true, "TIMESTAMP": true, "DATE": true,
}

// createTable runs CREATE TABLE [IF NOT EXISTS] name (col TYPE, …)
// [TIMESTAMP(col)] [PARTITION BY unit] [WAL | BYPASS WAL]
// [DEDUP UPSERT KEYS(col, …)], answering {"ddl":"OK"}.
func (s *Server) createTable(p *parser) (any, *sqlError) {
	if err := p.expectKeyword("TABLE"); err != nil {
		return nil, err
	}
	ifNotExists := false
	if p.keyword("IF") {
		if err := p.expectKeyword("NOT"); err != nil {
			return nil, err
		}
		if err := p.expectKeyword("EXISTS"); err != nil {
			return nil, err
		}
		ifNotExists = true
	}
	name, err := p.tableName()
	if err != nil {
		return nil, err
	}
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	var cols []column
	seen := map[string]bool{}
	for {
		c, err := p.ident()
		if err != nil {
			return nil, err
		}
		typ := p.next()
		if typ.kind != tokIdent || !columnTypes[strings.ToUpper(typ.text)] {
			return nil, &sqlError{pos: typ.pos, msg: "unsupported column type: " + typ.text}
		}
		if seen[lower(c.text)] {
			return nil, &sqlError{pos: c.pos, msg: "Duplicate column [name=" + c.text + "]"}
		}
		seen[lower(c.text)] = true
		cols = append(cols, column{name: c.text, typ: strings.ToUpper(typ.text)})
		if p.punct(")") {
			break
		}
		if err := p.expectPunct(","); err != nil {
			return nil, err
		}
	}
	designated, partitioned, wal, bypass := "", false, false, false
	var keys []token
	if p.keyword("TIMESTAMP") {
		ts, err := p.identList()
		if err != nil {
			return nil, err
		}
		if len(ts) != 1 || !hasColumn(cols, ts[0].text, "TIMESTAMP") {
			return nil, &sqlError{pos: ts[0].pos, msg: "TIMESTAMP column expected [actual=" + ts[0].text + "]"}
		}
		designated = ts[0].text
	}
	if p.keyword("PARTITION") {
		if err := p.expectKeyword("BY"); err != nil {
			return nil, err
		}
		unit := p.next()
		switch strings.ToUpper(unit.text) {
		case "NONE":
		case "HOUR", "DAY", "WEEK", "MONTH", "YEAR":
			partitioned = true
		default:
			return nil, &sqlError{pos: unit.pos, msg: "'NONE', 'HOUR', 'DAY', 'WEEK', 'MONTH' or 'YEAR' expected"}
		}
		if partitioned && designated == "" {
			return nil, &sqlError{pos: unit.pos, msg: "partitioning is possible only on tables with designated timestamps"}
		}
	}
	if p.keyword("BYPASS") {
		if err := p.expectKeyword("WAL"); err != nil {
			return nil, err
		}
		bypass = true
	} else if p.isKeyword("WAL") {
		if !partitioned {
			return nil, &sqlError{pos: p.peek().pos, msg: "WAL Write Mode can only be used on partitioned tables"}
		}
		p.next()
		wal = true
	}
	// QuestDB makes partitioned tables WAL unless told otherwise.
	wal = wal || (partitioned && !bypass)
	if p.keyword("DEDUP") {
		dedupPos := p.toks[p.i-1].pos
		if err := p.expectKeyword("UPSERT"); err != nil {
			return nil, err
		}
		if err := p.expectKeyword("KEYS"); err != nil {
			return nil, err
		}
		if keys, err = p.identList(); err != nil {
			return nil, err
		}
		if !wal {
			return nil, &sqlError{pos: dedupPos, msg: "deduplication is possible only on WAL tables"}
		}
		hasDesignated := false
		for _, k := range keys {
			i := columnIndex(cols, k.text)
			if i < 0 {
				return nil, &sqlError{pos: k.pos, msg: "deduplicate key column not found [column=" + k.text + "]"}
			}
			cols[i].upsertKey = true
			hasDesignated = hasDesignated || strings.EqualFold(k.text, designated)
		}
		if !hasDesignated {
			return nil, &sqlError{pos: keys[0].pos, msg: "deduplicate key list must include dedicated timestamp column"}
		}
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	if s.tableNamed(name.text) != nil {
		if ifNotExists {
			return map[string]string{"ddl": "OK"}, nil
		}
		return nil, &sqlError{pos: name.pos, msg: "table already exists"}
	}
	s.addTable(newTable(name.text, cols, designated))
	return map[string]string{"ddl": "OK"}, nil
}

func columnIndex(cols []column, name string) int {
	for i, c := range cols {
		if strings.EqualFold(c.name, name) {
			return i
		}
	}
	return -1
}

func hasColumn(cols []column, name, typ string) bool {
	i := columnIndex(cols, name)
	return i >= 0 && cols[i].typ == typ
}

// showColumns answers SHOW COLUMNS FROM name as QuestDB 8 does.
func (s *Server) showColumns(p *parser, q string) (any, *sqlError) {
	if err := p.expectKeyword("COLUMNS"); err != nil {
		return nil, err
	}
	if err := p.expectKeyword("FROM"); err != nil {
		return nil, err
	}
	name, err := p.tableName()
	if err != nil {
		return nil, err
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	t := s.tableNamed(name.text)
	if t == nil {
		return nil, &sqlError{pos: name.pos, msg: "table does not exist [table=" + name.text + "]"}
	}
	res := execResult{Query: q, Timestamp: -1, Dataset: [][]any{}, Columns: []execColumn{
		{"column", "STRING"}, {"type", "STRING"}, {"indexed", "BOOLEAN"}, {"indexBlockCapacity", "INT"},
		{"symbolCached", "BOOLEAN"}, {"symbolCapacity", "INT"}, {"designated", "BOOLEAN"}, {"upsertKey", "BOOLEAN"},
	}}
	for i, c := range t.cols {
		symbol := c.typ == "SYMBOL"
		capacity := 0
		if symbol {
			capacity = defaultSymbolCapacity
		}
		res.Dataset = append(res.Dataset, []any{c.name, c.typ, false, 256, symbol, capacity, i == t.designated, c.upsertKey})
	}
	res.Count = len(res.Dataset)
	return res, nil
}
