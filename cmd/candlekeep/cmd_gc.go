package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/state"
	"github.com/feefifofunds/candlekeep/workspace"
)

func runGC(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "gc", "gc [-dry-run] [-now=TIME] [-lock-timeout=D] [-var 'k=v'] [-var-file=FILE]")
	var cf configFlags
	var clock clockFlag
	cf.register(fs)
	clock.register(fs)
	dryRun := fs.Bool("dry-run", false, "show what would be deleted, and delete nothing")
	lockTimeout := fs.Duration("lock-timeout", 0, "how long to wait for the state lock (e.g. 30s)")
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("gc takes no arguments, got %q", fs.Args())
	}
	now, err := clock.now()
	if err != nil {
		return err
	}
	cfg, err := loadConfig(env, &cf)
	if err != nil {
		return err
	}
	if !workspace.StateExists(cfg) {
		// Nothing recorded, nothing to delete: gc does not create state.
		fmt.Fprintln(env.stdout, gcSummary(state.GCResult{}, cfg, *dryRun))
		return nil
	}
	if *dryRun {
		// Read-only: no lock, nothing created or migrated.
		st, err := workspace.OpenStateReadOnly(ctx, cfg)
		if err != nil {
			return err
		}
		defer closeWith(&err, st)
		res, err := workspace.CollectGarbage(ctx, st, cfg, now, true)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.stdout, gcSummary(res, cfg, true))
		return nil
	}
	st, err := openStateExisting(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer closeWith(&err, st)
	lock, err := takeLock(ctx, env, st, "gc", *lockTimeout)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, lock.Unlock(context.WithoutCancel(ctx)))
	}()
	res, err := workspace.CollectGarbage(ctx, st, cfg, now, *dryRun)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, gcSummary(res, cfg, *dryRun))
	return nil
}

// gcAfterApply runs the retention cleanup at the end of an apply, still
// under its lock. It prints a line only when something was deleted, and a
// failure only as a warning: the apply itself succeeded. With -json the
// line goes to stderr, so stdout stays JSON lines.
func gcAfterApply(ctx context.Context, env *cliEnv, sess *workspace.Session, now int64, jsonOut, noColor bool) {
	w := env.stdout
	if jsonOut {
		w = env.stderr
	}
	// Records are stamped with the real clock. A -now in the future (or a
	// saved plan's clock) must not make the run just recorded look old.
	res, err := workspace.CollectGarbage(ctx, sess.State, sess.Config, min(now, time.Now().Unix()), false)
	if err != nil {
		warn := style{enabled: colorFor(env.stderr, noColor, env.environ)}
		fmt.Fprintf(env.stderr, "%s %v (the apply itself succeeded)\n", warn.yellow("Warning:"), err)
		return
	}
	if !res.Empty() {
		fmt.Fprintln(w, gcSummary(res, sess.Config, false))
	}
}

// gcSummary says in one line what was, or would be, deleted.
func gcSummary(res state.GCResult, cfg *config.Config, dryRun bool) string {
	gaps, runs := workspace.Retention(cfg)
	if res.Empty() {
		return fmt.Sprintf("gc: nothing to delete (no resolved gap records older than %s, no finished runs older than %s).", days(gaps), days(runs))
	}
	verb := "gc: deleted"
	if dryRun {
		verb = "gc -dry-run: would delete"
	}
	return fmt.Sprintf("%s %s %s older than %s and %s %s (%s %s) older than %s.", verb,
		count(res.Gaps), plural(int(res.Gaps), "resolved gap record", "resolved gap records"), days(gaps),
		count(res.Runs), plural(int(res.Runs), "finished run", "finished runs"),
		count(res.Actions), plural(int(res.Actions), "action", "actions"), days(runs))
}

// days renders a retention: 90d, 1d12h.
func days(d time.Duration) string { return ohlc.FormatDuration(d, 2) }
