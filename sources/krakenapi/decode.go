package krakenapi

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// envelope is every Kraken REST answer: an error array and a result.
type envelope[T any] struct {
	Error  []string `json:"error"`
	Result T        `json:"result"`
}

// ohlcAnswer is a decoded and checked OHLC answer.
type ohlcAnswer struct {
	candles     []ohlc.Candle
	from, until int64
	lastClosed  int64 // open time of the row before the forming one; 0 if none
}

// decodeOHLC decodes one OHLC answer for the pair key asked for, checks
// every row like the CSV parser does, drops the forming candle and, unless
// keepEmpty, the zero-trade fillers. A non-empty error array comes back as
// an *attemptError with the codes; anything else wrong is permanent.
func decodeOHLC(body []byte, key string, interval ohlc.Interval, keepEmpty bool) (ohlcAnswer, *attemptError) {
	var env envelope[map[string]json.RawMessage]
	if err := json.Unmarshal(body, &env); err != nil {
		return ohlcAnswer{}, permanent(200, malformed(err))
	}
	if codes := errorCodes(env.Error); len(codes) > 0 {
		return ohlcAnswer{}, codesError(200, codes)
	}
	if env.Result == nil {
		return ohlcAnswer{}, permanent(200, errors.New("answer has no result"))
	}
	for k := range env.Result {
		if k != "last" && k != key {
			return ohlcAnswer{}, permanent(200, fmt.Errorf("answered pair %s, asked for %s", k, key))
		}
	}
	raw, ok := env.Result[key]
	if !ok {
		return ohlcAnswer{}, permanent(200, fmt.Errorf("answer has no rows for pair %s", key))
	}
	last, ok := env.Result["last"]
	if !ok {
		return ohlcAnswer{}, permanent(200, errors.New(`answer has no "last"`))
	}
	lastTime, ok := ohlc.ParseUint(last)
	if !ok {
		return ohlcAnswer{}, permanent(200, fmt.Errorf(`"last" %s is not a whole number of seconds`, last))
	}
	ans, err := parseRows(raw, interval, keepEmpty)
	if err != nil {
		return ohlcAnswer{}, permanent(200, err)
	}
	// Kraken's "last" is the open time of the last closed candle: if it is
	// not the row before the final one, that final row is not the forming
	// candle and the answer cannot be trusted to end where it seems to.
	if ans.lastClosed != 0 && int64(lastTime) != ans.lastClosed {
		return ohlcAnswer{}, permanent(200, fmt.Errorf(`"last" %d is not the open time of the last closed candle, %d`, lastTime, ans.lastClosed))
	}
	return ans, nil
}

func malformed(err error) error {
	return fmt.Errorf("malformed JSON: %w", err)
}

var columnNames = [8]string{"time", "open", "high", "low", "close", "vwap", "volume", "count"}

// parseRows reads the rows array [[time, "open", "high", "low", "close",
// "vwap", "volume", count], ...]. The bytes are valid JSON already
// (json.Unmarshal checked them), so the scanner only checks the shape; it
// allocates nothing but the candles.
func parseRows(raw []byte, interval ohlc.Interval, keepEmpty bool) (ohlcAnswer, error) {
	c := cursor{b: raw}
	if !c.consume('[') {
		return ohlcAnswer{}, errors.New("rows are not an array")
	}
	step := interval.Seconds()
	// Real answers hold 720 rows, half of them fillers.
	candles := make([]ohlc.Candle, 0, 512)
	var row, pending ohlc.Candle
	n := 0
	from, lastClosed := int64(0), int64(0)
	for !c.consume(']') {
		if n > 0 && !c.consume(',') {
			return ohlcAnswer{}, errors.New("rows are not an array")
		}
		row = ohlc.Candle{}
		if err := parseRow(&c, &row); err != nil {
			return ohlcAnswer{}, rowError(n, row.Time, err)
		}
		if err := checkRow(&row, step, n, pending.Time); err != nil {
			return ohlcAnswer{}, rowError(n, row.Time, err)
		}
		if n == 0 {
			from = row.Time
		} else {
			// The previous row is closed: another one follows it.
			lastClosed = pending.Time
			if keepEmpty || pending.Trades > 0 {
				candles = append(candles, pending)
			}
		}
		pending = row
		n++
	}
	if n == 0 {
		return ohlcAnswer{}, errors.New("answer has no rows, not even the forming candle")
	}
	// pending is the last row, the forming candle: never stored.
	return ohlcAnswer{candles: candles, from: from, until: pending.Time, lastClosed: lastClosed}, nil
}

func rowError(n int, t int64, err error) error {
	if t != 0 {
		return fmt.Errorf("row %d (time %d): %w", n, t, err)
	}
	return fmt.Errorf("row %d: %w", n, err)
}

// parseRow reads one row into c: time, the six decimal strings, count.
func parseRow(cur *cursor, c *ohlc.Candle) error {
	if !cur.consume('[') {
		return errors.New("is not an array")
	}
	var vals [6]float64
	for k := 0; k < 8; k++ {
		if k > 0 && !cur.consume(',') {
			if cur.consume(']') {
				return fmt.Errorf("has %d columns, want 8", k)
			}
			return errors.New("is not an array")
		}
		switch k {
		case 0, 7:
			tok, ok := cur.number()
			if !ok {
				return fmt.Errorf("%s %s is not a number", columnNames[k], cur.describe())
			}
			v, ok := ohlc.ParseUint(tok)
			if !ok {
				return fmt.Errorf("%s %s is not a non-negative whole number", columnNames[k], tok)
			}
			if k == 0 {
				c.Time = int64(v)
			} else {
				c.Trades = int64(v)
			}
		default:
			tok, ok := cur.str()
			if !ok {
				return fmt.Errorf("%s %s is not a string", columnNames[k], cur.describe())
			}
			v, status := ohlc.ParseDecimal(tok)
			if status != ohlc.DecimalOK {
				return fmt.Errorf("%s %q %w", columnNames[k], tok, decimalError(status))
			}
			vals[k-1] = v
		}
	}
	if !cur.consume(']') {
		return errors.New("has more than 8 columns")
	}
	c.Open, c.High, c.Low, c.Close, c.Volume = vals[0], vals[1], vals[2], vals[3], vals[5]
	// A filler's vwap "0.00" is not a price: without trades there is none.
	if c.Trades > 0 {
		c.VWAP, c.HasVWAP = vals[4], true
	}
	return nil
}

// checkRow holds a row to the CSV parser's rules: aligned, strictly
// increasing times and Candle.CheckPrices; prev is the previous row's time.
func checkRow(c *ohlc.Candle, step int64, n int, prev int64) error {
	if c.Time%step != 0 {
		return fmt.Errorf("time %d is not aligned to the %d-minute interval", c.Time, step/60)
	}
	if n > 0 && c.Time <= prev {
		return fmt.Errorf("time %d is not after the previous row's %d: rows must be in strictly increasing time", c.Time, prev)
	}
	if err := c.CheckPrices(); err != nil {
		return err
	}
	// A traded candle's VWAP lies between its low and high. Rounding may
	// put it a hair outside; a volume in the VWAP column (the two are
	// easily swapped) lands far outside.
	if c.HasVWAP && c.Trades > 0 && (c.VWAP < c.Low*0.99 || c.VWAP > c.High*1.01) {
		return fmt.Errorf("vwap %v is outside low %v and high %v", c.VWAP, c.Low, c.High)
	}
	return nil
}

var (
	errNotDecimal = errors.New("is not a plain non-negative decimal number")
	errOutOfRange = errors.New("is out of range")
)

func decimalError(status ohlc.DecimalStatus) error {
	if status == ohlc.DecimalOutOfRange {
		return errOutOfRange
	}
	return errNotDecimal
}

// cursor walks JSON that is known to be valid.
type cursor struct {
	b []byte
	i int
}

func (c *cursor) skipSpace() {
	for c.i < len(c.b) {
		switch c.b[c.i] {
		case ' ', '\t', '\n', '\r':
			c.i++
		default:
			return
		}
	}
}

// consume skips whitespace and takes ch if it comes next.
func (c *cursor) consume(ch byte) bool {
	c.skipSpace()
	if c.i < len(c.b) && c.b[c.i] == ch {
		c.i++
		return true
	}
	return false
}

// number takes a JSON number token.
func (c *cursor) number() ([]byte, bool) {
	c.skipSpace()
	start := c.i
	for c.i < len(c.b) {
		ch := c.b[c.i]
		if (ch >= '0' && ch <= '9') || ch == '-' || ch == '+' || ch == '.' || ch == 'e' || ch == 'E' {
			c.i++
			continue
		}
		break
	}
	return c.b[start:c.i], c.i > start
}

// str takes a JSON string without escapes (no number Kraken sends has one)
// and returns its contents.
func (c *cursor) str() ([]byte, bool) {
	c.skipSpace()
	if c.i >= len(c.b) || c.b[c.i] != '"' {
		return nil, false
	}
	start := c.i + 1
	for j := start; j < len(c.b); j++ {
		switch c.b[j] {
		case '"':
			c.i = j + 1
			return c.b[start:j], true
		case '\\':
			return nil, false
		}
	}
	return nil, false
}

// describe names what the cursor is looking at, for errors.
func (c *cursor) describe() string {
	c.skipSpace()
	end := c.i
	for end < len(c.b) && end-c.i < 24 && c.b[end] != ',' && c.b[end] != ']' {
		end++
	}
	return string(c.b[c.i:end])
}
