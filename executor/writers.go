package executor

import (
	"context"
	"errors"
	"sync"

	"github.com/feefifofunds/candlekeep/sinks"
)

// writerPool hands each running action a sink writer of its own: writers
// are not safe for concurrent use, and there are never more of them than
// workers.
type writerPool struct {
	sink sinks.Sink
	mu   sync.Mutex
	idle []sinks.Writer
	all  []sinks.Writer
}

func newWriterPool(s sinks.Sink) *writerPool { return &writerPool{sink: s} }

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

func (p *writerPool) put(w sinks.Writer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.idle = append(p.idle, w)
}

func (p *writerPool) closeAll() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, w := range p.all {
		errs = append(errs, w.Close())
	}
	p.all, p.idle = nil, nil
	return errors.Join(errs...)
}
