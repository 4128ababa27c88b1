package questdbtest

import (
	"math"
	"strconv"
	"unsafe"
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
	kind ilpKind
	text []byte  // tag and string values, unescaped
	num  float64 // float values
	int  int64   // integer values, timestamp values in micros
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
				e := ilpEntry{name: p.fieldName[field]}
				end, msg := p.fieldValue(b, pos+1+len(raw), &e)
				if msg != "" {
					return fail(msg)
				}
				ln.entries = append(ln.entries, e)
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
		e := ilpEntry{name: key}
		end, msg := p.fieldValue(b, end+1, &e)
		if msg != "" {
			return fail(msg)
		}
		ln.entries = append(ln.entries, e)
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
	for end < len(b) && b[end] != '\n' {
		end++
	}
	ts, ok := parseInt(b[start:end])
	if !ok {
		return fail("Could not parse timestamp: " + string(b[start:end]))
	}
	ln.ts, ln.hasTS = prec.toMicros(ts), true
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

// number parses an integer, timestamp or float field value.
func (p *ilpParser) number(v []byte, pos int, e *ilpEntry) (int, string) {
	invalid := func(v []byte) (int, string) {
		return 0, "Could not parse entire line, field value is invalid. Field: " + string(e.name) + "; value: " + string(v)
	}
	switch v[len(v)-1] {
	case 'i':
		n, ok := parseInt(v[:len(v)-1])
		if !ok {
			return invalid(v)
		}
		e.kind, e.int = kindInteger, n
	case 't':
		n, ok := parseInt(v[:len(v)-1])
		if !ok {
			return invalid(v)
		}
		e.kind, e.int = kindTimestamp, n
	default:
		f, ok := parseFloat(v)
		if !ok {
			return invalid(v)
		}
		e.kind, e.num = kindFloat, f
	}
	return pos, ""
}

// parseInt parses an optionally negative decimal int64.
func parseInt(v []byte) (int64, bool) {
	if len(v) == 0 || len(v) > 20 {
		return 0, false
	}
	neg := v[0] == '-'
	if neg {
		v = v[1:]
		if len(v) == 0 {
			return 0, false
		}
	}
	var n uint64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (math.MaxUint64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return -int64(n), true
	}
	if n > math.MaxInt64 {
		return 0, false
	}
	return int64(n), true
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseFloat accepts -?(digits[.digits]|.digits)([eE][+-]?digits)? — what
// QuestDB and the client write — and nothing else (no "inf", hex or
// underscores). Plain decimals whose digits fit 2^53 are converted exactly
// on the fast path; the rest go through strconv.
func parseFloat(v []byte) (float64, bool) {
	i, neg := 0, false
	if v[0] == '-' {
		neg, i = true, 1
	}
	var mant uint64
	digits, frac, sawDot, intDigits := 0, 0, false, 0
	for ; i < len(v); i++ {
		c := v[i]
		if c >= '0' && c <= '9' {
			if digits < 19 {
				mant = mant*10 + uint64(c-'0')
				if mant != 0 {
					digits++
				}
				if sawDot {
					frac++
				}
			} else {
				digits = 99 // too many digits for the fast path
			}
			if !sawDot {
				intDigits++
			}
			continue
		}
		if c == '.' && !sawDot {
			sawDot = true
			continue
		}
		break
	}
	fracDigits := i - intDigits - btoi(sawDot) - btoi(neg)
	if intDigits+fracDigits == 0 {
		return 0, false
	}
	if i == len(v) && digits <= 15 && frac <= 22 {
		f := float64(mant) / pow10[frac]
		if neg {
			f = -f
		}
		return f, true
	}
	if i < len(v) {
		if v[i] != 'e' && v[i] != 'E' {
			return 0, false
		}
		i++
		if i < len(v) && (v[i] == '+' || v[i] == '-') {
			i++
		}
		expStart := i
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		if i == expStart || i != len(v) {
			return 0, false
		}
	}
	// The bytes are not kept: ParseFloat copies its input into errors.
	f, err := strconv.ParseFloat(unsafe.String(&v[0], len(v)), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true // QuestDB takes overflow as Infinity and underflow as 0
		}
		return 0, false
	}
	return f, true
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// precision is the unit of the trailing timestamp, from the request's
// precision parameter.
type precision int64

// micros per unit when positive; nanos per micro (1000) when negative.
const (
	precisionNanos   precision = -1000
	precisionMicros  precision = 1
	precisionMillis  precision = 1000
	precisionSeconds precision = 1000_000
	precisionMinutes precision = 60_000_000
	precisionHours   precision = 3600_000_000
)

func (p precision) toMicros(ts int64) int64 {
	if p < 0 {
		return ts / int64(-p)
	}
	return ts * int64(p)
}

// parsePrecision reads the precision query parameter as QuestDB does.
func parsePrecision(s string) (precision, bool) {
	switch s {
	case "", "n", "ns":
		return precisionNanos, true
	case "u", "us":
		return precisionMicros, true
	case "ms":
		return precisionMillis, true
	case "s":
		return precisionSeconds, true
	case "m":
		return precisionMinutes, true
	case "h":
		return precisionHours, true
	}
	return 0, false
}
