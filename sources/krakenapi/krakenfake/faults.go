package krakenfake

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

type faultKind int

const (
	rateLimit200 faultKind = iota + 1
	tooManyRequests429
	serverError503
	slow
	truncated
	malformedBody
	errorCode
	wrongPairKey
	badRow
	outOfOrder
	overlap
)

// Fault is one misbehaviour, spent on one request (see Server.Script).
type Fault struct {
	kind  faultKind
	delay time.Duration
	code  string
}

// RateLimit200 answers HTTP 200 with {"error":["EAPI:Rate limit exceeded"]},
// as Kraken throttles.
func RateLimit200() Fault { return Fault{kind: rateLimit200} }

// TooManyRequests429 answers HTTP 429 with an HTML body, as Kraken's edge
// does.
func TooManyRequests429() Fault { return Fault{kind: tooManyRequests429} }

// ServerError503 answers HTTP 503 with an HTML body.
func ServerError503() Fault { return Fault{kind: serverError503} }

// Slow waits d before answering normally; a request whose context ends first
// gets no answer.
func Slow(d time.Duration) Fault { return Fault{kind: slow, delay: d} }

// Truncated answers the first half of the normal answer, with a matching
// Content-Length: a complete HTTP response holding broken JSON.
func Truncated() Fault { return Fault{kind: truncated} }

// Malformed answers HTTP 200 with a body that is not JSON.
func Malformed() Fault { return Fault{kind: malformedBody} }

// ErrorCode answers HTTP 200 with {"error":[code]}.
func ErrorCode(code string) Fault { return Fault{kind: errorCode, code: code} }

// WrongPairKey answers the rows under a pair key other than the one asked
// for.
func WrongPairKey() Fault { return Fault{kind: wrongPairKey} }

// BadRow answers a row whose open price is not a number.
func BadRow() Fault { return Fault{kind: badRow} }

// OutOfOrder answers two neighbouring rows swapped (for Trades: trades,
// so their ids decrease).
func OutOfOrder() Fault { return Fault{kind: outOfOrder} }

// Overlap makes a Trades answer start three trades before since, repeating
// the end of the page before, as users of the real endpoint have seen.
// Other endpoints answer normally.
func Overlap() Fault { return Fault{kind: overlap} }

var faultNames = map[faultKind]string{
	rateLimit200: "ratelimit", tooManyRequests429: "429", serverError503: "503",
	slow: "slow", truncated: "truncated", malformedBody: "malformed", errorCode: "code",
	wrongPairKey: "wrongpair", badRow: "badrow", outOfOrder: "outoforder", overlap: "overlap",
}

// String is the fault as ParseFaults reads it.
func (f Fault) String() string {
	switch f.kind {
	case slow:
		return "slow=" + f.delay.String()
	case errorCode:
		return "code=" + f.code
	}
	return faultNames[f.kind]
}

// ParseFaults reads a comma-separated list of faults, each optionally
// repeated with *N: "ratelimit*3,429,503,slow=2s,truncated,malformed,
// code=EService:Busy,wrongpair,badrow,outoforder,overlap". It lets scripts that
// drive the fake from outside Go name faults.
func ParseFaults(spec string) ([]Fault, error) {
	var out []Fault
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		times := 1
		if name, n, ok := strings.Cut(item, "*"); ok {
			k, err := strconv.Atoi(n)
			if err != nil || k < 1 {
				return nil, fmt.Errorf("fault %q: repeat count %q is not a positive number", item, n)
			}
			item, times = name, k
		}
		f, err := parseFault(item)
		if err != nil {
			return nil, err
		}
		for range times {
			out = append(out, f)
		}
	}
	return out, nil
}

func parseFault(item string) (Fault, error) {
	name, arg, hasArg := strings.Cut(item, "=")
	switch name {
	case "slow":
		d, err := time.ParseDuration(arg)
		if !hasArg || err != nil {
			return Fault{}, fmt.Errorf("fault %q: want slow=DURATION, such as slow=2s", item)
		}
		return Slow(d), nil
	case "code":
		if arg == "" {
			return Fault{}, fmt.Errorf("fault %q: want code=CODE, such as code=EService:Busy", item)
		}
		return ErrorCode(arg), nil
	}
	for k, n := range faultNames {
		if n == name && !hasArg {
			return Fault{kind: k}, nil
		}
	}
	return Fault{}, fmt.Errorf("unknown fault %q (known: ratelimit, 429, 503, slow=D, truncated, malformed, code=C, wrongpair, badrow, outoforder, overlap)", item)
}
