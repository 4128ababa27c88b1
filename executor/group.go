package executor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/state"
)

// maxGroupActions bounds the actions one worker takes as a group, so that
// a quarterly update's 10,000 small files still spread over the workers.
const maxGroupActions = 256

// errTooBig is a small load whose file turned out bigger than planned: it
// leaves the group and runs as an action of its own.
var errTooBig = errors.New("more rows than a small load holds")

// isSmall tells whether a load is read whole into memory and written
// together with other small ones: a file of a hundred candles costs more
// in commits (sink and state) than in rows, so small loads share them.
func isSmall(a planner.Action, opts Options) bool {
	return traitsOf(a.Kind).groupable && a.Estimate <= int64(opts.BatchRows/4)
}

// member is one small load of a group, read but not yet committed.
type member struct {
	k       int // index into the run's work
	l       *load
	candles []ohlc.Candle
	began   time.Time
}

// group is small loads run by one worker: each file is read whole (which
// validates it, as the first pass of a big load does), and the rows of
// several files go to the sink in one commit, then to state in one
// transaction, every BatchRows rows.
type group struct {
	e        *Executor
	opts     Options
	writers  *writerPool
	emit     func(Event)
	runID    int64
	plan     *planner.Plan
	work     []int
	records  []state.ActionRecord
	outcomes []outcome // each group writes only its own actions' entries
}

func (g *group) run(ctx context.Context, ks []int) {
	var tooBig []int
	var pending []member // read, not yet committed
	rows := 0
	commit := func() {
		if len(pending) > 0 {
			g.commitFiles(ctx, pending, true)
		}
		pending, rows = nil, 0
	}
	for _, k := range ks {
		idx := g.work[k]
		a := g.plan.Actions[idx]
		if ctx.Err() != nil {
			g.outcomes[k] = g.e.skip(ctx, g.runID, &g.records[k], a)
			continue
		}
		g.emit(ActionStarted{Index: idx, Action: a})
		l := g.newLoad(k)
		m := member{k: k, l: l, began: time.Now()}
		candles, err := l.readAll(ctx, g.opts.BatchRows)
		switch {
		case errors.Is(err, errTooBig):
			tooBig = append(tooBig, k)
			continue
		case err == nil:
			err = l.checkPromise(int64(len(candles)))
		}
		if err != nil {
			g.outcomes[k] = l.finish(l.fail(context.WithoutCancel(ctx), err), m.began)
			continue
		}
		m.candles = candles
		pending = append(pending, m)
		if rows += len(candles); rows >= g.opts.BatchRows {
			commit()
		}
	}
	commit()
	for _, k := range tooBig {
		l := g.newLoad(k)
		g.outcomes[k] = l.finish(l.run(ctx, g.writers), time.Now())
	}
}

// newLoad is the load of the run's k-th piece of work.
func (g *group) newLoad(k int) *load {
	idx := g.work[k]
	return newLoad(g.e, g.opts, g.emit, g.runID, &g.records[k], idx, g.plan.Actions[idx])
}

// commitFiles commits pending as one sink write and one state transaction.
// It runs to completion after the first Ctrl-C, like a big load's batch
// in flight. If the sink refused a candle of one of them (sinks.ErrRejected), and
// split allows, each file is committed on its own, so that only the file
// with the refused candle fails.
func (g *group) commitFiles(ctx context.Context, pending []member, split bool) {
	stateCtx := context.WithoutCancel(ctx)
	err := g.write(stateCtx, pending)
	if split && len(pending) > 1 && errors.Is(err, sinks.ErrRejected) {
		for _, m := range pending {
			g.commitFiles(ctx, []member{m}, false)
		}
		return
	}
	if err == nil {
		steps := make([]state.Progress, len(pending))
		for i, m := range pending {
			m.l.confirm(m.candles)
			steps[i] = m.l.progress(m.l.a.Span.End, state.ActionDone, state.FileLoaded, "")
		}
		if err = g.e.State.RecordAll(stateCtx, steps); err != nil {
			err = fmt.Errorf("record progress in state: %w", err)
		}
	}
	for _, m := range pending {
		if err != nil {
			g.outcomes[m.k] = m.l.finish(m.l.fail(stateCtx, err), m.began)
			continue
		}
		m.l.recorded(m.l.a.Span.End)
		g.emit(ActionProgress{Index: m.l.idx, Rows: m.l.rows, Delta: m.l.rows})
		g.outcomes[m.k] = m.l.finish(nil, m.began)
	}
}

func (g *group) write(ctx context.Context, pending []member) error {
	batches := make([]sinks.Batch, 0, len(pending))
	rows := 0
	for _, m := range pending {
		if len(m.candles) > 0 {
			batches = append(batches, sinks.Batch{Series: m.l.a.Series, Candles: m.candles})
			rows += len(m.candles)
		}
	}
	if len(batches) == 0 {
		return nil
	}
	w, err := g.writers.get(ctx)
	if err != nil {
		return fmt.Errorf("open sink writer: %w", err)
	}
	defer g.writers.put(w)
	if err := sinks.WriteAll(ctx, w, batches); err != nil {
		files := "1 file"
		if len(batches) > 1 {
			files = fmt.Sprintf("%d files", len(batches))
		}
		return fmt.Errorf("write %d candles of %s to sink: %w", rows, files, err)
	}
	return nil
}

// readAll reads the action's span whole, or fails with errTooBig past
// limit candles.
func (l *load) readAll(ctx context.Context, limit int) ([]ohlc.Candle, error) {
	src, err := l.e.Open(ctx, l.a)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var out []ohlc.Candle
	buf := make([]ohlc.Candle, 256)
	for {
		n, err := src.Read(buf)
		for _, c := range buf[:n] {
			switch {
			case c.Time < l.a.Span.Start:
				continue
			case c.Time >= l.a.Span.End:
				return out, nil
			case len(out) == limit:
				return nil, errTooBig
			}
			out = append(out, c)
		}
		switch {
		case err == io.EOF:
			return out, nil
		case err != nil:
			return nil, err
		}
	}
}

// confirm counts candles the sink has committed as the load's own.
func (l *load) confirm(candles []ohlc.Candle) {
	if len(candles) == 0 {
		return
	}
	if l.unrecorded == 0 {
		l.first = candles[0].Time
	}
	l.last = candles[len(candles)-1].Time
	l.rows += int64(len(candles))
	l.unrecorded += int64(len(candles))
}
