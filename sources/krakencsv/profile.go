package krakencsv

import (
	"bytes"
	"context"
	"hash"
	"io"
)

const (
	profileChunkBytes = 256 << 10
	headBytes         = MaxLineBytes
	tailBytes         = 2 * MaxLineBytes
)

// profileStream reads a member once: it counts rows and takes the first and
// last rows' timestamps, without validating anything else (the strict parser
// does that when the member is loaded). When h is not nil it is fed every
// byte, so a plain file is hashed in the same pass. buf is the caller's
// scratch space.
func profileStream(ctx context.Context, r io.Reader, h hash.Hash, buf []byte) (Profile, error) {
	head := make([]byte, 0, headBytes)
	tail := make([]byte, 0, 2*tailBytes)
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
	p := Profile{Rows: newlines}
	if total > 0 && lastByte != '\n' {
		p.Rows++
	}
	if p.Rows > 0 {
		first := head
		if i := bytes.IndexByte(first, '\n'); i >= 0 {
			first = first[:i]
		}
		last := bytes.TrimRight(tail, "\r\n")
		if i := bytes.LastIndexByte(last, '\n'); i >= 0 {
			last = last[i+1:]
		}
		p.First = leadingTimestamp(first)
		p.Last = leadingTimestamp(last)
	}
	return p, nil
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

// leadingTimestamp reads the timestamp field of a row, leniently: a row
// without one gives 0, and loading the member reports it properly.
func leadingTimestamp(line []byte) int64 {
	line = bytes.TrimPrefix(line, utf8BOM)
	if i := bytes.IndexByte(line, ','); i >= 0 {
		line = line[:i]
	}
	ts, ok := parseUint(line)
	if !ok {
		return 0
	}
	return int64(ts)
}
