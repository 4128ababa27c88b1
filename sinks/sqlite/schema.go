package sqlite

import (
	"context"
	"fmt"
	"strings"
)

// column is one column of the candle table as candlekeep wants it.
type column struct {
	name string
	typ  string // declared type; SQLite's affinity follows from it
	pk   int    // 1-based position in the primary key, 0 if not in it
}

var wantColumns = []column{
	{"pair", "TEXT", 1},
	{"interval", "INTEGER", 2},
	{"ts", "INTEGER", 3},
	{"open", "REAL", 0},
	{"high", "REAL", 0},
	{"low", "REAL", 0},
	{"close", "REAL", 0},
	{"volume", "REAL", 0},
	{"trades", "INTEGER", 0},
	{"vwap", "REAL", 0},
}

// withoutRowID stores rows in the primary-key b-tree itself instead of a
// rowid table plus a key index that repeats pair, interval and ts: a
// smaller file, and on BenchmarkWrite as fast or slightly faster.
const withoutRowID = true

func (s *Sink) createTableSQL() string {
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS " + s.quoted + " (\n")
	// SQLite keeps the statement's text, comments included, as long as
	// the table lives: the marker names this incarnation of the table.
	b.WriteString("\t" + incarnationMarker(newIncarnation()) + "\n")
	for _, c := range wantColumns {
		b.WriteString("\t" + quoteIdent(c.name) + " " + c.typ)
		if c.name != "vwap" {
			b.WriteString(" NOT NULL")
		}
		b.WriteString(",\n")
	}
	b.WriteString("\tPRIMARY KEY (pair, interval, ts)\n)")
	if withoutRowID {
		b.WriteString(" WITHOUT ROWID")
	}
	return b.String()
}

// Setup creates the candle table if it is missing and checks that an
// existing one has candlekeep's columns and primary key.
func (s *Sink) Setup(ctx context.Context) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return fmt.Errorf("set up sqlite sink %s: sink is closed", s.path)
	}
	if s.wconn == nil {
		return fmt.Errorf("set up sqlite sink %s: the sink was opened read-only", s.path)
	}
	if _, err := s.wconn.ExecContext(ctx, s.createTableSQL()); err != nil {
		return fmt.Errorf("set up table %s in %s: %w", s.table, s.path, err)
	}
	return s.checkSchema(ctx)
}

// checkSchema compares the table's columns with wantColumns. Extra
// nullable columns are tolerated: they do not stop an upsert.
func (s *Sink) checkSchema(ctx context.Context) error {
	rows, err := s.wconn.QueryContext(ctx, `SELECT name, type, "notnull", dflt_value IS NOT NULL, pk FROM pragma_table_info(?)`, s.table)
	if err != nil {
		return fmt.Errorf("check table %s in %s: %w", s.table, s.path, err)
	}
	defer rows.Close()
	type got struct {
		typ        string
		notNull    bool
		hasDefault bool
		pk         int
	}
	have := map[string]got{}
	var order []string
	for rows.Next() {
		var name string
		var g got
		if err := rows.Scan(&name, &g.typ, &g.notNull, &g.hasDefault, &g.pk); err != nil {
			return fmt.Errorf("check table %s in %s: %w", s.table, s.path, err)
		}
		have[strings.ToLower(name)] = g
		order = append(order, strings.ToLower(name))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check table %s in %s: %w", s.table, s.path, err)
	}

	var problems []string
	wanted := map[string]bool{}
	for _, c := range wantColumns {
		wanted[c.name] = true
		g, ok := have[c.name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("column %s is missing", c.name))
		case !strings.EqualFold(g.typ, c.typ):
			problems = append(problems, fmt.Sprintf("column %s has type %q, want %s", c.name, g.typ, c.typ))
		}
	}
	for _, name := range order {
		if g := have[name]; !wanted[name] && g.notNull && !g.hasDefault {
			problems = append(problems, fmt.Sprintf("extra column %s is NOT NULL without a default", name))
		}
	}
	if gotPK, wantPK := primaryKey(order, func(n string) int { return have[n].pk }), "(pair, interval, ts)"; gotPK != wantPK {
		problems = append(problems, fmt.Sprintf("primary key is %s, want %s", gotPK, wantPK))
	}
	if len(problems) > 0 {
		return fmt.Errorf("table %s in %s does not have candlekeep's schema: %s; "+
			"drop or rename that table, or name another table in the sink block",
			s.table, s.path, strings.Join(problems, "; "))
	}
	return nil
}

// primaryKey renders the key columns in key order, "(none)" if there is none.
func primaryKey(columns []string, pkPos func(string) int) string {
	key := make([]string, len(columns))
	n := 0
	for _, c := range columns {
		if p := pkPos(c); p > 0 && p <= len(key) {
			key[p-1] = c
			n++
		}
	}
	if n == 0 {
		return "(none)"
	}
	return "(" + strings.Join(key[:n], ", ") + ")"
}
