package executor

import (
	"io"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// batchReader reads a span's candles in batches on a goroutine of its own,
// so that the next batch is parsed while the sink takes the current one.
// A fixed number of batch buffers circulate: the reader fills one while
// the consumer writes the others and hands them back on free.
type batchReader struct {
	batches chan []ohlc.Candle // full batches, in file order; closed at the end
	free    chan []ohlc.Candle // written batches, back for reuse
	stop    chan struct{}
	done    chan struct{} // closed once the goroutine has exited
	err     error         // the read error that ended it; read after done
}

func startBatches(src CandleReader, span ohlc.Span, size, buffers int) *batchReader {
	r := &batchReader{
		batches: make(chan []ohlc.Candle, 1),
		free:    make(chan []ohlc.Candle, buffers),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	for range buffers {
		r.free <- make([]ohlc.Candle, 0, size)
	}
	go r.run(src, span, size)
	return r
}

func (r *batchReader) run(src CandleReader, span ohlc.Span, size int) {
	defer close(r.done)
	defer close(r.batches)
	var batch []ohlc.Candle
	take := func() bool {
		select {
		case batch = <-r.free:
			return true
		case <-r.stop:
			return false
		}
	}
	send := func() bool {
		select {
		case r.batches <- batch:
			return true
		case <-r.stop:
			return false
		}
	}
	if !take() {
		return
	}
	buf := make([]ohlc.Candle, size)
	for {
		n, err := src.Read(buf)
		for _, c := range buf[:n] {
			if c.Time < span.Start {
				continue
			}
			if c.Time >= span.End {
				if len(batch) > 0 {
					send()
				}
				return
			}
			batch = append(batch, c)
			if len(batch) == cap(batch) && (!send() || !take()) {
				return
			}
		}
		switch {
		case err == io.EOF:
			if len(batch) > 0 {
				send()
			}
			return
		case err != nil:
			// The rows of the unfinished batch are not sent.
			r.err = err
			return
		}
	}
}

// close stops the reader and waits until it no longer touches its source.
func (r *batchReader) close() {
	close(r.stop)
	<-r.done
}
