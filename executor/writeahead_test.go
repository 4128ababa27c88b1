package executor

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
)

// heldWriter is a sink writer whose writes wait to be released, telling
// when each starts: the test sees which writes are in flight at once.
type heldWriter struct {
	started chan int64 // the first candle's time of each write begun
	release chan error // what the next write returns
}

func (w *heldWriter) Write(_ context.Context, _ ohlc.Series, candles []ohlc.Candle) error {
	w.started <- candles[0].Time
	return <-w.release
}

func (w *heldWriter) Close() error { return nil }

// Two writers keep two writes in flight; the batches come back in file
// order whatever order the sink answers them in, a failed one with its
// error, and a halt sends nothing new but hands back what was sent.
func TestWriteAheadKeepsOrderAndBound(t *testing.T) {
	started := make(chan int64, 8)
	ws := []*heldWriter{{started: started, release: make(chan error)}, {started: started, release: make(chan error)}}
	in := make(chan []ohlc.Candle, 4)
	for i := range 4 {
		in <- []ohlc.Candle{{Time: int64(i)}}
	}
	close(in)
	wa := startWriteAhead(context.Background(), []sinks.Writer{ws[0], ws[1]}, ohlc.Series{Pair: "XBTUSD", Interval: 60}, in)
	defer wa.close()

	// Batches 0 and 1 are in flight together, nothing more.
	got := map[int64]bool{<-started: true, <-started: true}
	if !got[0] || !got[1] {
		t.Fatalf("in flight: %v, want batches 0 and 1", got)
	}
	select {
	case b := <-started:
		t.Fatalf("batch %d started with two in flight on two writers", b)
	default:
	}
	// The second writer answers first, with a failure; the first then
	// succeeds, and once batch 0 is taken the first writer is given
	// batch 2.
	fail := errors.New("refused")
	ws[1].release <- fail
	ws[0].release <- nil
	var order []int64
	var errs []error
	take := func() bool {
		p, ok := wa.next()
		if ok {
			order = append(order, p.batch[0].Time)
			errs = append(errs, p.err)
		}
		return ok
	}
	take()
	if b := <-started; b != 2 {
		t.Fatalf("batch %d started next, want 2 on the first writer", b)
	}
	// Halted with batch 3 not yet sent: it never is; batch 2, in flight,
	// is still answered and handed back.
	wa.halt()
	ws[0].release <- nil
	for take() {
	}
	if diff := cmp.Diff([]int64{0, 1, 2}, order); diff != "" {
		t.Errorf("batches handed back (-want +got):\n%s", diff)
	}
	if errs[0] != nil || !errors.Is(errs[1], fail) || errs[2] != nil {
		t.Errorf("errors %v, want only batch 1's", errs)
	}
}
