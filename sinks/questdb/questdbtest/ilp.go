package questdbtest

import (
	"math"
	"strconv"
)

// ilpKind is the protocol type of one ILP value, named as QuestDB names it
// in cast errors.
type ilpKind uint8

const (
	kindTag ilpKind = iota
	kindFloat
	kindInteger
	kindBoolean
	kindString
	kindTimestamp
)

func (k ilpKind) String() string {
	return [...]string{"TAG", "FLOAT", "INTEGER", "BOOLEAN", "STRING", "TIMESTAMP"}[k]
}

// ilpEntry is one tag or field of a line. name and text point into the
// request body or, when they held escapes, into the parser's scratch.
type ilpEntry struct {
	name []byte
	text []byte  // tag and string values unescaped, others raw
	num  float64 // float values
	int  int64   // integer values, timestamp values in micros
	kind ilpKind
	bool bool
}

// ilpLine is one parsed measurement.
type ilpLine struct {
	no      int // 1-based, counting measurements as QuestDB does
	table   []byte
	entries []ilpEntry
	ts      int64 // designated timestamp in micros, when hasTS
	hasTS   bool
	// sameShape is set when table and entry names are those of the
	// previous line, in the same order.
	sameShape bool
}

// nextEntry grows entries by one and returns the new entry, which may hold
// stale values: fieldValue sets kind and the value that goes with it, and
// readers look at nothing else. Reusing the slot spares a copy per field.
func (ln *ilpLine) nextEntry() *ilpEntry {
	n := len(ln.entries)
	if n < cap(ln.entries) {
		ln.entries = ln.entries[:n+1]
	} else {
		ln.entries = append(ln.entries, ilpEntry{})
	}
	return &ln.entries[n]
}

// lineError is a rejection naming the measurement that caused it.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return "error in line " + strconv.Itoa(e.line) + ": " + e.msg }

// ilpParser parses ILP bodies. It is reused between requests to keep
// parsing free of allocations; it is not safe for concurrent use.
type ilpParser struct {
	scratch []byte
	line    ilpLine

	// Consecutive lines of a batch mostly share their table, tags and
	// field names byte for byte; comparing raw bytes with the previous
	// line's spares scanning them. Valid within one body only.
	head      []byte   // previous line's table and tags, with the space after
	headTags  int      // tag entries the head holds
	fieldRaw  [][]byte // previous line's raw field names, with the '='
	fieldName [][]byte // the same names unescaped
}

// parse calls fn for each measurement of body in order, stopping at the
// first error; prec is the unit of trailing timestamps. The line passed to
// fn is reused for the next one.
func (p *ilpParser) parse(body []byte, prec precision, fn func(*ilpLine) error) error {
	p.scratch = p.scratch[:0]
	p.head, p.fieldRaw, p.fieldName = nil, p.fieldRaw[:0], p.fieldName[:0]
	no := 0
	for pos := 0; pos < len(body); {
		if body[pos] == '\n' {
			pos++
			continue
		}
		no++
		next, err := p.parseLine(body, pos, no, prec)
		if err != nil {
			return err
		}
		if err := fn(&p.line); err != nil {
			return err
		}
		pos = next
	}
	return nil
}

// parseLine parses the measurement starting at pos into p.line and returns
// where the next one starts.
func (p *ilpParser) parseLine(b []byte, pos, no int, prec precision) (int, error) {
	ln := &p.line
	lineStart, prevFields := pos, len(p.fieldRaw)
	ln.no, ln.hasTS, ln.sameShape = no, false, false
	fail := func(msg string) (int, error) { return 0, &lineError{line: no, msg: msg} }

	if len(p.head) > 0 && len(b)-pos > len(p.head) && string(b[pos:pos+len(p.head)]) == string(p.head) {
		ln.entries = ln.entries[:p.headTags] // table and tags as parsed for the previous line
		pos += len(p.head) - 1
		ln.sameShape = true
	} else {
		ln.entries = ln.entries[:0]
		p.head, p.fieldRaw, p.fieldName = nil, p.fieldRaw[:0], p.fieldName[:0]
		var err error
		if pos, err = p.parseHead(b, pos, no); err != nil {
			return 0, err
		}
		if pos >= len(b) || b[pos] == '\n' {
			if len(ln.entries) == 0 {
				return fail("No fields were provided")
			}
			return pos, nil // tags only: QuestDB takes the line
		}
		p.head, p.headTags = b[lineStart:pos+1], len(ln.entries)
	}
	table := ln.table
	// b[pos] is a space: fields follow.
	for field := 0; ; field++ {
		if field < len(p.fieldRaw) {
			if raw := p.fieldRaw[field]; len(b)-pos > len(raw) && string(b[pos+1:pos+1+len(raw)]) == string(raw) {
				e := ln.nextEntry()
				e.name = p.fieldName[field]
				end, msg := p.fieldValue(b, pos+1+len(raw), e)
				if msg != "" {
					return fail(msg)
				}
				if pos = end; pos >= len(b) || b[pos] != ',' {
					break
				}
				continue
			}
			p.fieldRaw, p.fieldName = p.fieldRaw[:field], p.fieldName[:field]
			ln.sameShape = false
		}
		key, end, ok := p.name(b, pos+1, false)
		if !ok || end >= len(b) || b[end] != '=' {
			if len(key) == 0 && (end >= len(b) || b[end] == '\n') {
				return fail("No fields were provided")
			}
			return fail("Could not parse entire line. Field value is missing: " + string(key))
		}
		if len(key) == 0 {
			return fail("table: " + string(table) + "; invalid column name: ")
		}
		p.fieldRaw, p.fieldName = append(p.fieldRaw, b[pos+1:end+1]), append(p.fieldName, key)
		ln.sameShape = false
		e := ln.nextEntry()
		e.name = key
		end, msg := p.fieldValue(b, end+1, e)
		if msg != "" {
			return fail(msg)
		}
		if pos = end; pos >= len(b) || b[pos] != ',' {
			break
		}
	}
	if len(ln.entries)-p.headTags != prevFields {
		ln.sameShape = false
	}
	if pos >= len(b) || b[pos] == '\n' {
		return pos, nil
	}
	// b[pos] is a space: the timestamp follows.
	start := pos + 1
	end := start
	var ts uint64
	for end < len(b) && b[end]-'0' < 10 && end-start < 19 { // 19 digits fit a uint64
		ts = ts*10 + uint64(b[end]-'0')
		end++
	}
	if end > start && (end == len(b) || b[end] == '\n') && ts <= math.MaxInt64 {
		ln.ts, ln.hasTS = prec.toMicros(int64(ts)), true
		return end, nil
	}
	for end < len(b) && b[end] != '\n' {
		end++
	}
	ts2, ok := parseInt(b[start:end])
	if !ok {
		return fail("Could not parse timestamp: " + string(b[start:end]))
	}
	ln.ts, ln.hasTS = prec.toMicros(ts2), true
	return end, nil
}

// parseHead parses the table name and tags into p.line and returns the
// position after them.
func (p *ilpParser) parseHead(b []byte, pos, no int) (int, error) {
	ln := &p.line
	fail := func(msg string) (int, error) { return 0, &lineError{line: no, msg: msg} }
	table, pos, ok := p.name(b, pos, true)
	if !ok {
		return fail("Could not parse entire line. Dangling escape at end of table name")
	}
	if len(table) == 0 {
		return fail("Could not parse entire line. Table name is empty")
	}
	ln.table = table
	for pos < len(b) && b[pos] == ',' {
		key, end, ok := p.name(b, pos+1, false)
		if !ok || end >= len(b) || b[end] != '=' {
			return fail("Could not parse entire line. Symbol value is missing: " + string(key))
		}
		val, end2, ok := p.tagValue(b, end+1)
		if !ok || len(val) == 0 {
			return fail("Could not parse entire line. Symbol value is missing: " + string(key))
		}
		if len(key) == 0 {
			return fail("table: " + string(table) + "; invalid column name: ")
		}
		ln.entries = append(ln.entries, ilpEntry{name: key, kind: kindTag, text: val})
		pos = end2
	}
	return pos, nil
}

// name reads a table, tag or field name up to an unescaped separator. A
// backslash makes the next byte literal. It reports false on a backslash
// that ends the body.
func (p *ilpParser) name(b []byte, pos int, table bool) ([]byte, int, bool) {
	start, escaped := pos, false
	for ; pos < len(b); pos++ {
		c := b[pos]
		if c == '\\' {
			escaped = true
			pos++
			if pos >= len(b) {
				return nil, pos, false
			}
			continue
		}
		if c == ' ' || c == ',' || c == '\n' || (c == '=' && !table) {
			break
		}
	}
	if !escaped {
		return b[start:pos], pos, true
	}
	return p.unescape(b[start:pos]), pos, true
}

// tagValue reads a tag value: like a name, ended by comma, space or newline.
func (p *ilpParser) tagValue(b []byte, pos int) ([]byte, int, bool) {
	start, escaped := pos, false
	for ; pos < len(b); pos++ {
		c := b[pos]
		if c == '\\' {
			escaped = true
			pos++
			if pos >= len(b) {
				return nil, pos, false
			}
			continue
		}
		if c == ' ' || c == ',' || c == '\n' {
			break
		}
	}
	if !escaped {
		return b[start:pos], pos, true
	}
	return p.unescape(b[start:pos]), pos, true
}

// unescape drops the backslash of every escape pair into the scratch
// buffer. Earlier results stay valid when scratch grows: they keep the
// old array.
func (p *ilpParser) unescape(s []byte) []byte {
	start := len(p.scratch)
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
		}
		p.scratch = append(p.scratch, s[i])
	}
	return p.scratch[start:len(p.scratch):len(p.scratch)]
}

// fieldValue parses the value at pos into e and returns the position after
// it, or a QuestDB-worded message.
func (p *ilpParser) fieldValue(b []byte, pos int, e *ilpEntry) (int, string) {
	invalid := func(v []byte) (int, string) {
		return 0, "Could not parse entire line, field value is invalid. Field: " + string(e.name) + "; value: " + string(v)
	}
	if pos < len(b) && b[pos] == '"' {
		start, escaped := pos+1, false
		for pos = start; pos < len(b) && b[pos] != '"'; pos++ {
			if b[pos] == '\\' {
				escaped = true
				pos++
			}
		}
		if pos >= len(b) {
			return invalid(b[start-1:])
		}
		e.kind, e.text = kindString, b[start:pos]
		if escaped {
			e.text = p.unescape(e.text)
		}
		pos++
		if pos < len(b) && b[pos] != ',' && b[pos] != ' ' && b[pos] != '\n' {
			return invalid(b[start-1 : pos+1])
		}
		return pos, ""
	}
	if end, ok := fastNumber(b, pos, e); ok {
		return end, ""
	}
	start := pos
	for pos < len(b) && b[pos] != ',' && b[pos] != ' ' && b[pos] != '\n' {
		pos++
	}
	v := b[start:pos]
	if len(v) == 0 {
		return 0, "Could not parse entire line. Field value is missing: " + string(e.name)
	}
	e.text = v // the raw text, which a SYMBOL column stores as is
	if c := v[0]; c >= '0' && c <= '9' || c == '.' || c == '-' && len(v) > 1 && v[1] != 'I' {
		return p.number(v, pos, e)
	}
	switch string(v) {
	case "t", "T", "true", "True", "TRUE":
		e.kind, e.bool = kindBoolean, true
		return pos, ""
	case "f", "F", "false", "False", "FALSE":
		e.kind, e.bool = kindBoolean, false
		return pos, ""
	case "NaN":
		e.kind, e.num = kindFloat, math.NaN()
		return pos, ""
	case "Infinity":
		e.kind, e.num = kindFloat, math.Inf(1)
		return pos, ""
	case "-Infinity":
		e.kind, e.num = kindFloat, math.Inf(-1)
		return pos, ""
	}
	return p.number(v, pos, e)
}
