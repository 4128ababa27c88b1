package krakencsv

import "io"

const (
	// readAheadFloor is the member size from which inflating runs on a
	// goroutine of its own, ahead of the parser: below it (a quarterly
	// update's members) a goroutine costs more than it overlaps.
	readAheadFloor = 4 << 20
	// readAheadChunk and readAheadChunks bound what is inflated ahead:
	// 1 MiB per member being read.
	readAheadChunk  = 256 << 10
	readAheadChunks = 4
)

// readAhead inflates a member on its own goroutine while the caller parses
// what was inflated before, so a member costs about the slower of the two
// instead of their sum (BenchmarkParseZipMember). Close stops the goroutine
// and waits for it before closing the body: the body is never read and
// closed at once.
type readAhead struct {
	body io.ReadCloser
	full chan chunk
	free chan []byte
	stop chan struct{}
	done chan struct{}
	cur  []byte // the rest of the chunk being read
	buf  []byte // that chunk's whole buffer, to give back
	err  error  // from the body, once cur is drained
}

type chunk struct {
	b   []byte
	err error
}

func newReadAhead(body io.ReadCloser) *readAhead {
	r := &readAhead{
		body: body,
		full: make(chan chunk, readAheadChunks),
		free: make(chan []byte, readAheadChunks),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	for range readAheadChunks {
		r.free <- make([]byte, readAheadChunk)
	}
	go r.fill()
	return r
}

// fill inflates into free buffers until the body ends or fails, or Close.
func (r *readAhead) fill() {
	defer close(r.done)
	for {
		var buf []byte
		select {
		case buf = <-r.free:
		case <-r.stop:
			return
		}
		// Not io.ReadFull: it would turn the body's own EOF after some
		// bytes into io.ErrUnexpectedEOF, which memberReader uses for a
		// member cut short.
		n := 0
		var err error
		for n < len(buf) && err == nil {
			var m int
			m, err = r.body.Read(buf[n:])
			n += m
		}
		select {
		case r.full <- chunk{b: buf[:n], err: err}:
		case <-r.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

func (r *readAhead) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.buf != nil {
			r.free <- r.buf[:cap(r.buf)]
			r.buf = nil
		}
		c := <-r.full
		r.cur, r.buf, r.err = c.b, c.b, c.err
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

func (r *readAhead) Close() error {
	close(r.stop)
	<-r.done
	return r.body.Close()
}
