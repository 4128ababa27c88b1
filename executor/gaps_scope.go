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
	// Nor did it look at pairs it left out, whose old records must not
	// read as filled.
	if pairs := plan.UnplannedPairs(); len(pairs) > 0 {
		return e.State.SyncGapsExcept(ctx, pairs, found, now)
	}
	return e.State.SyncGaps(ctx, found, now)
}
