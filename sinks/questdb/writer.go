package questdb

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	qdb "github.com/questdb/go-questdb-client/v3"

	"github.com/feefifofunds/candlekeep/internal/failpoint"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
)

// writer owns two ILP senders, so that it encodes one request while
// another is encoded or in flight; requests still go out one after the
// other. A sender is not safe for concurrent use: each is touched by one
// request's goroutine at a time.
type writer struct {
	sink        *Sink
	retry       Backoff
	requestRows int
	senders     [2]qdb.LineSender // the second made on first need
	closed      bool
}

// A Write is cut into at least pipelineParts requests of at least
// minPipelinedRows rows (and at most requestRows), so that the client's
// encoding of one overlaps the encoding and QuestDB's handling of others.
const (
	pipelineParts    = 4
	minPipelinedRows = 2000
)

var (
	_ sinks.Writer      = (*writer)(nil)
	_ sinks.MultiWriter = (*writer)(nil)
)

// bufferedSender is what the client's HTTP sender offers beyond
// LineSender: how many rows it holds unsent.
type bufferedSender interface{ MsgCount() int }

func (w *writer) newSender(ctx context.Context, slot int) error {
	snd, err := qdb.LineSenderFromConf(ctx, w.sink.conf.senderConf())
	if err != nil {
		return fmt.Errorf("new questdb writer: %s", w.sink.conf.redact(err.Error()))
	}
	w.senders[slot] = snd
	return nil
}

// requestSize is the rows per request for a Write of n rows.
func (w *writer) requestSize(n int) int {
	return min(w.requestRows, max((n+pipelineParts-1)/pipelineParts, minPipelinedRows))
}

// Write sends the candles in requests of at most requestRows rows, each
// retried on failures that may pass, and returns nil once QuestDB has
// acknowledged every request. On error some requests may have been
// applied; the table's dedup keys make sending the batch again harmless.
func (w *writer) Write(ctx context.Context, series ohlc.Series, candles []ohlc.Candle) error {
	if w.closed {
		return fmt.Errorf("write %s to %s: writer is closed", series, w.sink)
	}
	if len(candles) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("write %s to %s: %w", series, w.sink, err)
	}
	if err := w.pipeline(ctx, series, candles); err != nil {
		return fmt.Errorf("write %s to %s: %w", series, w.sink, err)
	}
	return nil
}

// pipeline sends the candles in requests. Each request is encoded on its
// own goroutine, on one of the two senders as soon as that sender's
// previous request is done, so encoding overlaps both the other request's
// encoding and QuestDB's handling of it. A request goes out only once the
// previous one is acknowledged, so QuestDB sees the same requests in the
// same order as from a plain loop, and nothing after a failed request is
// sent.
func (w *writer) pipeline(ctx context.Context, series ohlc.Series, candles []ohlc.Candle) error {
	size := w.requestSize(len(candles))
	if len(candles) <= size {
		return w.sendNow(ctx, []sinks.Batch{{Series: series, Candles: candles}})
	}
	if w.senders[1] == nil {
		if err := w.newSender(ctx, 1); err != nil {
			return err
		}
	}
	var prev, beforePrev *request
	for i, start := 0, 0; start < len(candles); i, start = i+1, start+size {
		r := &request{done: make(chan struct{})}
		part := []sinks.Batch{{Series: series, Candles: candles[start:min(start+size, len(candles))]}}
		go w.request(ctx, r, i%2, part, beforePrev, prev)
		beforePrev, prev = prev, r
	}
	<-prev.done // each request waits for the one before it
	return prev.err
}

// request is one request of a pipelined Write; err is set before done is
// closed.
type request struct {
	done chan struct{}
	err  error
}

// request encodes candles on the sender in slot once slotUser, the
// previous request on that sender, is done, and sends them once prev is
// acknowledged; after a failed request it sends nothing and passes the
// failure on.
func (w *writer) request(ctx context.Context, r *request, slot int, part []sinks.Batch, slotUser, prev *request) {
	defer close(r.done)
	var encodeErr error
	if slotUser != nil {
		<-slotUser.done
		encodeErr = slotUser.err
	}
	if encodeErr == nil {
		// Rows left encoded when a request fails are dropped by the next
		// encode on this sender.
		encodeErr = w.encode(ctx, slot, part)
	}
	if prev != nil {
		if <-prev.done; prev.err != nil {
			r.err = prev.err
			return
		}
	}
	if encodeErr != nil {
		r.err = encodeErr
		return
	}
	r.err = w.send(ctx, slot, part)
}

// WriteAll sends the batches of several series together, in as few
// requests of at most requestRows rows as they fit (one, for a group of
// small files), one after the other; it returns nil once QuestDB has
// acknowledged every request.
func (w *writer) WriteAll(ctx context.Context, batches []sinks.Batch) error {
	if w.closed {
		return fmt.Errorf("write to %s: writer is closed", w.sink)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("write to %s: %w", w.sink, err)
	}
	var part []sinks.Batch
	rows := 0
	flush := func() error {
		if rows == 0 {
			return nil
		}
		err := w.sendNow(ctx, part)
		part, rows = nil, 0
		return err
	}
	for _, b := range batches {
		for rest := b.Candles; len(rest) > 0; {
			n := min(len(rest), w.requestRows-rows)
			part = append(part, sinks.Batch{Series: b.Series, Candles: rest[:n]})
			rows += n
			rest = rest[n:]
			if rows == w.requestRows {
				if err := flush(); err != nil {
					return fmt.Errorf("write to %s: %w", w.sink, err)
				}
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("write to %s: %w", w.sink, err)
	}
	return nil
}

// sendNow encodes one request on the first sender and sends it.
func (w *writer) sendNow(ctx context.Context, part []sinks.Batch) error {
	if err := w.encode(ctx, 0, part); err != nil {
		return err
	}
	return w.send(ctx, 0, part)
}

// send delivers one request's candles, already encoded on the sender in
// slot. A failed Flush discards the client's buffer, so every later attempt
// encodes the candles afresh.
func (w *writer) send(ctx context.Context, slot int, part []sinks.Batch) error {
	var last error
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			if err := w.encode(ctx, slot, part); err != nil {
				return err
			}
		}
		failpoint.Hit("questdb.flush")
		err := w.senders[slot].Flush(ctx)
		if err == nil {
			failpoint.Hit("questdb.flush.acked")
			return nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("%w (request %d: %s)", ctxErr, attempt, w.sink.conf.redact(err.Error()))
		}
		last = w.explain(err, part)
		if !retryable(err) {
			return last
		}
		if attempt >= w.retry.Attempts {
			return fmt.Errorf("gave up after %d requests: %w", attempt, last)
		}
		if err := sleep(ctx, w.retry.delay(attempt)); err != nil {
			return fmt.Errorf("%w while waiting to retry (request %d: %v)", err, attempt, last)
		}
	}
}

// encode fills the buffer of the sender in slot with one row per candle.
func (w *writer) encode(ctx context.Context, slot int, part []sinks.Batch) error {
	// Every path that leaves rows behind (an error from At) replaces the
	// sender, but check anyway: stale rows would go out with this batch.
	if b, ok := w.senders[slot].(bufferedSender); ok && b.MsgCount() > 0 {
		if err := w.replaceSender(ctx, slot); err != nil {
			return err
		}
	}
	for _, b := range part {
		if err := w.encodeSeries(ctx, slot, b.Series.Pair, b.Series.Interval.String(), b.Candles); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) encodeSeries(ctx context.Context, slot int, pair, interval string, candles []ohlc.Candle) error {
	sender, table := w.senders[slot], w.sink.table
	for i := range candles {
		c := &candles[i]
		row := sender.Table(table).
			Symbol("pair", pair).
			Symbol("interval", interval).
			Float64Column("open", c.Open).
			Float64Column("high", c.High).
			Float64Column("low", c.Low).
			Float64Column("close", c.Close).
			Float64Column("volume", c.Volume).
			Int64Column("trades", c.Trades)
		if c.HasVWAP {
			row = row.Float64Column("vwap", c.VWAP) // left out, it is NULL
		}
		if err := row.At(ctx, time.Unix(c.Time, 0)); err != nil {
			return errors.Join(fmt.Errorf("encode the candle at %s: %w", ohlc.FormatTime(c.Time), err), w.replaceSender(ctx, slot))
		}
	}
	return nil
}

// replaceSender drops the sender with whatever it holds and makes a new one.
func (w *writer) replaceSender(ctx context.Context, slot int) error {
	// Closing with auto-flush off sends nothing, which is the point here.
	_ = w.senders[slot].Close(ctx)
	return w.newSender(ctx, slot)
}

// Close closes the senders. With auto_flush=off the client drops any
// unflushed rows silently; the only ones are those encoded after a request
// failed, which must not go out, and the executor records nothing it did
// not see acknowledged.
func (w *writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	var errs []error
	for _, snd := range w.senders {
		if snd != nil {
			errs = append(errs, snd.Close(context.Background()))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close writer of %s: %w", w.sink, err)
	}
	return nil
}

// explain turns a failed flush into an error naming what went wrong: the
// rejected candle for a 400, the credentials for a 401 or 403. The
// client's error stays in the chain (errors.As finds *qdb.HttpError) but
// is not repeated in the text.
func (w *writer) explain(err error, part []sinks.Batch) error {
	status, _ := httpStatus(err)
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		return &quietError{msg: authError(status, w.sink.conf).Error(), err: err}
	}
	var he *qdb.HttpError
	if errors.As(err, &he) {
		msg := strings.Join(strings.Fields(he.Message), " ") // QuestDB's messages span lines
		if series, c, ok := lineOf(part, int(he.Line)); ok {
			msg = fmt.Sprintf("questdb rejected the %s candle at %s (row %d of the request, HTTP %d): %s",
				series, ohlc.FormatTime(c.Time), he.Line, he.HttpStatus(), msg)
		} else {
			msg = fmt.Sprintf("questdb rejected the request (HTTP %d): %s", he.HttpStatus(), msg)
		}
		if he.HttpStatus() == http.StatusBadRequest {
			// The data, not the server: other candles may still go in.
			err = errors.Join(err, sinks.ErrRejected)
		}
		return &quietError{msg: msg, err: err}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		// The client's own request timeout, not ctx (send checks ctx
		// first): say which setting bounds it.
		return fmt.Errorf("questdb at %s: no answer within request_timeout (%s): %w", w.sink.conf.baseURL(), w.sink.conf.requestTimeout(), err)
	}
	return fmt.Errorf("questdb at %s: %w", w.sink.conf.baseURL(), err)
}

// lineOf finds the candle on line n (from 1) of a request.
func lineOf(part []sinks.Batch, n int) (ohlc.Series, ohlc.Candle, bool) {
	if n < 1 {
		return ohlc.Series{}, ohlc.Candle{}, false
	}
	for _, b := range part {
		if n <= len(b.Candles) {
			return b.Series, b.Candles[n-1], true
		}
		n -= len(b.Candles)
	}
	return ohlc.Series{}, ohlc.Candle{}, false
}

// quietError wraps err under a message that already says what err says.
type quietError struct {
	msg string
	err error
}

func (e *quietError) Error() string { return e.msg }
func (e *quietError) Unwrap() error { return e.err }

// retryable says whether a failed flush may succeed when sent again:
// network errors and timeouts, and 5xx, 408 and 429 answers — not a
// rejection of the data or the credentials.
func retryable(err error) bool {
	if status, ok := httpStatus(err); ok {
		return status >= 500 || status == http.StatusRequestTimeout || status == http.StatusTooManyRequests
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return false
	}
	var rte *qdb.RetryTimeoutError
	var ue *url.Error
	var ne net.Error
	return errors.As(err, &rte) || errors.As(err, &ue) || errors.As(err, &ne)
}

// httpStatus finds the HTTP status of a client error. Rejections with a
// JSON body are *qdb.HttpError; other answers the client v3.2.0 formats
// as "<status>: <status text>[ -- <body>]".
func httpStatus(err error) (int, bool) {
	var he *qdb.HttpError
	if errors.As(err, &he) {
		return he.HttpStatus(), true
	}
	msg := err.Error()
	if len(msg) > 4 && msg[3] == ':' {
		if n, convErr := strconv.Atoi(msg[:3]); convErr == nil && n >= 100 && n < 600 {
			return n, true
		}
	}
	return 0, false
}

// delay is the wait after the given failed attempt: exponential, capped,
// with "equal jitter" (half fixed, half random) so writers that failed
// together do not retry together.
func (b Backoff) delay(attempt int) time.Duration {
	d := b.Base
	for i := 1; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	if d <= 0 {
		return 0
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
