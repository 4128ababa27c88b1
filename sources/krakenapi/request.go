package krakenapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// call GETs path?query until decode accepts the answer, a permanent error
// comes, the retries run out or ctx ends. Every attempt first waits on the
// shared limiter. It returns the number of HTTP requests made.
func (c *Client) call(ctx context.Context, op string, s ohlc.Series, path string, query url.Values, decode func(body []byte) *attemptError) (int, error) {
	if c.base == nil {
		return 0, &Error{Series: s, Op: op, Err: c.pairs.baseErr}
	}
	u := *c.base
	u.Path += path
	u.RawQuery = query.Encode()
	attempts := 0
	for {
		if first := c.breaker.down(); first != nil {
			e := c.breaker.notRequested(op, attempts, first)
			e.Series = s
			return attempts, e
		}
		if err := c.limiter.Wait(ctx); err != nil {
			return attempts, &Error{Series: s, Op: op, Attempts: attempts, Err: waitError(ctx, err)}
		}
		attempts++
		aerr := c.attempt(ctx, &u, decode)
		if aerr == nil {
			return attempts, nil
		}
		if ctx.Err() != nil {
			return attempts, &Error{Series: s, Op: op, Attempts: attempts, Err: ctx.Err()}
		}
		fail := &Error{Series: s, Op: op, Status: aerr.status, Codes: aerr.codes, Attempts: attempts, Err: aerr.err, temporary: aerr.temporary, unreachable: aerr.endpoint}
		if !aerr.temporary || attempts > c.maxRetries {
			fail.gaveUp = aerr.temporary
			if aerr.endpoint {
				c.breaker.trip(fail)
			}
			return attempts, fail
		}
		if c.beforeBackoff != nil {
			c.beforeBackoff()
		}
		// A throttled server's own Retry-After is a floor (within the
		// backoff cap): retrying sooner only prolongs the penalty.
		wait := max(c.backoffFor(attempts), min(aerr.retryAfter, c.maxBackoff))
		if err := sleep(ctx, wait, c.breaker.tripped); err != nil {
			fail.Err = fmt.Errorf("%w (while waiting to retry after: %v)", err, aerr.err)
			fail.temporary = false
			return attempts, fail
		}
	}
}

// attempt makes one HTTP request and decodes its answer.
func (c *Client) attempt(ctx context.Context, u *url.URL, decode func(body []byte) *attemptError) *attemptError {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return permanent(0, err)
	}
	req.Header.Set("User-Agent", "candlekeep")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		aerr := temporary(0, transportError(actx, u, err))
		endpoint, retry := endpointFailure(err)
		aerr.endpoint, aerr.temporary = endpoint, !endpoint || retry
		return aerr
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes+1))
	if err != nil {
		return temporary(resp.StatusCode, transportError(actx, u, err))
	}
	if len(body) > MaxBodyBytes {
		return permanent(resp.StatusCode, fmt.Errorf("%w: response larger than %d MiB", ErrTooLarge, MaxBodyBytes>>20))
	}
	if resp.StatusCode != http.StatusOK {
		aerr := statusError(resp.StatusCode, body)
		aerr.retryAfter = retryAfter(resp.Header.Get("Retry-After"))
		return aerr
	}
	return decode(body)
}

// statusError classifies a non-200 answer: 429 and 5xx are temporary, any
// other status permanent; Kraken's error array is kept when the body has one.
func statusError(status int, body []byte) *attemptError {
	var env envelope[struct{}]
	if json.Unmarshal(body, &env) == nil {
		if codes := errorCodes(env.Error); len(codes) > 0 {
			return codesError(status, codes)
		}
	}
	err := errors.New(http.StatusText(status))
	if status == http.StatusTooManyRequests || status >= 500 {
		return temporary(status, err)
	}
	return permanent(status, err)
}

// transportError keeps a network error short: the request's host, path and
// query (public endpoints carry no secrets), never credentials in the base
// URL, and says "timed out" for the per-request timeout.
func transportError(actx context.Context, u *url.URL, err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	where := u.Host + u.Path + "?" + u.RawQuery
	if errors.Is(actx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("GET %s: timed out: %w", where, err)
	}
	return fmt.Errorf("GET %s: %w", where, err)
}

// waitError turns the limiter's refusal into ctx's error: the limiter
// refuses at once when the wait would pass ctx's deadline.
func waitError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if _, ok := ctx.Deadline(); ok {
		return fmt.Errorf("rate limit wait would pass the deadline: %w", context.DeadlineExceeded)
	}
	return err
}

// backoffFor is exponential backoff with full jitter: a uniform wait in
// [0, min(maxBackoff, backoff·2^(attempt-1))], so throttled workers spread
// out instead of retrying in step.
func (c *Client) backoffFor(attempt int) time.Duration {
	d := c.backoff
	for k := 1; k < attempt && d < c.maxBackoff; k++ {
		d *= 2
	}
	d = min(d, c.maxBackoff)
	return rand.N(d + 1)
}

// sleep waits d, until ctx ends, or until wake is closed (then nil: the
// caller looks again at why).
func sleep(ctx context.Context, d time.Duration, wake <-chan struct{}) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-wake:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryAfter reads a Retry-After header given in seconds (the form APIs
// use for throttling); a date or anything else counts as none.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}
