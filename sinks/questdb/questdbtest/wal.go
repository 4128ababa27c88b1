package questdbtest

import (
	"regexp"
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

// walQuery is the one wal_tables() statement the sink sends.
var walQuery = regexp.MustCompile(`(?i)^\s*SELECT\s+suspended\s*,\s*writerTxn\s*,\s*sequencerTxn\s+FROM\s+wal_tables\(\)\s+WHERE\s+name\s*=\s*'([^']*)'\s*;?\s*$`)

// walTables answers walQuery as QuestDB does: one row per WAL table, none
// for a missing table. Must be called with s.mu held.
func (s *Server) walTables(q string, m []string) execResult {
	res := execResult{Query: q, Timestamp: -1, Dataset: [][]any{}, Columns: []execColumn{
		{"suspended", "BOOLEAN"}, {"writerTxn", "LONG"}, {"sequencerTxn", "LONG"},
	}}
	if s.tableNamed(m[1]) != nil {
		st := s.wal[strings.ToLower(m[1])]
		res.Dataset = append(res.Dataset, []any{st.suspended, s.writes, s.writes + st.pending})
	}
	res.Count = len(res.Dataset)
	return res
}
