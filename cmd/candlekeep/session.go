package main

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/workspace"
)

// openSession loads the configuration and opens a workspace session on
// it, whose notes are shown on env. Targets and excludes are checked
// against the configuration before anything is opened: one naming nothing
// is an error, not an empty plan.
func openSession(ctx context.Context, env *cliEnv, cf *configFlags, now int64, write bool, sel selection) (*workspace.Session, error) {
	cfg, err := loadConfig(env, cf)
	if err != nil {
		return nil, err
	}
	if err := sel.check(cfg); err != nil {
		return nil, err
	}
	return workspace.Open(ctx, cfg, workspace.Options{Now: now, Write: write,
		Targets: sel.targets.targets, Excludes: sel.excludes.targets, Emit: sessionView(env, cfg, cf.noColor)})
}

// sessionView shows what a session notices: dump warnings on stderr, what
// plan -refresh found on stdout.
func sessionView(env *cliEnv, cfg *config.Config, noColor bool) func(workspace.Event) {
	meter := driftMeter(env.stderr, isTerminal(env.stderr))
	return func(e workspace.Event) {
		warn := style{enabled: colorFor(env.stderr, noColor, env.environ)}
		switch e := e.(type) {
		case workspace.DriftProgress:
			if meter != nil {
				meter(e.Checked, e.Total)
			}
		case workspace.DumpWarning:
			fmt.Fprintf(env.stderr, "%s dump %q: %s\n", warn.yellow("Warning:"), e.Dump, e.Text)
		case workspace.DumpIgnored:
			other, apple := splitAppleDouble(e.Names)
			if len(other) > 0 {
				fmt.Fprintf(env.stderr, "%s dump %q: ignored what is not a PAIR_INTERVAL.csv file: %s\n", warn.yellow("Warning:"), e.Dump, listSome(other, 5))
			}
			if apple > 0 {
				// Zips made on a Mac (Kraken's full archive among them)
				// carry a resource twin of every file: one line says so.
				fmt.Fprintf(env.stderr, "%s dump %q: ignored %s macOS metadata %s (__MACOSX/, ._*)\n", warn.yellow("Note:"), e.Dump, count(int64(apple)), plural(apple, "file", "files"))
			}
		case workspace.Refreshed:
			if len(e.Drifts) > 0 {
				renderDrift(env.stdout, cfg, e.Drifts, style{enabled: colorFor(env.stdout, noColor, env.environ)})
				fmt.Fprintln(env.stdout, "This plan loads them again; 'candlekeep refresh' makes state forget them.")
				fmt.Fprintln(env.stdout)
				return
			}
			// Say what was read, so a clean refresh is not mistaken for none.
			fmt.Fprintf(env.stdout, "Refreshed: read back %s %s from sink %s; nothing drifted (the sink holds candles wherever state says files were loaded).\n\n",
				count(int64(e.Series)), plural(e.Series, "series", "series"), e.Sink)
		}
	}
}

// savedPlanHint says what to do about a saved plan that was refused.
func savedPlanHint(err error) error {
	var stale *workspace.StaleError
	var other *workspace.OtherSinkError
	switch {
	case errors.As(err, &stale):
		return fmt.Errorf("%w\n\nNothing was applied. Run 'candlekeep plan -out=FILE' again and review the new plan.", err)
	case errors.As(err, &other):
		return fmt.Errorf("%w: nothing was applied; run 'candlekeep plan -out=FILE' for this sink", err)
	}
	return err
}

// listSome joins the first n names and counts the rest.
func listSome(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

// splitAppleDouble separates the macOS metadata files a zip made on a Mac
// carries (__MACOSX/ folders, AppleDouble "._" twins) from the other
// names, and counts them.
func splitAppleDouble(names []string) (other []string, apple int) {
	for _, n := range names {
		if strings.HasPrefix(n, "__MACOSX/") || strings.Contains(n, "/__MACOSX/") || strings.HasPrefix(path.Base(n), "._") {
			apple++
			continue
		}
		other = append(other, n)
	}
	return other, apple
}
