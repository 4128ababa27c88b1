package krakenapi

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"sync"
	"syscall"
)

// ErrUnreachable matches (errors.Is) an *Error whose cause is the endpoint
// as a whole, whatever pair was asked for: its host name did not resolve,
// nothing accepted the connection, the network had no route to it, or TLS
// failed. Once one call has given up on such a failure, the client fails
// every later call at once, without a request, and so do calls waiting to
// retry: asking again for each series would only repeat it, backoff and all.
var ErrUnreachable = errors.New("the API is unreachable")

// endpointFailure reports whether a transport error is the endpoint's as a
// whole, and whether it is worth retrying at all: a certificate that fails
// verification, or a server speaking no TLS, stays so however long one
// waits.
func endpointFailure(err error) (endpoint, retry bool) {
	var dns *net.DNSError
	var verify *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var header tls.RecordHeaderError
	var alert tls.AlertError
	switch {
	case errors.As(err, &dns),
		errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.EHOSTUNREACH),
		errors.Is(err, syscall.ENETUNREACH):
		return true, true
	case errors.As(err, &verify), errors.As(err, &unknownCA), errors.As(err, &hostname),
		errors.As(err, &invalid), errors.As(err, &header), errors.As(err, &alert):
		return true, false
	}
	return false, false
}

// breaker remembers that the endpoint was found unreachable.
type breaker struct {
	once    sync.Once
	tripped chan struct{} // closed when err is set
	err     *Error        // the call that gave up
}

func newBreaker() *breaker { return &breaker{tripped: make(chan struct{})} }

func (b *breaker) trip(e *Error) {
	b.once.Do(func() {
		b.err = e
		close(b.tripped)
	})
}

// down is the call that found the endpoint unreachable, or nil.
func (b *breaker) down() *Error {
	select {
	case <-b.tripped:
		return b.err
	default:
		return nil
	}
}

// notRequested is the error of a call made (or retrying) after the
// endpoint was found unreachable.
func (b *breaker) notRequested(op string, attempts int, first *Error) *Error {
	return &Error{Op: op, Attempts: attempts, Err: &skipped{first: first}, unreachable: true}
}

// skipped says why a call made no (further) request.
type skipped struct{ first *Error }

func (s *skipped) Error() string {
	return "not requested: an earlier call found the API unreachable: " + s.first.Err.Error()
}
