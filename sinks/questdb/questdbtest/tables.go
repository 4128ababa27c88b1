package questdbtest

import (
	"regexp"
	"strconv"
	"strings"
)

// addTable stores t under a new table id, as QuestDB gives every table it
// creates (a table dropped and created again gets a new id). Must be
// called with s.mu held.
func (s *Server) addTable(t *table) {
	s.tableIDs++
	t.id = s.tableIDs
	s.tables[lower(t.name)] = t
}

// DropTable drops a table, as DROP TABLE does; a missing one is no error.
func (s *Server) DropTable(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tables, strings.ToLower(name))
}

// tablesQuery is the one tables() statement the sink sends.
var tablesQuery = regexp.MustCompile(`(?i)^\s*SELECT\s+id\s*,\s*directoryName\s+FROM\s+tables\(\)\s+WHERE\s+table_name\s*=\s*'([^']*)'\s*;?\s*$`)

// tablesMeta answers tablesQuery as QuestDB does: one row for an existing
// table, none for a missing one. WAL tables' directories carry the id
// after a tilde. Must be called with s.mu held.
func (s *Server) tablesMeta(q string, m []string) execResult {
	res := execResult{Query: q, Timestamp: -1, Dataset: [][]any{}, Columns: []execColumn{
		{"id", "INT"}, {"directoryName", "STRING"},
	}}
	if t := s.tableNamed(m[1]); t != nil {
		res.Dataset = append(res.Dataset, []any{t.id, t.name + "~" + strconv.Itoa(t.id)})
	}
	res.Count = len(res.Dataset)
	return res
}
