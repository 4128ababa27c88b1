package workspace

import (
	"context"
	"time"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/state"
)

// CollectGarbage deletes (or counts, on a dry run) what is older than the
// configured retention at now (Unix seconds).
func CollectGarbage(ctx context.Context, st *state.Store, cfg *config.Config, now int64, dryRun bool) (state.GCResult, error) {
	gaps, runs := Retention(cfg)
	at := time.Unix(now, 0).UTC()
	return st.GC(ctx, at.Add(-gaps), at.Add(-runs), dryRun)
}

// Retention is the configured retention of gap records and runs, with the
// defaults for what is unset.
func Retention(cfg *config.Config) (gaps, runs time.Duration) {
	gaps, runs = cfg.Retention.Gaps, cfg.Retention.Runs
	if gaps <= 0 {
		gaps = config.DefaultGapRetention
	}
	if runs <= 0 {
		runs = config.DefaultRunRetention
	}
	return gaps, runs
}
