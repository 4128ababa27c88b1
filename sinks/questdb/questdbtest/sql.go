package questdbtest

import (
	"strings"
)

// The few SQL statements the stand-in understands, tokenized so that
// whitespace, case of keywords and a trailing semicolon do not matter.

type tokenKind uint8

const (
	tokIdent tokenKind = iota
	tokString
	tokNumber
	tokPunct
	tokEOF
)

type token struct {
	kind tokenKind
	text string // identifiers as written; strings unquoted
	pos  int    // byte offset in the query, as QuestDB reports positions
}

// sqlError is answered as {"query","error","position"}.
type sqlError struct {
	pos int
	msg string
}

func (e *sqlError) Error() string { return e.msg }

func tokenize(q string) ([]token, *sqlError) {
	var toks []token
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isIdentStart(c):
			j := i + 1
			for j < len(q) && (isIdentStart(q[j]) || (q[j] >= '0' && q[j] <= '9')) {
				j++
			}
			toks = append(toks, token{kind: tokIdent, text: q[i:j], pos: i})
			i = j
		case c >= '0' && c <= '9' || c == '-' && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9':
			j := i + 1
			for j < len(q) && (q[j] >= '0' && q[j] <= '9' || q[j] == '.' || q[j] == 'e' || q[j] == 'E') {
				j++
			}
			toks = append(toks, token{kind: tokNumber, text: q[i:j], pos: i})
			i = j
		case c == '\'' || c == '"':
			var sb strings.Builder
			j := i + 1
			for {
				if j >= len(q) {
					return nil, &sqlError{pos: i, msg: "unclosed quoted string or keyword"}
				}
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c { // doubled quote
						sb.WriteByte(c)
						j += 2
						continue
					}
					break
				}
				sb.WriteByte(q[j])
				j++
			}
			kind := tokString
			if c == '"' {
				kind = tokIdent
			}
			toks = append(toks, token{kind: kind, text: sb.String(), pos: i})
			i = j + 1
		default:
			n := 1
			if i+1 < len(q) {
				switch q[i : i+2] {
				case "<=", ">=", "!=", "<>":
					n = 2
				}
			}
			toks = append(toks, token{kind: tokPunct, text: q[i : i+n], pos: i})
			i += n
		}
	}
	// A trailing semicolon ends the statement, as QuestDB allows.
	if n := len(toks); n > 0 && toks[n-1].kind == tokPunct && toks[n-1].text == ";" {
		toks = toks[:n-1]
	}
	return append(toks, token{kind: tokEOF, pos: len(q)}), nil
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// parser walks tokens.
type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// isKeyword reports whether the next token is the keyword kw.
func (p *parser) isKeyword(kw string) bool {
	t := p.peek()
	return t.kind == tokIdent && strings.EqualFold(t.text, kw)
}

// keyword consumes kw when it is next.
func (p *parser) keyword(kw string) bool {
	if p.isKeyword(kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expectKeyword(kw string) *sqlError {
	if !p.keyword(kw) {
		return p.unexpected("'" + strings.ToLower(kw) + "' expected")
	}
	return nil
}

func (p *parser) punct(s string) bool {
	if t := p.peek(); t.kind == tokPunct && t.text == s {
		p.i++
		return true
	}
	return false
}

func (p *parser) expectPunct(s string) *sqlError {
	if !p.punct(s) {
		return p.unexpected("'" + s + "' expected")
	}
	return nil
}

func (p *parser) ident() (token, *sqlError) {
	t := p.peek()
	if t.kind != tokIdent {
		return t, p.unexpected("column name expected")
	}
	p.i++
	return t, nil
}

// tableName reads a table name: bare, "quoted" or 'quoted'.
func (p *parser) tableName() (token, *sqlError) {
	t := p.peek()
	if t.kind != tokIdent && t.kind != tokString {
		return t, p.unexpected("table name expected")
	}
	p.i++
	return t, nil
}

func (p *parser) end() *sqlError {
	if p.peek().kind != tokEOF {
		return p.unexpected("unexpected token [" + p.peek().text + "]")
	}
	return nil
}

func (p *parser) unexpected(msg string) *sqlError {
	t := p.peek()
	if t.kind == tokEOF {
		return &sqlError{pos: t.pos, msg: msg + " but the query ended"}
	}
	return &sqlError{pos: t.pos, msg: msg}
}

// identList reads "(a, b, …)".
func (p *parser) identList() ([]token, *sqlError) {
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	var out []token
	for {
		t, err := p.ident()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
		if p.punct(")") {
			return out, nil
		}
		if err := p.expectPunct(","); err != nil {
			return nil, err
		}
	}
}
