package main

import (
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
	err = workspace.ReadState(ctx, cfg, func(st *state.Store) (err error) {
		runs, err = st.Runs(ctx, *limit)
		return err
	})
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]workspace.RunDoc, len(runs))
		for i, r := range runs {
			out[i] = workspace.RunDocument(r)
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
