package executor

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/feefifofunds/candlekeep/sinks"
)

// writerPool hands each running action sink writers of its own: writers
// are not safe for concurrent use. It keeps at most keep idle writers
// (one per worker) and closes the others when they are handed back: a
// big load takes several for its writes in flight, and a writer keeps
// the buffers of the largest request it sent (a QuestDB one grows to a
// group of small files' request), so extra idle ones would only hold
// memory.
type writerPool struct {
	sink sinks.Sink
	keep int
	mu   sync.Mutex
	idle []sinks.Writer
	all  []sinks.Writer
	errs []error // from writers closed on the way back
}

func newWriterPool(s sinks.Sink, keep int) *writerPool {
	return &writerPool{sink: s, keep: max(1, keep)}
}

func (p *writerPool) get(ctx context.Context) (sinks.Writer, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.idle); n > 0 {
		w := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return w, nil
	}
	w, err := p.sink.NewWriter(ctx)
	if err != nil {
		return nil, err
	}
	p.all = append(p.all, w)
	return w, nil
}

// getN is n writers, or none and the error.
func (p *writerPool) getN(ctx context.Context, n int) ([]sinks.Writer, error) {
	ws := make([]sinks.Writer, 0, n)
	for range n {
		w, err := p.get(ctx)
		if err != nil {
			p.putAll(ws)
			return nil, err
		}
		ws = append(ws, w)
	}
	return ws, nil
}

// putAll hands writers back.
func (p *writerPool) putAll(ws []sinks.Writer) {
	for _, w := range ws {
		p.put(w)
	}
}

func (p *writerPool) put(w sinks.Writer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) < p.keep {
		p.idle = append(p.idle, w)
		return
	}
	if i := slices.Index(p.all, w); i >= 0 {
		p.all = slices.Delete(p.all, i, i+1)
	}
	// A writer has nothing unsent once its Write returned; a failure to
	// close is reported with the others at the end.
	if err := w.Close(); err != nil {
		p.errs = append(p.errs, err)
	}
}

func (p *writerPool) closeAll() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	errs := p.errs
	for _, w := range p.all {
		errs = append(errs, w.Close())
	}
	p.all, p.idle = nil, nil
	return errors.Join(errs...)
}
