package questdbtest

import (
	"math"
	"strconv"
	"unsafe"
)

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

// fastNumber parses, in one pass, the common values: floats with at most
// 15 digits and no exponent, and integers with at most 18 digits. It
// reports false for anything else, which the general path then takes.
func fastNumber(b []byte, pos int, e *ilpEntry) (int, bool) {
	i, neg := pos, false
	if i < len(b) && b[i] == '-' {
		neg, i = true, i+1
	}
	var mant uint64
	start := i
	for i < len(b) && b[i]-'0' < 10 {
		mant = mant*10 + uint64(b[i]-'0')
		i++
	}
	digits := i - start
	if i < len(b) && b[i] == 'i' {
		if i++; digits == 0 || digits > 18 || !endsValue(b, i) {
			return 0, false
		}
		e.kind, e.int, e.text = kindInteger, int64(mant), b[pos:i]
		if neg {
			e.int = -e.int
		}
		return i, true
	}
	frac := 0
	if i < len(b) && b[i] == '.' {
		i++
		fracStart := i
		for i < len(b) && b[i]-'0' < 10 {
			mant = mant*10 + uint64(b[i]-'0')
			i++
		}
		frac = i - fracStart
	}
	if digits+frac == 0 || digits+frac > 15 || !endsValue(b, i) {
		return 0, false
	}
	f := float64(mant) / pow10[frac]
	if neg {
		f = -f
	}
	e.kind, e.num, e.text = kindFloat, f, b[pos:i]
	return i, true
}

// endsValue reports whether a field value may end at i.
func endsValue(b []byte, i int) bool {
	return i == len(b) || b[i] == ',' || b[i] == ' ' || b[i] == '\n'
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
	// mant overflows beyond 19 digits; it is only used for 15 or fewer.
	var mant uint64
	start := i
	for i < len(v) && v[i]-'0' < 10 {
		mant = mant*10 + uint64(v[i]-'0')
		i++
	}
	digits, frac := i-start, 0
	if i < len(v) && v[i] == '.' {
		i++
		fracStart := i
		for i < len(v) && v[i]-'0' < 10 {
			mant = mant*10 + uint64(v[i]-'0')
			i++
		}
		frac = i - fracStart
		digits += frac
	}
	if digits == 0 {
		return 0, false
	}
	if i == len(v) && digits <= 15 { // exact: mant < 2^53 and frac ≤ 22
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
		for i < len(v) && v[i]-'0' < 10 {
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
