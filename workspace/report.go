package workspace

import (
	"context"
	"fmt"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/report"
	"github.com/feefifofunds/candlekeep/state"
)

// ReportRuns is how many recent runs report reads to name the last run
// that touched each series: enough for a daily schedule, cheap to read.
const ReportRuns = 50

// Report computes the coverage report of in.Config at in.Now (with its
// Since, Targets and Excludes) from state, with check's freshness
// verdicts. Without a state store nothing is covered yet: that is
// reported rather than the store created.
func Report(ctx context.Context, in report.Input) (*report.Report, error) {
	err := ReadState(ctx, in.Config, func(st *state.Store) error { return readReportState(ctx, st, &in) })
	if err != nil {
		return nil, err
	}
	// The HTML report shows check's verdicts: the same judgement, here.
	var coverage map[ohlc.Series]ohlc.SpanSet
	if in.Snapshot != nil {
		coverage = in.Snapshot.Coverage
	}
	in.Freshness = make(map[ohlc.Series]string)
	for _, f := range CheckFreshness(in.Config, coverage, in.Now) {
		in.Freshness[f.Series] = f.Status
	}
	return report.Compute(in), nil
}

// readReportState reads what the report needs, without the lock: a
// snapshot is one read transaction, the rest is informational.
func readReportState(ctx context.Context, st *state.Store, in *report.Input) (err error) {
	if in.Snapshot, err = st.Snapshot(ctx); err != nil {
		return fmt.Errorf("read state: %w", err)
	}
	in.Gaps, err = st.Gaps(ctx, state.GapFilter{Statuses: []state.GapStatus{state.GapOpen, state.GapUnfillable, state.GapFailed}})
	if err != nil {
		return fmt.Errorf("read gaps: %w", err)
	}
	if in.Runs, err = st.Runs(ctx, ReportRuns); err != nil {
		return err
	}
	for _, r := range in.Runs {
		actions, err := st.RunActions(ctx, r.ID)
		if err != nil {
			return err
		}
		in.Actions = append(in.Actions, actions...)
	}
	return nil
}
