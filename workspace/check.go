package workspace

import (
	"context"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/state"
)

// CheckResult is what check found: every series' freshness and the
// candles lost since the last apply.
type CheckResult struct {
	Now       int64
	Freshness []Freshness
	Lost      []LostGap
	// LostFatal: a lost stretch has lost_severity = "error".
	LostFatal bool
}

// Check judges freshness and lost candles from state alone. Coverage in
// state is what candlekeep vouches for; the sink is not read, so check
// is quick and needs no sink credentials. No lock: the snapshot is one
// read transaction. A state that does not exist yet is read as empty,
// not created: check only reads.
func Check(ctx context.Context, cfg *config.Config, now int64) (CheckResult, error) {
	snap := &state.Snapshot{Coverage: map[ohlc.Series]ohlc.SpanSet{}}
	err := ReadState(ctx, cfg, func(st *state.Store) (err error) {
		snap, err = st.Snapshot(ctx)
		return err
	})
	if err != nil {
		return CheckResult{}, err
	}
	res := CheckResult{Now: now, Freshness: CheckFreshness(cfg, snap.Coverage, now)}
	// Candles lost since the last apply: the planner's rule on state
	// alone (no dumps are read, and candles that recent are in none).
	plan := planner.Compute(planner.Input{Config: cfg, State: snap, Now: now})
	res.Lost, res.LostFatal = Lost(cfg, plan)
	return res, nil
}
