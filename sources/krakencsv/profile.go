package krakencsv

import (
	"bytes"
	"context"
	"fmt"
	"hash"
	"io"

	"github.com/feefifofunds/candlekeep/ohlc"
)

const (
	profileChunkBytes = 256 << 10
	headBytes         = MaxLineBytes
	tailBytes         = 2 * MaxLineBytes
)

// profileStream reads a member once: it counts rows and parses the first and
// the last row with the loader's own row parser, so that a profile (and the
// cutoff inferred from it) never rests on a row loading would refuse. The
// rows between are checked only when the member is loaded. A bad first or
// last row, or an empty member, is a *ParseError like loading gives, returned
// after the whole stream has been read. When h is not nil it is fed every
// byte, so a plain file is hashed in the same pass. name is how errors refer
// to the member; scratch is the caller's, reused from member to member.
func profileStream(ctx context.Context, r io.Reader, h hash.Hash, scratch *profileScratch, name string, interval ohlc.Interval) (Profile, error) {
	buf, head, tail := scratch.chunk, scratch.head[:0], scratch.tail[:0]
	var newlines, total int64
	var lastByte byte
	for {
		if err := ctx.Err(); err != nil {
			return Profile{}, err
		}
		n, err := r.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			if h != nil {
				h.Write(chunk)
			}
			newlines += int64(bytes.Count(chunk, []byte{'\n'}))
			if room := headBytes - len(head); room > 0 {
				head = append(head, chunk[:min(room, n)]...)
			}
			tail = keepTail(tail, chunk)
			total += int64(n)
			lastByte = chunk[n-1]
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return Profile{}, err
		}
	}
	if total == 0 {
		return Profile{}, &ParseError{File: name, Err: ErrNoRows}
	}
	p := Profile{Rows: newlines}
	if lastByte != '\n' {
		p.Rows++
	}
	if err := checkHead(head, name, interval); err != nil {
		return Profile{}, err
	}
	// Trailing blank lines are not rows, as the loader skips them.
	tail, blank := trimBlankLines(tail)
	switch {
	case blank > MaxTrailingBlankLines || len(tail) == 0 && total > int64(tailBytes):
		return Profile{}, &ParseError{File: name, Err: errTooManyBlankLines}
	case int64(blank) == p.Rows:
		return Profile{}, &ParseError{File: name, Err: ErrNoRows}
	}
	p.Rows -= int64(blank)
	rows := &Reader{name: name}
	rows.setInterval(interval)
	first, err := rows.parseTimestamp(firstLine(head), 1)
	if err != nil {
		return Profile{}, err
	}
	lastNumber := int(p.Rows)
	last, err := rows.parseTimestamp(lastLine(tail), lastNumber)
	if err != nil {
		return Profile{}, err
	}
	if lastNumber > 1 && last <= first {
		return Profile{}, &ParseError{File: name, Line: lastNumber,
			Err: fmt.Errorf("timestamp %d is not after the first row's %d: rows must be in strictly increasing time", last, first)}
	}
	p.First, p.Last = first, last
	return p, nil
}

// checkHead reads the complete lines of a member's head as loading reads
// them, so that a file loading would refuse on its first rows (timestamps
// outside Kraken's history, rows of another interval) is known at
// planning. The rows after the head are checked when the file is loaded.
func checkHead(head []byte, name string, interval ohlc.Interval) error {
	complete := head[:bytes.LastIndexByte(head, '\n')+1]
	if len(complete) == 0 {
		return nil // one line, which the caller parses as the first
	}
	r := &Reader{src: bytes.NewReader(complete), name: name, buf: make([]byte, len(complete)+1)}
	r.setInterval(interval)
	var buf [fitRows]ohlc.Candle
	for {
		_, err := r.Read(buf[:])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// profileScratch is one worker's buffers for profileStream: a quarterly
// update is thousands of small members, and allocating them per member
// would cost more than reading one.
type profileScratch struct {
	chunk []byte // one read
	head  []byte // the first headBytes of the stream
	tail  []byte // the last tailBytes, with room to append a chunk's worth
}

func newProfileScratch() *profileScratch {
	return &profileScratch{
		chunk: make([]byte, profileChunkBytes),
		head:  make([]byte, 0, headBytes),
		tail:  make([]byte, 0, 2*tailBytes),
	}
}

// firstLine is the first line of the stream's head, without its line end.
func firstLine(head []byte) []byte {
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		return head[:i]
	}
	return head
}

// lastLine is the last line of the stream's tail, without its line end. A
// line longer than the tail comes back truncated but still too long, so it
// is refused as the reader refuses it.
func lastLine(tail []byte) []byte {
	if n := len(tail); n > 0 && tail[n-1] == '\n' {
		tail = tail[:n-1]
	}
	return tail[bytes.LastIndexByte(tail, '\n')+1:]
}

// parseTimestamp checks one line the way Reader does (length, CR, a BOM on
// line 1, then parseRow) and returns its timestamp. number is the line's
// 1-based number, for the error; the line is parsed as if it had no
// previous row.
func (r *Reader) parseTimestamp(line []byte, number int) (int64, error) {
	if len(line) >= MaxLineBytes {
		// With its line end (or, on the last line, without) the reader
		// would hold more than MaxLineBytes of it.
		return 0, &ParseError{File: r.name, Line: number, Err: errLineTooLong}
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if number == 1 {
		line = bytes.TrimPrefix(line, utf8BOM)
	}
	r.line = 1 // no previous row to compare with
	var c ohlc.Candle
	if err := r.parseRow(line, &c); err != nil {
		return 0, &ParseError{File: r.name, Line: number, Err: err}
	}
	return c.Time, nil
}

// keepTail appends chunk to tail and keeps only the last tailBytes.
func keepTail(tail, chunk []byte) []byte {
	if len(chunk) >= tailBytes {
		return append(tail[:0], chunk[len(chunk)-tailBytes:]...)
	}
	tail = append(tail, chunk...)
	if extra := len(tail) - tailBytes; extra > 0 {
		tail = tail[:copy(tail, tail[extra:])]
	}
	return tail
}
