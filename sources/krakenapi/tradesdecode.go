package krakenapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// tradesAnswer is a decoded and checked Trades answer.
type tradesAnswer struct {
	trades []ohlc.Trade
	last   string // Kraken's cursor, as sent
	lastNs uint64 // the same, read
}

var tradeColumns = [7]string{"price", "volume", "time", "side", "ordertype", "misc", "trade_id"}

// decodeTrades decodes one Trades answer for the pair key asked for,
// appending its trades to dst[:0]. Every trade is checked: price and
// volume positive decimals, side b or s, order type m or l, times
// non-decreasing and ids increasing along the answer; "last" must be a
// string of digits. A non-empty error array comes back as an
// *attemptError with the codes; anything else wrong is permanent.
func decodeTrades(body []byte, key string, dst []ohlc.Trade) (tradesAnswer, *attemptError) {
	if ans, ok := scanTrades(body, key, dst); ok {
		return ans, nil
	}
	return decodeTradesSlowly(body, key, dst)
}

// decodeTradesSlowly is decodeTrades through encoding/json, which checks
// the whole answer is JSON first: several times the CPU of the rest, so
// it runs only when scanTrades does not accept an answer, and words the
// refusal.
func decodeTradesSlowly(body []byte, key string, dst []ohlc.Trade) (tradesAnswer, *attemptError) {
	var env envelope[map[string]json.RawMessage]
	if err := json.Unmarshal(body, &env); err != nil {
		return tradesAnswer{}, permanent(200, malformed(err))
	}
	if codes := errorCodes(env.Error); len(codes) > 0 {
		return tradesAnswer{}, codesError(200, codes)
	}
	if env.Result == nil {
		return tradesAnswer{}, permanent(200, errors.New("answer has no result"))
	}
	for k := range env.Result {
		if k != "last" && k != key {
			return tradesAnswer{}, permanent(200, fmt.Errorf("answered pair %s, asked for %s", k, key))
		}
	}
	raw, ok := env.Result[key]
	if !ok {
		return tradesAnswer{}, permanent(200, fmt.Errorf("answer has no trades for pair %s", key))
	}
	var ans tradesAnswer
	var err error
	if ans.last, ans.lastNs, err = readCursor(env.Result["last"]); err != nil {
		return tradesAnswer{}, permanent(200, err)
	}
	c := cursor{b: raw}
	if ans.trades, err = parseTrades(&c, dst[:0]); err != nil {
		return tradesAnswer{}, permanent(200, err)
	}
	return ans, nil
}

// scanTrades reads the answer every good page is, in one pass over its
// bytes: {"error":[],"result":{KEY:[trades],"last":"digits"}}, the two
// result members in either order, whitespace anywhere. Anything else,
// a bad trade included, it leaves to decodeTradesSlowly.
func scanTrades(body []byte, key string, dst []ohlc.Trade) (tradesAnswer, bool) {
	c := cursor{b: body}
	var ans tradesAnswer
	if !c.consume('{') || !c.key("error") || !c.consume('[') || !c.consume(']') || !c.consume(',') ||
		!c.key("result") || !c.consume('{') {
		return ans, false
	}
	haveTrades, haveLast := false, false
	for k := 0; k < 2; k++ {
		if k > 0 && !c.consume(',') {
			return ans, false
		}
		switch {
		case !haveTrades && c.key(key):
			var err error
			if ans.trades, err = parseTrades(&c, dst[:0]); err != nil {
				return ans, false
			}
			haveTrades = true
		case !haveLast && c.key("last"):
			s, ok := c.str()
			if !ok || len(s) == 0 || len(s) > 19 {
				return ans, false
			}
			n, ok := ohlc.ParseUint(s[:min(len(s), 18)])
			for _, d := range s[min(len(s), 18):] {
				if d < '0' || d > '9' {
					return ans, false
				}
				n = n*10 + uint64(d-'0')
			}
			if !ok {
				return ans, false
			}
			ans.last, ans.lastNs, haveLast = string(s), n, true
		default:
			return ans, false
		}
	}
	if !c.consume('}') || !c.consume('}') {
		return ans, false
	}
	c.skipSpace()
	return ans, c.i == len(c.b)
}

// key takes a member name that is exactly name, and its colon.
func (c *cursor) key(name string) bool {
	c.skipSpace()
	rest := c.b[c.i:]
	if len(rest) < len(name)+2 || rest[0] != '"' || string(rest[1:1+len(name)]) != name || rest[1+len(name)] != '"' {
		return false
	}
	c.i += len(name) + 2
	return c.consume(':')
}

// readCursor reads "last": a JSON string of nanoseconds. It is kept as
// sent, to be sent back; a float would lose the nanoseconds.
func readCursor(raw json.RawMessage) (string, uint64, error) {
	if raw == nil {
		return "", 0, errors.New(`answer has no "last"`)
	}
	c := cursor{b: raw}
	s, ok := c.str()
	c.skipSpace()
	if !ok || c.i != len(raw) {
		return "", 0, fmt.Errorf(`"last" %s is not a string of nanoseconds`, raw)
	}
	n, err := strconv.ParseUint(string(s), 10, 64)
	if err != nil || len(s) == 0 || s[0] == '+' {
		return "", 0, fmt.Errorf(`"last" %q is not a whole number of nanoseconds`, s)
	}
	return string(s), n, nil
}

// parseTrades reads [["price", "volume", time, "side", "ordertype",
// "misc", trade_id], ...], checking every trade: the syntax of every
// token it takes, and each trade's values.
func parseTrades(c *cursor, dst []ohlc.Trade) ([]ohlc.Trade, error) {
	if !c.consume('[') {
		return nil, errors.New("trades are not an array")
	}
	n := 0
	for !c.consume(']') {
		if n > 0 && !c.consume(',') {
			return nil, errors.New("trades are not an array")
		}
		var t ohlc.Trade
		if err := parseTrade(c, &t); err != nil {
			return nil, tradeError(n, t.ID, err)
		}
		if n > 0 {
			prev := dst[len(dst)-1]
			if t.Time < prev.Time {
				return nil, tradeError(n, t.ID, fmt.Errorf("time %s is before the previous trade's %s: times must not decrease", formatNanos(t.Time), formatNanos(prev.Time)))
			}
			if t.ID <= prev.ID {
				return nil, tradeError(n, t.ID, fmt.Errorf("id %d is not after the previous trade's %d: ids must increase", t.ID, prev.ID))
			}
		}
		dst = append(dst, t)
		n++
	}
	return dst, nil
}

func tradeError(n int, id int64, err error) error {
	if id != 0 {
		return fmt.Errorf("trade %d (id %d): %w", n, id, err)
	}
	return fmt.Errorf("trade %d: %w", n, err)
}

// parseTrade reads one trade; t.ID is set as soon as it is known, for
// errors, which is last.
func parseTrade(cur *cursor, t *ohlc.Trade) error {
	if !cur.consume('[') {
		return errors.New("is not an array")
	}
	for k := 0; k < 7; k++ {
		if k > 0 && !cur.consume(',') {
			if cur.consume(']') {
				return fmt.Errorf("has %d columns, want 7", k)
			}
			return errors.New("is not an array")
		}
		switch k {
		case 0, 1:
			tok, ok := cur.str()
			if !ok {
				return fmt.Errorf("%s %s is not a string", tradeColumns[k], cur.describe())
			}
			v, status := ohlc.ParseDecimal(tok)
			if status != ohlc.DecimalOK {
				return fmt.Errorf("%s %q %w", tradeColumns[k], tok, decimalError(status))
			}
			if v <= 0 {
				return fmt.Errorf("%s %q is not positive", tradeColumns[k], tok)
			}
			if k == 0 {
				t.Price = v
			} else {
				t.Volume = v
			}
		case 2:
			tok, ok := cur.number()
			if !ok {
				return fmt.Errorf("time %s is not a number", cur.describe())
			}
			ns, ok := parseNanos(tok)
			if !ok {
				return fmt.Errorf("time %s is not a plain number of seconds", tok)
			}
			t.Time = ns
		case 3, 4:
			at := cur.i
			tok, ok := cur.str()
			want := "bs"
			if k == 4 {
				want = "ml"
			}
			if !ok || len(tok) != 1 || (tok[0] != want[0] && tok[0] != want[1]) {
				cur.i = at
				return fmt.Errorf("%s %s is not %q or %q", tradeColumns[k], cur.describe(), want[:1], want[1:])
			}
			if k == 3 {
				t.Side = tok[0]
			} else {
				t.Type = tok[0]
			}
		case 5:
			s, ok := cur.str()
			if !ok {
				return fmt.Errorf("misc %s is not a string", cur.describe())
			}
			// JSON strings hold no control characters; encoding/json
			// has not seen this one on the fast path.
			for _, ch := range s {
				if ch < 0x20 {
					return errors.New("misc holds a control character")
				}
			}
		case 6:
			tok, ok := cur.number()
			id, ok2 := ohlc.ParseUint(tok)
			if !ok || !ok2 || id == 0 || tok[0] == '0' {
				return fmt.Errorf("trade_id %s is not a positive whole number", string(tok))
			}
			t.ID = int64(id)
		}
	}
	if !cur.consume(']') {
		return errors.New("has more than 7 columns")
	}
	return nil
}

// parseNanos reads a time in seconds with an optional fraction
// ("1688669597.8277369") as Unix nanoseconds, exactly: a float64 holds
// only about 15 digits, and a busy second holds thousands of trades.
// Digits past the ninth decimal are dropped; signs and exponents refused.
func parseNanos(b []byte) (int64, bool) {
	i := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	// Eleven digits of seconds reach the year 5138; JSON numbers have no
	// leading zeros.
	if i == 0 || i > 11 || (b[0] == '0' && i > 1) {
		return 0, false
	}
	secs, _ := ohlc.ParseUint(b[:i])
	ns := int64(secs) * 1e9
	if i == len(b) {
		return ns, true
	}
	if b[i] != '.' || i+1 == len(b) {
		return 0, false
	}
	scale := int64(1e8)
	for _, d := range b[i+1:] {
		if d < '0' || d > '9' {
			return 0, false
		}
		ns += int64(d-'0') * scale
		scale /= 10
	}
	return ns, true
}

// formatNanos writes Unix nanoseconds as seconds with nine decimals.
func formatNanos(ns int64) string {
	return strconv.FormatInt(ns/1e9, 10) + "." + strconv.FormatInt(1e9+ns%1e9, 10)[1:]
}
