package ohlc

import (
	"math"
	"strconv"
	"unsafe"
)

// DecimalStatus is ParseDecimal's verdict. It is a value, not an error, so
// parsing millions of fields allocates nothing; each source words its own
// message around it.
type DecimalStatus uint8

const (
	// DecimalOK: the value was read.
	DecimalOK DecimalStatus = iota
	// DecimalSyntax: the text is not a plain non-negative decimal number.
	DecimalSyntax
	// DecimalOutOfRange: well formed, but beyond what a float64 holds.
	DecimalOutOfRange
)

func (s DecimalStatus) String() string {
	switch s {
	case DecimalOK:
		return "ok"
	case DecimalSyntax:
		return "syntax"
	case DecimalOutOfRange:
		return "out of range"
	}
	return "DecimalStatus(" + strconv.Itoa(int(s)) + ")"
}

// exactPow10 are the powers of ten a float64 holds exactly.
var exactPow10 = [...]float64{
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
}

// ParseDecimal reads a non-negative decimal number as Kraken writes it, in
// its CSV files and in its REST answers alike: digits, optionally a point
// and more digits, optionally an exponent of 1 to 4 digits ("5", "122.0",
// "0.00011", and for round volumes "1E+1" or "2.5E+2", which the real files
// hold). Signs on the number, a bare point, NaN, Inf, hex and underscores,
// all of which strconv.ParseFloat would take, are refused. The value is
// exactly strconv.ParseFloat's.
func ParseDecimal(b []byte) (float64, DecimalStatus) {
	v, end, status := ScanDecimal(b, 0)
	if status == DecimalOK && end != len(b) {
		return 0, DecimalSyntax
	}
	return v, status
}

// ScanDecimal is ParseDecimal for the number that starts at b[i]: it stops
// at the first byte that cannot continue the number and returns where that
// is, so a caller can read a delimited row in one pass, without splitting it
// into fields first. An exponent marker commits: "1E" and "1E+12345" are
// DecimalSyntax, whatever follows.
func ScanDecimal(b []byte, i int) (float64, int, DecimalStatus) {
	start := i
	var mant uint64
	for ; i < len(b); i++ {
		d := b[i] - '0'
		if d > 9 {
			break
		}
		mant = mant*10 + uint64(d)
	}
	if i == start {
		return 0, i, DecimalSyntax
	}
	intDigits, frac := i-start, 0
	if i < len(b) && b[i] == '.' {
		i++
		fracStart := i
		for ; i < len(b); i++ {
			d := b[i] - '0'
			if d > 9 {
				break
			}
			mant = mant*10 + uint64(d)
		}
		frac = i - fracStart
		if frac == 0 {
			return 0, i, DecimalSyntax
		}
	}
	if (i == len(b) || b[i]|0x20 != 'e') && intDigits+frac <= 15 {
		// Every price and nearly every volume Kraken writes: 15 digits are
		// below 2^53, so this is Clinger's fast path (below) in one step.
		return float64(mant) / exactPow10[frac], i, DecimalOK
	}
	return scanDecimalTail(b, start, i, mant, intDigits+frac, -frac)
}

// scanDecimalTail finishes ScanDecimal for the rare number with an exponent
// or many digits; kept apart so the common case stays a short function.
// b[start:i] holds the number so far: mant of the given digits, times 10^exp10.
func scanDecimalTail(b []byte, start, i int, mant uint64, digits, exp10 int) (float64, int, DecimalStatus) {
	if i < len(b) && b[i]|0x20 == 'e' { // 'E' or 'e'
		e, next, ok := parseExponent(b, i+1)
		if !ok {
			return 0, next, DecimalSyntax
		}
		exp10 += e
		i = next
	}
	// Clinger's fast path: 19 digits cannot overflow uint64, so mant is
	// exact when this holds, and below 2^53 so is float64(mant); a power of
	// ten up to 22 is exact too, which leaves one correctly rounded
	// operation — the same result ParseFloat computes the long way.
	if digits <= 19 && mant < 1<<53 {
		switch {
		case exp10 >= 0 && exp10 < len(exactPow10):
			return float64(mant) * exactPow10[exp10], i, DecimalOK
		case exp10 < 0 && -exp10 < len(exactPow10):
			return float64(mant) / exactPow10[-exp10], i, DecimalOK
		}
	}
	// The syntax is checked, and ParseFloat keeps no reference to its input
	// on success, so a string view of the bytes avoids an allocation.
	v, err := strconv.ParseFloat(unsafe.String(&b[start], i-start), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, i, DecimalOutOfRange
	}
	return v, i, DecimalOK
}

// parseExponent reads an optionally signed exponent of 1 to 4 digits from
// b[i:]; more digits would only ever mean zero or overflow.
func parseExponent(b []byte, i int) (exp, next int, ok bool) {
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	start := i
	for ; i < len(b); i++ {
		d := b[i] - '0'
		if d > 9 {
			break
		}
		exp = exp*10 + int(d)
		if i-start >= 4 {
			return 0, i, false
		}
	}
	if i == start {
		return 0, i, false
	}
	if neg {
		exp = -exp
	}
	return exp, i, true
}

// ParseUint reads 1 to 18 decimal digits: enough for any timestamp or trade
// count, and never overflows. Like ParseDecimal it allocates nothing and
// leaves the wording of a refusal to the source.
func ParseUint(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		d := c - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + uint64(d)
	}
	return n, true
}
