package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/workspace"
)

// exitStale is check's exit status when a series is older than its
// error_after: distinct from 1 (candlekeep failed) so that an alert can
// tell stale data from a broken run.
const exitStale = 4

func runCheck(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "check", "check [-format=text|json | -json] [-now=TIME] [-var 'k=v'] [-var-file=FILE] [-no-color]")
	var cf configFlags
	cf.register(fs)
	var clock clockFlag
	clock.register(fs)
	var ff formatFlags
	ff.register(fs, "output format: text or json")
	format := &ff.format
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if err := ff.resolve(); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("check takes no arguments, got %q", fs.Args())
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("-format: %q is not text or json", *format)
	}
	now, err := clock.now()
	if err != nil {
		return err
	}
	cfg, err := loadConfig(env, &cf)
	if err != nil {
		return err
	}
	// Coverage in state is what candlekeep vouches for; the sink is not
	// read, so check is quick and needs no sink credentials. No lock:
	// the snapshot is one read transaction. A state that does not exist
	// yet is read as empty, not created: check only reads.
	coverage := map[ohlc.Series]ohlc.SpanSet{}
	if workspace.StateExists(cfg) {
		st, _, err := workspace.OpenBoundState(ctx, cfg)
		if err != nil {
			return err
		}
		defer closeWith(&err, st)
		snap, err := st.Snapshot(ctx)
		if err != nil {
			return err
		}
		coverage = snap.Coverage
	}
	results := workspace.CheckFreshness(cfg, coverage, now)
	if *format == "json" {
		err = writeJSON(env.stdout, workspace.CheckDocument(results, now))
	} else {
		err = writeCheckText(env.stdout, results, style{enabled: colorFor(env.stdout, cf.noColor, env.environ)})
	}
	if err != nil {
		return err
	}
	if workspace.WorstStatus(results) == workspace.FreshError {
		return &exitCode{code: exitStale}
	}
	return nil
}

func writeCheckText(w io.Writer, results []workspace.Freshness, sty style) error {
	if len(results) == 0 {
		_, err := fmt.Fprintln(w, "No coverage block has a freshness block; nothing to check.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SERIES\tCOVERAGE\tCOVERED UNTIL\tAGE\tSTATUS")
	counts := map[string]int{}
	for _, r := range results {
		counts[r.Status]++
		until, age := "never", "-"
		if r.CoveredUntil != 0 {
			until, age = ohlc.FormatTime(r.CoveredUntil), formatAge(r.Age)
		}
		// The coloured status is the last column: escape codes inside
		// a padded column would throw tabwriter's widths off.
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Series, strings.Join(r.Coverage, ","), until, age, colourStatus(sty, r.Status))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d series checked: %d pass, %d warn, %d error.\n",
		len(results), counts[workspace.FreshPass], counts[workspace.FreshWarn], counts[workspace.FreshError])
	return err
}

func colourStatus(sty style, status string) string {
	switch status {
	case workspace.FreshError:
		return sty.red(status)
	case workspace.FreshWarn:
		return sty.yellow(status)
	}
	return sty.green(status)
}

// formatAge renders seconds as days, hours, minutes and seconds: 0, 45m,
// 1d2h.
func formatAge(sec int64) string {
	if sec <= 0 {
		return "0"
	}
	var b strings.Builder
	for _, u := range []struct {
		unit string
		secs int64
	}{{"d", 86400}, {"h", 3600}, {"m", 60}, {"s", 1}} {
		if n := sec / u.secs; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.unit)
			sec -= n * u.secs
		}
	}
	return b.String()
}
