package krakenapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"

	"github.com/feefifofunds/candlekeep/ohlc"
)

const opTrades = "Trades"

// TradesQuery is a stretch of one pair's trade tape.
type TradesQuery struct {
	Pair string // altname ("XBTUSD") or pair key
	// Span bounds the trades wanted by their second (Unix seconds):
	// Start ≤ second < End.
	Span ohlc.Span
	// Cursor and AfterID resume an earlier stream where it stopped (its
	// Cursor and LastID); with no Cursor the stream starts at Span.Start.
	Cursor  string
	AfterID int64
}

// Trades pages through a pair's trades, one answer of up to 1000 at a
// time, through the client's limiter and retries. It is not safe for
// concurrent use; each page's trades are valid until the next call, so a
// consumer aggregates page by page in constant memory.
type Trades struct {
	c        *Client
	q        TradesQuery
	series   ohlc.Series // for errors: the pair, no interval
	key      string
	cursor   string
	cursorNs uint64
	lastID   int64
	lastTime int64 // nanoseconds; 0 before the first trade
	buf      []ohlc.Trade
	requests int
	done     bool
	reached  int64
}

// Trades starts a stream of q's trades. Nothing is fetched before Next.
func (c *Client) Trades(q TradesQuery) *Trades {
	t := &Trades{c: c, q: q, series: ohlc.Series{Pair: q.Pair}, cursor: q.Cursor, lastID: q.AfterID, reached: q.Span.Start}
	if t.cursor == "" {
		// since is exclusive: one nanosecond before the span's start
		// keeps a trade at its very first instant.
		t.cursor = strconv.FormatInt(max(0, q.Span.Start*1e9-1), 10)
	}
	return t
}

// Next returns the next trades inside the span, oldest first, or io.EOF
// once the tape has passed the span's end or has no newer trade (the
// present). Trades already seen (by id) at a page boundary are dropped.
// Errors are *Error, naming the pair.
func (t *Trades) Next(ctx context.Context) ([]ohlc.Trade, error) {
	for !t.done {
		page, err := t.page(ctx)
		if err != nil {
			return nil, err
		}
		if len(page) > 0 {
			return page, nil
		}
	}
	return nil, io.EOF
}

// page makes one request and returns its new trades inside the span.
func (t *Trades) page(ctx context.Context) ([]ohlc.Trade, error) {
	if t.key == "" {
		key, requests, err := t.c.pairs.key(ctx, t.c, t.series)
		t.requests += requests
		if err != nil {
			var e *Error
			if errors.As(err, &e) && e.Op == opOHLC {
				e.Op = opTrades
			}
			return nil, err
		}
		t.key = key
	}
	if t.cursorNs == 0 {
		n, err := strconv.ParseUint(t.cursor, 10, 64)
		if err != nil {
			return nil, &Error{Series: t.series, Op: opTrades, Err: fmt.Errorf("cursor %q is not a whole number of nanoseconds", t.cursor)}
		}
		t.cursorNs = n
	}
	q := url.Values{}
	q.Set("pair", t.key)
	q.Set("since", t.cursor)
	var ans tradesAnswer
	attempts, err := t.c.call(ctx, opTrades, t.series, "/0/public/Trades", q, func(body []byte) *attemptError {
		var aerr *attemptError
		if ans, aerr = decodeTrades(body, t.key, t.buf); aerr != nil {
			return aerr
		}
		return t.check(ans)
	})
	t.requests += attempts
	if err != nil {
		return nil, err
	}
	t.buf = ans.trades[:0]
	return t.take(ans), nil
}

// check holds an answer to the stream's order: what is new follows what
// came before, and the cursor moves on whenever there is something new.
func (t *Trades) check(ans tradesAnswer) *attemptError {
	fresh := false
	for _, tr := range ans.trades {
		if tr.ID <= t.lastID {
			continue // seen on the page before
		}
		if tr.Time < t.lastTime {
			return permanent(200, fmt.Errorf("trade %d at %s is before trade %d at %s of the page before: times must not decrease", tr.ID, formatNanos(tr.Time), t.lastID, formatNanos(t.lastTime)))
		}
		fresh = true
		break
	}
	if fresh && ans.lastNs <= t.cursorNs {
		return permanent(200, fmt.Errorf(`"last" %s does not move past since %s though the answer holds new trades`, ans.last, t.cursor))
	}
	return nil
}

// take keeps an answer's new trades inside the span, moves the cursor,
// and ends the stream at the span's end or at the present.
func (t *Trades) take(ans tradesAnswer) []ohlc.Trade {
	out := ans.trades[:0]
	fresh := false
	for _, tr := range ans.trades {
		if tr.ID <= t.lastID {
			continue
		}
		fresh = true
		t.lastID, t.lastTime = tr.ID, tr.Time
		sec := tr.Second()
		if sec >= t.q.Span.End {
			t.done, t.reached = true, t.q.Span.End
			break
		}
		t.reached = max(t.reached, sec)
		if sec >= t.q.Span.Start {
			out = append(out, tr)
		}
	}
	if !fresh {
		// Nothing newer than what was seen: the tape's present.
		t.done = true
	}
	t.cursor, t.cursorNs = ans.last, ans.lastNs
	return out
}

// Cursor is the since to resume after the trades returned so far (with
// LastID as AfterID).
func (t *Trades) Cursor() string { return t.cursor }

// LastID is the id of the newest trade seen.
func (t *Trades) LastID() int64 { return t.lastID }

// Requests is how many HTTP requests the stream made, AssetPairs and
// retries included.
func (t *Trades) Requests() int { return t.requests }

// Reached is how far the tape is known complete, in Unix seconds: every
// trade before it has been returned. It is the span's end once the stream
// passed it; at the present, the second of the newest trade (more may
// still come in that second).
func (t *Trades) Reached() int64 { return t.reached }
