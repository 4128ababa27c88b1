package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/report"
	"github.com/feefifofunds/candlekeep/state"
	"github.com/feefifofunds/candlekeep/workspace"
)

func runReport(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "report", "report [-by=tier|series] [-format=text|markdown|json|html | -json] [-o FILE] [-now=TIME] [-since=TIME] [-target=…] [-exclude=…]")
	var cf configFlags
	cf.register(fs)
	var clock clockFlag
	clock.register(fs)
	var sel selection
	sel.registerReport(fs)
	by := fs.String("by", "tier", "one row per tier × interval (tier) or per series (series)")
	var ff formatFlags
	ff.register(fs, "text, markdown, json or html")
	format := &ff.format
	outPath := fs.String("o", "", "write to FILE instead of standard output (required for html)")
	sinceFlag := fs.String("since", "", "count only from this time on (2024-07-01 or RFC 3339)")
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if err := ff.resolve(); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("report takes no arguments, got %q", fs.Args())
	}
	if *by != "tier" && *by != "series" {
		return fmt.Errorf("-by: %q is not tier or series", *by)
	}
	switch *format {
	case "text", "markdown", "json":
	case "html":
		if *outPath == "" {
			return fmt.Errorf("-format=html needs -o FILE")
		}
	default:
		return fmt.Errorf("-format: %q is not text, markdown, json or html", *format)
	}
	now, err := clock.now()
	if err != nil {
		return err
	}
	var since int64
	if *sinceFlag != "" {
		if since, err = ohlc.ParseTime(*sinceFlag); err != nil {
			return fmt.Errorf("-since: %w", err)
		}
	}
	cfg, err := loadConfig(env, &cf)
	if err != nil {
		return err
	}
	if err := sel.check(cfg); err != nil {
		return err
	}
	rep, err := workspace.Report(ctx, report.Input{Config: cfg, Now: now, Since: since, Targets: sel.targets.targets, Excludes: sel.excludes.targets})
	if err != nil {
		return err
	}
	rows := rep.Tiers
	if *by == "series" {
		rows = rep.Series
	}
	var buf bytes.Buffer
	switch *format {
	case "text":
		err = writeReportText(&buf, rep, rows, *by == "series")
	case "markdown":
		writeReportMarkdown(&buf, rep, rows, *by == "series")
	case "json":
		doc := workspace.ReportDocument(rep, rows)
		doc.CandlekeepVersion = candlekeepVersion()
		err = writeJSON(&buf, doc)
	case "html":
		err = report.WriteHTML(&buf, rep)
	}
	if err != nil {
		return err
	}
	if *outPath == "" {
		_, err = env.stdout.Write(buf.Bytes())
		return err
	}
	// Relative to -chdir, as plan -out is.
	if err := os.WriteFile(resolvePath(env, *outPath), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// lastRunLabel names the last run and how the row's series fared in it
// ("#2 failed 2026-11-28 14:46"), not the run's status: a run that failed
// elsewhere may have done this row's work.
func lastRunLabel(r *report.RunRef) string {
	if r == nil {
		return "-"
	}
	label := fmt.Sprintf("#%d %s %s", r.ID, r.Outcome, stamp(time.Unix(r.StartedAt, 0)))
	if r.CrossCheck != "" {
		// The finding is listed under the table.
		label += ", cross-check differs (below)"
	}
	return label
}

// The report's columns, named alike in text, markdown and HTML, each the
// JSON field of the same meaning (docs/json-format.md): SERIES is
// series_count in a tier row and the series itself with -by=series (a
// count that is always 1 is left out); NEWEST CANDLE is coverage_end,
// in a tier row from its stalest series (STALEST) to its freshest.
func writeReportText(w io.Writer, rep *report.Report, rows []report.Row, bySeries bool) error {
	fmt.Fprintf(w, "Coverage as of %s", ohlc.FormatTime(rep.Now))
	if rep.Since > 0 {
		fmt.Fprintf(w, ", counting from %s", ohlc.FormatTime(rep.Since))
	}
	fmt.Fprintln(w, ".")
	fmt.Fprintln(w)
	if len(rows) == 0 {
		fmt.Fprintln(w, "No series are configured.")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if bySeries {
		fmt.Fprintln(tw, "TIER\tSERIES\tCOVERED\tMISSING\tOPEN GAPS\tUNFILLABLE GAPS\tFAILED GAPS\tNEWEST CANDLE\tAGE\tLAST RUN")
	} else {
		fmt.Fprintln(tw, "TIER\tINTERVAL\tSERIES\tCOVERED\tMISSING\tOPEN GAPS\tUNFILLABLE GAPS\tFAILED GAPS\tNEWEST CANDLE\tSTALEST\tAGE\tLAST RUN")
	}
	for _, r := range rows {
		age := "-"
		if r.CoverageEnd > 0 {
			age = report.Age(r.CoverageEnd, rep.Now)
		}
		counts := fmt.Sprintf("%s\t%s\t%d\t%d\t%d\t%s", report.Percent(r.Share()), missingLabel(r.Missing()), r.OpenGaps, r.UnfillableGaps, r.FailedGaps, newestCandle(r))
		if bySeries {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Tier, r.Series, counts, age, lastRunLabel(r.LastRun))
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", r.Tier, r.Interval.Label(), r.SeriesCount, counts, stalest(r), age, lastRunLabel(r.LastRun))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	writeCrossChecks(w, rows)
	return nil
}

// writeCrossChecks lists what rebuilds found differing from the candles
// the sink held, one line per row whose last run found any: the table
// only marks them.
func writeCrossChecks(w io.Writer, rows []report.Row) {
	first := true
	for _, r := range rows {
		if r.LastRun == nil || r.LastRun.CrossCheck == "" {
			continue
		}
		if first {
			fmt.Fprintln(w)
			fmt.Fprintln(w, "Cross-check (rebuilt from trades against candles the sink held, kept as stored):")
			first = false
		}
		name := r.Tier + " " + r.Interval.Label()
		if r.Series != (ohlc.Series{}) {
			name = r.Series.String()
		}
		fmt.Fprintf(w, "  %s, run #%d: %s\n", name, r.LastRun.ID, strings.TrimPrefix(r.LastRun.CrossCheck, state.CrossCheckNote))
	}
}

// newestCandle is a row's newest candle: a series' own, or for a group
// the range from its stalest series' to its freshest's.
func newestCandle(r report.Row) string {
	switch {
	case r.NewestEnd == 0:
		return "-"
	case r.Series != (ohlc.Series{}) || r.CoverageEnd == r.NewestEnd:
		return ohlc.FormatTime(r.NewestEnd)
	case r.CoverageEnd == 0:
		return "- … " + ohlc.FormatTime(r.NewestEnd)
	}
	return ohlc.FormatTime(r.CoverageEnd) + " … " + ohlc.FormatTime(r.NewestEnd)
}

// stalest names a group's stalest series, when it has more than one.
func stalest(r report.Row) string {
	if s := workspace.StalestSeries(r); s != "" {
		return s
	}
	return "-"
}

// missingLabel renders missing time: 0s, 45m, 3d4h.
func missingLabel(sec int64) string { return ohlc.FormatSeconds(sec, 2) }

func writeReportMarkdown(w io.Writer, rep *report.Report, rows []report.Row, bySeries bool) {
	fmt.Fprintf(w, "### Coverage as of %s\n\n", ohlc.FormatTime(rep.Now))
	if bySeries {
		fmt.Fprintln(w, "| Tier | Series | Covered | Missing | Open gaps | Unfillable gaps | Failed gaps | Newest candle | Age | Last run |")
		fmt.Fprintln(w, "|---|---|--:|--:|--:|--:|--:|---|--:|---|")
	} else {
		fmt.Fprintln(w, "| Tier | Interval | Series | Covered | Missing | Open gaps | Unfillable gaps | Failed gaps | Newest candle | Stalest | Age | Last run |")
		fmt.Fprintln(w, "|---|---|--:|--:|--:|--:|--:|--:|---|---|--:|---|")
	}
	for _, r := range rows {
		age := "-"
		if r.CoverageEnd > 0 {
			age = report.Age(r.CoverageEnd, rep.Now)
		}
		counts := fmt.Sprintf("%s | %s | %d | %d | %d | %s", report.Percent(r.Share()), missingLabel(r.Missing()), r.OpenGaps, r.UnfillableGaps, r.FailedGaps, newestCandle(r))
		if bySeries {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", escapeMarkdown(r.Tier), escapeMarkdown(r.Series.String()), counts, age, lastRunLabel(r.LastRun))
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s | %s | %s | %s |\n", escapeMarkdown(r.Tier), r.Interval.Label(), r.SeriesCount, counts, escapeMarkdown(stalest(r)), age, lastRunLabel(r.LastRun))
	}
}
