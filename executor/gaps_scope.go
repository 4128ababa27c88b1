package executor

import (
	"context"
	"time"

	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/state"
)

// syncGaps records the gaps a run found. A partial plan looked at its own
// series only, so it must not mark the other series' gaps filled just
// because it did not find them.
func (e *Executor) syncGaps(ctx context.Context, plan *planner.Plan, found []state.Gap, now time.Time) error {
	if plan.Partial() {
		return e.State.SyncGapsOf(ctx, plan.Scope, found, now)
	}
	// Nor did it look at the series it left alone (unknown pairs, series
	// no longer configured), whose old records must not read as filled.
	return e.State.SyncGapsExcept(ctx, plan.LeftAlone, found, now)
}
