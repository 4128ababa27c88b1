package executor

import (
	"context"
	"testing"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
)

// countingSink makes writers that count their closes; only NewWriter is
// used.
type countingSink struct {
	sinks.Sink
	closed int
}

func (s *countingSink) NewWriter(context.Context) (sinks.Writer, error) {
	return &countedWriter{sink: s}, nil
}

type countedWriter struct{ sink *countingSink }

func (w *countedWriter) Write(context.Context, ohlc.Series, []ohlc.Candle) error { return nil }
func (w *countedWriter) Close() error                                            { w.sink.closed++; return nil }

// The pool keeps one idle writer per worker: the extra ones a load took
// for its writes in flight are closed when handed back, the kept ones at
// the end, each once.
func TestWriterPoolKeepsOnePerWorker(t *testing.T) {
	sink := &countingSink{}
	p := newWriterPool(sink, 2)
	var ws []sinks.Writer
	for range 5 {
		w, err := p.get(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ws = append(ws, w)
	}
	for _, w := range ws {
		p.put(w)
	}
	if sink.closed != 3 || len(p.idle) != 2 {
		t.Fatalf("%d closed and %d idle after handing back 5 to a pool keeping 2; want 3 and 2", sink.closed, len(p.idle))
	}
	if err := p.closeAll(); err != nil {
		t.Fatal(err)
	}
	if sink.closed != 5 {
		t.Errorf("%d writers closed in all, want each of the 5 once", sink.closed)
	}
}
