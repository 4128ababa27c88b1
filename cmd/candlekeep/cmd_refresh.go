package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/state"
	"github.com/feefifofunds/candlekeep/workspace"
)

// runRefresh compares state's coverage with what the sink holds and makes
// state forget what the sink lost, so the next plan loads it again.
func runRefresh(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "refresh", "refresh [-lock-timeout=D] [-var 'k=v'] [-var-file=FILE] [-no-color]")
	cf := configFlags{connects: connectsStateAndSink}
	cf.register(fs)
	lockTimeout := fs.Duration("lock-timeout", 0, "how long to wait for the state lock (e.g. 30s)")
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("refresh takes no arguments, got %q", fs.Args())
	}
	cfg, err := loadConfig(env, &cf)
	if err != nil {
		return err
	}
	st, err := openStateExisting(ctx, cfg, false)
	if errors.Is(err, state.ErrNoState) {
		fmt.Fprintln(env.stdout, "No changes. There is no state yet, so nothing to compare with the sink.")
		return nil
	}
	if err != nil {
		return err
	}
	defer closeWith(&err, st)
	lock, err := takeLock(ctx, env, st, "refresh", *lockTimeout)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, lock.Unlock(context.WithoutCancel(ctx)))
	}()
	res, err := workspace.Refresh(ctx, cfg, st, driftMeter(env.stderr, isTerminal(env.stderr)))
	if err != nil {
		return err
	}
	out := style{enabled: colorFor(env.stdout, cf.noColor, env.environ)}
	switch {
	case !res.Sink.Identity.Exists():
		renderSinkNotes(env.stdout, res.Sink, out)
		fmt.Fprintln(env.stdout, out.green(out.bold("No changes."))+" State holds nothing for a table that does not exist.")
	case len(res.Drifts) == 0:
		fmt.Fprintln(env.stdout, out.green(out.bold("No changes."))+" The sink holds candles wherever state says files were loaded.")
	default:
		renderDrift(env.stdout, cfg, res.Drifts, out)
		fmt.Fprintf(env.stdout, "State forgot %d %s; 'candlekeep plan' shows them loaded again.\n", len(res.Drifts), plural(len(res.Drifts), "span", "spans"))
	}
	return nil
}

// renderDrift shows coverage the sink contradicts, Terraform-style.
func renderDrift(w io.Writer, cfg *config.Config, drifts []executor.Drift, st style) {
	fmt.Fprintln(w, st.bold("Note: Objects have changed outside of candlekeep"))
	fmt.Fprintln(w)
	fmt.Fprintf(w, "The sink (%s table %q) holds no candles where state says these files were loaded:\n\n", cfg.Sink.Type, cfg.Sink.Table)
	width := 0
	for _, d := range drifts {
		width = max(width, len(d.Span.String()))
	}
	for _, d := range drifts {
		from := ""
		if len(d.Files) > 0 {
			from = "  " + st.dim("from "+strings.Join(d.Files, ", "))
		}
		fmt.Fprintf(w, "  %s %-12s %-*s%s\n", st.yellow("~"), d.Series, width, d.Span, from)
	}
	fmt.Fprintln(w)
}
