package krakenapi

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// Error is a failed OHLC or AssetPairs call, after any retries.
type Error struct {
	Series   ohlc.Series // the series asked for (zero for a bare AssetPairs call)
	Op       string      // "OHLC" or "AssetPairs"
	Status   int         // HTTP status of the last answer; 0 when none arrived
	Codes    []string    // Kraken's error array of the last answer
	Attempts int         // HTTP requests made for this operation
	Err      error       // what went wrong on the last attempt
	// temporary says the last failure was of a kind that passes (throttling,
	// 5xx, network, timeout); retries ran out or the caller stopped waiting.
	temporary bool
	gaveUp    bool
	// unreachable: the endpoint as a whole failed (ErrUnreachable).
	unreachable bool
}

// ErrUnknownPair is the error of a pair that Kraken's AssetPairs does not
// list.
var ErrUnknownPair = errors.New("unknown pair")

// ErrTooLarge is the error of an answer over MaxBodyBytes.
var ErrTooLarge = errors.New("response larger than the limit")

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Series.Pair != "" {
		name := e.Series.Pair
		if e.Series.Interval != 0 {
			name = e.Series.String()
		}
		if e.Op == opAssetPairs {
			b.WriteString(" (for " + name + ")")
		} else {
			b.WriteString(" " + name)
		}
	}
	b.WriteString(": ")
	if e.gaveUp {
		fmt.Fprintf(&b, "gave up after %d attempts: ", e.Attempts)
	}
	b.WriteString(e.Err.Error())
	if len(e.Codes) > 0 || (e.Status != 0 && (e.Status < 200 || e.Status > 299)) {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrUnreachable) true for a failure of the whole
// endpoint.
func (e *Error) Is(target error) bool { return target == ErrUnreachable && e.unreachable }

// Temporary reports whether the failure is of a kind that passes with time
// (throttling, Kraken busy or unavailable, 5xx, network errors, timeouts),
// so a later run may succeed; permanent errors (unknown pair, invalid
// arguments, malformed answers, rows failing the checks) will not.
func (e *Error) Temporary() bool { return e.temporary }

// Kraken's error codes that mean "not now": retried with backoff.
var temporaryCodes = []string{
	"EGeneral:Too many requests",
	"EAPI:Rate limit exceeded",
	"EService:Unavailable",
	"EService:Busy",
	"EGeneral:Temporary lockout",
}

// codeIsTemporary matches a code exactly or with a detail appended
// ("EService:Unavailable:maintenance").
func codeIsTemporary(code string) bool {
	for _, t := range temporaryCodes {
		if code == t || strings.HasPrefix(code, t+":") {
			return true
		}
	}
	return false
}

// errorCodes keeps the errors of Kraken's error array; entries starting with
// "W" are warnings and do not fail a call.
func errorCodes(entries []string) []string {
	var codes []string
	for _, e := range entries {
		if !strings.HasPrefix(e, "W") {
			codes = append(codes, e)
		}
	}
	return codes
}

// attemptError is one failed attempt, before it becomes an *Error.
type attemptError struct {
	status    int
	codes     []string
	err       error
	temporary bool
	// retryAfter is the wait the server asked for (Retry-After), 0 if
	// none.
	retryAfter time.Duration
	// endpoint: the failure is the endpoint's, not this request's.
	endpoint bool
}

func permanent(status int, err error) *attemptError {
	return &attemptError{status: status, err: err}
}

func temporary(status int, err error) *attemptError {
	return &attemptError{status: status, err: err, temporary: true}
}

// codesError classifies an answer whose error array is not empty: it is
// temporary only if every code is, since one permanent code (invalid
// arguments) will not go away by asking again.
func codesError(status int, codes []string) *attemptError {
	temp := true
	for _, c := range codes {
		if !codeIsTemporary(c) {
			temp = false
		}
	}
	if status == 429 || status >= 500 {
		temp = true
	}
	return &attemptError{status: status, codes: codes, err: errors.New(strings.Join(codes, ", ")), temporary: temp}
}
