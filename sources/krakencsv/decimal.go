package krakencsv

import (
	"math"
	"strconv"
	"unsafe"
)

type decimalResult int

const (
	decimalOK decimalResult = iota
	decimalSyntax
	decimalOutOfRange
)

// exactPow10 are the powers of ten a float64 holds exactly.
var exactPow10 = [...]float64{
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
}

// parseDecimal reads a non-negative decimal number as Kraken writes it:
// digits, optionally a point and more digits, optionally an exponent
// ("5", "122.0", "0.00011", and for round volumes "1E+1" or "2.5E+2", which
// the real files hold). Signs on the number, a bare point, NaN and Inf are
// refused. The result is exactly strconv.ParseFloat's: when the digits fit
// in 53 bits and the power of ten is at most 22 either way, m·10^e is two
// exact operands and one correctly rounded operation (Clinger's fast path);
// anything else goes to strconv.ParseFloat.
func parseDecimal(b []byte) (float64, decimalResult) {
	var mant uint64
	digits, i := 0, 0
	for ; i < len(b); i++ {
		d := b[i] - '0'
		if d > 9 {
			break
		}
		mant = mant*10 + uint64(d)
		digits++
	}
	if i == 0 {
		return 0, decimalSyntax
	}
	exp10 := 0
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		for ; i < len(b); i++ {
			d := b[i] - '0'
			if d > 9 {
				break
			}
			mant = mant*10 + uint64(d)
			digits++
		}
		if i == start {
			return 0, decimalSyntax
		}
		exp10 = start - i
	}
	if i < len(b) && (b[i] == 'E' || b[i] == 'e') {
		e, ok := parseExponent(b[i+1:])
		if !ok {
			return 0, decimalSyntax
		}
		exp10 += e
		i = len(b)
	}
	if i != len(b) {
		return 0, decimalSyntax
	}
	// 19 digits cannot overflow uint64, so mant is exact when this holds.
	if digits <= 19 && mant < 1<<53 {
		switch {
		case exp10 >= 0 && exp10 < len(exactPow10):
			return float64(mant) * exactPow10[exp10], decimalOK
		case exp10 < 0 && -exp10 < len(exactPow10):
			return float64(mant) / exactPow10[-exp10], decimalOK
		}
	}
	// The syntax is checked, and ParseFloat keeps no reference to its input
	// on success, so a string view of the bytes avoids an allocation.
	v, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, decimalOutOfRange
	}
	return v, decimalOK
}

// parseExponent reads an optionally signed exponent of 1 to 4 digits.
func parseExponent(b []byte) (int, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 4 {
		return 0, false
	}
	e := 0
	for _, c := range b {
		d := c - '0'
		if d > 9 {
			return 0, false
		}
		e = e*10 + int(d)
	}
	if neg {
		e = -e
	}
	return e, true
}

// parseUint reads 1 to 18 decimal digits: enough for any timestamp or trade
// count, and never overflows.
func parseUint(b []byte) (uint64, bool) {
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
