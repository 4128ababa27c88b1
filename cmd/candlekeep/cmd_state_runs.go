package main

import (
	"github.com/feefifofunds/candlekeep/ohlc"

	"context"
	"fmt"
	"text/tabwriter"

	"github.com/feefifofunds/candlekeep/state"
	"github.com/feefifofunds/candlekeep/workspace"
)

// shortError is how much of a run's error the text table shows.
const shortError = 60

func runStateRuns(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "state runs", "state runs [-limit=N] [-json]")
	var cf configFlags
	cf.register(fs)
	limit := fs.Int("limit", 20, "at most this many runs, newest first (0: all)")
	asJSON := fs.Bool("json", false, jsonUsage)
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("state runs takes no arguments, got %q", fs.Args())
	}
	cfg, err := loadConfig(env, &cf)
	if err != nil {
		return err
	}
	var runs []state.Run
	if workspace.StateExists(cfg) {
		st, _, err := workspace.OpenBoundState(ctx, cfg)
		if err != nil {
			return err
		}
		defer closeWith(&err, st)
		if runs, err = st.Runs(ctx, *limit); err != nil {
			return err
		}
	}
	if *asJSON {
		out := make([]runJSON, len(runs))
		for i, r := range runs {
			out[i] = toRunJSON(r)
		}
		return writeJSON(env.stdout, out)
	}
	if len(runs) == 0 {
		fmt.Fprintln(env.stdout, "State records no runs yet.")
		return nil
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tSTATUS\tSTARTED\tDURATION\tACTIONS\tSUCCEEDED\tFAILED\tROWS\tERROR")
	for _, r := range runs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Status, stamp(r.StartedAt), runDuration(r),
			count(int64(r.Actions)), count(int64(r.Succeeded)), count(int64(r.Failed)), count(r.RowsWritten), dash(shorten(r.Error, shortError)))
	}
	return tw.Flush()
}

// runJSON is one run in `state runs -json`.
type runJSON struct {
	ID              int64          `json:"id"`
	Operation       string         `json:"operation"`
	Status          string         `json:"status"`
	PlanDigest      string         `json:"plan_digest,omitempty"`
	StartedAt       ohlc.JSONTime  `json:"started_at"`
	FinishedAt      *ohlc.JSONTime `json:"finished_at,omitempty"`
	DurationSeconds *float64       `json:"duration_seconds,omitempty"`
	Actions         int            `json:"actions"`
	Succeeded       int            `json:"succeeded"`
	Failed          int            `json:"failed"`
	Rows            int64          `json:"rows"`
	Error           string         `json:"error,omitempty"`
}

func toRunJSON(r state.Run) runJSON {
	out := runJSON{
		ID: r.ID, Operation: r.Operation, Status: string(r.Status), PlanDigest: r.PlanDigest, StartedAt: ohlc.JSONTime(r.StartedAt),
		Actions: r.Actions, Succeeded: r.Succeeded, Failed: r.Failed, Rows: r.RowsWritten, Error: r.Error,
	}
	if !r.FinishedAt.IsZero() {
		f := ohlc.JSONTime(r.FinishedAt)
		d := r.FinishedAt.Sub(r.StartedAt).Seconds()
		out.FinishedAt, out.DurationSeconds = &f, &d
	}
	return out
}

// runDuration is how long a finished run took; "-" while it has not
// finished (running, or killed before it could say).
func runDuration(r state.Run) string {
	if r.FinishedAt.IsZero() {
		return "-"
	}
	return seconds(r.FinishedAt.Sub(r.StartedAt))
}

// shorten cuts s to at most n runes, marking the cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
