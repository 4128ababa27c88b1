package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/feefifofunds/candlekeep/metrics"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/workspace"
)

// exitStale is check's exit status when a series is older than its
// error_after: distinct from 1 (candlekeep failed) so that an alert can
// tell stale data from a broken run.
const exitStale = 4

func runCheck(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "check", "check [-format=text|json | -json] [-now=TIME] [-metrics-dir=DIR] [-pushgateway=URL] [-var 'k=v'] [-var-file=FILE] [-no-color]")
	var cf configFlags
	cf.register(fs)
	var clock clockFlag
	clock.register(fs)
	var ff formatFlags
	ff.register(fs, "output format: text or json")
	format := &ff.format
	var mf metricsFlags
	mf.register(fs)
	started := time.Now()
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
	var res workspace.CheckResult
	if mf.enabled() {
		run := metrics.New("check")
		defer func() {
			workspace.FreshnessMetrics(run, res.Freshness)
			err = mf.publish(ctx, env, run, now, started, false, err)
		}()
	}
	cfg, err := loadConfig(env, &cf)
	if err != nil {
		return err
	}
	if res, err = workspace.Check(ctx, cfg, now); err != nil {
		return err
	}
	if *format == "json" {
		doc := workspace.CheckDocument(res)
		doc.CandlekeepVersion = candlekeepVersion()
		err = writeJSON(env.stdout, doc)
	} else {
		sty := style{enabled: colorFor(env.stdout, cf.noColor, env.environ)}
		if err = writeCheckText(env.stdout, res.Freshness, sty); err == nil {
			renderLost(env.stdout, res.Lost, res.LostFatal, sty)
		}
	}
	switch {
	case err != nil:
		return err
	case res.LostFatal:
		return &exitCode{code: exitLost}
	case workspace.WorstStatus(res.Freshness) == workspace.FreshError:
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

// formatAge renders an age: 0s, 45m, 1d2h.
func formatAge(sec int64) string { return ohlc.FormatSeconds(sec, 2) }
