package workspace

import (
	"context"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// ApplyOptions say how a plan runs.
type ApplyOptions struct {
	Parallelism int
	// Ready is told once the sink is set up and recorded, before the
	// first action, and returns where the executor's events go (nil:
	// nowhere). It is not called when there is nothing to record.
	Ready func(SinkReady) func(executor.Event)
}

// SinkReady is the sink a plan is applied to, once set up.
type SinkReady struct {
	Sink ohlc.SinkIdentity
	// Claimed counts the series whose coverage an upgraded state gave
	// to this sink (see RegisterSink).
	Claimed int
	// Loads is whether the plan writes to the sink, or only records gaps.
	Loads bool
}

// Apply runs plan under the caller's lock: it sets up and records the
// sink, then hands the plan to the executor. The sink is opened (and its
// table created) only when there is work, or gaps to record, which belong
// to a sink table.
func (s *Session) Apply(ctx context.Context, plan *planner.Plan, o ApplyOptions) (_ executor.Result, err error) {
	files := executor.NewCSVFiles()
	defer files.Close()
	ex := &executor.Executor{State: s.State, Open: files.Open, Options: executor.Options{Parallelism: o.Parallelism}}
	loads, sum := plan.HasChanges(), plan.Summary()
	if loads || s.Sink.Identity.Exists() || sum.Unfillable > 0 {
		id := s.Sink.Identity
		if loads || !id.Exists() {
			sink, err := OpenSink(ctx, s.Config)
			if err != nil {
				return executor.Result{}, err
			}
			defer closeWith(&err, sink)
			if id, err = SetUpSink(ctx, s.Config, sink); err != nil {
				return executor.Result{}, err
			}
			if loads {
				ex.Sink = sink
			}
		}
		claimed, err := RegisterSink(ctx, s.State, s.Sink, id)
		if err != nil {
			return executor.Result{}, err
		}
		if o.Ready != nil {
			ex.Emit = o.Ready(SinkReady{Sink: id, Claimed: claimed, Loads: loads})
		}
		if loads && (sum.Backfills > 0 || sum.Rebuilds > 0) {
			// One client: its limiter is the ceiling over backfills and
			// every pair's rebuild together.
			client := NewAPIClient(s.Config)
			ex.API, ex.Trades = client, client
			ex.PairRate = s.Config.API.Rebuild.PairRate(s.Config.API.RateLimit)
		}
	}
	return ex.Apply(ctx, plan)
}
