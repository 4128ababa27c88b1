package questdbtest

import "time"

type faultKind uint8

const (
	faultNone faultKind = iota
	faultStatus
	faultHang
	faultSlow
	faultDrop
	faultReject
)

// Fault is what the server does to one /write request instead of, or
// before, applying it. Build one with Status, Hang, Slow, AcceptThenDrop
// or Reject; the zero Fault does nothing.
type Fault struct {
	kind   faultKind
	status int
	delay  time.Duration
	line   int
	msg    string
}

// Status answers the request with the HTTP status code and a QuestDB JSON
// error body, after reading the body, and applies nothing. The client
// retries 500, 503, 504 and a few more within its retry_timeout.
func Status(code int) Fault { return Fault{kind: faultStatus, status: code} }

// Hang never answers: the request ends when the client gives up (its
// request_timeout or context) or the server closes. Nothing is applied.
func Hang() Fault { return Fault{kind: faultHang} }

// Slow waits d before applying and answering the request; a client that
// gives up first gets no answer, and nothing is applied.
func Slow(d time.Duration) Fault { return Fault{kind: faultSlow, delay: d} }

// AcceptThenDrop reads the whole body, applies nothing, and closes the
// connection without answering — a server dying mid-request.
func AcceptThenDrop() Fault { return Fault{kind: faultDrop} }

// Reject answers HTTP 400 with QuestDB's parse-error body naming line and
// msg, and applies nothing, whatever the body holds.
func Reject(line int, msg string) Fault { return Fault{kind: faultReject, line: line, msg: msg} }
