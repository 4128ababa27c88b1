package executor

import (
	"context"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
)

// writeAhead keeps up to len(writers) writes of one series' batches in
// flight, each writer taking every len(writers)-th batch in turn, and
// hands the batches back in file order as the sink answers them. The
// caller counts a batch confirmed only once it and every batch before it
// were, so state claims a prefix of the file; meanwhile the sink is
// already taking the next ones, and the caller's work between two
// batches does not stall the writes.
type writeAhead struct {
	results chan *pendingWrite // in file order; closed once nothing more is sent
	stop    chan struct{}
	done    chan struct{} // closed once the dispatcher has exited
}

// pendingWrite is one batch sent to the sink; err is set before done is
// closed.
type pendingWrite struct {
	batch []ohlc.Candle
	err   error
	done  chan struct{}
}

// startWriteAhead sends the batches of in to the sink through writers.
// Writes run on ctx to their end even after a stop: a batch the sink
// took is answered, so that what it confirmed can be recorded.
func startWriteAhead(ctx context.Context, writers []sinks.Writer, series ohlc.Series, in <-chan []ohlc.Candle) *writeAhead {
	wa := &writeAhead{
		results: make(chan *pendingWrite, len(writers)),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	go func() {
		defer close(wa.done)
		defer close(wa.results)
		last := make([]*pendingWrite, len(writers)) // each writer's latest
		for i := 0; ; i++ {
			slot := i % len(writers)
			before := last[slot]
			if before != nil {
				// A writer is not shared between goroutines: its next
				// batch waits for its last.
				select {
				case <-before.done:
				case <-wa.stop:
					return
				}
			}
			var batch []ohlc.Candle
			var ok bool
			select {
			case batch, ok = <-in:
			case <-wa.stop:
			}
			if !ok {
				return
			}
			// Its place in the order is taken before it is sent, so every
			// write sent is handed back by next.
			p := &pendingWrite{batch: batch, done: make(chan struct{})}
			select {
			case wa.results <- p:
			case <-wa.stop:
				return
			}
			last[slot] = p
			go func() {
				defer close(p.done)
				p.err = writers[slot].Write(ctx, series, batch)
			}()
		}
	}()
	return wa
}

// next is the next batch in file order once the sink answered it; false
// when no more were sent.
func (wa *writeAhead) next() (*pendingWrite, bool) {
	p, ok := <-wa.results
	if ok {
		<-p.done
	}
	return p, ok
}

// halt stops sending new batches; those in flight are still answered
// and handed back by next.
func (wa *writeAhead) halt() {
	select {
	case <-wa.stop:
	default:
		close(wa.stop)
	}
}

// close stops sending and waits until no write is in flight, so that
// the writers may be handed back.
func (wa *writeAhead) close() {
	wa.halt()
	for p := range wa.results {
		<-p.done
	}
	<-wa.done
}
