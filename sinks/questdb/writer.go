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

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
)

// writer owns one ILP sender; senders are not safe for concurrent use.
type writer struct {
	sink        *Sink
	retry       Backoff
	requestRows int
	sender      qdb.LineSender
	closed      bool
}

var _ sinks.Writer = (*writer)(nil)

// bufferedSender is what the client's HTTP sender offers beyond
// LineSender: how many rows it holds unsent.
type bufferedSender interface{ MsgCount() int }

func (w *writer) newSender(ctx context.Context) error {
	snd, err := qdb.LineSenderFromConf(ctx, w.sink.conf.senderConf())
	if err != nil {
		return fmt.Errorf("new questdb writer: %s", w.sink.conf.redact(err.Error()))
	}
	w.sender = snd
	return nil
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
	for rest := candles; len(rest) > 0; {
		n := min(len(rest), w.requestRows)
		if err := w.send(ctx, series, rest[:n]); err != nil {
			return fmt.Errorf("write %s to %s: %w", series, w.sink, err)
		}
		rest = rest[n:]
	}
	return nil
}

// send delivers one request's candles. A failed Flush discards the
// client's buffer, so every attempt encodes the candles afresh.
func (w *writer) send(ctx context.Context, series ohlc.Series, candles []ohlc.Candle) error {
	interval := series.Interval.String()
	var last error
	for attempt := 1; ; attempt++ {
		if err := w.encode(ctx, series.Pair, interval, candles); err != nil {
			return err
		}
		err := w.sender.Flush(ctx)
		if err == nil {
			return nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("%w (request %d: %s)", ctxErr, attempt, w.sink.conf.redact(err.Error()))
		}
		last = w.explain(err, series, candles)
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

// encode fills the sender's buffer with one row per candle.
func (w *writer) encode(ctx context.Context, pair, interval string, candles []ohlc.Candle) error {
	// Every path that leaves rows behind (an error from At) replaces the
	// sender, but check anyway: stale rows would go out with this batch.
	if b, ok := w.sender.(bufferedSender); ok && b.MsgCount() > 0 {
		if err := w.replaceSender(ctx); err != nil {
			return err
		}
	}
	table := w.sink.table
	for i := range candles {
		c := &candles[i]
		row := w.sender.Table(table).
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
			return errors.Join(fmt.Errorf("encode the candle at %s: %w", ohlc.FormatTime(c.Time), err), w.replaceSender(ctx))
		}
	}
	return nil
}

// replaceSender drops the sender with whatever it holds and makes a new one.
func (w *writer) replaceSender(ctx context.Context) error {
	// Closing with auto-flush off sends nothing, which is the point here.
	_ = w.sender.Close(ctx)
	return w.newSender(ctx)
}

// Close closes the sender. With auto_flush=off the client drops any
// unflushed rows silently; there are none, because Write returns only
// after flushing all it encoded, and the executor records nothing it did
// not see acknowledged.
func (w *writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if err := w.sender.Close(context.Background()); err != nil {
		return fmt.Errorf("close writer of %s: %w", w.sink, err)
	}
	return nil
}

// explain turns a failed flush into an error naming what went wrong: the
// rejected candle for a 400, the credentials for a 401 or 403. The
// client's error stays in the chain (errors.As finds *qdb.HttpError) but
// is not repeated in the text.
func (w *writer) explain(err error, series ohlc.Series, candles []ohlc.Candle) error {
	status, _ := httpStatus(err)
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		return &quietError{msg: authError(status, w.sink.conf).Error(), err: err}
	}
	var he *qdb.HttpError
	if errors.As(err, &he) {
		msg := strings.Join(strings.Fields(he.Message), " ") // QuestDB's messages span lines
		if he.Line >= 1 && he.Line <= len(candles) {
			c := candles[he.Line-1]
			msg = fmt.Sprintf("questdb rejected the %s candle at %s (row %d of the request, HTTP %d): %s",
				series, ohlc.FormatTime(c.Time), he.Line, he.HttpStatus(), msg)
		} else {
			msg = fmt.Sprintf("questdb rejected the request (HTTP %d): %s", he.HttpStatus(), msg)
		}
		return &quietError{msg: msg, err: err}
	}
	return fmt.Errorf("questdb at %s: %w", w.sink.conf.baseURL(), err)
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
