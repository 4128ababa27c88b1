package questdbtest

import (
	"regexp"
	"slices"
	"strings"
)

// walState is what wal_tables() reports for a table: whether applying its
// commits is suspended, and how many acknowledged commits are not applied
// yet. The stand-in applies every commit at once; tests set a state to see
// how the sink reacts to a lagging or suspended table.
type walState struct {
	suspended bool
	pending   int
}

// SetWAL makes wal_tables() report table as suspended and/or with pending
// commits not yet applied. Rows stay visible: only the report changes.
func (s *Server) SetWAL(table string, suspended bool, pending int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.wal == nil {
		s.wal = map[string]walState{}
	}
	s.wal[strings.ToLower(table)] = walState{suspended: suspended, pending: pending}
}

// walQuery is the wal_tables() statement a sink sends: with or without the
// name column, with or without WHERE name = '…'.
var walQuery = regexp.MustCompile(`(?i)^\s*SELECT\s+(name\s*,\s*)?suspended\s*,\s*writerTxn\s*,\s*sequencerTxn\s+FROM\s+wal_tables\(\)(\s+WHERE\s+name\s*=\s*'([^']*)')?\s*;?\s*$`)

// walTables answers walQuery as QuestDB does: one row per WAL table (every
// table here), in creation order. name is the table's name as created,
// and WHERE name = compares strings exactly: a table created as "Candles"
// is not found by name = 'candles', though SQL finds the table itself in
// any case. Must be called with s.mu held.
func (s *Server) walTables(q string, m []string) execResult {
	withName, filtered, want := m[1] != "", m[2] != "", m[3]
	res := execResult{Query: q, Timestamp: -1, Dataset: [][]any{}}
	if withName {
		res.Columns = append(res.Columns, execColumn{"name", "STRING"})
	}
	res.Columns = append(res.Columns, execColumn{"suspended", "BOOLEAN"}, execColumn{"writerTxn", "LONG"}, execColumn{"sequencerTxn", "LONG"})
	tables := make([]*table, 0, len(s.tables))
	for _, t := range s.tables {
		tables = append(tables, t)
	}
	slices.SortFunc(tables, func(a, b *table) int { return a.id - b.id })
	for _, t := range tables {
		if filtered && t.name != want {
			continue
		}
		st := s.wal[strings.ToLower(t.name)]
		row := []any{st.suspended, s.writes, s.writes + st.pending}
		if withName {
			row = append([]any{t.name}, row...)
		}
		res.Dataset = append(res.Dataset, row)
	}
	res.Count = len(res.Dataset)
	return res
}
