package krakencsv

import (
	"bytes"
	"fmt"
	"io"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// MaxTrailingBlankLines bounds the blank lines ("" or "\r" once the line end
// is gone) accepted at the end of a file. An editor or spreadsheet saving a
// file often adds one; the same candles follow either way. The bound keeps
// the profile, which sees only the file's last few KiB, in agreement with
// the loader: both must find the last row.
const MaxTrailingBlankLines = 1000

var errEmptyLine = fmt.Errorf("empty line")

// endOfBlankLines is called on a blank line, the first line (line number
// first) of what must be the file's trailing blank lines. It returns io.EOF
// when only blank lines follow, and otherwise the error of that first blank
// line (or of the line after it, if that is no row either): a blank line
// between rows is refused.
func (r *Reader) endOfBlankLines(first int) error {
	for {
		line, err := r.nextLine()
		switch {
		case err == io.EOF:
			if first == 1 {
				return &ParseError{File: r.name, Err: ErrNoRows}
			}
			return io.EOF
		case err != nil:
			return err
		case len(line) != 0:
			// A line that is no row either is the worse fault, and the
			// one a profile, reading from the end, finds too.
			var c ohlc.Candle
			if err := r.parseRow(line, &c); err != nil {
				return &ParseError{File: r.name, Line: r.line, Err: err}
			}
			return &ParseError{File: r.name, Line: first, Err: errEmptyLine}
		case r.line-first+1 > MaxTrailingBlankLines:
			return &ParseError{File: r.name, Err: errTooManyBlankLines}
		}
	}
}

var errTooManyBlankLines = fmt.Errorf("more than %d blank lines at the end", MaxTrailingBlankLines)

// trimBlankLines drops the blank lines at the end of tail, the stream's last
// bytes, and says how many there were (at most MaxTrailingBlankLines+1: it
// stops counting there). A line end of the last row stays.
func trimBlankLines(tail []byte) ([]byte, int) {
	n := 0
	for len(tail) > 0 && n <= MaxTrailingBlankLines {
		body := bytes.TrimSuffix(tail, []byte{'\n'})
		start := bytes.LastIndexByte(body, '\n') + 1
		if line := body[start:]; len(line) > 1 || len(line) == 1 && line[0] != '\r' {
			break
		}
		tail = tail[:start]
		n++
	}
	return tail, n
}
