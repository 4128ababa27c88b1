package workspace

import (
	"context"
	"fmt"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/state"
)

// RefreshResult is what Refresh found: the sink it read and what state
// records there that the sink no longer holds (forgotten by then).
type RefreshResult struct {
	Sink SinkBinding
	// Drifts are the spans state forgot; none when the sink holds
	// candles wherever state says files were loaded, or when its table
	// does not exist (state holds nothing for it, and reading it would
	// create it).
	Drifts []executor.Drift
}

// Refresh compares state's coverage with what the sink holds and makes
// state forget what the sink lost, so the next plan loads it again. The
// caller holds st's lock. progress, if not nil, hears how far the sink
// has been read.
func Refresh(ctx context.Context, cfg *config.Config, st *state.Store, progress func(checked, total int)) (res RefreshResult, err error) {
	if res.Sink, err = BindSink(ctx, cfg, st); err != nil {
		return res, err
	}
	if !res.Sink.Checked {
		return res, fmt.Errorf("refresh reads the sink, which could not be reached: %w", res.Sink.Unchecked)
	}
	if !res.Sink.Identity.Exists() {
		return res, nil // nothing to read: see detectDrift
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return res, fmt.Errorf("read state: %w", err)
	}
	if res.Drifts, err = detectDrift(ctx, cfg, snap, progress); err != nil || len(res.Drifts) == 0 {
		return res, err
	}
	ex := &executor.Executor{State: st}
	// Forgetting is one step: a Ctrl-C now must not leave half of it.
	return res, ex.Forget(context.WithoutCancel(ctx), res.Drifts)
}

// detectDrift reads the configured sink back, read-only, and compares it
// with snap's coverage. Callers first check that its table exists: state
// holds nothing for a missing one (see the sink notes), and reading it
// would create it.
func detectDrift(ctx context.Context, cfg *config.Config, snap *state.Snapshot, progress func(checked, total int)) (_ []executor.Drift, err error) {
	sink, err := OpenSinkReadOnly(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer closeWith(&err, sink)
	return executor.DetectDrift(ctx, sink, snap, progress)
}
