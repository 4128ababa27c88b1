package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/state"
	"github.com/feefifofunds/candlekeep/workspace"
)

// shownActions is how many of a series' latest actions `state show` lists.
const shownActions = 10

func runStateShow(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "state show", "state show [-json] PAIR/INTERVAL")
	var cf configFlags
	cf.register(fs)
	asJSON := fs.Bool("json", false, jsonUsage)
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("state show takes one series, such as XBTUSD/60; got %q", fs.Args())
	}
	series, err := ohlc.ParseSeries(fs.Arg(0))
	if err != nil {
		return err
	}
	cfg, err := loadConfig(env, &cf)
	if err != nil {
		return err
	}
	rec := &workspace.SeriesRecords{Series: series}
	err = workspace.ReadState(ctx, cfg, func(st *state.Store) error {
		return workspace.ReadSeriesRecords(ctx, st, rec, shownActions)
	})
	if err != nil {
		return err
	}
	if rec.Empty() {
		return fmt.Errorf("state holds nothing about %s; 'candlekeep state list' shows the series it knows", series)
	}
	if *asJSON {
		return writeJSON(env.stdout, workspace.SeriesDocument(rec))
	}
	return writeSeriesText(env, rec)
}

func writeSeriesText(env *cliEnv, rec *workspace.SeriesRecords) error {
	w := env.stdout
	fmt.Fprintf(w, "%s\n\nCoverage:\n", rec.Series)
	if len(rec.Coverage) == 0 {
		fmt.Fprintln(w, "  none")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, src := range inspectSources(rec.Coverage) {
		for _, sp := range rec.Coverage[src] {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", src, sp, lengthOf(sp.Seconds()))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(w, "\nFiles:")
	if len(rec.Files) == 0 {
		fmt.Fprintln(w, "  none")
	} else {
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  FILE\tFINGERPRINT\tROWS\tFIRST\tLAST\tSTATUS")
		for _, f := range rec.Files {
			fmt.Fprintf(tw, "  %s › %s\t%s\t%s\t%s\t%s\t%s\n", f.Dump, f.Member, shorten(f.Fingerprint, shortFingerprint), count(f.Rows),
				candleStamp(f.First, f.Rows), candleStamp(f.Last, f.Rows), fileStatus(f))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	fmt.Fprintln(w, "\nGaps:")
	if len(rec.Gaps) == 0 {
		fmt.Fprintln(w, "  none")
	} else {
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  SPAN\tSTATUS\tREASON\tATTEMPTS\tDETECTED\tRESOLVED")
		for _, g := range rec.Gaps {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%s\t%s\n", g.Span, g.Status, dash(g.Reason), g.Attempts, stamp(g.DetectedAt), stamp(g.ResolvedAt))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	fmt.Fprintf(w, "\nLast actions (newest first, at most %d):\n", shownActions)
	if len(rec.Actions) == 0 {
		fmt.Fprintln(w, "  none")
		return nil
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  RUN\tKIND\tSPAN\tSTATUS\tROWS\tERROR")
	for _, a := range rec.Actions {
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\n", a.RunID, a.Kind, a.Span, a.Status, count(a.Rows), dash(shorten(a.Error, shortError)))
	}
	return tw.Flush()
}

// shortFingerprint is how much of a fingerprint the text shows: enough
// to tell files apart and to find the whole one in -json.
const shortFingerprint = 20

// candleStamp renders a candle's open time; a file that wrote no rows has
// none.
func candleStamp(t, rows int64) string {
	if rows == 0 {
		return "-"
	}
	return time.Unix(t, 0).UTC().Format("2006-01-02 15:04")
}

func fileStatus(f state.FileRecord) string {
	if f.Error != "" {
		return string(f.Status) + ": " + shorten(f.Error, shortError)
	}
	return string(f.Status)
}
