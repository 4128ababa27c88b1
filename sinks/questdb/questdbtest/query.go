package questdbtest

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// selectItem is a column or an aggregate of one.
type selectItem struct {
	agg  string // "", "min", "max" or "count"
	col  int    // table column, -1 for count()
	name string // output name
	typ  string // output type
}

// condition is "column op literal".
type condition struct {
	col int
	op  string
	lit token
	ref cell // the literal as a value of the column's type
}

// selectRows runs SELECT items FROM table [WHERE c AND …] [GROUP BY …]
// [ORDER BY …]. Rows come in designated-timestamp order, as QuestDB stores
// them; groups in descending key order (QuestDB promises none).
func (s *Server) selectRows(p *parser, q string) (any, *sqlError) {
	p.next() // SELECT
	start := p.i
	for !p.isKeyword("FROM") && p.peek().kind != tokEOF { // items need the table first
		p.next()
	}
	itemsEnd := p.i
	if err := p.expectKeyword("FROM"); err != nil {
		return nil, err
	}
	name, err := p.tableName()
	if err != nil {
		return nil, err
	}
	t := s.tableNamed(name.text)
	if t == nil {
		return nil, &sqlError{pos: name.pos, msg: "table does not exist [table=" + name.text + "]"}
	}
	rest := p.i
	p.i = start
	items, err := parseItems(p, t, itemsEnd)
	if err != nil {
		return nil, err
	}
	p.i = rest
	conds, err := parseWhere(p, t)
	if err != nil {
		return nil, err
	}
	grouped := slices.ContainsFunc(items, func(it selectItem) bool { return it.agg != "" })
	if p.keyword("GROUP") {
		if err := p.expectKeyword("BY"); err != nil {
			return nil, err
		}
		keys, err := p.commaIdents()
		if err != nil {
			return nil, err
		}
		if err := checkGroupBy(items, keys, t); err != nil {
			return nil, err
		}
		grouped = true
	}
	var order []token
	if p.keyword("ORDER") {
		if err := p.expectKeyword("BY"); err != nil {
			return nil, err
		}
		if order, err = p.commaIdents(); err != nil {
			return nil, err
		}
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	rows := filterRows(t, conds)
	res := execResult{Query: q, Timestamp: -1, Dataset: [][]any{}}
	for i, it := range items {
		res.Columns = append(res.Columns, execColumn{it.name, it.typ})
		if !grouped && it.col == t.designated && t.designated >= 0 && res.Timestamp < 0 {
			res.Timestamp = i
		}
	}
	if grouped {
		res.Dataset = groupRows(t, items, rows)
	} else {
		res.Dataset, err = projectRows(t, items, rows, order)
		if err != nil {
			return nil, err
		}
	}
	res.Count = len(res.Dataset)
	return res, nil
}

func (p *parser) commaIdents() ([]token, *sqlError) {
	var out []token
	for {
		t, err := p.ident()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
		p.keyword("ASC")
		if !p.punct(",") {
			return out, nil
		}
	}
}

func parseItems(p *parser, t *table, end int) ([]selectItem, *sqlError) {
	var items []selectItem
	names := map[string]int{}
	for {
		tok, err := p.ident()
		if err != nil {
			return nil, err
		}
		it := selectItem{col: -1}
		fn := strings.ToLower(tok.text)
		if p.punct("(") {
			switch fn {
			case "count":
				p.punct("*")
				it.agg, it.typ = "count", "LONG"
			case "min", "max":
				arg, err := p.ident()
				if err != nil {
					return nil, err
				}
				col, ok := t.column(arg.text)
				if !ok {
					return nil, &sqlError{pos: arg.pos, msg: "Invalid column: " + arg.text}
				}
				it.agg, it.col, it.typ = fn, col, t.cols[col].typ
			default:
				return nil, &sqlError{pos: tok.pos, msg: "function not supported by the QuestDB stand-in: " + tok.text}
			}
			if err := p.expectPunct(")"); err != nil {
				return nil, err
			}
			it.name = fn
		} else {
			col, ok := t.column(tok.text)
			if !ok {
				return nil, &sqlError{pos: tok.pos, msg: "Invalid column: " + tok.text}
			}
			it.col, it.name, it.typ = col, t.cols[col].name, t.cols[col].typ
		}
		// QuestDB numbers repeated output names: min, min1, …
		if n, dup := names[it.name]; dup {
			names[it.name] = n + 1
			it.name += strconv.Itoa(n + 1)
		} else {
			names[it.name] = 0
		}
		items = append(items, it)
		if p.i == end {
			return items, nil
		}
		if err := p.expectPunct(","); err != nil {
			return nil, err
		}
	}
}

func checkGroupBy(items []selectItem, keys []token, t *table) *sqlError {
	for _, it := range items {
		if it.agg != "" {
			continue
		}
		if !slices.ContainsFunc(keys, func(k token) bool { c, ok := t.column(k.text); return ok && c == it.col }) {
			return &sqlError{pos: keys[0].pos, msg: "column must appear in GROUP BY clause or aggregate function [column=" + it.name + "]"}
		}
	}
	for _, k := range keys {
		c, ok := t.column(k.text)
		if !ok || !slices.ContainsFunc(items, func(it selectItem) bool { return it.agg == "" && it.col == c }) {
			return &sqlError{pos: k.pos, msg: "group by column is not selected by the QuestDB stand-in: " + k.text}
		}
	}
	return nil
}

func parseWhere(p *parser, t *table) ([]condition, *sqlError) {
	if !p.keyword("WHERE") {
		return nil, nil
	}
	var conds []condition
	for {
		tok, err := p.ident()
		if err != nil {
			return nil, err
		}
		col, ok := t.column(tok.text)
		if !ok {
			return nil, &sqlError{pos: tok.pos, msg: "Invalid column: " + tok.text}
		}
		op := p.next()
		switch op.text {
		case "=", "!=", "<>", "<", "<=", ">", ">=":
		default:
			return nil, &sqlError{pos: op.pos, msg: "comparison expected by the QuestDB stand-in"}
		}
		lit := p.next()
		if lit.kind != tokString && lit.kind != tokNumber {
			return nil, &sqlError{pos: lit.pos, msg: "literal expected by the QuestDB stand-in"}
		}
		c := condition{col: col, op: op.text, lit: lit}
		if err := c.prepare(t); err != nil {
			return nil, err
		}
		conds = append(conds, c)
		if !p.keyword("AND") {
			return conds, nil
		}
	}
}

// filterRows returns the rows meeting every condition, in designated
// timestamp order.
func filterRows(t *table, conds []condition) [][]cell {
	var out [][]cell
	for _, r := range t.rows {
		keep := true
		for _, c := range conds {
			keep = keep && c.holds(t, cellAt(r, c.col))
		}
		if keep {
			out = append(out, r)
		}
	}
	if t.designated >= 0 {
		slices.SortStableFunc(out, func(a, b []cell) int {
			return cmp.Compare(cellAt(a, t.designated).i, cellAt(b, t.designated).i)
		})
	}
	return out
}

// prepare checks the literal against the column type once, up front.
func (c *condition) prepare(t *table) *sqlError {
	switch typ := t.cols[c.col].typ; typ {
	case "TIMESTAMP":
		ts, err := parseTimestampLiteral(c.lit)
		if err != nil {
			return err
		}
		c.ref = cell{set: true, i: ts}
	case "SYMBOL", "STRING", "VARCHAR":
		if c.lit.kind != tokString {
			return &sqlError{pos: c.lit.pos, msg: "string literal expected by the QuestDB stand-in"}
		}
		c.ref = cell{set: true, s: c.lit.text}
	case "DOUBLE", "FLOAT", "LONG", "INT", "SHORT", "BYTE":
		n, err := strconv.ParseFloat(c.lit.text, 64)
		if c.lit.kind != tokNumber || err != nil {
			return &sqlError{pos: c.lit.pos, msg: "number expected by the QuestDB stand-in"}
		}
		c.ref = cell{set: true, f: n, i: int64(n)}
	default:
		return &sqlError{pos: c.lit.pos, msg: "comparison on " + typ + " not supported by the QuestDB stand-in"}
	}
	return nil
}

func (c condition) holds(t *table, v cell) bool {
	if !v.set {
		return false // NULL compares false
	}
	typ := t.cols[c.col].typ
	var order int
	switch typ {
	case "LONG", "INT", "SHORT", "BYTE":
		order = cmp.Compare(float64(v.i), c.ref.f)
	default:
		order = compareCells(typ, v, c.ref)
	}
	switch c.op {
	case "=":
		return order == 0
	case "!=", "<>":
		return order != 0
	case "<":
		return order < 0
	case "<=":
		return order <= 0
	case ">":
		return order > 0
	}
	return order >= 0
}

// parseTimestampLiteral reads a timestamp as QuestDB takes it in
// comparisons: an ISO-8601 string (date, or date and time in UTC) or a
// number of micros.
func parseTimestampLiteral(lit token) (int64, *sqlError) {
	if lit.kind == tokNumber {
		n, err := strconv.ParseInt(lit.text, 10, 64)
		if err != nil {
			return 0, &sqlError{pos: lit.pos, msg: "Invalid timestamp: " + lit.text}
		}
		return n, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if ts, err := time.Parse(layout, lit.text); err == nil {
			return ts.UnixMicro(), nil
		}
	}
	return 0, &sqlError{pos: lit.pos, msg: "Invalid date [str=" + lit.text + "]"}
}

func projectRows(t *table, items []selectItem, rows [][]cell, order []token) ([][]any, *sqlError) {
	for i := len(order) - 1; i >= 0; i-- {
		col, ok := t.column(order[i].text)
		if !ok {
			return nil, &sqlError{pos: order[i].pos, msg: "Invalid column: " + order[i].text}
		}
		slices.SortStableFunc(rows, func(a, b []cell) int { return compareCells(t.cols[col].typ, cellAt(a, col), cellAt(b, col)) })
	}
	out := make([][]any, 0, len(rows))
	for _, r := range rows {
		vals := make([]any, len(items))
		for i, it := range items {
			vals[i] = jsonValue(it.typ, cellAt(r, it.col))
		}
		out = append(out, vals)
	}
	return out, nil
}

func groupRows(t *table, items []selectItem, rows [][]cell) [][]any {
	type group struct {
		key  []cell
		aggs []cell // per item: min/max value, or count in i
	}
	var keys []int
	for _, it := range items {
		if it.agg == "" {
			keys = append(keys, it.col)
		}
	}
	groups := map[string]*group{}
	for _, r := range rows {
		k := make([]cell, len(keys))
		var kb strings.Builder
		for i, col := range keys {
			k[i] = cellAt(r, col)
			kb.WriteString(strconv.Quote(k[i].s) + strconv.FormatInt(k[i].i, 10) + strconv.FormatFloat(k[i].f, 'g', -1, 64) + "|")
		}
		g := groups[kb.String()]
		if g == nil {
			g = &group{key: k, aggs: make([]cell, len(items))}
			groups[kb.String()] = g
		}
		for i, it := range items {
			a, v := &g.aggs[i], cellAt(r, it.col)
			switch {
			case it.agg == "count":
				a.set, a.i = true, a.i+1
			case it.agg == "" || !v.set:
			case !a.set || it.agg == "min" && compareCells(it.typ, v, *a) < 0 || it.agg == "max" && compareCells(it.typ, v, *a) > 0:
				*a = v
			}
		}
	}
	if len(keys) == 0 && len(groups) == 0 { // aggregates over no rows: one row
		groups[""] = &group{aggs: make([]cell, len(items))}
		for i, it := range items {
			if it.agg == "count" {
				groups[""].aggs[i] = cell{set: true}
			}
		}
	}
	list := make([]*group, 0, len(groups))
	for _, g := range groups {
		list = append(list, g)
	}
	slices.SortFunc(list, func(a, b *group) int {
		for i, col := range keys {
			if c := compareCells(t.cols[col].typ, a.key[i], b.key[i]); c != 0 {
				return -c
			}
		}
		return 0
	})
	out := make([][]any, 0, len(list))
	for _, g := range list {
		vals, k := make([]any, len(items)), 0
		for i, it := range items {
			if it.agg == "" {
				vals[i] = jsonValue(it.typ, g.key[k])
				k++
			} else {
				vals[i] = jsonValue(it.typ, g.aggs[i])
			}
		}
		out = append(out, vals)
	}
	return out
}

// compareCells orders NULL first, then by value.
func compareCells(typ string, a, b cell) int {
	if !a.set || !b.set {
		return cmp.Compare(btoi(a.set), btoi(b.set))
	}
	switch typ {
	case "SYMBOL", "STRING", "VARCHAR":
		return strings.Compare(a.s, b.s)
	case "DOUBLE", "FLOAT":
		return cmp.Compare(a.f, b.f)
	case "BOOLEAN":
		return cmp.Compare(btoi(a.b), btoi(b.b))
	}
	return cmp.Compare(a.i, b.i)
}

// jsonValue renders a cell as QuestDB's /exec does: NULL as null,
// timestamps as ISO-8601 strings with micros, doubles with a fraction.
func jsonValue(typ string, v cell) any {
	switch typ {
	case "BOOLEAN":
		return v.set && v.b
	case "SHORT", "BYTE":
		return v.i
	}
	if !v.set {
		return nil
	}
	switch typ {
	case "SYMBOL", "STRING", "VARCHAR":
		return v.s
	case "DOUBLE", "FLOAT":
		if math.IsNaN(v.f) || math.IsInf(v.f, 0) {
			return nil
		}
		s := strconv.FormatFloat(v.f, 'g', -1, 64)
		if !strings.ContainsAny(s, ".e") {
			s += ".0"
		}
		return json.Number(s)
	case "TIMESTAMP":
		return formatMicros(v.i)
	case "DATE":
		return time.UnixMilli(v.i).UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return v.i
}

// formatMicros renders micros since the epoch as QuestDB does.
func formatMicros(us int64) string {
	return time.UnixMicro(us).UTC().Format("2006-01-02T15:04:05.000000Z")
}
