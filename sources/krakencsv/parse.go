package krakencsv

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// MaxLineBytes bounds one CSV line (line end included). Real rows are under
// 100 bytes; anything this long is not a Kraken file, and refusing it keeps
// memory bounded whatever the input.
const MaxLineBytes = 4096

// readBufferBytes is the parser's window over its input: large enough that
// refills are rare, small enough to stay in cache.
const readBufferBytes = 256 << 10

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

var errLineTooLong = fmt.Errorf("line longer than %d bytes", MaxLineBytes)

// ParseError is a row the strict parser refused. Line is 1-based; 0 means
// the file as a whole (an empty file).
type ParseError struct {
	File string
	Line int
	Err  error
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s line %d: %v", e.File, e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// ErrNoRows is the error of a file without a single row.
var ErrNoRows = errors.New("no rows")

// Reader streams candles out of one Kraken CSV file, refusing anything that
// is not exactly Kraken's format. It reuses one buffer and allocates nothing
// per row.
type Reader struct {
	src  io.Reader
	name string
	step int64 // interval in seconds

	buf      []byte
	pos, end int   // unread bytes are buf[pos:end]
	srcErr   error // sticky result of the last src.Read (io.EOF at the end)

	line int   // 1-based number of the last line taken
	prev int64 // timestamp of the previous row
	err  error // sticky error returned once the rows run out

	// Rows must lie in [ohlc.KrakenFirstTrade, end): end is the dump's
	// until, or maxSeconds.
	until, limit int64
	// coarse is the next longer interval in seconds (0: none); offGrid
	// says a row lies off its boundaries, as a real file's soon does.
	coarse  int64
	offGrid bool
}

// NewReader reads rows of the given interval from r; name is how errors
// refer to the file.
func NewReader(r io.Reader, name string, interval ohlc.Interval) *Reader {
	rd := &Reader{src: r, name: name, buf: make([]byte, readBufferBytes)}
	rd.setInterval(interval)
	return rd
}

// setInterval sets the interval the rows must fit.
func (r *Reader) setInterval(interval ohlc.Interval) {
	r.step, r.coarse, r.limit = interval.Seconds(), coarser(interval), maxSeconds
}

// SetUntil refuses rows at or after until, the dump's declared cutoff (0:
// no cutoff beyond Kraken's history).
func (r *Reader) SetUntil(until int64) {
	r.until, r.limit = until, maxSeconds
	if until != 0 {
		r.limit = min(until, maxSeconds)
	}
}

// Read fills buf with the next candles. It returns either n > 0 and a nil
// error, or 0 and an error: io.EOF after the last row, a *ParseError for a
// refused row (the rows before it have been returned by earlier calls), or
// the underlying reader's error. Errors are sticky.
func (r *Reader) Read(buf []ohlc.Candle) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n := 0
	for n < len(buf) {
		line, err := r.nextLine()
		if err != nil {
			r.err = err
			break
		}
		if r.parseRowFast(line, &buf[n]) {
			n++
			continue
		}
		if len(line) == 0 {
			// Rows cannot follow, but trailing blank lines may.
			r.err = r.endOfBlankLines(r.line)
			break
		}
		if err := r.parseRow(line, &buf[n]); err != nil {
			r.err = &ParseError{File: r.name, Line: r.line, Err: err}
			break
		}
		n++
	}
	if n > 0 {
		return n, nil
	}
	return 0, r.err
}

// Line is the 1-based number of the last line read.
func (r *Reader) Line() int { return r.line }

// nextLine returns the next line without its line end. The slice is valid
// until the next call.
func (r *Reader) nextLine() ([]byte, error) {
	for {
		if i := bytes.IndexByte(r.buf[r.pos:r.end], '\n'); i >= 0 {
			line := r.buf[r.pos : r.pos+i]
			r.pos += i + 1
			return r.takeLine(line, i+1)
		}
		if r.end-r.pos >= MaxLineBytes {
			// Whatever ends it, this line is already too long.
			return r.takeLine(nil, MaxLineBytes+1)
		}
		if r.srcErr != nil {
			if r.srcErr != io.EOF {
				return nil, fmt.Errorf("read %s: %w", r.name, r.srcErr)
			}
			if r.pos < r.end { // a last line without a line end
				line := r.buf[r.pos:r.end]
				r.pos = r.end
				return r.takeLine(line, len(line))
			}
			if r.line == 0 {
				return nil, &ParseError{File: r.name, Err: ErrNoRows}
			}
			return nil, io.EOF
		}
		r.fill()
	}
}

// takeLine counts a line, checks its length and strips CR and a BOM.
func (r *Reader) takeLine(line []byte, rawLen int) ([]byte, error) {
	r.line++
	if rawLen > MaxLineBytes {
		return nil, &ParseError{File: r.name, Line: r.line, Err: errLineTooLong}
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if r.line == 1 {
		line = bytes.TrimPrefix(line, utf8BOM)
	}
	return line, nil
}

func (r *Reader) fill() {
	if r.pos > 0 {
		r.end = copy(r.buf, r.buf[r.pos:r.end])
		r.pos = 0
	}
	n, err := r.src.Read(r.buf[r.end:])
	r.end += n
	if err != nil {
		r.srcErr = err
	}
}

var fieldNames = [7]string{"timestamp", "open", "high", "low", "close", "volume", "trades"}

// parseRow checks one line against Kraken's format and fills c.
func (r *Reader) parseRow(line []byte, c *ohlc.Candle) error {
	if len(line) == 0 {
		return errEmptyLine
	}
	var fields [7][]byte
	rest := line
	for k := 0; k < 6; k++ {
		i := bytes.IndexByte(rest, ',')
		if i < 0 {
			return fieldCountError(line)
		}
		fields[k], rest = rest[:i], rest[i+1:]
	}
	if bytes.IndexByte(rest, ',') >= 0 {
		return fieldCountError(line)
	}
	fields[6] = rest

	ts, ok := ohlc.ParseUint(fields[0])
	if !ok {
		return fmt.Errorf("timestamp %q is not a whole number of seconds", fields[0])
	}
	t := int64(ts)
	if err := checkRange(t, r.until); err != nil {
		return err
	}
	if t%r.step != 0 {
		return fmt.Errorf("timestamp %d is not aligned to the %d-minute interval", t, r.step/60)
	}
	if r.line > 1 && t <= r.prev {
		return fmt.Errorf("timestamp %d is not after the previous row's %d: rows must be in strictly increasing time", t, r.prev)
	}
	if !r.fits(t) {
		return fitError(ohlc.Interval(r.step/60), r.coarse)
	}

	var v [5]float64
	for k := 0; k < 5; k++ {
		x, status := ohlc.ParseDecimal(fields[k+1])
		if status != ohlc.DecimalOK {
			return decimalError(fieldNames[k+1], fields[k+1], status)
		}
		v[k] = x
	}
	candle := ohlc.Candle{Time: t, Open: v[0], High: v[1], Low: v[2], Close: v[3], Volume: v[4]}
	if err := candle.CheckPrices(); err != nil {
		return err
	}
	trades, ok := ohlc.ParseUint(fields[6])
	if !ok {
		return fmt.Errorf("trades %q is not a non-negative whole number", fields[6])
	}

	candle.Trades = int64(trades)
	r.prev = t
	*c = candle
	return nil
}

// fits notes whether t lies off the next longer interval's boundaries and
// reports false when fitRows rows have all lain on them.
func (r *Reader) fits(t int64) bool {
	if r.offGrid || r.coarse == 0 {
		return true
	}
	if t%r.coarse != 0 {
		r.offGrid = true
		return true
	}
	return r.line < fitRows
}

func fieldCountError(line []byte) error {
	return fmt.Errorf("%d fields, want 7", bytes.Count(line, []byte{','})+1)
}

func decimalError(field string, text []byte, status ohlc.DecimalStatus) error {
	switch {
	case status == ohlc.DecimalOutOfRange:
		return fmt.Errorf("%s %q is out of range", field, text)
	case len(text) > 0 && text[0] == '-':
		return fmt.Errorf("%s %q is negative", field, text)
	}
	return fmt.Errorf("%s %q is not a plain decimal number", field, text)
}
